"""Fusion of dense and lexical candidates, with the question analysis's focus and type as signals. Pure functions.

Reciprocal-rank fusion (``rrf``) was the default until round 2; on real consumer messages it ranked below dense
retrieval alone (MEDIQA: nDCG@10 0.708 vs 0.730, issue 13): a passage that both retrievers half-like beats the one
dense puts first. ``weighted`` keeps the scores (Bruch et al., TOIS 2023, on score-normalised convex fusion):

    score = cosine + lexical * bm25 / best_bm25 + focus * [document is about the question's focus]
            + type * [the section answers the question's type]

A chunk that dense did not return gets the lowest cosine dense returned (it ranked below all of them).
The weights were chosen on the dev splits only (docs/evals.md, "Question analysis and fusion").

    >>> dense = [("a", 0.72), ("b", 0.60)]
    >>> lexical = [("b", 12.0), ("c", 9.0)]
    >>> scores = weighted(dense, lexical, FusionWeights(lexical=0.1, focus=0.0, type=0.0))
    >>> sorted(scores, key=scores.get, reverse=True)
    ['a', 'b', 'c']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RRF_K = 60  # the usual reciprocal-rank-fusion constant (Cormack et al. 2009)


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the ``weighted`` fusion (the cosine's weight is 1). Chosen on dev (docs/evals.md)."""

    lexical: float = 0.15
    focus: float = 0.02
    type: float = 0.04

    @property
    def best(self) -> float:
        """The highest score a chunk can get: what :class:`~medcite.types.Passage` scores are scaled by."""
        return 1.0 + self.lexical + self.focus + self.type


def rrf(dense: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Reciprocal-rank fusion, scaled so 1.0 is "ranked first by every retriever that ran"."""
    fused: dict[str, float] = {}
    lists = [r for r in (dense, lexical) if r]
    for ranking in lists:
        for rank, (cid, _score) in enumerate(ranking, 1):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
    best = max(1, len(lists)) / (RRF_K + 1)
    return {cid: value / best for cid, value in fused.items()}


def weighted(
    dense: Sequence[tuple[str, float]],
    lexical: Sequence[tuple[str, float]],
    weights: FusionWeights,
    *,
    focus: Mapping[str, float] | None = None,
    types: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Score-normalised fusion; ``focus``/``types`` give each chunk's signal in [0, 1] (absent: 0).

    With one retriever only (dense or lexical mode) its own normalised score ranks, plus the signals.
    """
    cosine = dict(dense)
    floor = min(cosine.values()) if cosine else 0.0
    best_bm25 = max((s for _, s in lexical), default=0.0)
    bm25 = {cid: (s / best_bm25 if best_bm25 > 0 else 0.0) for cid, s in lexical}
    focus = focus or {}
    types = types or {}
    lexical_weight = weights.lexical if cosine else 1.0
    out: dict[str, float] = {}
    for cid in {*cosine, *bm25}:
        value = cosine.get(cid, floor) if cosine else 0.0
        value += lexical_weight * bm25.get(cid, 0.0) if bm25 else 0.0
        out[cid] = value + weights.focus * focus.get(cid, 0.0) + weights.type * types.get(cid, 0.0)
    return out
