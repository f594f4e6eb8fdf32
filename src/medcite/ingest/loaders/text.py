"""Plain-text loader: one document, its paragraphs in one section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from medcite.ingest.loaders.base import (
    MAX_TEXT_BYTES,
    Loader,
    LoadOptions,
    decode_text,
    file_document,
    first_line,
    read_bytes,
    reflow,
)
from medcite.types import Document

# Text-like files that are data or code, not prose: never claimed by content alone.
_DATA_EXTENSIONS = (".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".xml", ".yaml", ".yml", ".toml", ".ini")
_CODE_EXTENSIONS = (".cfg", ".py", ".js", ".css", ".sh", ".sql", ".log", ".lock")
_NOT_PROSE = frozenset(_DATA_EXTENSIONS + _CODE_EXTENSIONS)


class TextLoader(Loader):
    name = "text"
    extensions = (".txt", ".text")
    fallback = True

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in _NOT_PROSE:
            return False
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
            return True
        if b"\x00" in head:
            return False
        head = head.removeprefix(b"\xef\xbb\xbf")
        if head.lstrip().startswith((b"<", b"{")):  # markup or JSON of a shape no loader knows
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # the 4 KiB cut may split a multi-byte character; anything earlier is not UTF-8 text
            return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
        return True

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        text = decode_text(path, read_bytes(path, MAX_TEXT_BYTES))
        sections = [("Text", reflow(text), "")]
        yield file_document(path, options, fmt=self.name, title=first_line(text), sections=sections)
