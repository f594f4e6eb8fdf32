"""Lexical index choice: SQLite FTS5 (incremental, in the ledger) vs bm25s (rebuilt per ingest), side by side."""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.common import pubmedqa_questions, summarize_ms, write_result
from medcite.corpus.ledger import _SCHEMA, BM25_WEIGHTS, Ledger
from medcite.settings import Settings


def load_chunks(ledger: Ledger) -> list[sqlite3.Row]:
    return ledger.conn.execute("SELECT * FROM chunks ORDER BY rowid").fetchall()


def recall_at_10(ranked_docs: list[list[str]], gold: list[str]) -> float:
    return sum(g in r[:10] for r, g in zip(ranked_docs, gold, strict=True)) / len(gold)


def docs_from_chunks(chunk_ids: list[str], k: int = 10) -> list[str]:
    return list(dict.fromkeys(c.split("#")[0] for c in chunk_ids))[:k]


def bench_fts5(rows: list[sqlite3.Row], ledger: Ledger, queries: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "fts.sqlite", isolation_level=None)
        conn.executescript(_SCHEMA)
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO chunks(id, doc_id, ordinal, section_id, section, label, text, embed_text, title, kind,"
            " source, year, url) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(r["id"], r["doc_id"], r["ordinal"], r["section_id"], r["section"], r["label"], r["text"],
              r["embed_text"], r["title"], r["kind"], r["source"], r["year"], r["url"]) for r in rows],
        )
        conn.execute("COMMIT")
        build = time.perf_counter() - started
        # Incremental update: replace the chunks of 64 documents, as one ingest batch does.
        docs = list(dict.fromkeys(r["doc_id"] for r in rows))[:64]
        started = time.perf_counter()
        conn.execute("BEGIN")
        for doc in docs:
            old = conn.execute("SELECT * FROM chunks WHERE doc_id = ?", (doc,)).fetchall()
            conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc,))
            conn.executemany(
                "INSERT INTO chunks(id, doc_id, ordinal, section_id, section, label, text, embed_text, title,"
                " kind, source, year, url) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(r[1], r[2], r[3], r[4], r[5], r[6], r[7] + " updated", r[8], r[9], r[10], r[11], r[12], r[13])
                 for r in old],
            )
        conn.execute("COMMIT")
        update = time.perf_counter() - started
        conn.close()
    times, ranked = [], []
    for q in queries:
        started = time.perf_counter()
        hits = ledger.search(q, 50)
        times.append(time.perf_counter() - started)
        ranked.append(docs_from_chunks([h[0] for h in hits]))
    return {"build_s": round(build, 2), "update_64_docs_s": round(update, 3), "query": summarize_ms(times),
            "ranked": ranked}


def bench_bm25s(rows: list[sqlite3.Row], queries: list[str]) -> dict:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    # Same fields as FTS5; title and heading repeated twice to mirror FTS5's column weights of 2.
    texts = [f"{r['title']} {r['title']} {r['section']} {r['section']} {r['text']}" for r in rows]
    ids = [r["id"] for r in rows]
    started = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    build = time.perf_counter() - started
    times, ranked = [], []
    for q in queries:
        started = time.perf_counter()
        q_tokens = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False)
        results, _scores = retriever.retrieve(q_tokens, k=50, show_progress=False, n_threads=1)
        times.append(time.perf_counter() - started)
        ranked.append(docs_from_chunks([ids[i] for i in results[0]]))
    return {"build_s": round(build, 2), "update_64_docs_s": "full rebuild", "query": summarize_ms(times),
            "ranked": ranked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    settings = Settings()
    ledger = Ledger(settings.ledger_path, settings.collection_name, readonly=True)
    rows = load_chunks(ledger)
    pairs = pubmedqa_questions(args.queries)
    queries, gold = [q for q, _ in pairs], [g for _, g in pairs]
    fts = bench_fts5(rows, ledger, queries)
    bm = bench_bm25s(rows, queries)
    result = {"chunks": len(rows), "queries": len(queries), "fts5_weights": BM25_WEIGHTS}
    for name, res in (("fts5", fts), ("bm25s", bm)):
        res["recall_at_10_pubmedqa"] = round(recall_at_10(res.pop("ranked"), gold), 4)
        result[name] = res
    path = write_result("lexical", result)
    print(f"{len(rows)} chunks, {len(queries)} PubMedQA questions -> {path}")
    print("| index | build (s) | update 64 docs (s) | query p50 (ms) | query p95 (ms) | Recall@10 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in ("fts5", "bm25s"):
        r = result[name]
        print(f"| {name} | {r['build_s']} | {r['update_64_docs_s']} | {r['query']['p50_ms']} | "
              f"{r['query']['p95_ms']} | {r['recall_at_10_pubmedqa']} |")


if __name__ == "__main__":
    main()
