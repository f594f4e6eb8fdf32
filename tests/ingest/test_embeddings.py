"""Tests for the embedding backends: the int8 ONNX export against the fp32 sentence-transformers reference."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from medcite.embedding import onnx_encoder
from medcite.embedding.model import Embedder, EmbeddingModelError, resolve_model_path
from medcite.embedding.onnx_encoder import OnnxExportError, model_layout
from medcite.settings import Settings

SENTENCES = [
    "Intravenous immunoglobulin (IVIG) is indicated for primary immunodeficiency and chronic inflammatory "
    "demyelinating polyneuropathy.",
    "What are the symptoms of glaucoma?",
    "Metformin is first-line therapy for type 2 diabetes; lactic acidosis is rare.",
    "Does IVIG help all autoimmune conditions?",
    "Aspirin",
    "The patient was randomised to 2 g/kg over 2-5 days. " * 30,  # longer than the model reads: truncated alike
]


@pytest.mark.unit
class TestModelLayout:
    def _model(self, tmp_path, modules, pooling=None):
        (tmp_path / "modules.json").write_text(json.dumps(modules))
        if pooling is not None:
            (tmp_path / "1_Pooling").mkdir()
            (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
        return tmp_path

    def test_mean_pooling_and_normalize_are_read_from_the_model_files(self, tmp_path):
        model = self._model(tmp_path, [
            {"idx": 0, "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ], {"pooling_mode_mean_tokens": True})
        (model / "sentence_bert_config.json").write_text('{"max_seq_length": 128}')
        assert model_layout(model) == {"pooling": "mean", "normalize": True, "max_length": 128}

    def test_a_dense_head_is_refused_with_the_way_out(self, tmp_path):
        model = self._model(tmp_path, [
            {"idx": 0, "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
        ], {"pooling_mode_mean_tokens": True})
        with pytest.raises(OnnxExportError, match="MEDCITE_EMBEDDING_BACKEND=torch"):
            model_layout(model)

    def test_the_sentence_transformers_6_pooling_format_is_read(self, tmp_path):
        model = self._model(tmp_path, [{"idx": 1, "path": "1_Pooling", "type": "sentence_transformers.sentence_"
                                        "transformer.modules.pooling.Pooling"}], {"pooling_mode": "cls"})
        assert model_layout(model)["pooling"] == "cls"
        (model / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode": "max"}))
        with pytest.raises(OnnxExportError, match="mean or CLS"):
            model_layout(model)

    def test_max_pooling_is_refused(self, tmp_path):
        model = self._model(tmp_path, [{"idx": 1, "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}],
                            {"pooling_mode_max_tokens": True})
        with pytest.raises(OnnxExportError, match="mean or CLS"):
            model_layout(model)


@pytest.mark.unit
class TestBackendSetting:
    def test_backends_never_share_a_collection(self, tmp_path):
        onnx = Settings(home=tmp_path)
        torch = Settings(home=tmp_path, embedding_backend="torch")
        assert onnx.embedding_backend == "onnx-int8"
        assert onnx.collection_name != torch.collection_name
        assert onnx.ledger_path != torch.ledger_path

    def test_unknown_backend_is_a_clear_error(self, tmp_path):
        with pytest.raises(ValueError, match="onnx-int8"):
            Settings(home=tmp_path, embedding_backend="tensorrt")

    def test_a_hub_id_without_local_files_cannot_use_onnx(self, tmp_path):
        settings = Settings(home=tmp_path, embedding_model="someone/not-installed-model")
        with pytest.raises(EmbeddingModelError, match="MEDCITE_EMBEDDING_BACKEND=torch"):
            Embedder(settings).embed_query("hello")


@pytest.mark.integration
class TestOnnxBackend:
    @pytest.fixture(scope="class")
    def models_home(self, tmp_path_factory):
        return tmp_path_factory.mktemp("onnx-home")

    @pytest.fixture(scope="class")
    def reference(self, models_home):
        return Embedder(Settings(home=models_home, embedding_backend="torch")).embed_documents(SENTENCES)

    def test_int8_vectors_agree_with_fp32_sentence_transformers(self, models_home, reference):
        vectors = Embedder(Settings(home=models_home)).embed_documents(SENTENCES)
        assert vectors.shape == reference.shape == (len(SENTENCES), 384)
        assert vectors.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        agreement = (vectors * reference).sum(axis=1)
        assert agreement.min() > 0.98, agreement
        # Rankings agree too: each sentence's nearest other sentence is the same under both.
        np.fill_diagonal(sims_int8 := vectors @ vectors.T, -1)
        np.fill_diagonal(sims_fp32 := reference @ reference.T, -1)
        assert (sims_int8.argmax(axis=1) == sims_fp32.argmax(axis=1)).all()

    def test_order_is_kept_and_batching_barely_moves_vectors(self, models_home):
        embedder = Embedder(Settings(home=models_home, embedding_batch_size=2))
        together = embedder.embed_documents(SENTENCES)
        alone = np.stack([embedder.embed_query(s) for s in reversed(SENTENCES)])[::-1]
        # Dynamic int8 quantisation scales activations per batch, so a vector depends slightly on its batch
        # mates (unlike fp32): close, not identical. A shuffled order would pair the wrong rows: far apart.
        agreement = (together * alone).sum(axis=1)
        assert agreement.min() > 0.99, agreement
        assert float(together[0] @ alone[1]) < 0.9

    def test_the_export_is_made_once_and_reused(self, models_home, monkeypatch):
        Embedder(Settings(home=models_home)).embed_query("first")
        exports = list((models_home / "models").iterdir())
        assert len(exports) == 1 and (exports[0] / onnx_encoder.ONNX_FILE).is_file()
        monkeypatch.setattr(onnx_encoder, "export_onnx", lambda *a, **k: pytest.fail("exported again"))
        assert Embedder(Settings(home=models_home)).embed_query("second").shape == (384,)
        assert not [p for p in (models_home / "models").iterdir() if p.name.startswith(".export-")]

    def test_a_damaged_export_is_made_again(self, models_home, reference):
        Embedder(Settings(home=models_home)).embed_query("make sure it exists")
        (export,) = list((models_home / "models").iterdir())
        (export / onnx_encoder.ONNX_FILE).write_bytes(b"not an onnx model")
        vectors = Embedder(Settings(home=models_home)).embed_documents(SENTENCES[:2])
        assert ((vectors * reference[:2]).sum(axis=1) > 0.98).all()

    def test_two_threads_exporting_at_once_both_get_a_working_model(self, tmp_path, reference):
        results: dict[int, np.ndarray] = {}

        def encode(i: int) -> None:
            results[i] = Embedder(Settings(home=tmp_path)).embed_query(SENTENCES[0])

        threads = [threading.Thread(target=encode, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 2
        assert all(float(v @ reference[0]) > 0.98 for v in results.values())

    def test_token_counts_match_the_transformers_tokenizer(self, models_home):
        embedder = Embedder(Settings(home=models_home))
        from transformers import AutoTokenizer

        slow = AutoTokenizer.from_pretrained(resolve_model_path(embedder.model_name), local_files_only=True)
        expected = [len(ids) for ids in slow(SENTENCES, add_special_tokens=False, truncation=False)["input_ids"]]
        assert embedder.count_tokens(SENTENCES) == expected
