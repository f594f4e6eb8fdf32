"""A yes / no / maybe reading of an answer, for decision accuracy on sets that carry a gold decision.

Neither answer engine states a decision: the offline engine only quotes passages, and the LLM engine is
not asked for one. :func:`extract_decision` is therefore a **heuristic**, and the evaluation labels its
figure "decision accuracy (heuristic)":

1. an abstention gives no decision (scored as wrong by ``metrics.decision_accuracy``);
2. otherwise it reads the answer's first :data:`LEAD_STATEMENTS` research statements (the gold decisions of
   PubMedQA and of the handwritten set come from research abstracts), or, when the answer quotes no
   research, its first guideline statements (the bottom line, then the key considerations);
3. a negation cue there ("did not", "no significant", "not associated", ...) gives "no", unless hedges
   outnumber the negations; a hedge ("may", "uncertain", "further trials are needed", ...) gives "maybe";
   anything else gives "yes".

It cannot tell which sentence answers the question, sees negation only through fixed phrases and treats a
quoted background sentence like a conclusion. Read it next to ``decision_baseline`` (the accuracy of always
saying the most common gold label), which the report prints beside it; a heuristic that does not beat that
baseline tells you nothing. Use ``--decisions none`` to leave decision accuracy out altogether.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

DECISION_MODES: tuple[str, ...] = ("heuristic", "none")
LEAD_STATEMENTS = 3

NEGATION_CUES: tuple[str, ...] = (
    r"\bno (?:statistically )?significant\b",
    r"\bnot (?:statistically )?significant(?:ly)?\b",
    r"\bno (?:clear |good |consistent )?(?:evidence|difference|benefit|effect|association|improvement|"
    r"relationship|correlation|reduction|increase|change)\b",
    r"\b(?:did|does|do|was|were|is|are|has|have|had) not\b",
    r"\b(?:didn't|doesn't|don't|wasn't|weren't|isn't|aren't|hasn't|haven't)\b",
    r"\bnot associated\b",
    r"\bfail(?:ed|s)? to\b",
    r"\bineffective\b",
    r"\bno longer\b",
    r"\blacks? (?:support|evidence|benefit)\b",
    r"\bcannot\b",
)
HEDGE_CUES: tuple[str, ...] = (
    r"\bmay\b",
    r"\bmight\b",
    r"\bpossibl[ey]\b",
    r"\buncertain(?:ty)?\b",
    r"\bunclear\b",
    r"\binconclusive\b",
    r"\bconflicting\b",
    r"\bmixed\b",
    r"\bvariable\b",
    r"\blimited evidence\b",
    r"\b(?:further|more|larger) (?:\w+ )?(?:studies|research|trials|investigation|data)\b",
    r"\bremains? to be\b",
    r"\bnot (?:yet )?clear\b",
)
_NEGATION = [re.compile(p, re.IGNORECASE) for p in NEGATION_CUES]
_HEDGE = [re.compile(p, re.IGNORECASE) for p in HEDGE_CUES]


def decide_text(texts: Iterable[str]) -> str:
    """"no", "maybe" or "yes" for these sentences by the cue rules in the module docstring."""
    blob = " ".join(texts)
    negations = sum(len(p.findall(blob)) for p in _NEGATION)
    hedges = sum(len(p.findall(blob)) for p in _HEDGE)
    if negations and negations >= hedges:
        return "no"
    if hedges:
        return "maybe"
    return "yes"


def extract_decision(answer: Any, mode: str = "heuristic") -> str | None:
    """The decision an answer implies, or None (abstained, nothing stated, or ``mode="none"``).

    An answer that states a decision (``Answer.decision``: yes/no/maybe, from its verdict) is taken at its word;
    otherwise the cue rules read its first research statements, then its guideline statements.
    """
    if mode not in DECISION_MODES:
        raise ValueError(f"decisions must be one of {', '.join(DECISION_MODES)}, not {mode!r}")
    if mode == "none" or getattr(answer, "abstained", False):
        return None
    explicit = getattr(answer, "decision", "")
    if isinstance(explicit, str) and explicit.strip().lower() in ("yes", "no", "maybe"):
        return explicit.strip().lower()
    research = [s.text for f in getattr(answer, "research", None) or [] for s in f.statements if s.text.strip()]
    statements = getattr(answer, "statements", None)
    every = [s.text for s in statements()] if callable(statements) else []
    texts = research[:LEAD_STATEMENTS] or every[:LEAD_STATEMENTS]
    if not texts:
        return None
    return decide_text(texts)


def majority_baseline(gold: Iterable[str | None]) -> tuple[str | None, float | None]:
    """The most common gold decision and the accuracy of always answering it (None without decisions)."""
    labels = [g.strip().lower() for g in gold if g and g.strip()]
    if not labels:
        return None, None
    label, count = Counter(labels).most_common(1)[0]
    return label, count / len(labels)
