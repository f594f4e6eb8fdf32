"""A verdict for a yes/no question, read from the evidence sentences the answer cites.

Why (measured on PubMedQA dev, 250 questions, ``evals/decisions.py``): the evaluation's old heuristic, which reads
the answer text (the first three quoted research bullets; any negation cue means "no", any hedge "maybe"), scored
0.408, below always answering "yes" (0.568). It cannot tell a conclusion from a background sentence, reads
"patients who did not receive X" as a "no" and every "may" as a "maybe" (on dev, "may" is as common in "yes"
conclusions as in "maybe" ones, and "further studies are needed" is *more* common in "yes" ones). ``decide`` scores
0.676 on the same questions, from the evidence ``select_evidence`` hands the offline engine:

1. **Which findings count** (:class:`Tuning`): a research conclusion weighs 1.0, a discussion 0.6, a result 0.5,
   an unlabelled research sentence 0.4, background 0.1, a guideline sentence 0.3; aims and methods ("To determine
   whether ...", "We studied 40 patients", OBJECTIVE, METHODS...) never count, whatever their label. The weight
   is multiplied by (relevance / best relevance) squared, and by 0.25 outside the *lead study* (the document of the
   most relevant counted research finding: the study the question is about).
2. **Stance of one finding** (:func:`sentence_stance`): a negation of the finding ("no significant difference",
   "was not associated", "did not improve", "failed to", "little evidence", "non-significant") says no; a strong
   hedge ("unclear", "remains unknown", "conflicting", "not always", "may or may not") says maybe (not in a
   background, where it states the open question); anything else says yes. "may", "might", "suggest", "further
   studies are needed" are *no* hedges. Negations in a relative clause ("patients who did not ..."), a leading
   concession ("Although no ..., X improved ..."), or fixed phrases ("not only", "cannot be excluded") are shielded.
3. **Question polarity**: a negative question ("Is X not ...?") flips the finding's negation, and a negation word
   the question itself uses ("Does lack of X ...?") is none; for an equivalence question ("as effective as", "the
   same", "an alternative to") no difference answers yes and a difference no; for an omission question ("Can X be
   omitted / replace Y?") "not required" answers yes; for a safety question ("Is X safe?") no added harm answers yes.
4. **Verdict**: "no" when the no-stances hold at least 30% of the weighted stance, "mixed" when strong hedges hold
   40% (and more than "no"), else "yes"; "not_for_all" when the question asks about *all* of something ("Does IVIG
   help all autoimmune conditions?") and the evidence helps in named, selected or some cases, or helps in some and
   not in others; "mixed" also when two on-topic studies of about equal weight (90%) disagree; "unknown" when no
   finding counts (no evidence, or only aims and methods).

``Verdict.pubmedqa`` maps the labels to PubMedQA's: "not_for_all" -> "no" (the question asks about all; the strict
answer is no), "mixed" and "unknown" -> "maybe" (the evidence does not settle it; a "yes" for lack of evidence would
be a verdict nothing cites).

Measured (docs/evals.md "Decision accuracy: the verdict module"): the cues and weights were set by hand while reading
dev errors, so 0.676 on dev is optimistic; a grid search of the weights, cross-validated in five folds inside dev,
scored 0.640 on its held-out folds, no better than the hand-set values, which were kept. Run once on the untouched
test split after all of this was frozen: 0.584 (always "yes" 0.536; the old heuristic 0.472). One ``decide`` call
takes about 1 ms (p95 5 ms).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from medcite.qa.text import content_stems, is_generic

DIRECTIONS = ("benefit", "no difference", "harm", "mixed")


@dataclass(frozen=True)
class Tuning:
    """The weights and thresholds of :func:`decide` (chosen on PubMedQA dev, see the module docstring)."""

    conclusion: float = 1.0
    result: float = 0.5
    discussion: float = 0.6
    unlabelled: float = 0.4
    background: float = 0.1
    guideline: float = 0.3
    other_document: float = 0.25  # findings outside the lead study
    relevance_power: float = 2.0  # weight *= (score / best score) ** relevance_power
    no_share: float = 0.3  # least share of the weighted stance that must say "no"
    maybe_share: float = 0.4  # least share that must say "maybe" (strong hedges only)
    conflict: float = 0.9  # "mixed": a study saying yes and one saying no, each this strong (of the strongest)


TUNING = Tuning()
# Section label -> part, first match wins ("METHODS AND RESULTS" is a result, "BACKGROUND AND AIMS" background).
_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("conclusion", ("CONCLU", "INTERPRETATION", "IMPLICATION")),
    ("result", ("RESULT", "FINDING")),
    ("discussion", ("DISCUSSION", "COMMENT")),
    ("background", ("BACKGROUND", "INTRODUCTION", "CONTEXT", "RATIONALE")),
    ("aim", ("OBJECTIVE", "AIM", "PURPOSE", "METHOD", "DESIGN", "SETTING", "PATIENT", "PARTICIPANT", "SUBJECT",
             "INTERVENTION", "MEASURE", "MATERIAL", "POPULATION", "DATA SOURCE", "PROBAND", "STUDY SELECTION",
             "CASE DEFINITION")),
    ("background", ("CASE",)),
)


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_AIM = _rx(r"^(?:to|we (?:aimed|sought|set out|wanted) to|this study (?:aimed|sought|was designed|was undertaken)"
           r"|the (?:aim|purpose|objective|goal)s? (?:of|was|were|is))\b",
           r"^(?:we|this study|the present study|this prospective study) (?:investigated|examined|evaluated|assessed"
           r"|studied|compared|analy[sz]ed|reviewed|hypothesi[sz]ed|describe|report)\b",
           r"^(?:a |an )?(?:total of )?\d+ (?:consecutive )?(?:patients|subjects|children|women|men|participants)\b")
# Spans whose negation is not the finding's: relative clauses, concessions, fixed phrases.
_SHIELD = _rx(
    r"^(?:even though|although|though|while|whilst|despite|even if|notwithstanding)\b[^,;]{3,200}[,;]",
    r"\b(?:who|which|that|whom|those|patients|subjects|individuals|cases|women|men|children) (?:did|do|does|had|have"
    r"|has|were|was|are|is|could|can)(?: not|n't)\b",
    # a place or case described ("in regions where Chagas disease is now found but is not endemic": round 10)
    r"\bwhere\b[^,;.]{0,80}?\b(?:is|are|was|were)(?: not|n't)\b", r"\bwhether or not\b", r"\bif not\b", r"\bnot only\b",
    r"\bnot (?:un\w+|in(?:frequent|significant|considerable))\b", r"\bnon-?inferior\w*", r"\bnot inferior\b",
    r"\bnot ?withstanding\b", r"\b(?:while|although|though|despite|even if) not\b", r"\bno (?:more|less|later|"
    r"earlier|sooner|fewer) than\b", r"\b(?:with|had|have|has|without) no (?:history|prior|previous|known|"
    r"underlying|other|evidence of disease)\b", r"\bno\.\s?\d", r"\bnot be (?:excluded|ruled out|overemphasi[sz]ed|"
    r"ignored|overlooked|underestimated)\b", r"\bcannot be (?:excluded|ruled out|overemphasi[sz]ed|ignored|"
    r"overlooked|underestimated)\b", r"\b(?:not|cannot|n't) be (?:fully |entirely )?explained by\b")
_NEG = _rx(
    r"\bnot\b", r"n't\b", r"\bcannot\b", r"\bno\b", r"\bnever\b", r"\bneither\b", r"\bnone\b", r"\bnor\b",
    r"\bfail(?:ed|s|ure)? to\b", r"\bunable to\b", r"\black(?:s|ed)?\b", r"\bineffective\b",
    r"\babsen(?:ce|t) of (?:any |a |an )?(?:[\w-]+ ){0,2}(?:effects?|associations?|differences?|relationships?|"
    r"correlations?|benefits?|links?|impact|influence|increase|changes?)\b", r"\b(?:non-?|in)significant(?:ly)?\b",
    r"\b(?:little|poor|insufficient|inadequate|limited|weak|low) (?:[\w-]+ ){0,3}?(?:evidence|awareness|knowledge|"
    r"value|benefit|effect|impact|role|influence|support|improvement|correlation|association|agreement|accuracy|"
    r"understanding|use|utility|usefulness|yield|sensitivity|predictive)\b",
    r"\b(?:insufficient|inadequate(?:ly)?|unreliable)\b", r"\badds? little\b",
    r"\bwithout (?:\w+ ){0,3}(?:differences?|effects?|changes?|benefits?|improvement|impact|influence|increase|"
    r"decrease|advantage)\b", r"\bun(?:related|necessary|justified|affected|changed|altered|disturbed|impaired|"
    r"warranted|likely|supported|helpful|successful|predictable)\b", r"\bindependent(?:ly)? of\b", r"\brather than\b")
_STRONG_HEDGE = _rx(
    r"\bunclear\b", r"\buncertain(?:ty)?\b", r"\binconclusive\b", r"\bcontroversial\b", r"\bconflicting\b",
    r"\binconsistent\b", r"\bequivocal\b", r"\bdebatable\b", r"\bremains? (?:to be|unknown|unanswered|open|"
    r"unresolved|a matter|elusive)\b", r"\b(?:is|are|was|were) (?:still )?unknown\b", r"\bmay or may not\b",
    r"\bnot (?:yet )?(?:clear|known|established|proven)\b", r"\bnot (?:always|necessarily)\b",
    r"\b(?:cannot|could not|can not) be (?:determined|concluded|established|answered|confirmed)\b",
    r"\bmixed (?:results|findings|evidence)\b", r"\bsome but not (?:all|others)\b",
    r"\b(?:is|are|be|seems?|appears?) premature\b", r"\bpremature to\b")
_NEED = r"(?:necessary|required|needed|indicated|justified|warranted|mandatory|essential|obligatory)"
_NEED_NEG = _rx(rf"\bnot (?:\w+ )?{_NEED}", rf"\bun{_NEED}", r"\bno (?:\w+ )?(?:need|indication|benefit) (?:for|of|"
                r"to)\b", r"\b(?:can|could|may|might) (?:\w+ )?be (?:safely )?(?:omitted|avoided|abandoned|stopped|"
                r"replaced|limited|discontinued|withheld|spared|dispensed)\b")
_OMISSION_Q = _rx(r"\bomit", r"\breplace", r"\bstop", r"\bavoid", r"\babandon", r"\bwaste\b", r"\bunnecessary\b",
                  r"\bforgo", r"\bskip", r"\bdispens", r"\bwithout\b", r"\binstead\b", r"\bobsolete\b",
                  r"\bsuperfluous\b", r"\bredundant\b", r"\bdiscontinu", r"\bwithh[oe]ld", r"\bspare\b")
_EQUIVALENCE_Q = _rx(r"\bsame\b", r"\bsimilar\b", r"\bequivalen", r"\bcomparable\b", r"\bas (?:\w+ ){1,2}as\b",
                     r"\bnon-?inferior", r"\binterchangeab", r"\bequal(?:ly)?\b", r"\bidentical\b", r"\bagree",
                     r"\bconcordan", r"\bconsisten", r"\balternative\b")
_SAFETY_Q = _rx(r"\bsafe(?:ly|ty)?\b", r"\bfeasib", r"\bacceptable\b", r"\bwell tolerated\b", r"\bharmless\b")
_DIFFERENT = _rx(r"\bdiffer(?:s|ed|ent|ing|ence|ences)?\b", r"\bsuperior\b", r"\binferior\b", r"\bsignificantly "
                 r"(?:higher|lower|better|worse|longer|shorter|more|less|greater|smaller)\b", r"\bdiscordan",
                 r"\bdisagree", r"\bdiscrepan")
_NO_DIFFERENCE = _rx(r"\bno (?:\w+ ){0,3}differ", r"\bnot (?:\w+ )?differ", r"\bsimilar\b", r"\bcomparable\b",
                     r"\bequivalen", r"\bno (?:\w+ )?(?:effect|benefit|improvement|advantage|change|association)",
                     r"\bdid not (?:\w+ )?(?:improve|reduce|change|affect|alter|increase|decrease|differ|influence)",
                     r"\bnot (?:\w+ )?(?:associated|related|correlated|effective|beneficial|superior)",
                     r"\bfail(?:ed|s)? to\b", r"\bineffective\b", r"\bno significant\b", r"\bnot significant")
_HARM_WORDS = (r"(?:risk|mortality|death|deaths|morbidity|complications?|adverse|toxicity|side effects?|harm|"
               r"infection|failure|recurrence|pain|bleeding|blood loss|injury|relapse|readmission|events?|"
               r"paraplegia|ischemia)")
_GOOD_WORDS = r"(?:survival|quality of life|function|outcomes?|response|recovery|efficacy|accuracy|sensitivity)"
_UP = r"(?:increase[sd]?|increasing|higher|elevated|greater|more|raised|worse(?:ned)?|improved?|improves|improving)"
_DOWN = r"(?:reduce[sd]?|reducing|reduction in|decrease[sd]?|lower(?:ed)?|less|fewer|decline[sd]?|diminished)"
_BENEFIT = _rx(rf"\b{_DOWN} (?:\w+ ){{0,3}}{_HARM_WORDS}", rf"\b{_HARM_WORDS} (?:\w+ ){{0,3}}(?:was|were) "
               rf"(?:\w+ )?{_DOWN}", rf"\b{_UP} (?:\w+ ){{0,3}}{_GOOD_WORDS}", r"\beffective\b", r"\bbenefi",
               r"\bsuperior\b", r"\bbetter\b", r"\bimprove[sd]?\b", r"\bsafe\b", r"\buseful\b", r"\bprotect")
_HARM = _rx(rf"\b{_UP} (?:\w+ ){{0,3}}{_HARM_WORDS}", rf"\b{_DOWN} (?:\w+ ){{0,3}}{_GOOD_WORDS}", r"\bharmful\b",
            r"\bdetrimental\b", r"\bworse\b", r"\binferior\b", r"\bdeleterious\b", r"\badverse (?:effect|outcome)")
_NEGATED_HARM = _rx(rf"\b(?:no|not|without|nor|neither|never)\b(?: [\w-]+){{0,5}} {_HARM_WORDS}\b",
                    rf"\b{_HARM_WORDS} (?:\w+ ){{0,3}}(?:was|were|is|are) (?:not|no)\b")
_CONFLICT = _rx(r"\bconflicting\b", r"\binconsistent (?:results|findings|evidence|effects?)\b",
                r"\bmixed (?:results|findings|evidence)\b")
_CONTRAST = _rx(r"\bbut\b", r"\bwhereas\b", r"\bhowever\b", r"\bwhile\b", r"\balthough\b")
_UNSAFE = _rx(r"\bnot (?:\w+ )?safe\b", r"\bunsafe\b")
_NEGATED_GOOD = _rx(r"\b(?:not|no|never)\s+(?:\w+\s+)?(?:safe|effective|useful|beneficial|better|superior|"
                    r"improve\w*|benefit\w*|protect\w*|help\w*)\b")
NOT_FOR_ALL_YES = 0.2  # a question about all of something: least "yes" share for "not for all"
NOT_FOR_ALL_NO = 0.1  # ... and least "no" share when no finding names a subset
_UNIVERSAL_Q = _rx(r"\b(?:all|every|always|everyone|everybody)\b")
_SPECIFIC = _rx(r"\b(?:some|certain|selected|specific|particular(?:ly)?|only|a subset|subgroups?|especially|"
                r"individuali[sz]ed?|not all|not always|depend(?:s|ing)? on)\b")
_ALL = _rx(r"\b(?:all|every|regardless of|irrespective of|in any)\b")
_QUESTION_PREDICATE_NEG = _rx(r"\bnot\b", r"n't\b", r"\bnever\b", r"\bfail")
_NOUN_NEG_WORDS = frozenset({"no", "lack", "lacks", "lacked", "absence", "absent", "without", "little", "poor",
                             "insufficient", "inadequate", "limited", "low", "weak", "independent", "unnecessary"})


@dataclass(frozen=True)
class Finding:
    """One evidence sentence: its text, its chunk's section label ("RESULTS", "CONCLUSIONS"; "" or a MedQuAD
    question type for guidelines), its kind ("research" | "guideline"), its document and its relevance."""

    text: str
    label: str
    kind: str
    doc_id: str
    score: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """``label``: "yes" | "no" | "mixed" | "not_for_all" | "unknown"; ``basis``: the indices of the findings that
    carry it (best first); ``confidence``: the share of the weighted stance that agrees with it, in [0, 1].

        >>> [Verdict(label, (0,), 0.8).pubmedqa for label in ("no", "not_for_all", "mixed", "unknown")]
        ['no', 'no', 'maybe', 'maybe']
    """

    label: str
    basis: tuple[int, ...]
    confidence: float

    @property
    def pubmedqa(self) -> str:
        """PubMedQA's yes / no / maybe: "not_for_all" is "no" (the question asks about all, the evidence supports
        only some), "mixed" and "unknown" are "maybe" (the evidence does not settle it)."""
        return {"yes": "yes", "no": "no", "not_for_all": "no"}.get(self.label, "maybe")


def findings_of(evidence: Iterable) -> list[Finding]:
    """Findings from ``medcite.qa.evidence.Evidence`` items (``.text``, ``.chunk.label/kind/doc_id``, ``.score``)."""
    return [Finding(text=e.text, label=e.chunk.label, kind=e.chunk.kind, doc_id=e.chunk.doc_id, score=e.score)
            for e in evidence]


def _section(finding: Finding) -> str:
    """The finding's part of its document: conclusion, result, discussion, background, unlabelled, aim (aims and
    methods) or guideline."""
    if finding.kind != "research":
        return "guideline"
    label = finding.label.upper()
    for part, keys in _SECTIONS:
        if any(k in label for k in keys):
            return part
    return "unlabelled"


def _section_weight(finding: Finding, tuning: Tuning) -> float:
    part = _section(finding)
    return 0.0 if part == "aim" else getattr(tuning, part)


def _asked(question: str) -> str:
    """The part of a title-style question that asks ("Storage of vaccines: weak link in the cold chain?")."""
    parts = [p for p in re.split(r"(?<=[:.;?])\s+|\s+-{1,2}\s*|(?<=\w)--(?=\w)", question.strip()) if p.strip()]
    asking = [p for p in parts if p.rstrip().endswith("?")]
    return (asking or parts or [question])[-1]


@dataclass(frozen=True)
class _Reading:
    """What decide needs to know about a question, read once."""

    asked: str
    omission: bool  # "Can X be omitted / replace Y?"
    equivalence: bool  # "Is X as effective as Y?", "Are they the same?"
    safety: bool  # "Is X safe?"
    negative: bool  # "Is X not ...?"
    universal: bool  # "... all / every / always ...?"
    negation_words: frozenset[str]  # "lack", "no" ... in the question: not a finding's negation ("Does lack of X")
    stems: frozenset[str]


@lru_cache(maxsize=1024)
def _reading(question: str) -> _Reading:
    asked = _asked(question) if question else ""
    words = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", asked))
    return _Reading(asked, bool(_OMISSION_Q.search(asked)), bool(_EQUIVALENCE_Q.search(asked)),
                    bool(_SAFETY_Q.search(asked)), bool(_QUESTION_PREDICATE_NEG.search(asked)),
                    bool(_UNIVERSAL_Q.search(asked)), words & _NOUN_NEG_WORDS,
                    frozenset(t for t in _stems(asked) if not is_generic(t)))


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


# "There is no cure; however, a ketogenic diet may help control symptoms": the finding is what follows the turn.
_TURN = re.compile(r"[;,]\s*(?:however|but)\b,?\s*|\s[-\u2013\u2014]+\s*but\b\s*", re.IGNORECASE)


def _after_contrast(text: str) -> str:
    """What a sentence says after "; however," or ", but" (round 10's blind read: "**No.**" opened "Does the
    ketogenic diet help with seizures in GLUT1 deficiency?" from "There is currently no cure ...; however, a special
    diet (called a ketogenic diet) may help control symptoms"); the whole sentence when it has no such turn. Read so
    in guideline sentences only: in a study's conclusion "did not improve the pregnancy rate, but increased the risk
    of multiple pregnancies" the turn is no benefit (PubMedQA dev: one decision lost when research was read so too).

    >>> _after_contrast("There is no cure; however, a special diet may help control symptoms.")
    'a special diet may help control symptoms.'
    """
    m = _TURN.search(text)
    return text[m.end():] if m and len(text[m.end():].split()) >= 4 else text


@lru_cache(maxsize=8192)
def sentence_stance(text: str, question: str = "", *, guideline: bool = False) -> str:
    """"no", "maybe" or "yes": the stance of one finding towards the yes/no ``question``; a ``guideline`` sentence is
    read after its turn (:func:`_after_contrast`).

        >>> sentence_stance("HCA was not found to be a predictor of subsequent cognitive decline in this series.")
        'no'
        >>> sentence_stance("Vaccines were exposed to temperatures that may reduce their potency.")
        'yes'
        >>> sentence_stance("Ultrasound has comparable sensitivity to that of X-ray for limb fractures.",
        ...                 "Is ultrasound equal to X-ray in pediatric fracture diagnosis?")
        'yes'
        >>> sentence_stance("There is no need for an additional STIR sequence.", "Can STIR imaging be omitted?")
        'yes'
    """
    q = _reading(question)
    shielded = _SHIELD.sub(" ", _after_contrast(text) if guideline else text)
    if _STRONG_HEDGE.search(shielded):
        return "maybe"
    if q.omission and _NEED_NEG.search(shielded):
        return "yes"
    if q.equivalence:
        if _NO_DIFFERENCE.search(shielded):
            return "yes"
        if _DIFFERENT.search(shielded):
            return "no"
    if q.safety and _NEGATED_HARM.search(shielded):
        return "yes"  # "Is X safe?" - "X did not increase complications"
    negated = any(m.group(0).split()[0].lower() not in q.negation_words for m in _NEG.finditer(shielded))
    return "no" if negated != q.negative else "yes"  # "Is X not associated with Y?" flips the finding's negation


def _weights(findings: Sequence[Finding], tuning: Tuning) -> tuple[list[float], str | None]:
    """Each finding's weight before the lead-study discount (section x relative relevance; aims 0), and the lead
    study: the document of the most relevant counted research finding."""
    best = max((f.score for f in findings), default=0.0)
    out = []
    for f in findings:
        w = 0.0 if _AIM.search(f.text.strip()) else _section_weight(f, tuning)
        if best > 0:
            w *= (max(f.score, 0.0) / best) ** tuning.relevance_power
        out.append(w)
    counted = [(f.score, -i) for i, (f, w) in enumerate(zip(findings, out, strict=True))
               if w > 0 and f.kind == "research"]
    return out, (findings[-max(counted)[1]].doc_id if counted else None)


def decide(question: str, findings: Sequence[Finding], tuning: Tuning = TUNING) -> Verdict:
    """The stance of ``findings`` towards what ``question`` asks (see the module docstring).

        >>> decide("Does hippocampal atrophy on MRI predict cognitive decline?", [Finding(
        ...     "HCA was not found to be a predictor of subsequent cognitive decline in this series.",
        ...     "CONCLUSIONS", "research", "pubmed:1", 0.7)]).label
        'no'
        >>> decide("Does IVIG help all autoimmune conditions?", [Finding("IVIG is effective in certain autoimmune "
        ...     "conditions such as Kawasaki disease.", "treatment", "guideline", "g:1", 0.6)]).label
        'not_for_all'
        >>> decide("Does X help?", []).label
        'unknown'
    """
    weights, lead = _weights(findings, tuning)
    mass = {"yes": 0.0, "no": 0.0, "maybe": 0.0}
    carriers: dict[str, list[tuple[float, int]]] = {"yes": [], "no": [], "maybe": []}
    documents: dict[str, dict[str, float]] = {}  # per document: its strongest finding of each stance
    for i, (f, w) in enumerate(zip(findings, weights, strict=True)):
        if w <= 0:
            continue
        stance = sentence_stance(f.text, question, guideline=f.kind == "guideline")
        if stance == "maybe" and _section(f) == "background":
            continue  # "It remains unclear whether ..." in a background states the open question, not a finding
        if _section(f) in ("conclusion", "result", "discussion"):
            doc = documents.setdefault(f.doc_id, {})  # a study's outcome: its strongest finding of each stance
            doc[stance] = max(doc.get(stance, 0.0), w)
        if lead is not None and f.doc_id != lead:
            w *= tuning.other_document
        mass[stance] += w
        carriers[stance].append((w, i))
    total = sum(mass.values())
    if total <= 0:
        return Verdict("unknown", (), 0.0)
    share = {k: v / total for k, v in mass.items()}
    if share["maybe"] >= tuning.maybe_share and share["maybe"] > share["no"]:
        label, key = "mixed", "maybe"
    elif share["no"] >= tuning.no_share:
        label, key = "no", "no"
    else:
        label, key = "yes", "yes"
    ranked = {k: [i for _, i in sorted(v, key=lambda t: (-t[0], t[1]))] for k, v in carriers.items()}
    basis = tuple(ranked[key])
    if _reading(question).universal and share["yes"] >= NOT_FOR_ALL_YES:
        # "Does IVIG help all autoimmune conditions?": it helps in some (named, "selected", "certain"), not in others
        yes = [i for i in ranked["yes"] if not _ALL.search(findings[i].text)]
        specific = [i for i in yes if _SPECIFIC.search(findings[i].text)]
        if specific or (yes and share["no"] >= NOT_FOR_ALL_NO):
            return Verdict("not_for_all", tuple(dict.fromkeys(specific + yes[:3] + ranked["no"][:2])),
                           round(share["yes"], 3))
    asked = _reading(question).stems
    topical = {doc for doc in documents if len(asked & set().union(*(_stems(f.text) for f in findings
                                                                     if f.doc_id == doc))) >= len(asked) / 2}
    sides = {k: max((d.get(k, 0.0) for doc, d in documents.items() if doc in topical and max(d, key=d.get) == k),
                    default=0.0) for k in ("yes", "no")}  # the strongest on-topic study saying yes; saying no
    if label != "mixed" and documents and min(sides.values()) >= tuning.conflict * max(
            w for d in documents.values() for w in d.values()):
        # studies disagree (not one abstract's "A, but not B"): the strongest finding of each side
        return Verdict("mixed", (ranked["yes"][0], ranked["no"][0]), round(min(share["yes"], share["no"]), 3))
    return Verdict(label, basis, round(share[key], 3))


def finding_direction(text: str) -> str:
    """"benefit", "no difference", "harm", "mixed" or "" (no direction) for one finding.

        >>> finding_direction("Tranexamic acid administration significantly reduces postoperative blood loss.")
        'benefit'
        >>> finding_direction("There was no significant difference in survival between the groups.")
        'no difference'
        >>> finding_direction("Smoking was associated with a higher risk of recurrence.")
        'harm'
    """
    shielded = _SHIELD.sub(" ", text)
    if _CONFLICT.search(shielded):
        return "mixed"
    unsafe = bool(_UNSAFE.search(shielded))
    plain = _NEGATED_GOOD.sub(" ", shielded)  # "not safe", "no better" are no benefit
    none = bool(_NO_DIFFERENCE.search(shielded)) and not unsafe
    benefit, harm = bool(_BENEFIT.search(plain)), bool(_HARM.search(plain)) or unsafe
    if none and (benefit or harm):
        return "mixed" if _CONTRAST.search(shielded) else "no difference"
    if none:
        return "no difference"
    if benefit and harm:
        return "mixed"
    return "benefit" if benefit else "harm" if harm else ""


_PHRASES = {"benefit": "found a benefit", "no difference": "found no difference", "harm": "found harm",
            "mixed": "found mixed results"}


def agreement_line(directions: Sequence[str]) -> str:
    """How the findings of one facet agree, when three or more bear on it (else "").

        >>> agreement_line(["benefit", "benefit", "no difference", "benefit", ""])
        '3 found a benefit, 1 found no difference'
        >>> agreement_line(["benefit", "", "harm"])
        ''
    """
    counts = Counter(d for d in directions if d in _PHRASES)
    if sum(counts.values()) < 3:
        return ""
    order = sorted(counts, key=lambda d: (-counts[d], DIRECTIONS.index(d)))
    return ", ".join(f"{counts[d]} {_PHRASES[d]}" for d in order)
