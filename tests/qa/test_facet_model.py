"""The facet model (medcite.qa.facet_model): a second opinion on the heading of a shown guideline sentence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from medcite.answer.document import Consideration
from medcite.qa import facet_model, facets
from medcite.types import Statement

pytestmark = pytest.mark.unit

CLASSES = (facets.TREATMENT, facets.DIAGNOSIS, facets.CAUSES)


def _toy(threshold: float = 0.5) -> facet_model.FacetModel:
    """Three facets read off the first three vector dimensions."""
    coef = np.zeros((3, facet_model.DIMENSION))
    coef[0, 0] = coef[1, 1] = coef[2, 2] = 10.0
    return facet_model.FacetModel(CLASSES, coef, np.zeros(3), threshold)


def _vec(axis: int) -> np.ndarray:
    v = np.zeros(facet_model.DIMENSION)
    v[axis] = 1.0
    return v


def test_committed_model_matches_its_features():
    data = json.loads(facet_model.MODEL_FILE.read_text())
    assert data["features"] == facet_model.FEATURES and data["dimension"] == facet_model.DIMENSION
    model = facet_model.load_model()
    assert model.coef.shape == (len(model.classes), facet_model.DIMENSION)
    assert model.intercept.shape == (len(model.classes),)
    assert set(model.classes) <= set(facets.QTYPE_FACETS.values())
    assert model.threshold == facet_model.THRESHOLD
    assert data["trained_on"]["heldout_doc_accuracy"]["model"] > data["trained_on"]["heldout_doc_accuracy"][
        "rules_text_only"]


def test_probabilities_sum_to_one():
    probs = _toy().probabilities(np.stack([_vec(0), _vec(5)]))
    assert probs.shape == (2, 3) and np.allclose(probs.sum(axis=1), 1.0)
    assert probs[0].argmax() == 0 and np.allclose(probs[1], 1 / 3)


def test_heading_changes_only_when_confident_of_another_facet():
    model = _toy()
    sure_diagnosis = model.probabilities(_vec(1)[None])[0]
    unsure = model.probabilities(_vec(5)[None])[0]
    assert model.heading(facets.SYMPTOMS, sure_diagnosis) == facets.DIAGNOSIS
    assert model.heading(facets.DIAGNOSIS, sure_diagnosis) == facets.DIAGNOSIS
    assert model.heading(facets.SYMPTOMS, unsure) == facets.SYMPTOMS
    assert model.heading(facets.FINDINGS, sure_diagnosis) == facets.FINDINGS


def test_specific_treatment_headings_count_as_treatment():
    model = _toy()
    sure_treatment = model.probabilities(_vec(0)[None])[0]
    assert model.heading(facets.EFFICACY, sure_treatment) == facets.EFFICACY
    assert model.heading(facets.SAFETY, model.probabilities(_vec(1)[None])[0]) == facets.DIAGNOSIS
    assert model.heading(facets.CAUSES, sure_treatment) == facets.TREATMENT


def _bullets():
    lead = Statement(text="This drug breaks up blood clots and can greatly lessen the damage caused by a stroke.",
                     citations=(1,), facet=facets.CAUSES)
    more = Statement(text="It works best when given early.", citations=(1,), facet=facets.CAUSES)
    other = Statement(text="A CT scan shows whether a stroke is caused by bleeding.", citations=(2,),
                      facet=facets.DIAGNOSIS)
    return [Consideration(facets.CAUSES, (lead, more)), Consideration(facets.DIAGNOSIS, (other,))]


def test_relabels_headings_from_each_bullets_first_sentence():
    seen: list[list[str]] = []

    def vectors(texts):
        seen.append(list(texts))
        return np.stack([_vec(0) for _ in texts])  # the toy model reads both as treatment

    bullets = _bullets()
    out = facet_model.relabelled(bullets, vectors, model=_toy())
    assert seen == [[bullets[0].statements[0].text, bullets[1].statements[0].text]]
    # the first bullet becomes Treatment; the second keeps Diagnosis: a heading is never given twice
    assert [b.facet for b in out] == [facets.TREATMENT, facets.DIAGNOSIS]
    assert {s.facet for s in out[0].statements} == {facets.TREATMENT}
    assert [[s.text for s in b.statements] for b in out] == [[s.text for s in b.statements] for b in bullets]


def test_a_heading_another_bullet_has_is_not_given():
    bullets = _bullets()  # Causes, Diagnosis
    out = facet_model.relabelled(bullets, lambda texts: np.stack([_vec(1) for _ in texts]), model=_toy())
    assert [b.facet for b in out] == [facets.CAUSES, facets.DIAGNOSIS]  # Diagnosis is taken by the second


def test_unsure_model_or_no_embedder_leaves_the_headings():
    bullets = _bullets()
    assert facet_model.relabelled(bullets, None) == bullets
    assert facet_model.relabelled(bullets, lambda texts: np.stack([_vec(7) for _ in texts]), model=_toy()) == bullets
    assert facet_model.relabelled(bullets, lambda texts: np.ones((len(texts), 8))) == bullets  # another embedder


def test_committed_model_moves_a_treatment_sentence_out_of_causes():
    """The motivating case, with the real model on a stand-in vector: the treatment facet's own weights."""
    model = facet_model.load_model()
    row = model.coef[model.classes.index(facets.TREATMENT)]
    vector = row / np.linalg.norm(row)
    assert model.heading(facets.CAUSES, model.probabilities(vector[None])[0]) == facets.TREATMENT
