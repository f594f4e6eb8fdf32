"""The one writer of an answer's layout: :func:`render` turns an :class:`~medcite.answer.document.Answer` into
Markdown (or, with ``escape=False``, the same layout for a terminal).

Layout::

    <triage block, when triage flagged the message>
    *notice* ...
    *Searched with filters: research only, 2010–2020.*  (when filters narrowed the search)
    **In short (from the research):** <verdict> <a study's conclusion>   (only when no guideline sentence answers)
    **From the Guidelines**
    <verdict> <bottom line: cited statements>            (one paragraph per question when several were asked)
    Key considerations:
    - **Facet** — statement [n]
    **From the Research**
    *Facet*
    <agreement line, when three or more studies bear on the facet>
    - statement [n]
    **References**
    - [n] Title. Source, Year. Evidence label (a research study: its snapshot). <url>
    *disclaimer*

Source text is escaped (``escape_markdown``) so it cannot inject links, HTML or emphasis; every ``[n]`` marker goes
before the sentence's final punctuation. Both engines' answers go through here; nothing else writes this layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medcite.answer.document import Answer, BottomLine
from medcite.types import Citation, Statement

GUIDELINES_HEADING = "**From the Guidelines**"
RESEARCH_HEADING = "**From the Research**"
REFERENCES_HEADING = "**References**"
CONSIDERATIONS_LEAD = "Key considerations:"
RESEARCH_BOTTOM_LEAD = "In short (from the research):"
FACET_SEPARATOR = " \u2014 "
SUGGESTION_LEAD = "The closest topics the library does cover:"
NAMED_GAP = "The library has no source on {names}."
BROADER_LEAD = "On the broader topic, not on {names}, the library does hold:"
HELD_LEAD = "On the broader topic, not on {names}, the library's pages on {topics} say:"
FILTERS_NOTICE = "Searched with filters: {filters}."

_MD_ESCAPE = re.compile(r"([\\`*_\[\]{}#|~])")
# No whitespace, quotes or brackets, and no control or bidi characters (an escape sequence in a terminal).
_SAFE_URL = re.compile("^https?://[^\\s<>\"'`\\\\\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+$", re.I)
_FINAL_PUNCT = re.compile(r"([.!]+[\"'\u201d\u2019)\]]*)$")


def escape_markdown(text: str) -> str:
    """Make source text inert in markdown: no HTML tags, links, images, code or emphasis.

    ``<``, ``>`` and ``&`` become entities; brackets, backslashes, backticks, ``*``, ``_``, ``#``,
    ``|``, ``~`` and braces are backslash-escaped; newlines become spaces.

    >>> escape_markdown("p<0.001 [1](javascript:x)")
    'p&lt;0.001 \\\\[1\\\\](javascript:x)'
    """
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_ESCAPE.sub(r"\\\1", text)


def plain(text: str) -> str:
    """Source text for a terminal: whitespace collapsed, nothing escaped (the CLI strips control characters)."""
    return " ".join(text.split())


def safe_url(url: str) -> str:
    """``url`` when it is a plain http(s) URL without characters that could break out of ``<...>``, else ""."""
    url = (url or "").strip()
    return url if _SAFE_URL.match(url) else ""


def cite_sentence(text: str, numbers: Sequence[int], *, escape=escape_markdown) -> str:
    """Escaped ``text`` with ``[n]`` markers placed before its final punctuation.

    >>> cite_sentence("IVIG helps.", [1, 2])
    'IVIG helps [1][2].'
    """
    markers = "".join(f"[{n}]" for n in numbers)
    body = escape(text)
    m = _FINAL_PUNCT.search(body)
    if m:
        return f"{body[: m.start()].rstrip()} {markers}{m.group(1)}"
    return f"{body} {markers}"


def format_reference(c: Citation, *, escape=escape_markdown) -> str:
    """``- [n] Title. Source, Year. Evidence label. <url>`` with every field escaped."""
    from medcite.qa.compose import source_name

    title = escape(" ".join((c.title or c.doc_id).split()))
    parts = [title if title.endswith((".", "?", "!", "\u2026")) else f"{title}."]
    source = escape(source_name(c.source))
    if source and c.year:
        parts.append(f"{source}, {c.year}.")
    elif source or c.year:
        parts.append(f"{source or c.year}.")
    if c.snapshot:  # a research study in one line: design, participants, population, year
        parts.append(f"{escape(c.snapshot)}.")
    elif c.evidence_label:
        parts.append(f"{escape(c.evidence_label)}.")
    url = safe_url(c.url)
    if url:
        parts.append(f"<{url}>")
    return f"- [{c.n}] " + " ".join(parts)


def names_markdown(names: Sequence[str], *, escape=escape_markdown) -> str:
    """``**a**``, ``**a** or **b**``, ``**a**, **b** or **c**`` (at most three)."""
    shown = [f"**{escape(n)}**" for n in names[:3]]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def cite_list(s: Statement, *, escape=escape_markdown, indent: str = "") -> str:
    """A list statement as its lead-in, the ``[n]`` markers and a colon, then one ``- item`` line each (``indent``
    before them inside a bullet), a blank line after the list when it stands in prose (``indent`` "").

    >>> from medcite.types import Statement
    >>> print(cite_list(Statement("Signs include: Fever; Rash.", (2,), lead="Signs include", items=("Fever", "Rash"))))
    Signs include [2]:
    <BLANKLINE>
    - Fever
    - Rash
    <BLANKLINE>
    <BLANKLINE>
    """
    markers = "".join(f"[{n}]" for n in s.citations)
    rows = "\n".join(f"{indent}- {escape(item)}" for item in s.items)
    return f"{escape(s.lead)} {markers}:\n{rows}" if indent else f"{escape(s.lead)} {markers}:\n\n{rows}\n\n"


def _sentences(statements: Sequence[Statement], escape, indent: str = "") -> str:
    out, after_list = "", False
    for s in statements:
        piece = (cite_list(s, escape=escape, indent=indent) if s.items
                 else cite_sentence(s.text, s.citations, escape=escape))
        if not out:
            out = piece
        elif after_list:  # prose: a new paragraph (the list ended with a blank line); a bullet: a line of its own
            out = f"{out}{piece}" if not indent else f"{out}\n{indent}{piece}"
        else:
            out = f"{out} {piece}"
        after_list = bool(s.items)
    return out.rstrip("\n") if indent else out.strip()


def _bottom_line(part: BottomLine, escape, several: bool) -> str:
    verdict = f"**{escape(part.verdict)}**" if part.verdict else ""
    text = " ".join(x for x in (verdict, _sentences(part.statements, escape)) if x)
    if part.unanswered:
        text = " ".join(x for x in (text, escape(part.unanswered)) if x)
    if several and part.question:
        return f"*{escape(part.question)}* {text}".strip()
    return text


def _parts(answer: Answer, escape) -> list[str]:
    lines: list[str] = []
    several = len(answer.bottom_line) > 1
    for part in answer.bottom_line:  # no guideline sentence answers: a study's conclusion, before both parts
        if part.source == "research":
            lines += [f"**{RESEARCH_BOTTOM_LEAD}** {_bottom_line(part, escape, several)}", ""]
    lines += [GUIDELINES_HEADING, ""]
    shown = [p for p in answer.bottom_line if p.source != "research" and (p.statements or p.unanswered or p.verdict)]
    if shown or answer.considerations:
        for part in shown:
            lines += [_bottom_line(part, escape, several), ""]
        if answer.considerations:
            lines.append(CONSIDERATIONS_LEAD)
            for item in answer.considerations:
                facet = f"**{escape(item.facet)}**{FACET_SEPARATOR}" if item.facet else ""
                lines.append(f"- {facet}{_sentences(item.statements, escape, indent='  ')}")
            lines.append("")
    if not shown and answer.part_notes.get("guidelines"):
        lines += [escape(answer.part_notes["guidelines"]), ""]
    lines += [RESEARCH_HEADING, ""]
    for facet in answer.research:
        lines.append(f"*{escape(facet.heading)}*")
        if facet.agreement:
            lines.append(escape(facet.agreement))
        lines += [f"- {_sentences([s], escape, indent='  ')}" for s in facet.statements]
        lines.append("")
    if not answer.research and answer.part_notes.get("research"):
        lines += [escape(answer.part_notes["research"]), ""]
    if answer.citations:
        lines += [REFERENCES_HEADING, ""]
        lines += [format_reference(c, escape=escape) for c in answer.citations]
        lines.append("")
    return ["\n".join(lines).strip()]


def _refusal(answer: Answer, escape) -> list[str]:
    from medcite.qa.safety import REFUSAL

    refusal = answer.refusal
    if refusal is None:
        return [REFUSAL]
    if refusal.missing:
        names = names_markdown(refusal.missing, escape=escape)
        out = [f"{REFUSAL} {NAMED_GAP.format(names=names)}"]
        topics = "; ".join(f"*{escape(t)}*" for t in refusal.broader)
        if refusal.held:
            out.append(f"{HELD_LEAD.format(names=names, topics=topics)} {_sentences(refusal.held, escape)}")
            out += [REFERENCES_HEADING + "\n\n" + "\n".join(format_reference(c, escape=escape)
                                                            for c in answer.citations)] if answer.citations else []
        elif refusal.broader:
            out.append(f"{BROADER_LEAD.format(names=names)} {topics}.")
        return out
    if refusal.suggestions:
        return [REFUSAL, f"{SUGGESTION_LEAD} " + "; ".join(f"*{escape(s.title)}*" for s in refusal.suggestions) + "."]
    return [REFUSAL, escape(refusal.hint)] if refusal.hint else [REFUSAL]


def render(answer: Answer, *, triage: bool = True, escape: bool = True) -> str:
    """The answer as Markdown: the triage block (unless ``triage=False``), notices, the parts or the refusal, the
    disclaimer. ``escape=False`` leaves source text as written (for a terminal, never for HTML)."""
    from medcite.qa.safety import DISCLAIMER, NO_GUIDANCE_AFTER_TRIAGE, triage_markdown

    esc = escape_markdown if escape else plain
    if answer.message:
        return answer.message
    notices = [f"*{esc(n)}*" for n in answer.notices]
    if answer.filters:
        notices.append(f"*{esc(FILTERS_NOTICE.format(filters=answer.filters))}*")
    flagged = answer.triage.flagged
    if answer.triage.withholds_answer:
        body = notices
    elif flagged and answer.abstained:
        body = [*notices, NO_GUIDANCE_AFTER_TRIAGE]
    else:
        parts = _refusal(answer, esc) if answer.abstained else _parts(answer, esc)
        body = [*notices, *parts, f"*{DISCLAIMER}*"]
    blocks = [triage_markdown(answer.triage)] if flagged and triage else []
    return "\n\n".join([*blocks, *body])
