"""The CI regression gate: the regression set on the current code must not fall below the committed baseline.

The regression library (tests/fixtures/regression/regression_library.jsonl, 22 short documents written for
these tests) is embedded once per module with the real embedding model and evaluated with the offline engine
in hybrid mode, exactly as `make eval-baseline` does to write evals/baselines/regression.json. When a change
is meant to move these figures, re-run `make eval-baseline`, read the diff, and commit the new baseline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medcite.cli.main import cli
from medcite.corpus.library import Library
from medcite.embedding.model import Embedder
from medcite.evals.compare import compare_metrics, format_table, load_metrics, summary_line
from medcite.evals.runner import run_eval
from medcite.ingest.pipeline import IngestPipeline
from medcite.qa.retrieve import Retriever
from medcite.qa.service import reset_service
from medcite.settings import Settings, get_settings
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "evals" / "baselines" / "regression.json"
LIBRARY = FIXTURES / "regression" / "regression_library.jsonl"
QUESTIONS = FIXTURES / "regression" / "regression_questions.jsonl"
SETTINGS_ENV = ("MEDCITE_CHROMA_URL", "MEDCITE_EMBEDDING_MODEL", "MEDCITE_CHUNK_TOKENS",
                "MEDCITE_CHUNK_OVERLAP_TOKENS", "MEDCITE_EMBED_TITLES", "MEDCITE_RETRIEVE_K", "MEDCITE_ENGINE",
                "MEDCITE_RETRIEVAL_MODE")


def _clean_env(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MEDCITE_HOME", str(home))
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def regression_library(tmp_path_factory):
    """(home, embedder): the regression library built once with the real model, default settings."""
    home = tmp_path_factory.mktemp("regression-home")
    with pytest.MonkeyPatch.context() as mp:
        _clean_env(mp, home)
        settings = Settings()
        embedder = Embedder(settings)
        with Library(settings) as library:
            report = IngestPipeline(settings, library, embedder).ingest_paths([LIBRARY])
        assert not report.failed and report.added == 22
    get_settings.cache_clear()
    return home, embedder


@pytest.fixture
def regression_env(regression_library, monkeypatch):
    """The answer service on the regression library, sharing the module's loaded embedding model."""
    home, embedder = regression_library
    _clean_env(monkeypatch, home)
    monkeypatch.setattr("medcite.qa.service.Embedder", lambda settings, **_: embedder)
    reset_service()
    yield home
    reset_service()
    get_settings.cache_clear()


def test_baseline_file_is_a_committed_metrics_file():
    baseline = load_metrics(BASELINE)
    assert baseline["n"] == 28 and baseline["k"] == 10
    assert baseline["run"]["engine"] == "offline" and baseline["run"]["mode"] == "hybrid"
    assert baseline["run"]["set"].endswith("regression_questions.jsonl")
    for key in ("ndcg@10", "recall@10", "support_rate", "unanswerable_abstention_rate", "emergency_recall",
                "must_mention", "decision_accuracy", "bottom_line_rate", "standalone_problems_per_answer",
                "focus_relevance", "off_focus_per_answer", "subquestion_coverage"):
        assert baseline["overall"][key] is not None, key


def test_full_library_baseline_holds_the_answer_quality_figures():
    """evals/baselines/handwritten_dev.json: the handwritten dev split on the full shared library (not run here: CI
    has no full library; compare a new run with `medcite eval compare`)."""
    baseline = load_metrics(ROOT / "evals" / "baselines" / "handwritten_dev.json")
    assert baseline["run"]["split"] == "dev" and baseline["run"]["set"].endswith("handwritten.jsonl")
    for key in ("must_mention", "bottom_line_rate", "standalone_problems_per_answer", "focus_relevance",
                "subquestion_coverage"):
        assert baseline["overall"][key] is not None, key


def test_current_code_passes_the_gate(regression_env, tmp_path):
    outcome = run_eval(QUESTIONS, tmp_path / "run", engine="offline", mode="hybrid", progress=False, plots=False)
    baseline = load_metrics(BASELINE)
    assert outcome.metrics["run"]["collection"] == baseline["run"]["collection"], (
        "the baseline was made with other settings; re-run `make eval-baseline`")
    comparison = compare_metrics(baseline, outcome.metrics)
    assert comparison.passed, (
        f"{summary_line(comparison)}\n{format_table(comparison)}\n"
        "If the change is intended, re-run `make eval-baseline` and commit evals/baselines/regression.json.")


def test_a_degraded_retriever_fails_the_gate(regression_env, tmp_path, monkeypatch):
    """Reversing the retriever's ranking (worst passages first) must be caught, by the API and the command."""
    pool = Retriever._pool

    def reversed_pool(self, *args, **kwargs):
        return list(reversed(pool(self, *args, **kwargs)))

    monkeypatch.setattr(Retriever, "_pool", reversed_pool)
    out = tmp_path / "degraded"
    outcome = run_eval(QUESTIONS, out, engine="offline", mode="hybrid", progress=False, plots=False)
    comparison = compare_metrics(load_metrics(BASELINE), outcome.metrics)
    assert not comparison.passed
    regressed = {row.key for row in comparison.regressions}
    assert {"ndcg@10", "mrr@10", "recall@1"} <= regressed

    result = CliRunner().invoke(cli, ["eval", "compare", str(BASELINE), str(out)])
    assert result.exit_code == 1, result.output
    assert "REGRESSED" in result.output
    assert json.loads((out / "metrics.json").read_text())["overall"]["ndcg@10"] < 0.5
