"""The loader contract: one module per source format, registered by name and auto-detected."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as _defused_fromstring

from medcite.types import KINDS, Document, Kind, Section


class LoaderError(Exception):
    """A whole file could not be loaded; the message is the reason shown to the user."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass
class LoadOptions:
    """What the caller knows beyond the file itself (CLI flags or a manifest row)."""

    kind: Kind | None = None
    title: str | None = None
    source: str | None = None
    year: int | None = None
    url: str | None = None
    doc_id: str | None = None
    root: Path | None = None  # the folder the user named; ids of plain files are relative to it
    # Called with a reason for each record skipped inside an otherwise readable file
    # (e.g. one bad JSONL line).
    on_skip: Callable[[str], None] = field(default=lambda reason: None)


class Loader:
    """Base class: subclasses set ``name`` and ``extensions`` and implement ``sniff`` and ``load``."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()
    # True for formats that claim any readable prose (text, Markdown): detection prefers any other match.
    fallback: ClassVar[bool] = False

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the file looks like this format (``head`` is its first 4 KiB)."""
        raise NotImplementedError

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        """Yield the file's documents; raise LoaderError when the file cannot be read at all."""
        raise NotImplementedError


# Shared helpers for the loaders. Everything a file can throw at us ends as a LoaderError with a short reason.

MAX_FILE_BYTES = 256 * 1024 * 1024  # structured data (XML, JSON, PDF); an efetch batch of 10k articles fits
MAX_TEXT_BYTES = 32 * 1024 * 1024  # one prose document (text, Markdown, HTML); bigger is not a document

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# C0 controls but tab, newline, form feed and CR; DEL; Unicode line/paragraph separators (they split lines)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u2028\u2029]")
# JSON's "\ud800" escapes decode to lone surrogates, which no UTF-8 store (SQLite, Chroma) can hold
_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE = "invalid Unicode (a lone surrogate escape such as \\ud800)"
_HSPACE = re.compile(r"[^\S\n]+")
_BLANK_RUN = re.compile(r"\n{3,}")
_LIST_ITEM = re.compile(r"^(?:[-*+|\u2022]|\d{1,3}[.)])\s")  # list items and table rows


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; LoaderError when it is missing, unreadable, empty or larger than ``limit``."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise LoaderError(path, f"file too large ({size / 2**20:.1f} MiB; limit {limit // 2**20} MiB)")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise LoaderError(path, "no such file") from None
    except IsADirectoryError:
        raise LoaderError(path, "is a directory") from None
    except OSError as exc:
        raise LoaderError(path, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:  # grew while we looked
        raise LoaderError(path, f"file too large (over {limit // 2**20} MiB)")
    if not data:
        raise LoaderError(path, "empty file")
    return data


def decode_text(path: Path, data: bytes) -> str:
    """Decode text as UTF-8 (BOM allowed; UTF-16 with a BOM too).

    Invalid UTF-8 is an error, not a guess: silently replacing bytes would put garbage into cited text, and
    a legacy-encoded file is fixed once by re-saving it as UTF-8.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise LoaderError(path, "invalid UTF-16 text") from None
    else:
        if data.startswith(_UTF8_BOM):
            data = data[len(_UTF8_BOM) :]
        if b"\x00" in data:
            raise LoaderError(path, "binary data (NUL bytes), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LoaderError(
                path,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save it as UTF-8",
            ) from None
    if "\x00" in text:
        raise LoaderError(path, "binary data (NUL characters), not text")
    if not text.strip():
        raise LoaderError(path, "empty file (only whitespace)")
    return text


def has_lone_surrogate(value: object) -> bool:
    """True when any string in ``value`` (nested dicts, lists and tuples, keys included) holds a lone
    surrogate: text that cannot be encoded as UTF-8."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def squash(text: str) -> str:
    """All whitespace runs to one space, trimmed: for titles, headings and one-line values."""
    return " ".join(_CONTROL.sub(" ", text).split())


def clean_block(text: str) -> str:
    """Normalise a block of prose: one space between words, lines trimmed, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _CONTROL.sub(" ", text).replace("\u00a0", " ")
    text = "\n".join(_HSPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip()


def reflow(text: str) -> str:
    """Join hard-wrapped lines into paragraphs; list items keep their own line; blank lines end paragraphs."""
    paragraphs = []
    for block in clean_block(text).split("\n\n"):
        lines: list[str] = []
        for line in block.split("\n"):
            if lines and not _LIST_ITEM.match(line):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(p for p in paragraphs if p)


def shorten(text: str, limit: int = 120) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters plus an ellipsis."""
    text = squash(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:-") + "…"


def first_line(text: str) -> str:
    """The first non-blank line of ``text``, shortened for use as a title ("" when there is none)."""
    for line in text.split("\n"):
        if line.strip():
            return shorten(line)
    return ""


_MINOR_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"]
)


def heading_case(label: str) -> str:
    """'MATERIALS AND METHODS' -> 'Materials and Methods'; mixed-case labels are kept as written."""
    label = squash(label).rstrip(":")
    if not label.isupper():
        return label
    words = label.lower().split(" ")
    return " ".join(w if i and w in _MINOR_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def parse_year(value: object) -> int | None:
    """An int year from an int or a numeric string; None for None/""; ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"year must be a number, not {value!r}")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError(f"year must be a number, not {value!r}")
    if not 1000 <= value <= 2999:
        raise ValueError(f"year {value} is out of range")
    return value


def file_doc_id(path: Path, options: LoadOptions) -> str:
    """``options.doc_id``, else ``file:<path relative to options.root, else the file name>``, posix."""
    if options.doc_id:
        return options.doc_id
    rel: Path | None = None
    if options.root is not None:
        try:  # the path as named (a symlink inside the folder is a file of its own), not its target
            rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(options.root))
        except ValueError:
            rel = None
    if rel is None or not rel.parts:  # root is the file itself or does not contain it
        rel = Path(path.name)
    return "file:" + rel.as_posix()


def require_kind(path: Path, options: LoadOptions) -> Kind:
    """The kind for a free-form file, which only the caller can know."""
    if options.kind is None:
        raise LoaderError(
            path, "kind unknown: pass --kind guideline|research or list the file in corpus/manifest.csv"
        )
    if options.kind not in KINDS:
        raise LoaderError(path, f"kind must be one of {', '.join(KINDS)}, not {options.kind!r}")
    return options.kind


def number_sections(doc_id: str, parts: list[tuple[str, str, str]]) -> list[Section]:
    """Sections ``<doc_id>#s<i>`` from (heading, text, label) triples, dropping parts without text."""
    kept = [(h, t, lab) for h, t, lab in parts if t.strip()]
    return [Section(id=f"{doc_id}#s{i}", heading=h, text=t, label=lab) for i, (h, t, lab) in enumerate(kept)]


def file_document(
    path: Path,
    options: LoadOptions,
    *,
    fmt: str,
    title: str,
    sections: list[tuple[str, str, str]],
    metadata: dict[str, object] | None = None,
) -> Document:
    """A Document for a free-form file (PDF, Markdown, HTML, text): caller's options first, then the file."""
    kind = require_kind(path, options)
    doc_id = file_doc_id(path, options)
    numbered = number_sections(doc_id, sections)
    if not numbered:
        raise LoaderError(path, "no text found")
    return Document(
        id=doc_id,
        title=squash(options.title or "") or squash(title) or path.stem,
        kind=kind,
        source=options.source or "",
        sections=numbered,
        url=options.url or "",
        year=options.year,
        metadata={"format": fmt, "file": path.name, **(metadata or {})},
        origin=origin_of(path),
    )


def origin_of(path: Path) -> str:
    """Documents record the absolute path they came from, as named (a symlink is not resolved to its target),
    so re-ingesting a folder can prune what vanished from it."""
    return Path(os.path.abspath(path)).as_posix()


# XML: hardened parsing shared by the MedQuAD and PubMed loaders.

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def parse_xml(data: bytes, origin: str) -> Element:
    """The root element; LoaderError for malformed XML or any entity declaration (billion laughs, XXE)."""
    try:
        # A DOCTYPE is allowed (efetch output names the PubMed DTD) but never fetched; entities are refused.
        return _defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        reason = f"unsafe XML refused ({type(exc).__name__}): entity declarations are not allowed"
        raise LoaderError(origin, reason) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise LoaderError(origin, f"malformed XML: {_reason(exc)} (line {line}, column {column})") from None
    except RecursionError:
        raise LoaderError(origin, "XML nested too deeply") from None


def element_text(element: Element | None) -> str:
    """All text inside ``element``, inline markup (<i>, <sup>, ...) kept as its text; "" for None.

    Walks the tree with an explicit stack so hostile nesting cannot exhaust Python's recursion limit.
    """
    if element is None:
        return ""
    out: list[str] = []
    stack: list[Element | str] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if item.text:
            out.append(item.text)
        for child in reversed(list(item)):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
    return unescape_entities("".join(out))


def unescape_entities(text: str) -> str:
    """Decode entities left escaped twice in the source (``&amp;nbsp;`` arrives as ``&nbsp;``).

    Only complete ``&name;`` forms: ``html.unescape`` alone would also turn legacy bare names in prose
    (``&para`` in ``&part``) into symbols.
    """
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _reason(exc: ParseError) -> str:
    message = str(exc)
    return message.split(":", 1)[0] if ": line" in message else message
