"""Fusion functions are pure: reciprocal rank and the score-normalised weighted fusion with focus and type."""

from __future__ import annotations

import pytest

from medcite.qa.fusion import FusionWeights, rrf, weighted

pytestmark = pytest.mark.unit

DENSE = [("a", 0.72), ("b", 0.60), ("d", 0.55)]
LEXICAL = [("b", 12.0), ("c", 9.0)]


def order(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda c: (-scores[c], c))


def test_rrf_scales_to_one_for_first_by_both():
    scores = rrf([("a", 0.9), ("b", 0.8)], [("a", 3.0)])
    assert scores["a"] == pytest.approx(1.0) and scores["b"] < scores["a"]


def test_weighted_keeps_a_strong_dense_first_that_rrf_demotes():
    # "b" is liked by both, "a" clearly best by dense: RRF puts "b" first, weighted keeps "a"
    assert order(rrf(DENSE, LEXICAL))[0] == "b"
    assert order(weighted(DENSE, LEXICAL, FusionWeights(lexical=0.1, focus=0, type=0)))[0] == "a"


def test_a_lexical_only_chunk_gets_the_lowest_dense_cosine():
    scores = weighted(DENSE, LEXICAL, FusionWeights(lexical=0.0, focus=0, type=0))
    assert scores["c"] == pytest.approx(0.55)


def test_focus_and_type_signals_add_their_weight():
    w = FusionWeights(lexical=0.0, focus=0.2, type=0.1)
    scores = weighted(DENSE, LEXICAL, w, focus={"d": 1.0}, types={"d": 1.0})
    assert scores["d"] == pytest.approx(0.55 + 0.3)
    assert order(scores)[0] == "d"
    assert w.best == pytest.approx(1.3)


def test_one_retriever_alone_ranks_by_its_own_score():
    assert order(weighted([], LEXICAL, FusionWeights())) == ["b", "c"]
    assert order(weighted(DENSE, [], FusionWeights())) == ["a", "b", "d"]
    assert weighted([], [], FusionWeights()) == {}
