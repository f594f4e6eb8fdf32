"""The learned triage classifier: its forward pass, its bars, the model it belongs to, and (with the real model)
messages written for this test, in no set and not in the bank."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from medcite.triage.learned import (
    CLASSIFIER,
    HEAD_LEVELS,
    Classifier,
    Head,
    HeadMean,
    LearnedSettings,
    level_of,
    load_classifier,
    read_classifier,
)
from medcite.triage.similarity import Exemplar, SimilarityLayer
from tests.conftest import FakeEmbedder

ROOT = Path(__file__).resolve().parents[2]


def _head(w2: np.ndarray, b2: np.ndarray) -> Head:
    return Head(np.eye(2, dtype=np.float32), np.zeros(2, np.float32), w2.astype(np.float32), b2.astype(np.float32))


@pytest.mark.unit
class TestHeads:
    def test_one_output_is_a_logistic_and_several_a_softmax(self) -> None:
        x = np.array([[1.0, 0.0], [0.0, -1.0]], np.float32)  # relu cuts the negative input
        logistic = _head(np.array([[2.0], [5.0]]), np.array([0.0]))
        assert logistic(x) == pytest.approx([1 / (1 + np.exp(-2.0)), 0.5])
        softmax = _head(np.zeros((2, 5)), np.zeros(5))
        assert softmax(x) == pytest.approx(np.full((2, 5), 0.2))

    def test_the_self_harm_level_needs_its_own_bar(self) -> None:
        probs = np.array([0.1, 0.2, 0.05, 0.05, 0.6])  # self-harm most probable, under the 0.7 bar
        assert level_of(probs, LearnedSettings(self_harm=0.7)) == "emergency"
        assert level_of(probs, LearnedSettings(self_harm=0.5)) == "self_harm"
        assert HEAD_LEVELS[0] == "none"

    def test_saved_and_read_back(self, tmp_path: Path) -> None:
        head = _head(np.ones((2, 1)), np.zeros(1))
        Classifier(head, _head(np.ones((2, 5)), np.zeros(5)), "m|b", "abc").save(tmp_path / "c.npz")
        again = read_classifier(tmp_path / "c.npz")
        assert (again.model_key, again.digest) == ("m|b", "abc")
        assert np.array_equal(again.urgent_head.w2, head.w2)


    def test_a_mean_of_networks_averages_them_and_is_saved_and_read_back(self, tmp_path: Path) -> None:
        x = np.array([[1.0, 0.0]], np.float32)
        one, two = _head(np.array([[2.0], [0.0]]), np.array([0.0])), _head(np.array([[-2.0], [0.0]]), np.array([0.0]))
        mean = HeadMean((one, two))
        assert mean(x) == pytest.approx([0.5])  # sigmoid(2) and sigmoid(-2) average to a half
        levels = HeadMean((_head(np.zeros((2, 5)), np.zeros(5)), _head(np.ones((2, 5)), np.zeros(5))))
        Classifier(mean, levels, "m|b", "abc").save(tmp_path / "c.npz")
        again = read_classifier(tmp_path / "c.npz")
        assert isinstance(again.urgent_head, HeadMean) and len(again.urgent_head.members) == 2
        assert again.scores(x)[0] == pytest.approx(mean(x)) and again.scores(x)[1] == pytest.approx(levels(x))


@pytest.mark.unit
class TestTheShippedClassifier:
    def test_it_belongs_to_the_default_embedding_model(self) -> None:
        from medcite.settings import Settings

        settings = Settings()
        key = f"{settings.embedding_model}|{settings.embedding_backend}"
        assert read_classifier(CLASSIFIER).model_key == key
        assert load_classifier(key) is not None

    def test_under_another_model_the_layer_falls_back_to_the_vote(self) -> None:
        assert load_classifier("some-other-model|torch") is None
        layer = SimilarityLayer(FakeEmbedder().embed_documents, model_key="fake",
                                exemplars=[Exemplar("x", "none", "other")])
        assert layer.classifier is None

    def test_an_unreadable_file_falls_back_to_the_vote(self, tmp_path: Path) -> None:
        (tmp_path / "bad.npz").write_bytes(b"not a zip")
        assert load_classifier("m|b", tmp_path / "bad.npz") is None


@pytest.mark.integration
def test_the_committed_classifier_was_trained_on_the_committed_data() -> None:
    """Editing the exemplars or a writer's messages without ``python evals/train_triage.py`` fails here."""
    done = subprocess.run([sys.executable, "evals/train_triage.py", "--check"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    if "embedding model unavailable" in done.stderr:
        pytest.skip(done.stderr)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.integration
class TestWithTheModel:
    def test_the_service_wiring_uses_the_classifier(self, real_triage) -> None:
        assert real_triage.similarity.classifier is not None

    @pytest.mark.parametrize("text", [
        # a known miss of rounds 5 and 6 (urgent 0.835 in round 6, under the 0.9 bar); round 7: emergency, 0.93
        "grandad went all pale and clammy at lunch, says there's a weight sitting on him and he feels sick",
        "my 6 week old feels really hot, thermometer says 38.4 and she won't take the bottle",
        "took about 30 of my sleeping tablets an hour ago because i wanted it all to stop",
        "mi hijo se tomo unas pilas de boton hace un rato",
    ])
    def test_messages_written_for_this_test_are_flagged(self, real_triage, text) -> None:
        assert real_triage.run(text).flagged

    @pytest.mark.parametrize("text", [
        "is it normal to feel a bit dizzy when I stand up too fast after a hot bath?",
        "how long should I wait after a tetanus shot before swimming",
        "what's a good stretching routine for a stiff lower back after gardening",
    ])
    def test_ordinary_questions_written_for_this_test_are_not(self, real_triage, text) -> None:
        assert not real_triage.run(text).flagged


@pytest.mark.unit
class TestVeto:
    """The classifier overrules the clinical layer only below the self-harm level, only when it flags nothing itself
    and is sure (urgent probability under the veto) of every piece and the whole message."""

    @staticmethod
    def _flag(level: str = "emergency", layer: str = "clinical"):
        from medcite.triage.model import RedFlag

        return RedFlag(concept="cardiac.chest_pain", category="cardiac", level=level, label="chest pain",
                       evidence="chest pain", layer=layer)

    def test_when_the_classifier_is_sure_the_clinical_flag_goes(self) -> None:
        from medcite.triage.similarity import Reading
        from medcite.triage.step import vetoed

        assert vetoed([self._flag()], Reading([], urgent=0.03), 0.1)
        assert not vetoed([self._flag()], Reading([], urgent=0.3), 0.1)
        assert not vetoed([self._flag()], Reading([], urgent=0.03), 0.0)  # 0: never

    def test_never_a_self_harm_flag_nor_without_the_classifier(self) -> None:
        from medcite.triage.similarity import Reading
        from medcite.triage.step import vetoed

        assert not vetoed([self._flag("self_harm")], Reading([], urgent=0.0), 0.1)
        assert not vetoed([self._flag()], Reading([], urgent=None), 0.1)  # the exemplar vote: no probability
        assert not vetoed([self._flag()], Reading([self._flag(layer="similarity")], urgent=0.05), 0.1)
