"""The triage component: one job (a message and its conversation in, a ``TriageResult`` out), one ``run()``."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from pathlib import Path

from medcite.triage.actions import Numbers, actions_for
from medcite.triage.clinical import ClinicalLayer
from medcite.triage.model import RedFlag, TriageResult, most_serious
from medcite.triage.similarity import Encode, SimilarityLayer, SimilaritySettings, pieces

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]{2,}")
_DENIAL = re.compile(r"\b(?:no|without|denies|denied|sin|nor)\b")
# Earlier user turns read for context (a follow-up "and now he's throwing up" after "he hit his head").
HISTORY_TURNS = 3


class Triage:
    """Triage of one message: the clinical layer always, the similarity layer when an encoder is given.

    ``run(message, history)`` takes the earlier *user* messages of the conversation, oldest first: they supply
    context (a head knock, a baby's age, a pregnancy) to findings in the current message, and never raise a flag
    on their own. An encoder that fails (a missing model) leaves the clinical layer alone, logged once.
    """

    def __init__(self, *, encode: Encode | None = None, numbers: Numbers | None = None,
                 known_words: frozenset[str] = frozenset(), cache_dir: Path | None = None, model_key: str = "",
                 similarity: SimilaritySettings | None = None) -> None:
        self.clinical = ClinicalLayer(known_words)
        self.similarity = (SimilarityLayer(encode, cache_dir=cache_dir, model_key=model_key, settings=similarity)
                           if encode is not None else None)
        self.numbers = numbers or Numbers()

    def run(self, message: str, history: Sequence[str] = ()) -> TriageResult:
        started = time.perf_counter()
        message = message or ""
        if not message.strip():
            return TriageResult()
        earlier = list(history)[-HISTORY_TURNS:]
        flags: list[RedFlag] = self.clinical.run(message, earlier)
        layers = {"clinical": bool(flags), "similarity": False}
        if self.similarity is not None:
            similar = self._similar(message)
            layers["similarity"] = bool(similar)
            # The nearest exemplar's category is a weaker reading than a named red flag: beside clinical flags, a
            # similarity flag only adds a self-harm risk (which changes the reply), never another category's steps.
            flags.extend(f for f in similar if not flags or f.level == "self_harm")
        level = most_serious([f.level for f in flags])
        if level == "none":
            return TriageResult(elapsed_ms=_ms(started), layers=layers)
        ordered = sorted(flags, key=lambda f: (f.level != level, f.layer != "clinical"))
        headline, actions = actions_for(level, ordered, self.numbers)
        return TriageResult(level=level, red_flags=tuple(ordered), actions=actions, headline=headline,
                            elapsed_ms=_ms(started), layers=layers)

    def _similar(self, message: str) -> list[RedFlag]:
        texts = [p for p in pieces(message) if self._plain(p)]
        try:
            return self.similarity.run(texts) if texts else []
        except Exception as exc:  # noqa: BLE001 - the clinical layer must still answer
            log.warning("triage similarity layer unavailable (%s); clinical layer only", exc)
            self.similarity = None
            return []

    def _plain(self, piece: str) -> bool:
        """Whether a piece may be flagged by similarity: not history, not an information or prevention question,
        and no symptom explicitly denied ("no chest pain, just heartburn"): the embedder does not read negation."""
        if len(_WORD.findall(piece)) < 2:  # digits, symbols, one word: nothing an embedding can read
            return False
        sentences = self.clinical.normalise(piece)
        return any(not (s.history or s.framed or _DENIAL.search(s.text)) for s in sentences)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
