"""PDF loader (pypdf): the text of all pages as one flow, split at heading-like lines when it has them."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from medcite.ingest.loaders.base import (
    Loader,
    LoaderError,
    LoadOptions,
    file_document,
    first_line,
    read_bytes,
    reflow,
    squash,
)
from medcite.types import Document

MAX_PAGES = 2000  # a guideline runs to a few hundred pages; beyond this it is not one document
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-\n(?=[a-z])")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
# "2.1 Dosing in children"; "3 Recommendations", "II. Methods"
_SUBSECTION_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+[A-Z][^.!?;:]*$")
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}\.?|[IVX]{1,5}\.)\s+[A-Z][^.!?;:]*$")
_MINOR = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})
_KNOWN_HEADINGS = frozenset(
    {
        "abstract", "summary", "executive summary", "introduction", "background", "scope", "purpose",
        "objectives", "methods", "methodology", "results", "findings", "discussion", "conclusion",
        "conclusions", "recommendations", "summary of recommendations", "key recommendations",
        "diagnosis", "treatment", "management", "dosing", "dosage", "monitoring", "follow-up",
        "contraindications", "adverse effects", "side effects", "references", "acknowledgements",
        "acknowledgments", "appendix", "glossary", "definitions", "limitations",
    }
)  # fmt: skip
_USELESS_TITLES = re.compile(r"^(?:untitled|microsoft word\b|document\d*$|\S+\.(?:docx?|pdf|tex)$)", re.I)


class PDFLoader(Loader):
    name = "pdf"
    extensions = (".pdf",)

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]  # the spec lets the header follow some junk

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        from pypdf import PdfReader  # late: only PDF users pay for importing it
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about sloppy files are noise here
        data = read_bytes(path)
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    decrypted = reader.decrypt("")
                except DependencyError:
                    reason = "encrypted PDF (AES; opening it needs the 'cryptography' package)"
                    raise LoaderError(path, reason) from None
                if not decrypted:
                    raise LoaderError(path, "encrypted PDF (a password is needed to open it)")
            if len(reader.pages) > MAX_PAGES:
                raise LoaderError(path, f"PDF has {len(reader.pages)} pages; the limit is {MAX_PAGES}")
            pages = [page.extract_text() or "" for page in reader.pages]
            meta_title = squash(str(reader.metadata.title or "")) if reader.metadata else ""
        except FileNotDecryptedError:
            raise LoaderError(path, "encrypted PDF (a password is needed to open it)") from None
        except PdfReadError as exc:
            raise LoaderError(path, f"unreadable PDF: {exc}") from None
        if not any(page.strip() for page in pages):
            raise LoaderError(path, "no extractable text (scanned PDF?)")

        text = pdf_text(pages)
        title = meta_title if meta_title and not _USELESS_TITLES.match(meta_title) else first_line(text)
        sections = split_headings(text)
        yield file_document(
            path, options, fmt=self.name, title=title, sections=sections, metadata={"pages": len(pages)}
        )


def pdf_text(pages: list[str]) -> str:
    """Pages joined into one flow: running headers/footers and page numbers removed, end-of-line hyphens
    rejoined ("treat-\\nment" -> "treatment"; a lower-case letter must follow, so "COVID-\\n19" stays)."""
    page_lines = [[squash(line) for line in page.replace("\r", "\n").split("\n")] for page in pages]
    page_lines = [[line for line in lines if line] for lines in page_lines]
    repeated = _running_lines(page_lines)
    kept = []
    for lines in page_lines:
        last = len(lines) - 1
        for i, line in enumerate(lines):
            # page numbers sit at a page's top or bottom; a bare number elsewhere may be a table cell
            page_number = (i < 2 or i > last - 2) and _PAGE_NUMBER.match(line)
            if line not in repeated and not page_number:
                kept.append(line)
    return _HYPHEN_BREAK.sub("", "\n".join(kept))


def split_headings(text: str) -> list[tuple[str, str, str]]:
    """(heading, text, label) parts at lines that look like headings; one "Text" part when none do."""
    parts: list[tuple[str, list[str]]] = [("Text", [])]
    for line in text.split("\n"):
        if _is_heading(line):
            parts.append((line.rstrip(":"), []))
        else:
            parts[-1][1].append(line)
    out = [(heading, reflow("\n".join(lines)), "") for heading, lines in parts]
    return [part for part in out if part[1]]


def _is_heading(line: str) -> bool:
    """Conservative: a short line without sentence punctuation that is numbered ("2.1 Dosing"), a common
    section name ("Recommendations"), or set in capitals ("TREATMENT OF ACUTE ATTACKS")."""
    if not 3 <= len(line) <= 80 or line[-1] in ".,;!?" or not any(c.isalpha() for c in line):
        return False
    if line.rstrip(":").lower() in _KNOWN_HEADINGS:
        return True
    words = line.split()
    if _SUBSECTION_HEADING.match(line) and len(words) <= 10:
        return True
    if _NUMBERED_HEADING.match(line) and len(words) <= 7:
        # a numbered list item ("1. Take with water") is in sentence case; a heading in title case
        capitalised = sum(1 for w in words[1:] if w[0].isupper() or w.lower() in _MINOR)
        return capitalised == len(words) - 1
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and line.isupper() and len(words) <= 8


def _running_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines that open or close at least half of the pages (3 pages or more): running headers and footers."""
    if len(page_lines) < 3:
        return set()
    edges: Counter[str] = Counter()
    for lines in page_lines:
        edges.update({*lines[:2], *lines[-2:]})
    return {line for line, n in edges.items() if n >= max(3, len(page_lines) // 2)}
