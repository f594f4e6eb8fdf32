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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

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
from medcite.qa import facets
from medcite.qa.evidence import Evidence, EvidenceSet, quotable_sentences
from medcite.qa.studies import Study
from medcite.qa.decision import agreement_line, finding_direction
from medcite.qa.verdicts import Stated, asks_yes_no, verdict_for
from medcite.qa.text import is_anaphoric, normalize_for_match, term_set
from medcite.types import Chunk, Citation, Passage, Statement

NO_GUIDELINE_PASSAGE = "The library has no guideline passage on this question."
NO_RESEARCH_PASSAGE = "The library has no research passage on this question."
NO_GUIDELINE_EVIDENCE = "The guideline passages found do not address this question directly."
NO_RESEARCH_EVIDENCE = "The research passages found do not address this question directly."
PART_NOTES: frozenset[str] = frozenset(
    {NO_GUIDELINE_PASSAGE, NO_RESEARCH_PASSAGE, NO_GUIDELINE_EVIDENCE, NO_RESEARCH_EVIDENCE}
)

# Long names of the short source codes that loaders store in ``Chunk.source`` (MedQuAD and PubMed), and the
# evidence label of each guideline source (the same wording as the MedQuAD loader's document metadata).
SOURCE_NAMES: dict[str, str] = {
    "ghr": "Genetics Home Reference (NLM)",
    "gard": "Genetic and Rare Diseases Information Center",
    "cancergov": "National Cancer Institute (PDQ)",
    "mplushealthtopics": "MedlinePlus Health Topics",
    "niddk": "National Institute of Diabetes and Digestive and Kidney Diseases",
    "ninds": "National Institute of Neurological Disorders and Stroke",
    "nihseniorhealth": "NIHSeniorHealth",
    "nhlbi": "National Heart, Lung, and Blood Institute",
    "cdc": "Centers for Disease Control and Prevention",
    "pubmed": "PubMed",
}
GUIDELINE_EVIDENCE_LABELS: dict[str, str] = {
    "ghr": "NIH consumer guideline (GHR)",
    "gard": "NIH consumer guideline (GARD)",
    "cancergov": "NIH consumer guideline (CancerGov)",
    "mplushealthtopics": "NIH consumer guideline (MedlinePlus)",
    "niddk": "NIH consumer guideline (NIDDK)",
    "ninds": "NIH consumer guideline (NINDS)",
    "nihseniorhealth": "NIH consumer guideline (NIHSeniorHealth)",
    "nhlbi": "NIH consumer guideline (NHLBI)",
    "cdc": "CDC consumer guideline",
}
GUIDELINE_EVIDENCE_LABEL = "Guideline"
# (pattern on the document's title and quoted text, label), first match wins.
STUDY_DESIGN_LABELS: tuple[tuple[str, str], ...] = (
    (r"meta-?analys|systematic review", "Systematic review / meta-analysis"),
    (r"randomi[sz]ed|placebo-controlled|controlled trial", "Randomised controlled trial"),
    (r"\bcohort\b", "Cohort study"),
    (r"case-control|case control", "Case-control study"),
    (r"cross-sectional", "Cross-sectional study"),
    (r"case report|case series", "Case report / series"),
    (r"\breview\b", "Review"),
    (r"retrospective", "Retrospective study"),
    (r"prospective", "Prospective study"),
)
RESEARCH_EVIDENCE_LABEL = "Research abstract"
_METHODS_LABEL = re.compile(r"METHOD|DESIGN|SETTING|PATIENT|PARTICIPANT|SUBJECT")

# --------------------------------------------------------------------------------------------------
# Citation markers
# --------------------------------------------------------------------------------------------------

_MARKER = re.compile(r"(?<!\\)\[(\s*\d+(?:\s*(?:[,;\u2013-]|\band\b)\s*\d+)*\s*)\](?!\()")
_MARKER_PART = re.compile(r"\d+|[\u2013-]")


def _marker_numbers(body: str) -> list[int]:
    out: list[int] = []
    parts = _MARKER_PART.findall(body)
    i = 0
    while i < len(parts):
        tok = parts[i]
        if tok.isdigit():
            if i + 2 < len(parts) and parts[i + 1] in "-\u2013" and parts[i + 2].isdigit():
                lo, hi = int(tok), int(parts[i + 2])
                out.extend(range(lo, hi + 1) if 0 <= hi - lo <= 50 else (lo, hi))
                i += 3
                continue
            out.append(int(tok))
        i += 1
    return out


def parse_citation_numbers(text: str) -> list[int]:
    """The citation numbers of the ``[n]`` markers in ``text``, in order of first appearance, no repeats.

    Accepts ``[1]``, ``[1][2]``, ``[1, 2]`` and ranges ``[1-3]``; ignores escaped brackets (``\\[1\\]``)
    and markdown links (``[1](http://...)``).
    """
    seen: list[int] = []
    for m in _MARKER.finditer(text):
        for n in _marker_numbers(m.group(1)):
            if n not in seen:
                seen.append(n)
    return seen


def strip_invalid_citations(text: str, valid: set[int]) -> str:
    """Remove markers, or the numbers inside a grouped marker, that are not in ``valid``.

    ``"IVIG helps [1, 7]."`` with valid {1} becomes ``"IVIG helps [1]."``; a marker left empty is
    removed with the space before it.
    """

    def fix(m: re.Match[str]) -> str:
        nums = [n for n in _marker_numbers(m.group(1)) if n in valid]
        kept: list[int] = []
        for n in nums:
            if n not in kept:
                kept.append(n)
        return "".join(f"[{n}]" for n in kept)

    out = _MARKER.sub(fix, text)
    out = re.sub(r"[ \t]+([.,;:!?])", r"\1", out)
    return re.sub(r"[ \t]{2,}", " ", out)


# --------------------------------------------------------------------------------------------------
# Citation registry
# --------------------------------------------------------------------------------------------------


def _source_key(source: str) -> str:
    return re.sub(r"[^a-z]", "", (source or "").lower())


def source_name(source: str) -> str:
    """The long name of a short source code ("GHR" -> "Genetics Home Reference (NLM)"), else itself."""
    return SOURCE_NAMES.get(_source_key(source), source or "")


def evidence_label(kind: str, title: str = "", methods: Iterable[str] = (), source: str = "") -> str:
    """A short evidence label: a guideline by its source ("NIH consumer guideline (GHR)"); research by
    the study design its title names, else its methods text (meta-analysis, randomised trial...)."""
    if kind == "guideline":
        return GUIDELINE_EVIDENCE_LABELS.get(_source_key(source), GUIDELINE_EVIDENCE_LABEL)
    for blob in (title.lower(), " ".join(methods).lower()):
        for pattern, label in STUDY_DESIGN_LABELS:
            if blob and re.search(pattern, blob):
                return label
    return RESEARCH_EVIDENCE_LABEL


def _chunk_evidence_label(chunk: Chunk, methods: Iterable[str]) -> str:
    """The loader's label (publication type, guideline body) unless it is only the generic one."""
    if chunk.evidence_label and chunk.evidence_label != RESEARCH_EVIDENCE_LABEL:
        return chunk.evidence_label
    return evidence_label(chunk.kind, chunk.title, methods, chunk.source)


@dataclass
class CitationRegistry:
    """Numbers documents by first appearance; several passages of one document share its number."""

    passages: Sequence[Passage]
    studies: Mapping[str, Study] = field(default_factory=dict)  # research documents' snapshots and titles
    _numbers: dict[str, int] = field(default_factory=dict)
    _chunks: dict[str, list[str]] = field(default_factory=dict)
    _first: dict[str, Chunk] = field(default_factory=dict)

    _same: dict[tuple[str, str, str], str] = field(default_factory=dict)

    @staticmethod
    def reference_key(chunk: Chunk) -> tuple[str, str, str]:
        """What makes two documents one reference: a guideline's title, source and page (the URL without its
        ``#fragment``: MedQuAD holds four "Causes of Diabetes" documents, one per section of one NIDDK page); a
        research document is its own reference."""
        page = chunk.url.strip().lower().split("#", 1)[0] if chunk.kind == "guideline" else chunk.doc_id
        return (" ".join(chunk.title.lower().split()), _source_key(chunk.source_name or chunk.source), page)

    def cite(self, passage_indices: Iterable[int]) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """Citation numbers and chunk ids for a sentence found in these passages."""
        nums: list[int] = []
        chunk_ids: list[str] = []
        for i in passage_indices:
            chunk = self.passages[i].chunk
            doc_id = self._same.setdefault(self.reference_key(chunk), chunk.doc_id)
            if doc_id != chunk.doc_id:  # a copy of a document already cited: cite that one
                chunk = replace(chunk, doc_id=doc_id)
            n = self._numbers.get(chunk.doc_id)
            if n is None:
                n = len(self._numbers) + 1
                self._numbers[chunk.doc_id] = n
                self._first[chunk.doc_id] = chunk
                self._chunks[chunk.doc_id] = []
            if chunk.id not in self._chunks[chunk.doc_id]:
                self._chunks[chunk.doc_id].append(chunk.id)
            if n not in nums:
                nums.append(n)
            if chunk.id not in chunk_ids:
                chunk_ids.append(chunk.id)
        return tuple(nums), tuple(chunk_ids)

    def citations(self) -> list[Citation]:
        out: list[Citation] = []
        for doc_id, n in sorted(self._numbers.items(), key=lambda kv: kv[1]):
            chunk = self._first[doc_id]
            methods = [
                p.chunk.text
                for p in self.passages
                if p.chunk.doc_id == doc_id and _METHODS_LABEL.search((p.chunk.label or p.chunk.section).upper())
            ]
            study = self.studies.get(doc_id)
            label = _chunk_evidence_label(chunk, methods)
            if study is not None and study.snapshot.design != "Study":
                label = study.snapshot.design
            out.append(
                Citation(
                    n=n,
                    doc_id=doc_id,
                    title=study.title if study is not None else chunk.title,
                    source=chunk.source_name or chunk.source,
                    year=chunk.year,
                    url=chunk.url,
                    evidence_label=label,
                    kind=chunk.kind,
                    passages=tuple(self._chunks[doc_id]),
                    snapshot=study.snapshot.line() if study is not None else "",
                )
            )
        return out


# --------------------------------------------------------------------------------------------------
# Planning: which evidence goes where
# --------------------------------------------------------------------------------------------------


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
    quotable, opening with a word that points back, and not a near-duplicate of ``e``."""
    sentences = quotable_sentences(e.chunk.text, evidence.min_words, evidence.max_words)
    nxt = next((s for s in sentences if s[0] == e.position + 1), None)
    if nxt is None or nxt[3] is not None or not is_anaphoric(nxt[1]):
        return None
    return replace(
        e,
        text=nxt[1],
        position=nxt[0],
        trimmed=nxt[2],
        also_in=(),
        quote="",
        facet=facets.classify_sentence(nxt[1], e.chunk.label),
        terms=frozenset(term_set(nxt[1])),
    )


def _direct(e: Evidence) -> tuple:
    """How directly a guideline sentence answers: it names the question's focus, then its coverage of the question's
    terms, then its score. (Preferring sentences of the facet asked about came next and was dropped: on the IVIG seed
    question it put "IVIG is most useful when started early" over "IVIG does not help all autoimmune conditions".)"""
    return (-(e.focus > 0), -e.lexical, -e.score, e.passage_index, e.position)


Similarity = Callable[[str, Sequence[str]], Sequence[float]]  # (question, sentences) -> cosine of each


def choose_bottom_line(evidence: EvidenceSet, limits: Limits, *, taken: set[str] = frozenset(),
                       focus_rank: Callable[[Chunk], int] | None = None, similarity: Similarity | None = None,
                       question: str = "") -> list[Evidence]:
    """The bottom line for one question: among the strong guideline sentences (within ``bottom_line_ratio`` of the
    best), the most direct ones (:func:`_direct`), each with the sentence that continues it; texts in ``taken``
    (already shown for another question) are skipped."""
    guideline = [e for e in evidence.ranked if e.chunk.kind == "guideline"]
    best = guideline[0].score if guideline else 0.0
    window = sorted((e for e in guideline if e.score >= limits.bottom_line_ratio * best), key=_direct)
    if similarity is not None and question and len(window) > 1:
        # the sentences closest in meaning to the question first ("Which foods can set off gout attacks?" -> the
        # sentence naming the foods, not the ones sharing "gout attacks"); lexical coverage breaks ties
        cosine = dict(zip((id(e) for e in window), similarity(question, [e.text for e in window]), strict=True))
        window.sort(key=lambda e: (-(e.focus > 0), -round(cosine[id(e)], 2), -e.lexical, -e.score))
    if focus_rank is not None and window:  # from pages titled with the focus when there are any: "cure the
        best_rank = min(focus_rank(e.chunk) for e in window)  # disease" on a Whipple's disease page is no answer for
        window = [e for e in window if focus_rank(e.chunk) == best_rank]  # Lyme disease
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
    return _reading_order(bottom)


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


def plan_answer(evidence: EvidenceSet, passages: Sequence[Passage], limits: Limits,
                bottom_line: list[Evidence] | None = None, strength: Mapping[str, int] | None = None,
                focus_rank: Callable[[Chunk], int] | None = None) -> Plan:
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
        if focus_rank is not None and focus_rank(e.chunk) > 1:
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


# --------------------------------------------------------------------------------------------------
# The answer's parts
# --------------------------------------------------------------------------------------------------


def _statement(e: Evidence, registry: CitationRegistry) -> Statement:
    nums, chunk_ids = registry.cite((e.passage_index, *e.also_in))
    start = e.chunk.text.find(e.verbatim)
    span = (start, start + len(e.verbatim)) if start >= 0 else None
    return Statement(text=e.text, citations=nums, chunk_ids=chunk_ids, facet=e.facet, span=span)


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
RESEARCH_HELD = "The nearest studies in the library are about other questions: {titles}."


def _research_held(passages: Sequence[Passage], studies: Mapping[str, Study], n: int = 2) -> str:
    """The note for research passages that do not address the question, naming the closest studies by their
    readable titles (a study without one is not named: its stored title may be a cut first sentence)."""
    titles = list(dict.fromkeys(studies[p.chunk.doc_id].title for p in passages
                                if p.chunk.kind != "guideline" and p.chunk.doc_id in studies))[:n]
    if not titles:
        return NO_RESEARCH_EVIDENCE
    return f"{NO_RESEARCH_EVIDENCE} {RESEARCH_HELD.format(titles='; '.join(titles))}"


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


def _with_basis(chosen: list[Evidence], stated: Stated | None, limit: int) -> list[Evidence]:
    """The bottom line with the verdict's best basis sentence in it (first), so the verdict is followed by what
    carries it."""
    if stated is None or not stated.phrase or not stated.basis:
        return chosen
    best = stated.basis[0]
    if any((e.passage_index, e.position) == (best.passage_index, best.position) or _norm(e.text) == _norm(best.text)
           for e in chosen):
        return chosen
    return _reading_order([best, *chosen[: max(limit, 1) - 1]])


def compose_answer(evidence: EvidenceSet, passages: Sequence[Passage], limits: Limits,
                   questions: Sequence[tuple[str, EvidenceSet]] = (),
                   studies: Mapping[str, Study] | None = None, asked: str = "",
                   focus_rank: Callable[[Chunk], int] | None = None,
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
    """
    studies = studies or {}
    registry = CitationRegistry(passages, studies)
    notes: dict[str, str] = {}
    parts: list[tuple[str, list[Evidence]]] = []
    verdicts: list[Stated | None] = []
    if len(questions) > 1:
        taken: set[str] = set()
        each = replace(limits, max_bottom_line=min(2, limits.max_bottom_line))
        for text, sub in questions:
            stated = verdict_for(text, sub) if asked and asks_yes_no(text) else None
            chosen = _with_basis(choose_bottom_line(sub, each, taken=taken, focus_rank=focus_rank,
                                                    similarity=similarity, question=text), stated,
                                 each.max_bottom_line)
            taken |= {_norm(e.text) for e in chosen}
            parts.append((text, chosen))
            verdicts.append(stated)
        if not any(chosen for _, chosen in parts):
            parts, verdicts = [], []
    strength = {doc_id: study.snapshot.strength for doc_id, study in studies.items()}
    single = verdict_for(asked, evidence) if not parts and asked and asks_yes_no(asked) else None
    if parts:
        plan = plan_answer(evidence, passages, limits, [e for _, chosen in parts for e in chosen], strength,
                           focus_rank)
        bottom_lines = [BottomLine(tuple(_statement(e, registry) for e in chosen), question=question_label(text),
                                   unanswered="" if chosen else UNANSWERED,
                                   verdict=stated.phrase if stated is not None and stated.basis and chosen else "")
                        for (text, chosen), stated in zip(parts, verdicts, strict=True)]
    else:
        guideline_line = choose_bottom_line(evidence, limits, focus_rank=focus_rank, similarity=similarity,
                                            question=asked or evidence.profile.question)
        research_line: list[Evidence] = []
        verdict_on = ""  # which part states the verdict: the one holding a sentence that carries it
        if single is not None and single.phrase:
            on_guideline = tuple(e for e in single.basis if e.kind == "guideline")
            on_research = tuple(e for e in single.basis if e.kind != "guideline")
            if on_guideline and guideline_line:
                guideline_line = _with_basis(guideline_line, replace(single, basis=on_guideline),
                                             limits.max_bottom_line)
                verdict_on = "guideline"
            elif on_research:  # a study answers what the guideline sentences shown do not: it comes first
                research_line = _with_basis(research_bottom_line(evidence, limits), replace(single, basis=on_research),
                                            min(2, limits.max_bottom_line))
                verdict_on = "research"
        if not guideline_line and not research_line:  # no guideline sentence answers: a study's conclusion does
            research_line = research_bottom_line(evidence, limits)
        plan = plan_answer(evidence, passages, limits, guideline_line + research_line, strength, focus_rank)
        phrase = single.phrase if single is not None else ""
        bottom_lines = [BottomLine(tuple(_statement(e, registry) for e in line), source=source,
                                   verdict=phrase if verdict_on == source else "")
                        for source, line in (("research", research_line), ("guideline", guideline_line)) if line]
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
        notes["research"] = (_research_held(passages, studies) if plan.has_research_passages
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
