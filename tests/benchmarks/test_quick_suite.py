"""The benchmark suite's quick mode: every benchmark still runs end to end and writes sane results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_shared_data

ROOT = Path(__file__).resolve().parents[2]


def run_suite(tmp_path: Path, parts: str) -> dict[str, dict]:
    results = tmp_path / "results"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDCITE_")}
    env.update(MEDCITE_BENCH_RESULTS=str(results), MEDCITE_HOME=str(tmp_path / "home"), HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--only", parts], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {p.stem: json.loads(p.read_text()) for p in results.glob("*.json")}


@pytest.mark.integration
class TestQuickBenchmarks:
    def test_fixture_parts_run_and_report(self, tmp_path):
        found = run_suite(tmp_path, "ingest,query_path,scale,serving,triage")
        assert {"ingest_quick", "query_path_quick", "scale_quick", "serving_quick", "triage_quick"} <= set(found)
        triage = found["triage_quick"]
        assert triage["messages"] == 20 and triage["per_message"]["triage"]["p50_ms"] > 0
        steps = found["query_path_quick"]["steps"]
        assert all(s["n"] == 10 and s["p50_ms"] > 0 for s in steps.values())
        ingest = found["ingest_quick"]
        for backend in ("onnx-int8", "torch"):
            row = ingest["pipeline_vs_raw"][backend]
            assert row["chunks"] > 0 and 0 < row["pipeline_over_raw"] < 5
        assert ingest["full"]["noop_embedded"] == 0  # the no-op re-ingest embedded nothing
        rows = found["scale_quick"]["rows"]
        assert len(rows) == 2 and rows[1]["chunks"] == 3 * rows[0]["chunks"]
        assert all(r["retrieve"]["p50_ms"] > 0 and r["answer"]["n"] == 12 for r in rows)
        serving = found["serving_quick"]
        assert json.dumps(serving)  # written and parseable
        assert serving["throughput"]["answers"] > 0 and serving["throughput"]["errors"] == 0

    def test_corpus_parts_run_and_report(self, tmp_path):
        require_shared_data()
        found = run_suite(tmp_path, "encoders,peer")
        quality = found["encoders_quick"]["quality"]
        assert quality["torch fp32 (sentence-transformers, reference)"]["cosine_to_reference_mean"] == 1.0
        assert quality["onnx int8 (default)"]["cosine_to_reference_mean"] > 0.98
        peer = found["peer_langchain_quick"]
        assert json.dumps(peer)
