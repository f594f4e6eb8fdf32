"""The answer document: an answer as typed parts, the one seam between the engines and everything that shows or
scores an answer.

Round 1 passed answers on as Markdown plus an untyped dict, and three readers (the chat's HTML renderer, the eval
runner, the LLM renderer) parsed the Markdown back, each with its own copy of the ``[n]`` grammar; two modules wrote
the layout. Now both engines build an :class:`Answer`; :mod:`medcite.answer.markdown` is the only writer of its
layout, the chat renders HTML from the types, the evals read :meth:`Answer.statements`, and ``ask --json`` writes
:meth:`Answer.to_dict` (:data:`SCHEMA`, documented in ``docs/answer-json.md``).

Parts, in reading order::

    notices                     how the question was read, what was trimmed, filters in force, ...
    bottom_line                 one BottomLine per question asked: an optional verdict, then cited statements
    considerations              guideline bullets, one facet each
    research                    research facets: statements ordered by evidence strength, an agreement line
    part_notes                  why a part is empty ("The library has no research passage on this question.")
    refusal                     instead of the parts: what is missing, what the library holds instead
    citations                   the reference list, numbered by first appearance

Example::

    >>> from medcite.types import Statement
    >>> a = Answer(question="What is IVIG?", bottom_line=[BottomLine((Statement("IVIG is ...", (1,)),))])
    >>> [s.text for s in a.statements()]
    ['IVIG is ...']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from medcite.triage.model import NO_TRIAGE, TriageResult
from medcite.types import Citation, Statement

if TYPE_CHECKING:
    from medcite.analysis import QuestionAnalysis

SCHEMA = "medcite.answer/2"


@dataclass(frozen=True)
class BottomLine:
    """The direct answer to one question: a verdict phrase from the engine's fixed set ("No.", "Not for all."), or
    none, then the statements that carry it. ``question`` names the sub-question when the message asked several."""

    statements: tuple[Statement, ...]
    verdict: str = ""
    question: str = ""
    unanswered: str = ""  # "The library does not say ..." for a sub-question no evidence answers
    source: str = "guideline"  # "research" when no guideline sentence answers and a study's conclusion does


@dataclass(frozen=True)
class Consideration:
    """One "Key considerations" bullet: a facet ("Dosing and Administration") and its statements."""

    facet: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class ResearchFacet:
    """One heading of the research part; ``agreement`` sums up the studies' directions when three or more bear on it."""

    heading: str
    statements: tuple[Statement, ...]
    agreement: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A topic the library does hold, offered after a refusal: its title and a question to ask about it."""

    title: str
    question: str


@dataclass(frozen=True)
class Refusal:
    """Why there is no answer: the names the library has no source on (a named gap), the titles it holds on the broader
    topic and what those say that bears on the question (``held``), or the closest topics it holds; ``hint`` when it
    holds nothing near."""

    missing: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    hint: str = ""
    # beside a named gap: what the library's pages on the held topic say that bears on the question, cited (no
    # verdict: the question is about the missing name); their references are the answer's ``citations``
    held: tuple[Statement, ...] = ()


@dataclass
class Answer:
    """A composed answer (see the module docstring); ``markdown`` and ``to_dict()`` are views of these parts."""

    question: str
    bottom_line: list[BottomLine] = field(default_factory=list)
    considerations: list[Consideration] = field(default_factory=list)
    research: list[ResearchFacet] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    part_notes: dict[str, str] = field(default_factory=dict)  # "guidelines" / "research" -> why the part is empty
    refusal: Refusal | None = None
    abstained: bool = False
    notices: list[str] = field(default_factory=list)
    retrieved: list[str] = field(default_factory=list)
    engine: str = "offline"
    triage: TriageResult = NO_TRIAGE
    analysis: QuestionAnalysis | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    verification: dict[str, Any] | None = None  # the LLM engine's check of each generated sentence
    message: str = ""  # a fixed reply that stands for the whole answer (an empty question)
    filters: str = ""  # the search filters in force, in words ("research only, 2010-2020"), "" when none
    decision: str = ""  # "yes" / "no" / "maybe" when the answer states a verdict on a yes/no question, else ""

    @property
    def emergency(self) -> bool:
        """Triage flagged the message (any level but "none"): ``triage`` says which."""
        return self.triage.flagged

    def statements(self) -> Iterator[Statement]:
        """Every shown statement, in reading order."""
        for part in self.bottom_line:
            yield from part.statements
        for item in self.considerations:
            yield from item.statements
        for facet in self.research:
            yield from facet.statements
        if self.refusal is not None:
            yield from self.refusal.held

    @property
    def markdown(self) -> str:
        """The whole answer as Markdown, the triage block first (:func:`medcite.answer.markdown.render`)."""
        from medcite.answer.markdown import render

        return render(self)

    @property
    def body_markdown(self) -> str:
        """``markdown`` without the triage block (what the chat shows below its own notice)."""
        from medcite.answer.markdown import render

        return render(self, triage=False)

    @property
    def text(self) -> str:
        """The answer for a terminal: the Markdown layout, with source text unescaped (``p<0.001``, not ``p&lt;``)."""
        from medcite.answer.markdown import render

        return render(self, escape=False)

    @property
    def sections(self) -> dict[str, Any]:
        """The parts as plain data (the ``sections`` of the JSON contract)."""
        from medcite.answer.contract import sections

        return sections(self)

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON contract (:data:`SCHEMA`)."""
        from medcite.answer.contract import to_dict

        return to_dict(self)
