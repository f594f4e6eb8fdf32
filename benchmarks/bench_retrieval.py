"""Retrieval quality and latency side by side on the eval sets (dev split by default), in one run.

Configurations: dense alone, BM25 alone (both on the analysed query), round 1's hybrid (reciprocal-rank fusion of
the raw question, no question analysis) and today's hybrid (question analysis + weighted fusion with the focus and
type signals). Latency includes the question analysis where it runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks.common import ROOT, summarize_ms, write_result
from medcite.corpus.library import Library
from medcite.embedding.model import Embedder
from medcite.evals.datasets import load_eval_set, split_filter
from medcite.evals.metrics import mrr_at_k, ndcg_at_k, recall_at_k
from medcite.qa.retrieve import Retriever, documents_of
from medcite.qa.service import make_analyzer
from medcite.qa.text import followup_query
from medcite.settings import Settings

SETS = ["pubmedqa_dev", "medquad_sample", "medquad_patient", "handwritten"]
# name: (mode, fusion, with question analysis)
CONFIGS = {"dense": ("dense", "weighted", True), "lexical": ("lexical", "weighted", True),
           "hybrid rrf, raw question (round 1)": ("hybrid", "rrf", False),
           "hybrid weighted + analysis": ("hybrid", "weighted", True)}


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
    parser.add_argument("--set", action="append", default=None, help="eval set path(s) instead of the four sets")
    args = parser.parse_args()
    settings = Settings()
    embedder = Embedder(settings)
    embedder.embed_query("warm up")
    result = {"split": args.split, "collection": settings.collection_name, "candidates": args.candidates,
              "embedding_backend": settings.embedding_backend, "sets": {}}
    with Library(settings, readonly=True) as library:
        extra = {"candidates": args.candidates} if args.candidates else {}
        analyzer = make_analyzer(library, embedder)
        retrievers = {name: Retriever(library, embedder, analyzer=analyzer if analysed else None, fusion=fusion,
                                      **extra) for name, (_mode, fusion, analysed) in CONFIGS.items()}
        paths = [Path(p) for p in args.set] if args.set else [ROOT / "evals" / "sets" / f"{n}.jsonl" for n in SETS]
        for path in paths:
            name = path.stem
            questions = [q for q in split_filter(load_eval_set(path), args.split)
                         if q.group == "answerable" and any(g > 0 for g in q.relevant.values())]
            per_mode = {}
            for config, (mode, _fusion, _analysed) in CONFIGS.items():
                retriever = retrievers[config]
                rows, times = [], []
                for q in questions:
                    started = time.perf_counter()
                    docs = documents_of(retriever.search(followup_query(q.question, []), args.k, mode=mode))
                    times.append(time.perf_counter() - started)
                    rows.append((docs, q.relevant))
                per_mode[config] = {
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
        for mode in CONFIGS:
            m = r[mode]
            print(f"| {name} | {r['questions']} | {mode} | {m['ndcg@10']} | {m['mrr@10']} | {m['recall@1']} | "
                  f"{m['recall@5']} | {m['recall@10']} | {m['latency']['p50_ms']} | {m['latency']['p95_ms']} |")


if __name__ == "__main__":
    main()
