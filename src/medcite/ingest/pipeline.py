"""The ingest pipeline: load -> hash against the ledger -> chunk -> embed -> write, idempotently."""

from __future__ import annotations

import logging
import os
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from medcite.corpus.library import Library
from medcite.embedding.model import Embedder
from medcite.ingest.chunking import Chunker, ChunkingConfig
from medcite.ingest.loaders import iter_files, load_file
from medcite.ingest.loaders.base import LoaderError, LoadOptions, has_lone_surrogate, origin_of
from medcite.ingest.manifest import find_manifest, load_manifest
from medcite.sanitize import clean_line, clean_text, printable
from medcite.settings import Settings
from medcite.types import Chunk, Document, Section

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What one ingest run did; printed as the summary and stored as the library's last ingest."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: int = 0  # unchanged documents whose vectors were missing from Chroma, re-embedded
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    skipped: list[str] = field(default_factory=list)  # records skipped inside readable files
    files: int = 0
    chunks_written: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def ingested(self) -> int:
        return self.added + self.updated + self.unchanged

    def summary(self) -> dict:
        data = asdict(self)
        data["failed"] = [{"file": f, "reason": r} for f, r in self.failed]
        data["seconds"] = round(self.seconds, 2)
        return data


Progress = Callable[[int], None]


def sanitized(doc: Document) -> Document:
    """``doc`` without control characters or bidi overrides in any field that reaches a terminal or a page."""

    def meta(value):
        if isinstance(value, str):
            return clean_line(value)
        if isinstance(value, dict):
            return {clean_line(str(k)): meta(v) for k, v in value.items()}
        if isinstance(value, list):
            return [meta(v) for v in value]
        return value

    sections = [Section(id=unicodedata.normalize("NFC", clean_line(s.id)), heading=clean_line(s.heading),
                        text=clean_text(s.text), label=clean_line(s.label)) for s in doc.sections]
    # NFC: an id typed on one system and read from a file name on another (NFD) is one document, not two.
    return replace(doc, id=unicodedata.normalize("NFC", clean_line(doc.id)), title=clean_line(doc.title),
                   source=clean_line(doc.source),
                   url=clean_line(doc.url), sections=sections, metadata=meta(doc.metadata))


def _same_origin(a: str, b: str) -> bool:
    """Origins name one file: equal, or equal once symlinks in the path are resolved (older libraries stored
    resolved paths)."""
    if a == b:
        return True
    try:
        return Path(a).is_absolute() and Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path


def shown_path(path: Path) -> str:
    """``path`` as text that can be stored and printed: bytes of a name that are not UTF-8 become ``\\xNN``."""
    text = str(path)
    return os.fsencode(text).decode("utf-8", "backslashreplace") if has_lone_surrogate(text) else text


class IngestPipeline:
    """Writes documents into a Library; unchanged documents (same content hash) cost only a hash."""

    def __init__(self, settings: Settings, library: Library, embedder: Embedder | None = None, *,
                 replace: bool = False) -> None:
        self.settings = settings
        self.library = library
        self.replace = replace  # let a document replace one of its id that came from elsewhere
        self.embedder = embedder or Embedder(settings)
        self._incomplete_files: set[str] = set()  # files with failures or skipped records: never pruned
        self.chunker = Chunker(
            ChunkingConfig(settings.chunk_tokens, settings.chunk_overlap_tokens, settings.embed_titles),
            self.embedder.count_tokens,
        )

    # Entry points ---------------------------------------------------------------------------------
    def ingest_paths(
        self,
        paths: list[Path],
        *,
        fmt: str | None = None,
        options: LoadOptions | None = None,
        manifest: Path | None = None,
        prune: bool = False,
        dry_run: bool = False,
        progress: Callable[[Iterable], Iterable] | None = None,
    ) -> IngestReport:
        report = IngestReport(dry_run=dry_run)
        started = time.perf_counter()
        roots = [Path(os.path.abspath(p.expanduser())) for p in paths]  # as named: origins are never resolved
        for root in roots:
            if not root.exists():
                what = "a symlink loop or a dangling symlink" if root.is_symlink() else "no such file or folder"
                raise FileNotFoundError(f"{what}: {printable(shown_path(root))}")
        rows = self._manifest_rows(roots, manifest)
        skipped_folders: list[str] = []

        def folder_skipped(path: Path, reason: str) -> None:
            report.failed.append((shown_path(path), reason))
            skipped_folders.append(origin_of(path))

        files = list(iter_files(roots, folder_skipped))
        report.files = len(files)
        failed_files: set[str] = set()

        def documents() -> Iterator[Document]:
            iterable = progress(files) if progress else files
            for path in iterable:
                docs = self._load_one(path, fmt, options, rows, roots, report)
                if docs is None:
                    failed_files.add(origin_of(path))
                    continue
                yield from docs

        if not dry_run:
            self.library.mark_ingest_started({"paths": [str(r) for r in roots], "started_at": time.time()})
        seen = self._write(documents(), report, dry_run=dry_run)
        if prune:
            self._prune(roots, seen, failed_files | self._incomplete_files, skipped_folders, report,
                        dry_run=dry_run)
        report.seconds = time.perf_counter() - started
        if not dry_run:
            self.library.record_ingest({"paths": [str(r) for r in roots], "finished_at": time.time(),
                                        **report.summary()})
        return report

    def ingest_documents(self, documents: Iterable[Document], *, dry_run: bool = False) -> IngestReport:
        """Ingest documents that come from elsewhere (e.g. live PubMed); no pruning."""
        report = IngestReport(dry_run=dry_run)
        started = time.perf_counter()
        if not dry_run:
            self.library.mark_ingest_started({"source": "documents", "started_at": time.time()})
        self._write(iter(documents), report, dry_run=dry_run)
        report.seconds = time.perf_counter() - started
        if not dry_run:
            self.library.record_ingest({"finished_at": time.time(), **report.summary()})
        return report

    # Loading ----------------------------------------------------------------------------------------
    def _manifest_rows(self, roots: list[Path], manifest: Path | None) -> dict[Path, dict]:
        rows: dict[Path, dict] = {}
        manifests = [manifest] if manifest else [m for r in roots if (m := find_manifest(r))]
        for path in manifests:
            rows.update(load_manifest(path))
        return rows

    def _load_one(
        self,
        path: Path,
        fmt: str | None,
        options: LoadOptions | None,
        rows: dict[Path, dict],
        roots: list[Path],
        report: IngestReport,
    ) -> list[Document] | None:
        opts = replace(options) if options else LoadOptions()
        opts.root = opts.root or next((r for r in roots if r.is_dir() and r in path.parents), path.parent)
        for key, value in rows.get(_resolved(path), {}).items():
            if value not in (None, ""):
                setattr(opts, key, value)

        shown = shown_path(path)

        def on_skip(reason: str) -> None:
            report.skipped.append(f"{shown}: {reason}")
            self._incomplete_files.add(origin_of(path))

        opts.on_skip = on_skip
        try:
            size_mb = path.stat().st_size / 1e6
            if size_mb > self.settings.max_file_mb:
                raise LoaderError(path, f"file is {size_mb:.0f} MB, over the {self.settings.max_file_mb:.0f} MB limit "
                                        "(MEDCITE_MAX_FILE_MB)")
            # A whole file is read before any of it is written: a file that fails half-way adds nothing.
            docs = list(load_file(path, fmt, opts))
        except LoaderError as exc:
            report.failed.append((shown, exc.reason))
            log.warning("skipped %s: %s", printable(shown), printable(exc.reason))
            return None
        except OSError as exc:
            report.failed.append((shown, f"cannot read: {exc.strerror or exc}"))
            return None
        for doc in docs:
            doc.origin = doc.origin or origin_of(path)
        return docs

    # Writing ----------------------------------------------------------------------------------------
    def _write(self, documents: Iterator[Document], report: IngestReport, *, dry_run: bool) -> set[str]:
        known = self.library.ledger.hashes()
        known_origins = self.library.ledger.origins()
        # The ledger alone cannot tell that Chroma lost vectors (moved aside, a fresh server): ask Chroma.
        missing_vectors = self.library.documents_missing_vectors() if known else set()
        moved: list[tuple[str, str]] = []  # unchanged documents now found elsewhere: (new origin, id)
        seen: dict[str, str] = {}  # id -> origin, to catch the same id from two places
        pending: list[tuple[Document, str]] = []
        for doc in documents:
            doc = sanitized(doc)
            if doc.id in seen:
                report.skipped.append(f"{doc.origin}: duplicate document id {doc.id} (first seen in {seen[doc.id]})")
                continue
            seen[doc.id] = doc.origin
            digest = doc.content_hash()
            stored = known.get(doc.id)
            if stored == digest and doc.id not in missing_vectors:
                report.unchanged += 1
                if known_origins.get(doc.id) != doc.origin:
                    moved.append((doc.origin, doc.id))
                continue
            if stored is not None and not self._may_replace(doc, known_origins.get(doc.id, ""), report):
                continue
            if stored == digest:
                report.repaired += 1
            elif stored is not None:
                report.updated += 1
            else:
                report.added += 1
            pending.append((doc, digest))
            if len(pending) >= self.settings.ingest_batch_documents:
                self._flush(pending, report, dry_run)
                pending = []
        if pending:
            self._flush(pending, report, dry_run)
        if moved and not dry_run:  # so that --prune of the new location knows these documents
            self.library.ledger.update_origins(moved)
        return set(seen)

    def _may_replace(self, doc: Document, stored_origin: str, report: IngestReport) -> bool:
        """Whether ``doc`` may replace the stored document of its id: only from the same origin, or with
        ``replace`` (--replace). Two files that claim one id must never silently overwrite each other."""
        if self.replace or not stored_origin or _same_origin(stored_origin, doc.origin):
            return True
        report.failed.append((doc.origin, f"id {doc.id} already holds a document from {stored_origin}: not "
                                          "replaced (give this one its own id in the file or a manifest, or pass "
                                          "--replace)"))
        self._incomplete_files.add(doc.origin)
        return False

    def _flush(self, pending: list[tuple[Document, str]], report: IngestReport, dry_run: bool) -> None:
        if dry_run:
            return
        items: list[tuple[Document, str, list[Chunk]]] = []
        for doc, digest in pending:
            items.append((doc, digest, self.chunker.chunk_document(doc)))
        existing = self.library.existing_vector_ids([doc.id for doc, _ in pending])
        # Chunk ids are content hashes: a chunk Chroma already holds (e.g. written before a crash) is kept.
        new_chunks = [c for _, _, chunks in items for c in chunks if c.id not in existing]
        vectors = self.embedder.embed_documents([c.embed_text for c in new_chunks])
        self.library.write(items, new_chunks, vectors, existing)
        report.chunks_written += sum(len(chunks) for _, _, chunks in items)
        report.chunks_embedded += len(new_chunks)

    def _prune(self, roots: list[Path], seen: set[str], failed_files: set[str], skipped_folders: list[str],
               report: IngestReport, *, dry_run: bool) -> None:
        """Remove documents that came from under these paths and are gone from them now.

        Documents of files that failed to load this time are kept, and so is everything under a folder that
        could not be read or was skipped (a symlink, EIO, a stale network mount): a broken file or folder
        must not empty the library.
        """
        kept = [Path(f) for f in skipped_folders]
        kept += [p for f in skipped_folders if (p := _resolved(Path(f))) != Path(f)]
        gone = []
        for doc_id, origin in self.library.ledger.origins().items():
            if doc_id in seen or origin in failed_files:
                continue
            origin_path = Path(origin)
            if any(origin_path == k or k in origin_path.parents for k in kept):
                continue
            if origin_path.is_absolute() and any(origin_path == r or r in origin_path.parents for r in roots):
                gone.append(doc_id)
        report.removed = len(gone)
        if gone and not dry_run:
            self.library.remove(gone)


def ingest_files(settings: Settings, paths: list[Path], *, kind: str | None = None,
                 embedder: Embedder | None = None) -> IngestReport:
    """Ingest the named files as one writer (the library's writer lock held throughout): the entry point for
    servers (the UI's upload), which never compose a Library and a pipeline themselves."""
    with Library(settings) as library:
        return IngestPipeline(settings, library, embedder).ingest_paths(
            paths, options=LoadOptions(kind=kind) if kind else None)

