"""The similarity layer of triage: nearest written exemplars of each sentence of the message.

``exemplars.jsonl`` (beside this file) holds 1,944 short messages written for this layer alone by two writers,
in many voices (981 urgent over every category, 203 of them self-harm or harm to others; 963 near misses and
everyday questions; about 8% Spanish); neither writer saw the triage code or the evaluation messages. Each
sentence of the message (long ones in overlapping windows of words) is embedded with the library's own sentence
embedder and compared with every exemplar; it is flagged when, among its ``k`` nearest exemplars, the
similarity-weighted share of urgent ones reaches ``share`` and the nearest urgent one is at least
``min_similarity`` close. The thresholds were tuned on the dev split of ``evals/sets/triage.jsonl`` only
(docs/evals.md). Sentences the clinical layer reads as history, as an information question or with a denied
symptom are not flagged here.

The exemplar vectors are cached under ``MEDCITE_HOME/models`` keyed on the model and the exemplar file, so
only the first run pays for embedding them (about 4 s on 2 cores); a read-only home keeps them in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from medcite.triage.model import Level, RedFlag

log = logging.getLogger(__name__)

EXEMPLARS = Path(__file__).with_name("exemplars.jsonl")
Encode = Callable[[list[str]], np.ndarray]
_SPLIT = re.compile(r"(?<=[.!?;…])\s+|\n+")
WINDOW_WORDS = 24
MAX_PIECES = 12


@dataclass(frozen=True)
class Exemplar:
    text: str
    level: Level
    category: str


@dataclass(frozen=True)
class SimilaritySettings:
    """The layer's thresholds, chosen on the dev split of ``evals/sets/triage.jsonl`` by a grid over k in (5, 7, 10),
    share in (0.6, 0.7, 0.8) and min_similarity in (0.5 .. 0.65), with the 1,944-line bank: recall first, false
    alarms near 5% (dev: recall 190/199 with both layers vs 173/199 for the clinical layer alone; false alarms
    10/198 vs 4/198). The stricter 0.65 gave 182/199 at 6/198."""

    k: int = 10
    share: float = 0.8
    min_similarity: float = 0.5


def load_exemplars(path: Path = EXEMPLARS) -> list[Exemplar]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Exemplar(r["text"], r["level"], r["category"]) for r in rows]


def pieces(message: str) -> list[str]:
    """The message's sentences, long ones cut into overlapping windows of ``WINDOW_WORDS`` words."""
    out: list[str] = []
    for sentence in _SPLIT.split(message):
        words = sentence.split()
        if not words:
            continue
        if len(words) <= WINDOW_WORDS:
            out.append(" ".join(words))
            continue
        step = WINDOW_WORDS // 2
        for start in range(0, len(words) - step, step):
            out.append(" ".join(words[start:start + WINDOW_WORDS]))
    return out[:MAX_PIECES]


class SimilarityLayer:
    """Flags message sentences whose nearest exemplars are mostly urgent."""

    def __init__(self, encode: Encode, *, cache_dir: Path | None = None, model_key: str = "",
                 settings: SimilaritySettings | None = None, exemplars: Sequence[Exemplar] | None = None) -> None:
        self.encode = encode
        self.settings = settings or SimilaritySettings()
        self.exemplars = list(exemplars) if exemplars is not None else load_exemplars()
        self.urgent = np.array([e.level != "none" for e in self.exemplars])
        self._vectors: np.ndarray | None = None
        self._cache_dir = cache_dir
        self._model_key = model_key

    @property
    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = self._load_vectors()
        return self._vectors

    def _cache_path(self) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256(self._model_key.encode())
        for e in self.exemplars:
            digest.update(f"{e.text}\t{e.level}\n".encode())
        return self._cache_dir / f"triage-exemplars-{digest.hexdigest()[:16]}.npy"

    def _load_vectors(self) -> np.ndarray:
        path = self._cache_path()
        if path is not None and path.is_file():
            try:
                vectors = np.load(path)
                if vectors.shape[0] == len(self.exemplars):
                    return vectors
            except (OSError, ValueError):
                log.warning("the triage exemplar cache %s is unreadable; embedding again", path)
        vectors = np.asarray(self.encode([e.text for e in self.exemplars]), dtype=np.float32)
        if path is not None:
            try:  # written privately, then renamed into place: a reader never sees half a file
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
                with os.fdopen(fd, "wb") as handle:
                    np.save(handle, vectors)
                os.replace(tmp, path)
            except OSError:  # a read-only home: keep them in memory
                log.info("cannot cache triage exemplar vectors under %s", path.parent)
        return vectors

    def run(self, texts: Sequence[str]) -> list[RedFlag]:
        """Flags for the given message pieces (see :func:`pieces`), at most one per category."""
        if not texts:
            return []
        s = self.settings
        queries = np.asarray(self.encode(list(texts)), dtype=np.float32)
        sims = queries @ self.vectors.T
        k = min(s.k, sims.shape[1])
        flags: dict[str, RedFlag] = {}
        for row, text in zip(sims, texts, strict=True):
            top = np.argpartition(-row, k - 1)[:k]
            top = top[np.argsort(-row[top])]
            weights = np.clip(row[top], 1e-6, None)
            share = float(weights[self.urgent[top]].sum() / weights.sum())
            urgent_top = [i for i in top if self.urgent[i]]
            if not urgent_top or share < s.share or row[urgent_top[0]] < s.min_similarity:
                continue
            nearest = self.exemplars[urgent_top[0]]
            if nearest.category not in flags:
                flags[nearest.category] = RedFlag(
                    concept=f"{nearest.category}.similar", category=nearest.category, level=nearest.level,
                    label=f"close to written {nearest.category.replace('_', ' ')} red flags", evidence=text,
                    layer="similarity", score=share)
        return list(flags.values())
