"""kill -9 during a real `medcite ingest` process: the library still answers, the next run finishes it exactly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medcite.corpus.library import Library
from medcite.settings import Settings
from tests.ingest.test_pipeline import doc, jsonl, library_state

MEDCITE = [sys.executable, "-m", "medcite"]


def ingest_process(home: Path, src: Path) -> subprocess.Popen:
    env = {**os.environ, "MEDCITE_HOME": str(home), "MEDCITE_INGEST_BATCH_DOCUMENTS": "8", "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([*MEDCITE, "ingest", str(src)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def documents_committed(home: Path) -> int:
    ledgers = list((home / "library").glob("*.sqlite"))
    if not ledgers:
        return 0
    try:
        with sqlite3.connect(f"file:{ledgers[0]}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents WHERE hash != ''").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.integration
class TestKillDuringIngest:
    def test_kill_9_then_rerun_matches_a_clean_ingest(self, tmp_path):
        src = jsonl(tmp_path / "src" / "docs.jsonl", [doc(i) for i in range(160)])
        home = tmp_path / "killed"
        proc = ingest_process(home, src)
        deadline = time.monotonic() + 180
        while documents_committed(home) < 24:
            assert proc.poll() is None, f"ingest ended before it could be killed: {proc.communicate()}"
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        settings = Settings(home=home)
        partial = documents_committed(home)
        assert 24 <= partial < 160

        # The interrupted library answers queries with the real model.
        from medcite.embedding.model import Embedder
        from medcite.qa.retrieve import Retriever

        with Library(settings) as lib:
            assert Retriever(lib, Embedder(settings)).search("treatment reduced symptoms", 5)

        rerun = ingest_process(home, src)
        out, err = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, err
        assert "unchanged" in out

        clean_home = tmp_path / "clean"
        clean = ingest_process(clean_home, src)
        assert clean.wait(600) == 0
        killed_state, clean_state = library_state(settings), library_state(Settings(home=clean_home))
        assert len(killed_state[0]) == 160
        assert killed_state == clean_state  # same hashes, same chunks, no duplicate or missing vectors
