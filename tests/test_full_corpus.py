"""The whole shared corpus through the real pipeline (slow: ~25 min of embedding on 2 cores)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import require_shared_data

MEDQUAD_SOURCES = {"CancerGov", "GARD", "GHR", "MPlusHealthTopics", "NIDDK", "NINDS", "NIHSeniorHealth", "NHLBI", "CDC"}


def medcite(home, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MEDCITE_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "medcite", *args], env=env, capture_output=True, text=True,
                          timeout=3 * 3600)


@pytest.mark.slow
def test_full_shared_corpus_ingest_is_exact_and_idempotent(tmp_path):
    data = require_shared_data()
    home = tmp_path / "home"
    first = medcite(home, "ingest", str(data), "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["failed"] == [] and report["added"] == 6490

    stats = json.loads(medcite(home, "corpus", "stats", "--json").stdout)
    assert stats["by_source"]["PubMed"] == 1000
    assert sum(n for s, n in stats["by_source"].items() if s in MEDQUAD_SOURCES) == 5490
    assert stats["by_kind"] == {"guideline": 5490, "research": 1000}
    assert stats["vectors"] == stats["chunks"]

    import sqlite3

    ledger = next((home / "library").glob("*.sqlite"))
    with sqlite3.connect(ledger) as conn:
        medquad_sections = conn.execute(
            "SELECT count(DISTINCT section_id) FROM chunks WHERE kind = 'guideline'").fetchone()[0]
    assert medquad_sections == 16423

    second = medcite(home, "ingest", str(data), "--json")
    again = json.loads(second.stdout)
    assert (again["added"], again["updated"], again["unchanged"], again["chunks_written"]) == (0, 0, 6490, 0)
    assert again["seconds"] < 0.03 * report["seconds"] + 30
