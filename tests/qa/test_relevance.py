"""The relevance step (medcite.qa.relevance): which evidence sentences an answer may show."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from medcite.qa import relevance
from medcite.qa.evidence import select_evidence
from tests.qa.conftest import guideline

pytestmark = pytest.mark.unit

QUESTION = "What causes gout?"


def _passages():
    gout = guideline("g1", "Gout is caused by too much uric acid in the blood. Uric acid crystals form in the joint.",
                     title="Gout", qtype="causes", question="What causes Gout?")
    look_alike = guideline("g2", "Pseudogout looks like gout but is caused by calcium pyrophosphate crystals.",
                           title="Pseudogout", qtype="causes", question="What causes Pseudogout?", score=0.3)
    return [dataclasses.replace(gout, similarity=0.8), dataclasses.replace(look_alike, similarity=0.45)]


def _similarity(question, sentences):
    """The embedder's role in the test: on-topic sentences name gout, the look-alike does not."""
    return [0.8 if "Gout is" in s or "Uric" in s else 0.2 for s in sentences]


def _rank(chunk, text=""):
    return 0 if chunk.title == "Gout" else 2


def test_committed_model_matches_the_features():
    data = json.loads(relevance.MODEL_FILE.read_text())
    assert tuple(data["features"]) == relevance.FEATURES
    assert len(relevance.load_model().coef) == len(relevance.FEATURES)
    assert 0 < data["threshold"] < 1 and data["trained_on"]["cv_auc"] > 0.7


def test_drops_the_look_alike_page_and_keeps_the_answer():
    passages = _passages()
    evidence = select_evidence(QUESTION, passages)
    assert any("Pseudogout" in e.text for e in evidence.ranked)
    kept = relevance.shown(evidence, passages, QUESTION, _similarity, _rank)
    texts = [e.text for e in kept.ranked]
    assert any(t.startswith("Gout is caused") for t in texts)
    assert not any("Pseudogout" in t for t in texts)


def test_keeps_the_most_probable_sentence_when_none_passes():
    passages = _passages()
    evidence = select_evidence(QUESTION, passages)
    strict = dataclasses.replace(relevance.load_model(), threshold=1.0)
    kept = relevance.shown(evidence, passages, QUESTION, _similarity, _rank, model=strict)
    assert len(kept.ranked) == 1 and kept.ranked[0].text.startswith("Gout is caused")


def test_lexical_only_retrieval_or_no_embedder_leaves_the_evidence_as_it_is():
    passages = [dataclasses.replace(p, similarity=None) for p in _passages()]
    evidence = select_evidence(QUESTION, passages)
    assert relevance.shown(evidence, passages, QUESTION, _similarity, _rank).ranked == evidence.ranked
    assert relevance.shown(evidence, _passages(), QUESTION, None, _rank).ranked == evidence.ranked


def test_features_one_row_per_scored_sentence():
    passages = _passages()
    evidence = select_evidence(QUESTION, passages)
    rows = relevance.features(evidence.ranked, passages, QUESTION, _similarity, _rank)
    assert len(rows) == min(len(evidence.ranked), relevance.SCORED)
    assert all(len(r) == len(relevance.FEATURES) for r in rows)


def _facet_vectors(facet):
    """A fake embedder whose every sentence points along the facet model's weights for ``facet``."""
    from medcite.qa import facet_model
    model = facet_model.load_model()
    row = model.coef[model.classes.index(facet)]
    unit = row / np.linalg.norm(row)
    return lambda texts: np.tile(unit, (len(texts), 1))


def test_type_fit_reads_the_facet_the_question_asks_for():
    from medcite.qa import facets
    passages = _passages()
    evidence = select_evidence(QUESTION, passages)
    column = relevance.FEATURES.index("type_fit")
    causes = relevance.features(evidence.ranked, passages, QUESTION, _similarity, _rank, _facet_vectors(facets.CAUSES))
    treated = relevance.features(evidence.ranked, passages, "How is gout treated?", _similarity, _rank,
                                 _facet_vectors(facets.CAUSES))
    titled = [e.chunk.title == "Gout" for e in evidence.ranked]  # only on the page titled with the focus
    assert all((r[column] > 0.5) == t for r, t in zip(causes, titled, strict=True))
    assert all(r[column] < c[column] for r, c, t in zip(treated, causes, titled, strict=True) if t)
    wrong_width = relevance.features(evidence.ranked, passages, QUESTION, _similarity, _rank,
                                     lambda texts: np.ones((len(texts), 3)))
    assert all(r[column] == 0.0 for r in wrong_width)



def test_a_part_of_a_multi_part_message_may_keep_nothing():
    passages = _passages()
    evidence = select_evidence(QUESTION, passages)
    strict = dataclasses.replace(relevance.load_model(), threshold=1.0)
    kept = relevance.shown(evidence, passages, QUESTION, _similarity, _rank, model=strict, keep_best=False)
    assert kept.ranked == []
