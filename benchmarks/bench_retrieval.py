"""Retrieval quality and latency of dense, BM25 and hybrid side by side on the eval sets (dev split by default)."""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.common import ROOT, summarize_ms, write_result
from medcite.corpus.library import Library
from medcite.embedding.model import Embedder
from medcite.evals.datasets import load_eval_set, split_filter
from medcite.evals.metrics import mrr_at_k, ndcg_at_k, recall_at_k
from medcite.qa.retrieve import Retriever, documents_of
from medcite.qa.text import followup_query
from medcite.settings import Settings

SETS = ["pubmedqa_dev", "medquad_sample", "medquad_patient", "handwritten"]
MODES = ["dense", "lexical", "hybrid"]


def mean(values) -> float:
    values = [v for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    parser.add_argument("--k", type=int, default=20, help="passages retrieved (<=2 per document)")
    parser.add_argument("--candidates", type=int, default=None, help="per-retriever candidates before fusion "
                        "(default: the retriever's)")
    parser.add_argument("--out-name", default=None)
    args = parser.parse_args()
    settings = Settings()
    embedder = Embedder(settings)
    embedder.embed_query("warm up")
    result = {"split": args.split, "collection": settings.collection_name, "candidates": args.candidates,
              "embedding_backend": settings.embedding_backend, "sets": {}}
    with Library(settings, readonly=True) as library:
        retriever = Retriever(library, embedder, **({"candidates": args.candidates} if args.candidates else {}))
        for name in SETS:
            questions = [q for q in split_filter(load_eval_set(ROOT / "evals" / "sets" / f"{name}.jsonl"), args.split)
                         if q.group == "answerable" and q.relevant]
            per_mode = {}
            for mode in MODES:
                rows, times = [], []
                for q in questions:
                    started = time.perf_counter()
                    docs = documents_of(retriever.search(followup_query(q.question, []), args.k, mode=mode))
                    times.append(time.perf_counter() - started)
                    rows.append((docs, q.relevant))
                per_mode[mode] = {
                    "ndcg@10": mean(ndcg_at_k(d, r, 10) for d, r in rows),
                    "mrr@10": mean(mrr_at_k(d, r, 10) for d, r in rows),
                    "recall@1": mean(recall_at_k(d, r, 1) for d, r in rows),
                    "recall@5": mean(recall_at_k(d, r, 5) for d, r in rows),
                    "recall@10": mean(recall_at_k(d, r, 10) for d, r in rows),
                    "latency": summarize_ms(times),
                }
            result["sets"][name] = {"questions": len(questions), **per_mode}
    path = write_result(args.out_name or f"retrieval_{args.split}", result)
    print(f"split={args.split} -> {path}")
    print("| set | n | mode | nDCG@10 | MRR@10 | R@1 | R@5 | R@10 | p50 ms | p95 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in result["sets"].items():
        for mode in MODES:
            m = r[mode]
            print(f"| {name} | {r['questions']} | {mode} | {m['ndcg@10']} | {m['mrr@10']} | {m['recall@1']} | "
                  f"{m['recall@5']} | {m['recall@10']} | {m['latency']['p50_ms']} | {m['latency']['p95_ms']} |")


if __name__ == "__main__":
    main()
