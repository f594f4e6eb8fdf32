"""Ingest throughput: the whole pipeline vs raw encoding of the same chunks, the full corpus, and a no-op re-ingest.

Three measurements, one run:

1. **Pipeline vs raw encoder** on a seeded sample of corpus documents: ``IngestPipeline.ingest_documents`` into
   a fresh library (parse → hash → chunk → encode → Chroma + SQLite writes) against the bare encoder on the
   very chunk texts the pipeline embedded, for each backend, interleaved (raw, pipeline, raw, pipeline) so
   that machine noise hits both arms alike. Models are loaded before the clock starts.
2. **Full shared corpus**: ``medcite ingest ../shared/data`` in a fresh MEDCITE_HOME, as a user runs it
   (process start to exit, peak RSS from ``/usr/bin/time``-style rusage).
3. **No-op re-ingest**: the same command again; nothing changed, so nothing may be embedded.

Usage::

    python -m benchmarks.bench_ingest [--home DIR] [--sample-docs 200] [--reps 2] [--skip-full]
    python -m benchmarks.bench_ingest --quick      # small sample and the regression fixture: checks the code runs
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import RESULTS, ROOT, require_shared_data, write_result

QUICK_CORPUS = ROOT / "tests" / "fixtures" / "regression" / "regression_library.jsonl"


def sample_documents(count: int, seed: int = 11):
    """A seeded sample of the shared corpus's documents (the peer benchmark's loader, so both pick alike)."""
    from benchmarks.bench_langchain import load_corpus_documents

    return load_corpus_documents(limit=count, seed=seed)


def _raw_encoder(backend: str, settings):
    """The bare encoder a user of the library would call: SentenceTransformer.encode, or our ONNX session."""
    from medcite.embedding.model import Embedder

    embedder = Embedder(settings)
    if backend == "torch":
        model = embedder.model
        return lambda texts: model.encode(texts, batch_size=settings.embedding_batch_size,
                                          normalize_embeddings=True, convert_to_numpy=True)
    encoder = embedder.encoder
    return lambda texts: encoder.encode(texts, batch_size=settings.embedding_batch_size)


def pipeline_vs_raw(docs, backends: list[str], reps: int, threads: int | None) -> dict:
    """Chunks/s of the whole pipeline and of the raw encoder on the same chunks, per backend, interleaved."""
    import copy

    from medcite.corpus.library import Library
    from medcite.embedding.model import Embedder
    from medcite.ingest.pipeline import IngestPipeline
    from medcite.settings import Settings

    results: dict[str, dict] = {}
    for backend in backends:
        scratch = Path(tempfile.mkdtemp(prefix=f"bench-ingest-{backend}-"))
        try:
            base = Settings(home=scratch / "warm", embedding_backend=backend, torch_threads=threads)
            embedder = Embedder(base)
            embedder.embed_documents(["warm up the model and the export cache"])
            texts = None
            raw_s: list[float] = []
            pipe_s: list[float] = []
            chunks = 0
            for rep in range(reps):
                home = scratch / f"run{rep}"
                settings = Settings(home=home, embedding_backend=backend, torch_threads=threads)
                with Library(settings) as library:
                    pipeline = IngestPipeline(settings, library, embedder)
                    started = time.perf_counter()
                    report = pipeline.ingest_documents(copy.deepcopy(docs))
                    pipe_s.append(time.perf_counter() - started)
                    chunks = report.chunks_embedded
                    if texts is None:  # the very texts the pipeline embedded (chunking is deterministic)
                        texts = [c.embed_text for d in docs for c in pipeline.chunker.chunk_document(d)]
                encode = _raw_encoder(backend, base)
                started = time.perf_counter()
                encode(texts)
                raw_s.append(time.perf_counter() - started)
            assert texts is not None and len(texts) == chunks, (len(texts or []), chunks)
            pipe = statistics.median(pipe_s)
            raw = statistics.median(raw_s)
            results[backend] = {
                "documents": len(docs), "chunks": chunks, "reps": reps,
                "pipeline_s": [round(s, 2) for s in pipe_s], "raw_encode_s": [round(s, 2) for s in raw_s],
                "pipeline_chunks_per_s": round(chunks / pipe, 1), "raw_chunks_per_s": round(chunks / raw, 1),
                "pipeline_over_raw": round(raw / pipe, 3),
            }
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    if "torch" in results and "onnx-int8" in results:
        # The yardstick: our whole default pipeline against plain sentence-transformers encoding.
        results["default_pipeline_over_raw_sentence_transformers"] = round(
            results["onnx-int8"]["pipeline_chunks_per_s"] / results["torch"]["raw_chunks_per_s"], 3)
    return results


def run_cli_ingest(home: Path, source: Path, extra_env: dict | None = None) -> dict:
    """``medcite ingest SOURCE --json`` as a user runs it: wall seconds, peak RSS, and the printed report.

    Peak RSS comes from GNU time (``%M``) where it is installed: Linux carries ru_maxrss across fork+exec,
    so this process's own view of a child's peak would include its own (large) memory.
    """
    env = {**os.environ, "MEDCITE_HOME": str(home), "HF_HUB_OFFLINE": "1", **(extra_env or {})}
    command = [str(Path(sys.executable).parent / "medcite"), "ingest", str(source), "--json"]
    gnu_time = Path("/usr/bin/time").exists()
    with tempfile.NamedTemporaryFile(prefix="rss-", suffix=".txt") as rss_file:
        if gnu_time:
            command = ["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *command]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"medcite ingest failed ({done.returncode}): {done.stderr[-2000:]}")
        text = Path(rss_file.name).read_text().strip() if gnu_time else ""
    peak_kb = int(text.splitlines()[-1]) if text else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = json.loads(done.stdout[done.stdout.index("{"):])
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(peak_kb / 1024, 1),
            "peak_rss_source": "GNU time %M" if text else "ru_maxrss of children (upper bound)", "report": report}


def full_and_noop(home: Path, source: Path, extra_env: dict | None = None) -> dict:
    """First ingest into an empty home, then the same again (nothing changed)."""
    shutil.rmtree(home, ignore_errors=True)
    first = run_cli_ingest(home, source, extra_env)
    again = run_cli_ingest(home, source, extra_env)
    r1, r2 = first["report"], again["report"]
    chunks = r1.get("chunks_embedded", 0)
    return {
        "source": str(source), "documents": r1.get("added", 0), "chunks": chunks,
        "first_wall_s": first["wall_s"], "first_chunks_per_s": round(chunks / first["wall_s"], 1),
        "first_peak_rss_mb": first["peak_rss_mb"], "peak_rss_source": first["peak_rss_source"],
        "noop_wall_s": again["wall_s"], "noop_embedded": r2.get("chunks_embedded"),
        "noop_unchanged": r2.get("unchanged"), "noop_over_first": round(again["wall_s"] / first["wall_s"], 4),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sample and fixture corpus: checks the code runs")
    parser.add_argument("--home", type=Path, help="MEDCITE_HOME for the full ingest (kept, for the latency "
                                                  "benchmarks); default: a temporary folder, removed")
    parser.add_argument("--sample-docs", type=int, default=200)
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="encoder threads (default: one per core)")
    parser.add_argument("--backends", default="onnx-int8,torch")
    parser.add_argument("--skip-full", action="store_true", help="only the pipeline-vs-raw sample")
    parser.add_argument("--out-name", default=None)
    args = parser.parse_args(argv)
    name = args.out_name or ("ingest_quick" if args.quick else "ingest")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]

    if args.quick:
        from medcite.ingest.loaders import load_file

        docs = list(load_file(QUICK_CORPUS, None, None))[:20]
        reps = 1
    else:
        require_shared_data()
        docs = sample_documents(args.sample_docs)
        reps = args.reps
    result: dict = {"quick": args.quick, "threads": args.threads, "pipeline_vs_raw": pipeline_vs_raw(
        docs, backends, reps, args.threads)}
    for backend in backends:
        r = result["pipeline_vs_raw"][backend]
        print(f"[{backend}] {r['documents']} docs, {r['chunks']} chunks: pipeline {r['pipeline_chunks_per_s']}/s, "
              f"raw encoder {r['raw_chunks_per_s']}/s -> pipeline/raw {r['pipeline_over_raw']}")
    if "default_pipeline_over_raw_sentence_transformers" in result["pipeline_vs_raw"]:
        print("default pipeline / raw sentence-transformers:",
              result["pipeline_vs_raw"]["default_pipeline_over_raw_sentence_transformers"])

    if not args.skip_full:
        source = QUICK_CORPUS if args.quick else require_shared_data()
        home = args.home or Path(tempfile.mkdtemp(prefix="bench-full-"))
        try:
            full = full_and_noop(home, source)
        finally:
            if not args.home:
                shutil.rmtree(home, ignore_errors=True)
        result["full"] = full
        print(f"full ingest of {source}: {full['documents']} docs, {full['chunks']} chunks in {full['first_wall_s']} s "
              f"({full['first_chunks_per_s']}/s, peak RSS {full['first_peak_rss_mb']} MB); no-op re-ingest "
              f"{full['noop_wall_s']} s = {100 * full['noop_over_first']:.2f}% (embedded {full['noop_embedded']})")
    else:
        # Keep the last full-corpus measurement (it takes a quarter of an hour) rather than dropping it.
        previous = RESULTS / f"{name}.json"
        if previous.exists() and "full" in (old := json.loads(previous.read_text())):
            result["full"] = {**old["full"], "measured_at": old.get("measured_at")}
    path = write_result(name, result)
    print(f"-> {path}")
    return result


if __name__ == "__main__":
    main()
