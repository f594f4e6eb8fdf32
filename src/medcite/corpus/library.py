"""The library facade: Chroma vectors and the SQLite ledger, written in a crash-safe order."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import numpy as np

from medcite.corpus.ledger import Ledger
from medcite.corpus.lock import WriterLock
from medcite.corpus.vectors import VectorStore
from medcite.settings import Settings
from medcite.types import Chunk, Document

RECORDED_ITEMS = 200  # failures and skip reasons kept in the stored summary of the last ingest


class Library:
    """Everything the library holds for one collection (embedding model + chunking parameters).

    Write order, so that a crash at any point leaves a library that answers queries and an ingest that
    the next run finishes exactly: (1) clear the ledger hashes of the documents about to change, (2) write
    or delete their vectors in Chroma, (3) commit chunks, lexical index and new hashes in one SQLite
    transaction. A document whose hash is empty is re-ingested next time; chunk ids are content hashes, so
    re-writing them never duplicates, and stale ids of a document are deleted before its new ones land.
    """

    def __init__(self, settings: Settings, *, client=None, readonly: bool = False) -> None:
        self.settings = settings
        self.readonly = readonly
        # The ledger first: a missing library should say "run medcite ingest", not create an empty store.
        self.ledger = Ledger(settings.ledger_path, settings.collection_name, readonly=readonly)
        # A writer holds the library's lock for as long as it is open: one writer at a time (corpus/lock.py).
        self.lock = WriterLock(settings.library_dir)
        try:
            if not readonly:
                self.lock.acquire(settings.writer_wait_s)
            self.vectors = VectorStore(settings, client=client)
        except BaseException:
            self.lock.release()
            self.ledger.close()
            raise

    @property
    def collection(self) -> str:
        return self.settings.collection_name

    def close(self) -> None:
        self.ledger.close()
        self.lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Writing --------------------------------------------------------------------------------------
    def existing_vector_ids(self, doc_ids: Sequence[str]) -> set[str]:
        return set(self.vectors.ids_for_documents(list(doc_ids)))

    def documents_missing_vectors(self) -> set[str]:
        """Documents with a chunk in the ledger whose vector Chroma does not hold (a store moved aside, a fresh
        Chroma server, vectors lost to a second writer): ingest re-embeds them."""
        held = self.vectors.all_ids()
        return {doc_id for chunk_id, doc_id in self.ledger.chunk_documents().items() if chunk_id not in held}

    def write(
        self,
        items: list[tuple[Document, str, list[Chunk]]],
        new_chunks: list[Chunk],
        vectors: np.ndarray,
        existing_ids: set[str],
    ) -> None:
        """Replace the given documents: ``new_chunks``/``vectors`` are the chunks not yet in Chroma."""
        doc_ids = [doc.id for doc, _, _ in items]
        self.ledger.mark_dirty(doc_ids)
        keep = {c.id for _, _, chunks in items for c in chunks}
        stale = sorted(existing_ids - keep)
        if stale:
            self.vectors.delete_ids(stale)
        if new_chunks:
            self.vectors.upsert(new_chunks, vectors)
        self.ledger.replace_documents(items)

    def remove(self, doc_ids: Sequence[str]) -> int:
        """Remove documents and all their chunks; returns how many the ledger held."""
        doc_ids = list(doc_ids)
        known = [d for d in doc_ids if self.ledger.get_document(d) is not None]
        self.ledger.mark_dirty(known)
        ids = self.vectors.ids_for_documents(doc_ids)
        if ids:
            self.vectors.delete_ids(ids)
        self.ledger.delete_documents(doc_ids)
        return len(known)

    def record_ingest(self, summary: dict) -> None:
        """Store a run's summary (its lists cut to RECORDED_ITEMS, with counts: they are re-read by every
        `corpus stats` and Library tab) and clear the mark that an ingest is under way."""
        kept = dict(summary)
        for key in ("failed", "skipped"):
            items = list(kept.get(key) or [])
            if len(items) > RECORDED_ITEMS:
                kept[key] = items[:RECORDED_ITEMS]
                kept[f"{key}_count"] = len(items)
        with self.ledger.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('last_ingest', ?)",
                         (json.dumps(kept, sort_keys=True),))
            conn.execute("DELETE FROM meta WHERE key = 'ingest_started'")

    def mark_ingest_started(self, what: dict) -> None:
        """Note that an ingest began: until record_ingest clears it, stats says the last one did not finish
        (a first ingest cut short otherwise looks like a complete, smaller library)."""
        self.ledger.set_meta("ingest_started", json.dumps(what, sort_keys=True))

    # Reading --------------------------------------------------------------------------------------
    def stats(self) -> dict:
        stats = self.ledger.stats()
        last = stats.get("last_ingest")
        stats["last_ingest"] = json.loads(last) if last else None
        stats["collection"] = self.collection
        stats["vectors"] = self.vectors.count()
        stats["store"] = self.settings.chroma_url or str(self.settings.chroma_dir)
        stats["embedding_model"] = self.settings.embedding_model
        stats["problems"] = health_problems(stats)
        started = self.ledger.get_meta("ingest_started")
        if started:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(json.loads(started).get("started_at", 0)))
            stats["problems"].append(f"an ingest started at {when} did not finish (or is still running): re-run "
                                     "`medcite ingest` on its sources")
        stats["status"] = "degraded" if stats["problems"] else "ok"
        return stats


def health_problems(counts: dict) -> list[str]:
    """What is wrong with a library, from its counts: fewer vectors than chunks, unfinished documents."""
    problems = []
    if counts.get("vectors") is not None and counts["vectors"] < counts["chunks"]:
        problems.append(f"{counts['chunks'] - counts['vectors']:,} of {counts['chunks']:,} chunks have no vector: "
                        "run `medcite corpus check --repair`")
    if counts.get("incomplete_documents"):
        problems.append(f"{counts['incomplete_documents']:,} documents were cut short: re-run `medcite ingest`")
    return problems
