"""Hybrid retrieval: dense (Chroma) and lexical (SQLite FTS5 BM25) fused by reciprocal rank, with filters."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from medcite.corpus.library import Library
from medcite.corpus.vectors import where_clause
from medcite.types import Chunk, Passage

Mode = Literal["hybrid", "dense", "lexical"]

RRF_K = 60  # the usual reciprocal-rank-fusion constant (Cormack et al. 2009)
# Passages asked of each retriever before fusion. 100 rather than 50: the deeper pool usually holds the
# passages of the kind a question's top 20 lack, which spares a second, kind-filtered search (docs/benchmarks.md).
CANDIDATES = 100
MAX_PER_DOCUMENT = 2  # so one long document cannot fill the list

_GREETING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))(?: (?:there|doctor|doc|all|team))?[\s,!.:-]+)+",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"[\s,.!]*(?:thanks?(?: you)?(?: so much| in advance| a lot)?|thx|cheers|regards|best(?: wishes)?|"
    r"sincerely|kind regards)\b[\s\S]{0,80}$",
    re.IGNORECASE,
)
_THREADS: ThreadPoolExecutor | None = None
_THREADS_LOCK = threading.Lock()


def _search_threads() -> ThreadPoolExecutor:
    """A small shared pool for the dense half of hybrid searches (created on first use, never per query)."""
    global _THREADS
    with _THREADS_LOCK:
        if _THREADS is None:
            _THREADS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="medcite-dense")
        return _THREADS


_URL_OR_EMAIL = re.compile(r"https?://\S+|\S+@\S+\.\w+")


def normalise_query(text: str) -> str:
    """Strip what consumer messages wrap around a question: greetings, sign-offs, links, odd spacing."""
    text = _URL_OR_EMAIL.sub(" ", text)
    text = " ".join(text.split())
    stripped = _SIGN_OFF.sub("", _GREETING.sub("", text)).strip()
    return stripped if len(stripped) >= 3 else text


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the library to."""

    kind: Literal["guideline", "research"] | None = None
    year_min: int | None = None
    year_max: int | None = None
    source: str | None = None

    def as_kwargs(self) -> dict:
        return {"kind": self.kind, "source": self.source, "year_min": self.year_min, "year_max": self.year_max}


def _chunk_from_chroma(chunk_id: str, meta: dict, text: str) -> Chunk:
    """A chunk Chroma holds but the ledger does not yet (an ingest is between its two writes)."""
    return Chunk(
        id=chunk_id, doc_id=str(meta.get("doc_id", chunk_id.split("#")[0])), section_id=str(meta.get("section_id", "")),
        section=str(meta.get("section", "")), ordinal=int(meta.get("ordinal", 0)), text=text, embed_text=text,
        title=str(meta.get("title", "")), kind=meta.get("kind", "research"), source=str(meta.get("source", "")),
        url=str(meta.get("url", "")), year=meta.get("year"), label=str(meta.get("label", "")),
        source_name=str(meta.get("source_name", "")), evidence_label=str(meta.get("evidence_label", "")),
    )


class Retriever:
    """Finds the passages that bear on a question; ``mode`` picks dense, lexical or both."""

    def __init__(self, library: Library, embedder, *, candidates: int = CANDIDATES,
                 max_per_document: int = MAX_PER_DOCUMENT) -> None:
        self.library = library
        self.embedder = embedder
        self.candidates = candidates
        self.max_per_document = max_per_document

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: Mode = "hybrid") -> list[Passage]:
        """The k best passages for ``query``, fused from both retrievers (or one, per ``mode``)."""
        query = normalise_query(query)
        if not query:
            return []
        vector = self.embedder.embed_query(query) if mode in ("hybrid", "dense") else None
        return self._pool(query, vector, filters or Filters(), mode, limit=k)

    def search_both_kinds(
        self, query: str, k: int = 20, filters: Filters | None = None, mode: Mode = "hybrid", per_kind: int = 6
    ) -> tuple[list[Passage], list[Passage]]:
        """The k best passages, plus up to ``per_kind`` more of each kind that the k best lack.

        An answer has a guidelines part and a research part: when one kind crowds out the other in the
        ranking (5,490 NIH pages against 1,000 abstracts), each part still gets its own candidates. The first
        list is the ranking (what evals score); the second only widens the evidence the composer reads.
        """
        query = normalise_query(query)
        if not query:
            return [], []
        filters = filters or Filters()
        vector = self.embedder.embed_query(query) if mode in ("hybrid", "dense") else None
        pool = self._pool(query, vector, filters, mode)
        ranked = pool[:k]
        seen = {p.chunk.id for p in ranked}
        extra: list[Passage] = []
        for kind in ("guideline", "research"):
            if filters.kind and filters.kind != kind:
                continue
            need = per_kind - sum(p.chunk.kind == kind for p in ranked)
            if need <= 0:
                continue
            # The fused candidates below the cut usually hold enough of the missing kind; only when they do
            # not is a second, kind-filtered search worth its cost (~half of retrieval time at 34k chunks).
            more = [p for p in pool[k:] if p.chunk.kind == kind][:need]
            if len(more) < need:
                kind_filters = Filters(kind=kind, year_min=filters.year_min, year_max=filters.year_max,
                                       source=filters.source)
                taken = seen | {p.chunk.id for p in more}
                more += [p for p in self._pool(query, vector, kind_filters, mode, limit=per_kind)
                         if p.chunk.id not in taken][: need - len(more)]
            extra.extend(more)
        return ranked, extra

    def _pool(self, query: str, vector, filters: Filters, mode: Mode, limit: int | None = None) -> list[Passage]:
        """Every fused candidate, best first, at most ``max_per_document`` per document (``limit``: stop there)."""
        dense: list[tuple[str, float, dict, str]] = []
        lexical: list[tuple[str, float]] = []
        pending = None
        if mode in ("hybrid", "dense"):
            where = where_clause(**filters.as_kwargs())
            search = lambda: self.library.vectors.query(vector, self.candidates, where, with_payload=False)  # noqa: E731
            # Chroma and SQLite both release the GIL: in hybrid mode the two searches overlap.
            pending = _search_threads().submit(search) if mode == "hybrid" else None
            dense = search() if pending is None else []
        if mode in ("hybrid", "lexical"):
            lexical = self.library.ledger.search(query, self.candidates, **filters.as_kwargs())
        if pending is not None:
            dense = pending.result()

        dense_rank = {cid: r for r, (cid, *_rest) in enumerate(dense, 1)}
        lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, 1)}
        similarity = {cid: sim for cid, sim, _, _ in dense}
        retrievers = (mode in ("hybrid", "dense")) + (mode in ("hybrid", "lexical"))
        best = retrievers / (RRF_K + 1)
        fused: dict[str, float] = {}
        for ranks in (dense_rank, lexical_rank):
            for cid, rank in ranks.items():
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        order = sorted(fused, key=lambda c: (-fused[c], c))

        chunks = self.library.ledger.get_chunks(order)
        missing = [cid for cid, *_rest in dense if cid not in chunks]
        if missing:  # written to Chroma by an ingest that has not committed its ledger rows yet
            for cid, (meta, text) in self.library.vectors.payloads(missing).items():
                chunks[cid] = _chunk_from_chroma(cid, meta, text)

        passages: list[Passage] = []
        per_doc: dict[str, int] = {}
        for cid in order:
            chunk = chunks.get(cid)
            if chunk is None:  # removed between the two reads
                continue
            if per_doc.get(chunk.doc_id, 0) >= self.max_per_document:
                continue
            per_doc[chunk.doc_id] = per_doc.get(chunk.doc_id, 0) + 1
            passages.append(Passage(chunk=chunk, score=fused[cid] / best, dense_rank=dense_rank.get(cid),
                                    lexical_rank=lexical_rank.get(cid), similarity=similarity.get(cid)))
            if limit is not None and len(passages) >= limit:
                break
        return passages


def documents_of(passages: list[Passage]) -> list[str]:
    """Document ids of passages, best first, each once."""
    return list(dict.fromkeys(p.chunk.doc_id for p in passages))
