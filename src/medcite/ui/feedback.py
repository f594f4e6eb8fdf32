"""Thumbs up/down and comments on answers, kept in SQLite under MEDCITE_HOME for maintainers to export.

One row per answer (a chat session and the answer's turn in it): the question, the answer as shown
(Markdown), the cited document ids, the engine, the filters and the time; rating and comment are
updated in place when a user changes them. Each call opens its own connection (WAL mode, busy
timeout), so many UI workers and a concurrent export can use the file at once.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from medcite.errors import MedciteError

RATINGS = ("up", "down")
CSV_COLUMNS = ("id", "created_at", "updated_at", "session", "turn", "rating", "comment", "question", "answer",
               "cited", "engine", "filters")
MAX_COMMENT_CHARS = 4000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,        -- ISO 8601, UTC
    updated_at TEXT NOT NULL,
    session TEXT NOT NULL,           -- random id of one browser chat
    turn INTEGER NOT NULL,           -- the answer's position in that chat, from 0
    rating TEXT CHECK (rating IN ('up', 'down') OR rating IS NULL),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,            -- the answer's Markdown as shown
    cited TEXT NOT NULL,             -- JSON list of the cited document ids, in citation order
    engine TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '{}',
    UNIQUE (session, turn)
);
"""
_UNSET: Any = object()


def feedback_path(settings) -> Path:
    """Where the UI keeps feedback: MEDCITE_HOME/feedback.sqlite."""
    return Path(settings.home) / "feedback.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Feedback:
    id: int
    created_at: str
    updated_at: str
    session: str
    turn: int
    rating: str | None
    comment: str
    question: str
    answer: str
    cited: list[str]
    engine: str
    filters: dict


class FeedbackError(MedciteError):
    """The feedback database cannot be read."""


class FeedbackStore:
    """The feedback table; safe to share between threads (every call has its own connection)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._init_lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            with self._init_lock:
                if not self._ready:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    with closing(sqlite3.connect(self.path, timeout=30)) as conn:
                        conn.execute("PRAGMA journal_mode=WAL")
                        conn.executescript(_SCHEMA)
                    self._ready = True
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as conn:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=30000")
            yield conn

    def record(
        self,
        session: str,
        turn: int,
        *,
        question: str,
        answer: str,
        cited: Sequence[str] = (),
        engine: str = "",
        filters: dict | None = None,
        rating: str | None = _UNSET,
        comment: str | None = _UNSET,
    ) -> int:
        """Store or update the feedback on one answer; rating and comment change only when given.

        ``rating`` is "up", "down" or None (taken back). Returns the row id.
        """
        if rating is not _UNSET and rating not in (*RATINGS, None):
            raise ValueError(f"rating must be one of {RATINGS} or None, not {rating!r}")
        if not session:
            raise ValueError("feedback needs a session id")
        now = _now()
        values = {
            "session": session, "turn": int(turn), "question": question, "answer": answer,
            "cited": json.dumps(list(cited), ensure_ascii=False), "engine": engine or "",
            "filters": json.dumps(filters or {}, ensure_ascii=False, sort_keys=True, default=str),
        }
        updates = ["updated_at = excluded.updated_at"]
        rating_value = None if rating is _UNSET else rating
        comment_value = "" if comment is _UNSET or comment is None else str(comment).strip()[:MAX_COMMENT_CHARS]
        if rating is not _UNSET:
            updates.append("rating = excluded.rating")
        if comment is not _UNSET:
            updates.append("comment = excluded.comment")
        sql = (
            "INSERT INTO feedback (created_at, updated_at, session, turn, rating, comment, question, answer, "
            "cited, engine, filters) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
            f"ON CONFLICT (session, turn) DO UPDATE SET {', '.join(updates)} RETURNING id"
        )
        params = (now, now, values["session"], values["turn"], rating_value, comment_value, values["question"],
                  values["answer"], values["cited"], values["engine"], values["filters"])
        with self._connect() as conn:
            return int(conn.execute(sql, params).fetchone()[0])

    def all(self) -> list[Feedback]:
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        return [self._row(r) for r in rows]

    def get(self, session: str, turn: int) -> Feedback | None:
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM feedback WHERE session = ? AND turn = ?", (session, turn)).fetchone()
        return self._row(row) if row else None

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT count(*) FROM feedback").fetchone()[0])

    @staticmethod
    def _row(row: sqlite3.Row) -> Feedback:
        data = dict(row)
        data["cited"] = json.loads(data["cited"] or "[]")
        data["filters"] = json.loads(data["filters"] or "{}")
        return Feedback(**data)

    def export_csv(self, out: IO[str]) -> int:
        """Write every row as CSV (header first; lists and filters as JSON). Returns the number of rows."""
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        n = 0
        if not self.path.exists():  # no feedback yet: a read creates nothing (a read-only or backup copy)
            return 0
        try:
            with closing(sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True, timeout=30)) as conn:
                for row in conn.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM feedback ORDER BY id"):
                    writer.writerow([_csv_safe(v) for v in row])
                    n += 1
        except sqlite3.Error as exc:
            raise FeedbackError(f"cannot read the feedback database {self.path} ({exc}): is it a MedCite "
                                "feedback file?") from exc
        return n


def _csv_safe(value: Any) -> Any:
    """Defuse spreadsheet formulas: text cells starting with = + - @ get a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
