"""The smaller findings of issue 12 that the CLI shows: a question starting with "-", a bad model name, ids
that differ only in Unicode normalisation, the size of the stored ingest summary, admin password guessing."""

from __future__ import annotations

import json
import unicodedata

import pytest

from medcite.cli.main import cli
from medcite.corpus.library import RECORDED_ITEMS, Library
from medcite.settings import Settings, get_settings
from tests.ingest.test_pipeline import doc, jsonl, run

pytestmark = pytest.mark.integration


def test_a_question_starting_with_a_dash_is_a_question(runner, tmp_path):
    """Old code: "Error: No such option: -5"."""
    assert runner.invoke(cli, ["ingest", str(jsonl(tmp_path / "a.jsonl", [doc(1), doc(2)]))]).exit_code == 0
    result = runner.invoke(cli, ["ask", "-5 mg of treatment 1: does it reduce symptoms?"])
    assert result.exit_code == 0, result.output
    assert "No such option" not in result.output


def test_a_library_built_with_another_model_is_named(runner, tmp_path, monkeypatch):
    """Old code: "no library at ...: run `medcite ingest` first" although one was there."""
    assert runner.invoke(cli, ["ingest", str(jsonl(tmp_path / "a.jsonl", [doc(1)]))]).exit_code == 0
    monkeypatch.setenv("MEDCITE_EMBEDDING_MODEL", "no-such-model")
    get_settings.cache_clear()
    result = runner.invoke(cli, ["corpus", "stats"])
    assert result.exit_code == 1
    assert "no library for collection" in result.output and "MEDCITE_EMBEDDING_MODEL" in result.output


def test_ids_that_differ_only_in_normalisation_are_one_document(settings, fake_embedder, tmp_path):
    nfc, nfd = (unicodedata.normalize(form, "café-guideline") for form in ("NFC", "NFD"))
    assert nfc != nfd
    run(settings, fake_embedder, jsonl(tmp_path / "a.jsonl", [{**doc(1), "id": nfc}]))
    report = run(settings, fake_embedder, jsonl(tmp_path / "a.jsonl", [{**doc(1), "id": nfd}]))
    assert report.unchanged == 1 and report.added == 0
    with Library(settings, readonly=True) as lib:
        assert list(lib.ledger.hashes()) == [nfc]


def test_the_stored_ingest_summary_stays_small(settings, fake_embedder, tmp_path):
    """Old code: every skip reason (15 MB for a big bad file) stored and re-read by stats and the Library tab."""
    lines = [json.dumps(doc(0))] + ["{not json"] * 1000
    src = tmp_path / "bad.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(run(settings, fake_embedder, src).skipped) == 1000
    with Library(settings, readonly=True) as lib:
        last = lib.stats()["last_ingest"]
    assert len(last["skipped"]) == RECORDED_ITEMS and last["skipped_count"] == 1000


def test_admin_password_guessing_is_slowed(tmp_path):
    from medcite.ui.context import ADMIN_ATTEMPTS, UIContext

    ctx = UIContext(Settings(home=tmp_path, ui_admin_password="right-password", _env_file=None))
    try:
        assert ctx.check_admin("right-password")
        assert not any(ctx.check_admin(f"guess-{i}") for i in range(ADMIN_ATTEMPTS))
        assert not ctx.check_admin("right-password"), "after five wrong guesses even the right one waits a minute"
    finally:
        ctx.close()


def test_read_commands_create_nothing(runner, tmp_path, medcite_home):
    """Old code: `feedback export` created the feedback database, `ingest --dry-run` the writer's files."""
    src = jsonl(tmp_path / "a.jsonl", [doc(1), doc(2)])
    assert runner.invoke(cli, ["ingest", str(src)]).exit_code == 0

    def files() -> set[str]:
        # Chroma's own store is not ours to keep still; SQLite's -wal/-shm beside a WAL database are made by
        # any reader where it can write them (on a read-only volume SQLite reads without them).
        return {str(p.relative_to(medcite_home)) for p in medcite_home.rglob("*")
                if "chroma" not in p.parts and not p.name.endswith(("-wal", "-shm"))}

    before = files()
    for args in (["corpus", "stats"], ["corpus", "list"], ["corpus", "show", "doc-1"], ["feedback", "export"],
                 ["ingest", "--dry-run", str(src)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        assert files() == before, (args, files() ^ before)
