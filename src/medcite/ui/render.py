"""Passages, sources, triage notices and library statistics as HTML for the chat UI, and chats as Markdown (the
answer itself: :mod:`medcite.ui.answer_html`, from the answer's types).

Everything that comes from a document, a question or a model is escaped before it becomes HTML. Pure functions, no
Gradio import, so they are unit-tested alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from medcite.qa.compose import safe_url
from medcite.qa.safety import DISCLAIMER, TRIAGE_FOOTER
from medcite.triage import TriageResult

DISCLAIMER_FULL = DISCLAIMER
ABSTAIN_HINT = (
    "MedCite only answers from the documents in its library. You could rephrase the question, ask about one "
    "of the topics above, or look at the Library tab to see what it covers."
)
SEARCHING = "Searching the library\u2026"
WRITING = "Writing the answer\u2026"
VERIFYING = "Checking every sentence against its sources\u2026"

_WORD = re.compile(r"[a-z0-9]+")
_PMID = re.compile(r"^pubmed:(\d+)$")


def esc(text: Any) -> str:
    """``text`` as inert HTML text: ``<``, ``>``, ``&`` and both quotes become entities."""
    return html.escape("" if text is None else str(text), quote=True)


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


def topic_link(title: str, *, ask: bool = True) -> str:
    """A Library topic: asks "What is <topic>?" in the chat, or (``ask=False``, a research title) puts the title in
    the question box (the chat's script handles ``#mc-ask-`` and ``#mc-fill-``)."""
    title = " ".join(str(title).split())
    if ask:
        question = f"What is {title}?"
        return (f"<a class=\"mc-topic\" href=\"#mc-ask-{quote(question, safe='')}\" title=\"Ask: {esc(question)}\">"
                f"{esc(title)}</a>")
    return (f"<a class=\"mc-topic-research\" href=\"#mc-fill-{quote(title, safe='')}\" "
            f"title=\"Put this title in the question box\">{esc(title)}</a>")


def render_topics(topics: Mapping[str, Any]) -> str:
    """The Library's topics (:meth:`medcite.ui.context.UIContext.topics`): guideline topics as chips that ask
    about them, research titles as a list that fills the question box."""
    query = str(topics.get("query") or "")
    guideline = topics.get("guideline") or {"total": 0, "titles": []}
    research = topics.get("research") or {"total": 0, "titles": []}
    g_total, r_total = int(guideline["total"]), int(research["total"])
    if query:
        head = (f"{g_total:,} guideline topic{'s' if g_total != 1 else ''} and {r_total:,} research "
                f"article{'s' if r_total != 1 else ''} match \u201c{esc(query)}\u201d.")
    else:
        head = (f"The library holds {g_total:,} guideline topics and {r_total:,} research articles. Type to search "
                "them; select a topic to ask about it.")
    out = [f"<div class=\"mc-topics\"><p class=\"mc-topics-head\" role=\"status\">{head}</p>"]
    if guideline["titles"]:
        more = len(guideline["titles"]) < g_total
        label = f"Guideline topics{' (first ' + str(len(guideline['titles'])) + ')' if more else ''}"
        out.append(f"<h4>{esc(label)}</h4><ul class=\"mc-topic-list\">"
                   + "".join(f"<li>{topic_link(t)}</li>" for t in guideline["titles"]) + "</ul>")
    if research["titles"]:
        more = len(research["titles"]) < r_total
        label = f"Research articles{' (first ' + str(len(research['titles'])) + ')' if more else ''}"
        out.append(f"<h4>{esc(label)}</h4><ul class=\"mc-research-list\">"
                   + "".join(f"<li>{topic_link(t, ask=False)}</li>" for t in research["titles"]) + "</ul>")
    if query and not guideline["titles"] and not research["titles"]:
        out.append("<p class=\"mc-note\">Nothing in the library matches. Try a shorter word or another name.</p>")
    out.append("</div>")
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
    "render_error",
    "render_library",
    "render_passage",
    "render_question",
    "render_sources",
    "render_status",
    "render_triage",
    "render_streaming",
    "render_topics",
    "topic_link",
]
