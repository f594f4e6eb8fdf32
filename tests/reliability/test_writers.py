"""Losing nothing (issue 12, findings 1-4 and 6): one writer at a time, a library that notices and repairs
missing vectors, prune that never empties a folder it could not read, ids that never silently replace another
document, symlinked files that never lead out of the folder.

Concurrent writers are real `python -m medcite ingest` processes with the tiny model of test_faults; the rest
runs the pipeline in this process with the real Chroma (embedded, or a `chroma run` server).
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from click.testing import CliRunner

from medcite.cli.main import cli
from medcite.corpus.check import check_library
from medcite.corpus.library import Library
from medcite.corpus.lock import WriterLock
from medcite.qa.retrieve import Retriever
from medcite.settings import Settings, get_settings
from tests.conftest import ChromaServer, FakeEmbedder
from tests.ingest.test_interrupt import MEDCITE, documents_committed
from tests.ingest.test_pipeline import doc, jsonl, library_state, run
from tests.reliability.test_faults import one_line_error, tiny_model  # noqa: F401 - a fixture

pytestmark = pytest.mark.integration


def ingest_process(home: Path, model: str, *paths: Path, **env: str) -> subprocess.Popen:
    full_env = {**os.environ, "MEDCITE_HOME": str(home), "HF_HUB_OFFLINE": "1", "MEDCITE_EMBEDDING_MODEL": model,
                "MEDCITE_INGEST_BATCH_DOCUMENTS": "16", **env}
    return subprocess.Popen([*MEDCITE, "ingest", *map(str, paths)], env=full_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def long_text(i: int) -> str:
    return " ".join(f"Sentence {j} of study {i} reports outcome {j * i} in arm {j % 3}." for j in range(120))


def assert_whole(settings: Settings, documents: int) -> None:
    """Every document is there with every vector readable, and the lexical index agrees."""
    with Library(settings, readonly=True) as lib:
        report = check_library(lib)
    assert report.ok, report.problems()
    assert report.documents == documents and report.vectors == report.chunks > 0


# 1. One writer at a time ----------------------------------------------------------------------------------
class TestOneWriter:
    def test_two_ingests_at_once_keep_every_vector(self, tiny_model, tmp_path):  # noqa: F811
        """Old code: both printed success and 856 of 2,969 vectors could not be read back (Chroma kept their rows;
        each process saved its own copy of the index). It takes more than Chroma's 1,000-vector sync threshold
        per process: 150 documents of ten chunks each."""
        home = tmp_path / "home"
        a = jsonl(tmp_path / "a" / "a.jsonl", [doc(i, long_text(i)) for i in range(150)])
        b = jsonl(tmp_path / "b" / "b.jsonl", [doc(i, long_text(i)) for i in range(1000, 1150)])
        env = {"MEDCITE_INGEST_BATCH_DOCUMENTS": "64"}
        first, second = ingest_process(home, tiny_model, a, **env), ingest_process(home, tiny_model, b, **env)
        outs = [p.communicate(timeout=600) for p in (first, second)]
        assert [p.returncode for p in (first, second)] == [0, 0], outs
        assert all("150 added" in out for out, _ in outs), outs
        assert_whole(Settings(home=home, embedding_model=tiny_model), 300)

    def test_a_second_writer_names_the_holder(self, tiny_model, tmp_path):  # noqa: F811
        home = tmp_path / "home"
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(i) for i in range(5)])
        settings = Settings(home=home, embedding_model=tiny_model)
        with WriterLock(settings.library_dir) as lock:
            lock.acquire(0)
            proc = ingest_process(home, tiny_model, src, MEDCITE_WRITER_WAIT_S="1")
            out, err = proc.communicate(timeout=300)
        lines = err.strip().splitlines()
        assert proc.returncode == 1 and "Traceback" not in err, err
        assert lines[0].startswith("WARNING") and "waiting for the library writer lock" in lines[0], err
        one_line_error(subprocess.CompletedProcess(proc.args, 1, out, lines[-1]), "being written by",
                       f"process {os.getpid()}", "one writer", "MEDCITE_WRITER_WAIT_S")
        proc = ingest_process(home, tiny_model, src)  # the lock is free again
        assert proc.wait(300) == 0, proc.communicate()
        assert_whole(settings, 5)

    def test_a_killed_writer_leaves_no_stale_lock(self, tiny_model, tmp_path):  # noqa: F811
        home = tmp_path / "home"
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(i) for i in range(200)])
        proc = ingest_process(home, tiny_model, src, MEDCITE_INGEST_BATCH_DOCUMENTS="4")
        lock = Settings(home=home).library_dir / "writer.lock"
        deadline = time.monotonic() + 120
        while not (lock.exists() and lock.stat().st_size):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the ingest never took the lock"
            time.sleep(0.02)
        proc.kill()
        proc.wait(30)
        rerun = ingest_process(home, tiny_model, src, MEDCITE_WRITER_WAIT_S="0")
        assert rerun.wait(600) == 0, rerun.communicate()
        assert_whole(Settings(home=home, embedding_model=tiny_model), 200)


def test_an_interrupted_first_ingest_does_not_look_complete(tiny_model, tmp_path):  # noqa: F811
    """Old code: `corpus stats` of a first ingest killed between two flushes showed a healthy, smaller library."""
    home = tmp_path / "home"
    src = jsonl(tmp_path / "src" / "a.jsonl", [doc(i) for i in range(400)])
    proc = ingest_process(home, tiny_model, src, MEDCITE_INGEST_BATCH_DOCUMENTS="8")
    deadline = time.monotonic() + 180
    while documents_committed(home) < 16:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    proc.kill()
    proc.wait(30)
    settings = Settings(home=home, embedding_model=tiny_model)
    with Library(settings, readonly=True) as lib:
        stats = lib.stats()
    assert stats["status"] == "degraded" and any("did not finish" in p for p in stats["problems"]), stats["problems"]
    assert ingest_process(home, tiny_model, src).wait(600) == 0
    with Library(settings, readonly=True) as lib:
        assert lib.stats()["status"] == "ok"


# 2. Ingest notices missing vectors; corpus check repairs ---------------------------------------------------
class TestSelfRepair:
    def test_a_moved_aside_chroma_store_is_rebuilt_by_a_reingest(self, settings, fake_embedder, tmp_path):
        """Old code: "10 unchanged, 0 embedded" and a library of 0 vectors that abstains on every question."""
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(i) for i in range(10)])
        first = run(settings, fake_embedder, src)
        shutil.move(settings.chroma_dir, tmp_path / "chroma-moved-aside")
        SharedSystemClient.clear_system_cache()  # as a new process finds it: chromadb caches one store per path
        with Library(settings) as lib:
            stats = lib.stats()
        assert stats["status"] == "degraded" and "no vector" in stats["problems"][0]
        again = run(settings, fake_embedder, src)
        assert (again.repaired, again.unchanged, again.chunks_embedded) == (10, 0, first.chunks_embedded)
        hashes, ledger_chunks, vector_ids = library_state(settings)
        assert ledger_chunks == vector_ids and len(hashes) == 10
        assert_whole(settings, 10)
        assert run(settings, fake_embedder, src).unchanged == 10  # and then nothing more to do

    def test_a_fresh_chroma_server_is_filled_by_a_reingest(self, settings, fake_embedder, tmp_path, chroma_server):
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(i) for i in range(8)])
        on_first = settings.model_copy(update={"chroma_url": chroma_server.url})
        run(on_first, fake_embedder, src)
        fresh = ChromaServer(tmp_path / "second-chroma")
        fresh.start()
        try:
            on_fresh = settings.model_copy(update={"chroma_url": fresh.url})
            report = run(on_fresh, fake_embedder, src)
            assert report.repaired == 8
            assert_whole(on_fresh, 8)
            with Library(on_fresh, readonly=True) as lib:
                assert Retriever(lib, fake_embedder).search("treatment 3 reduced symptoms", 5, mode="dense")
        finally:
            fresh.stop()

    def test_corpus_check_finds_and_repairs_what_disagrees(self, settings, fake_embedder, tmp_path, monkeypatch):
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(i) for i in range(12)])
        run(settings, fake_embedder, src)
        with Library(settings) as lib:
            ids = sorted(lib.ledger.chunk_documents())
            lib.vectors.delete_ids(ids[:3])  # vectors lost
            chunk = lib.ledger.get_chunks([ids[5]])[ids[5]]
            orphan = type(chunk)(**{**chunk.__dict__, "id": "ghost#0-0000", "doc_id": "ghost"})
            lib.vectors.upsert([orphan], fake_embedder.embed_documents(["ghost"]))  # a vector of no chunk
            row = lib.ledger.conn.execute("SELECT rowid, title, section, text FROM chunks LIMIT 1").fetchone()
            lib.ledger.conn.execute("INSERT INTO chunks_fts(chunks_fts, rowid, title, section, text) "
                                    "VALUES ('delete', ?, ?, ?, ?)", tuple(row))  # the lexical index damaged
        monkeypatch.setattr("medcite.embedding.model.Embedder", FakeEmbedder)
        get_settings.cache_clear()
        runner = CliRunner()
        found = runner.invoke(cli, ["corpus", "check"])
        assert found.exit_code == 1, found.output
        assert "3 chunks have no vector" in found.output and "1 vectors belong to no chunk" in found.output
        assert "lexical" in found.output and "--repair" in found.output
        stats = runner.invoke(cli, ["corpus", "stats"])
        assert "Degraded:" in stats.output and "corpus check --repair" in stats.output
        repaired = runner.invoke(cli, ["corpus", "check", "--repair"])
        assert repaired.exit_code == 0, repaired.output
        assert "3 vectors embedded again, 1 deleted, lexical index rebuilt" in repaired.output
        assert runner.invoke(cli, ["corpus", "check"]).exit_code == 0
        assert_whole(settings, 12)


# 3. Prune keeps what it could not see ------------------------------------------------------------------------
class TestPruneKeepsUnreadableFolders:
    def _library(self, settings, embedder, tmp_path) -> Path:
        root = tmp_path / "library"
        jsonl(root / "top.jsonl", [doc(1)])
        jsonl(root / "dept" / "inner.jsonl", [doc(2), doc(3)])
        assert run(settings, embedder, root, prune=True).added == 3
        return root

    def test_a_folder_replaced_by_a_symlink(self, settings, fake_embedder, tmp_path):
        """Old code: "2 removed, 0 failed"."""
        root = self._library(settings, fake_embedder, tmp_path)
        shutil.move(root / "dept", tmp_path / "elsewhere")
        (root / "dept").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
        report = run(settings, fake_embedder, root, prune=True)
        assert report.removed == 0
        assert [(Path(f).name, r) for f, r in report.failed] == [("dept", "symlinked folder, not followed")]
        assert len(library_state(settings)[0]) == 3

    def test_a_folder_that_cannot_be_read(self, settings, fake_embedder, tmp_path, monkeypatch):
        root = self._library(settings, fake_embedder, tmp_path)
        real_iterdir = Path.iterdir

        def iterdir(self):  # EIO, as a failing disk or a stale network mount answers (chmod 000 binds no root)
            if self == root / "dept":
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(self))
            return real_iterdir(self)

        monkeypatch.setattr(Path, "iterdir", iterdir)
        report = run(settings, fake_embedder, root, prune=True)
        assert report.removed == 0
        assert [(Path(f).name, r) for f, r in report.failed] == [("dept", "cannot read folder: Input/output error")]
        assert len(library_state(settings)[0]) == 3


# 4. Ids never silently replace another document -----------------------------------------------------------
class TestIdsDoNotCollideSilently:
    def test_one_relative_path_in_two_folders(self, settings, fake_embedder, tmp_path):
        """Old code: deptB's protocol.md replaced deptA's ("1 updated")."""
        for dept, text in (("deptA", "Dept A gives 1 g of paracetamol."), ("deptB", "Dept B gives 500 mg.")):
            (tmp_path / dept).mkdir()
            (tmp_path / dept / "protocol.md").write_text(f"# Protocol\n\n{text}\n", encoding="utf-8")
        from medcite.ingest.loaders.base import LoadOptions

        guideline = LoadOptions(kind="guideline")
        assert run(settings, fake_embedder, tmp_path / "deptA", options=guideline).added == 1
        second = run(settings, fake_embedder, tmp_path / "deptB", options=guideline)
        assert (second.added, second.updated) == (0, 0)
        assert "already holds a document from" in second.failed[0][1] and "--replace" in second.failed[0][1]
        with Library(settings, readonly=True) as lib:
            assert "Dept A" in lib.ledger.document_chunks("file:protocol.md")[0].text
        with Library(settings) as lib:
            from medcite.ingest.pipeline import IngestPipeline

            forced = IngestPipeline(settings, lib, fake_embedder, replace=True).ingest_paths(
                [tmp_path / "deptB"], options=guideline)
        assert forced.updated == 1

    def test_a_jsonl_line_cannot_take_over_another_files_document(self, settings, fake_embedder, tmp_path):
        real = jsonl(tmp_path / "pubmed" / "a.jsonl", [{**doc(1), "id": "pubmed:123"}])
        run(settings, fake_embedder, real)
        forged = jsonl(tmp_path / "other" / "b.jsonl", [{**doc(1, "Take this instead."), "id": "pubmed:123"}])
        report = run(settings, fake_embedder, forged)
        assert report.updated == 0 and "already holds a document from" in report.failed[0][1]
        assert run(settings, fake_embedder, real).unchanged == 1  # the owner's file still updates it freely


# 6. Symlinked files never lead out of the folder ------------------------------------------------------------
class TestSymlinkedFiles:
    def test_a_link_out_of_the_folder_is_skipped_and_reported(self, settings, fake_embedder, tmp_path):
        """Old code: /etc/passwd through a link was ingested and quotable, and never pruned."""
        secret = tmp_path / "outside" / "secret.txt"
        secret.parent.mkdir()
        secret.write_text("Outside secret: the root password is swordfish.\n", encoding="utf-8")
        root = tmp_path / "inbox"
        root.mkdir()
        (root / "leak.txt").symlink_to(secret)
        (root / "good.txt").write_text("Zinc lozenges shortened colds by one day.\n", encoding="utf-8")
        (root / "alias.txt").symlink_to(root / "good.txt")  # inside the folder: fine, loaded once
        from medcite.ingest.loaders.base import LoadOptions

        report = run(settings, fake_embedder, root, options=LoadOptions(kind="guideline"))
        assert [(Path(f).name, r) for f, r in report.failed] == [
            ("leak.txt", "symlink to a file outside the folder, not followed")]
        with Library(settings, readonly=True) as lib:
            texts = " ".join(r[0] for r in lib.ledger.conn.execute("SELECT text FROM chunks"))
            origins = lib.ledger.origins()
        assert "swordfish" not in texts and report.added == 1
        assert origins == {"file:alias.txt": (root / "alias.txt").as_posix()}  # the path named, not its target

    def test_a_symlink_loop_named_on_the_command_line_is_one_clear_error(self, tmp_path):
        (tmp_path / "loop").symlink_to(tmp_path / "loop")
        result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "loop")])
        assert result.exit_code == 1 and "symlink loop" in result.output
        assert "Traceback" not in result.output
