"""What all sessions of the web chat share: settings, the library (read-only), feedback, the private temp dir.

The UI composes nothing itself: statistics come from the ledger's public methods, health from
``medcite.qa.service.library_health`` and uploads go through ``medcite.ingest.pipeline.ingest_files``, which
takes the library's writer lock (one writer at a time, also against a `medcite ingest` in a shell).

Every file the server writes or receives (Gradio's upload cache, the chat exports) lives in one private
temporary folder (mode 0700), removed when the server stops, SIGTERM included.
"""

from __future__ import annotations

import atexit
import hmac
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path

from medcite.settings import Settings
from medcite.ui import render
from medcite.ui.feedback import FeedbackStore, feedback_path

log = logging.getLogger(__name__)

MAX_SOURCE_ROWS = 15
MAX_YEAR_ROWS = 15
MAX_TOPICS = 80  # topics of each kind shown in the Library tab at once
ADMIN_ATTEMPTS = 5  # wrong passwords (admin; login) allowed per ADMIN_WINDOW_S, for the whole server
ADMIN_WINDOW_S = 60.0
_CLAIMED = False


def claim_gradio_temp_dir() -> None:
    """Point GRADIO_TEMP_DIR at a private folder, removed at exit, before Gradio is imported: Gradio makes
    folders under it at import time (otherwise in a shared /tmp/gradio). Each server then uses its own
    UIContext.upload_dir."""
    global _CLAIMED
    if _CLAIMED:
        return
    folder = tempfile.mkdtemp(prefix="medcite-gradio-")
    os.environ["GRADIO_TEMP_DIR"] = folder
    _CLAIMED = True
    atexit.register(shutil.rmtree, folder, True)


class UploadRefused(Exception):
    """A file named in an upload event that is not a file this server received."""


class UIContext:
    """What all sessions share. The library is opened lazily and read-only (passages, statistics)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.feedback = FeedbackStore(feedback_path(settings))
        self._ledger = None
        self._lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._embedder = None
        self._failures: dict[str, list[float]] = {}  # wrong passwords per check, times
        self.temp_dir = Path(tempfile.mkdtemp(prefix="medcite-ui-"))  # 0700: only this user reads it
        self.upload_dir = self.temp_dir / "gradio"  # Gradio's cache: uploads and files handed to the browser
        self.export_dir = self.upload_dir / "exports"  # inside the cache, so Gradio serves them without a copy
        self.export_dir.mkdir(parents=True)

    @property
    def admin_enabled(self) -> bool:
        secret = self.settings.ui_admin_password
        return bool(secret and secret.get_secret_value())

    def ledger(self):
        """The library's SQLite ledger, read-only (chunk texts and statistics; no Chroma client here, so the
        UI never races the answer service while Chroma opens its store)."""
        with self._lock:
            if self._ledger is None:
                from medcite.corpus.ledger import Ledger

                self._ledger = Ledger(self.settings.ledger_path, self.settings.collection_name, readonly=True)
            return self._ledger

    def close(self) -> None:
        with self._lock:
            if self._ledger is not None:
                self._ledger.close()
                self._ledger = None
        shutil.rmtree(self.temp_dir, ignore_errors=True)

    # Library -------------------------------------------------------------------------------------
    def counts(self) -> dict:
        """Documents, chunks and unfinished documents, from the ledger alone."""
        return self.ledger().counts()

    def health(self) -> dict:
        from medcite.qa.service import library_health

        return library_health(self.settings)

    def breakdown(self) -> dict:
        counts = self.ledger().breakdown()
        docs, chunks = counts["documents"], counts["chunks"]
        by_source = sorted(((s, n, chunks["source"].get(s, 0)) for s, n in docs["source"].items()),
                           key=lambda r: (-r[1], str(r[0])))
        if len(by_source) > MAX_SOURCE_ROWS:
            rest = by_source[MAX_SOURCE_ROWS - 1:]
            by_source = by_source[: MAX_SOURCE_ROWS - 1] + [
                (f"{len(rest):,} other sources", sum(r[1] for r in rest), sum(r[2] for r in rest))]
        by_kind = [("Guideline" if k == "guideline" else "Research", n, chunks["kind"].get(k, 0))
                   for k, n in sorted(docs["kind"].items())]
        years = sorted(((y, n, chunks["year"].get(y, 0)) for y, n in docs["year"].items() if y is not None),
                       key=lambda r: -r[0])
        if len(years) > MAX_YEAR_ROWS:  # by decade
            decades: dict[int, list[int]] = {}
            for y, n, c in years:
                d = decades.setdefault(y // 10 * 10, [0, 0])
                d[0] += n
                d[1] += c
            years = [(f"{d}\u2013{d + 9}", n, c) for d, (n, c) in sorted(decades.items(), reverse=True)]
        if None in docs["year"]:
            years.append(("No year (guidelines)", docs["year"][None], chunks["year"].get(None, 0)))
        return {"by_source": by_source, "by_kind": by_kind, "by_year": years}

    def library_html(self) -> str:
        try:
            stats = self.ledger().stats()
            stats["last_ingest"] = json.loads(stats["last_ingest"]) if stats.get("last_ingest") else None
            return render.render_library(stats, self.breakdown())
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of a broken tab
            log.exception("library statistics failed")
            return render.render_error(f"The library could not be read: {exc}")

    def topics(self, query: str = "", limit: int = MAX_TOPICS) -> dict:
        """The titles the library holds that contain ``query`` (every word of it, any case): guideline topics
        (one per title) and research article titles, those that start with the query first, then A-Z; with
        how many match in all."""
        words = [w for w in re.findall(r"[\w'-]+", (query or "").lower()) if w][:8]
        where, params = "", []
        if words:
            where = "WHERE " + " AND ".join("lower(title) LIKE ? ESCAPE '\\'" for _ in words)
            params = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
        first = words[0] if words else ""
        out: dict = {"query": " ".join(words)}
        conn = self.ledger().conn
        for kind in ("guideline", "research"):
            clause = (where + " AND " if where else "WHERE ") + "kind = ? AND trim(title) != ''"
            total = conn.execute(f"SELECT count(DISTINCT lower(trim(title))) FROM documents {clause}",
                                 [*params, kind]).fetchone()[0]
            rows = conn.execute(
                f"SELECT min(trim(title)) AS t FROM documents {clause} GROUP BY lower(trim(title)) "
                "ORDER BY (lower(min(trim(title))) LIKE ?) DESC, lower(min(trim(title))) LIMIT ?",
                [*params, kind, first + "%", limit]).fetchall()
            out[kind] = {"total": total, "titles": [r[0] for r in rows]}
        return out

    def topics_html(self, query: str = "") -> str:
        try:
            return render.render_topics(self.topics(query))
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of a broken tab
            log.exception("library topics failed")
            return render.render_error(f"The library's topics could not be read: {exc}")

    def passage_html(self, citation: dict, sentence: str) -> str:
        ids = list(citation.get("passages") or ())
        chunks = self.ledger().get_chunks(ids) if ids else {}
        ordered = [chunks[i] for i in ids if i in chunks]
        if not ordered and citation.get("doc_id"):
            ordered = self.ledger().document_chunks(citation["doc_id"])[:3]
        return render.render_passage(citation, ordered, sentence)

    # Exports -------------------------------------------------------------------------------------------
    def export_file(self, state: dict, text: str) -> str:
        """The session's chat as one Markdown file (rewritten, never copied per answer) in the private dir."""
        token = state.setdefault("export_token", secrets.token_hex(16))
        path = self.export_dir / token / "medcite-chat.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return str(path)

    # Adding documents (maintainers) -------------------------------------------------------------------
    def check_admin(self, password: str) -> bool:
        """The admin password, compared in constant time; after ADMIN_ATTEMPTS wrong ones in a minute every
        attempt fails until the minute is over (a server-wide brake on guessing)."""
        secret = self.settings.ui_admin_password
        if not secret or not secret.get_secret_value():
            return False
        return self._guarded("admin", password, secret.get_secret_value())

    def check_login(self, user: str, password: str, expected: tuple[str, str]) -> bool:
        """The chat's login (MEDCITE_UI_AUTH), with the same brake per user name."""
        if (user or "").strip() != expected[0]:
            self._guarded("login", "", "x")  # an unknown name counts as a wrong guess too
            return False
        return self._guarded("login", password, expected[1])

    def _guarded(self, key: str, given: str, secret: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < ADMIN_WINDOW_S]
            self._failures[key] = recent
            if len(recent) >= ADMIN_ATTEMPTS:
                return False
            ok = hmac.compare_digest((given or "").encode(), secret.encode())
            if not ok:
                recent.append(now)
            return ok

    def received(self, paths: list[Path]) -> list[Path]:
        """``paths`` when each is a file this server received (inside its private upload folder, no symlink);
        UploadRefused otherwise: an event payload may name any server path."""
        upload_dir = self.upload_dir.resolve()
        for path in paths:
            real = Path(os.path.realpath(path))
            if upload_dir not in real.parents or real.is_symlink() or not real.is_file():
                log.warning("refused an upload event naming a file this server did not receive")
                raise UploadRefused(f"{Path(path).name}: not a file uploaded to this server")
        return paths

    def ingest_uploads(self, paths: list[Path], kind: str | None) -> str:
        """Copy uploaded files under MEDCITE_HOME/sources/uploads (never over another upload) and ingest them
        as one writer; returns a summary."""
        from medcite.ingest.pipeline import ingest_files

        self.received(paths)
        try:  # the answer service opens Chroma first: two threads opening one store at once is unsafe
            self.health()
        except Exception:  # noqa: BLE001 - the ingest below reports a broken store itself
            log.warning("the answer service could not be opened before an upload", exc_info=True)
        target = self.settings.sources_dir / "uploads"
        target.mkdir(parents=True, exist_ok=True)
        with self._ingest_lock:
            saved = [_store_upload(Path(path), target) for path in paths]
            report = ingest_files(self.settings, saved, kind=kind, embedder=self.embedder())
        summary = (f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
                   f"{len(report.failed)} failed ({report.chunks_written} passages written).")
        problems = [f"{Path(p).name}: {reason}" for p, reason in report.failed[:10]]
        problems += [str(line) for line in report.skipped[:10]]
        return summary + "".join(f"\n- {line}" for line in problems)

    def embedder(self):
        """One embedding model for every upload, loaded at the first."""
        with self._lock:
            if self._embedder is None:
                from medcite.ingest.pipeline import Embedder  # the pipeline's own (one test double to patch)

                self._embedder = Embedder(self.settings)
            return self._embedder


def _store_upload(path: Path, folder: Path) -> Path:
    """Copy ``path`` into ``folder`` under its cleaned name, or ``name-2``, ``name-3``... when another upload
    of that name with other content is there: two uploads of one name are two documents, never one
    overwritten by the other. The same content again lands on its earlier copy (an unchanged document)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", path.name).lstrip(".") or "upload"
    stem, suffix = Path(name).stem, Path(name).suffix
    data = path.read_bytes()
    for n in range(1, 10_000):
        dest = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        if not dest.exists():
            dest.write_bytes(data)
            return dest
        if dest.read_bytes() == data:
            return dest
    raise UploadRefused(f"{name}: too many uploads of this name")
