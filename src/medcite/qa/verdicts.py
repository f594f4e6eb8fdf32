"""Verdicts for yes/no questions: a phrase from a fixed set, stated from the cited evidence (``medcite.qa.decision``).

The offline engine never writes a fact of its own; the only words it adds to an answer are these phrases, each shown
before the sentences that carry it (the verdict's basis is put into the bottom line when it is not already there):

    =============  ======================  ===========
    decision       phrase                  PubMedQA
    =============  ======================  ===========
    yes            "Yes."                  yes
    no             "No."                   no
    not_for_all    "Not for all."          no
    mixed          "The evidence is mixed." maybe
    unknown        (no phrase)             maybe
    =============  ======================  ===========

Measured (issue 14, ``evals/decisions.py``): PubMedQA decision accuracy 0.676 on the 250 dev questions the cues were
set on, 0.584 on the 250 test questions run once (always "yes": 0.568 / 0.536).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medcite.analysis.types import yes_no
from medcite.qa.decision import Verdict, decide, findings_of
from medcite.qa.evidence import Evidence, EvidenceSet

VERDICTS: dict[str, str] = {"yes": "Yes.", "no": "No.", "not_for_all": "Not for all.",
                            "mixed": "The evidence is mixed."}


def asks_yes_no(question: str) -> bool:
    """A yes/no question, also in a research title's form ("Aquagenic maladies: a pediatric urticaria?").

    >>> asks_yes_no("Storage of vaccines in the community: weak link in the cold chain?")
    True

    A tail that lists what is asked ("Leigh syndrome: typical age of onset, inheritance modes, prognosis?") is an
    open question: round 7's blind read found "**Yes.**" opening that answer; no PubMedQA title's tail holds a comma.

    >>> asks_yes_no("Leigh syndrome: typical age of onset, inheritance modes, prognosis?")
    False

    Nor is a tail that names what is wanted, with no article or verb before it ("Moyamoya: recommended imaging
    workup and indications for surgical revascularization?" got "**No.**" in round 9's blind read); no tail of the
    250 PubMedQA dev questions is of that form (each opens "a", "is", "does", ... or names no such thing).

    >>> asks_yes_no("Moyamoya: recommended imaging workup and indications for surgical revascularization?")
    False
    >>> asks_yes_no("LAMA2-related muscular dystrophy: recommended respiratory and cardiac surveillance?")
    False
    >>> asks_yes_no("Hearing loss: an unknown complication of pre-eclampsia?")
    True
    """
    tail = question.rsplit(":", 1)[-1].strip()
    if yes_no(question):
        return True
    if tail == question or not tail.endswith("?"):
        return False
    names_wanted = bool(_OPEN_TAIL.search(tail)) and not _CLOSED_START.match(tail)
    return yes_no(tail) or (len(tail.split()) <= 12 and "," not in tail and not names_wanted)


# What a research-title-style tail asks for when it lists wanted things; and how a yes/no tail opens.
_OPEN_TAIL = re.compile(r"\b(?:work ?-?ups?|indications|management|options|recommendations|strategies|approaches|"
                        r"criteria|features|findings|outcomes|characteristics|treatments|causes|symptoms|signs|risks|"
                        r"complications|side effects|prognosis|surveillance|monitoring|follow[- ]?up|recommended \w+|"
                        r"how|what|which|when|why|where)\b", re.IGNORECASE)
_CLOSED_START = re.compile(r"^(?:a|an|another|the|any|one|is|are|was|were|do|does|did|can|could|should|would|will|has|"
                           r"have|safe|really)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Stated:
    """A verdict and the evidence sentences that carry it (best first)."""

    verdict: Verdict
    basis: tuple[Evidence, ...]

    @property
    def phrase(self) -> str:
        return VERDICTS.get(self.verdict.label, "")


def verdict_for(question: str, evidence: EvidenceSet) -> Stated:
    """The verdict of ``evidence`` on ``question`` with its basis sentences."""
    ranked = evidence.ranked
    verdict = decide(question, findings_of(ranked))
    return Stated(verdict, tuple(ranked[i] for i in verdict.basis if 0 <= i < len(ranked)))
