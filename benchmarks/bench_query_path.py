"""What each retrieval optimisation bought: every step of a query, before and after, side by side in one run.

On the real library (``--home``), over the same dev-split questions, each measurement interleaved per question:

* query encoding (the configured backend, one thread, as answering uses it);
* Chroma nearest-50 with metadata and text read back (before) vs ids and distances only (after);
* FTS5 BM25 top-50 joining every match to ``chunks`` before sorting (before) vs ranking inside the FTS
  index and joining only the winners (after);
* the whole of ``search_both_kinds`` (what answering calls) with the retriever's switches: 50 candidates,
  dense and lexical one after the other, a kind-filtered search whenever the top 20 lack a kind (before),
  and each change added in turn.

Usage::

    python -m benchmarks.bench_query_path --home DIR [--questions 120]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.common import summarize_ms, write_result


def switched_retriever(base, library, embedder, *, candidates: int, overlap: bool, top_up_from_pool: bool):
    """The product Retriever with each optimisation switchable, for this side-by-side only: sequential dense and
    lexical searches (an executor that runs the search at once) and no top-ups from the fused pool (the pool
    cut to the k best, so every missing kind costs a kind-filtered search). Counts those searches."""
    from concurrent.futures import Future
    from unittest import mock

    class Inline:
        def submit(self, fn):
            future: Future = Future()
            future.set_result(fn())
            return future

    class Switched(base):
        filtered_searches = 0

        def search_both_kinds(self, query, k=20, filters=None, mode="hybrid", per_kind=6, **kwargs):
            self._k = k
            return super().search_both_kinds(query, k, filters, mode, per_kind, **kwargs)

        def _pool(self, query, vector, filters, mode, analysis=None, limit=None, **kwargs):
            if limit is not None and filters.kind:
                self.filtered_searches += 1
            if not overlap:
                with mock.patch("medcite.qa.retrieve._search_threads", lambda: Inline()):
                    pool = super()._pool(query, vector, filters, mode, analysis, limit, **kwargs)
            else:
                pool = super()._pool(query, vector, filters, mode, analysis, limit, **kwargs)
            return pool if top_up_from_pool or limit is not None else pool[: self._k]

    return Switched(library, embedder, candidates=candidates)


CONFIGS = {
    "before: 50 candidates, sequential, filtered top-ups": {"candidates": 50, "overlap": False,
                                                             "top_up_from_pool": False},
    "+ top-ups from the fused pool": {"candidates": 50, "overlap": False, "top_up_from_pool": True},
    "+ 100 candidates": {"candidates": 100, "overlap": False, "top_up_from_pool": True},
    "+ dense and lexical overlapped (after = default)": {"candidates": 100, "overlap": True,
                                                         "top_up_from_pool": True},
}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="the real library (required unless --quick)")
    parser.add_argument("--questions", type=int, default=120)
    parser.add_argument("--quick", action="store_true", help="the small fixture library: checks the code runs")
    parser.add_argument("--out-name", default=None)
    args = parser.parse_args(argv)
    if args.quick:
        import os
        import subprocess
        import sys
        import tempfile

        from benchmarks.bench_scale import QUICK_CORPUS

        args.home = Path(tempfile.mkdtemp(prefix="bench-query-path-"))
        subprocess.run([str(Path(sys.executable).parent / "medcite"), "ingest", str(QUICK_CORPUS)], check=True,
                       env={**os.environ, "MEDCITE_HOME": str(args.home), "HF_HUB_OFFLINE": "1"}, capture_output=True)
        args.questions = 10
    elif not args.home:
        parser.error("--home is required unless --quick")
    args.out_name = args.out_name or ("query_path_quick" if args.quick else "query_path")

    from benchmarks.bench_scale import dev_questions
    from medcite.corpus.ledger import BM25_WEIGHTS, fts_query
    from medcite.qa.retrieve import Retriever
    from medcite.qa.service import AnswerService
    from medcite.qa.text import followup_query
    from medcite.settings import Settings

    settings = Settings(home=args.home)
    service = AnswerService(settings)
    library, embedder = service.library, service.embedder
    questions = [followup_query(q, []) for q in dev_questions(args.questions)]
    for q in questions[:5]:
        service.answer(q)
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    join_all = (f"SELECT c.id, -bm25(chunks_fts, {weights}) FROM chunks_fts JOIN chunks c ON c.rowid = "
                f"chunks_fts.rowid WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts, {weights}) LIMIT ?")
    retrievers = {name: switched_retriever(Retriever, library, embedder, **cfg) for name, cfg in CONFIGS.items()}

    steps = ["encode query", "chroma top-50 with text", "chroma top-50 ids only", "fts5 join every match",
             "fts5 rank then join", *CONFIGS]
    times: dict[str, list[float]] = {s: [] for s in steps}
    for q in questions:
        t = time.perf_counter()
        vector = embedder.embed_query(q)
        times["encode query"].append(time.perf_counter() - t)
        for label, payload in (("chroma top-50 with text", True), ("chroma top-50 ids only", False)):
            t = time.perf_counter()
            library.vectors.query(vector, 50, None, with_payload=payload)
            times[label].append(time.perf_counter() - t)
        t = time.perf_counter()
        library.ledger.conn.execute(join_all, [fts_query(q), 50]).fetchall()
        times["fts5 join every match"].append(time.perf_counter() - t)
        t = time.perf_counter()
        library.ledger.search(q, 50)
        times["fts5 rank then join"].append(time.perf_counter() - t)
        for name, retriever in retrievers.items():
            t = time.perf_counter()
            retriever.search_both_kinds(q, settings.retrieve_k)
            times[name].append(time.perf_counter() - t)
    result = {"chunks": library.ledger.stats()["chunks"], "questions": len(questions),
              "embedding_backend": settings.embedding_backend,
              "steps": {s: summarize_ms(v) for s, v in times.items()},
              "filtered_top_up_searches": {name: r.filtered_searches for name, r in retrievers.items()}}
    service.close()
    path = write_result(args.out_name, result)
    print(f"{result['chunks']} chunks, {len(questions)} questions -> {path}")
    print("| step | p50 ms | p95 ms | kind-filtered searches |")
    print("| --- | --- | --- | --- |")
    for step, stats in result["steps"].items():
        extra = result["filtered_top_up_searches"].get(step, "")
        print(f"| {step} | {stats['p50_ms']} | {stats['p95_ms']} | {extra} |")
    return result


if __name__ == "__main__":
    main()
