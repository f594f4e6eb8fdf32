"""The clinical layer's speller: a word neither the lexicon nor English knows is read as the nearest lexicon word.

Its deletion index (every lexicon word with up to two letters deleted: 40,000 keys) takes about 50 ms to build, at
the first unknown word of a process; most questions hold one (a drug's name), so a cold ``medcite ask`` paid it
every time. The index depends on the lexicon alone and is kept under ``MEDCITE_HOME/models`` keyed on the lexicon's
words; each key maps to its words joined by spaces, one string rather than a list, which loads in under 10 ms (a
pickle of 40,000 lists took 35 ms) and leaves the garbage collector nothing to track. A read-only home keeps the
index in memory.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from medcite.spelling import deletes as _deletes
from medcite.spelling import distance as _distance

log = logging.getLogger(__name__)

MAX_CORRECTED = 24  # longest word the speller corrects
INDEX_VERSION = 2  # raise when what the index holds for a lexicon changes


def words_of(patterns: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The lexicon's words (4+ letters) and its stems (words written with a ``\\w*`` or ``[..]`` ending). A stem is
    not a word: before round 4 "allerg" (from ``allerg\\w*``) and "sudad" (from ``sudad[oa]``) were, and the speller
    turned "allergy" into "allerg" and "sudada" into "sudad"."""
    words: set[str] = set()
    stems: set[str] = set()
    for pattern in patterns:
        if pattern.startswith("@"):
            continue
        plain = re.sub(r"\\[bdsBDS]", " ", pattern)
        stems.update(re.findall(r"([a-z]{4,})(?:\\w\*|\[)", plain))
        words.update(re.findall(r"[a-z]{4,}(?![a-z\\\[(])", plain.replace("\\w", "\\")))
    return frozenset(words), frozenset(stems)


# Words the speller must leave alone that neither the lexicon nor the embedder's word list has whole: clinical
# shorthand ("sats" became "says", "copd" "cold") and common Spanish words ("pero" became "paro", "todos" "todas").
SHORTHAND = frozenset(re.findall(r"\S+", """
sats spo2 copd ecg ekg bpm mmol inr nicu picu chemo neutropenic oximeter oxymeter stridor epipen epipens
gaviscon calpol ventolin salbutamol albuterol nebs neb amoxil paracetamols ibuprofens
"""))
SPANISH = frozenset(re.findall(r"\S+", """
pero todos todas hijos hijas ellos ellas nosotros desde cuando donde tiene tienen tengo esta estan estoy
estamos muy mucho mucha muchos muchas poco para como porque despues antes ahora siempre nunca nada algo todo
toda casa noche dias semana semanas meses anos hace hacer puede puedo pueden quiero quiere dice dijo sido
estado tambien otra otro otros otras mismo misma bien malo mala mejor peor menos cada entre sobre hasta
mientras aunque madre padre abuela abuelo hermana hermano amiga amigo pareja esposo esposa marido novio novia
nieto nieta medico medica pastilla pastillas desmayo mareados mareadas sudada sudado cansado cansada tomado
tomada
"""))
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "ly", "er")


class Speller:
    """Corrects a word the lexicon and English do not know to the nearest lexicon word (1 edit up to 7 letters,
    2 from 8); a word either one knows is never changed."""

    def __init__(self, lexicon_words: frozenset[str], stems: frozenset[str], known: frozenset[str] = frozenset(),
                 *, cache_dir: Path | None = None):
        self.lexicon = lexicon_words
        self.stems = stems
        self.known = known | lexicon_words | SHORTHAND | SPANISH
        self._index: dict[str, str] | None = None
        self._cache_dir = cache_dir

    @property
    def index(self) -> dict[str, str]:
        """Deletion index of the lexicon words (a deletion to its words, space-separated), made at the first word to
        correct (see the module docstring)."""
        if self._index is None:
            path = self._cache_path()
            self._index = _read(path) if path is not None else None
            if self._index is None:
                self._index = self._build_index()
                if path is not None:
                    _write(path, self._index)
        return self._index

    def _build_index(self) -> dict[str, str]:
        index: dict[str, list[str]] = {}
        for word in sorted(self.lexicon):
            for d in _deletes(word, 1 if len(word) <= 5 else 2):
                index.setdefault(d, []).append(word)
        return {d: " ".join(words) for d, words in index.items()}

    def _cache_path(self) -> Path | None:
        if self._cache_dir is None:
            return None
        text = "\n".join([str(INDEX_VERSION), *sorted(self.lexicon)])
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return self._cache_dir / f"triage-speller-{digest}.pickle"

    def _inflected(self, word: str) -> bool:
        for ending in _INFLECTIONS:
            base = word[: -len(ending)]
            if word.endswith(ending) and len(base) >= 4 and (base in self.known or base + "e" in self.known):
                return True
        return False

    @staticmethod
    def budget(word: str) -> int:
        return 1 if len(word) <= 7 else 2

    @lru_cache(maxsize=8192)  # noqa: B019 - one Speller per process; words repeat
    def correct(self, word: str) -> str:
        if not 4 <= len(word) <= MAX_CORRECTED or word in self.known or not word.isalpha():
            return word  # (a 2,000-letter "word" would need millions of deletions: never a misspelling)
        if self._inflected(word):  # "breathes", "drooling": a known word with an ending is not a misspelling
            return word
        # A word a stem pattern already reads ("drooping" under "droop\w*") may only become a word of that stem.
        stems = [stem for stem in self.stems if word.startswith(stem)]
        budget = self.budget(word)
        best: tuple[int, int, str] | None = None
        for d in _deletes(word, budget):
            for candidate in self.index.get(d, "").split():
                if stems and not any(candidate.startswith(stem) for stem in stems):
                    continue
                dist = _distance(word, candidate)
                # ties go to the candidate of the same length (a swap, "tlaking" -> "talking", not "taking")
                key = (dist, abs(len(candidate) - len(word)), candidate)
                if dist <= min(budget, self.budget(candidate)) and (best is None or key < best):
                    best = key
        for stem in () if stems else self.stems:  # "doroping" -> "droop" + "ing", one edit, beats "dropping" at two
            if len(stem) >= 5 and len(word) > len(stem) and _distance(word[: len(stem)], stem) == 1 and (
                    best is None or best[0] > 1):
                best = (1, 0, stem + word[len(stem):])
        return best[-1] if best is not None else word


def _read(path: Path) -> dict[str, str] | None:
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)  # noqa: S301 - MedCite's own file in its models folder
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - damaged: build it again
        log.warning("the triage speller cache %s is unreadable; building it again", path)
        return None
    return index if isinstance(index, dict) else None


def _write(path: Path, index: dict[str, str]) -> None:
    tmp = None
    try:  # written privately, then renamed into place: a reader never sees half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".pickle.tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home (or a full disk): keep it in memory
        log.info("cannot cache the triage speller index under %s", path.parent)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
