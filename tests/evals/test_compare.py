"""Tests for `medcite eval compare`: directions, tolerances, latency handling, missing values, exit codes."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from medcite.cli.main import cli
from medcite.evals.compare import (
    METRICS,
    compare_metrics,
    format_table,
    load_metrics,
    parse_tolerances,
    summary_line,
)

pytestmark = pytest.mark.unit


def metrics(**overall) -> dict:
    base = {
        "ndcg@10": 0.80, "mrr@10": 0.75, "recall@1": 0.60, "recall@5": 0.85, "recall@10": 0.90,
        "citation_valid_rate": 1.0, "citation_precision": 0.70, "citation_recall": 0.65,
        "cited_sentence_share": 1.0, "support_rate": 1.0, "must_mention": 0.55,
        "unanswerable_abstention_rate": 0.75, "answerable_abstention_rate": 0.10, "emergency_recall": 1.0,
        "emergency_false_positive_rate": 0.0, "decision_accuracy": 0.60, "p50_ms": 100.0, "p95_ms": 200.0,
        "bottom_line_rate": 0.40, "standalone_problems_per_answer": 1.2, "focus_relevance": 0.80,
        "off_focus_per_answer": 1.0, "subquestion_coverage": 0.85,
    }
    base.update(overall)
    return {"k": 10, "n": 28, "overall": base, "groups": {},
            "run": {"engine": "offline", "mode": "hybrid", "collection": "c1", "split": "all"}}


def status(comparison, key: str) -> str:
    return next(r.status for r in comparison.rows if r.key == key)


def test_identical_runs_pass_with_every_metric_ok():
    result = compare_metrics(metrics(), metrics())
    assert result.passed
    assert {r.status for r in result.rows} == {"ok"}
    assert len(result.rows) == len(METRICS)


def test_a_drop_beyond_tolerance_is_a_regression():
    result = compare_metrics(metrics(), metrics(**{"recall@10": 0.85}))
    assert not result.passed
    assert [r.key for r in result.regressions] == ["recall@10"]
    row = result.regressions[0]
    assert row.base == 0.90 and row.new == 0.85 and row.delta == pytest.approx(-0.05)
    assert "FAIL" in summary_line(result) and "Recall@10" in summary_line(result)


def test_an_improvement_passes():
    result = compare_metrics(metrics(), metrics(**{"ndcg@10": 0.95, "support_rate": 1.0}))
    assert result.passed
    assert status(result, "ndcg@10") == "better"
    assert summary_line(result).startswith("PASS")


def test_a_drop_within_tolerance_passes_but_shows_as_worse():
    result = compare_metrics(metrics(), metrics(**{"ndcg@10": 0.79}))
    assert result.passed and status(result, "ndcg@10") == "worse"
    # Exactly at the tolerance is still allowed; just beyond it is not.
    assert compare_metrics(metrics(), metrics(**{"ndcg@10": 0.78})).passed
    assert not compare_metrics(metrics(), metrics(**{"ndcg@10": 0.7799})).passed


def test_the_tolerance_is_configurable_overall_and_per_metric():
    drop = metrics(**{"ndcg@10": 0.75, "mrr@10": 0.70})
    assert not compare_metrics(metrics(), drop).passed
    assert compare_metrics(metrics(), drop, tolerance=0.1).passed
    only_ndcg = compare_metrics(metrics(), drop, tolerances={"ndcg@10": 0.1})
    assert [r.key for r in only_ndcg.regressions] == ["mrr@10"]
    strict = compare_metrics(metrics(), metrics(**{"support_rate": 0.999}), tolerances={"support_rate": 0})
    assert [r.key for r in strict.regressions] == ["support_rate"]


@pytest.mark.parametrize(
    ("key", "worse_value", "better_value"),
    [
        ("answerable_abstention_rate", 0.20, 0.0),  # lower is better
        ("emergency_false_positive_rate", 0.10, 0.0),
        ("unanswerable_abstention_rate", 0.50, 1.0),  # higher is better
        ("emergency_recall", 0.75, 1.0),
        ("citation_precision", 0.60, 0.80),
        ("must_mention", 0.40, 0.70),
    ],
)
def test_each_metric_is_judged_in_its_own_direction(key, worse_value, better_value):
    worse = compare_metrics(metrics(), metrics(**{key: worse_value}))
    assert [r.key for r in worse.regressions] == [key]
    better = compare_metrics(metrics(), metrics(**{key: better_value}))
    assert better.passed
    assert status(better, key) in ("better", "ok")


def test_latency_is_shown_but_not_gated_by_default():
    slow = metrics(p50_ms=1000.0, p95_ms=5000.0)
    result = compare_metrics(metrics(), slow)
    assert result.passed
    assert status(result, "p95_ms") == "worse"
    assert "not gated" in format_table(result)


def test_latency_is_gated_relatively_when_asked():
    assert compare_metrics(metrics(), metrics(p50_ms=140.0), include_latency=True).passed  # +40% < 50%
    result = compare_metrics(metrics(), metrics(p50_ms=160.0), include_latency=True)
    assert [r.key for r in result.regressions] == ["p50_ms"]
    assert compare_metrics(metrics(), metrics(p50_ms=60.0), include_latency=True).passed  # faster is fine
    # A per-metric latency tolerance puts that latency into the gate.
    picked = compare_metrics(metrics(), metrics(p95_ms=230.0), tolerances={"p95_ms": 0.1})
    assert [r.key for r in picked.regressions] == ["p95_ms"]


def test_a_metric_that_disappears_regresses_and_a_new_one_is_not_gated():
    gone = compare_metrics(metrics(), metrics(decision_accuracy=None))
    assert [r.key for r in gone.regressions] == ["decision_accuracy"]
    appeared = compare_metrics(metrics(decision_accuracy=None), metrics())
    assert appeared.passed and status(appeared, "decision_accuracy") == "new"
    neither = compare_metrics(metrics(decision_accuracy=None), metrics(decision_accuracy=None))
    assert status(neither, "decision_accuracy") == "n/a"


def test_different_settings_are_warned_about():
    new = metrics()
    new["run"] = {**new["run"], "mode": "dense"}
    new["n"] = 20
    result = compare_metrics(metrics(), new)
    assert any("mode differs" in w for w in result.warnings)
    assert any("number of questions" in w for w in result.warnings)


def test_bad_tolerances_are_rejected():
    with pytest.raises(ValueError, match="unknown metric"):
        compare_metrics(metrics(), metrics(), tolerances={"recal@10": 0.1})
    with pytest.raises(ValueError):
        compare_metrics(metrics(), metrics(), tolerance=-0.1)
    assert parse_tolerances(["recall@10=0.05", " support_rate = 0 "]) == {"recall@10": 0.05, "support_rate": 0.0}
    for bad in (["recall@10"], ["recall@10=x"], ["=0.1"], ["recall@10=-1"]):
        with pytest.raises(ValueError, match="METRIC=NUMBER"):
            parse_tolerances(bad)


def test_table_has_metric_base_new_delta_columns():
    table = format_table(compare_metrics(metrics(), metrics(**{"recall@10": 0.5})))
    header = table.splitlines()[0].split()
    assert header[:4] == ["metric", "base", "new", "delta"]
    line = next(line for line in table.splitlines() if line.startswith("Recall@10"))
    assert "0.900" in line and "0.500" in line and "-0.400" in line and "REGRESSED" in line


def test_load_metrics_reads_a_run_folder_or_a_file(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "metrics.json").write_text(json.dumps(metrics()))
    assert load_metrics(tmp_path / "run")["overall"]["ndcg@10"] == 0.80
    assert load_metrics(tmp_path / "run" / "metrics.json")["k"] == 10
    with pytest.raises(FileNotFoundError):
        load_metrics(tmp_path)
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_metrics(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(ValueError, match="not a metrics file"):
        load_metrics(tmp_path / "other.json")


class TestCommand:
    def write(self, path, data):
        path.write_text(json.dumps(data))
        return str(path)

    def test_exit_0_when_nothing_regresses(self, tmp_path):
        base = self.write(tmp_path / "base.json", metrics())
        new = self.write(tmp_path / "new.json", metrics(**{"ndcg@10": 0.9}))
        result = CliRunner().invoke(cli, ["eval", "compare", base, new])
        assert result.exit_code == 0, result.output
        assert "metric" in result.output and "PASS" in result.output

    def test_exit_1_on_a_regression(self, tmp_path):
        base = self.write(tmp_path / "base.json", metrics())
        new = self.write(tmp_path / "new.json", metrics(**{"emergency_recall": 0.5}))
        result = CliRunner().invoke(cli, ["eval", "compare", base, new])
        assert result.exit_code == 1
        assert "REGRESSED" in result.output and "FAIL" in result.output
        loose = CliRunner().invoke(cli, ["eval", "compare", base, new, "--metric-tolerance", "emergency_recall=0.5"])
        assert loose.exit_code == 0, loose.output

    def test_latency_flags(self, tmp_path):
        base = self.write(tmp_path / "base.json", metrics())
        new = self.write(tmp_path / "new.json", metrics(p95_ms=400.0))
        assert CliRunner().invoke(cli, ["eval", "compare", base, new]).exit_code == 0
        assert CliRunner().invoke(cli, ["eval", "compare", base, new, "--include-latency"]).exit_code == 1
        relaxed = ["eval", "compare", base, new, "--include-latency", "--latency-tolerance", "1.5"]
        assert CliRunner().invoke(cli, relaxed).exit_code == 0

    def test_json_output(self, tmp_path):
        base = self.write(tmp_path / "base.json", metrics())
        worse = copy.deepcopy(metrics(**{"recall@5": 0.1}))
        new = self.write(tmp_path / "new.json", worse)
        result = CliRunner().invoke(cli, ["eval", "compare", base, new, "--json"])
        assert result.exit_code == 1
        data = json.loads(result.output)
        assert data["passed"] is False
        assert [r["key"] for r in data["rows"] if r["status"] == "REGRESSED"] == ["recall@5"]

    def test_bad_input_is_a_clean_error(self, tmp_path):
        base = self.write(tmp_path / "base.json", {"nothing": 1})
        result = CliRunner().invoke(cli, ["eval", "compare", base, base])
        assert result.exit_code == 1
        assert "not a metrics file" in result.output and "Traceback" not in result.output
        good = self.write(tmp_path / "good.json", metrics())
        bad_tol = CliRunner().invoke(cli, ["eval", "compare", good, good, "--metric-tolerance", "nope=1"])
        assert bad_tol.exit_code == 1 and "unknown metric" in bad_tol.output


def test_answer_quality_counts_are_gated_per_answer_with_their_own_tolerance():
    """Standalone problems and off-focus statements are counts per answer: 0.1 per answer is allowed by default,
    not the rates' 0.02; the rates use the rates' tolerance."""
    within = compare_metrics(metrics(), metrics(standalone_problems_per_answer=1.28, off_focus_per_answer=1.05))
    assert within.passed
    assert status(within, "standalone_problems_per_answer") == "worse"
    worse = compare_metrics(metrics(), metrics(standalone_problems_per_answer=1.4, bottom_line_rate=0.37,
                                               subquestion_coverage=0.86))
    assert {r.key for r in worse.regressions} == {"standalone_problems_per_answer", "bottom_line_rate"}
    assert status(worse, "subquestion_coverage") == "better"


def test_a_baseline_without_answer_quality_shows_the_new_metrics_ungated():
    old = metrics()
    for key in ("bottom_line_rate", "standalone_problems_per_answer", "focus_relevance", "off_focus_per_answer",
                "subquestion_coverage"):
        del old["overall"][key]
    result = compare_metrics(old, metrics())
    assert result.passed and status(result, "bottom_line_rate") == "new"
