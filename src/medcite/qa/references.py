"""References of an answer: numbered citations by first appearance (one number a document, one a page however many
documents hold it), source names and evidence labels, and the ``[n]`` grammar of a model's text.

The offline engine cites through :class:`CitationRegistry`; the LLM engine parses the model's ``[n]`` markers with
:func:`parse_citation_numbers` (the model's text, never an answer's Markdown) and renumbers them the same way.

    >>> parse_citation_numbers("See [3, 1] and [2-4].")
    [3, 1, 2, 4]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from medcite.qa.studies import Study
from medcite.types import Chunk, Citation, Passage

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
