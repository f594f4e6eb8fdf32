"""Tests for the `medcite` ingest, corpus and config commands through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medcite.cli.main import cli
from tests.conftest import FakeEmbedder
from tests.ingest.test_pipeline import doc, jsonl


@pytest.fixture
def runner(monkeypatch) -> CliRunner:
    monkeypatch.setattr("medcite.ingest.pipeline.Embedder", FakeEmbedder)
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.integration
class TestIngestCommand:
    def test_ingest_summary_and_second_run(self, runner, tmp_path):
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(1), doc(2, kind="guideline")])
        first = invoke(runner, "ingest", str(src))
        assert first.exit_code == 0, first.output
        assert "2 added, 0 updated, 0 unchanged, 0 removed, 0 failed" in first.output
        second = invoke(runner, "ingest", str(src), "--json")
        summary = json.loads(second.output)
        assert (summary["added"], summary["unchanged"]) == (0, 2)

    def test_bad_file_is_reported_and_exit_is_zero_when_others_ingest(self, runner, tmp_path):
        src = tmp_path / "src"
        jsonl(src / "good.jsonl", [doc(1)])
        (src / "bad.jsonl").write_text("{not json\n")
        result = invoke(runner, "ingest", str(src))
        assert result.exit_code == 0
        assert "1 failed" in result.output and "bad.jsonl" in result.output
        strict = invoke(runner, "ingest", str(src), "--strict")
        assert strict.exit_code == 1

    def test_nothing_ingestible_exits_non_zero(self, runner, tmp_path):
        bad = tmp_path / "bad.jsonl"
        bad.write_text("{not json\n")
        assert invoke(runner, "ingest", str(bad)).exit_code == 1

    def test_usage_errors_are_one_line_messages(self, runner, tmp_path):
        result = invoke(runner, "ingest")
        assert result.exit_code == 2 and "name files or folders" in result.output
        missing = invoke(runner, "ingest", str(tmp_path / "missing"))
        assert missing.exit_code == 1 and "no such file or folder" in missing.output
        assert "Traceback" not in missing.output
        bad_pmid = invoke(runner, "ingest", "--pmid", "123,abc")
        assert bad_pmid.exit_code == 2 and "abc" in bad_pmid.output

    def test_kind_flag_applies_to_plain_files(self, runner, tmp_path):
        md = tmp_path / "ivig.md"
        md.write_text("# IVIG guideline\n\nIVIG is given at 2 g/kg.\n\n## Safety\n\nHeadache is common.\n")
        no_kind = invoke(runner, "ingest", str(md))
        assert no_kind.exit_code == 1 and "kind" in no_kind.output
        ok = invoke(runner, "ingest", str(md), "--kind", "guideline", "--source", "Local", "--year", "2024")
        assert ok.exit_code == 0, ok.output
        shown = json.loads(invoke(runner, "corpus", "show", "file:ivig.md", "--json").output)
        assert (shown["kind"], shown["source"], shown["year"]) == ("guideline", "Local", 2024)


@pytest.mark.integration
class TestCorpusCommands:
    @pytest.fixture
    def ingested(self, runner, tmp_path) -> Path:
        src = jsonl(tmp_path / "src" / "a.jsonl", [doc(1), doc(2), doc(3, kind="guideline")])
        assert invoke(runner, "ingest", str(src)).exit_code == 0
        return src

    def test_stats_json_contract(self, runner, ingested, settings):
        data = json.loads(invoke(runner, "corpus", "stats", "--json").output)
        assert data["documents"] == 3 and data["chunks"] >= 3
        assert data["by_kind"] == {"guideline": 1, "research": 2}
        assert data["by_source"] == {"Test Journal": 3}
        assert data["collection"] == settings.collection_name
        assert data["vectors"] == data["chunks"]

    def test_stats_text(self, runner, ingested):
        out = invoke(runner, "corpus", "stats").output
        assert "Documents: 3" in out and "guideline 1" in out

    def test_list_show_remove(self, runner, ingested):
        listed = invoke(runner, "corpus", "list", "--kind", "research").output
        assert "doc-1" in listed and "doc-3" not in listed
        shown = invoke(runner, "corpus", "show", "doc-1").output
        assert "Study 1 of immunoglobulin" in shown and "https://example.org/1" in shown
        missing = invoke(runner, "corpus", "show", "nope")
        assert missing.exit_code == 1 and "no document 'nope'" in missing.output
        removed = invoke(runner, "corpus", "remove", "doc-1")
        assert removed.exit_code == 0 and "Removed 1" in removed.output
        assert json.loads(invoke(runner, "corpus", "stats", "--json").output)["documents"] == 2

    def test_stats_without_library_says_what_to_do(self, runner):
        result = invoke(runner, "corpus", "stats")
        assert result.exit_code == 1 and "medcite ingest" in result.output


@pytest.mark.unit
class TestConfigCommands:
    def test_reference_matches_committed_docs(self):
        from medcite.cli.config import settings_reference

        doc_text = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()
        assert settings_reference() in doc_text, "docs/configuration.md is stale: run `medcite config reference`"

    def test_a_bad_setting_is_one_clear_error_naming_the_variable(self, monkeypatch):
        monkeypatch.setenv("MEDCITE_EMBEDDING_BACKEND", "tensorrt")
        monkeypatch.setenv("MEDCITE_RETRIEVE_K", "many")
        result = CliRunner().invoke(cli, ["ask", "Does IVIG help?"])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "MEDCITE_EMBEDDING_BACKEND" in result.output and "onnx-int8" in result.output
        assert "MEDCITE_RETRIEVE_K" in result.output

    def test_show_masks_secrets(self, monkeypatch):
        monkeypatch.setenv("MEDCITE_NCBI_API_KEY", "super-secret-key")
        out = CliRunner().invoke(cli, ["config", "show"]).output
        assert "super-secret-key" not in out and json.loads(out)["ncbi_api_key"] == "********"


@pytest.mark.integration
class TestLiveSourcesThroughTheCli:
    def test_ingest_pubmed_query_and_pmids_from_a_local_eutils(self, runner, monkeypatch):
        from tests.httpserver import LocalHTTPServer
        from tests.ingest.test_eutils import NO_ABSTRACT, WITH_ABSTRACT, eutils_handler

        with LocalHTTPServer(handler=eutils_handler) as server:
            monkeypatch.setenv("MEDCITE_EUTILS_URL", server.url + "/eutils/")
            monkeypatch.setenv("MEDCITE_EUTILS_REQUESTS_PER_SECOND", "1000")
            result = invoke(runner, "ingest", "--pmid", f"{WITH_ABSTRACT[0]},{NO_ABSTRACT}", "--json")
            assert result.exit_code == 0, result.output
            summary = json.loads(result.output)
            assert summary["added"] == 1 and any(NO_ABSTRACT in s for s in summary["skipped"])
            again = json.loads(invoke(runner, "ingest", "--pmid", WITH_ABSTRACT[0], "--json").output)
            assert (again["added"], again["unchanged"]) == (0, 1)
            query = invoke(runner, "ingest", "--pubmed", "guideline", "--max", "5")
            assert query.exit_code == 0, query.output
        listed = invoke(runner, "corpus", "list", "--json").output
        ids = {d["id"] for d in json.loads(listed)}
        assert f"pubmed:{WITH_ABSTRACT[0]}" in ids
        assert "guideline" in {d["kind"] for d in json.loads(listed)}

    def test_corpus_get_demo_from_a_folder_then_ingest(self, runner, tmp_path, monkeypatch):
        src = tmp_path / "data"
        (src / "pubmedqa").mkdir(parents=True)
        (src / "pubmedqa" / "ori_pqal.json").write_text(json.dumps({"123": {
            "CONTEXTS": ["IVIG was given to 40 patients with ITP."], "LABELS": ["METHODS"], "MESHES": ["Humans"],
            "YEAR": "2010", "LONG_ANSWER": "IVIG raised platelet counts."}}))
        subset = src / "medquad" / "3_GHR_QA"
        subset.mkdir(parents=True)
        (subset / "0000001.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><Document id="0000001" source="GHR" url="https://ghr.example/x">'
            "<Focus>Example syndrome</Focus><QAPairs><QAPair pid=\"1\"><Question qid=\"1-1\" qtype=\"information\">"
            "What is Example syndrome ?</Question><Answer>Example syndrome is a rare condition.</Answer></QAPair>"
            "</QAPairs></Document>")
        monkeypatch.chdir(tmp_path)
        got = invoke(runner, "corpus", "get", "demo", "--from", str(src))
        assert got.exit_code == 0, got.output
        demo_root = got.output.split("Demo sources ready in ")[1].splitlines()[0].strip()
        ingested = json.loads(invoke(runner, "ingest", demo_root, "--json").output)
        assert ingested["added"] == 2 and ingested["failed"] == []
        stats = json.loads(invoke(runner, "corpus", "stats", "--json").output)
        assert stats["by_source"] == {"GHR": 1, "PubMed": 1}
