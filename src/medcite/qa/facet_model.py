"""A second opinion on facet headings: a small learned model of which heading a guideline sentence belongs under.

Why. The cue rules of :mod:`medcite.qa.facets` read words, not meaning: labellers judged 164 of 645 shown headings
(dev answers of session 5) not to fit their sentence, "Causes and Risk Factors" over "This drug breaks up blood
clots and can greatly lessen the damage caused by an ischemic stroke." (the cue "caused by"), "Signs and Symptoms"
over "Treatment generally includes antibiotics ... to relieve symptoms.".

The model is a multinomial logistic regression over the embedder's normalised sentence vector (the one the answer
service already caches for the relevance step, so it costs no encoding), trained by ``evals/train_facets.py`` on the
library's own structure: sentences of MedQuAD guideline sections, each section's question type mapped to a facet by
:data:`medcite.qa.facets.QTYPE_FACETS` (9 facets: those the question types name). Held out by document it names a
sentence's section facet more often than the rules do (``facet_model.json``, ``trained_on``).

How it is used (:func:`relabelled`): a "Key considerations" bullet (guideline sentences) keeps the rules' heading
unless the model puts at least :data:`THRESHOLD` of its probability on another facet. Only the heading changes, after
the answer plan chose the bullets by the rules' facets, so what an answer shows does not move. The rules' specific
treatment headings (Efficacy, Safety, Dosing, ...) count as Treatment for that comparison (the model cannot name
them, and a treatment section speaks of them all), so the model moves a sentence out of them only to a facet other
than Treatment. Research headings keep the rules' facet: the model never saw an abstract.

    >>> model = load_model()
    >>> model.coef.shape == (len(model.classes), DIMENSION)
    True
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from medcite.answer.document import Consideration
from medcite.qa import facets

MODEL_FILE = Path(__file__).with_name("facet_model.json")
FEATURES = "embedder sentence vector"  # all-MiniLM-L6-v2, normalised to unit length
DIMENSION = 384
THRESHOLD = 0.5  # the least probability of another facet that replaces the rules' heading
# The rules' headings the model cannot name, as the facet it compares them with.
AS_TREATMENT = frozenset({facets.EFFICACY, facets.MECHANISMS, facets.DOSING, facets.INDICATIONS, facets.OFF_LABEL,
                          facets.SAFETY})

Vectors = Callable[[Sequence[str]], np.ndarray]  # sentences -> one unit vector a row


@dataclass(frozen=True)
class FacetModel:
    """Multinomial logistic regression weights (one row a facet of :attr:`classes`) and :attr:`threshold`."""

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    threshold: float

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """One row of facet probabilities (in :attr:`classes` order) per vector."""
        z = np.asarray(vectors, dtype=np.float64) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def heading(self, rule: str, probabilities: Sequence[float]) -> str:
        """The heading of a sentence the rules put under ``rule``: the model's facet when it is confident of
        another one, else ``rule``."""
        if rule == facets.FINDINGS:
            return rule
        best = int(np.argmax(probabilities))
        compared = facets.TREATMENT if rule in AS_TREATMENT else rule
        if self.classes[best] == compared or probabilities[best] < self.threshold:
            return rule
        return self.classes[best]


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> FacetModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["features"] != FEATURES or data["dimension"] != DIMENSION:
        raise ValueError(f"{path} was trained on other features; run evals/train_facets.py")
    unknown = set(data["classes"]) - set(facets.FACETS)
    if unknown:
        raise ValueError(f"{path} names facets this version lacks: {sorted(unknown)}")
    return FacetModel(tuple(data["classes"]), np.array(data["coef"], dtype=np.float64),
                      np.array(data["intercept"], dtype=np.float64), float(data["threshold"]))


def relabelled(considerations: Sequence[Consideration], vectors: Vectors | None,
               model: FacetModel | None = None) -> list[Consideration]:
    """The "Key considerations" bullets with each heading given a second opinion (:meth:`FacetModel.heading`) on
    the bullet's first sentence (the one the rules read; a second is its continuation). Only headings change: the
    bullets, their sentences and order are the answer plan's, and no heading is given twice (the plan shows one
    bullet a facet). As they are without the embedder (``vectors`` None)
    or with another one (vectors of another width)."""
    bullets = list(considerations)
    if vectors is None or not bullets or not all(c.statements for c in bullets):
        return bullets
    model = model or load_model()
    rows = np.asarray(vectors([c.statements[0].text for c in bullets]))
    if rows.ndim != 2 or rows.shape[1] != model.coef.shape[1]:
        return bullets  # another embedder than the model was trained on (a test's fake one)
    out = []
    taken = {c.facet for c in bullets}  # one bullet a facet, as the plan gives them: a heading is never repeated
    for bullet, p in zip(bullets, model.probabilities(rows), strict=True):
        facet = model.heading(bullet.facet, p)
        if facet != bullet.facet and facet not in taken:
            taken = (taken - {bullet.facet}) | {facet}
            statements = tuple(dataclasses.replace(st, facet=facet) if st.facet == bullet.facet else st
                               for st in bullet.statements)
            bullet = dataclasses.replace(bullet, facet=facet, statements=statements)
        out.append(bullet)
    return out
