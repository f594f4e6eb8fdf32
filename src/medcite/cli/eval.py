"""`medcite eval run|compare|report`: evaluate the library on a question set, compare two runs, redraw a report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medcite.cli.common import echo_json, user_errors


@click.group("eval")
def eval_group() -> None:
    """Measure retrieval, citations, abstention and safety on an evaluation set (see docs/evals.md)."""


@eval_group.command("run")
@click.argument("set_path", metavar="SET.jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: evals/reports/<set>/<mode>).")
@click.option("--engine", type=click.Choice(["offline", "llm"]), help="Answer engine (default: MEDCITE_ENGINE).")
@click.option("--k", type=click.IntRange(1, 200), default=10, show_default=True, help="Cut-off of nDCG/MRR/Recall@k.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]),
              help="Retrieval mode (default: MEDCITE_RETRIEVAL_MODE).")
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True,
              help="Which questions of the set to run.")
@click.option("--limit", type=click.IntRange(1), help="Only the first N questions (after --split).")
@click.option("--decisions", type=click.Choice(["heuristic", "none"]), default="heuristic", show_default=True,
              help="Read yes/no/maybe from answers with the documented heuristic, or report no decision accuracy.")
@click.option("--no-plots", is_flag=True, help="Write report.md and report.html without the PNG plots.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON instead of a summary.")
@user_errors
def run(set_path: Path, out_dir: Path | None, engine: str | None, k: int, mode: str | None, split: str,
        limit: int | None, decisions: str, no_plots: bool, as_json: bool) -> None:
    """Answer every question of SET.jsonl against the current library and write results, metrics and a report.

    Writes OUT/results.jsonl (one line a question), OUT/metrics.json and OUT/report.md with PNG plots and
    OUT/report.html. A progress bar shows on stderr when it is a terminal.
    """
    from medcite.evals.runner import run_eval
    from medcite.settings import get_settings

    if out_dir is None:
        out_dir = Path("evals") / "reports" / set_path.stem / (mode or get_settings().retrieval_mode)
    outcome = run_eval(set_path, out_dir, engine=engine, mode=mode, k=k, split=split, limit=limit,
                       decisions=decisions, progress=True, plots=not no_plots)
    if as_json:
        echo_json(outcome.metrics)
        return
    overall = outcome.metrics["overall"]
    run_info = outcome.metrics["run"]
    click.echo(f"{outcome.metrics['n']} questions from {set_path} ({run_info['engine']}, {run_info['mode']}, "
               f"{run_info['seconds']} s)")
    for label, key in ((f"nDCG@{k}", f"ndcg@{k}"), (f"MRR@{k}", f"mrr@{k}"), (f"Recall@{k}", f"recall@{k}"),
                       ("citations valid", "citation_valid_rate"), ("support rate", "support_rate"),
                       ("false abstention", "answerable_abstention_rate"),
                       ("correct abstention", "unanswerable_abstention_rate"),
                       ("emergency recall", "emergency_recall"), ("must-mention", "must_mention"),
                       ("decision accuracy", "decision_accuracy"), ("bottom line", "bottom_line_rate"),
                       ("standalone / answer", "standalone_problems_per_answer"),
                       ("focus relevance", "focus_relevance"), ("off-focus / answer", "off_focus_per_answer"),
                       ("sub-questions", "subquestion_coverage"), ("latency p50 (ms)", "p50_ms")):
        value = overall.get(key)
        if value is not None:
            click.echo(f"  {label:<20} {value:.3f}" if not key.endswith("_ms") else f"  {label:<20} {value:.0f}")
    triage = outcome.metrics.get("triage")
    if triage:
        for label, key in (("triage recall", "recall"), ("self-harm level", "self_harm_recall"),
                           ("triage false alarms", "false_alarm_rate")):
            if triage.get(key) is not None:
                click.echo(f"  {label:<20} {triage[key]:.3f}")
    for name, block in (outcome.metrics.get("variants") or {}).items():
        ndcg, delta = block.get(f"ndcg@{k}"), block.get(f"ndcg@{k}_delta")
        click.echo(f"  variant {name:<12} n={block['n']:<4} nDCG@{k} " + ("n/a" if ndcg is None else f"{ndcg:.3f}")
                   + ("" if delta is None else f" ({delta:+.3f} vs clean, {block['n_paired']} pairs)"))
    for warning in outcome.metrics.get("warnings", []):
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Wrote {outcome.results_path}, {outcome.metrics_path} and "
               f"{', '.join(p.name for p in outcome.report_files)} in {outcome.out_dir}")


@eval_group.command("compare")
@click.argument("base", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--tolerance", type=click.FloatRange(0), default=0.02, show_default=True,
              help="Allowed drop of a rate (absolute, rates are 0-1) before it counts as a regression.")
@click.option("--metric-tolerance", "metric_tolerances", multiple=True, metavar="METRIC=X",
              help="Tolerance for one metric, e.g. recall@10=0.05 (repeatable; latency ones are relative and "
                   "put that latency into the gate).")
@click.option("--include-latency", is_flag=True, help="Gate latency p50/p95 too (off by default: timings are noisy).")
@click.option("--latency-tolerance", type=click.FloatRange(0), default=0.5, show_default=True,
              help="Allowed relative latency increase when latency is gated (0.5 = +50%).")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@user_errors
def compare(base: Path, new: Path, tolerance: float, metric_tolerances: tuple[str, ...], include_latency: bool,
            latency_tolerance: float, as_json: bool) -> None:
    """Compare the metrics of run NEW with BASE (run folders or metrics.json files); exit 1 on a regression.

    Higher is better for nDCG, MRR, recall, citation, support, coverage, correct abstention, emergency recall
    and decision accuracy; lower is better for false abstention, emergency false positives and latency.
    """
    from medcite.evals.compare import (
        compare_metrics,
        comparison_json,
        format_table,
        load_metrics,
        parse_tolerances,
        summary_line,
    )

    comparison = compare_metrics(load_metrics(base), load_metrics(new), tolerance=tolerance,
                                 tolerances=parse_tolerances(metric_tolerances), include_latency=include_latency,
                                 latency_tolerance=latency_tolerance)
    if as_json:
        echo_json(comparison_json(comparison))
    else:
        click.echo(f"base: {base}\nnew:  {new}\n")
        click.echo(format_table(comparison))
        for warning in comparison.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo("")
        click.echo(summary_line(comparison))
    if not comparison.passed:
        sys.exit(1)


@eval_group.command("report")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-plots", is_flag=True, help="Skip the PNG plots.")
@user_errors
def report(run_dir: Path, no_plots: bool) -> None:
    """Rewrite report.md, report.html and the plots of RUN_DIR from its metrics.json and results.jsonl."""
    from medcite.evals.compare import load_metrics
    from medcite.evals.report import write_report
    from medcite.evals.runner import read_results

    results = run_dir / "results.jsonl"
    if not results.exists():
        raise FileNotFoundError(f"{results}: no results (run `medcite eval run` first)")
    written = write_report(run_dir, load_metrics(run_dir), read_results(results), plots=not no_plots)
    click.echo(f"Wrote {', '.join(p.name for p in written)} in {run_dir}")
