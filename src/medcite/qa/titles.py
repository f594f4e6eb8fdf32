"""Reference titles and identical references: a readable title for a research reference whose source keeps none (a
PubMedQA abstract's stored title is its cut first sentence), and one reference for documents that are the same page.

Split from :mod:`medcite.qa.snapshot` (which reads a study's design, participants and population) to keep each
module under 500 lines; the measured reasons are in that module's docstring.

>>> from medcite.qa.snapshot import snapshot
>>> from medcite.types import Chunk
>>> c = Chunk(id="p#1", doc_id="pubmed:1", section_id="p#s1", section="Methods", ordinal=1, year=2009,
...           text="A total of 104 patients with acute cholangitis were randomized to ENBD or no ENBD.",
...           embed_text="", title="Little is known about ENBD…", kind="research", source="PubMed", label="METHODS")
>>> reference_title([c], snapshot([c]))
'Randomised controlled trial of 104 patients'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from medcite.qa.snapshot import (
    _AIM,
    _AIM_SECTION,
    _AIM_VERB,
    _DANGLING,
    _SENTENCE,
    StudySnapshot,
    _count,
    _sections,
    _words,
    is_real_title,
)
from medcite.types import Chunk

T = TypeVar("T")

_GENERIC_MESH = _words(  # check tags, methods and places: not what a study is about
    "Humans|Animals|Male|Female|Adult|Aged|Aged, 80 and over|Middle Aged|Young Adult|Adolescent|Child|Infant|Pregnancy"
    "|Child, Preschool|Infant, Newborn|Treatment Outcome|Prognosis|Incidence|Sensitivity and Specificity|Prevalence"
    "|Predictive Value of Tests|Risk Assessment|Reproducibility of Results|Severity of Illness Index|Survival Rate"
    "|Odds Ratio|Probability|Algorithms|Confidence Intervals|Reference Values|Data Collection|Registries|Recurrence"
    "|Patient Selection|Pilot Projects|Acute Disease|Chronic Disease|Comorbidity|Disease Progression|Placebos"
    "|Random Allocation|Double-Blind Method|Single-Blind Method|Questionnaires|Surveys and Questionnaires|Hospitals"
    "|Health Care Surveys|Health Surveys|Observer Variation|Cause of Death|United States|United Kingdom|England|Canada"
    "|Netherlands|Australia|Germany|France|Italy|Japan|China|Israel|Sweden|Spain|Brazil|Switzerland|Denmark|Norway"
    "|Taiwan|Korea|Republic of Korea|India|Turkey|Greece|Ireland|Scotland|Iran|Europe|Africa|Hong Kong|Ontario", "|")
_GENERIC_MESH_END = (" as Topic", " Studies", " Factors", " Analysis", " Models", " Distribution", " Method",
                     ", Nonparametric", ", Factual", ", Differential", ", Statistical", ", Drug", "(Health Care)")
_MESH_NAMES = {"Tomography, X-Ray Computed": "computed tomography", "Neoplasms": "cancer",
               "Wounds and Injuries": "injuries", "Internship and Residency": "residency training",
               "Health Knowledge, Attitudes, Practice": "health knowledge and attitudes",
               **{f"Pregnancy Trimester, {n}": f"{n.lower()} trimester" for n in ("First", "Second", "Third")}}
_STEM = re.compile(r"[a-z]{4,}")
def _cased(phrase: str, text: str, lower: str) -> str | None:
    """``phrase`` as the text writes it: in lower case if it appears so, else capitalised as away from a sentence
    start ("Alzheimer", "C-peptide", "Injury Severity Score"); None when it does not appear."""
    low, start, capital = phrase.lower(), 0, None
    while (p := lower.find(low, start)) >= 0:
        start, end = p + 1, p + len(low)
        if (p and lower[p - 1].isalnum()) or (end < len(lower) and lower[end].isalnum()):
            continue
        if (form := text[p:end]) == low:
            return low
        capital = form if p > 1 and text[p - 2:p] not in (". ", "? ", "! ") else capital or form[0].lower() + form[1:]
    return capital


def _mesh_phrase(term: str, text: str, lower: str) -> str:
    """A MeSH heading as prose, cased as the abstract writes it: "Diabetes Mellitus, Type 2" -> "type 2 diabetes
    mellitus", "Alzheimer Disease" -> "Alzheimer disease"."""
    parts = [p.strip() for p in term.split(",")]
    phrase = _MESH_NAMES.get(term) or " ".join(parts[1:][::-1] + parts[:1])
    if found := _cased(phrase, text, lower):
        return found
    return " ".join(w if w.isupper() else _cased(w, text, lower) or w.lower() for w in phrase.split())


def _topic(sections: list[tuple[str, str]], mesh: Sequence[str]) -> str:
    """Two or three MeSH headings, those the aim sentence names first; without MeSH, the aim itself, shortened."""
    text = " ".join(t for _, t in sections)
    aims = " ".join(s for label, t in sections for s in _SENTENCE.split(t) if _AIM_SECTION.search(label) or (
        ("aim" in s or "purpose" in s or "objective" in s or s.startswith(("To ", "We "))) and _AIM.search(s)))
    lower_aims, lower = aims.lower(), text.lower()
    scored = []
    for i, term in enumerate(re.sub(r"[*]|/.*$", "", m) for m in mesh):
        if term in _GENERIC_MESH or term.endswith(_GENERIC_MESH_END):
            continue
        stems = {w[:5] for w in _STEM.findall(term.lower())} or {term.lower()}  # 5-letter prefixes: a cheap stemmer
        scored.append((-sum(2 * (s in lower_aims) + (s in lower) for s in stems) / len(stems), i, term))
    phrases: list[str] = []
    for _, _, term in sorted(scored)[:4]:
        phrase = _mesh_phrase(term, text, lower)  # "vitamin D" is left out beside "vitamin D deficiency"
        if not any(phrase.lower() in p.lower() or p.lower() in phrase.lower() for p in phrases):
            phrases.append(phrase)
    del phrases[3:]
    while len(phrases) > 2 and len(", ".join(phrases)) > 60:
        phrases.pop()
    if not phrases:
        m = re.search(r"\bto (?:\w+ )?" + _AIM_VERB + r"\s+(?:the |whether )?(.+)", aims, re.I)
        words = re.split(r"[.;:(]|,\s|\s(?:and to|in order)\s", m.group(1))[0].split()[:12] if m else []
        while words and words[-1].lower() in _DANGLING:
            words.pop()
        return " ".join(words)
    if len(phrases) == 1 or any(" and " in p for p in phrases):
        return ", ".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def reference_title(chunks: Sequence[Chunk], snap: StudySnapshot, metadata: Mapping[str, Any] | None = None) -> str:
    """The title to show for a reference: its real title, else a label built from the study (design, count and
    MeSH topics, or its aim), never the cut-off first sentence.

    >>> from medcite.types import Chunk
    >>> c = Chunk(id="x#0", doc_id="pubmed:3", section_id="x#s0", section="Methods", ordinal=0, label="METHODS",
    ...           title="Tonsillectomy bleeding in 312 children…", kind="research", source="PubMed",
    ...           text="We reviewed 312 children who underwent tonsillectomy.", embed_text="")
    >>> reference_title([c], StudySnapshot("Cohort study", 312, "children", None, 70, noun="children"),
    ...                 {"mesh": ["Tonsillectomy", "Postoperative Hemorrhage", "Child", "Humans"]})
    'Cohort study of 312 children: tonsillectomy and postoperative hemorrhage'
    """
    if is_real_title(chunks):
        return " ".join(chunks[0].title.split())
    head = snap.design
    if snap.studies:
        head += f" of {_count(snap.studies, 'study', 'studies')}"
    elif snap.participants == 1:
        head += " of one patient"
    elif snap.participants:
        head += f" of {snap.participants:,} {snap.noun}"
    topic = _topic(_sections(chunks), list((metadata or {}).get("mesh") or ())) if chunks else ""
    return f"{head}: {topic}" if topic else head


# --- identical references -------------------------------------------------------------------------
def reference_key(ref: Any) -> tuple[str, ...]:
    """What references (objects with ``title``, ``source``, ``kind``, ``doc_id``, e.g. Citation) share when they
    should be shown once. Guidelines: title and source as a reader sees them, case, spacing and punctuation aside
    (MedQuAD splits one page into documents whose URLs differ by a fragment or sub-page). Research: the document
    (its PMID), as two different studies can get the same built title.

    >>> from medcite.types import Citation
    >>> cs = [Citation(n=i, doc_id=f"NIDDK_{i}", title=t, source="NIDDK", year=None, url="", kind="guideline")
    ...       for i, t in ((1, "Causes of Diabetes"), (2, "Causes of diabetes."), (3, "Diabetes"))]
    >>> [[c.n for c in group] for group in merge_references(cs)], same_reference(cs[0], cs[2])
    ([[1, 2], [3]], False)
    """
    if getattr(ref, "kind", "guideline") == "research":
        return ("research", getattr(ref, "doc_id", "") or getattr(ref, "title", ""))
    title = " ".join(re.sub(r"[^\w\s]", " ", (getattr(ref, "title", "") or "").casefold()).split())
    return ("guideline", title, re.sub(r"[^a-z]", "", (getattr(ref, "source", "") or "").lower()))


def same_reference(a: Any, b: Any) -> bool:
    """True when two references have one ``reference_key``: show them once."""
    return reference_key(a) == reference_key(b)


def merge_references(items: Iterable[T], key: Callable[[T], tuple[str, ...]] = reference_key) -> list[list[T]]:
    """Identical references grouped in first-appearance order; show each group once, as its first item."""
    groups: dict[tuple[str, ...], list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.values())
