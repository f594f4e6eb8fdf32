"""Markdown loader: one document, split into sections at ``#``-``###`` headings, markup reduced to text."""

from __future__ import annotations

import re
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
    squash,
)
from medcite.types import Document

# Linear-time patterns only: the text is untrusted and lines may be megabytes long.
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SNIFF_HEADING = re.compile(rb"(?m)^#{1,3}[ \t]+\S")
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+)$", re.IGNORECASE)

_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,2000})?/?>")
_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\n]{1,500})\](?:\([^)\n]{0,2000}\)|\[[^\]\n]{0,200}\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]{1,2000})>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,500}?)(?<=\S)\1")
_EMPH_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,500}?)(?<=\S)\*(?![\w*])")
_EMPH_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,500}?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]{1,2000})`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_LIST_MARKER = re.compile(r"^[ \t]*[*+][ \t]+")
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]{1,500}\]:[ \t]*\S")
_HTML_BLOCKS = (("<!--", "-->"), ("<script", "</script"), ("<style", "</style"))
_RULE_CHARS = frozenset("-*_ \t")
_TABLE_RULE_CHARS = frozenset("|:- \t")


class MarkdownLoader(Loader):
    name = "markdown"
    extensions = (".md", ".markdown", ".mdown", ".mkd")
    fallback = True

    def sniff(self, path: Path, head: bytes) -> bool:
        if b"\x00" in head:
            return False
        if path.suffix.lower() in self.extensions:
            return True
        return not head.lstrip().startswith((b"<", b"{", b"[")) and bool(_SNIFF_HEADING.search(head))

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        text = decode_text(path, read_bytes(path, MAX_TEXT_BYTES))
        front_title, body = split_front_matter(text)
        parts = split_sections(body, strip_markup=True)
        first_heading = next((h for h, _, _ in parts if h), "")
        title = front_title or first_heading or first_line(body)
        sections = [(heading or "Text", part, "") for heading, part, _ in parts]
        yield file_document(path, options, fmt=self.name, title=title, sections=sections)


def split_front_matter(text: str) -> tuple[str, str]:
    """(title from a leading YAML front-matter block or "", the text without that block)."""
    lines = text.lstrip("\ufeff").split("\n", 200)
    if not lines or lines[0].strip() != "---":
        return "", text
    for end, line in enumerate(lines[1:200], start=1):
        if line.strip() in ("---", "..."):
            title = ""
            for meta in lines[1:end]:
                if match := _FRONT_TITLE.match(meta.strip()):
                    title = squash(match.group(1).strip("'\""))
                    break
            return title, "\n".join(lines[end + 1 :])
    return "", text


def split_sections(text: str, *, strip_markup: bool) -> list[tuple[str, str, int]]:
    """(heading, text, level) parts at ATX/setext headings of levels 1-3, outside fenced code.

    Text before the first heading has heading "" and level 0; parts without text are dropped. Deeper headings
    stay in the text as their own line. With ``strip_markup`` links, emphasis, code ticks and inline HTML are
    reduced to their text and hard-wrapped lines are joined; otherwise the text is kept as written.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (drop_html_blocks(text) if strip_markup else text).split("\n")
    parts: list[tuple[str, list[str], int]] = [("", [], 0)]
    fence = ""
    for line in lines:
        body = parts[-1][1]
        if fence:
            body.append(line)
            if line.strip().startswith(fence):
                fence = ""
            continue
        if match := _FENCE.match(line):
            fence = match.group(1)
            body.append(line)
            continue
        if match := _ATX.match(line):
            level = len(match.group(1))
            heading = squash((match.group(2) or "").rstrip("#"))
            if level <= 3 and heading:
                parts.append((heading, [], level))
            else:
                body.extend(["", heading, ""])
            continue
        setext = _SETEXT.match(line)
        if setext and body and body[-1].strip() and (len(body) == 1 or not body[-2].strip()):
            heading = squash(body.pop())
            parts.append((heading, [], 1 if setext.group(1)[0] == "=" else 2))
            continue
        body.append(line)

    out = []
    for heading, body, level in parts:
        block = _to_text(body) if strip_markup else "\n".join(body).strip()
        if strip_markup:
            heading = _inline(heading)
        if block:
            out.append((heading, block, level))
    return out


def _to_text(lines: list[str]) -> str:
    """Markdown body lines as plain text: paragraphs joined, list items on their own lines, code kept."""
    kept: list[str] = []
    fence = ""
    code: list[str] = []
    for line in lines:
        if fence:
            if line.strip().startswith(fence):
                kept.append("\n".join(code).strip("\n"))
                kept.append("")
                fence, code = "", []
            else:
                code.append(line)
            continue
        if match := _FENCE.match(line):
            fence, code = match.group(1), []
            kept.append("")
            continue
        stripped = line.strip()
        if _REF_DEF.match(line):
            continue
        if stripped and set(stripped) <= _RULE_CHARS and len(stripped.replace(" ", "")) >= 3:
            kept.append("")  # thematic break
            continue
        if "|" in stripped and set(stripped) <= _TABLE_RULE_CHARS and "---" in stripped:
            continue  # table header rule
        line = _QUOTE.sub("", line)
        line = _LIST_MARKER.sub("- ", line)
        kept.append(_inline(line))
    if code:  # unclosed fence: keep what it held
        kept.append("\n".join(code))
    return reflow("\n".join(kept))


def drop_html_blocks(text: str) -> str:
    """Remove HTML comments and <script>/<style> elements, content included (an unclosed one runs to the end).

    A linear scan with str.find rather than a lazy regex, which is quadratic on many unclosed openings.
    """
    lower = text.lower()
    if "<!--" not in lower and "<script" not in lower and "<style" not in lower:
        return text
    next_at = {opener: lower.find(opener) for opener, _ in _HTML_BLOCKS}
    out, pos = [], 0
    while True:
        for opener, at in next_at.items():
            if 0 <= at < pos:  # inside a block already removed: look again from here
                next_at[opener] = lower.find(opener, pos)
        found = [(at, opener) for opener, at in next_at.items() if at >= 0]
        if not found:
            break
        start, opener = min(found)
        out.append(text[pos:start])
        stop = lower.find(dict(_HTML_BLOCKS)[opener], start + len(opener))
        if stop < 0:
            return "".join(out)
        close_end = lower.find(">", stop)
        pos = len(text) if close_end < 0 else close_end + 1
    out.append(text[pos:])
    return "".join(out)


def _inline(text: str) -> str:
    """Inline Markdown reduced to its text: images to alt text, links to their words, no emphasis or HTML."""
    if not text:
        return text
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPH_STAR.sub(r"\1", text)
    text = _EMPH_UNDER.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text)
