"""SQLite ledger beside Chroma: document hashes, chunk texts and the FTS5 (BM25) lexical index."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from medcite.corpus.ledger_terms import TERMS_VERSION, VocabularyRows
from medcite.corpus.terms import document_terms
from medcite.errors import MedciteError
from medcite.types import Chunk, Document

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,          -- '' marks a document whose last write did not finish (re-ingested next time)
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    year INTEGER,
    url TEXT NOT NULL,
    origin TEXT NOT NULL,
    n_chunks INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_origin ON documents(origin);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    id TEXT UNIQUE NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    ordinal INTEGER NOT NULL,
    section_id TEXT NOT NULL,
    section TEXT NOT NULL,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    embed_text TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    year INTEGER,
    url TEXT NOT NULL,
    source_name TEXT NOT NULL DEFAULT '',
    evidence_label TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
-- Lexical index: porter-stemmed BM25 over title, section heading and text; rowid = chunks.rowid.
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, section, text, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
);
-- The library's vocabulary (medcite/corpus/terms.py): the names each document is about, kept with its chunks.
CREATE TABLE IF NOT EXISTS terms (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    term TEXT NOT NULL,          -- matching key (normalise_term)
    display TEXT NOT NULL,       -- the name as the document writes it
    kind TEXT NOT NULL           -- title, focus, synonym, mesh, acronym, expansion
);
CREATE INDEX IF NOT EXISTS terms_doc ON terms(doc_id);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, title, section, text) VALUES (new.rowid, new.title, new.section, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, title, section, text)
    VALUES ('delete', old.rowid, old.title, old.section, old.text);
END;
"""

# BM25 column weights: title, section heading, text. Headings of guideline sections are the questions
# they answer, so they weigh more than body text.
BM25_WEIGHTS = (2.0, 2.0, 1.0)
_TERM = re.compile(r"\w+", re.UNICODE)


class LedgerError(MedciteError, RuntimeError):
    """The ledger file is unreadable, foreign, or from an incompatible version."""


def _is_storage_error(exc: sqlite3.OperationalError) -> bool:
    """Disk full, I/O, permission or lock trouble: the file may be fine, so never advise moving it aside."""
    text = str(exc).lower()
    return any(s in text for s in ("full", "disk i/o", "readonly", "read-only", "unable to open", "locked"))


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    hash: str
    title: str
    kind: str
    source: str
    year: int | None
    url: str
    origin: str
    n_chunks: int
    metadata: dict
    updated_at: float


def _row_to_chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        id=row["id"], doc_id=row["doc_id"], section_id=row["section_id"], section=row["section"],
        ordinal=row["ordinal"], text=row["text"], embed_text=row["embed_text"], title=row["title"],
        kind=row["kind"], source=row["source"], url=row["url"], year=row["year"], label=row["label"],
        source_name=row["source_name"], evidence_label=row["evidence_label"],
    )


# English function words: matching them costs a scan of most of the index and adds nothing to ranking.
_STOPWORD_TEXT = (
    "a about above after again against all am an and any are as at be because been before being below between "
    "both but by can could did do does doing down during each few for from further had has have having he her "
    "here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not "
    "now of off on once only or other our ours ourselves out over own same she should so some such than that the "
    "their theirs them themselves then there these they this those through to too under until up very was we "
    "were what when where which while who whom why will with would you your yours yourself yourselves"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def fts_query(text: str, max_terms: int = 32) -> str:
    """An FTS5 OR-query of the text's distinct content terms, each quoted so user input cannot inject syntax."""
    seen: dict[str, None] = {}
    for term in _TERM.findall(text.lower()):
        if (len(term) > 1 or term.isdigit()) and term not in STOPWORDS:
            seen.setdefault(term, None)
    return " OR ".join(f'"{t}"' for t in list(seen)[:max_terms])


class Ledger(VocabularyRows):
    """One SQLite file per collection; WAL mode so readers keep answering while ingest writes."""

    def __init__(self, path: Path, collection: str, *, readonly: bool = False) -> None:
        self.path = path
        self.collection = collection
        self.readonly = readonly
        # MEDCITE_HOME (or a folder in it) that is a file: say so, not "no library" or a traceback.
        existing = next((p for p in (path.parent, *path.parent.parents) if p.exists()), None)
        if existing is not None and not existing.is_dir():
            raise LedgerError(f"{existing} is a file, not a folder: set MEDCITE_HOME to a folder (or move the file "
                              "aside), then run `medcite ingest`")
        if readonly and not path.exists():
            others = sorted(p.stem for p in path.parent.glob("*.sqlite")) if path.parent.is_dir() else []
            if others:  # a library exists, built with other settings: say so, not "no library"
                raise LedgerError(
                    f"no library for collection {collection!r} (the current embedding model and chunking "
                    f"settings) in {path.parent}; it holds {', '.join(others[:3])}. Check MEDCITE_EMBEDDING_MODEL, "
                    "MEDCITE_EMBEDDING_BACKEND and the chunking settings (`medcite config show`), or run "
                    "`medcite ingest` to build a library with these settings")
            raise LedgerError(f"no library at {path}: run `medcite ingest` first")
        if not readonly:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LedgerError(f"cannot create the library folder {path.parent} ({exc.strerror or exc}): set "
                                  "MEDCITE_HOME to a folder you can write") from exc
        try:
            # Readers open the file read-only: nothing is created or changed (a backup copy can be queried).
            target = f"{path.absolute().as_uri()}?mode=ro" if readonly else str(path)
            self.conn = sqlite3.connect(target, uri=readonly, timeout=30, isolation_level=None,
                                        check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            if not readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            if not readonly:
                self.conn.executescript(_SCHEMA)
            self._check_meta()
            if not readonly and self.get_meta("terms_version") != TERMS_VERSION:
                self.backfill_terms()
        except sqlite3.OperationalError as exc:
            if not _is_storage_error(exc):
                raise self._unreadable(exc) from exc
            raise self._write_error(exc) from exc
        except sqlite3.DatabaseError as exc:
            raise self._unreadable(exc) from exc

    def _unreadable(self, exc: Exception) -> LedgerError:
        return LedgerError(f"the library ledger {self.path} is unreadable ({exc}). Move it aside and re-run "
                           "`medcite ingest` to rebuild it.")

    def _write_error(self, exc: Exception) -> LedgerError:
        """A write (or an open) that the disk, the permissions or another writer refused; never 'corrupt'."""
        text = str(exc)
        if "locked" in text:
            hint = "another process is writing the library (a running `medcite ingest`?): let it finish, then retry"
        elif "full" in text:
            hint = (f"the disk holding {self.path.parent} is full: free some space and re-run `medcite ingest` "
                    "(it resumes where it stopped)")
        else:
            hint = (f"check that {self.path.parent} is writable and has free space, then re-run `medcite ingest` "
                    "(it resumes where it stopped)")
        return LedgerError(f"cannot write the library ledger {self.path} ({text}): {hint}")

    def _check_meta(self) -> None:
        rows = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        if not rows:
            with self.transaction():
                self.conn.executemany(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)",
                    [("schema_version", str(SCHEMA_VERSION)), ("collection", self.collection)],
                )
            return
        if rows.get("schema_version") != str(SCHEMA_VERSION):
            raise LedgerError(f"{self.path} has schema {rows.get('schema_version')}, expected {SCHEMA_VERSION}")
        if rows.get("collection") != self.collection:
            raise LedgerError(
                f"{self.path} belongs to collection {rows.get('collection')!r}, not {self.collection!r} (copied from "
                "another library?): move it aside and re-run `medcite ingest` to rebuild it"
            )

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a full disk or a locked file becomes a LedgerError saying what to do."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._write_error(exc) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")  # a COMMIT that fails (disk full) must not leave the transaction open
        except BaseException as exc:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    log.warning("rollback of %s failed", self.path, exc_info=True)
            if isinstance(exc, sqlite3.OperationalError) and _is_storage_error(exc):
                raise self._write_error(exc) from exc
            raise

    # Meta ---------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # Documents ----------------------------------------------------------------------------------
    def hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, hash FROM documents").fetchall())

    def origins(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, origin FROM documents").fetchall())

    def update_origins(self, moves: list[tuple[str, str]]) -> None:
        """Record where unchanged documents are found now: (origin, document id) pairs."""
        with self.transaction() as conn:
            conn.executemany("UPDATE documents SET origin = ? WHERE id = ?", moves)

    def mark_dirty(self, doc_ids: Iterable[str]) -> None:
        """Clear the hashes first, so a write cut short is redone by the next ingest."""
        with self.transaction() as conn:
            conn.executemany("UPDATE documents SET hash = '' WHERE id = ?", [(d,) for d in doc_ids])

    def dirty_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents WHERE hash = ''").fetchone()[0]

    def replace_documents(self, documents: list[tuple[Document, str, list[Chunk]]]) -> None:
        """Write documents (with their content hash) and their chunks, replacing older versions."""
        now = time.time()
        with self.transaction() as conn:
            for document, digest, chunks in documents:
                conn.execute("DELETE FROM chunks WHERE doc_id = ?", (document.id,))
                conn.execute("DELETE FROM terms WHERE doc_id = ?", (document.id,))
                conn.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (document.id, digest, document.title, document.kind, document.source, document.year,
                     document.url, document.origin, len(chunks),
                     json.dumps(document.metadata, ensure_ascii=False, default=str), now),
                )
                conn.executemany(
                    "INSERT INTO chunks(id, doc_id, ordinal, section_id, section, label, text, embed_text,"
                    " title, kind, source, year, url, source_name, evidence_label)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(c.id, c.doc_id, c.ordinal, c.section_id, c.section, c.label, c.text, c.embed_text,
                      c.title, c.kind, c.source, c.year, c.url, c.source_name, c.evidence_label) for c in chunks],
                )
                terms = document_terms(document.kind, document.title, document.metadata, (c.text for c in chunks))
                conn.executemany("INSERT INTO terms(doc_id, term, display, kind) VALUES (?,?,?,?)",
                                 [(document.id, *row) for row in terms])

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        with self.transaction() as conn:
            for doc_id in doc_ids:
                conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
                conn.execute("DELETE FROM terms WHERE doc_id = ?", (doc_id,))
                conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return self._record(row) if row else None

    def list_documents(
        self, *, kind: str | None = None, source: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[DocumentRecord]:
        clauses, params = self._filters(kind=kind, source=source)
        sql = f"SELECT * FROM documents {clauses} ORDER BY id LIMIT ? OFFSET ?"
        rows = self.conn.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
        return [self._record(r) for r in rows]

    @staticmethod
    def _record(row: sqlite3.Row) -> DocumentRecord:
        data = dict(row)
        data["metadata"] = json.loads(data["metadata"])
        return DocumentRecord(**data)

    @staticmethod
    def _filters(kind: str | None = None, source: str | None = None, prefix: str = "") -> tuple[str, list]:
        clauses, params = [], []
        if kind:
            clauses.append(f"{prefix}kind = ?")
            params.append(kind)
        if source:
            clauses.append(f"{prefix}source = ?")
            params.append(source)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    # Chunks ---------------------------------------------------------------------------------------
    def chunk_ids(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))]

    def get_chunks(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        for start in range(0, len(chunk_ids), 500):
            part = chunk_ids[start : start + 500]
            marks = ",".join("?" * len(part))
            for row in self.conn.execute(f"SELECT * FROM chunks WHERE id IN ({marks})", part):
                out[row["id"]] = _row_to_chunk(row)
        return out

    def chunk_documents(self) -> dict[str, str]:
        """Every chunk id with the id of its document."""
        return dict(self.conn.execute("SELECT id, doc_id FROM chunks").fetchall())

    def lexical_ok(self) -> bool:
        """Whether the FTS5 index agrees with the chunks table (True when it cannot be checked: FTS5's check
        is an INSERT, which a read-only volume refuses; a read-only open checks through a second connection)."""
        conn = self.conn
        if self.readonly:
            try:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            except sqlite3.Error:
                return True
        try:
            conn.execute("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.OperationalError as exc:
            return "readonly" in str(exc) or "read-only" in str(exc)
        except sqlite3.DatabaseError:
            return False
        finally:
            if conn is not self.conn:
                conn.close()
        return True

    def rebuild_lexical(self) -> None:
        """Rebuild the FTS5 index from the chunks table."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")

    @classmethod
    def _and_filters(cls, kind: str | None, source: str | None, year_min: int | None, year_max: int | None,
                     prefix: str = "") -> tuple[str, list]:
        """" AND ..." clauses (and their parameters) for the kind, source and year filters."""
        clauses, params = cls._filters(kind=kind, source=source, prefix=prefix)
        extra = [clauses[len("WHERE "):]] if clauses else []
        for bound, op in ((year_min, ">="), (year_max, "<=")):
            if bound is not None:
                extra.append(f"{prefix}year {op} ?")
                params.append(bound)
        return "".join(f" AND {c}" for c in extra), params

    def chunk_ids_of(self, doc_ids: Iterable[str], *, kind: str | None = None, source: str | None = None,
                     year_min: int | None = None, year_max: int | None = None) -> list[str]:
        """Chunk ids of the given documents that pass the filters, in document and reading order."""
        doc_ids = sorted(set(doc_ids))
        if not doc_ids:
            return []
        where, params = self._and_filters(kind, source, year_min, year_max)
        marks = ",".join("?" * len(doc_ids))
        sql = f"SELECT id FROM chunks WHERE doc_id IN ({marks}){where} ORDER BY doc_id, ordinal"
        return [r[0] for r in self.conn.execute(sql, [*doc_ids, *params])]

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        rows = self.conn.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [_row_to_chunk(r) for r in rows]

    def search(
        self,
        text: str,
        k: int,
        *,
        kind: str | None = None,
        source: str | None = None,
        year_min: int | None = None,
        year_max: int | None = None,
    ) -> list[tuple[str, float]]:
        """BM25 search: (chunk id, score) best first; higher scores are better."""
        query = fts_query(text)
        if not query:
            return []
        where, params = self._and_filters(kind, source, year_min, year_max, prefix="c.")
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        if not where:
            # Unfiltered (the usual case): rank inside the FTS index first and join only the k winners; joining
            # every match to `chunks` before the sort cost more than the search (docs/benchmarks.md).
            sql = (
                f"SELECT c.id, -f.score FROM (SELECT rowid, bm25(chunks_fts, {weights}) AS score FROM chunks_fts "
                "WHERE chunks_fts MATCH ? ORDER BY score LIMIT ?) AS f JOIN chunks c ON c.rowid = f.rowid "
                "ORDER BY f.score"
            )
            return [(r[0], float(r[1])) for r in self.conn.execute(sql, [query, k])]
        sql = (
            f"SELECT c.id, -bm25(chunks_fts, {weights}) AS score FROM chunks_fts "
            f"JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ?{where} "
            "ORDER BY bm25(chunks_fts, " + weights + ") LIMIT ?"
        )
        return [(r[0], float(r[1])) for r in self.conn.execute(sql, [query, *params, k])]

    # Stats ----------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Documents, chunks and unfinished documents: cheap enough for every health check."""
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"documents": one("SELECT count(*) FROM documents"), "chunks": one("SELECT count(*) FROM chunks"),
                "incomplete_documents": self.dirty_count()}

    def breakdown(self) -> dict[str, dict[str, dict]]:
        """Documents and chunks by source, kind and year: {"documents"|"chunks": {column: {value: count}}}."""
        out: dict[str, dict[str, dict]] = {"documents": {}, "chunks": {}}
        for table in out:
            for column in ("source", "kind", "year"):
                out[table][column] = dict(self.conn.execute(
                    f"SELECT {column}, count(*) FROM {table} GROUP BY {column}").fetchall())
        return out

    def stats(self) -> dict:
        count = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        grouped = lambda col: dict(  # noqa: E731
            self.conn.execute(f"SELECT {col}, count(*) FROM documents GROUP BY {col} ORDER BY {col}").fetchall()
        )
        chunks_by = dict(self.conn.execute("SELECT kind, count(*) FROM chunks GROUP BY kind").fetchall())
        years = self.conn.execute("SELECT min(year), max(year) FROM documents").fetchone()
        return {
            "documents": count("SELECT count(*) FROM documents"),
            "chunks": count("SELECT count(*) FROM chunks"),
            "sections": count("SELECT count(DISTINCT section_id) FROM chunks"),
            "by_kind": grouped("kind"),
            "by_source": grouped("source"),
            "chunks_by_kind": chunks_by,
            "years": {"min": years[0], "max": years[1]},
            "incomplete_documents": self.dirty_count(),
            "last_ingest": self.get_meta("last_ingest"),
            "vocabulary": self.term_counts() if self.get_meta("terms_version") == TERMS_VERSION else {},
        }
