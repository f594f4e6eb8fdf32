"""The similarity layer: message pieces, the exemplar-vector cache, failure fallback, and (with the real model)
paraphrases the lexicon misses and the dev-split figures it was tuned to."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from medcite.evals.datasets import load_eval_set
from medcite.triage import Triage
from medcite.triage.similarity import MAX_PIECES, WINDOW_WORDS, SimilarityLayer, load_exemplars, pieces
from tests.conftest import FakeEmbedder

TRIAGE_SET = Path(__file__).resolve().parents[2] / "evals" / "sets" / "triage.jsonl"


@pytest.mark.unit
class TestPieces:
    def test_sentences_and_windows(self) -> None:
        long = " ".join(f"w{i}" for i in range(60))
        out = pieces(f"First one. Second one!\n{long}")
        assert out[:2] == ["First one.", "Second one!"]
        assert all(len(p.split()) <= WINDOW_WORDS for p in out[2:]) and len(out) > 3

    def test_bounded(self) -> None:
        assert len(pieces(". ".join(["a b c"] * 100))) == MAX_PIECES

    def test_exemplar_bank(self) -> None:
        bank = load_exemplars()
        urgent = [e for e in bank if e.level != "none"]
        assert len(urgent) >= 500 and len(bank) - len(urgent) >= 500
        assert len({e.category for e in urgent}) >= 21
        assert sum(e.level == "self_harm" for e in bank) >= 70


@pytest.mark.unit
class TestCache:
    def test_vectors_are_embedded_once_then_read_from_the_cache(self, tmp_path: Path) -> None:
        fake = FakeEmbedder()
        first = SimilarityLayer(fake.embed_documents, cache_dir=tmp_path, model_key="fake")
        assert first.vectors.shape[0] == len(first.exemplars)
        calls = fake.texts_embedded
        second = SimilarityLayer(fake.embed_documents, cache_dir=tmp_path, model_key="fake")
        np.testing.assert_array_equal(second.vectors, first.vectors)
        assert fake.texts_embedded == calls  # nothing embedded again
        assert [p.name for p in tmp_path.iterdir()] == [next(tmp_path.glob("triage-exemplars-*.npy")).name]

    def test_a_damaged_cache_is_embedded_again(self, tmp_path: Path) -> None:
        fake = FakeEmbedder()
        layer = SimilarityLayer(fake.embed_documents, cache_dir=tmp_path, model_key="fake")
        layer.vectors  # noqa: B018 - writes the cache
        path = next(tmp_path.glob("*.npy"))
        path.write_bytes(b"not numpy")
        again = SimilarityLayer(fake.embed_documents, cache_dir=tmp_path, model_key="fake")
        assert again.vectors.shape == layer.vectors.shape

    def test_an_unwritable_cache_keeps_the_vectors_in_memory(self, tmp_path: Path) -> None:
        blocker = tmp_path / "models"
        blocker.write_text("a file where the folder should be")  # fails for root too, unlike permissions
        layer = SimilarityLayer(FakeEmbedder().embed_documents, cache_dir=blocker, model_key="f")
        assert layer.vectors.shape[0] == len(layer.exemplars)
        assert blocker.read_text().startswith("a file")

    def test_beside_clinical_flags_similarity_adds_only_a_self_harm_risk(self) -> None:
        from medcite.triage.model import RedFlag

        class Always(SimilarityLayer):
            def __init__(self, flag):
                self.flag = flag

            def run(self, texts):
                return [self.flag]

        triage = Triage()
        triage.similarity = Always(RedFlag("cardiac.similar", "cardiac", "emergency", "x", "e", "similarity"))
        assert triage.run("my dad's face is drooping").categories == ("stroke",)
        triage.similarity = Always(RedFlag("self_harm.similar", "self_harm", "self_harm", "x", "e", "similarity"))
        assert triage.run("my dad's face is drooping").level == "self_harm"
        assert triage.run("i feel rough today").level == "self_harm"  # alone, any similarity flag counts

    def test_an_encoder_that_fails_leaves_the_clinical_layer(self) -> None:
        def broken(texts):
            raise RuntimeError("no model")

        triage = Triage(encode=broken)
        assert triage.run("my dad's face is drooping").level == "emergency"
        assert triage.run("What is IVIG?").level == "none"
        assert triage.similarity is None  # given up after the first failure, not retried per message


@pytest.fixture(scope="module")
def real_triage(tmp_path_factory):
    from medcite.embedding.model import Embedder
    from medcite.settings import Settings

    settings = Settings(home=tmp_path_factory.mktemp("home"))
    embedder = Embedder(settings, threads=1)
    try:
        embedder.embed_query("warm up")
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"embedding model unavailable: {exc}")
    return Triage(encode=embedder.embed_documents, known_words=embedder.word_list(), cache_dir=settings.models_dir,
                  model_key="test")


@pytest.mark.integration
class TestWithTheModel:
    @pytest.mark.parametrize("text", [
        "i feel like everyone would be happier if i just disappeared for good",
        "my husband is gray and sweaty and says his arm feels heavy",
    ])
    def test_paraphrases_the_lexicon_misses(self, real_triage, text) -> None:
        result = real_triage.run(text)
        assert result.flagged and result.layers == {"clinical": False, "similarity": True}
        assert any(f.layer == "similarity" and f.evidence for f in result.red_flags)

    @pytest.mark.parametrize("text", ["no chest pain at all, just heartburn after curry",
                                      "what are the warning signs of a stroke?",
                                      "Does IVIG help all autoimmune conditions?"])
    def test_denied_and_informational_pieces_are_not_flagged_by_similarity(self, real_triage, text) -> None:
        assert not real_triage.run(text).flagged

    def test_dev_split_figures_hold(self, real_triage) -> None:
        """A regression check on the split the thresholds were tuned on (docs/evals.md); the test split is
        reported once in the docs and never asserted here."""
        dev = [q for q in load_eval_set(TRIAGE_SET) if q.split == "dev"]
        urgent = [q for q in dev if q.group == "emergency"]
        ordinary = [q for q in dev if q.group == "ordinary"]
        missed = [q.question for q in urgent if not real_triage.run(q.question).flagged]
        alarms = [q.question for q in ordinary if real_triage.run(q.question).flagged]
        self_harm = [q for q in urgent if q.meta["triage_level"] == "self_harm"]
        assert 1 - len(missed) / len(urgent) >= 0.92, missed
        assert len(alarms) / len(ordinary) <= 0.07, alarms
        assert all(real_triage.run(q.question).level == "self_harm" for q in self_harm)


@pytest.mark.unit
def test_pieces_without_words_never_reach_the_embedder() -> None:
    seen: list[list[str]] = []

    def record(texts):
        seen.append(list(texts))
        return FakeEmbedder().embed_documents(texts)

    triage = Triage(encode=record)
    triage.similarity._vectors = np.zeros((len(triage.similarity.exemplars), FakeEmbedder.dimension), np.float32)
    for text in ("0" * 2001, "!!!???", "12 34 56", "ok"):
        assert triage.run(text).level == "none"
    assert seen == []
