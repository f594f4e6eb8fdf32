"""Composing an answer from ranked evidence: the two parts, numbered citations, references, markdown.

Layout (markdown)::

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from medcite.qa import facets
from medcite.qa.evidence import Evidence, EvidenceSet, quotable_sentences
from medcite.qa.text import is_anaphoric, normalize_for_match, term_set
from medcite.types import Chunk, Citation, Passage, Statement

GUIDELINES_HEADING = "**From the Guidelines**"
RESEARCH_HEADING = "**From the Research**"
REFERENCES_HEADING = "**References**"
CONSIDERATIONS_LEAD = "Key considerations:"
NO_GUIDELINE_PASSAGE = "The library has no guideline passage on this question."
NO_RESEARCH_PASSAGE = "The library has no research passage on this question."
NO_GUIDELINE_EVIDENCE = "The guideline passages found do not address this question directly."
NO_RESEARCH_EVIDENCE = "The research passages found do not address this question directly."
PART_NOTES: frozenset[str] = frozenset(
    {NO_GUIDELINE_PASSAGE, NO_RESEARCH_PASSAGE, NO_GUIDELINE_EVIDENCE, NO_RESEARCH_EVIDENCE}
)
FACET_SEPARATOR = " \u2014 "

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
# Markdown safety
# --------------------------------------------------------------------------------------------------

_MD_ESCAPE = re.compile(r"([\\`*_\[\]{}#|~])")
# No whitespace, quotes or brackets, and no control or bidi characters (an escape sequence in a terminal).
_SAFE_URL = re.compile("^https?://[^\\s<>\"'`\\\\\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+$", re.I)


def escape_markdown(text: str) -> str:
    """Make source text inert in markdown: no HTML tags, links, images, code or emphasis.

    ``<``, ``>`` and ``&`` become entities; brackets, backslashes, backticks, ``*``, ``_``, ``#``,
    ``|``, ``~`` and braces are backslash-escaped; newlines become spaces.
    """
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_ESCAPE.sub(r"\\\1", text)


def safe_url(url: str) -> str:
    """``url`` when it is a plain http(s) URL without characters that could break out of ``<...>``,
    else ""."""
    url = (url or "").strip()
    return url if _SAFE_URL.match(url) else ""


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
    _numbers: dict[str, int] = field(default_factory=dict)
    _chunks: dict[str, list[str]] = field(default_factory=dict)
    _first: dict[str, Chunk] = field(default_factory=dict)

    def cite(self, passage_indices: Iterable[int]) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """Citation numbers and chunk ids for a sentence found in these passages."""
        nums: list[int] = []
        chunk_ids: list[str] = []
        for i in passage_indices:
            chunk = self.passages[i].chunk
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
            out.append(
                Citation(
                    n=n,
                    doc_id=doc_id,
                    title=chunk.title,
                    source=chunk.source_name or chunk.source,
                    year=chunk.year,
                    url=chunk.url,
                    evidence_label=_chunk_evidence_label(chunk, methods),
                    kind=chunk.kind,
                    passages=tuple(self._chunks[doc_id]),
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
        facet=facets.classify_sentence(nxt[1], e.chunk.label),
        terms=frozenset(term_set(nxt[1])),
    )


def plan_answer(evidence: EvidenceSet, passages: Sequence[Passage], limits: Limits) -> Plan:
    """Choose the bottom line, the considerations and the research bullets from ranked evidence."""
    guideline = [e for e in evidence.ranked if e.chunk.kind == "guideline"]
    research = [e for e in evidence.ranked if e.chunk.kind != "guideline"]

    per_doc: dict[str, int] = {}

    def room(e: Evidence) -> bool:
        return per_doc.get(e.chunk.doc_id, 0) < limits.max_sentences_per_document

    def take(e: Evidence) -> None:
        per_doc[e.chunk.doc_id] = per_doc.get(e.chunk.doc_id, 0) + 1

    # Bottom line: among the strong guideline sentences (within ``bottom_line_ratio`` of the best), the
    # most direct ones: those covering most of the question's terms, then the best scored.
    intents = evidence.profile.intents
    best = guideline[0].score if guideline else 0.0
    window = [e for e in guideline if e.score >= limits.bottom_line_ratio * best]
    window.sort(key=lambda e: (-e.lexical, -e.score, e.passage_index, e.position))
    bottom: list[Evidence] = []
    placed: set[tuple[int, int]] = set()
    shown: set[str] = set()  # texts already in the answer (chunks overlap: one sentence, two passages)
    for e in window:
        if len(bottom) >= limits.max_bottom_line:
            break
        if (e.passage_index, e.position) in placed or _norm(e.text) in shown or not room(e):
            continue
        bottom.append(e)
        placed.add((e.passage_index, e.position))
        shown.add(_norm(e.text))
        take(e)
        follow = _continuation(e, evidence)
        if (
            follow is not None
            and len(bottom) < limits.max_bottom_line
            and room(follow)
            and (follow.passage_index, follow.position) not in placed
            and _norm(follow.text) not in shown
        ):
            bottom.append(follow)
            placed.add((follow.passage_index, follow.position))
            shown.add(_norm(follow.text))
            take(follow)
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
        bottom_line=_reading_order(bottom),
        considerations=considerations,
        research=[(facet, _reading_order(items)) for facet, items in ordered],
        has_guideline_passages=any(p.chunk.kind == "guideline" for p in passages),
        has_research_passages=any(p.chunk.kind != "guideline" for p in passages),
    )


# --------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------

_FINAL_PUNCT = re.compile(r"([.!]+[\"'\u201d\u2019)\]]*)$")


def cite_sentence(text: str, numbers: Sequence[int]) -> str:
    """Escaped ``text`` with ``[n]`` markers placed before its final punctuation."""
    markers = "".join(f"[{n}]" for n in numbers)
    body = escape_markdown(text)
    m = _FINAL_PUNCT.search(body)
    if m:
        return f"{body[: m.start()].rstrip()} {markers}{m.group(1)}"
    return f"{body} {markers}"


def _statement(e: Evidence, registry: CitationRegistry) -> Statement:
    nums, chunk_ids = registry.cite((e.passage_index, *e.also_in))
    return Statement(text=e.text, citations=nums, chunk_ids=chunk_ids, facet=e.facet)


def statement_dict(s: Statement) -> dict[str, Any]:
    return {
        "text": s.text,
        "citations": list(s.citations),
        "chunk_ids": list(s.chunk_ids),
        "facet": s.facet,
    }


def format_reference(c: Citation) -> str:
    """``- [n] Title. Source, Year. Evidence label. <url>`` with every field escaped."""
    title = escape_markdown(" ".join((c.title or c.doc_id).split()))
    parts = [title if title.endswith((".", "?", "!", "\u2026")) else f"{title}."]
    source = escape_markdown(source_name(c.source))
    if source and c.year:
        parts.append(f"{source}, {c.year}.")
    elif source or c.year:
        parts.append(f"{source or c.year}.")
    if c.evidence_label:
        parts.append(f"{escape_markdown(c.evidence_label)}.")
    url = safe_url(c.url)
    if url:
        parts.append(f"<{url}>")
    return f"- [{c.n}] " + " ".join(parts)


@dataclass
class Composition:
    """The parts of a composed (non-abstaining) answer."""

    body: str  # the two parts and the references, markdown
    sections: dict[str, Any]
    citations: list[Citation]
    statements: list[Statement]
    notes: dict[str, str]


def compose_answer(evidence: EvidenceSet, passages: Sequence[Passage], limits: Limits) -> Composition:
    """Render the two parts and the reference list for ranked ``evidence``."""
    plan = plan_answer(evidence, passages, limits)
    registry = CitationRegistry(passages)
    lines: list[str] = [GUIDELINES_HEADING, ""]
    statements: list[Statement] = []
    notes: dict[str, str] = {}

    bottom = [_statement(e, registry) for e in plan.bottom_line]
    cons = [[_statement(e, registry) for e in bullet] for bullet in plan.considerations]
    statements += bottom + [s for b in cons for s in b]
    if bottom:
        lines.append(" ".join(cite_sentence(s.text, s.citations) for s in bottom))
        lines.append("")
        if cons:
            lines.append(CONSIDERATIONS_LEAD)
            for bullet in cons:
                text = " ".join(cite_sentence(s.text, s.citations) for s in bullet)
                lines.append(f"- **{bullet[0].facet}**{FACET_SEPARATOR}{text}")
            lines.append("")
    else:
        note = NO_GUIDELINE_EVIDENCE if plan.has_guideline_passages else NO_GUIDELINE_PASSAGE
        notes["guidelines"] = note
        lines += [note, ""]

    lines += [RESEARCH_HEADING, ""]
    research_sections: list[dict[str, Any]] = []
    if plan.research:
        for heading, items in plan.research:
            bullets = [_statement(e, registry) for e in items]
            statements += bullets
            lines.append(f"*{heading}*")
            lines += [f"- {cite_sentence(s.text, s.citations)}" for s in bullets]
            lines.append("")
            research_sections.append({"heading": heading, "bullets": [statement_dict(s) for s in bullets]})
    else:
        note = NO_RESEARCH_EVIDENCE if plan.has_research_passages else NO_RESEARCH_PASSAGE
        notes["research"] = note
        lines += [note, ""]

    citations = registry.citations()
    if citations:
        lines += [REFERENCES_HEADING, ""]
        lines += [format_reference(c) for c in citations]
        lines.append("")

    sections: dict[str, Any] = {
        "guidelines": {
            "bottom_line": [statement_dict(s) for s in bottom],
            "considerations": [
                {
                    "facet": bullet[0].facet,
                    "text": " ".join(s.text for s in bullet),
                    "citations": sorted({n for s in bullet for n in s.citations}),
                    "chunk_ids": sorted({c for s in bullet for c in s.chunk_ids}),
                    "statements": [statement_dict(s) for s in bullet],
                }
                for bullet in cons
            ],
        },
        "research": research_sections,
    }
    if notes:
        sections["notes"] = dict(notes)
    return Composition(
        body="\n".join(lines).strip(),
        sections=sections,
        citations=citations,
        statements=statements,
        notes=notes,
    )
