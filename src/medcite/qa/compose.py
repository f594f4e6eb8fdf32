"""Composing an answer from ranked evidence: the two parts, numbered citations and references, as the answer
document's types (:mod:`medcite.answer`; its Markdown view writes this layout)::

    **From the Guidelines**
    <bottom line: the 1-3 most direct guideline sentences, each cited>
    Key considerations:
    - **Facet** — sentence [n]
    **From the Research**
    *Facet*
    - sentence [n]
    **References**
    - [n] Title. Source, Year. Evidence label. <url>

Citation numbers are given per answer by first appearance, one number per document.  Every sentence
is quoted from its passage (whitespace collapsed; an over-long one may be cut at a clause boundary and
closed with a period); the marker goes before its final punctuation.  Source text is escaped so it
cannot inject links, HTML or emphasis into the rendered answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from medcite.answer.document import BottomLine, Consideration, ResearchFacet
from medcite.answer.markdown import (  # noqa: F401 - the layout's constants and escaping, re-exported
    CONSIDERATIONS_LEAD,
    FACET_SEPARATOR,
    GUIDELINES_HEADING,
    REFERENCES_HEADING,
    RESEARCH_HEADING,
    cite_sentence,
    escape_markdown,
    format_reference,
    safe_url,
)
from medcite.qa.decision import agreement_line, finding_direction, sentence_stance
from medcite.qa.evidence import Evidence, EvidenceSet
from medcite.qa.plan import (  # noqa: F401 - re-exported
    FocusRank,
    Limits,
    Plan,
    Similarity,
    _norm,
    _reading_order,
    choose_bottom_line,
    plan_answer,
    research_bottom_line,
)
from medcite.qa.references import (  # noqa: F401 - re-exported
    GUIDELINE_EVIDENCE_LABEL,
    GUIDELINE_EVIDENCE_LABELS,
    RESEARCH_EVIDENCE_LABEL,
    SOURCE_NAMES,
    STUDY_DESIGN_LABELS,
    CitationRegistry,
    evidence_label,
    parse_citation_numbers,
    source_name,
    strip_invalid_citations,
)
from medcite.qa.studies import Study
from medcite.qa.verdicts import Stated, asks_yes_no, verdict_for
from medcite.types import Citation, Passage, Statement

NO_GUIDELINE_PASSAGE = "The library has no guideline passage on this question."
NO_RESEARCH_PASSAGE = "The library has no research passage on this question."
NO_GUIDELINE_EVIDENCE = "The guideline passages found do not address this question directly."
NO_RESEARCH_EVIDENCE = "The research passages found do not address this question directly."
PART_NOTES: frozenset[str] = frozenset(
    {NO_GUIDELINE_PASSAGE, NO_RESEARCH_PASSAGE, NO_GUIDELINE_EVIDENCE, NO_RESEARCH_EVIDENCE}
)

# --------------------------------------------------------------------------------------------------
# The answer's parts
# --------------------------------------------------------------------------------------------------


def _statement(e: Evidence, registry: CitationRegistry) -> Statement:
    nums, chunk_ids = registry.cite((e.passage_index, *e.also_in))
    return Statement(text=e.text, citations=nums, chunk_ids=chunk_ids, facet=e.facet,
                     span=quote_span(e.chunk.text, e.verbatim), lead=e.lead, items=e.items)


def quote_span(text: str, sentence: str) -> tuple[int, int] | None:
    """Where ``sentence`` stands in ``text``, whitespace-insensitively (sentences are quoted with whitespace collapsed).

    >>> quote_span("IVIG is given.  It is   safe.", "It is safe.")
    (16, 29)
    """
    start = text.find(sentence)
    if start >= 0:
        return start, start + len(sentence)
    words = sentence.split()
    m = re.search(r"\s+".join(re.escape(w) for w in words), text) if words else None
    return (m.start(), m.end()) if m else None


@dataclass
class Composition:
    """The parts of a composed (non-abstaining) answer, as the answer document's types."""

    bottom_line: list[BottomLine]
    considerations: list[Consideration]
    decision: str  # yes / no / maybe for a yes/no question (the verdict in PubMedQA's terms), else ""
    research: list[ResearchFacet]
    citations: list[Citation]
    notes: dict[str, str]


UNANSWERED = "The library's sources do not answer this part."
RESEARCH_ONLY_BOTTOM = "The study quoted above is what the library's research says on this question."
RESEARCH_NONE = "The library holds no study on {focus}."


def _research_held(passages: Sequence[Passage], studies: Mapping[str, Study], focus: Sequence[str] = (),
                   focus_rank: FocusRank | None = None) -> str:
    """The note for research passages that do not address the question: it says so and, when the question has a
    focus the library's research never takes up, says that too ("The library holds no study on toxoplasmosis.").
    Unrelated studies are never listed: a blind read counted "its nearest study is about another question: ..." as
    one more irrelevant sentence in every answer that had it."""
    if not focus or focus_rank is None:
        return NO_RESEARCH_EVIDENCE
    names = " or ".join(dict.fromkeys(focus[:2]))
    if any(p.chunk.kind != "guideline" and focus_rank(p.chunk, p.chunk.text) <= 1 for p in passages):
        return NO_RESEARCH_EVIDENCE
    return f"{NO_RESEARCH_EVIDENCE} {RESEARCH_NONE.format(focus=names)}"


def question_label(text: str) -> str:
    """A sub-question as a heading: "can I be tested" -> "Can I be tested?"."""
    text = " ".join(text.split()).rstrip(" ,;:")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(("?", ".", "!")) else f"{text}?"


def _agreement(items: Sequence[Evidence]) -> str:
    """"3 found a benefit, 1 found no difference" when three or more studies of a facet state a direction (one
    direction a study: its first sentence that has one)."""
    by_study: dict[str, str] = {}
    for e in items:
        if e.chunk.kind != "guideline" and not by_study.get(e.chunk.doc_id):
            by_study[e.chunk.doc_id] = finding_direction(e.text)
    return agreement_line(list(by_study.values()))


def _is_finding(e: Evidence) -> bool:
    label = (e.chunk.label or e.chunk.section).upper()
    return any(k in label for k in ("CONCLUSION", "RESULT", "FINDING", "INTERPRETATION"))


def _with_basis(chosen: list[Evidence], stated: Stated | None, limit: int) -> list[Evidence]:
    """The bottom line with the verdict's best basis sentence in it (first), so the verdict is followed by what
    carries it."""
    if stated is None or not stated.phrase or not stated.basis:
        return chosen
    best = stated.basis[0]
    same = [e for e in chosen if (e.passage_index, e.position) == (best.passage_index, best.position)
            or _norm(e.text) == _norm(best.text)]
    basis = same[0] if same else best
    rest = _reading_order([e for e in chosen if e not in same][: max(limit, 1) - 1])
    # the basis first, right after the verdict ("No." then "... taking statins does not increase or decrease the
    # risk", not two sentences on diet between them), in one run with the sentences of its passage next to it
    # ("IVIG does not help all autoimmune conditions. It is effective for ...")
    run = [basis]
    for step in (-1, 1):
        pos = basis.position + step
        while (nxt := next((e for e in rest if e.passage_index == basis.passage_index and e.position == pos),
                           None)) is not None:
            run = [nxt, *run] if step < 0 else [*run, nxt]
            pos += step
    return [*run, *(e for e in rest if e not in run)]


# A "Yes." resting on a sentence this far from the question (the embedder's cosine) is not shown: the decision's
# default stance is yes (a finding with no negation), so an on-topic sentence that does not address the question
# ("ACS is common in patients with SCD ..." for "Is sickle cell trait the same thing as sickle cell disease?") read
# as one. Chosen on dev (round-2 blind-read sample and PubMedQA dev, docs/evals.md).
YES_MIN_COSINE = 0.5
# No verdict phrase rests on a sentence the relevance model (medcite.qa.relevance) thinks less likely than not to
# answer the question (more likely than not; not tuned): blind reads found "Yes." before sentences that did not
# address the question ("is there anything i can do to lower my chance of getting endometrial cancer" -> "Yes.
# Follow-up after endometrial cancer treatment varies in Italy", P 0.28). On PubMedQA dev it hides 17 of 199 verdict
# phrases, 65% of them right against 81% of all (docs/evals.md, session 6).
VERDICT_MIN_ANSWERS = 0.5


def shown_verdict(stated: Stated | None, chosen: Sequence[Evidence], question: str,
                  similarity: Similarity | None) -> str:
    """The verdict phrase to show before ``chosen``, or "" where the bottom line would contradict it: a "Yes."
    beside a shown sentence whose own stance is no ("... is not recommended"), or resting on a sentence far from the
    question (``YES_MIN_COSINE``), or any verdict resting on a sentence unlikely to answer (``VERDICT_MIN_ANSWERS``).
    The decision itself (``Composition.decision``) is not changed."""
    if stated is None or not stated.basis or not chosen:
        return ""
    if stated.basis[0].answers is not None and stated.basis[0].answers < VERDICT_MIN_ANSWERS:
        return ""
    if stated.verdict.label != "yes":
        return stated.phrase
    if any(sentence_stance(e.text, question, guideline=e.chunk.kind == "guideline") == "no" for e in chosen):
        return ""
    if similarity is not None and question and max(similarity(question, [stated.basis[0].text]),
                                                   default=0.0) < YES_MIN_COSINE:
        return ""
    return stated.phrase


@dataclass(frozen=True)
class _Chooser:
    """Chooses the bottom line: one part per question of a several-question message, or the message's own (a study's
    conclusion first when it carries the verdict or no guideline sentence answers)."""

    limits: Limits
    focus_rank: FocusRank | None
    similarity: Similarity | None
    population: tuple[str, ...]
    verdicts: bool  # False for a request for personal advice: no verdict at all

    def line(self, evidence: EvidenceSet, question: str, limits: Limits | None = None,
             taken: set[str] = frozenset()) -> list[Evidence]:
        return choose_bottom_line(evidence, limits or self.limits, taken=taken, focus_rank=self.focus_rank,
                                  similarity=self.similarity, question=question, population=self.population)

    def per_question(self, questions: Sequence[tuple]) -> list[tuple[str, list[Evidence], Stated | None]]:
        """(label, chosen sentences, verdict) per question; [] when no question gets a sentence."""
        taken: set[str] = set()
        each = replace(self.limits, max_bottom_line=min(2, self.limits.max_bottom_line))
        parts = []
        for item in questions:  # (label, evidence) or (label, the question as read with its focus, evidence)
            text, sub = item[0], item[-1]
            read = item[1] if len(item) == 3 else text
            stated = verdict_for(read, sub) if self.verdicts and asks_yes_no(text) else None
            chosen = _with_basis(self.line(sub, read, each, taken), stated, each.max_bottom_line)
            taken |= {_norm(e.text) for e in chosen}
            parts.append((text, chosen, stated))
        return parts if any(chosen for _, chosen, _ in parts) else []

    def single(self, asked: str, evidence: EvidenceSet
               ) -> tuple[list[tuple[str, list[Evidence]]], str, Stated | None]:
        """The ("research", ...) and ("guideline", ...) lines of a one-question answer, which of them states the
        verdict ("" for none), and the verdict."""
        single = verdict_for(asked, evidence) if asked and asks_yes_no(asked) else None
        guideline_line = self.line(evidence, asked or evidence.profile.question)
        research_line: list[Evidence] = []
        verdict_on = ""
        if single is not None and single.phrase:
            on_guideline = tuple(e for e in single.basis if e.kind == "guideline")
            on_research = tuple(e for e in single.basis if e.kind != "guideline")
            # the verdict goes with its strongest basis (the decision orders it: a study's conclusion weighs more
            # than a guideline sentence that only shares words, "Smoking also increases the risk of eye problems")
            if single.basis[0].kind != "guideline" and _is_finding(single.basis[0]):
                on_guideline = ()
            if on_guideline and guideline_line:
                guideline_line = _with_basis(guideline_line, replace(single, basis=on_guideline),
                                             self.limits.max_bottom_line)
                verdict_on = "guideline"
            elif on_research:  # a study answers what the guideline sentences shown do not: it comes first
                research_line = _with_basis(research_bottom_line(evidence, self.limits),
                                            replace(single, basis=on_research), min(2, self.limits.max_bottom_line))
                verdict_on = "research"
        if not guideline_line and not research_line:  # no guideline sentence answers: a study's conclusion does
            research_line = research_bottom_line(evidence, self.limits)
        return [("research", research_line), ("guideline", guideline_line)], verdict_on, single


def compose_answer(evidence: EvidenceSet, passages: Sequence[Passage], limits: Limits,
                   questions: Sequence[tuple] = (),
                   studies: Mapping[str, Study] | None = None, asked: str = "",
                   focus_rank: FocusRank | None = None, population: tuple[str, ...] = (),
                   focus: Sequence[str] = (),
                   similarity: Similarity | None = None) -> Composition:
    """The two parts and the reference list for ranked ``evidence`` (the Markdown is the document's view).

    ``questions``: a message that asks several things gets one bottom line per question, from that question's own
    evidence (each at most two sentences and their continuations), or :data:`UNANSWERED` for a question none answers.
    ``studies``: snapshots and titles of the research documents (:mod:`medcite.qa.studies`): references show them and
    research bullets are ordered by design strength. ``asked``: the question, whose verdict (yes/no questions,
    :mod:`medcite.qa.verdicts`) opens its bottom line; "" for no verdicts at all (a request for personal advice).
    ``focus_rank``: how surely a page is about the question's focus (0 titled with it, 1 using it, 2 neither): the
    bottom line comes from the surest pages there are, key considerations never from a page of rank 2.
    ``similarity``: the embedder's cosine of the question and each candidate bottom-line sentence (what orders them).
    ``population``: who the question is about (``QuestionAnalysis.population``): their sentences lead the bottom line.
    """
    studies = studies or {}
    registry = CitationRegistry(passages, studies)
    notes: dict[str, str] = {}
    strength = {doc_id: study.snapshot.strength for doc_id, study in studies.items()}
    choose = _Chooser(limits, focus_rank, similarity, population, verdicts=bool(asked))
    parts = choose.per_question(questions) if len(questions) > 1 else []
    if parts:
        plan = plan_answer(evidence, passages, limits, [e for _, chosen, _ in parts for e in chosen], strength,
                           focus_rank)
        bottom_lines = [BottomLine(tuple(_statement(e, registry) for e in chosen), question=question_label(text),
                                   unanswered="" if chosen else UNANSWERED,
                                   verdict=shown_verdict(stated, chosen, text, similarity))
                        for text, chosen, stated in parts]
        verdicts = [stated for *_, stated in parts]
    else:
        lines, verdict_on, single = choose.single(asked, evidence)
        plan = plan_answer(evidence, passages, limits, [e for _, line in lines for e in line], strength, focus_rank)
        bottom_lines = [BottomLine(tuple(_statement(e, registry) for e in line), source=source,
                                   verdict=shown_verdict(single, line, asked, similarity) if verdict_on == source
                                   else "") for source, line in lines if line]
        verdicts = [single]
    bottom = tuple(s for b in bottom_lines if b.source == "guideline" for s in b.statements)
    considerations = [Consideration(bullet[0].facet, tuple(_statement(e, registry) for e in bullet))
                      for bullet in plan.considerations] if bottom else []
    if not bottom:
        notes["guidelines"] = NO_GUIDELINE_EVIDENCE if plan.has_guideline_passages else NO_GUIDELINE_PASSAGE
    research = [ResearchFacet(heading, tuple(_statement(e, registry) for e in items), agreement=_agreement(items))
                for heading, items in plan.research]
    if not research and any(b.source == "research" for b in bottom_lines):
        notes["research"] = RESEARCH_ONLY_BOTTOM
    elif not research:
        notes["research"] = (_research_held(passages, studies, focus, focus_rank) if plan.has_research_passages
                             else NO_RESEARCH_PASSAGE)
    decision = next((v.verdict.pubmedqa for v in verdicts if v is not None), "")
    return Composition(
        decision=decision,
        bottom_line=bottom_lines,
        considerations=considerations,
        research=research,
        citations=registry.citations(),
        notes=notes,
    )
