"""An answer as HTML for the chat, built from the answer document's types (:mod:`medcite.answer`), never by parsing
its Markdown.

Every text comes from a document, a question or a model, so each is escaped where it enters the HTML; the only
markup is this module's own. Each ``[n]`` becomes a link carrying the turn, the number and the index of the
statement it follows (:class:`~medcite.ui.render.CiteRef`), which the passage view highlights.

    >>> from medcite.answer import Answer, BottomLine, Citation, Statement
    >>> cited = [Citation(1, "d1", "IVIG", "NIH", None, "")]
    >>> out = render_answer(Answer(question="q", bottom_line=[BottomLine((Statement("IVIG helps.", (1,)),))],
    ...                            citations=cited), 0)
    >>> out.refs  # the statement's marker, then the reference list's entry
    [CiteRef(n=1, sentence='IVIG helps'), CiteRef(n=1, sentence='')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from medcite.answer import Answer, Citation, Statement
from medcite.answer.markdown import (
    BROADER_LEAD,
    CONSIDERATIONS_LEAD,
    FILTERS_NOTICE,
    HELD_LEAD,
    NAMED_GAP,
    RESEARCH_BOTTOM_LEAD,
    SUGGESTION_LEAD,
    safe_url,
)
from medcite.qa.compose import source_name
from medcite.qa.safety import DISCLAIMER, NO_GUIDANCE_AFTER_TRIAGE, REFUSAL
from medcite.ui.render import ABSTAIN_HINT, CiteRef, RenderedAnswer, cite_link, esc, outbound_link, render_triage

_FINAL_PUNCT = re.compile(r"([.!?]+[\"'\u201d\u2019)\]]*)$")


class _Writer:
    def __init__(self, answer: Answer, turn: int) -> None:
        self.turn = turn
        self.known = {c.n for c in answer.citations}
        self.refs: list[CiteRef] = []

    def links(self, numbers: Sequence[int], sentence: str, tail: str = "") -> str:
        """The ``[n]`` links; the last one and ``tail`` (the sentence's final punctuation, escaped) in one unbreakable
        span, so that a line never starts with a lone full stop (seen on a 390 px screen)."""
        out = []
        for n in numbers:
            if n in self.known:
                self.refs.append(CiteRef(n, sentence))
                out.append(cite_link(self.turn, n, len(self.refs) - 1))
            else:
                out.append(cite_link(self.turn, n, -1, known=False))
        if out and tail:
            out[-1] = f"<span class=\"mc-last\">{out[-1]}{tail}</span>"
        elif tail:
            out.append(tail)
        return "".join(out)

    def statement(self, s: Statement) -> str:
        """The sentence, its markers before the final punctuation, which stays with them (no lone full stop); a list
        statement as its lead-in, markers and colon, then its items one a line."""
        if s.items:
            lead = " ".join(s.lead.split())
            rows = "".join(f"<span class=\"mc-item\">{esc(item)}</span>" for item in s.items)
            return (f"{esc(lead)} <span class=\"mc-cites\">{self.links(s.citations, lead, ':')}</span>"
                    f"<span class=\"mc-items\">{rows}</span>")
        text = " ".join(s.text.split())
        m = _FINAL_PUNCT.search(text)
        body, tail = (text[: m.start()].rstrip(), m.group(1)) if m else (text, "")
        sentence = body.strip(" .;,:\u2014-")
        return f"{esc(body)} <span class=\"mc-cites\">{self.links(s.citations, sentence, esc(tail))}</span>"

    def statements(self, items: Sequence[Statement]) -> str:
        return " ".join(self.statement(s) for s in items)

    def reference(self, c: Citation) -> str:
        title = " ".join((c.title or c.doc_id).split())
        parts = [esc(title if title.endswith((".", "?", "!", "\u2026")) else f"{title}.")]
        source = source_name(c.source)
        meta = ", ".join(str(x) for x in (source, c.year) if x)
        if meta:
            parts.append(esc(f"{meta}."))
        if c.snapshot:
            parts.append(f"<span class=\"mc-snapshot\">{esc(c.snapshot)}.</span>")
        elif c.evidence_label:
            parts.append(esc(f"{c.evidence_label}."))
        url = safe_url(c.url)
        link = f" {outbound_link(url)}" if url else ""
        self.refs.append(CiteRef(c.n, ""))
        return f"<li>{cite_link(self.turn, c.n, len(self.refs) - 1)} {' '.join(parts)}{link}</li>"


def _names(names: Sequence[str]) -> str:
    shown = [f"<strong>{esc(n)}</strong>" for n in names[:3]]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def suggestion_link(question: str, title: str) -> str:
    """A topic offered after a refusal, as a link the chat's script turns into that question."""
    return (f"<a class=\"mc-suggest\" href=\"#mc-ask-{quote(question, safe='')}\" title=\"Ask: {esc(question)}\">"
            f"{esc(title)}</a>")


def _refusal(answer: Answer, w: _Writer) -> list[str]:
    r = answer.refusal
    if r is not None and r.missing:
        names = _names(r.missing)
        out = [f"<p class=\"mc-abstain-lead\">{esc(REFUSAL)} {NAMED_GAP.format(names=names)}</p>"]
        if r.held:
            topics = "; ".join(suggestion_link(f"What is {t}?", t) for t in r.broader)
            out.append(f"<p class=\"mc-held\">{HELD_LEAD.format(names=names, topics=topics)} "
                       f"{w.statements(r.held)}</p>")
            if answer.citations:
                out.append("<h3 class=\"mc-h mc-h-refs\">References</h3>")
                out.append("<ul class=\"mc-refs\">" + "".join(w.reference(c) for c in answer.citations) + "</ul>")
        elif r.broader:
            out.append(f"<p>{BROADER_LEAD.format(names=names)} "
                       + "; ".join(suggestion_link(f"What is {t}?", t) for t in r.broader) + ".</p>")
        return out
    out = [f"<p class=\"mc-abstain-lead\">{esc(REFUSAL)}</p>"]
    if r is not None and r.suggestions:
        out.append(f"<p class=\"mc-suggestions\">{esc(SUGGESTION_LEAD)} "
                   + "; ".join(suggestion_link(s.question, s.title) for s in r.suggestions) + ".</p>")
    elif r is not None and r.hint:
        out.append(f"<p>{esc(r.hint)}</p>")
    return out


def _bottom_html(part, w: _Writer, several: bool) -> str:
    lead = f"<em class=\"mc-subq\">{esc(part.question)}</em> " if several and part.question else ""
    verdict = f"<strong class=\"mc-verdict\">{esc(part.verdict)}</strong> " if part.verdict else ""
    missing = f" {esc(part.unanswered)}" if part.unanswered else ""
    return f"{lead}{verdict}{w.statements(part.statements)}{missing}"


def _parts(answer: Answer, w: _Writer) -> list[str]:
    several = len(answer.bottom_line) > 1
    out = [f"<p class=\"mc-bottom mc-bottom-research\"><strong>{esc(RESEARCH_BOTTOM_LEAD)}</strong> "
           f"{_bottom_html(part, w, several)}</p>" for part in answer.bottom_line if part.source == "research"]
    out.append("<h3 class=\"mc-h\">From the Guidelines</h3>")
    for part in (p for p in answer.bottom_line if p.source != "research"):
        out.append(f"<p class=\"mc-bottom\">{_bottom_html(part, w, several)}</p>")
    if answer.considerations and any(p.source != "research" for p in answer.bottom_line):
        out.append(f"<p class=\"mc-lead\">{esc(CONSIDERATIONS_LEAD)}</p>")
        items = [f"<li>{f'<strong>{esc(c.facet)}</strong> — ' if c.facet else ''}{w.statements(c.statements)}</li>"
                 for c in answer.considerations]
        out.append("<ul class=\"mc-list\">" + "".join(items) + "</ul>")
    if not any(p.source != "research" for p in answer.bottom_line) and answer.part_notes.get("guidelines"):
        out.append(f"<p class=\"mc-note\">{esc(answer.part_notes['guidelines'])}</p>")
    out.append("<h3 class=\"mc-h\">From the Research</h3>")
    for facet in answer.research:
        out.append(f"<h4 class=\"mc-facet\">{esc(facet.heading)}</h4>")
        if facet.agreement:
            out.append(f"<p class=\"mc-agreement\">{esc(facet.agreement)}</p>")
        out.append("<ul class=\"mc-list\">" + "".join(f"<li>{w.statement(s)}</li>" for s in facet.statements)
                   + "</ul>")
    if not answer.research and answer.part_notes.get("research"):
        out.append(f"<p class=\"mc-note\">{esc(answer.part_notes['research'])}</p>")
    if answer.citations:
        out.append("<h3 class=\"mc-h mc-h-refs\">References</h3>")
        out.append("<ul class=\"mc-refs\">" + "".join(w.reference(c) for c in answer.citations) + "</ul>")
    return out


def render_answer(answer: Answer, turn: int) -> RenderedAnswer:
    """The answer as one safe HTML block: the triage notice first when flagged, notices, then the two parts and the
    references (or the refusal with its suggestions and a hint), then the disclaimer."""
    w = _Writer(answer, turn)
    out: list[str] = []
    flagged = answer.triage.flagged
    if flagged:
        out.append(render_triage(answer.triage))
    if answer.message:
        out.append(f"<p class=\"mc-note\">{esc(answer.message)}</p>")
    out += [f"<p class=\"mc-note\">{esc(n)}</p>" for n in answer.notices if n != answer.message]
    if answer.filters and not answer.message:
        out.append(f"<p class=\"mc-note mc-filters\">{esc(FILTERS_NOTICE.format(filters=answer.filters))}</p>")
    abstained = answer.abstained and not flagged  # for a flagged message the actions are the answer
    if answer.triage.withholds_answer or answer.message:
        pass
    elif flagged and answer.abstained:
        out.append(f"<p class=\"mc-note\">{esc(NO_GUIDANCE_AFTER_TRIAGE)}</p>")
    else:
        out += _refusal(answer, w) if answer.abstained else _parts(answer, w)
        if abstained:
            out.append(f"<p class=\"mc-abstain-hint\">{esc(ABSTAIN_HINT)}</p>")
        out.append(f"<p class=\"mc-disclaimer\">{esc(DISCLAIMER)}</p>")
    classes = "mc-answer mc-abstained" if abstained else "mc-answer"
    return RenderedAnswer(html=f"<div class=\"{classes}\">" + "".join(out) + "</div>", refs=w.refs)
