"""HTML loader: the page's text only (never its markup), split into sections at h1-h3."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    PageElement,
    ProcessingInstruction,
    Tag,
)
from bs4.dammit import UnicodeDammit

from medcite.ingest.loaders.base import (
    MAX_TEXT_BYTES,
    Loader,
    LoaderError,
    LoadOptions,
    file_document,
    read_bytes,
    shorten,
    squash,
)
from medcite.types import Document

_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
# Page furniture and active content: never text of the document.
_DROP = (
    "script", "style", "nav", "noscript", "template", "iframe", "svg", "math", "canvas", "object", "embed",
    "form", "button", "select", "textarea", "input", "footer", "head",
)  # fmt: skip
_BLOCK = (
    "p", "div", "section", "article", "main", "header", "aside", "blockquote", "pre", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "caption", "ul", "ol", "dl", "dt", "dd", "address", "details",
    "summary", "hr", "h4", "h5", "h6",
)  # fmt: skip
# Private-use characters mark structure through get_text(); any in the input are removed first.
_PARA, _LINE, _CELL, _H_OPEN, _H_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
# What an element adds around its text: paragraph breaks for blocks, list and table layout.
_WRAP = {name: (_PARA, _PARA) for name in _BLOCK} | {
    "li": (f"{_LINE}- ", _LINE),
    "td": ("", _CELL),
    "th": ("", _CELL),
    "tr": ("", _LINE),
}
_MARKERS = re.compile("[\ue000-\ue004]")
_LINE_RUN = re.compile(f"(?:{_LINE} ?)+")
_BLANK_RUN = re.compile(r"\n{3,}")
_EMPTY_ITEM = re.compile(r"(?m)^- *\n+")
_HEADING = re.compile(f"{_H_OPEN}([123])([^{_H_CLOSE}]*){_H_CLOSE}")


class HTMLLoader(Loader):
    name = "html"
    extensions = (".html", ".htm", ".xhtml")

    def sniff(self, path: Path, head: bytes) -> bool:
        if b"\x00" in head:
            return False
        start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
        if _SNIFF.search(head[:1024]):
            return True
        return path.suffix.lower() in self.extensions and start.startswith(b"<")

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        data = read_bytes(path, MAX_TEXT_BYTES)
        if b"\x00" in data[:65536]:
            raise LoaderError(path, "binary data (NUL bytes), not HTML")
        markup = UnicodeDammit(data, is_html=True).unicode_markup
        if markup is None:
            raise LoaderError(path, "cannot determine the text encoding")
        title, parts = html_to_sections(markup)
        yield file_document(path, options, fmt=self.name, title=title, sections=parts)


def html_to_sections(markup: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(title, [(heading, text, label)]) from an HTML page; text outside any heading is headed "Text"."""
    soup = BeautifulSoup(_MARKERS.sub("", markup).replace("\x00", ""), "html.parser")
    title = _title(soup)
    root = soup.find("main") or _single(soup.find_all("article")) or soup.find("body") or soup
    flat = " ".join(_flatten(root).split())  # HTML whitespace is insignificant outside <pre>
    pieces = _HEADING.split(flat)  # [text, level, heading, text, level, heading, text, ...]
    parts = [("Text", _to_text(pieces[0]), "")]
    for i in range(1, len(pieces), 3):
        parts.append((pieces[i + 1].strip() or "Text", _to_text(pieces[i + 2]), ""))
    return title, parts


def _flatten(root: Tag) -> str:
    """The text under ``root`` with structure markers, skipping furniture and hidden elements.

    One pass with an explicit stack: mutating a bs4 tree (append, insert_after) costs time proportional to
    the nesting depth, so hostile nesting would make a tree-editing approach quadratic.
    """
    out: list[str] = []
    stack: list[PageElement | str] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, PageElement):
            out.append(node)  # a marker pushed below
        elif isinstance(node, NavigableString):
            if not isinstance(node, _NOT_TEXT):
                out.append(str(node))
        elif isinstance(node, Tag):
            name = node.name
            if name in _DROP or node.has_attr("hidden") or node.get("aria-hidden") == "true":
                continue
            if name in ("h1", "h2", "h3"):
                out.append(f"{_PARA}{_H_OPEN}{name[1]}{squash(node.get_text(' '))}{_H_CLOSE}{_PARA}")
            elif name == "pre":
                out.append(_PARA + node.get_text().replace("\n", _LINE) + _PARA)
            elif name == "br":
                out.append(_LINE)
            else:
                prefix, suffix = _WRAP.get(name, ("", ""))
                out.append(prefix)
                stack.append(suffix)
                stack.extend(reversed(node.contents))
    return "".join(out)


def _to_text(flat: str) -> str:
    text = _LINE_RUN.sub("\n", flat.replace(_CELL, " | ")).replace(_PARA, "\n\n")
    lines = [line.strip().strip("|").strip() for line in text.split("\n")]
    text = _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()
    return _EMPTY_ITEM.sub("- ", text)  # "<li><p>text</p></li>" puts the text after a paragraph break


def _title(soup: BeautifulSoup) -> str:
    """The first <h1> (a page's own name for itself), else <title> (often carries a site suffix)."""
    for name in ("h1", "title"):
        tag = soup.find(name)
        if tag is not None and (text := squash(tag.get_text(" "))):
            return shorten(text, 200)
    return ""


def _single(tags: list[Tag]) -> Tag | None:
    return tags[0] if len(tags) == 1 else None
