"""Query latency against library size: the real library, then synthetic 100k and 1M-chunk copies of it.

**How the synthetic libraries are made.** The real library (the shared corpus, ~34k chunks) is copied, and
then every real chunk is duplicated ``factor - 1`` times with a new chunk id and a new document id
(``<id>~<copy>``): the ledger rows (and with them the FTS5 index) are copied with SQL, and Chroma gets the
chunk's stored vector plus Gaussian noise (σ = 0.01 per dimension, renormalised: cosine ≈ 0.98 to the
original), with the same text and metadata. So the lexical index grows with real text and real term
statistics, and the vector index with realistic, non-identical neighbours. Nothing is re-embedded.

**What is timed**, per size, over the same dev-split questions (answerable ones of every eval set), after a
warm-up: retrieval exactly as answering does it (``Retriever.search_both_kinds``: hybrid, 20 passages plus
per-kind top-ups), dense and lexical alone, and the whole offline answer (``AnswerService.answer``).

Usage::

    python -m benchmarks.bench_scale --home DIR [--sizes 100000,1000000] [--questions 120]
    python -m benchmarks.bench_scale --quick       # a fixture library scaled x3: checks the code runs
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, summarize_ms, write_result

SETS = ["pubmedqa_dev", "medquad_sample", "medquad_patient", "handwritten"]
QUICK_CORPUS = ROOT / "tests" / "fixtures" / "regression" / "regression_library.jsonl"
JITTER_SIGMA = 0.01


def dev_questions(limit: int) -> list[str]:
    """Answerable dev-split questions, the sets interleaved so any prefix mixes them."""
    from medcite.evals.datasets import load_eval_set, split_filter

    per_set = [[q.question for q in split_filter(load_eval_set(ROOT / "evals" / "sets" / f"{name}.jsonl"), "dev")
                if q.group == "answerable"] for name in SETS]
    mixed = [q for group in zip(*per_set, strict=False) for q in group]
    taken = set(mixed)
    rest = [q for qs in per_set for q in qs if q not in taken]
    return (mixed + rest)[:limit]


def _settings(home: Path):
    from medcite.settings import Settings

    return Settings(home=home)


def scale_library(base_home: Path, target_home: Path, factor: int, seed: int = 5) -> dict:
    """Copy ``base_home`` to ``target_home`` and grow it ``factor``-fold with jittered duplicates (see above)."""
    from medcite.corpus.library import Library

    shutil.rmtree(target_home, ignore_errors=True)
    shutil.copytree(base_home, target_home)
    settings = _settings(target_home)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    with Library(settings) as library:
        conn = library.ledger.conn
        base_chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
        doc_cols = [r[1] for r in conn.execute("PRAGMA table_info(documents)")]
        chunk_cols = [r[1] for r in conn.execute("PRAGMA table_info(chunks)") if r[1] != "rowid"]
        for copy in range(1, factor):
            suffix = f"~{copy}"
            with library.ledger.transaction() as tx:
                tx.execute(f"INSERT INTO documents SELECT id || '{suffix}', "
                           f"{', '.join(doc_cols[1:])} FROM documents WHERE id NOT LIKE '%~%'")
                picked = ", ".join("id || ?" if c == "id" else "doc_id || ?" if c == "doc_id" else c
                                   for c in chunk_cols)
                tx.execute(f"INSERT INTO chunks({', '.join(chunk_cols)}) SELECT {picked} FROM chunks "
                           f"WHERE rowid <= ?", (suffix, suffix, base_chunks))
        ledger_s = time.perf_counter() - started

        collection = library.vectors.collection
        step = 2048
        ids = [r[0] for r in conn.execute("SELECT id FROM chunks WHERE rowid <= ? ORDER BY rowid", (base_chunks,))]
        vector_started = time.perf_counter()
        for start in range(0, len(ids), step):
            got = collection.get(ids=ids[start : start + step], include=["embeddings", "metadatas", "documents"])
            vectors = np.asarray(got["embeddings"], dtype=np.float32)
            for copy in range(1, factor):
                noisy = vectors + rng.normal(0.0, JITTER_SIGMA, vectors.shape).astype(np.float32)
                noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
                metas = [{**m, "doc_id": f"{m.get('doc_id', '')}~{copy}"} for m in got["metadatas"]]
                collection.add(ids=[f"{i}~{copy}" for i in got["ids"]], embeddings=noisy,
                               metadatas=metas, documents=got["documents"])
        vectors_s = time.perf_counter() - vector_started
        chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
        count = collection.count()
    if count != chunks:
        raise SystemExit(f"scaled library is inconsistent: {chunks} ledger chunks, {count} vectors")
    return {"chunks": chunks, "factor": factor, "build_ledger_s": round(ledger_s, 1),
            "build_vectors_s": round(vectors_s, 1), "disk_mb": round(_disk_mb(target_home), 1)}


def _disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child
    would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(home: Path, questions: list[str], warmup: int = 5) -> dict:
    """Retrieval (as answering does it; and each retriever alone) and whole-answer latency on ``home``."""
    from medcite.qa.retrieve import Filters
    from medcite.qa.service import AnswerService
    from medcite.qa.text import followup_query

    settings = _settings(home)
    opened = time.perf_counter()
    service = AnswerService(settings)
    retriever = service.retriever
    for q in questions[:warmup]:
        service.answer(q)
    open_s = time.perf_counter() - opened
    timings: dict[str, list[float]] = {"retrieve": [], "dense": [], "lexical": [], "answer": []}
    composed = 0
    for q in questions:
        query = followup_query(q, [])
        t0 = time.perf_counter()
        retriever.search_both_kinds(query, settings.retrieve_k, Filters(), mode="hybrid")
        t1 = time.perf_counter()
        retriever.search(query, settings.retrieve_k, mode="dense")
        t2 = time.perf_counter()
        retriever.search(query, settings.retrieve_k, mode="lexical")
        t3 = time.perf_counter()
        answer = service.answer(q)
        t4 = time.perf_counter()
        composed += not answer.abstained
        for key, seconds in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            timings[key].append(seconds)
    chunks = service.library.ledger.stats()["chunks"]
    service.close()
    out = {"chunks": chunks, "questions": len(questions), "answered": composed, "open_and_warm_s": round(open_s, 2),
           "peak_rss_mb": _peak_rss_mb()}
    for key, values in timings.items():
        stats = summarize_ms(values)
        stats["p95_over_p50"] = round(stats["p95_ms"] / stats["p50_ms"], 2) if stats["p50_ms"] else None
        out[key] = stats
    return out


def _measure_in_child(home: Path, questions: int) -> dict:
    """Each size in a fresh process, so one size's caches and memory do not flatter or burden the next."""
    import json

    code = ("import json,sys; from pathlib import Path; from benchmarks.bench_scale import measure, dev_questions; "
            f"print('RESULT'+json.dumps(measure(Path({str(home)!r}), dev_questions({questions}))))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})
    if done.returncode != 0:
        raise SystemExit(f"measuring {home} failed: {done.stderr[-3000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    return json.loads(line[len("RESULT"):])


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["chunks"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for key, label in (("retrieve", "retrieval (hybrid, as answering)"), ("dense", "dense only"),
                       ("lexical", "lexical only (FTS5)"), ("answer", "whole offline answer")):
        ax.plot(sizes, [r[key]["p50_ms"] for r in rows], marker="o", label=f"{label} p50")
        ax.fill_between(sizes, [r[key]["p50_ms"] for r in rows], [r[key]["p95_ms"] for r in rows], alpha=0.12)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in the library (log)")
    ax.set_ylabel("latency, ms (log; band: p50 to p95)")
    ax.set_title("MedCite query latency against library size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="the real library (MEDCITE_HOME of a full ingest)")
    parser.add_argument("--sizes", default="100000,1000000", help="synthetic sizes in chunks (rounded up to copies)")
    parser.add_argument("--questions", type=int, default=120)
    parser.add_argument("--scratch", type=Path, help="where synthetic libraries are built (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic libraries")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "img" / "latency_vs_size.png")
    parser.add_argument("--out-name", default=None)
    args = parser.parse_args(argv)
    name = args.out_name or ("scale_quick" if args.quick else "scale")
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    scratch.mkdir(parents=True, exist_ok=True)
    questions = 12 if args.quick else args.questions
    try:
        if args.quick:
            base = scratch / "base"
            subprocess.run([str(Path(sys.executable).parent / "medcite"), "ingest", str(QUICK_CORPUS)], check=True,
                           env={**os.environ, "MEDCITE_HOME": str(base), "HF_HUB_OFFLINE": "1"},
                           capture_output=True)
            sizes = [200]
        else:
            if not args.home:
                parser.error("--home (a full library) is required unless --quick")
            base = args.home
            sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        rows = [{"label": "real library", **_measure_in_child(base, questions)}]
        base_chunks = rows[0]["chunks"]
        print(f"{base_chunks} chunks: retrieval p50 {rows[0]['retrieve']['p50_ms']} ms, "
              f"answer p50 {rows[0]['answer']['p50_ms']} ms")
        for size in sizes:
            factor = max(2, -(-size // base_chunks))
            target = scratch / f"x{factor}"
            built = scale_library(base, target, factor)
            row = {"label": f"synthetic x{factor}", **built, **_measure_in_child(target, questions)}
            rows.append(row)
            print(f"{row['chunks']} chunks (built in {built['build_ledger_s']} + {built['build_vectors_s']} s): "
                  f"retrieval p50 {row['retrieve']['p50_ms']} ms p95 {row['retrieve']['p95_ms']} ms, "
                  f"dense p50 {row['dense']['p50_ms']}, lexical p50 {row['lexical']['p50_ms']}, "
                  f"answer p50 {row['answer']['p50_ms']} ms p95 {row['answer']['p95_ms']} ms, "
                  f"RSS {row['peak_rss_mb']} MB")
            if not args.keep:
                shutil.rmtree(target, ignore_errors=True)
            # Written after every size: the largest one takes long and may not finish.
            write_result(name, {"jitter_sigma": JITTER_SIGMA, "questions": questions, "rows": rows,
                                "complete": False})
        if not args.quick:
            plot(rows, args.plot)
        result = {"jitter_sigma": JITTER_SIGMA, "questions": questions, "rows": rows, "complete": True}
        path = write_result(name, result)
        print(f"-> {path}")
        return result
    finally:
        if not args.scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
