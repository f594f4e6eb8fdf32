"""Hybrid retrieval: dense (Chroma) and lexical (SQLite FTS5 BM25), fused with the question's focus and type."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np

from medcite.analysis import QuestionAnalysis, QuestionAnalyzer, section_types
from medcite.corpus.library import Library
from medcite.corpus.vectors import where_clause
from medcite.qa.fusion import FusionWeights, rrf, weighted
from medcite.types import Chunk, Passage

Mode = Literal["hybrid", "dense", "lexical"]
Fusion = Literal["weighted", "rrf"]

# A focus that names more documents than this is a broad topic ("cancer"): its pages are not all "about" the
# question, so it gives no focus signal. The chunks scored beyond the two retrievers' lists are capped too.
MAX_FOCUS_DOCUMENTS = 40
MAX_FOCUS_CHUNKS = 400
# Passages asked of each retriever before fusion. 100 rather than 50: the deeper pool usually holds the
# passages of the kind a question's top 20 lack, which spares a second, kind-filtered search (docs/benchmarks.md).
CANDIDATES = 100
MAX_PER_DOCUMENT = 2  # so one long document cannot fill the list
# ... but the answer reads up to this many more passages of the question's focus documents (not in the ranking):
# "What are the signs and symptoms of Isaacs' syndrome?" ranked the page's research and hereditary-forms chunks, and
# its symptom list, in the first chunk, was never read (round 8's blind read).
FOCUS_EXTRA = 4

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
    """Finds the passages that bear on a question; ``mode`` picks dense, lexical or both.

    With a :class:`~medcite.analysis.QuestionAnalyzer` (the service's, built from the library's vocabulary), each
    question is analysed first: retrieval searches its canonical query (misspellings corrected, case and
    punctuation folded, boilerplate dropped), scores the chunks of its focus documents even when neither retriever
    returned them, and fuses with the focus and type signals (``medcite.qa.fusion``).
    """

    def __init__(self, library: Library, embedder, *, candidates: int = CANDIDATES,
                 max_per_document: int = MAX_PER_DOCUMENT, analyzer: QuestionAnalyzer | None = None,
                 fusion: Fusion = "weighted", weights: FusionWeights | None = None) -> None:
        self.library = library
        self.embedder = embedder
        self.candidates = candidates
        self.max_per_document = max_per_document
        self.analyzer = analyzer
        self.fusion = fusion
        self.weights = weights or FusionWeights()

    def analyze(self, question: str, history: list[str] | None = None) -> QuestionAnalysis | None:
        """The question's analysis (None without an analyzer)."""
        return self.analyzer.run(question, history or []) if self.analyzer is not None else None

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: Mode = "hybrid", *,
               analysis: QuestionAnalysis | None = None) -> list[Passage]:
        """The k best passages for ``query``, fused from both retrievers (or one, per ``mode``)."""
        analysis = analysis or self.analyze(query)
        text = analysis.query if analysis is not None else normalise_query(query)
        if not text:
            return []
        vector = self.embedder.embed_query(text) if mode in ("hybrid", "dense") else None
        return self._pool(text, vector, filters or Filters(), mode, analysis, limit=k)

    def search_both_kinds(
        self, query: str, k: int = 20, filters: Filters | None = None, mode: Mode = "hybrid", per_kind: int = 6, *,
        analysis: QuestionAnalysis | None = None,
    ) -> tuple[list[Passage], list[Passage]]:
        """The k best passages, plus up to ``per_kind`` more of each kind that the k best lack.

        An answer has a guidelines part and a research part: when one kind crowds out the other in the
        ranking (5,490 NIH pages against 1,000 abstracts), each part still gets its own candidates. The first
        list is the ranking (what evals score); the second only widens the evidence the composer reads.
        """
        analysis = analysis or self.analyze(query)
        text = analysis.query if analysis is not None else normalise_query(query)
        if not text:
            return [], []
        filters = filters or Filters()
        vector = self.embedder.embed_query(text) if mode in ("hybrid", "dense") else None
        capped: list[Passage] = []
        pool = self._pool(text, vector, filters, mode, analysis, capped=capped)
        parts = analysis.sub_queries if analysis is not None else ()
        if len(parts) > 1:  # one ranking per question of the message, taken in turns
            pools = [self._pool(part, self.embedder.embed_query(part) if vector is not None else None, filters, mode,
                                analysis) for part in parts]
            pool = interleave([pool, *pools], self.max_per_document)
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
                more += [p for p in self._pool(text, vector, kind_filters, mode, analysis, limit=per_kind)
                         if p.chunk.id not in taken][: need - len(more)]
            extra.extend(more)
        taken = {p.chunk.id for p in (*ranked, *extra)}
        extra.extend(p for p in capped if p.chunk.id not in taken)
        return ranked, extra

    def _pool(self, query: str, vector, filters: Filters, mode: Mode, analysis: QuestionAnalysis | None,
              limit: int | None = None, capped: list[Passage] | None = None) -> list[Passage]:
        """Every fused candidate, best first, at most ``max_per_document`` per document (``limit``: stop there).
        ``capped`` receives, best first, the focus documents' passages the per-document cap left out."""
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        pending = None
        if mode in ("hybrid", "dense"):
            where = where_clause(**filters.as_kwargs())
            search = lambda: self.library.vectors.query(vector, self.candidates, where, with_payload=False)  # noqa: E731
            # Chroma and SQLite both release the GIL: in hybrid mode the two searches overlap.
            pending = _search_threads().submit(search) if mode == "hybrid" else None
            dense = [(cid, sim) for cid, sim, _, _ in search()] if pending is None else []
        if mode in ("hybrid", "lexical"):
            lexical = self.library.ledger.search(query, self.candidates, **filters.as_kwargs())
        if pending is not None:
            dense = [(cid, sim) for cid, sim, _, _ in pending.result()]
        focus_docs = self._focus_documents(analysis)
        if focus_docs and self.fusion == "weighted":
            dense, lexical = self._add_focus_chunks(vector, focus_docs, filters, dense, lexical)

        ids = list(dict.fromkeys([c for c, _ in dense] + [c for c, _ in lexical]))
        chunks = self.library.ledger.get_chunks(ids)
        missing = [cid for cid, _ in dense if cid not in chunks]
        if missing:  # written to Chroma by an ingest that has not committed its ledger rows yet
            for cid, (meta, text) in self.library.vectors.payloads(missing).items():
                chunks[cid] = _chunk_from_chroma(cid, meta, text)
        if self.fusion == "rrf":
            fused = rrf(dense, lexical)
            scale = 1.0
        else:
            wanted = set(analysis.types) if analysis is not None else set()
            types = {cid: 1.0 for cid, c in chunks.items() if wanted & section_types(c.label, c.section, c.title)}
            focus = {cid: 1.0 for cid, c in chunks.items() if c.doc_id in focus_docs}
            fused = weighted(dense, lexical, self.weights, focus=focus, types=types)
            scale = self.weights.best
        order = sorted(fused, key=lambda c: (-fused[c], c))
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, 1)}
        lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, 1)}
        similarity = dict(dense)

        passages: list[Passage] = []
        per_doc: dict[str, int] = {}
        for cid in order:
            chunk = chunks.get(cid)
            if chunk is None:  # removed between the two reads
                continue
            full = per_doc.get(chunk.doc_id, 0) >= self.max_per_document
            if full and (capped is None or chunk.doc_id not in focus_docs or len(capped) >= FOCUS_EXTRA):
                continue
            passage = Passage(chunk=chunk, score=min(1.0, max(0.0, fused[cid] / scale)),
                              dense_rank=dense_rank.get(cid), lexical_rank=lexical_rank.get(cid),
                              similarity=similarity.get(cid))
            if full:
                capped.append(passage)
                continue
            per_doc[chunk.doc_id] = per_doc.get(chunk.doc_id, 0) + 1
            passages.append(passage)
            if limit is not None and len(passages) >= limit:
                break
        return passages

    @staticmethod
    def _focus_documents(analysis: QuestionAnalysis | None) -> frozenset[str]:
        docs = analysis.focus_documents if analysis is not None else frozenset()
        return docs if len(docs) <= MAX_FOCUS_DOCUMENTS else frozenset()

    def _add_focus_chunks(self, vector, focus_docs: frozenset[str], filters: Filters,
                          dense: list[tuple[str, float]], lexical: list[tuple[str, float]]):
        """Score the focus documents' chunks that dense retrieval did not return by their exact cosine (stored
        vectors), so a page about the focus is ranked on its merits, not dropped for being 101st. (BM25 against
        them alone cost 15-30 ms at 34k chunks, more than the whole search: they get no lexical score.) Lexical
        mode has no vector: the focus chunks join with the focus signal alone."""
        ids = self.library.ledger.chunk_ids_of(focus_docs, **filters.as_kwargs())[:MAX_FOCUS_CHUNKS]
        have = {c for c, _ in dense} | {c for c, _ in lexical}
        new = [c for c in ids if c not in have]
        if vector is None:
            return dense, lexical + [(c, 0.0) for c in new]
        stored = self.library.vectors.vectors(new)
        q = np.asarray(vector, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        return dense + [(cid, float(vec @ q / (np.linalg.norm(vec) or 1.0))) for cid, vec in stored.items()], lexical


def interleave(pools: list[list[Passage]], max_per_document: int) -> list[Passage]:
    """Several rankings merged by taking each one's next passage in turn (each chunk once, at most
    ``max_per_document`` per document): every question of a two-question message gets its best passages early."""
    out: list[Passage] = []
    seen: set[str] = set()
    per_doc: dict[str, int] = {}
    for rank in range(max((len(p) for p in pools), default=0)):
        for pool in pools:
            if rank < len(pool):
                p = pool[rank]
                if p.chunk.id in seen or per_doc.get(p.chunk.doc_id, 0) >= max_per_document:
                    continue
                seen.add(p.chunk.id)
                per_doc[p.chunk.doc_id] = per_doc.get(p.chunk.doc_id, 0) + 1
                out.append(p)
    return out


def documents_of(passages: list[Passage]) -> list[str]:
    """Document ids of passages, best first, each once."""
    return list(dict.fromkeys(p.chunk.doc_id for p in passages))
