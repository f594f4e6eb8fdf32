"""The triage result as types: level, the red flags found (named, with where they were found) and the actions.

Levels, most serious first (a message with several findings takes the first that applies):

- ``self_harm``: a risk of suicide or self-harm, or of harm to someone else; the reply is a short, direct
  message with crisis resources, and the evidence answer is withheld;
- ``emergency``: call the emergency number now;
- ``poisoning``: call Poison Control now (the emergency number if the person collapses, seizes or stops breathing);
- ``urgent``: get medical care today;
- ``none``: no triage action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["self_harm", "emergency", "poisoning", "urgent", "none"]
LEVELS: tuple[Level, ...] = ("self_harm", "emergency", "poisoning", "urgent", "none")
Layer = Literal["clinical", "similarity"]


def most_serious(levels: list[Level]) -> Level:
    """The most serious of ``levels`` ("none" for an empty list)."""
    return min(levels, key=LEVELS.index, default="none")


@dataclass(frozen=True)
class RedFlag:
    """One finding: a red-flag concept (``concept``, e.g. ``stroke.face_droop``) and the words that carry it.

    ``layer`` says which layer found it: ``clinical`` (the concept lexicon with its modifiers) or
    ``similarity`` (the nearest written exemplars); ``score`` is the similarity layer's vote share.
    """

    concept: str
    category: str
    level: Level
    label: str
    evidence: str
    layer: Layer = "clinical"
    score: float | None = None

    def to_dict(self) -> dict:
        out = {"concept": self.concept, "category": self.category, "level": self.level, "label": self.label,
               "evidence": self.evidence, "layer": self.layer}
        if self.score is not None:
            out["score"] = round(self.score, 3)
        return out


@dataclass(frozen=True)
class Action:
    """One thing to do, in the order shown: ``kind`` (call_emergency, crisis_line, poison_control, urgent_care,
    first_aid), the sentence to show, and the number it names (from settings), if any."""

    kind: str
    text: str
    number: str | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "number": self.number}


@dataclass(frozen=True)
class TriageResult:
    """What triage found in one message (with its conversation)."""

    level: Level = "none"
    red_flags: tuple[RedFlag, ...] = ()
    actions: tuple[Action, ...] = ()
    headline: str = ""
    elapsed_ms: float = 0.0
    layers: dict[str, bool] = field(default_factory=dict)  # which layers flagged the message

    @property
    def flagged(self) -> bool:
        return self.level != "none"

    @property
    def withholds_answer(self) -> bool:
        """Whether the evidence answer is withheld (self-harm risk: no method or dose information)."""
        return self.level == "self_harm"

    @property
    def categories(self) -> tuple[str, ...]:
        seen: list[str] = []
        for flag in self.red_flags:
            if flag.category not in seen:
                seen.append(flag.category)
        return tuple(seen)

    def to_dict(self) -> dict:
        """The JSON form (``ask --json``, eval results, logs): a stable, documented contract."""
        return {
            "level": self.level,
            "flagged": self.flagged,
            "categories": list(self.categories),
            "red_flags": [f.to_dict() for f in self.red_flags],
            "actions": [a.to_dict() for a in self.actions],
            "headline": self.headline,
            "layers": dict(self.layers),
        }


NO_TRIAGE = TriageResult()
