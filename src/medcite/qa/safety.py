"""Fixed notices of an answer, the Markdown of a triage result, and two narrow detectors.

Emergencies and people at risk are found by ``medcite.triage`` (its own step, run first on every message);
this module only writes its result as the answer's first block (:func:`triage_markdown`, the one writer of
that block). ``asks_personal_advice`` spots requests for a personal diagnosis or dose; ``instruction_like``
spots text addressed to a language model. Both are cue patterns, pure and deterministic.
"""

from __future__ import annotations

import re
import unicodedata

from medcite.qa.text import fold
from medcite.triage import TriageResult

TRIAGE_FOOTER = "MedCite cannot give emergency help; any evidence below is general information only."
NO_GUIDANCE_AFTER_TRIAGE = (
    "The MedCite library holds no guidance on this situation: please follow the steps above rather than wait "
    "for an answer here."
)
PERSONAL_ADVICE_NOTICE = (
    "This is general evidence, not a diagnosis or prescription; please talk to your clinician about your own situation."
)
REFUSAL = "I could not find evidence in the MedCite library to answer this question."
DISCLAIMER = (
    "MedCite quotes published sources for general information; it is not medical advice and does not "
    "replace a clinician."
)

_CONTRACTIONS = (
    (re.compile(r"\bcan ?not\b"), "cannot"),
    (re.compile(r"\bwill not\b"), "won't"),
    (re.compile(r"\bi am\b"), "i'm"),
)


def _prepare(text: str) -> str:
    t = " ".join(fold(text).split())
    for pattern, repl in _CONTRACTIONS:
        t = pattern.sub(repl, t)
    return t


def triage_markdown(result: TriageResult) -> str:
    """The answer's first block for a flagged message: the headline in bold, then the actions in order."""
    if not result.flagged:
        return ""
    lines = [f"**{result.headline}**", *(f"- {action.text}" for action in result.actions)]
    if not result.withholds_answer:
        lines.append(f"\n*{TRIAGE_FOOTER}*")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Personal advice
# --------------------------------------------------------------------------------------------------

_PERSONAL_ADVICE: tuple[str, ...] = (
    r"\bshould (?:i|we) (?:\w+ )?(?:take|stop|start|use|try|get|go|switch|increase|decrease|lower|raise|"
    r"double|skip|keep|continue|avoid|see|be worried|worry|have)\b",
    r"\bshould (?:my|he|she) (?:\w+ )?(?:take|stop|start|use|get|be given|have)\b",
    r"\bdo i (?:have|need)\b",
    r"\bam i (?:having|at risk|sick|ill|pregnant|allergic|infected|ok|okay|going to|likely)\b",
    r"\bcan (?:i|my \w+) (?:\w+ )?(?:take|use|mix|combine|stop|drink|eat|give|have)\b",
    r"\bis it (?:safe|ok|okay|dangerous|bad|fine|normal) (?:for me|for my|to take|if i|that i|that my)\b",
    r"\bhow (?:much|many|often|long)\b.{0,40}\bshould (?:i|my|he|she|we)\b",
    r"\bwhat (?:dose|dosage|amount|medicine|medication|drug|treatment)\b.{0,30}\b(?:should|do) (?:i|my|we)\b",
    r"\b(?:diagnose|prescribe|treat) (?:me|my)\b",
    r"\bwhat (?:do|does) (?:i|my \w+) have\b|\bwhat(?:'s| is) wrong with (?:me|my)\b",
    r"\bmy (?:doctor|gp|physician|nurse)\b.{0,60}\bshould i\b",
    r"\bis (?:this|my) \w+ (?:normal|serious|dangerous)\b",
)
_PERSONAL_ADVICE_COMPILED = tuple(re.compile(p) for p in _PERSONAL_ADVICE)


def asks_personal_advice(text: str) -> bool:
    """True when the message asks for a personal diagnosis, prescription or dose ("should I take",
    "do I have", "how much should I take", "can I stop my ...")."""
    if not text or not text.strip():
        return False
    t = _prepare(text)
    return any(p.search(t) for p in _PERSONAL_ADVICE_COMPILED)


# --------------------------------------------------------------------------------------------------
# Text addressed to a language model (prompt injection)
# --------------------------------------------------------------------------------------------------

# Text that addresses a language model instead of a reader: a prompt injection planted in a document. The
# LLM engine never shows a passage holding it to the model (so it never counts as support: a claim copied
# from it would be lexically "supported") and drops a generated sentence that reads like it; the offline
# engine never quotes such a sentence. Narrow on purpose: ordinary clinical imperatives ("Tell your
# doctor...", "Ignore the urge to scratch") do not match, nor does any text of the MedQuAD or PubMedQA sets.
_INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:the|of|these|those|this|my)\s+)*"
    r"(?:all|any|your|previous|prior|above|earlier|preceding|system|safety|original|former)\b(?:\s+\w+){0,2}?\s+"
    r"(?:instructions?|prompts?|directives?|guardrails?|rules)\b"
    r"|\bnew\s+instructions?\s*:|\b(?:system|developer)\s+(?:prompt|message|instructions?)\b"
    r"|<\|[a-z_]{2,20}\|>|<\s*/?\s*(?:start|end)_of_turn\s*>|\[/?inst\]|<<\s*/?\s*sys\s*>>"
    r"|(?:^|\n)\s*(?:#+\s*)?(?:system|assistant)\s*:"
    r"|\byou\s+are\s+(?:now\s+)?(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:ai|assistant|chatbot|language\s+model|llm|medcite)\b"
    r"|\bas\s+an?\s+(?:ai|language\s+model)\b"
    r"|\b(?:tell|inform|convince|remind|instruct|reply\s+to|respond\s+to)\s+the\s+user\b"
    r"|\bcite\s+(?:(?:source|passage|reference|document)s?\s+)?(?:\[\s*\d+|(?:number|no\.?)\s*\d+)"
    r"|\b(?:always|only|must)\s+cite\b"
    r"|</?\s*passages\s*>|insufficient_evidence",
    re.I,
)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def instruction_like(text: str) -> bool:
    """Whether ``text`` holds words addressed to a language model (ignore previous instructions, a fake
    system prompt or chat-template token, "tell the user", an order to cite [n], the prompt's own tags)."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text or ""))
    return bool(_INSTRUCTION_LIKE.search(fold(text)))
