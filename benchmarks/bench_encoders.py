"""Encoder levers side by side: speed of each way to run all-MiniLM-L6-v2 here, and what it costs in retrieval.

Two parts, one run, one process:

1. **Quality** (and speed on a realistic mix): a retrieval corpus of real chunks (the gold documents of every
   dev-split question, plus seeded distractors: PubMedQA abstracts and MedQuAD pages) is encoded by each
   candidate; dev questions are ranked by exact cosine search in memory; nDCG@10 and Recall@5 against the
   fp32 sentence-transformers reference. The issue's rule: a faster path may cost at most 0.01 nDCG@10.
2. **Levers** on a smaller seeded sample of chunks: threads, batch size, length-sorted batches, ONNX fp32.

Usage::

    python -m benchmarks.bench_encoders [--distractors 250] [--sample 600]
    python -m benchmarks.bench_encoders --quick
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, require_shared_data, write_result

SETS = ["pubmedqa_dev", "medquad_sample", "medquad_patient", "handwritten"]


def corpus_chunks(distractors: int, seed: int = 3, quick: bool = False) -> tuple[list[str], list[str], dict]:
    """(embed texts, their doc ids, dev questions per set) for the retrieval comparison."""
    from benchmarks.bench_langchain import load_corpus_documents
    from medcite.embedding.model import Embedder
    from medcite.evals.datasets import load_eval_set, split_filter
    from medcite.ingest.chunking import Chunker, ChunkingConfig
    from medcite.settings import Settings

    questions = {}
    for name in SETS:
        qs = [q for q in split_filter(load_eval_set(ROOT / "evals" / "sets" / f"{name}.jsonl"), "dev")
              if q.group == "answerable" and q.relevant_ids]
        questions[name] = qs[:8] if quick else qs
    gold = {d for qs in questions.values() for q in qs for d in q.relevant_ids}
    docs = load_corpus_documents(limit=len(gold) + distractors, seed=seed, keep_ids=gold)
    settings = Settings()
    chunker = Chunker(ChunkingConfig(settings.chunk_tokens, settings.chunk_overlap_tokens, settings.embed_titles),
                      Embedder(settings).count_tokens)
    chunks = [c for d in docs for c in chunker.chunk_document(d)]
    return [c.embed_text for c in chunks], [c.doc_id for c in chunks], questions


class Candidates:
    """Each way of encoding, built once: name -> encode(texts) callable."""

    def __init__(self, scratch: Path) -> None:
        from medcite.embedding.model import Embedder, resolve_model_path
        from medcite.embedding.onnx_encoder import OnnxEncoder, export_onnx
        from medcite.settings import Settings

        self.settings = Settings(home=scratch, embedding_backend="torch")
        self.torch_model = Embedder(self.settings).model
        model_dir = Path(resolve_model_path(self.settings.embedding_model))
        export_onnx(model_dir, scratch / "fp32", int8=False)
        export_onnx(model_dir, scratch / "int8", int8=True)
        self._onnx = {(w, t): OnnxEncoder(scratch / w, threads=t) for w in ("fp32", "int8") for t in (1, 2)}
        self._torch_int8 = None

    def torch(self, texts, *, batch=64, threads=2, int8=False):
        import torch

        torch.set_num_threads(threads)
        model = self.torch_model
        if int8:
            if self._torch_int8 is None:
                import copy

                self._torch_int8 = torch.ao.quantization.quantize_dynamic(
                    copy.deepcopy(self.torch_model), {torch.nn.Linear}, dtype=torch.qint8)
            model = self._torch_int8
        return model.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)

    def onnx(self, texts, *, weights="int8", batch=64, threads=2, sort=True):
        encoder = self._onnx[(weights, threads)]
        if sort:
            return encoder.encode(texts, batch_size=batch)
        # No length bucketing across the corpus: batches in input order, as a naive loop would make them.
        return np.concatenate([encoder.encode(texts[i : i + batch], batch_size=batch)
                               for i in range(0, len(texts), batch)])


def timed(fn, texts) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    vectors = np.asarray(fn(texts), dtype=np.float32)
    return vectors, time.perf_counter() - started


def retrieval_quality(vectors: np.ndarray, doc_ids: list[str], qvecs: np.ndarray, questions) -> dict:
    from medcite.evals.metrics import ndcg_at_k, recall_at_k

    scores = qvecs @ vectors.T
    ndcg, rec5 = [], []
    for row, q in zip(scores, questions, strict=True):
        order = np.argsort(-row)[:200]
        ranked = list(dict.fromkeys(doc_ids[i] for i in order))[:10]
        ndcg.append(ndcg_at_k(ranked, q.relevant, 10))
        rec5.append(recall_at_k(ranked, q.relevant, 5))
    clean = lambda xs: round(float(np.mean([x for x in xs if x is not None])), 4)  # noqa: E731
    return {"ndcg@10": clean(ndcg), "recall@5": clean(rec5)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--distractors", type=int, default=250, help="documents besides the gold ones")
    parser.add_argument("--sample", type=int, default=600, help="chunks timed for each lever")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out-name", default=None)
    args = parser.parse_args(argv)
    require_shared_data()
    name = args.out_name or ("encoders_quick" if args.quick else "encoders")
    texts, doc_ids, questions = corpus_chunks(10 if args.quick else args.distractors, quick=args.quick)
    if args.quick:
        texts, doc_ids = texts[:120], doc_ids[:120]
    scratch = Path(tempfile.mkdtemp(prefix="bench-encoders-"))
    try:
        cands = Candidates(scratch)
        arms = {
            "torch fp32 (sentence-transformers, reference)": lambda t: cands.torch(t),
            "torch dynamic int8": lambda t: cands.torch(t, int8=True),
            "onnx int8 (default)": lambda t: cands.onnx(t),
        }  # all at batch 64, so the quality arms differ only in the encoder
        quality: dict[str, dict] = {}
        reference = None
        all_questions = [q for qs in questions.values() for q in qs]
        for arm, fn in arms.items():
            vectors, seconds = timed(fn, texts)
            qvecs = np.asarray(fn([q.question for q in all_questions]), dtype=np.float32)
            if reference is None:
                reference = vectors
            agreement = (vectors * reference).sum(axis=1)
            row = {"chunks_per_s": round(len(texts) / seconds, 1), "seconds": round(seconds, 1),
                   "cosine_to_reference_mean": round(float(agreement.mean()), 4),
                   "cosine_to_reference_min": round(float(agreement.min()), 4), "sets": {}}
            offset = 0
            for set_name, qs in questions.items():
                row["sets"][set_name] = retrieval_quality(vectors, doc_ids, qvecs[offset : offset + len(qs)], qs)
                offset += len(qs)
            row["pooled"] = retrieval_quality(vectors, doc_ids, qvecs, all_questions)
            quality[arm] = row
            print(f"{arm}: {row['chunks_per_s']}/s, cos {row['cosine_to_reference_mean']} "
                  f"(min {row['cosine_to_reference_min']}), pooled nDCG@10 {row['pooled']['ndcg@10']}")
        ref_ndcg = quality["torch fp32 (sentence-transformers, reference)"]["pooled"]["ndcg@10"]
        for row in quality.values():
            row["ndcg_delta_vs_reference"] = round(row["pooled"]["ndcg@10"] - ref_ndcg, 4)
            row["within_0.01"] = row["ndcg_delta_vs_reference"] >= -0.01

        sample = random.Random(17).sample(texts, min(len(texts), 60 if args.quick else args.sample))
        levers = {
            "torch fp32, batch 64, 2 threads": lambda t: cands.torch(t),
            "torch fp32, batch 64, 1 thread": lambda t: cands.torch(t, threads=1),
            "torch fp32, batch 16, 2 threads": lambda t: cands.torch(t, batch=16),
            "onnx fp32, batch 64, 2 threads": lambda t: cands.onnx(t, weights="fp32"),
            "onnx int8, batch 64, 2 threads, length-sorted": lambda t: cands.onnx(t),
            "onnx int8, batch 64, 2 threads, input order": lambda t: cands.onnx(t, sort=False),
            "onnx int8, batch 16, 2 threads": lambda t: cands.onnx(t, batch=16),
            "onnx int8, batch 8, 2 threads (default)": lambda t: cands.onnx(t, batch=8),
            "onnx int8, batch 4, 2 threads": lambda t: cands.onnx(t, batch=4),
            "onnx int8, batch 64, 1 thread": lambda t: cands.onnx(t, threads=1),
        }
        lever_rows = {}
        for lever, fn in levers.items():
            _, seconds = timed(fn, sample)
            lever_rows[lever] = round(len(sample) / seconds, 1)
            print(f"{lever}: {lever_rows[lever]} chunks/s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {"corpus_chunks": len(texts), "corpus_documents": len(set(doc_ids)),
              "questions": {k: len(v) for k, v in questions.items()}, "quality": quality,
              "lever_sample_chunks": len(sample), "levers_chunks_per_s": lever_rows}
    path = write_result(name, result)
    print(f"-> {path}")
    return result


if __name__ == "__main__":
    main()
