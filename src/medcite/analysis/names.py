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
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from medcite.analysis.vocabulary import Term, Vocabulary
from medcite.embedding.cache import cached_vectors

Encode = Callable[[list[str]], np.ndarray]
SPECIFIC_DOCS = 25  # a name on more documents than this ("Child", "Risk Factors") names no topic


class NameIndex:
    """The library's strong names with their vectors, for the nearest name to a question. Names and vectors are read
    on first use: building the service costs nothing."""

    def __init__(self, vocabulary: Vocabulary, encode: Encode, *, cache_dir: Path | None = None,
                 model_key: str = "") -> None:
        self.vocabulary = vocabulary
        self.encode = encode
        self._cache_dir = cache_dir
        self._model_key = model_key
        self._names: list[tuple[str, str]] | None = None  # (key, display)
        self._row: dict[str, int] = {}
        self._vectors: np.ndarray | None = None

    @property
    def names(self) -> list[tuple[str, str]]:
        if self._names is None:
            self._names = self.vocabulary.strong_names(max_docs=SPECIFIC_DOCS)
            self._row = {display: i for i, (_, display) in enumerate(self._names)}
        return self._names

    @property
    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            displays = [display for _, display in self.names]
            self._vectors = (cached_vectors(self._path(displays), len(displays), lambda: self.encode(displays),
                                            what="name vectors", stale="names-*.npy")
                             if displays else np.zeros((0, 1), dtype=np.float32))
        return self._vectors

    def _path(self, displays: Sequence[str]) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256(self._model_key.encode())
        for display in displays:
            digest.update(display.encode() + b"\n")
        return Path(self._cache_dir) / f"names-{digest.hexdigest()[:16]}.npy"

    def cosine(self, display: str, vector: Sequence[float] | np.ndarray) -> float:
        """The cosine of ``vector`` with one name (embedded now when it is not in the index: a common one)."""
        vectors = self.vectors  # reads the names too
        row = self._row.get(display)
        named = vectors[row] if row is not None else np.asarray(self.encode([display])[0], dtype=np.float32)
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
        return [(self.vocabulary.terms[self.names[int(i)][0]], float(sims[int(i)])) for i in top]
