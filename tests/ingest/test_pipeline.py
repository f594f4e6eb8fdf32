"""Tests for the ingest pipeline: idempotence, updates, pruning, bad files, crash recovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medcite.corpus.library import Library
from medcite.ingest.pipeline import IngestPipeline
from medcite.settings import Settings


def jsonl(path: Path, docs: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def doc(i: int, text: str | None = None, kind: str = "research") -> dict:
    return {"id": f"doc-{i}", "title": f"Study {i} of immunoglobulin", "kind": kind, "source": "Test Journal",
            "url": f"https://example.org/{i}", "year": 2000 + i % 20, "metadata": {"n": i},
            "text": text or f"Study {i} found that treatment {i} reduced symptoms in patients. " * 3}


def run(settings: Settings, embedder, *paths: Path, **kwargs):
    with Library(settings) as lib:
        return IngestPipeline(settings, lib, embedder).ingest_paths(list(paths), **kwargs)


def library_state(settings: Settings) -> tuple[dict, list[str], list[str]]:
    """Ledger hashes, ledger chunk ids and Chroma ids: what must match a clean ingest exactly."""
    with Library(settings) as lib:
        hashes = lib.ledger.hashes()
        ledger_chunks = sorted(r[0] for r in lib.ledger.conn.execute("SELECT id FROM chunks"))
        vector_ids = sorted(lib.vectors.collection.get(include=[])["ids"])
    return hashes, ledger_chunks, vector_ids


@pytest.mark.integration
class TestIngestPipeline:
    def test_first_ingest_then_noop(self, settings, fake_embedder, tmp_path):
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(i) for i in range(10)])
        first = run(settings, fake_embedder, src)
        assert (first.added, first.updated, first.unchanged, first.failed) == (10, 0, 0, [])
        assert first.chunks_written == first.chunks_embedded > 0
        embedded = fake_embedder.texts_embedded
        second = run(settings, fake_embedder, src)
        assert (second.added, second.updated, second.unchanged, second.chunks_written) == (0, 0, 10, 0)
        assert fake_embedder.texts_embedded == embedded  # nothing re-embedded
        hashes, ledger_chunks, vector_ids = library_state(settings)
        assert len(hashes) == 10 and ledger_chunks == vector_ids

    def test_changed_document_is_replaced_not_duplicated(self, settings, fake_embedder, tmp_path):
        src = tmp_path / "src" / "a.jsonl"
        jsonl(src, [doc(1), doc(2)])
        run(settings, fake_embedder, src)
        jsonl(src, [doc(1, "Completely new text about dosing. " * 2), doc(2)])
        report = run(settings, fake_embedder, src)
        assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
        _, ledger_chunks, vector_ids = library_state(settings)
        assert ledger_chunks == vector_ids
        with Library(settings) as lib:
            assert "dosing" in " ".join(c.text for c in lib.ledger.document_chunks("doc-1"))

    def test_prune_removes_only_documents_gone_from_the_named_paths(self, settings, fake_embedder, tmp_path):
        a = jsonl(tmp_path / "src" / "a.jsonl", [doc(1), doc(2)])
        other = jsonl(tmp_path / "other" / "b.jsonl", [doc(3)])
        run(settings, fake_embedder, a.parent)
        run(settings, fake_embedder, other)
        jsonl(a, [doc(1)])
        dry = run(settings, fake_embedder, a.parent, prune=True, dry_run=True)
        assert dry.removed == 1
        assert set(library_state(settings)[0]) == {"doc-1", "doc-2", "doc-3"}
        report = run(settings, fake_embedder, a.parent, prune=True)
        assert report.removed == 1
        hashes, ledger_chunks, vector_ids = library_state(settings)
        assert set(hashes) == {"doc-1", "doc-3"} and ledger_chunks == vector_ids

    def test_prune_keeps_documents_of_a_file_that_now_fails(self, settings, fake_embedder, tmp_path):
        a = jsonl(tmp_path / "src" / "a.jsonl", [doc(1), doc(2)])
        run(settings, fake_embedder, a.parent)
        a.write_bytes(b"\xff\xfe not json at all \x00")
        report = run(settings, fake_embedder, a.parent, prune=True)
        assert report.removed == 0 and len(report.failed) == 1
        assert set(library_state(settings)[0]) == {"doc-1", "doc-2"}

    def test_bad_files_are_listed_and_the_rest_ingested(self, settings, fake_embedder, tmp_path):
        src = tmp_path / "src"
        jsonl(src / "good.jsonl", [doc(1)])
        (src / "empty.jsonl").write_text("")
        (src / "broken.xml").write_text("<PubmedArticleSet><PubmedArticle><MedlineCitation>")
        (src / "binary.txt").write_bytes(bytes(range(256)) * 10)
        report = run(settings, fake_embedder, src)
        assert report.added == 1
        failed = {Path(f).name: reason for f, reason in report.failed}
        assert set(failed) == {"empty.jsonl", "broken.xml", "binary.txt"}
        assert all(reason and "Traceback" not in reason for reason in failed.values())

    def test_duplicate_ids_across_files_keep_the_first(self, settings, fake_embedder, tmp_path):
        src = tmp_path / "src"
        jsonl(src / "a.jsonl", [doc(1)])
        jsonl(src / "b.jsonl", [doc(1, "Other text. " * 3)])
        report = run(settings, fake_embedder, src)
        assert report.added == 1 and any("duplicate document id doc-1" in s for s in report.skipped)

    def test_dry_run_writes_nothing(self, settings, fake_embedder, tmp_path):
        src = jsonl(tmp_path / "a.jsonl", [doc(1), doc(2)])
        report = run(settings, fake_embedder, src, dry_run=True)
        assert report.added == 2 and fake_embedder.texts_embedded == 0
        assert library_state(settings)[0] == {}

    def test_missing_path_is_a_clear_error(self, settings, fake_embedder, tmp_path):
        with pytest.raises(FileNotFoundError, match="no such file"):
            run(settings, fake_embedder, tmp_path / "nope")

    @pytest.mark.parametrize("fail_on_call", [1, 2, 3])
    def test_crash_between_writes_is_finished_exactly_by_the_next_run(
        self, settings, fake_embedder, tmp_path, monkeypatch, medcite_home, fail_on_call
    ):
        """A crash after Chroma was written but before the ledger commit; the rerun matches a clean ingest."""
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(i) for i in range(12)])
        settings = Settings(home=medcite_home, ingest_batch_documents=4)
        from medcite.corpus import ledger as ledger_module

        original = ledger_module.Ledger.replace_documents
        calls = {"n": 0}

        def crashing(self, documents):
            calls["n"] += 1
            if calls["n"] == fail_on_call:
                raise KeyboardInterrupt  # as if Ctrl-C landed between the two stores
            return original(self, documents)

        monkeypatch.setattr(ledger_module.Ledger, "replace_documents", crashing)
        with pytest.raises(KeyboardInterrupt):
            run(settings, fake_embedder, src)
        monkeypatch.setattr(ledger_module.Ledger, "replace_documents", original)
        # The half-written library still answers queries.
        from medcite.qa.retrieve import Retriever

        with Library(settings) as lib:
            assert Retriever(lib, fake_embedder).search("treatment reduced symptoms", 3)
        report = run(settings, fake_embedder, src)
        assert report.added + report.updated == 12 - 4 * (fail_on_call - 1)
        crashed_state = library_state(settings)

        clean = Settings(home=tmp_path / "clean-home", ingest_batch_documents=4)
        run(clean, fake_embedder, src)
        assert crashed_state == library_state(clean)


@pytest.mark.integration
class TestMovedSources:
    def test_moved_files_update_origins_so_prune_of_the_new_place_works(self, settings, fake_embedder, tmp_path):
        old = jsonl(tmp_path / "old" / "a.jsonl", [doc(1), doc(2)])
        run(settings, fake_embedder, old.parent)
        new = jsonl(tmp_path / "new" / "a.jsonl", [doc(1), doc(2)])
        report = run(settings, fake_embedder, new.parent)
        assert report.unchanged == 2 and report.chunks_written == 0
        with Library(settings) as lib:
            assert set(lib.ledger.origins().values()) == {str(new.resolve())}
        jsonl(new, [doc(1)])
        assert run(settings, fake_embedder, new.parent, prune=True).removed == 1
