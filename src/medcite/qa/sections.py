"""Abstract and guideline sections as evidence: how much a sentence's section says about its worth as an answer.

Research sentences: CONCLUSIONS 1.0 > RESULTS 0.7 > DISCUSSION 0.6 > unlabelled 0.4 > BACKGROUND 0.35 >
OBJECTIVE 0.2 > METHODS 0.1 (:func:`research_section_prior`); a sentence that only states a study's aim or method is
no finding to show (:func:`research_problem`). Guideline sentences: 1.0 when the section's question type or heading
matches what the question asks, 0.6 for overview sections or intent-less questions, 0.3 otherwise
(:func:`guideline_section_prior`).
"""

from __future__ import annotations

import re

from medcite.qa import facets

RESEARCH_SECTION_PRIORS: tuple[tuple[str, float], ...] = (
    ("CONCLU", 1.0),
    ("INTERPRETATION", 1.0),
    ("RESULT", 0.7),
    ("FINDING", 0.7),
    ("DISCUSSION", 0.6),
    ("BACKGROUND", 0.35),
    ("INTRODUCTION", 0.35),
    ("CONTEXT", 0.35),
    ("LIMITATION", 0.3),
    ("OBJECTIVE", 0.2),
    ("AIM", 0.2),
    ("PURPOSE", 0.2),
    ("METHOD", 0.1),
    ("DESIGN", 0.1),
    ("SETTING", 0.1),
    ("PATIENT", 0.1),
    ("PARTICIPANT", 0.1),
    ("SUBJECT", 0.1),
    ("INTERVENTION", 0.1),
    ("MEASURE", 0.1),
)
UNLABELLED_RESEARCH_PRIOR = 0.4

def research_section_prior(label: str, heading: str = "") -> float:
    """Prior of a research sentence by its abstract section (CONCLUSIONS > RESULTS > ... > METHODS)."""
    name = (label or heading or "").upper()
    if not name.strip():
        return UNLABELLED_RESEARCH_PRIOR
    for needle, prior in RESEARCH_SECTION_PRIORS:
        if needle in name:
            return prior
    return UNLABELLED_RESEARCH_PRIOR


def guideline_section_prior(label: str, heading: str, intents: tuple[str, ...]) -> float:
    """Prior of a guideline sentence: does its section (question type / heading) answer the intent?"""
    section_facets = set(facets.question_intents(heading)) if heading else set()
    mapped = facets.facet_for_label(label)
    if mapped:
        section_facets.add(mapped)
    if not intents:
        return 0.6
    if section_facets & set(intents):
        return 1.0
    if not section_facets or section_facets == {facets.BACKGROUND}:
        return 0.6
    return 0.3


_METHOD_LIKE = re.compile(
    r"\b(?:we|the authors) (?:investigated|examined|studied|assessed|evaluated|analy[sz]ed|conducted|performed|"
    r"reviewed|enrolled|recruited|included|compared|measured|identified|searched|describe|report)\b|"
    r"\b(?:were|was) (?:enrolled|randomi[sz]ed|recruited|included|assigned|divided|allocated|conducted|performed|"
    r"carried out|collected|reviewed|retrospectively|prospectively|followed up|surveyed|interviewed)\b|"
    r"^(?:this|the present|the current|our) (?:study|trial|review|analysis|paper|survey)\b|"
    r"\bretrospective(?:ly)? review|\bdata (?:were|was) (?:collected|obtained|extracted|analy)|"
    r"^(?:a total of )?\d+ (?:patients|participants|subjects|women|men|children|adults)\b(?!.*\b(?:had|showed|"
    r"developed|improved|died|reported|experienced)\b)",
    re.I,
)
_RESULT_LIKE = re.compile(
    r"\bsignifican|\bassociated with\b|\bp ?[<=>]|\b\d+(?:\.\d+)? ?%|\b(?:found|showed|shown|demonstrated|"
    r"revealed|indicate[sd]?|suggest(?:s|ed)?|conclude[sd]?)\b|\b(?:improv|reduc|increas|decreas|lower|higher|"
    r"better|worse|effective|benefi|risk|odds|hazard)",
    re.I,
)


def research_problem(sentence: str, label: str, heading: str = "") -> str | None:
    """Why a research sentence is no finding to show, or None: it sits in an aims/objective/methods
    section, or (unlabelled or background) says what a study did rather than what it found.

    >>> research_problem("To determine whether IVIG reduces relapses in CIDP.", "OBJECTIVE")
    'aim or method'
    >>> research_problem("Sixty patients were randomized to IVIG or placebo.", "")
    'aim or method'
    >>> research_problem("IVIG significantly reduced relapses compared with placebo (p<0.01).", "RESULTS")
    """
    prior = research_section_prior(label, heading)
    if prior <= 0.2:
        return "aim or method"
    if prior <= UNLABELLED_RESEARCH_PRIOR and _METHOD_LIKE.search(sentence) and not _RESULT_LIKE.search(
        _METHOD_LIKE.sub(" ", sentence)
    ):
        return "aim or method"
    return None
