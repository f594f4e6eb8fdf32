"""A sentence-transformers model exported once to ONNX with int8 weights, encoded with onnxruntime."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import warnings
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# Bumped whenever the export recipe changes, so that caches made by an older recipe are rebuilt.
EXPORT_RECIPE = "torch-onnx-opset17+ort-dynamic-int8-per-channel/1"
ONNX_FILE = "model.onnx"
INFO_FILE = "medcite-export.json"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_EXPORT_LOCK = threading.Lock()


class OnnxExportError(RuntimeError):
    """The model cannot be exported or run through the ONNX path (use MEDCITE_EMBEDDING_BACKEND=torch)."""


def _read_json(path: Path) -> dict | list:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def model_layout(model_dir: Path) -> dict:
    """What the encoder must reproduce: pooling mode, normalisation and the longest input, from the model files."""
    modules = _read_json(model_dir / "modules.json") or []
    kinds = [m.get("type", "") for m in modules if isinstance(m, dict)]
    unknown = [k for k in kinds if k.rsplit(".", 1)[-1] not in ("Transformer", "Pooling", "Normalize")]
    if unknown:
        raise OnnxExportError(f"the ONNX path supports Transformer → Pooling → Normalize models; {model_dir.name} "
                              f"also has {', '.join(unknown)}. Set MEDCITE_EMBEDDING_BACKEND=torch.")
    pooling_dir = next((m.get("path", "") for m in modules if isinstance(m, dict)
                        and m.get("type", "").endswith("Pooling")), "1_Pooling")
    pooling = _read_json(model_dir / pooling_dir / "config.json") or {}
    if "pooling_mode" in pooling:  # sentence-transformers >= 6 writes the mode by name
        mode = {"mean": "mean", "cls": "cls"}.get(str(pooling["pooling_mode"]).lower(), "")
    elif pooling:  # older releases: one flag per mode
        mode = "cls" if pooling.get("pooling_mode_cls_token") else \
            "mean" if pooling.get("pooling_mode_mean_tokens") else ""
    else:
        mode = "mean"
    if not mode:
        raise OnnxExportError(f"the ONNX path supports mean or CLS pooling; {model_dir.name} uses another. "
                              "Set MEDCITE_EMBEDDING_BACKEND=torch.")
    max_length = int((_read_json(model_dir / "sentence_bert_config.json") or {}).get("max_seq_length", 256))
    return {"pooling": mode, "normalize": any(k.endswith("Normalize") for k in kinds), "max_length": max_length}


def export_key(model_dir: Path) -> str:
    """A cache key that changes when the model's files or the export recipe change."""
    parts = [EXPORT_RECIPE, str(model_dir.resolve())]
    for path in sorted(model_dir.rglob("*")):
        if path.is_file() and path.suffix in {".json", ".safetensors", ".bin", ".txt"}:
            stat = path.stat()
            parts.append(f"{path.relative_to(model_dir)}:{stat.st_size}:{int(stat.st_mtime)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cached_export(model_dir: Path, models_dir: Path) -> Path:
    """The folder holding the int8 ONNX export of ``model_dir``, exported on first use (a few seconds)."""
    target = models_dir / f"{model_dir.name}-onnx-int8-{export_key(model_dir)}"
    if (target / ONNX_FILE).is_file() and (target / INFO_FILE).is_file():
        return target
    with _EXPORT_LOCK:
        if not ((target / ONNX_FILE).is_file() and (target / INFO_FILE).is_file()):
            export_onnx(model_dir, target)
    return target


@contextlib.contextmanager
def _quiet():
    """The exporter's tracer warnings and the quantiser's root-logger advice are not for our users."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def export_onnx(model_dir: Path, target: Path, *, int8: bool = True) -> None:
    """Export ``model_dir`` into the folder ``target`` (int8 weights unless ``int8`` is False, for benchmarks).

    The export is made in a private folder and renamed into place, so a crash or a second process never sees
    half a file.
    """
    layout = model_layout(model_dir)
    models_dir = target.parent
    models_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=models_dir))
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import AutoModel

        log.info("exporting %s to ONNX int8 (once per model) under %s", model_dir.name, models_dir)
        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

        class LastHiddenState(torch.nn.Module):
            """Keyword arguments in, one tensor out: the positional order of forward() differs by version."""

            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state

        sample = torch.ones((2, 8), dtype=torch.long)
        fp32 = work / "model-fp32.onnx"
        with torch.no_grad(), _quiet():
            torch.onnx.export(
                LastHiddenState(model), (sample, sample, torch.zeros_like(sample)), str(fp32),
                input_names=list(_INPUTS), output_names=["last_hidden_state"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")},
                opset_version=17, dynamo=False,
            )
        if int8:
            # Per-channel int8 weights keep cosine agreement with fp32 at ~0.995; per-tensor loses more.
            with _quiet():
                quantize_dynamic(str(fp32), str(work / ONNX_FILE), weight_type=QuantType.QInt8, per_channel=True)
            fp32.unlink()
        else:
            fp32.rename(work / ONNX_FILE)
        shutil.copy2(model_dir / "tokenizer.json", work / "tokenizer.json")
        (work / INFO_FILE).write_text(json.dumps({"source": str(model_dir), "recipe": EXPORT_RECIPE,
                                                  "weights": "int8" if int8 else "fp32",
                                                  "hidden_size": int(model.config.hidden_size), **layout}, indent=2))
        if target.exists():  # a stale or half-made folder from an older run
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(work, target)
        except OSError:  # another process put a complete export there first
            if not (target / ONNX_FILE).is_file():
                raise
    except OnnxExportError:
        raise
    except OSError as exc:  # the disk or the folder, not the model: switching backends would not help
        if exc.errno == errno.ENOSPC or "no space" in str(exc).lower():
            raise OnnxExportError(f"cannot export {model_dir.name} to ONNX: the disk holding {models_dir} is full. "
                                  "Free some space and try again (the export needs about 25 MB).") from exc
        raise OnnxExportError(f"cannot write the ONNX export of {model_dir.name} under {models_dir} "
                              f"({exc.strerror or exc}): check that MEDCITE_HOME is writable.") from exc
    except Exception as exc:  # noqa: BLE001 - torch, onnx and onnxruntime raise many types
        raise OnnxExportError(f"cannot export {model_dir.name} to ONNX ({exc.__class__.__name__}: {exc}). "
                              "Set MEDCITE_EMBEDDING_BACKEND=torch to use sentence-transformers instead.") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


class OnnxEncoder:
    """Encodes texts like SentenceTransformer.encode (pooling, normalisation, truncation) from an int8 export."""

    def __init__(self, export_dir: Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.info = _read_json(export_dir / INFO_FILE)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 0  # 0: onnxruntime's default, one per physical core
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(export_dir / ONNX_FILE), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(export_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(self.info.get("max_length", 256)))
        self.tokenizer.no_padding()
        self.dimension = int(self.info["hidden_size"])
        self._pad_id = self.tokenizer.token_to_id("[PAD]") or 0

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Normalised float32 vectors, one per text, in input order."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        # Longest first, batched by length: padding is what a batch wastes, so similar lengths go together.
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            index = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in index)
            ids = np.full((len(index), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(index), width), dtype=np.int64)
            types = np.zeros((len(index), width), dtype=np.int64)
            for row, i in enumerate(index):
                enc = encodings[i]
                ids[row, : len(enc.ids)] = enc.ids
                mask[row, : len(enc.ids)] = 1
                types[row, : len(enc.ids)] = enc.type_ids
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
            if self.info.get("pooling") == "cls":
                pooled = hidden[:, 0]
            else:
                weights = mask[..., None].astype(np.float32)
                pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            if self.info.get("normalize", True):
                pooled = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[index] = pooled
        return out
