# ruff: noqa: E501 - the cue table reads best one type a line
"""Question types, yes/no form, population, and the types a library section answers.

The types are MedQuAD's and LiveQA's (information, symptoms, causes, treatment, ...), plus those clinicians ask
(dosage, interactions, contraindications, efficacy, mechanism). A question gets every type whose cue phrase it
holds; a library section gets its type from its label (MedQuAD's qtype) or, for other guideline pages, from its
heading and title ("Heart attack (Causes)"), read with the same cues, so both sides speak one vocabulary.

    >>> question_types("could my leg pain be from my pills?"), question_types("How is gout treated?")
    (('side_effects',), ('treatment',))
"""

from __future__ import annotations

import re
from functools import lru_cache

QUESTION_TYPES = (
    "information", "symptoms", "causes", "treatment", "dosage", "side_effects", "interactions",
    "contraindications", "prevention", "diagnosis", "prognosis", "genetics", "efficacy", "mechanism",
    "susceptibility", "complications", "frequency",
)

_CUES: dict[str, str] = {
    "symptoms": r"symptom|signs?\b(?! up)|warning signs|feel(?:s|ing)? like|what does .{1,30} look like|how do (?:i|you) "
                r"know (?:if|whether)|presentation|manifest",
    "causes": r"\bcause[sd]?\b|causing|why (?:do|does|did|am|is|are|would|has|have)|what makes|trigger|reasons? for|"
              r"\bdue to\b|how (?:do|does) (?:you|one|someone|people) (?:get|catch)|where does .{1,20} come from",
    "treatment": r"\btreat|therap|\bcure|manag(?:e|ing|ement)|medication for|medicines? for|drugs? for|get rid of|"
                 r"remed|reliev|surgery|what (?:can|should) (?:i|we|he|she|they) (?:take|do|use)|how to (?:stop|heal|fix)|"
                 r"help (?:with|for)|best (?:way|thing) to|home care|alternative medicine|options|"
                 r"what (?:inhaler|medicine|medication|drug|pill|cream|antibiotic)",
    "dosage": r"\bdos(?:e|es|age|ing)\b|how much .{0,30}(?:take|give)|\bmg\b|milligram|how often (?:should|can|do)|"
              r"maximum|how many (?:pills|tablets|times)",
    "side_effects": r"side[ -]?effects?|adverse|reaction to|could it be (?:the|my) (?:pills?|medicines?|meds?|drugs?|"
                    r"tablets?|statins?)|caused by (?:the|my) (?:pills?|medicines?|meds?|drugs?)|from (?:the|my) "
                    r"(?:pills?|meds?|medication)|\bsafe\b|safety|harm(?:ful)?|toxic|damage",
    "interactions": r"interact|together with|at the same time|mix(?:ing)? .{0,20}with|combin(?:e|ing)|with alcohol|"
                    r"and alcohol|while (?:taking|on)|(?:take|taking|use|using) \w+(?:-\w+)? (?:with|and|while) \w+",
    "contraindications": r"contraindicat|should(?:n't| not) (?:take|use|have)|who should(?:n't| not)|avoid (?:taking|"
                         r"using)|safe (?:in|during|while) (?:pregnan|breast)|can i take .{1,40} (?:if|with) (?:i|my)",
    "prevention": r"prevent|avoid|reduc(?:e|ing) (?:the |my |your )?(?:risk|chance)|protect|vaccin|immuni[sz]|"
                  r"lower (?:my|the|your) (?:risk|chance)|(?:not|n't|never|avoid) (?:eat|drink)|foods? (?:to )?avoid|"
                  r"\bdiet\b|stop .{1,20} from",
    "diagnosis": r"diagnos|\btests?\b|testing|screen|exam(?:s|ination)?\b|scan|x-?ray|\bmri\b|blood work|biopsy|"
                 r"how (?:do|does|can) (?:doctors?|they|you) (?:know|tell|find out|detect)|detect|level[s]? (?:of|mean)",
    "prognosis": r"outlook|prognos|life expectancy|surviv|how long|recover|go away|curable|fatal|die (?:of|from)|"
                 r"get better|permanent|stages?\b|long[- ]term",
    "genetics": r"inherit|genetic|hereditary|\bgenes?\b|run in (?:the |my )?famil|pass(?:ed)? (?:it )?(?:on|down)|"
                r"mutation|carrier|chromosom",
    "efficacy": r"\b(?:does|do|did|can|will|would) .{1,50}\b(?:help|work)|effective|efficacy|better than|"
                r"compared?|\bvs\.?\b|versus|worth (?:it|taking)|benefit|improve|reduce[sd]? .{0,20}(?:risk|mortality)",
    "mechanism": r"how (?:does|do) .{1,40} work|mechanism|what does .{1,30} do (?:in|to)|acts? on|pathophysiolog",
    "susceptibility": r"who (?:gets|is at risk|can get)|at risk|risk factors?|more likely|prone to|chances? of (?:getting|"
                      r"having)|susceptib",
    "complications": r"complication|lead to|lead(?:s)? to|long[- ]term effects|consequence",
    "frequency": r"how common|how many people|prevalen|incidence|how rare|how often does",
    "information": r"\bwhat (?:is|are)\b|tell me about|explain|information|overview|summary|definition|mean\b|"
                   r"what does .{1,30} mean",
}
_COMPILED = {t: re.compile(p, re.IGNORECASE) for t, p in _CUES.items()}
_YES_NO = re.compile(r"^\s*(?:(?:and|so|but|also|then|ok|okay)[,\s]+)?(?:is|are|am|can|could|do|does|did|should|would|will|was|"
                     r"were|has|have|had|may|might|must|shall)\b", re.IGNORECASE)
_ASKS = re.compile(r"^\s*(?:what|how|why|who|which|when|where|is|are|can|does|do|should)\b", re.IGNORECASE)
_POPULATIONS = {
    "infant": r"\b(?:baby|babies|infant|newborn|neonat\w*|\d{1,2}[- ](?:week|wk|month|mo)s?[- ]old)\b",
    "child": r"\b(?:child|children|kids?|toddlers?|my (?:son|daughter)|teens?|teenagers?|adolescen\w*|p(?:a)?ediatric|"
             r"\d{1,2}[- ](?:year|yr)s?[- ]old (?:boy|girl|son|daughter))\b",
    "pregnancy": r"\b(?:pregnan\w*|expecting a baby|trimester|prenatal|antenatal)\b",
    "breastfeeding": r"\b(?:breast ?feed\w*|nursing (?:mother|mom|my baby)|breast ?milk|lactat\w*)\b",
    "adult": r"\b(?:adults?|grown-?ups?)\b(?!-onset| onset)",
    "older_adult": r"\b(?:elderly|older (?:adult|people|person|man|woman)|grand(?:ma|pa|mother|father|parent)|"
                   r"(?:[6-9]\d|1[01]\d)[- ](?:year|yr)s?[- ]old|seniors?)",
}
_POPULATION_RES = {p: re.compile(r, re.IGNORECASE) for p, r in _POPULATIONS.items()}

# MedQuAD's qtype labels (lower-cased) and PubMed's section labels, in these types.
SECTION_LABELS = {
    "information": "information", "symptoms": "symptoms", "causes": "causes", "treatment": "treatment",
    "prevention": "prevention", "exams and tests": "diagnosis", "outlook": "prognosis", "stages": "prognosis",
    "inheritance": "genetics", "genetic changes": "genetics", "frequency": "frequency",
    "susceptibility": "susceptibility", "complications": "complications", "considerations": "treatment",
    "research": "efficacy", "results": "efficacy", "conclusions": "efficacy", "conclusion": "efficacy",
}


@lru_cache(maxsize=65536)
def question_types(text: str) -> tuple[str, ...]:
    """Every type whose cue ``text`` holds, in QUESTION_TYPES order; ("information",) when none does."""
    found = tuple(t for t in QUESTION_TYPES if t in _COMPILED and _COMPILED[t].search(text))
    if len(found) > 1 and "information" in found:
        found = tuple(t for t in found if t != "information")  # "what are the symptoms" asks for symptoms
    return found or ("information",)


def yes_no(text: str) -> bool:
    """Whether the question asks for a yes or a no ("Does IVIG help...?", "can I take...")."""
    return bool(_YES_NO.match(text))


def population_of(text: str) -> tuple[str, ...]:
    return tuple(p for p, pattern in _POPULATION_RES.items() if pattern.search(text))


@lru_cache(maxsize=65536)
def section_types(label: str, heading: str, title: str) -> frozenset[str]:
    """The types a library section answers: its label's, else those its heading or its title's "(...)" names."""
    mapped = SECTION_LABELS.get(label.strip().lower())
    if mapped:
        return frozenset({mapped})
    if label.strip().upper() in ("BACKGROUND", "OBJECTIVE", "OBJECTIVES", "METHODS", "DESIGN", "SETTING"):
        return frozenset()
    bracket = re.search(r"\(([^()]{2,60})\)\s*$", title)
    asks = title.rstrip().endswith("?") or bool(_ASKS.match(title))  # a page titled "What causes Stroke?"
    text = " ".join(p for p in (heading if heading != title else "", bracket.group(1) if bracket else "",
                                title if asks and not bracket else "") if p)
    if not text.strip():
        return frozenset()
    found = question_types(text)
    return frozenset(found)
