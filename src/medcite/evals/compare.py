"""`medcite eval compare`: two runs' metrics side by side, and the regression gate.

Each gated metric has a direction (:data:`METRICS`). A metric **regresses** when it moves the wrong way by
more than its tolerance: for higher-is-better rates ``new < base - tolerance``, for lower-is-better rates
``new > base + tolerance`` (rates are 0-1, tolerances absolute, default :data:`DEFAULT_TOLERANCE`; the per-answer
counts of the answer-quality checks, standalone problems and off-focus statements, default to 0.1 per answer). Latency
is compared relatively (``new > base * (1 + latency_tolerance)``) and is left out of the gate unless asked
for, because timings differ between machines and runs. A metric the base has and the new run lacks (None)
regresses too; one the base lacks is shown but not gated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HIGHER = "higher"
LOWER = "lower"
DEFAULT_TOLERANCE = 0.02
DEFAULT_LATENCY_TOLERANCE = 0.5


@dataclass(frozen=True)
class MetricSpec:
    key: str  # key in the "overall" block; "{k}" is filled in with the run's k
    label: str
    direction: str  # HIGHER or LOWER is better
    latency: bool = False
    tolerance: float | None = None  # this metric's default tolerance, when not DEFAULT_TOLERANCE (a count, not a rate)


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("ndcg@{k}", "nDCG@{k}", HIGHER),
    MetricSpec("mrr@{k}", "MRR@{k}", HIGHER),
    MetricSpec("recall@1", "Recall@1", HIGHER),
    MetricSpec("recall@5", "Recall@5", HIGHER),
    MetricSpec("recall@{k}", "Recall@{k}", HIGHER),
    MetricSpec("citation_valid_rate", "citations valid", HIGHER),
    MetricSpec("citation_precision", "citation precision", HIGHER),
    MetricSpec("citation_recall", "citation recall", HIGHER),
    MetricSpec("cited_sentence_share", "cited sentences", HIGHER),
    MetricSpec("support_rate", "support rate", HIGHER),
    MetricSpec("must_mention", "must-mention coverage", HIGHER),
    MetricSpec("unanswerable_abstention_rate", "correct abstention", HIGHER),
    MetricSpec("answerable_abstention_rate", "false abstention", LOWER),
    MetricSpec("emergency_recall", "emergency recall", HIGHER),
    MetricSpec("emergency_false_positive_rate", "emergency false positives", LOWER),
    MetricSpec("decision_accuracy", "decision accuracy", HIGHER),
    # Answer quality (medcite.evals.quality), read from the typed answer.
    MetricSpec("bottom_line_rate", "bottom line", HIGHER),
    MetricSpec("standalone_problems_per_answer", "standalone problems per answer", LOWER, tolerance=0.1),
    MetricSpec("focus_relevance", "focus relevance", HIGHER),
    MetricSpec("off_focus_per_answer", "off-focus statements per answer", LOWER, tolerance=0.1),
    MetricSpec("subquestion_coverage", "sub-question coverage", HIGHER),
    MetricSpec("p50_ms", "latency p50 (ms)", LOWER, latency=True),
    MetricSpec("p95_ms", "latency p95 (ms)", LOWER, latency=True),
)


@dataclass
class Row:
    key: str
    label: str
    direction: str
    base: float | None
    new: float | None
    delta: float | None
    tolerance: float
    gated: bool
    status: str  # "ok", "better", "worse" (within tolerance), "REGRESSED", "n/a", "new"


@dataclass
class Comparison:
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[Row]:
        return [r for r in self.rows if r.status == "REGRESSED"]

    @property
    def passed(self) -> bool:
        return not self.regressions


def load_metrics(path: Path | str) -> dict[str, Any]:
    """metrics.json of a run folder, or a metrics file itself (e.g. a committed baseline)."""
    path = Path(path)
    if path.is_dir():
        path = path / "metrics.json"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no metrics file (run `medcite eval run` first)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("overall"), dict):
        raise ValueError(f"{path}: not a metrics file (no 'overall' block)")
    return data


def parse_tolerances(items: list[str] | tuple[str, ...]) -> dict[str, float]:
    """``["recall@10=0.05", "support_rate=0"]`` as a dict; ValueError on a bad item."""
    out: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not sep or not key.strip() or number < 0:
            raise ValueError(f"tolerance {item!r}: use METRIC=NUMBER with a number >= 0, e.g. recall@10=0.05")
        out[key.strip()] = number
    return out


def compare_metrics(
    base: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    tolerances: Mapping[str, float] | None = None,
    include_latency: bool = False,
    latency_tolerance: float = DEFAULT_LATENCY_TOLERANCE,
) -> Comparison:
    """Row by row comparison of the ``overall`` blocks of two metrics dicts (see the module doc)."""
    if tolerance < 0 or latency_tolerance < 0:
        raise ValueError("tolerances must be >= 0")
    tolerances = dict(tolerances or {})
    k_base, k_new = base.get("k", 10), new.get("k", 10)
    warnings: list[str] = []
    if k_base != k_new:
        warnings.append(f"k differs (base {k_base}, new {k_new}): the @k metrics are not comparable")
    for name, left, right in _run_differences(base, new):
        warnings.append(f"{name} differs: base {left!r}, new {right!r}")
    keys = {spec.key.format(k=k_new) for spec in METRICS}
    unknown = sorted(set(tolerances) - keys)
    if unknown:
        raise ValueError(f"unknown metric(s) in tolerances: {', '.join(unknown)} (known: {', '.join(sorted(keys))})")

    rows: list[Row] = []
    b_all, n_all = base.get("overall") or {}, new.get("overall") or {}
    for spec in METRICS:
        key = spec.key.format(k=k_new)
        base_key = spec.key.format(k=k_base)
        b, n = b_all.get(base_key), n_all.get(key)
        default = latency_tolerance if spec.latency else (tolerance if spec.tolerance is None else spec.tolerance)
        tol = tolerances.get(key, default)
        gated = include_latency or not spec.latency or key in tolerances
        delta = None if b is None or n is None else n - b
        rows.append(Row(key, spec.label.format(k=k_new), spec.direction, b, n, delta, tol, gated,
                        _status(spec, b, n, tol)))
        if not gated and rows[-1].status == "REGRESSED":
            rows[-1].status = "worse"
    return Comparison(rows, warnings)


def _status(spec: MetricSpec, base: float | None, new: float | None, tol: float) -> str:
    if base is None and new is None:
        return "n/a"
    if base is None:
        return "new"
    if new is None:
        return "REGRESSED"
    sign = 1 if spec.direction == HIGHER else -1
    change = (new - base) * sign  # > 0 is an improvement
    allowed = abs(base) * tol if spec.latency else tol
    if change < -allowed - 1e-12:
        return "REGRESSED"
    if change > 1e-12:
        return "better"
    if change < -1e-12:
        return "worse"
    return "ok"


def _run_differences(base: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    b_run, n_run = base.get("run") or {}, new.get("run") or {}
    out = []
    for key in ("engine", "mode", "collection", "split", "decisions"):
        if key in b_run and key in n_run and b_run[key] != n_run[key]:
            out.append((key, b_run[key], n_run[key]))
    if base.get("n") is not None and new.get("n") is not None and base["n"] != new["n"]:
        out.append(("number of questions", base["n"], new["n"]))
    return out


def format_table(comparison: Comparison) -> str:
    """A plain-text table: metric, base, new, delta, tolerance, status."""
    def num(value: float | None, latency: bool) -> str:
        if value is None:
            return "n/a"
        return f"{value:,.1f}" if latency else f"{value:.3f}"

    header = ("metric", "base", "new", "delta", "tolerance", "status")
    body = []
    for r in comparison.rows:
        latency = r.key.endswith("_ms")
        delta = "" if r.delta is None else (f"{r.delta:+,.1f}" if latency else f"{r.delta:+.3f}")
        arrow = "↑" if r.direction == HIGHER else "↓"
        tol = (f"{r.tolerance:.0%}" if latency else f"{r.tolerance:.3f}") + ("" if r.gated else " (not gated)")
        body.append((f"{r.label} {arrow}", num(r.base, latency), num(r.new, latency), delta, tol, r.status))
    widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths,
                                                                                                    strict=True)))
             for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary_line(comparison: Comparison) -> str:
    if comparison.passed:
        return "PASS: no metric regressed beyond its tolerance."
    names = ", ".join(r.label for r in comparison.regressions)
    return f"FAIL: {len(comparison.regressions)} metric(s) regressed beyond tolerance: {names}"


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "passed": comparison.passed,
        "warnings": comparison.warnings,
        "rows": [r.__dict__ for r in comparison.rows],
    }
