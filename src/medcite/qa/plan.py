"""Planning an offline answer: which evidence sentences make the bottom line, the key considerations and the research
bullets (:func:`plan_answer`), under the :class:`Limits` that ``OfflineSettings`` documents.

The bottom line (:func:`choose_bottom_line`) takes the strong guideline sentences, from the pages surest to be about
the question's focus, closest in meaning to the question (the embedder's cosine, when given), each with the sentence
that continues it; when no guideline sentence answers, a study's conclusion does (:func:`research_bottom_line`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from medcite.analysis.types import population_of, question_types
from medcite.qa import facets, lists
from medcite.qa.evidence import Evidence, EvidenceSet, quotable_sentences
from medcite.qa.sentences import is_anaphoric
from medcite.qa.text import normalize_for_match, term_set
from medcite.qa.tidy import tidy
from medcite.types import Chunk, Passage


@dataclass(frozen=True)
class Limits:
    """How much of the evidence an answer shows (see ``OfflineSettings`` for the documented defaults)."""

    max_bottom_line: int = 3
    bottom_line_ratio: float = 0.7
    max_considerations: int = 5
    consideration_ratio: float = 0.5
    max_bullets_per_heading: int = 3
    max_research_bullets: int = 8
    max_sentences_per_document: int = 3


@dataclass
class Plan:
    bottom_line: list[Evidence]
    considerations: list[list[Evidence]]  # one bullet: a sentence and possibly the one continuing it
    research: list[tuple[str, list[Evidence]]]
    has_guideline_passages: bool
    has_research_passages: bool


def _reading_order(items: list[Evidence]) -> list[Evidence]:
    """Sentences of one passage stay in text order, passages in the order of their best sentence."""
    rank: dict[int, int] = {}
    for e in items:
        rank.setdefault(e.passage_index, len(rank))
    return sorted(items, key=lambda e: (rank[e.passage_index], e.position))


def _by_strength(items: list[Evidence], strength: Mapping[str, int]) -> list[Evidence]:
    """Research bullets of one facet: the strongest study design first (meta-analysis, trial, cohort, ...), ties in
    reading order."""
    ordered = _reading_order(items)
    return sorted(ordered, key=lambda e: -strength.get(e.chunk.doc_id, 0))


def _norm(text: str) -> str:
    return normalize_for_match(text).rstrip(".")


def _continuation(e: Evidence, evidence: EvidenceSet) -> Evidence | None:
    """The sentence right after ``e`` in its passage when it continues it ("It is effective for ..."):
    quotable, opening with a word that points back, and not a near-duplicate of ``e``; tidied for display."""
    sentences = quotable_sentences(e.chunk.text, evidence.min_words, evidence.max_words)
    nxt = next((s for s in sentences if s[0] == e.position + 1), None)
    if nxt is None or nxt[3] is not None or not is_anaphoric(nxt[1]):
        return None
    shown = tidy(nxt[1])  # as the stand-alone repairs tidy a sentence (the verbatim one keeps its span)
    return replace(
        e,
        text=shown,
        position=nxt[0],
        trimmed=nxt[2],
        also_in=(),
        quote=nxt[4] or (nxt[1] if shown != nxt[1] else ""),  # a list statement's source, or the untidied sentence
        answers=None,  # not scored by the relevance step
        **(lists.parts(shown) if nxt[4] else {"lead": "", "items": ()}),
        facet=facets.classify_sentence(nxt[1], e.chunk.label),
        terms=frozenset(term_set(nxt[1])),
    )


def _direct(e: Evidence) -> tuple:
    """How directly a guideline sentence answers: it names the question's focus, then its coverage of the question's
    terms, then its score. (Preferring sentences of the facet asked about came next and was dropped: on the IVIG seed
    question it put "IVIG is most useful when started early" over "IVIG does not help all autoimmune conditions".)"""
    return (-(e.focus > 0), -e.lexical, -e.score, e.passage_index, e.position)


# A definition: a short subject, then "is a ...", "are a group of ...", "refers to ...", "means ..." ("Patent ductus
# arteriosus (PDA) is a heart problem that occurs soon after birth"): what a "what is X" / "what does X mean"
# question asks first. Before, "On average, PDA occurs in about 8 out of every 1,000 premature babies" opened that
# answer (round 7's blind read).
_DEFINITION = re.compile(r"^(?:[\w'()/,-]+\s){1,9}(?:is|are)\s+(?:a|an|one of|any of|the name|inflammation|"
                         r"swelling|a group of)\b|^(?:[\w'()/,-]+\s){1,9}(?:refers? to|means|describes)\b", re.I)


def is_definition(text: str) -> bool:
    """A sentence that says what something is.

    >>> is_definition("Patent ductus arteriosus (PDA) is a heart problem that occurs soon after birth in some babies.")
    True
    >>> is_definition("On average, PDA occurs in about 8 out of every 1,000 premature babies.")
    False
    """
    return bool(_DEFINITION.match(text))


Similarity = Callable[[str, Sequence[str]], Sequence[float]]  # (question, sentences) -> cosine of each
MAX_COMPARED = 8  # bottom-line candidates compared by meaning (the most direct by words first): each costs an encoding


FocusRank = Callable[[Chunk, str], int]  # (page, sentence) -> 0 titled with the focus, 1 naming or using it, 2 neither


def choose_bottom_line(evidence: EvidenceSet, limits: Limits, *, taken: set[str] = frozenset(),
                       focus_rank: FocusRank | None = None, similarity: Similarity | None = None,
                       question: str = "", population: tuple[str, ...] = ()) -> list[Evidence]:
    """The bottom line for one question: among the strong guideline sentences (within ``bottom_line_ratio`` of the
    best), the most direct ones (:func:`_direct`), each with the sentence that continues it; texts in ``taken``
    (already shown for another question) are skipped. A sentence about the asker's ``population`` ("pregnant women")
    on a page that names the focus comes first: "Most people with toxoplasmosis don't need treatment" is no answer
    for a pregnant asker."""
    guideline = [e for e in evidence.ranked if e.chunk.kind == "guideline"]
    best = guideline[0].score if guideline else 0.0
    window = sorted((e for e in guideline if e.score >= limits.bottom_line_ratio * best), key=_direct)
    window = window[:MAX_COMPARED] if similarity is not None else window
    if similarity is not None and question and len(window) > 1:
        # the sentences closest in meaning to the question first ("Which foods can set off gout attacks?" -> the
        # sentence naming the foods, not the ones sharing "gout attacks"); lexical coverage breaks ties
        cosine = dict(zip((id(e) for e in window), similarity(question, [e.text for e in window]), strict=True))
        what_is = question_types(question) == ("information",) and not population
        window.sort(key=lambda e: (-(e.focus > 0), -(what_is and is_definition(e.text)), -(e.section >= 1.0),
                                   -round(e.answers or 0.0, 1), -round(cosine[id(e)], 2), -e.lexical, -e.score))
    if focus_rank is not None and window:  # from pages titled with the focus when there are any: "cure the
        rank = {id(e): focus_rank(e.chunk, e.text) for e in window}  # disease" on a Whipple's disease page is no
        best_rank = min(rank.values())  # answer for Lyme disease
        asked_for = [e for e in window if rank[id(e)] <= 1 and set(population) & set(population_of(e.text))]
        window = asked_for + [e for e in window if rank[id(e)] == best_rank and e not in asked_for]
    per_doc: dict[str, int] = {}
    bottom: list[Evidence] = []
    placed: set[tuple[int, int]] = set()
    shown: set[str] = set(taken)

    def fits(e: Evidence) -> bool:
        return ((e.passage_index, e.position) not in placed and _norm(e.text) not in shown
                and per_doc.get(e.chunk.doc_id, 0) < limits.max_sentences_per_document)

    def add(e: Evidence) -> None:
        bottom.append(e)
        placed.add((e.passage_index, e.position))
        shown.add(_norm(e.text))
        per_doc[e.chunk.doc_id] = per_doc.get(e.chunk.doc_id, 0) + 1

    for e in window:
        if len(bottom) >= limits.max_bottom_line:
            break
        if not fits(e):
            continue
        add(e)
        follow = _continuation(e, evidence)
        if follow is not None and len(bottom) < limits.max_bottom_line and fits(follow):
            add(follow)
    # the most direct sentence first, with the sentence that continues it, then the rest in reading order: in reading
    # order alone, a page's opening sentences came first ("Body piercing involves making a hole in the skin ..."
    # before "The health risks of piercings and tattoos include: ..." for "what are the health risks"); the rest keep
    # it, so a near tie in the cosine order (a question mark more or less) does not reorder them
    if not bottom:
        return bottom
    lead = [bottom[0]]
    if len(bottom) > 1 and bottom[1].passage_index == bottom[0].passage_index and \
            bottom[1].position == bottom[0].position + 1 and is_anaphoric(bottom[1].text):
        lead.append(bottom[1])
    return lead + _reading_order([e for e in bottom if e not in lead])


_CONCLUSION_LABELS = ("CONCLUSION", "INTERPRETATION", "IMPLICATION")


def research_bottom_line(evidence: EvidenceSet, limits: Limits) -> list[Evidence]:
    """The bottom line when no guideline sentence answers: the conclusion of the research document that answers best
    (its best sentence from a CONCLUSIONS section, else its best result), at most two sentences of that document."""
    research = [e for e in evidence.ranked if e.chunk.kind != "guideline"]
    if not research:
        return []
    doc = research[0].chunk.doc_id
    own = [e for e in research if e.chunk.doc_id == doc]
    def labelled(*names: str) -> list[Evidence]:
        return [e for e in own if any(k in (e.chunk.label or e.chunk.section).upper() for k in names)]

    # a conclusion, else a result; never an aim, a method or background (which do not answer)
    chosen = (labelled(*_CONCLUSION_LABELS) or labelled("RESULT", "FINDING"))[: min(2, limits.max_bottom_line)]
    return _reading_order(chosen)


# A research bullet needs this probability of answering the question (medcite.qa.relevance; the relevance step's own
# bar, 0.25, is for any sentence). On the labelled dev sentences, cross-validated by question, research sentences at
# 0.45 keep 0.97 of those that answer and 0.04 of the off-topic ones (0.25: 1.00 and 0.16); a blind read found
# unrelated studies in the research part of answers whose library held no study on the question.
RESEARCH_MIN_ANSWERS = 0.45


def plan_answer(evidence: EvidenceSet, passages: Sequence[Passage], limits: Limits,
                bottom_line: list[Evidence] | None = None, strength: Mapping[str, int] | None = None,
                focus_rank: FocusRank | None = None) -> Plan:
    """Choose the bottom line (unless given: the parts of a several-question message), the considerations and the
    research bullets from ranked evidence."""
    guideline = [e for e in evidence.ranked if e.chunk.kind == "guideline"]
    research = [e for e in evidence.ranked if e.chunk.kind != "guideline"]

    per_doc: dict[str, int] = {}

    def room(e: Evidence) -> bool:
        return per_doc.get(e.chunk.doc_id, 0) < limits.max_sentences_per_document

    def take(e: Evidence) -> None:
        per_doc[e.chunk.doc_id] = per_doc.get(e.chunk.doc_id, 0) + 1

    intents = evidence.profile.intents
    best = guideline[0].score if guideline else 0.0
    bottom = choose_bottom_line(evidence, limits) if bottom_line is None else bottom_line
    shown: set[str] = {_norm(e.text) for e in bottom}  # texts already in the answer (one sentence, two passages)
    for e in bottom:
        take(e)
    top_score = best
    used = {(e.passage_index, e.position) for e in bottom}

    per_doc.clear()
    considerations: list[list[Evidence]] = []
    seen_facets: set[str] = set()
    for e in guideline:
        if len(considerations) >= limits.max_considerations:
            break
        if e.score < limits.consideration_ratio * top_score:
            break
        if (e.passage_index, e.position) in used or _norm(e.text) in shown or e.facet in seen_facets or not room(e):
            continue
        if focus_rank is not None and focus_rank(e.chunk, e.text) > 1:
            continue  # a look-alike page ("rheumatic fever" in a Lyme disease answer): no key consideration
        bullet = [e]
        used.add((e.passage_index, e.position))
        shown.add(_norm(e.text))
        take(e)
        follow = _continuation(e, evidence)
        if (
            follow is not None
            and not e.trimmed
            and (follow.passage_index, follow.position) not in used
            and _norm(follow.text) not in shown
        ):
            bullet.append(follow)
            used.add((follow.passage_index, follow.position))
            shown.add(_norm(follow.text))
        considerations.append(bullet)
        seen_facets.add(e.facet)
    # Background only when nothing more specific is there.
    specific = [b for b in considerations if b[0].facet != facets.BACKGROUND]
    if specific:
        considerations = specific

    per_doc.clear()
    groups: dict[str, list[Evidence]] = {}
    total = 0
    for e in research:
        if total >= limits.max_research_bullets:
            break
        if (e.passage_index, e.position) in used or _norm(e.text) in shown:
            continue
        if focus_rank is not None and focus_rank(e.chunk, e.text) > 1:
            continue  # a study about something else ("Jordanian men's role" in an answer on breast cancer genes)
        if e.answers is not None and e.answers < RESEARCH_MIN_ANSWERS:
            continue  # a study that does not bear on the question: the research part says so instead
        bucket = groups.setdefault(e.facet, [])
        if len(bucket) >= limits.max_bullets_per_heading or not room(e):
            continue
        bucket.append(e)
        shown.add(_norm(e.text))
        take(e)
        total += 1
    # Headings: what the question asks about first, then by their best evidence; Background last and
    # only when little else is there.
    if sum(len(v) for k, v in groups.items() if k != facets.BACKGROUND) >= 3:
        groups.pop(facets.BACKGROUND, None)
    ordered = sorted(
        ((facet, items) for facet, items in groups.items() if items),
        key=lambda kv: (
            kv[0] == facets.BACKGROUND,
            intents.index(kv[0]) if kv[0] in intents else len(intents),
            -kv[1][0].score,
            facets.FACETS.index(kv[0]),
        ),
    )
    return Plan(
        bottom_line=bottom,
        considerations=considerations,
        research=[(facet, _by_strength(items, strength or {})) for facet, items in ordered],
        has_guideline_passages=any(p.chunk.kind == "guideline" for p in passages),
        has_research_passages=any(p.chunk.kind != "guideline" for p in passages),
    )
