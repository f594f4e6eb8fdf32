"""Safety triage: run on every message before anything else; a typed result of level, red flags and actions.

Two layers, either of which can raise the flag (recall first): the clinical layer
(``medcite.triage.clinical``: red-flag concepts with synonyms, typo-tolerant, with negation, history, framing and
context modifiers) and the similarity layer (``medcite.triage.similarity``: the nearest of 2,803 written
exemplars to each sentence, with the library's own embedder). Measured on the held-out test split of
``evals/sets/triage.jsonl`` (docs/evals.md, "Triage").

Usage::

    triage = Triage(encode=embedder.embed_documents)
    result = triage.run("my dad's face is drooping and he can't lift his arm")
    result.level            # "emergency"
    [f.concept for f in result.red_flags]   # ["stroke.face_droop", "stroke.arm_weak"]
    result.actions[0].text  # "Call 911 now, or go to the nearest emergency department. ..."
"""

from medcite.triage.actions import Numbers
from medcite.triage.model import LEVELS, NO_TRIAGE, Action, Level, RedFlag, TriageResult
from medcite.triage.step import Triage

__all__ = ["LEVELS", "NO_TRIAGE", "Action", "Level", "Numbers", "RedFlag", "Triage", "TriageResult"]
