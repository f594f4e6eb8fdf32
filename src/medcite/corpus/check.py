"""`medcite corpus check [--repair]`: do the ledger, the Chroma vectors and the lexical index agree?

The ledger is the record of what the library holds: every chunk's text and exactly what was embedded
(``embed_text``). So everything but an unfinished document can be repaired from the ledger alone, without
the source files: missing vectors are embedded again, vectors of no chunk are deleted, a damaged lexical
index is rebuilt. A Chroma index that lost vectors (two writers at once, before the writer lock) refuses
even to delete them, so then the collection is rebuilt: every readable vector is kept, the rest embedded
again. Unfinished documents (a write cut short) need `medcite ingest` of their
source, which the report names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from medcite.corpus.library import Library
from medcite.corpus.vectors import VectorStoreError

Embed = Callable[[list[str]], np.ndarray]
SHOWN = 10  # ids listed per problem in the summary


@dataclass
class CheckReport:
    """What a check found (and, after ``repair``, what it fixed)."""

    documents: int = 0
    chunks: int = 0
    vectors: int = 0
    missing_vectors: list[str] = field(default_factory=list)  # ledger chunks Chroma does not hold
    unreadable_vectors: list[str] = field(default_factory=list)  # held, but the vector cannot be read
    orphan_vectors: list[str] = field(default_factory=list)  # in Chroma, of no ledger chunk
    unfinished_documents: list[str] = field(default_factory=list)  # hash '': re-ingest their source
    store_error: str = ""  # Chroma could not even list the collection's ids
    lexical_ok: bool = True
    repaired: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.missing_vectors or self.unreadable_vectors or self.orphan_vectors
                    or self.unfinished_documents or self.store_error or not self.lexical_ok)

    @property
    def repairable(self) -> bool:
        return bool(self.missing_vectors or self.unreadable_vectors or self.orphan_vectors or self.store_error
                    or not self.lexical_ok)

    def problems(self) -> list[str]:
        def ids(values: list[str]) -> str:
            more = f", ... {len(values) - SHOWN} more" if len(values) > SHOWN else ""
            return ", ".join(values[:SHOWN]) + more

        lines = [f"the vector store cannot be read ({self.store_error})"] if self.store_error else []
        if self.missing_vectors:
            lines.append(f"{len(self.missing_vectors)} chunks have no vector in Chroma ({ids(self.missing_vectors)})")
        if self.unreadable_vectors:
            lines.append(f"{len(self.unreadable_vectors)} vectors cannot be read back "
                         f"({ids(self.unreadable_vectors)})")
        if self.orphan_vectors:
            lines.append(f"{len(self.orphan_vectors)} vectors belong to no chunk of the ledger "
                         f"({ids(self.orphan_vectors)})")
        if not self.lexical_ok:
            lines.append("the lexical (BM25) index disagrees with the ledger")
        if self.unfinished_documents:
            lines.append(f"{len(self.unfinished_documents)} documents were cut short by an interrupted write: "
                         f"re-run `medcite ingest` on their source ({ids(self.unfinished_documents)})")
        return lines

    def summary(self) -> dict:
        return {**asdict(self), "ok": self.ok, "problems": self.problems()}


def check_library(library: Library) -> CheckReport:
    """Compare the ledger's chunks with Chroma's ids and vectors, and check the FTS5 index."""
    ledger_chunks = library.ledger.chunk_documents()
    hashes = library.ledger.hashes()
    report = CheckReport(documents=len(hashes), chunks=len(ledger_chunks))
    report.unfinished_documents = sorted(d for d, h in hashes.items() if not h)
    report.lexical_ok = library.ledger.lexical_ok()
    try:
        held = library.vectors.all_ids()
    except VectorStoreError as exc:
        report.store_error = str(exc)
        return report
    report.vectors = len(held)
    report.missing_vectors = sorted(c for c in ledger_chunks if c not in held)
    report.orphan_vectors = sorted(held - set(ledger_chunks))
    _, report.unreadable_vectors = library.vectors.readable_vectors(sorted(held & set(ledger_chunks)))
    return report


def repair_library(library: Library, report: CheckReport, embed: Embed, batch: int = 256) -> CheckReport:
    """Fix what ``report`` found from the ledger alone; returns a fresh check of the repaired library."""
    ledger_chunks = library.ledger.chunk_documents()
    if report.unreadable_vectors or report.store_error:  # the index itself is damaged: rebuild it
        kept: dict[str, np.ndarray] = {}
        if not report.store_error:
            kept, _ = library.vectors.readable_vectors(sorted(set(ledger_chunks) - set(report.missing_vectors)))
        library.vectors.drop()
        deleted = len(report.orphan_vectors)
        redo = [c for c in ledger_chunks if c not in kept]
        for start in range(0, len(kept), batch):
            ids = list(kept)[start : start + batch]
            chunks = library.ledger.get_chunks(ids)
            library.vectors.upsert([chunks[c] for c in ids], np.stack([kept[c] for c in ids]))
    else:
        doomed = report.orphan_vectors
        if doomed:
            library.vectors.delete_ids(doomed)
        deleted, redo = len(doomed), list(report.missing_vectors)
    for start in range(0, len(redo), batch):
        chunks = library.ledger.get_chunks(redo[start : start + batch])
        part = [chunks[c] for c in redo[start : start + batch] if c in chunks]
        if part:
            library.vectors.upsert(part, embed([c.embed_text for c in part]))
    if not report.lexical_ok:
        library.ledger.rebuild_lexical()
    after = check_library(library)
    rebuilt = bool(report.unreadable_vectors or report.store_error)
    after.repaired = {"embedded": len(redo), "deleted": deleted, "collection_rebuilt": int(rebuilt),
                      "lexical_rebuilt": int(not report.lexical_ok)}
    return after
