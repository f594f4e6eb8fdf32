"""Shared benchmark helpers: timing statistics, the shared corpus location, result files."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
# Quick (CI) runs write elsewhere so they never overwrite the committed full results.
RESULTS = Path(os.environ.get("MEDCITE_BENCH_RESULTS", ROOT / "benchmarks" / "results"))


def require_shared_data() -> Path:
    if not (SHARED_DATA / "pubmedqa" / "ori_pqal.json").exists():
        raise SystemExit(f"shared corpus not found at {SHARED_DATA}; benchmarks need ../shared/data")
    return SHARED_DATA


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarize_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"p50_ms": round(statistics.median(ms), 3), "p95_ms": round(percentile(ms, 95), 3), "n": len(ms)}


def machine() -> dict:
    return {"python": platform.python_version(), "cpu_count": os.cpu_count(), "machine": platform.machine(),
            "processor": platform.processor() or platform.machine()}


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {"benchmark": name, "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(), **data}
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def pubmedqa_questions(limit: int | None = None) -> list[tuple[str, str]]:
    """(question, gold doc id) for the PubMedQA entries that carry a question (dev data)."""
    data = json.loads((require_shared_data() / "pubmedqa" / "ori_pqal.json").read_text())
    pairs = [(v["QUESTION"], f"pubmed:{k}") for k, v in data.items() if v.get("QUESTION")]
    return pairs[:limit] if limit else pairs
