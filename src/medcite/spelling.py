"""Edit distance and a deletion index: the spelling tolerance shared by question analysis and triage.

Symmetric-delete lookup (Garbe's SymSpell idea): a word list is indexed by its words with one letter deleted;
a query word's own deletions find every candidate within one or two edits without scanning the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def deletes(word: str, depth: int) -> set[str]:
    """The word and every string made by deleting up to ``depth`` letters from it."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment).

    >>> distance("diabetis", "diabetes"), distance("tlaking", "talking")
    (1, 1)
    """
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def edit_budget(word: str) -> int:
    """Edits allowed for a word: one up to 7 letters, two from 8 (shorter words have too many neighbours)."""
    return 1 if len(word) <= 7 else 2


class DeletionIndex:
    """Nearest words of a word list within :func:`edit_budget` edits; ties go to the higher ``weight``.

    >>> index = DeletionIndex(["gout", "goiter", "diabetes"], weight={"gout": 5}.get)
    >>> index.nearest("goutt"), index.nearest("diabetis"), index.nearest("xyzzy")
    ('gout', 'diabetes', None)
    """

    MAX_LEN = 24  # longer "words" are never misspellings (and would cost millions of deletions)

    def __init__(self, words: Iterable[str], *, weight: Callable[[str], int | None] | None = None) -> None:
        self.weight = weight or (lambda _w: 0)
        self.index: dict[str, list[str]] = {}
        for word in set(words):
            if 3 <= len(word) <= self.MAX_LEN:
                for d in deletes(word, 1):
                    self.index.setdefault(d, []).append(word)

    def nearest(self, word: str) -> str | None:
        if not 4 <= len(word) <= self.MAX_LEN:
            return None
        budget = edit_budget(word)
        best: tuple[int, int, int, str] | None = None
        seen: set[str] = set()
        for d in deletes(word, budget):
            for candidate in self.index.get(d, ()):
                if candidate in seen:
                    continue
                seen.add(candidate)
                dist = distance(word, candidate)
                if dist == 0 or dist > min(budget, edit_budget(candidate)):
                    continue
                # closest first; then the same length (a swap beats a deletion); then the commoner word
                key = (dist, abs(len(candidate) - len(word)), -(self.weight(candidate) or 0), candidate)
                if best is None or key < best:
                    best = key
        return best[-1] if best is not None else None
