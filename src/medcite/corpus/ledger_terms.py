"""The ledger's vocabulary rows (the ``terms`` table, ``medcite.corpus.terms``): read, count, backfill.

A mixin of :class:`~medcite.corpus.ledger.Ledger`, kept apart so the ledger stays one screenful of concerns; the
rows are written and deleted by the ledger itself, in the transactions that write and delete chunks.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from collections.abc import Iterator

from medcite.corpus.terms import document_terms

log = logging.getLogger(__name__)

TERMS_VERSION = "1"  # meta "terms_version": the terms table was filled by this version of corpus/terms.py


class VocabularyRows:
    """Needs ``conn``, ``path``, ``transaction()`` and ``get_meta()`` (the Ledger's)."""

    def backfill_terms(self) -> int:
        """Rebuild the terms table from the documents and chunks it holds (a library built before the table
        existed, or by an older corpus/terms.py); deterministic, one transaction. Returns the rows written."""
        rows = list(self._computed_terms())
        with self.transaction() as conn:
            conn.execute("DELETE FROM terms")
            conn.executemany("INSERT INTO terms(doc_id, term, display, kind) VALUES (?,?,?,?)", rows)
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('terms_version', ?)", (TERMS_VERSION,))
        return len(rows)

    def _computed_terms(self) -> Iterator[tuple[str, str, str, str]]:
        texts: dict[str, list[str]] = {}
        for doc_id, text in self.conn.execute("SELECT doc_id, text FROM chunks ORDER BY doc_id, ordinal"):
            texts.setdefault(doc_id, []).append(text)
        for row in self.conn.execute("SELECT id, kind, title, metadata FROM documents ORDER BY id"):
            for term in document_terms(row["kind"], row["title"], json.loads(row["metadata"]),
                                       texts.get(row["id"], ())):
                yield (row["id"], *term)

    def terms(self) -> list[tuple[str, str, str, str]]:
        """Every (doc_id, key, display, kind) row of the vocabulary. A read-only library built before the table
        existed gets the same rows computed in memory (a writer stores them on its next open)."""
        if self.get_meta("terms_version") == TERMS_VERSION:
            return [tuple(r) for r in self.conn.execute("SELECT doc_id, term, display, kind FROM terms")]
        log.info("%s has no stored vocabulary: computing it (any `medcite ingest` stores it)", self.path)
        return list(self._computed_terms())

    def has_word(self, word: str) -> bool:
        """Whether any chunk holds ``word`` (the lexical index's own stemming applies)."""
        if not word.isalnum():
            return False
        row = self.conn.execute("SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 1", (f'"{word}"',))
        return row.fetchone() is not None

    def index_words(self) -> dict[str, int]:
        """Every word (stem) of the lexical index with the number of chunks holding it (FTS5's own vocabulary)."""
        try:
            self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.medcite_index_words "
                              "USING fts5vocab(main, 'chunks_fts', 'row')")
            return {str(t): int(n) for t, n in self.conn.execute("SELECT term, doc FROM temp.medcite_index_words")}
        except sqlite3.Error:  # an SQLite without fts5vocab: no index words (typos reach library names only)
            return {}

    def stem(self, word: str) -> str:
        """``word`` as the lexical index stores it (its own porter tokenizer: "taping" -> "tape")."""
        return _stemmer.stem(word)

    def documents_with(self, phrase: str, limit: int = 200) -> frozenset[str] | None:
        """The documents whose chunks hold ``phrase`` as typed (whole words, a plural allowed; the index's stemming
        would let "taping" match "tape"), or None when more than ``limit`` chunks hold its stems (a common word)."""
        words = re.findall(r"[A-Za-z0-9]+", re.sub(r"['’]s\b", "", phrase))  # "GFRUP's": the name is "GFRUP"
        if not words:
            return frozenset()
        query = '"' + " ".join(words) + '"'
        rows = self.conn.execute("SELECT c.doc_id, c.title, c.section, c.text FROM chunks_fts f JOIN chunks c "
                                 "ON c.rowid = f.rowid WHERE chunks_fts MATCH ? LIMIT ?", (query, limit + 1)).fetchall()
        if len(rows) > limit:
            return None
        exact = re.compile(r"(?<![A-Za-z0-9])" + r"[\s-]+".join(map(re.escape, words)) + r"(?:s|es)?(?![A-Za-z0-9])",
                           re.IGNORECASE)
        return frozenset(r[0] for r in rows if any(exact.search(r[i] or "") for i in (1, 2, 3)))

    def terms_signature(self) -> tuple:
        """What the vocabulary built from :meth:`terms` depends on: the last ingest, the terms version, the row count
        (a cache of that vocabulary is valid while this is unchanged)."""
        try:
            rows = self.conn.execute("SELECT count(*) FROM terms").fetchone()[0]
        except sqlite3.OperationalError:  # a library older than the terms table, opened read-only
            rows = -1
        return (self.get_meta("last_ingest"), self.get_meta("terms_version"), TERMS_VERSION, int(rows),
                self.counts()["documents"])

    def term_counts(self) -> dict[str, int]:
        """Distinct names per term kind, for `corpus stats`."""
        rows = self.conn.execute("SELECT kind, count(DISTINCT term) FROM terms GROUP BY kind").fetchall()
        return dict(sorted((str(k), int(n)) for k, n in rows))


class _Stemmer:
    """The porter stemmer of SQLite's FTS5 (the lexical index's own), through a private in-memory table."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        if word in self._cache:
            return self._cache[word]
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = sqlite3.connect(":memory:", check_same_thread=False)
                    self._conn.execute("CREATE VIRTUAL TABLE s USING fts5(x, tokenize='porter unicode61')")
                    self._conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(s, 'row')")
                self._conn.execute("DELETE FROM s")
                self._conn.execute("INSERT INTO s(x) VALUES (?)", (word,))
                found = [str(r[0]) for r in self._conn.execute("SELECT term FROM v")]
            except sqlite3.Error:
                found = []
        stem = found[0] if len(found) == 1 else word.lower()
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[word] = stem
        return stem


_stemmer = _Stemmer()
