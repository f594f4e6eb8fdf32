"""The benchmark suite in one command: ingest, encoders, latency at scale, serving, the LangChain peer, triage.

Full run (about 70 min on 2 cores, half of it building a 1M-chunk library; results in
benchmarks/results/*.json, the plot in docs/img/, and the tables that docs/benchmarks.md quotes)::

    python -m benchmarks.run --home /tmp/medcite-bench

Quick run (a few minutes; tiny inputs; checks that every benchmark still runs; CI runs it as a test and
writes its results to a temporary folder, never over the committed ones)::

    python -m benchmarks.run --quick

The parts run one after another, never side by side, so they do not disturb each other's timings. The full
run builds the real library into --home first (the full-ingest benchmark), and the later parts use it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

PARTS = ["ingest", "encoders", "query_path", "scale", "serving", "peer", "triage"]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny inputs: checks the code runs (CI)")
    parser.add_argument("--home", type=Path, help="MEDCITE_HOME for the full library (built by the ingest part)")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    parser.add_argument("--skip-full-ingest", action="store_true",
                        help="reuse the library already in --home instead of rebuilding it")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    if not args.quick and not args.home:
        parser.error("a full run needs --home DIR (the library is built there and kept)")
    if args.quick:
        # Quick results go to a scratch folder so they never overwrite the committed full results.
        os.environ.setdefault("MEDCITE_BENCH_RESULTS", tempfile.mkdtemp(prefix="medcite-bench-quick-"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from benchmarks import (
        bench_encoders,
        bench_ingest,
        bench_langchain,
        bench_query_path,
        bench_scale,
        bench_serving,
        bench_triage,
    )

    quick = ["--quick"] if args.quick else []
    home = [] if args.quick else ["--home", str(args.home)]
    plans = {
        "ingest": (bench_ingest.main, quick + home + (["--skip-full"] if args.skip_full_ingest else [])),
        "encoders": (bench_encoders.main, quick),
        "query_path": (bench_query_path.main, quick + home),
        "scale": (bench_scale.main, quick + home),
        "serving": (bench_serving.main, quick + home),
        "peer": (bench_langchain.main, quick),
        "triage": (bench_triage.main, quick),
    }
    results: dict[str, dict] = {}
    seconds: dict[str, float] = {}
    for part in parts:
        function, part_args = plans[part]
        print(f"\n=== {part}: {' '.join(part_args) or '(defaults)'}", flush=True)
        started = time.perf_counter()
        results[part] = function(part_args)
        seconds[part] = round(time.perf_counter() - started, 1)
        print(f"=== {part} done in {seconds[part]} s", flush=True)
    print("\nparts:", ", ".join(f"{p} {s} s" for p, s in seconds.items()))
    print("results in", os.environ.get("MEDCITE_BENCH_RESULTS", "benchmarks/results"))
    return {"seconds": seconds, "results": results}


if __name__ == "__main__":
    main()
