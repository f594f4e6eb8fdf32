"""Dense links from a question to the library's own names: the embedder's nearest name, when no word links one.

Why (issue 13, session 8). The word linker (``medcite.analysis.vocabulary``) links what a question spells; people
write lay words the library's names do not hold: "floppy heart valve" (the library says "Floppy valve syndrome"),
"why is my hair falling out" ("Hair Loss"), "so sleepy all day" ("excessive daytime sleepiness"), "check a woman's
fertility" ("Female Infertility"). Such questions had no focus, and their answers drew sentences from whatever
page shared a word: a diabetes urine-test tip for the fertility question (round 7's blind read). Of the 72 fresh
blind-read questions of rounds 6 and 7 (dev now: read and graded), 11 had no focus; for 9 of them the name nearest
the question by the library's own embedder is the writer's topic or a name of it ("PMS", "Nearsightedness").

One job: :meth:`NameIndex.nearest` ranks the library's strong names (titles, focus names, synonyms, acronyms and
their expansions; at most ``SPECIFIC_DOCS`` documents each) by cosine with a question vector. The names' vectors are
embedded once per vocabulary and model (about 7 s for the shared library's 18,700 names on 2 cores) and kept
beside the vocabulary cache; the question analysis (``QuestionAnalyzer``) decides when to use the nearest one.

    index = NameIndex(vocabulary, embedder.embed_documents, cache_dir=models_dir / "vocabulary", model_key=key)
    index.nearest(embedder.embed_query("why is my hair falling out so much"))[0]   # (Term 'Hair Loss', 0.64)
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from medcite.analysis.vocabulary import Term, Vocabulary

log = logging.getLogger(__name__)

Encode = Callable[[list[str]], np.ndarray]
SPECIFIC_DOCS = 25  # a name on more documents than this ("Child", "Risk Factors") names no topic


class NameIndex:
    """The library's strong names with their vectors, for the nearest name to a question."""

    def __init__(self, vocabulary: Vocabulary, encode: Encode, *, cache_dir: Path | None = None,
                 model_key: str = "") -> None:
        self.vocabulary = vocabulary
        self.encode = encode
        self.keys = vocabulary.strong_keys(max_docs=SPECIFIC_DOCS)
        self.displays = [vocabulary.terms[k].display for k in self.keys] if self.keys else []
        self._row = {display: i for i, display in enumerate(self.displays)}
        self._cache_dir = cache_dir
        self._model_key = model_key
        self._vectors: np.ndarray | None = None

    @property
    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = self._load()
        return self._vectors

    def _path(self) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256(self._model_key.encode())
        for display in self.displays:
            digest.update(display.encode() + b"\n")
        return Path(self._cache_dir) / f"names-{digest.hexdigest()[:16]}.npy"

    def _load(self) -> np.ndarray:
        if not self.displays:
            return np.zeros((0, 1), dtype=np.float32)
        path = self._path()
        if path is not None and path.is_file():
            try:
                vectors = np.load(path)
                if vectors.shape[0] == len(self.displays):
                    return vectors
            except (OSError, ValueError):
                log.warning("the name vectors %s are unreadable; embedding again", path)
        vectors = np.asarray(self.encode(list(self.displays)), dtype=np.float32)
        if path is not None:
            try:  # written privately, then renamed into place: a reader never sees half a file
                path.parent.mkdir(parents=True, exist_ok=True)
                for old in path.parent.glob("names-*.npy"):
                    old.unlink(missing_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
                with os.fdopen(fd, "wb") as handle:
                    np.save(handle, vectors)
                os.replace(tmp, path)
            except OSError:  # a read-only home: keep them in memory
                log.info("cannot cache name vectors under %s", path.parent)
        return vectors

    def cosine(self, display: str, vector: Sequence[float] | np.ndarray) -> float:
        """The cosine of ``vector`` with one name (embedded now when it is not in the index: a common one)."""
        row = self._row.get(display)
        named = self.vectors[row] if row is not None else np.asarray(self.encode([display])[0], dtype=np.float32)
        return float(named.reshape(-1) @ np.asarray(vector, dtype=np.float32).reshape(-1))

    def nearest(self, vector: Sequence[float] | np.ndarray, k: int = 5) -> list[tuple[Term, float]]:
        """The ``k`` names nearest ``vector`` (a unit vector of the same embedder), best first, with cosines."""
        vectors = self.vectors
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vectors.shape[0] == 0 or vectors.shape[1] != query.shape[0]:
            return []
        sims = vectors @ query
        k = min(k, sims.shape[0])
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top])]
        return [(self.vocabulary.terms[self.keys[int(i)]], float(sims[int(i)])) for i in top]
