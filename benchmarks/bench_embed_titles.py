"""Should the title and section heading be embedded with each chunk? Dense retrieval both ways, one run.

Uses the full library built with MEDCITE_EMBED_TITLES=1 (the default): its stored vectors are the "with
titles" arm; the same chunks are encoded again from their bare text for the "text only" arm. Queries are
the dev splits of the eval sets (never the test splits). Retrieval is exact cosine search in memory over a
subset: all PubMedQA chunks, and for MedQuAD the gold documents of the dev questions plus seeded random
distractor documents.
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from benchmarks.common import ROOT, write_result
from medcite.corpus.library import Library
from medcite.embedding.model import Embedder
from medcite.evals.datasets import load_eval_set, split_filter
from medcite.evals.metrics import ndcg_at_k, recall_at_k
from medcite.settings import Settings

SETS = ["pubmedqa_dev", "medquad_patient", "medquad_sample"]


def rank_docs(query_vecs: np.ndarray, chunk_vecs: np.ndarray, chunk_docs: list[str], k: int = 10) -> list[list[str]]:
    scores = query_vecs @ chunk_vecs.T
    out = []
    for row in scores:
        order = np.argsort(-row)[:200]
        out.append(list(dict.fromkeys(chunk_docs[i] for i in order))[:k])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--distractors", type=int, default=600, help="MedQuAD documents besides the gold ones")
    args = parser.parse_args()
    settings = Settings()
    assert settings.embed_titles, "build the library with MEDCITE_EMBED_TITLES=1 (the default)"
    questions = {name: split_filter(load_eval_set(ROOT / "evals" / "sets" / f"{name}.jsonl"), "dev") for name in SETS}
    with Library(settings, readonly=True) as lib:
        rows = lib.ledger.conn.execute("SELECT id, doc_id, kind, text FROM chunks ORDER BY rowid").fetchall()
        gold = {d for qs in questions.values() for q in qs for d in q.relevant}
        guideline_docs = sorted({r["doc_id"] for r in rows if r["kind"] == "guideline"} - gold)
        keep = gold | set(random.Random(7).sample(guideline_docs, args.distractors))
        subset = [r for r in rows if r["kind"] == "research" or r["doc_id"] in keep]
        ids = [r["id"] for r in subset]
        stored = lib.vectors.collection.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(stored["ids"], stored["embeddings"], strict=True))
    with_titles = np.asarray([by_id[i] for i in ids], dtype=np.float32)
    embedder = Embedder(settings)
    started = time.perf_counter()
    text_only = embedder.embed_documents([r["text"] for r in subset])
    encode_s = time.perf_counter() - started
    docs = [r["doc_id"] for r in subset]
    result = {"chunks": len(subset), "documents": len(set(docs)), "encode_text_only_s": round(encode_s, 1), "sets": {}}
    for name, qs in questions.items():
        qvecs = embedder.embed_documents([q.question for q in qs])
        arms = {}
        for arm, matrix in (("title_and_heading", with_titles), ("text_only", text_only)):
            ranked = rank_docs(qvecs, matrix, docs)
            ndcg = [ndcg_at_k(r, q.relevant) for r, q in zip(ranked, qs, strict=True)]
            rec5 = [recall_at_k(r, q.relevant, 5) for r, q in zip(ranked, qs, strict=True)]
            arms[arm] = {"ndcg@10": round(float(np.mean([x for x in ndcg if x is not None])), 4),
                         "recall@5": round(float(np.mean([x for x in rec5 if x is not None])), 4)}
        result["sets"][name] = {"questions": len(qs), **arms}
    path = write_result("embed_titles", result)
    print(f"{result['chunks']} chunks of {result['documents']} documents -> {path}")
    print("| set (dev split) | questions | nDCG@10 title+heading | nDCG@10 text only | R@5 title+heading "
          "| R@5 text only |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in result["sets"].items():
        a, b = r["title_and_heading"], r["text_only"]
        print(f"| {name} | {r['questions']} | {a['ndcg@10']} | {b['ndcg@10']} | {a['recall@5']} | {b['recall@5']} |")


if __name__ == "__main__":
    main()
