"""Loader registry: format names, detection from content, loading with every failure as a LoaderError."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError

from medcite.ingest.loaders.base import LONE_SURROGATE, Loader, LoaderError, LoadOptions, has_lone_surrogate
from medcite.ingest.loaders.html import HTMLLoader
from medcite.ingest.loaders.jsonl import JSONLLoader
from medcite.ingest.loaders.markdown import MarkdownLoader
from medcite.ingest.loaders.medquad import MedQuADLoader
from medcite.ingest.loaders.pdf import PDFLoader
from medcite.ingest.loaders.pubmed_xml import PubMedXMLLoader, parse_pubmed_xml
from medcite.ingest.loaders.pubmedqa import PubMedQALoader
from medcite.ingest.loaders.text import TextLoader
from medcite.types import Document

__all__ = [
    "LOADERS",
    "Loader",
    "LoadOptions",
    "LoaderError",
    "detect_format",
    "iter_files",
    "load_file",
    "parse_pubmed_xml",
]

# Keyed by format name, in detection order: specific shapes first, plain text (which claims any prose) last.
LOADERS: dict[str, Loader] = {
    loader.name: loader
    for loader in (
        PubMedQALoader(),
        MedQuADLoader(),
        PubMedXMLLoader(),
        JSONLLoader(),
        PDFLoader(),
        HTMLLoader(),
        MarkdownLoader(),
        TextLoader(),
    )
}
SNIFF_BYTES = 4096
# Inside folders: files that document a data set rather than belong to it. Plain text and Markdown claim
# them (MedQuAD's readme.txt and LICENSE.txt, corpus/README.md), so without this rule they would be ingested
# as guidelines. A file named on the command line is always loaded.
SKIPPED_FILES = re.compile(
    r"^(?:readme|license|licence|copying|notice|changelog|authors|contributing|sources)(?:\.[\w-]+)?$"
    r"|^manifest\.csv$",
    re.IGNORECASE,
)


def detect_format(path: Path) -> str:
    """The format name for ``path`` from its first 4 KiB.

    Content decides; the extension only breaks ties between loaders that both claim the file.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise LoaderError(path, f"cannot read file: {exc.strerror or exc}") from None
    if not head:
        raise LoaderError(path, "empty file")
    matches = [name for name, loader in LOADERS.items() if _sniff(loader, path, head)]
    if not matches:
        raise LoaderError(path, f"unrecognised format; use --format one of {', '.join(LOADERS)}")
    # A specific signature (a PDF header, an XML root, a JSON shape) beats "this is readable prose".
    matches = [name for name in matches if not LOADERS[name].fallback] or matches
    suffix = path.suffix.lower()
    by_extension = [name for name in matches if suffix in LOADERS[name].extensions]
    return (by_extension or matches)[0]


def load_file(path: Path, fmt: str | None, options: LoadOptions) -> Iterator[Document]:
    """The documents in one file, detecting its format when ``fmt`` is None.

    Checks the format name, the file and detection at once (LoaderError from this call); loading errors
    surface while iterating, every one of them as LoaderError(path, short reason), so a bad file can never
    stop a batch.
    """
    path = Path(path)
    if fmt is not None and fmt not in LOADERS:
        raise LoaderError(path, f"unknown format {fmt!r}; use one of {', '.join(LOADERS)}")
    if has_lone_surrogate(str(path)):  # bytes that are not UTF-8 in a name: no id or origin could be stored
        raise LoaderError(path, "file name is not valid UTF-8; rename the file")
    try:
        if path.is_dir():
            raise LoaderError(path, "is a directory")
        if path.stat().st_size == 0:
            raise LoaderError(path, "empty file")
    except FileNotFoundError:
        raise LoaderError(path, "no such file") from None
    except OSError as exc:
        raise LoaderError(path, f"cannot read file: {exc.strerror or exc}") from None
    loader = LOADERS[fmt or detect_format(path)]
    return _guarded(path, loader, options)


SkipFolder = Callable[[Path, str], None]


def iter_files(paths: Iterable[Path], on_skip: SkipFolder | None = None) -> Iterator[Path]:
    """Files to load: files as given; folders expanded recursively in sorted order.

    Inside folders, hidden files and folders and SKIPPED_FILES (READMEs, licences, manifest.csv) are left
    out silently. Symlinked folders (no cycles), folders that cannot be read and file symlinks that lead out
    of the named folder are left out and reported to ``on_skip(path, reason)``: ingest counts them as
    failures and never prunes what was ingested from under them. Each file is yielded once; a missing path
    is yielded so that load_file reports it.
    """
    report = on_skip or (lambda path, reason: None)
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        candidates = _walk(given, report) if given.is_dir() else iter([given])
        for path in candidates:
            key = _resolved(path)
            if key not in seen:
                seen.add(key)
                yield path


def _walk(folder: Path, report: SkipFolder) -> Iterator[Path]:
    """Depth first, in name order, without recursion."""
    root = _resolved(folder)
    stack = [iter(_entries(folder, report))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif _is_dir(entry):
            if entry.is_symlink():
                report(entry, "symlinked folder, not followed")
            else:
                stack.append(iter(_entries(entry, report)))
        elif entry.is_symlink() and not _inside(_resolved(entry), root):
            report(entry, "symlink to a file outside the folder, not followed")
        else:
            yield entry


def _entries(folder: Path, report: SkipFolder) -> list[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        report(folder, f"cannot read folder: {exc.strerror or exc}")
        return []
    return [entry for entry in entries if _wanted(entry)]


def _wanted(entry: Path) -> bool:
    if entry.name.startswith("."):
        return False
    if _is_dir(entry):
        return True
    return entry.is_file() and not SKIPPED_FILES.match(entry.name)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a symlink loop, a name too long
        return False


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _guarded(path: Path, loader: Loader, options: LoadOptions) -> Iterator[Document]:
    try:
        for doc in loader.load(path, options):
            # Text no UTF-8 store can hold would fail the whole ingest at write time, not just this file.
            sections = [(s.id, s.heading, s.text, s.label) for s in doc.sections]
            if has_lone_surrogate((doc.id, doc.title, doc.source, doc.url, doc.metadata, sections)):
                raise LoaderError(path, LONE_SURROGATE)
            yield doc
    except LoaderError:
        raise
    except Exception as exc:  # every failure of one file becomes that file's LoaderError
        raise LoaderError(path, describe_error(exc)) from exc


def describe_error(exc: BaseException) -> str:
    """A short, human reason for an unexpected loader exception."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid {exc.encoding} text (byte offset {exc.start})"
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} (line {exc.lineno})"
    if isinstance(exc, ParseError):
        return f"malformed XML: {exc}"
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "too large to load into memory"
    if isinstance(exc, KeyError):
        return f"unexpected structure: missing {exc.args[0]!r}" if exc.args else "unexpected structure"
    if type(exc).__module__.startswith("pypdf"):
        return f"unreadable PDF: {_first_line(exc)}"
    return f"{type(exc).__name__}: {_first_line(exc)}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().split("\n", 1)[0] or "no detail"
    return text if len(text) <= 200 else text[:200] + "…"


def _sniff(loader: Loader, path: Path, head: bytes) -> bool:
    try:
        return bool(loader.sniff(path, head))
    except Exception:  # a sniff that trips over odd bytes simply does not match
        return False


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
