"""Answers, passages, sources and library statistics as HTML for the chat UI, and chats as Markdown.

Everything that comes from a document, a question or a model is escaped before it becomes HTML: the
answer's Markdown is parsed here (its small, known grammar: headings, paragraphs, bullets, ``**bold**``,
``*italic*``, ``[n]`` markers, ``<https://...>`` links, backslash escapes) into HTML built from escaped
text, never passed through as markup. Pure functions, no Gradio import, so they are unit-tested alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from medcite.qa.compose import safe_url
from medcite.qa.safety import DISCLAIMER, REFUSAL, TRIAGE_FOOTER
from medcite.triage import TriageResult

DISCLAIMER_FULL = DISCLAIMER
ABSTAIN_HINT = (
    "MedCite only answers from the documents in its library. You could rephrase the question, ask about one "
    "of the topics above, or look at the Library tab to see what it covers."
)
SEARCHING = "Searching the library\u2026"
WRITING = "Writing the answer\u2026"
VERIFYING = "Checking every sentence against its sources\u2026"

# The markers the answer engine writes: [1], [1, 2], [1-3], not escaped and not a markdown link.
_MARKER = re.compile(r"(?<!\\)\[(\s*\d+(?:\s*(?:[,;\u2013-]|\band\b)\s*\d+)*\s*)\](?!\()")
_INLINE = re.compile(
    r"(?P<esc>\\[\\`*_\[\]{}#|~()<>!.+-])"
    r"|(?P<strong>\*\*(?=\S)(?P<strong_body>.+?)(?<=\S)\*\*)"
    r"|(?P<em>(?<![\w*])\*(?=\S)(?P<em_body>[^*]+?)(?<=\S)\*(?![\w*]))"
    r"|(?P<marker>" + _MARKER.pattern + r")"
    r"|(?P<autolink><(?P<url>https?://[^\s<>]+)>)"
)
_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)\s+")
_WORD = re.compile(r"[a-z0-9]+")
_PMID = re.compile(r"^pubmed:(\d+)$")


def esc(text: Any) -> str:
    """``text`` as inert HTML text: ``<``, ``>``, ``&`` and both quotes become entities."""
    return html.escape("" if text is None else str(text), quote=True)


def _text(raw: str) -> str:
    """A run of answer markdown text (which may hold ``&lt;``-style entities) as escaped HTML."""
    return esc(html.unescape(raw))


def marker_numbers(body: str) -> list[int]:
    """The numbers of one marker's inside: ``"1, 2"`` -> [1, 2], ``"1-3"`` -> [1, 2, 3]."""
    parts = re.findall(r"\d+|[\u2013-]", body)
    out: list[int] = []
    i = 0
    while i < len(parts):
        if parts[i].isdigit():
            if i + 2 < len(parts) and parts[i + 1] in "-\u2013" and parts[i + 2].isdigit():
                lo, hi = int(parts[i]), int(parts[i + 2])
                out.extend(range(lo, hi + 1) if 0 <= hi - lo <= 50 else (lo, hi))
                i += 3
                continue
            out.append(int(parts[i]))
        i += 1
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------------------------------
# Answers
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CiteRef:
    """One ``[n]`` shown in an answer and the sentence it follows (what the passage view highlights)."""

    n: int
    sentence: str


@dataclass
class RenderedAnswer:
    html: str
    refs: list[CiteRef] = field(default_factory=list)


def cite_link(turn: int, n: int, ref: int, *, known: bool = True) -> str:
    """The clickable ``[n]``: ``#mc-ref-TURN-N-REF`` (REF indexes the turn's CiteRefs, -1: none)."""
    if not known:
        return f"<span class=\"mc-cite mc-cite-unknown\">[{n}]</span>"
    # The chat's sanitiser drops data-* attributes, so the reference travels in the fragment.
    return (f"<a class=\"mc-cite\" href=\"#mc-ref-{turn}-{n}-{ref}\" title=\"Show source {n}\">[{n}]</a>")


class _Inline:
    """Renders inline markdown of one block, collecting the sentence before each marker."""

    def __init__(self, turn: int, refs: list[CiteRef], known: set[int] | None) -> None:
        self.turn = turn
        self.refs = refs
        self.known = known
        self.pending: list[str] = []  # plain text since the last marker
        self.no_sentences = False  # in the reference list a marker names a source, not a sentence

    def sentence(self) -> str:
        if self.no_sentences:
            return ""
        text = " ".join("".join(self.pending).split())
        parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
        last = parts[-1] if parts else text
        return last.strip(" .;,:\u2014-")

    def render(self, raw: str, *, collect: bool = True) -> str:
        out: list[str] = []
        pos = 0
        for m in _INLINE.finditer(raw):
            if m.start() > pos:
                out.append(self._plain(raw[pos : m.start()], collect))
            pos = m.end()
            if m.group("esc"):
                out.append(self._plain(m.group("esc")[1], collect, unescape=False))
            elif m.group("strong"):
                # bold runs are labels ("Efficacy", headings): shown, but not part of the cited sentence
                out.append(f"<strong>{self.render(m.group('strong_body'), collect=False)}</strong>")
            elif m.group("em"):
                out.append(f"<em>{self.render(m.group('em_body'), collect=collect)}</em>")
            elif m.group("marker"):
                numbers = marker_numbers(m.group("marker")[1:-1])
                sentence = self.sentence()
                links = []
                for n in numbers:
                    known = self.known is None or n in self.known
                    ref = -1
                    if known:
                        self.refs.append(CiteRef(n, sentence))
                        ref = len(self.refs) - 1
                    links.append(cite_link(self.turn, n, ref, known=known))
                # The sentence's full stop stays with its citation, so a narrow screen never wraps it alone.
                tail = ""
                if pos < len(raw) and raw[pos] in ".,;:!?":
                    tail, pos = raw[pos], pos + 1
                out.append("<span class=\"mc-cites\">" + "".join(links) + tail + "</span>")
                self.pending = []
            elif m.group("autolink"):
                out.append(outbound_link(m.group("url")))
        if pos < len(raw):
            out.append(self._plain(raw[pos:], collect))
        return "".join(out)

    def _plain(self, raw: str, collect: bool, *, unescape: bool = True) -> str:
        text = html.unescape(raw) if unescape else raw
        if collect:
            self.pending.append(text)
        return esc(text)


def outbound_url(url: str, doc_id: str = "") -> str:
    """A safe http(s) link to the original: the document's URL, else its PubMed page; "" if neither."""
    url = safe_url(url)
    if url:
        return url
    m = _PMID.match(doc_id or "")
    return f"https://pubmed.ncbi.nlm.nih.gov/{m.group(1)}/" if m else ""


def link_label(url: str) -> str:
    host = re.sub(r"^https?://", "", url).split("/")[0].lower()
    if "pubmed" in host or "ncbi.nlm.nih.gov" in host:
        return "Open on PubMed"
    if host.endswith("nih.gov"):
        return "Open the NIH page"
    return f"Open on {host}" if host else "Open the source"


def outbound_link(url: str, label: str | None = None) -> str:
    url = safe_url(url)
    if not url:
        return ""
    text = label or link_label(url)
    return (
        f"<a class=\"mc-out\" href=\"{esc(url)}\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">"
        f"{esc(text)} \u2197</a>"
    )


def _blocks(markdown: str) -> list[list[str]]:
    """Blank-line separated blocks of lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in (markdown or "").replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


_FULL_STRONG = re.compile(r"^\*\*(?P<t>[^*].*?)\*\*:?$")
_FULL_EM = re.compile(r"^\*(?P<t>[^*].*?)\*$")
_ATX = re.compile(r"^(?P<h>#{1,6})\s+(?P<t>.+?)\s*#*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?P<t>.*)$")


def _list(lines: Sequence[str], inline: _Inline, cls: str) -> str:
    items = []
    for line in lines:
        inline.pending = []
        items.append(f"<li>{inline.render(_BULLET.match(line).group('t'))}</li>")
    return f"<ul class=\"{cls}\">" + "".join(items) + "</ul>"


def render_triage(triage: TriageResult) -> str:
    """A flagged message's notice, from the triage result itself: headline, then the actions in order.

    Self-harm risk gets the calmer ``mc-crisis`` style; every level is a live ``role="alert"`` region, and the
    chat's script scrolls it into view when it arrives (``ui/app.py``)."""
    if not triage.flagged:
        return ""
    cls = "mc-emergency mc-crisis" if triage.withholds_answer else "mc-emergency"
    icon = "\u2764" if triage.withholds_answer else "\u26a0"
    items = "".join(f"<li>{esc(a.text)}</li>" for a in triage.actions)
    footer = "" if triage.withholds_answer else f"<p class=\"mc-triage-footer\">{esc(TRIAGE_FOOTER)}</p>"
    return (f"<div class=\"{cls}\" role=\"alert\" data-level=\"{esc(triage.level)}\"><span "
            f"class=\"mc-emergency-icon\" aria-hidden=\"true\">{icon}</span><div><p class=\"mc-triage-head\">"
            f"<strong>{esc(triage.headline)}</strong></p><ul class=\"mc-triage-actions\">{items}</ul>{footer}"
            "</div></div>")


def render_answer(
    markdown: str,
    turn: int,
    *,
    citations: Iterable[int] | None = None,
    abstained: bool = False,
    triage: TriageResult | None = None,
) -> RenderedAnswer:
    """The answer's markdown as safe HTML with clickable ``[n]`` markers and styled notices.

    ``citations``: the numbers the answer's reference list holds (markers outside it are shown unlinked).
    ``triage``: a flagged message's triage result, rendered first (pass the answer's ``body_markdown`` then).
    """
    refs: list[CiteRef] = []
    known = set(citations) if citations is not None else None
    inline = _Inline(turn, refs, known)
    out: list[str] = []
    in_references = False
    for block in _blocks(markdown):
        first = block[0].strip()
        inline.pending = []
        heading = _FULL_STRONG.match(first) if len(block) == 1 else None
        atx = _ATX.match(first) if len(block) == 1 else None
        if heading or atx:
            title = (heading or atx).group("t")
            in_references = title.strip().lower() == "references"
            cls = "mc-h mc-h-refs" if in_references else "mc-h"
            out.append(f"<h3 class=\"{cls}\">{inline.render(title, collect=False)}</h3>")
            continue
        if first.startswith(REFUSAL):
            body = inline.render(" ".join(line.strip() for line in block))
            out.append(f"<p class=\"mc-abstain-lead\">{body}</p>")
            continue
        inline.no_sentences = in_references
        if all(_BULLET.match(line) for line in block):
            cls = "mc-refs" if in_references else "mc-list"
            out.append(_list(block, inline, cls))
            continue
        lead, rest = block[0], block[1:]
        em = _FULL_EM.match(first)
        if em and rest and all(_BULLET.match(line) for line in rest):  # "*Facet*" then its bullets
            out.append(f"<h4 class=\"mc-facet\">{inline.render(em.group('t'), collect=False)}</h4>")
            out.append(_list(rest, inline, "mc-list"))
            continue
        em = em if len(block) == 1 else None
        if em:
            text = em.group("t")
            plain = html.unescape(text.replace("\\", ""))
            if plain.strip() == DISCLAIMER:
                out.append(f"<p class=\"mc-disclaimer\">{esc(plain)}</p>")
            elif re.search(r"[.!?:]$", plain.strip()):
                out.append(f"<p class=\"mc-note\">{inline.render(text, collect=False)}</p>")
            else:
                out.append(f"<h4 class=\"mc-facet\">{inline.render(text, collect=False)}</h4>")
            continue
        if rest and all(_BULLET.match(line) for line in rest):  # "Key considerations:" then bullets
            out.append(f"<p class=\"mc-lead\">{inline.render(lead, collect=False)}</p>")
            out.append(_list(rest, inline, "mc-list"))
            continue
        out.append(f"<p>{inline.render(' '.join(line.strip() for line in block))}</p>")
    if triage is not None and triage.flagged:
        out.insert(0, render_triage(triage))
        abstained = False  # the triage actions are the answer: no "rephrase the question" hint
    if abstained:
        hint = f"<p class=\"mc-abstain-hint\">{esc(ABSTAIN_HINT)}</p>"
        at = next((i for i, part in enumerate(out) if part.startswith("<p class=\"mc-disclaimer\"")), len(out))
        out.insert(at, hint)
    classes = "mc-answer mc-abstained" if abstained else "mc-answer"
    # No blank lines inside: the chat component must see one HTML block, never markdown.
    return RenderedAnswer(html=f"<div class=\"{classes}\">" + "".join(out) + "</div>", refs=refs)


def render_question(question: str) -> str:
    """A user's message as escaped text (line breaks kept)."""
    lines = [esc(line) for line in (question or "").split("\n")]
    return "<div class=\"mc-question\">" + "<br>".join(lines) + "</div>"


def render_status(text: str = SEARCHING) -> str:
    return (f"<div class=\"mc-status\" role=\"status\"><span class=\"mc-dot\" aria-hidden=\"true\"></span>"
            f"{esc(text)}</div>")


def render_streaming(text: str, status: str = WRITING, triage: TriageResult | None = None) -> str:
    """Model text as it arrives: plain escaped text under a status line (verified answer replaces it); a flagged
    message's triage notice stays above it from the first moment."""
    paras = [p for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    body = "".join("<p>" + "<br>".join(esc(line) for line in p.strip().split("\n")) + "</p>" for p in paras)
    notice = render_triage(triage) if triage is not None else ""
    return f"<div class=\"mc-answer mc-streaming\">{notice}{render_status(status)}{body}</div>"


def render_error(message: str) -> str:
    return f"<div class=\"mc-answer\"><p class=\"mc-error\" role=\"alert\">{esc(message)}</p></div>"


# --------------------------------------------------------------------------------------------------
# Sources and passages
# --------------------------------------------------------------------------------------------------


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def kind_badge(kind: str) -> str:
    label = "Guideline" if kind == "guideline" else "Research"
    return f"<span class=\"mc-badge mc-badge-{esc(kind or 'research')}\">{label}</span>"


def citation_meta(c: Any) -> str:
    """``Source · Year · Evidence label`` of a citation, escaped."""
    parts = [str(_get(c, "source") or ""), str(_get(c, "year") or ""), str(_get(c, "evidence_label") or "")]
    return " \u00b7 ".join(esc(p) for p in parts if p)


def render_sources(citations: Sequence[Any], turn: int, refs: Sequence[CiteRef] = (), *,
                   answered: bool = False) -> str:
    """The references of the current answer, each opening its passage."""
    if not citations and answered:
        return ("<div class=\"mc-sources mc-empty\"><p>The latest answer quotes no sources: the library had no "
                "evidence for it.</p></div>")
    if not citations:
        return ("<div class=\"mc-sources mc-empty\"><p>The sources of an answer are listed here. Each "
                "<span class=\"mc-cite-sample\">[n]</span> in an answer opens the passage it quotes.</p></div>")
    first_ref = {}
    for i, r in enumerate(refs):
        first_ref.setdefault(r.n, i)
    items = []
    for c in citations:
        n = int(_get(c, "n"))
        url = outbound_url(_get(c, "url", ""), _get(c, "doc_id", ""))
        items.append(
            f"<li id=\"mc-src-{turn}-{n}\" class=\"mc-source\">{cite_link(turn, n, first_ref.get(n, -1))}"
            f"<div class=\"mc-source-body\"><div class=\"mc-source-title\">{esc(_get(c, 'title') or _get(c, 'doc_id'))}"
            f"</div><div class=\"mc-source-meta\">{kind_badge(_get(c, 'kind', 'research'))} {citation_meta(c)}</div>"
            f"{outbound_link(url) if url else ''}</div></li>"
        )
    return (f"<div class=\"mc-sources\"><p class=\"mc-sources-hint\">{len(items)} source"
            f"{'s' if len(items) != 1 else ''} quoted in the latest answer. Select a number to read the passage."
            f"</p><ol class=\"mc-source-list\">" + "".join(items) + "</ol></div>")


def _norm_words(text: str) -> list[str]:
    return _WORD.findall(html.unescape(text or "").lower())


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])[\"')\]]*\s+|\n+", text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def find_sentence(text: str, sentence: str, threshold: float = 0.5) -> tuple[int, int] | None:
    """The span of ``text`` that ``sentence`` quotes: an exact (whitespace-insensitive) match if there is
    one, else the sentence of ``text`` holding the largest share of its words (at least ``threshold``)."""
    sentence = " ".join((sentence or "").split()).strip(" .;,:")
    if not text or len(sentence) < 3:
        return None
    pattern = r"\s+".join(re.escape(w) for w in sentence.split())
    m = re.search(pattern, text, re.IGNORECASE)
    if m:
        return m.start(), m.end()
    want = set(_norm_words(sentence))
    if not want:
        return None
    best, best_score = None, 0.0
    for start, end in _sentence_spans(text):
        have = set(_norm_words(text[start:end]))
        score = len(want & have) / len(want)
        if score > best_score:
            best, best_score = (start, end), score
    return best if best_score >= threshold else None


def highlight(text: str, span: tuple[int, int] | None) -> str:
    """``text`` escaped, paragraphs kept, the span wrapped in ``<mark>``."""
    if span:
        start, end = span
        body = f"{esc(text[:start])}<mark class=\"mc-hl\">{esc(text[start:end])}</mark>{esc(text[end:])}"
    else:
        body = esc(text)
    paras = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    return "".join("<p>" + p.strip().replace("\n", "<br>") + "</p>" for p in paras)


def render_passage(citation: Any, chunks: Sequence[Any], sentence: str = "") -> str:
    """The passages a citation quotes, the cited sentence highlighted, with where they come from."""
    n = _get(citation, "n")
    url = outbound_url(_get(citation, "url", ""), _get(citation, "doc_id", ""))
    spans = [find_sentence(_get(ch, "text", ""), sentence) if sentence else None for ch in chunks]
    parts = []
    marked = False
    for chunk, span in zip(chunks, spans, strict=True):
        if marked:
            span = None
        marked = marked or span is not None
        section = _get(chunk, "section") or ""
        heading = f"<div class=\"mc-passage-section\">{esc(section)}</div>" if section else ""
        parts.append(f"<blockquote class=\"mc-passage-text\">{heading}{highlight(_get(chunk, 'text', ''), span)}"
                     f"</blockquote>")
    if not parts:
        parts.append("<p class=\"mc-note\">The passage is no longer in the library (it may have been updated "
                     "since this answer); the link below opens the original.</p>")
    cited = (f"<p class=\"mc-passage-cited\"><span>Cited for:</span> \u201c{esc(sentence)}\u201d</p>"
             if sentence else "")
    return (
        f"<div class=\"mc-passage\" data-n=\"{esc(n)}\"><div class=\"mc-passage-head\">"
        f"<span class=\"mc-passage-n\">[{esc(n)}]</span><div><div class=\"mc-passage-title\">"
        f"{esc(_get(citation, 'title') or _get(citation, 'doc_id'))}</div><div class=\"mc-source-meta\">"
        f"{kind_badge(_get(citation, 'kind', 'research'))} {citation_meta(citation)}</div></div></div>"
        f"{cited}{''.join(parts)}{outbound_link(url) if url else ''}"
        "<a class=\"mc-back\" href=\"#mc-chat\">\u2191 Back to the chat</a></div>"
    )


PASSAGE_PLACEHOLDER = (
    "<div class=\"mc-passage mc-empty\"><p>Select a citation number such as "
    "<span class=\"mc-cite-sample\">[1]</span> in an answer to read the passage it quotes, with the cited "
    "sentence highlighted.</p></div>"
)


# --------------------------------------------------------------------------------------------------
# Library statistics
# --------------------------------------------------------------------------------------------------


def _table(title: str, rows: Iterable[tuple[Any, ...]], headers: Sequence[str]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return (f"<section class=\"mc-lib-table\"><h4>{esc(title)}</h4><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></section>")


def _when(ts: Any) -> str:
    try:
        return datetime.fromtimestamp(float(ts), UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (TypeError, ValueError, OverflowError, OSError):
        return ""


def render_library(stats: Mapping[str, Any], breakdown: Mapping[str, Any] | None = None) -> str:
    """What the library holds: totals, and documents and chunks by source, kind and year."""
    breakdown = breakdown or {}
    docs, chunks = stats.get("documents", 0), stats.get("chunks", 0)
    kinds = stats.get("by_kind", {}) or {}
    years = stats.get("years", {}) or {}
    span = ""
    if years.get("min") and years.get("max"):
        span = f"{years['min']}\u2013{years['max']}"
    cards = [
        ("Documents", f"{docs:,}"),
        ("Passages (chunks)", f"{chunks:,}"),
        ("Guidelines", f"{kinds.get('guideline', 0):,}"),
        ("Research articles", f"{kinds.get('research', 0):,}"),
    ]
    if span:
        cards.append(("Research years", span))
    out = ["<div class=\"mc-library\"><div class=\"mc-cards\">"]
    out += [f"<div class=\"mc-card\"><div class=\"mc-card-value\">{esc(v)}</div>"
            f"<div class=\"mc-card-label\">{esc(k)}</div></div>" for k, v in cards]
    out.append("</div>")
    last = stats.get("last_ingest")
    if isinstance(last, Mapping):
        when = _when(last.get("finished_at"))
        bits = [f"{last[k]:,} {k}" for k in ("added", "updated", "removed", "failed")
                if isinstance(last.get(k), int)]
        out.append(f"<p class=\"mc-lib-last\">Last ingest: {esc(when or 'unknown time')}"
                   f"{esc(' (' + ', '.join(bits) + ')') if bits else ''}.</p>")
    else:
        out.append("<p class=\"mc-lib-last\">Last ingest: not recorded.</p>")
    if stats.get("incomplete_documents"):
        out.append(f"<p class=\"mc-note\">{esc(stats['incomplete_documents'])} documents are being updated "
                   "(an ingest is running or was interrupted).</p>")
    out.append("<div class=\"mc-lib-grid\">")
    by_source = breakdown.get("by_source") or [(s, n, "") for s, n in (stats.get("by_source") or {}).items()]
    out.append(_table("By source", by_source, ("Source", "Documents", "Passages")))
    by_kind = breakdown.get("by_kind") or [
        ("Guideline" if k == "guideline" else "Research", n, (stats.get("chunks_by_kind") or {}).get(k, ""))
        for k, n in kinds.items()
    ]
    out.append(_table("By kind", by_kind, ("Kind", "Documents", "Passages")))
    by_year = breakdown.get("by_year")
    if by_year:
        out.append(_table("By year", by_year, ("Year", "Documents", "Passages")))
    out.append("</div></div>")
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------


def conversation_markdown(turns: Sequence[Mapping[str, Any]], *, title: str = "MedCite conversation") -> str:
    """The chat as Markdown: each question as a heading, then the answer exactly as the engine wrote it."""
    lines = [f"# {title}", ""]
    for i, turn in enumerate(turns, 1):
        question = " ".join(str(turn.get("question", "")).split())
        lines += [f"## {i}. {question}", "", str(turn.get("markdown", "")).strip(), ""]
    if not turns:
        lines += ["(No questions yet.)", ""]
    return "\n".join(lines)


__all__ = [
    "ABSTAIN_HINT",
    "PASSAGE_PLACEHOLDER",
    "SEARCHING",
    "CiteRef",
    "RenderedAnswer",
    "conversation_markdown",
    "esc",
    "find_sentence",
    "highlight",
    "outbound_url",
    "render_answer",
    "render_error",
    "render_library",
    "render_passage",
    "render_question",
    "render_sources",
    "render_status",
    "render_triage",
    "render_streaming",
]
