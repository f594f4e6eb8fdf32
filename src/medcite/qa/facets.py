"""Facets: the headings under which the offline engine groups evidence sentences.

A sentence is classified by weighted cue patterns (module constants below).  The section it comes from
adds a prior: a MedQuAD question type (``treatment``, ``symptoms``...) or an abstract label maps to a
facet through :data:`QTYPE_FACETS`.  Ties go to the facet listed first in :data:`FACETS`, so the
result is deterministic.  Questions are classified into *intents* (the facets they ask about) with
:data:`QUESTION_INTENTS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from medcite.qa.text import fold

EFFICACY = "Efficacy"
MECHANISMS = "Mechanisms of Action"
DOSING = "Dosing and Administration"
INDICATIONS = "Indications"
OFF_LABEL = "Off-Label Use"
SAFETY = "Safety and Adverse Effects"
DIAGNOSIS = "Diagnosis"
PROGNOSIS = "Prognosis"
CAUSES = "Causes and Risk Factors"
PREVENTION = "Prevention"
TREATMENT = "Treatment"
SYMPTOMS = "Signs and Symptoms"
GENETICS = "Genetics and Inheritance"
FREQUENCY = "Frequency"
BACKGROUND = "Background"
FINDINGS = "Findings"  # research results or conclusions without a more specific cue

# Display order of research headings and tie-break order of the classifier (specific before general).
FACETS: tuple[str, ...] = (
    EFFICACY,
    MECHANISMS,
    DOSING,
    INDICATIONS,
    OFF_LABEL,
    SAFETY,
    TREATMENT,
    SYMPTOMS,
    DIAGNOSIS,
    PROGNOSIS,
    CAUSES,
    GENETICS,
    FREQUENCY,
    PREVENTION,
    FINDINGS,
    BACKGROUND,
)
# Which facet wins a tie of cue scores: the more specific one.
_TIE_ORDER: tuple[str, ...] = (
    OFF_LABEL,
    SAFETY,
    DOSING,
    MECHANISMS,
    INDICATIONS,
    DIAGNOSIS,
    PREVENTION,
    GENETICS,
    CAUSES,
    FREQUENCY,
    PROGNOSIS,
    SYMPTOMS,
    EFFICACY,
    TREATMENT,
    FINDINGS,
    BACKGROUND,
)

# Cue patterns (matched on folded text) with weights: 2 = strong, unambiguous cue; 1 = weak cue.
FACET_CUES: dict[str, tuple[tuple[str, int], ...]] = {
    EFFICACY: (
        (r"\beffective(?:ness)?\b", 2),
        (r"\befficac", 2),
        (r"\bineffective\b", 2),
        (r"\b(?:no|little|any|clear|significant) (?:clinical )?benefit", 2),
        (r"\bbenefi(?:t|ts|ted|cial)\b", 1),
        (r"\bimprov(?:e|ed|es|ing|ement|ements)\b", 1),
        (r"\b(?:little|no|some|partial|marked|significant|modest) (?:clinical )?improvement\b", 2),
        (r"\b(?:response|responded|respond|remission)\b", 1),
        (r"\b(?:randomi[sz]ed|placebo|controlled trial|trials?)\b", 1),
        (r"\b(?:negative|positive) (?:trial|result|study|studies)", 2),
        (r"\b(?:were|was) (?:negative|positive|ineffective|effective)\b", 2),
        (r"\b(?:most|more|less|not) useful\b", 2),
        (r"\b(?:did not|failed to|no significant|not significantly)\b", 1),
        (
            r"\bsignificantly (?:lower|higher|reduced|improved|better|worse|increased|decreased|shorter|"
            r"longer)\b",
            2,
        ),
        (r"\b(?:seems?|appears?) to (?:reduce|improve|prevent|lower|shorten|help)\b", 2),
        (r"\b(?:superior|inferior|non-?inferior|outcomes?)\b", 1),
        (r"\breduc(?:e|ed|es|ing|tion) (?:the )?(?:severity|duration|mortality|relapse|symptoms)", 2),
        (r"\bshorten", 1),
        (r"\blessen", 1),
    ),
    MECHANISMS: (
        (r"\bmechanism", 2),
        (r"\b(?:works?|acts?) by\b", 2),
        (r"\bimmunomodulat", 2),
        (r"\bneutrali[sz]", 2),
        (r"\bfc(?:-gamma| gamma|\u03b3)? ?(?:receptor|fragment)", 2),
        (r"\banti-?idiotyp", 2),
        (r"\b(?:complement|cytokine|autoantibod|pathogenic antibod)", 1),
        (r"\b(?:inhibit|block|bind|modulat|suppress)(?:s|ed|ing|ion)?\b", 1),
        (r"\bpathway", 1),
        (r"\bmode of action\b", 2),
    ),
    DOSING: (
        (r"\bdos(?:e|es|ing|age|ages)\b", 2),
        # a dose, not a lab value or threshold ("200 mg/dL", "5 mmol/L", "300 mg in 24 hours of urine")
        (r"\b\d+(?:\.\d+)? ?(?:mg|g|mcg|\u00b5g|ml|units?)(?:/kg)?\b(?!/(?:dl|l|ml|24|mmol|g|day urine)\b)"
         r"(?! (?:of|per) (?:protein|albumin|creatinine|glucose|blood|urine|plasma|serum)\b)", 2),
        (r"\bg/kg\b", 2),
        (r"\binfus(?:ion|ions|ed)\b(?! reactions?)", 2),
        (r"\b(?:administ(?:er|ered|ration)|given (?:over|every|as)|injection)", 1),
        (r"\b(?:every|each) \d+ (?:days?|weeks?|months?|hours?)\b", 2),
        (r"\b(?:per (?:day|week|kg)|daily|weekly|regimen|maintenance)\b", 1),
        (r"\b(?:subcutaneous(?:ly)?|by mouth|orally|tablets?|capsules?)\b", 1),
        (r"\binfusion rate|rate of infusion\b", 2),
    ),
    INDICATIONS: (
        (r"\bindications?\b|\bindicated (?:for|in|as|when)\b", 2),
        (r"\bapproved (?:for|by|in|to)\b", 2),
        (r"\bfda\b", 1),
        (r"\b(?:first|second)[- ]line\b", 2),
        (r"\bstandard (?:therapy|therapies|treatment|of care)\b", 2),
        (r"\btreatment of choice\b", 2),
        (r"\brecommended (?:for|in|as)\b", 2),
        (r"\bused (?:to treat|for|in)\b", 1),
        (r"\b(?:is|are) (?:given|prescribed) (?:to|for)\b", 1),
        (r"\bcandidates? for\b", 1),
        (r"\bsuch as\b", 0),
    ),
    OFF_LABEL: (
        (r"\boff[- ]label\b", 3),
        (r"\bunlicensed\b", 3),
        (r"\bnot (?:fda[- ])?approved\b", 2),
        (r"\b(?:unapproved|investigational)\b", 2),
        (r"\boutside (?:the |its )?(?:approved|licensed)", 3),
        (r"\bempiric(?:al|ally)?\b", 1),
    ),
    SAFETY: (
        (r"\bside[- ]effects?\b", 3),
        (r"\badverse (?:effects?|events?|reactions?)\b", 3),
        (r"\b(?:toxicit|safety|safe|unsafe|tolerab|tolerated)", 2),
        (r"\bcontraindicat", 2),
        (r"\b(?:thrombo(?:sis|embolic|embolism|tic)|anaphyla|aseptic meningitis|hemoly|haemoly)", 2),
        (r"\b(?:renal|kidney) (?:failure|dysfunction|impairment|injury)\b", 2),
        (r"\b(?:headaches?|nausea|chills|fever|rash|flushing)\b", 1),
        (r"\b(?:infusion|allergic|hypersensitivity) reactions?\b", 3),
        (r"\b(?:allergic|hypersensitivity)\b", 1),
        (r"\b(?:warning|caution|monitor(?:ed|ing)?)\b", 1),
        (r"\bcomplications?\b", 1),
        (r"\b(?:postoperative|post-operative) (?:nausea|pain|complications?|morbidity|infections?)\b", 2),
    ),
    TREATMENT: (
        (r"\btreat(?:ed|ment|ments|ing|s)?\b", 1),
        (r"\btherap(?:y|ies)\b", 1),
        (r"\bmanag(?:e|ed|ement)\b", 1),
        (r"\b(?:surgery|surgical|medications?|drugs?|plasmapheresis|plasma exchange|transplant)", 1),
        (r"\bno (?:known )?cure\b", 2),
        (r"\bcure\b", 1),
        (r"\bsupportive care\b", 2),
    ),
    SYMPTOMS: (
        (r"\bsymptoms?\b", 1),
        (r"\bsigns and symptoms\b|\bsymptoms (?:include|are|may include|can include|of)\b", 2),
        (r"\bsigns?\b", 1),
        (r"\bpresent(?:s|ed)? with\b", 2),
        (r"\b(?:weakness|numbness|tingling|fatigue|pain|swelling|paralysis|seizures?)\b", 1),
        (r"\bfeatures? of\b", 1),
    ),
    DIAGNOSIS: (
        (r"\bdiagnos", 2),
        (r"\b(?:tests?|testing|screening|biopsy|imaging|mri|ct scan|x-ray|ultrasound|electromyograph)", 1),
        (r"\bnerve conduction\b", 2),
        (r"\b(?:sensitivity|specificity|predictive value|detect(?:ed|ion|s)?)\b", 1),
        (r"\bstag(?:e|es|ing)\b", 1),
    ),
    PROGNOSIS: (
        (r"\bprognos", 3),
        (r"\boutlook\b", 3),
        (r"\b(?:surviv|life expectancy|mortality|fatal|death)", 2),
        (r"\brecover(?:y|ed|s)?\b", 1),
        (r"\b(?:relapse|recurren|long-term|residual)", 1),
    ),
    CAUSES: (
        (r"\b(?:caused by|causes of|cause of|due to|results from|resulting from)\b", 2),
        (r"\brisk factors?\b", 3),
        (r"\b(?:triggers?|triggered|exposure|predispos|susceptib)", 1),
        (r"\bassociated with (?:an )?(?:increased|higher) risk\b", 2),
        (r"\bincreas(?:e|es|ed) the risk\b", 2),
    ),
    GENETICS: (
        (r"\binherit", 3),
        (r"\bautosomal\b", 3),
        (r"\bx-linked\b", 3),
        (r"\b(?:genes?|genetic|mutations?|chromosom|variants?)\b", 1),
    ),
    FREQUENCY: (
        (r"\bpreval", 3),
        (r"\bincidence\b", 2),
        (r"\baffects? (?:about|approximately|an estimated|nearly|fewer than|more than|\d)", 3),
        (r"\b(?:\d[\d,]*|one) in (?:\d[\d,]*|every) (?:people|individuals|persons|births|newborns)", 3),
        (r"\b(?:rare|uncommon|how common)\b", 1),
        (
            r"\b\d+(?:\.\d+)?(?: to \d+(?:\.\d+)?)? ?(?:percent|%) of (?:all )?"
            r"(?:people|patients|adults|children|women|men|individuals|cases|americans)\b",
            2,
        ),
    ),
    PREVENTION: (
        (r"\bprevent(?:s|ed|ion|ing)?\b", 2),
        (r"\bvaccin", 2),
        (r"\bprophyla", 2),
        (r"\b(?:reduce|lower|lowers|reduces) (?:the |your )?(?:risk|chance)", 2),
        (r"\bavoid(?:s|ed|ing)?\b", 1),
    ),
    FINDINGS: (),
    BACKGROUND: (),
}
_COMPILED: dict[str, tuple[tuple[re.Pattern[str], int], ...]] = {
    facet: tuple((re.compile(p), w) for p, w in cues if w) for facet, cues in FACET_CUES.items()
}
# One alternation per facet, to skip a facet whose cues cannot match at all.
_ANY_CUE: dict[str, re.Pattern[str]] = {
    facet: re.compile("|".join(f"(?:{p})" for p, w in cues if w))
    for facet, cues in FACET_CUES.items()
    if any(w for _p, w in cues)
}

# MedQuAD question types -> facet (the prior of every sentence of such a section).
QTYPE_FACETS: dict[str, str] = {
    "treatment": TREATMENT,
    "symptoms": SYMPTOMS,
    "causes": CAUSES,
    "susceptibility": CAUSES,
    "inheritance": GENETICS,
    "genetic changes": GENETICS,
    "frequency": FREQUENCY,
    "exams and tests": DIAGNOSIS,
    "stages": DIAGNOSIS,
    "outlook": PROGNOSIS,
    "complications": PROGNOSIS,
    "prevention": PREVENTION,
    "information": BACKGROUND,
    "research": BACKGROUND,
    "considerations": BACKGROUND,
    "support groups": BACKGROUND,
}
_LABEL_PRIOR_WEIGHT = 1.5  # a strong cue (2) beats the section's type alone; a weak cue beside it does not
MIN_CUE_SCORE = 2  # one weak cue alone does not decide a facet

# Question intent patterns (folded question text) -> the facets the question asks about.
QUESTION_INTENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bside[- ]effects?|adverse|safe|safety|risks? of (?:taking|using)|dangerous|harm", (SAFETY,)),
    (r"\bhow much\b|\bdos(?:e|es|ing|age)\b|how often|how long (?:do|does|should)|infus", (DOSING,)),
    (r"\bhow does\b.*\bwork\b|\bmechanism|\bhow (?:does|do) .* (?:act|help)\b", (MECHANISMS,)),
    (r"\boff[- ]label|unapproved|not approved", (OFF_LABEL, INDICATIONS)),
    (
        r"\bwho should|\bwhen (?:is|are|should)\b.*\b(?:used|given|recommended)|\bindicat|used for\b",
        (INDICATIONS,),
    ),
    (
        r"\b(?:does|do|did|can|could|will|would|is|are)\b.*\b(?:help|work|effective|improve|benefit|cure)",
        (EFFICACY, INDICATIONS, TREATMENT),
    ),
    (r"\beffective|efficac|benefit|\bwork(?:s)? for\b", (EFFICACY,)),
    (r"\btreat|therap|manag|cure|medication|drug", (TREATMENT, INDICATIONS, EFFICACY)),
    (r"\bsymptom|\bsigns?\b|what does .* feel|how do i know if", (SYMPTOMS,)),
    (r"\bdiagnos|\btests?\b|screen|detect", (DIAGNOSIS,)),
    (r"\bcause|\bwhy do|\bwhy does|risk factor|\bwho gets|susceptib|trigger", (CAUSES,)),
    (r"\binherit|genetic|\bgenes?\b|passed down|hereditary", (GENETICS,)),
    (r"\bhow common|how many people|prevalen|incidence|how rare", (FREQUENCY,)),
    (r"\bprevent|avoid|vaccin|reduce (?:the |my )?risk", (PREVENTION,)),
    (r"\boutlook|prognos|surviv|life expectancy|recover|complication|die of", (PROGNOSIS,)),
    (r"^\s*(?:what|who) (?:is|are)\b|\bdefin", (BACKGROUND,)),
)
_INTENTS_COMPILED = tuple((re.compile(p), facets) for p, facets in QUESTION_INTENTS)


def facet_for_label(label: str) -> str | None:
    """The facet a section label implies: a MedQuAD question type, or None (abstract labels imply none)."""
    return QTYPE_FACETS.get((label or "").strip().lower())


def facet_scores(text: str) -> dict[str, float]:
    """Summed cue weights per facet for ``text`` (facets without a cue are absent)."""
    return dict(_facet_scores(fold(text)))


@lru_cache(maxsize=8192)
def _facet_scores(folded: str) -> tuple[tuple[str, float], ...]:
    out: list[tuple[str, float]] = []
    for facet, any_cue in _ANY_CUE.items():
        if not any_cue.search(folded):
            continue
        total = sum(weight for pattern, weight in _COMPILED[facet] if pattern.search(folded))
        if total:
            out.append((facet, total))
    return tuple(out)


_FINDING_LABELS = ("RESULT", "CONCLU", "FINDING", "INTERPRETATION", "DISCUSSION")


def classify_sentence(text: str, label: str = "") -> str:
    """The facet heading of one evidence sentence.

    Cue weights of the sentence, plus :data:`_LABEL_PRIOR_WEIGHT` for the facet its section label
    maps to; the highest total of at least :data:`MIN_CUE_SCORE` wins, ties by specificity.  Otherwise
    the label's facet; ``Findings`` for an abstract's results or conclusions; else ``Background``.
    """
    scores = facet_scores(text)
    prior = facet_for_label(label)
    if prior is not None and prior != BACKGROUND:
        scores[prior] = scores.get(prior, 0) + _LABEL_PRIOR_WEIGHT
    scores = {facet: total for facet, total in scores.items() if total >= MIN_CUE_SCORE}
    if not scores:
        if prior:
            return prior
        return FINDINGS if any(k in (label or "").upper() for k in _FINDING_LABELS) else BACKGROUND
    best = max(scores.values())
    for facet in _TIE_ORDER:
        if scores.get(facet) == best:
            return facet
    return BACKGROUND  # pragma: no cover - every facet is in _TIE_ORDER


def has_cue(text: str, wanted: Iterable[str]) -> bool:
    """True when ``text`` holds a cue word of any of the ``wanted`` facets."""
    return _has_cue(text, tuple(wanted))


@lru_cache(maxsize=16384)
def _has_cue(text: str, wanted: tuple[str, ...]) -> bool:
    pattern = _union(wanted)
    return bool(pattern and pattern.search(fold(text)))


@lru_cache(maxsize=256)
def _union(wanted: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = [p for f in wanted for p, w in FACET_CUES.get(f, ()) if w]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


@lru_cache(maxsize=4096)
def question_intents(question: str) -> tuple[str, ...]:
    """The facets a question asks about, most specific first, without repeats (may be empty)."""
    folded = fold(question)
    out: list[str] = []
    for pattern, facets in _INTENTS_COMPILED:
        if pattern.search(folded):
            out.extend(f for f in facets if f not in out)
    if len(out) > 1 and BACKGROUND in out:
        out.remove(BACKGROUND)  # "What are the symptoms of X?" asks about symptoms, not an overview
    return tuple(out)
