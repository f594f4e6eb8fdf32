"""The report of an evaluation run: ``report.md``, three PNG plots and ``report.html``, from metrics and results.

- ``retrieval.png``: nDCG@k, MRR@k and Recall@1/5/k, overall and for each group with judged documents;
- ``latency.png``: histogram of per-question latency with the p50 and p95 marked;
- ``groups.png``: per group, the share of questions abstained on and the share flagged as emergencies;
- ``quality.png``: answer quality (:mod:`medcite.evals.quality`): bottom line, focus relevance, sub-question
  coverage and standalone answers (rates), beside standalone problems and off-focus statements per answer.

Plots use matplotlib's Agg backend (no display needed). :func:`write_report` can be re-run on a folder that
holds ``metrics.json`` and ``results.jsonl`` (``medcite eval report DIR``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from medcite.evals.datasets import GROUPS

# (label, key, format, denominator key); format: rate (0..1), ms, count, float.
Row = tuple[str, str, str, str | None]


def metric_rows(k: int) -> list[tuple[str, list[Row]]]:
    """The report's metric table, section by section."""
    return [
        ("Retrieval", [
            (f"nDCG@{k}", f"ndcg@{k}", "rate", "n_judged"),
            (f"MRR@{k}", f"mrr@{k}", "rate", "n_judged"),
            ("Recall@1", "recall@1", "rate", "n_judged"),
            ("Recall@5", "recall@5", "rate", "n_judged"),
            (f"Recall@{k}", f"recall@{k}", "rate", "n_judged"),
            ("Documents retrieved (mean)", "mean_retrieved", "float", "n"),
            (f"Questions with fewer than {k} documents", "short_retrieval", "count", "n"),
        ]),
        ("Citations", [
            ("Every [n] resolves to a reference", "citation_valid_rate", "rate", "n_answered"),
            ("Citation precision", "citation_precision", "rate", None),
            ("Citation recall", "citation_recall", "rate", "n_judged"),
            ("Answer sentences carrying a citation", "cited_sentence_share", "rate", None),
            ("Statements supported by the cited passage", "support_rate", "rate", "n_statements"),
        ]),
        ("Content", [
            ("Must-mention coverage (statements' text)", "must_mention", "rate", "n_must_mention"),
        ]),
        ("Answer quality", [
            ("Bottom line first", "bottom_line_rate", "rate", "n_bottom_line"),
            ("Standalone problems per answer", "standalone_problems_per_answer", "float2", "n_quality"),
            ("Answers with no standalone problem", "standalone_answer_rate", "rate", "n_quality"),
            ("Statements on the question's focus", "focus_relevance", "rate", "n_focus_statements"),
            ("Off-focus statements per answer", "off_focus_per_answer", "float2", None),
            ("Sub-questions with a bottom-line part", "subquestion_coverage", "rate", "n_sub_questions"),
            ("... in multi-part messages", "multipart_coverage", "rate", "n_multipart"),
        ]),
        ("Behaviour", [
            ("Abstention rate", "abstention_rate", "rate", "n"),
            ("False abstention (answerable)", "answerable_abstention_rate", "rate", None),
            ("Correct abstention (unanswerable)", "unanswerable_abstention_rate", "rate", None),
            ("Flagged as emergency", "emergency_rate", "rate", "n"),
            ("Emergency recall", "emergency_recall", "rate", None),
            ("Emergency false positives (other groups)", "emergency_false_positive_rate", "rate", None),
            ("Decision accuracy", "decision_accuracy", "rate", "n_decision"),
            ("Decision baseline (most common gold label)", "decision_baseline", "rate", "n_decision"),
        ]),
        ("Latency", [
            ("Latency p50 (ms)", "p50_ms", "ms", "n"),
            ("Latency p95 (ms)", "p95_ms", "ms", "n"),
        ]),
    ]


def fmt(value: Any, kind: str) -> str:
    if value is None:
        return "n/a"
    if kind == "rate":
        return f"{value:.3f}"
    if kind == "ms":
        return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"
    if kind == "count":
        return str(int(value))
    if kind == "float2":
        return f"{value:.2f}"
    return f"{value:.1f}"


def _cell(block: Mapping[str, Any], key: str, kind: str, denom: str | None, with_n: bool = True) -> str:
    if key not in block:
        return "—"
    text = fmt(block.get(key), kind)
    if with_n and denom and block.get(key) is not None and block.get(denom) is not None:
        text += f" ({block[denom]})"
    return text


def _label(label: str, key: str, metrics: Mapping[str, Any]) -> str:
    if key == "decision_accuracy" and metrics.get("decision_source") == "heuristic":
        return "Decision accuracy (heuristic)"
    if key == "decision_baseline":
        gold = (metrics.get("overall") or {}).get("decision_baseline_label")
        return f"Decision baseline (always '{gold}')" if gold else label
    return label


def _groups(metrics: Mapping[str, Any]) -> list[str]:
    present = metrics.get("groups") or {}
    return [g for g in GROUPS if g in present] + [g for g in present if g not in GROUPS]


def markdown_tables(metrics: Mapping[str, Any]) -> str:
    """The overall table (metric, value (n)) and the per-group table, Markdown."""
    k = int(metrics.get("k", 10))
    overall = metrics.get("overall") or {}
    groups = _groups(metrics)
    lines = ["## Overall", "", "| metric | value (n) |", "| --- | ---: |"]
    for section, rows in metric_rows(k):
        lines.append(f"| **{section}** | |")
        for label, key, kind, denom in rows:
            if key in overall:
                lines.append(f"| {_label(label, key, metrics)} | {_cell(overall, key, kind, denom)} |")
    lines += ["", "## By group", "", "| metric | " + " | ".join(f"{g} (n={metrics['groups'][g]['n']})" for g in groups)
              + " |", "| --- |" + " ---: |" * len(groups)]
    for section, rows in metric_rows(k):
        lines.append(f"| **{section}** |" + " |" * len(groups))
        for label, key, kind, denom in rows:
            blocks = [metrics["groups"][g] for g in groups]
            if not any(key in b for b in blocks):
                continue
            cells = [_cell(b, key, kind, denom) for b in blocks]
            lines.append(f"| {_label(label, key, metrics)} | " + " | ".join(cells) + " |")
    if metrics.get("triage"):
        lines += ["", *triage_table(metrics["triage"])]
    if metrics.get("variants"):
        lines += ["", *variant_table(metrics["variants"], k)]
    return "\n".join(lines)


def variant_table(variants: Mapping[str, Any], k: int) -> list[str]:
    """The noisy-variant section: per variant n, nDCG, the paired nDCG change against the clean sources,
    Recall, MRR and abstention (with its paired change)."""
    lines = ["## By variant", "",
             "Paired deltas: a variant against its own clean source question, over the pairs this run holds "
             "(count in brackets).", "",
             f"| variant | n | nDCG@{k} | Δ nDCG@{k} vs clean | Recall@{k} | MRR@{k} | abstained | Δ abstained |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, block in variants.items():
        def delta(key: str, denom: str, block: Mapping[str, Any] = block) -> str:
            if key not in block:
                return "—"
            value = block.get(key)
            return "n/a" if value is None else f"{value:+.3f} ({block.get(denom, 0)})"

        lines.append(f"| {name} | {block.get('n', 0)} | {fmt(block.get(f'ndcg@{k}'), 'rate')} | "
                     f"{delta(f'ndcg@{k}_delta', 'n_paired')} | {fmt(block.get(f'recall@{k}'), 'rate')} | "
                     f"{fmt(block.get(f'mrr@{k}'), 'rate')} | {fmt(block.get('abstention_rate'), 'rate')} | "
                     f"{delta('abstention_delta', 'n_paired_abstention')} |")
    return lines


def triage_table(triage: Mapping[str, Any]) -> list[str]:
    """The triage section: recall per category, self-harm recall, false alarms overall and by control kind."""
    lines = ["## Triage", "",
             f"Recall {fmt(triage.get('recall'), 'rate')} of {triage.get('n_urgent', 0)} urgent messages; "
             f"self-harm level {fmt(triage.get('self_harm_recall'), 'rate')} of {triage.get('n_self_harm', 0)}; "
             f"false alarms {fmt(triage.get('false_alarm_rate'), 'rate')} of {triage.get('n_ordinary', 0)} "
             "ordinary messages.", "",
             "| category | urgent (n) | recall | controls (n) | false alarms |", "| --- | ---: | ---: | ---: | ---: |"]
    urgent = triage.get("per_category") or {}
    controls = triage.get("controls") or {}
    for category in sorted(set(urgent) | set(controls)):
        u, c = urgent.get(category, {}), controls.get(category, {})
        lines.append(f"| {category} | {u.get('n', 0)} | {fmt(u.get('recall'), 'rate')} | {c.get('n', 0)} | "
                     f"{fmt(c.get('false_alarm_rate'), 'rate')} |")
    kinds = triage.get("per_kind") or {}
    if kinds:
        lines += ["", "| control kind | n | false alarms |", "| --- | ---: | ---: |"]
        lines += [f"| {k} | {v.get('n', 0)} | {fmt(v.get('false_alarm_rate'), 'rate')} |" for k, v in kinds.items()]
    return lines


def settings_lines(metrics: Mapping[str, Any]) -> list[tuple[str, str]]:
    run = metrics.get("run") or {}
    library = run.get("library") or {}
    by_kind = ", ".join(f"{n} {kind}" for kind, n in sorted((library.get("by_kind") or {}).items()))
    return [
        ("Set", f"`{run.get('set', '?')}` (split {run.get('split', 'all')}"
                + (f", first {run['limit']}" if run.get("limit") else "") + f", {metrics.get('n', 0)} questions)"),
        ("Engine", str(run.get("engine", "?"))),
        ("Retrieval mode", f"{run.get('mode', '?')} ({run.get('retrieve_k', '?')} passages, k = {metrics.get('k')})"),
        ("Collection", f"`{run.get('collection', '?')}`"),
        ("Embedding model", f"`{run.get('embedding_model', '?')}`"),
        ("Library", f"{library.get('documents', '?')} documents ({by_kind or 'n/a'}), {library.get('chunks', '?')} "
                    f"chunks, {library.get('vectors', '?')} vectors"),
        ("Decisions", "heuristic extractor (see docs/evals.md)" if metrics.get("decision_source") == "heuristic"
         else "not available (no engine states a decision)"),
        ("Code", f"medcite {run.get('medcite_version', '?')}, commit `{run.get('git_commit') or 'unknown'}`"),
        ("Machine", f"Python {run.get('python', '?')} on {run.get('platform', '?')}"),
        ("Started", f"{run.get('started', '?')} ({run.get('seconds', '?')} s)"),
    ]


def attention_lists(records: Sequence[Mapping[str, Any]], limit: int = 15) -> list[tuple[str, list[str]]]:
    """Questions worth reading: missed gold, wrong abstentions, missed emergencies, failed checks."""
    def ids(pred) -> list[str]:
        return [str(r["id"]) for r in records if pred(r)]

    return [
        ("Relevant documents not retrieved at all", ids(lambda r: r.get("first_relevant_rank") == 0)),
        ("Answerable questions abstained on", ids(lambda r: r.get("group") == "answerable" and r.get("abstained"))),
        ("Unanswerable questions answered", ids(lambda r: r.get("group") == "unanswerable" and not r.get("abstained"))),
        ("Emergencies not flagged", ids(lambda r: r.get("group") == "emergency" and not r.get("emergency"))),
        ("Non-emergencies flagged", ids(lambda r: r.get("group") != "emergency" and r.get("emergency"))),
        ("Answers with a citation that resolves to no reference", ids(lambda r: r.get("citations_valid") is False)),
        ("Answers with an unsupported statement",
         ids(lambda r: int(r.get("statements_supported") or 0) < int(r.get("statements_checked") or 0))),
        ("Answers without a bottom line", ids(lambda r: r.get("bottom_line") is False)),
        ("Answers with a statement that cannot stand alone", ids(lambda r: int(r.get("standalone_problems") or 0) > 0)),
        ("Answers with an off-focus statement",
         ids(lambda r: int(r.get("on_focus_statements") or 0) < int(r.get("focus_statements") or 0))),
        ("Sub-questions left without a part",
         ids(lambda r: int(r.get("sub_questions_covered") or 0) < int(r.get("sub_questions") or 0))),
    ]


def render_markdown(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]], plots: Sequence[str]) -> str:
    run = metrics.get("run") or {}
    title = f"# Evaluation: {Path(str(run.get('set', 'set'))).stem} — {run.get('mode', '?')}, {run.get('engine', '?')}"
    lines = [title, "", "## Settings", "", "| | |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in settings_lines(metrics)]
    if metrics.get("missing"):
        lines += ["", f"Questions without a result (left out): {', '.join(metrics['missing'])}"]
    lines += ["", markdown_tables(metrics), ""]
    lines += [
        "Rates are 0-1; the count each rate is taken over is in brackets. Retrieval and citation recall count "
        "only questions with a relevant document; citation precision counts an unjudged cited document as "
        "wrong (a lower bound). Support: offline answers are checked verbatim against the cited chunk; LLM "
        "answers by the verifier's lexical proxy (see docs/evals.md).",
        "",
    ]
    if plots:
        lines += ["## Plots", ""]
        captions = {"retrieval.png": "Retrieval", "latency.png": "Latency",
                    "groups.png": "Abstention and emergency flags", "quality.png": "Answer quality"}
        for name in plots:
            lines += [f"![{captions.get(name, name)}]({name})", ""]
    lines += ["## Questions to read", ""]
    for heading, ids in attention_lists(records):
        shown = ", ".join(f"`{i}`" for i in ids[:15]) + (f" and {len(ids) - 15} more" if len(ids) > 15 else "")
        lines.append(f"- {heading}: {shown or 'none'}")
    lines += ["", "Per-question detail is in `results.jsonl`."]
    return "\n".join(lines) + "\n"


def render_html(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]], plots: Sequence[str]) -> str:
    """A self-contained page with the same content as report.md (plots linked beside it)."""
    e = html.escape
    k = int(metrics.get("k", 10))
    run = metrics.get("run") or {}
    overall = metrics.get("overall") or {}
    groups = _groups(metrics)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{e(Path(str(run.get('set', 'set'))).stem)} — {e(str(run.get('mode', '')))}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}"
        "td.n{text-align:right;font-variant-numeric:tabular-nums}tr.s td{background:#eef;font-weight:600}"
        "img{max-width:100%;border:1px solid #ddd;margin:.5em 0}</style></head><body>",
        f"<h1>Evaluation: {e(Path(str(run.get('set', 'set'))).stem)} — {e(str(run.get('mode', '?')))}, "
        f"{e(str(run.get('engine', '?')))}</h1>",
        "<h2>Settings</h2><table>",
    ]
    parts += [f"<tr><th>{e(n)}</th><td>{e(v.replace('`', ''))}</td></tr>" for n, v in settings_lines(metrics)]
    parts.append("</table><h2>Metrics</h2><table><tr><th>metric</th><th>overall</th>"
                 + "".join(f"<th>{e(g)} (n={metrics['groups'][g]['n']})</th>" for g in groups) + "</tr>")
    for section, rows in metric_rows(k):
        parts.append(f"<tr class='s'><td colspan='{2 + len(groups)}'>{e(section)}</td></tr>")
        for label, key, kind, denom in rows:
            blocks = [overall] + [metrics["groups"][g] for g in groups]
            if not any(key in b for b in blocks):
                continue
            cells = "".join(f"<td class='n'>{e(_cell(b, key, kind, denom))}</td>" for b in blocks)
            parts.append(f"<tr><td>{e(_label(label, key, metrics))}</td>{cells}</tr>")
    parts.append("</table>")
    for name in plots:
        parts.append(f"<img src='{e(name)}' alt='{e(name)}'>")
    parts.append("<h2>Questions to read</h2><ul>")
    for heading, ids in attention_lists(records):
        parts.append(f"<li>{e(heading)}: {e(', '.join(ids[:15])) or 'none'}"
                     + (f" and {len(ids) - 15} more" if len(ids) > 15 else "") + "</li>")
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


# --- plots --------------------------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_retrieval(metrics: Mapping[str, Any], path: Path) -> Path:
    """Grouped bars: retrieval metrics (x) for overall and each group with judged questions."""
    plt = _pyplot()
    k = int(metrics.get("k", 10))
    keys = [(f"nDCG@{k}", f"ndcg@{k}"), (f"MRR@{k}", f"mrr@{k}"), ("Recall@1", "recall@1"),
            ("Recall@5", "recall@5"), (f"Recall@{k}", f"recall@{k}")]
    series = [("overall", metrics.get("overall") or {})]
    series += [(g, metrics["groups"][g]) for g in _groups(metrics) if (metrics["groups"][g].get("n_judged") or 0) > 0]
    crowded = len(series) > 3
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    width = 0.8 / max(len(series), 1)
    for i, (name, block) in enumerate(series):
        values = [block.get(key) for _, key in keys]
        xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(keys))]
        bars = ax.bar(xs, [v or 0 for v in values], width, label=f"{name} (n={block.get('n_judged', 0)} judged)")
        for bar, value in zip(bars, values, strict=True):
            _annotate(ax, bar, value, fontsize=7, rotation=90 if crowded else 0)
    ax.set_xticks(range(len(keys)), [label for label, _ in keys])
    ax.set_ylim(0, 1.2 if crowded else 1.1)
    ax.set_yticks([i / 5 for i in range(6)])
    ax.set_ylabel("score (0-1)")
    ax.set_title(_plot_title(metrics, "Retrieval"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=8, ncols=min(len(series), 5), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return _save(fig, path, plt)


def plot_latency(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Histogram of per-question latency (ms) with the p50 and p95 as dashed lines."""
    plt = _pyplot()
    values = [float(r["latency_ms"]) for r in records if r.get("latency_ms") is not None]
    overall = metrics.get("overall") or {}
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    if values:
        ax.hist(values, bins=max(5, min(40, len(values) // 2)), color="#4c72b0", edgecolor="white")
        for key, label, color in (("p50_ms", "p50", "#dd8452"), ("p95_ms", "p95", "#c44e52")):
            if overall.get(key) is not None:
                ax.axvline(overall[key], color=color, linestyle="--", linewidth=1.5,
                           label=f"{label} = {fmt(overall[key], 'ms')} ms")
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "no latencies recorded", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.set_title(_plot_title(metrics, f"Latency ({len(values)} questions)"))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return _save(fig, path, plt)


def plot_groups(metrics: Mapping[str, Any], path: Path) -> Path:
    """Per group: abstention rate and emergency-flag rate side by side, with what each group wants."""
    plt = _pyplot()
    groups = _groups(metrics)
    wants = {"answerable": "want: answer", "unanswerable": "want: abstain", "emergency": "want: flag",
             "adversarial": "want: no flag"}
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    width = 0.38
    for offset, key, label, color in ((-width / 2, "abstention_rate", "abstained", "#8172b3"),
                                      (width / 2, "emergency_rate", "flagged as emergency", "#c44e52")):
        values = [metrics["groups"][g].get(key) for g in groups]
        bars = ax.bar([i + offset for i in range(len(groups))], [v or 0 for v in values], width, label=label,
                      color=color)
        for bar, value in zip(bars, values, strict=True):
            _annotate(ax, bar, value, fontsize=8)
    ax.set_xticks(range(len(groups)),
                  [f"{g}\n(n={metrics['groups'][g]['n']}, {wants.get(g, '')})" for g in groups], fontsize=8)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("share of questions")
    ax.set_title(_plot_title(metrics, "Abstention and emergency flags by group"))
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return _save(fig, path, plt)


QUALITY_RATES = (("bottom line", "bottom_line_rate"), ("on focus", "focus_relevance"),
                 ("sub-questions", "subquestion_coverage"), ("no standalone\nproblem", "standalone_answer_rate"),
                 ("must-mention", "must_mention"))
QUALITY_COUNTS = (("standalone\nproblems", "standalone_problems_per_answer"),
                  ("off-focus\nstatements", "off_focus_per_answer"))


def plot_quality(metrics: Mapping[str, Any], path: Path) -> Path:
    """Answer quality: the rates (0-1, higher is better) left, the per-answer problem counts (lower is better) right."""
    plt = _pyplot()
    overall = metrics.get("overall") or {}
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5), dpi=110, gridspec_kw={"width_ratios": [5, 2]})
    values = [overall.get(key) for _, key in QUALITY_RATES]
    bars = left.bar(range(len(values)), [v or 0 for v in values], color="#55a868")
    for bar, value in zip(bars, values, strict=True):
        _annotate(left, bar, value, fontsize=8)
    left.set_xticks(range(len(values)), [label for label, _ in QUALITY_RATES], fontsize=8)
    left.set_ylim(0, 1.1)
    left.set_ylabel("share (higher is better)")
    left.grid(axis="y", alpha=0.3)
    left.set_axisbelow(True)
    counts = [overall.get(key) for _, key in QUALITY_COUNTS]
    bars = right.bar(range(len(counts)), [v or 0 for v in counts], color="#c44e52")
    for bar, value in zip(bars, counts, strict=True):
        _annotate(right, bar, value, fontsize=8)
    right.set_xticks(range(len(counts)), [label for label, _ in QUALITY_COUNTS], fontsize=8)
    right.set_ylim(0, max([1.0, *[(v or 0) * 1.2 for v in counts]]))
    right.set_ylabel("per answer (lower is better)")
    right.grid(axis="y", alpha=0.3)
    right.set_axisbelow(True)
    fig.suptitle(_plot_title(metrics, f"Answer quality ({overall.get('n_quality') or 0} answers)"), fontsize=11)
    return _save(fig, path, plt)


def _annotate(ax, bar, value: float | None, *, fontsize: int, rotation: int = 0) -> None:
    """The value above its bar ("n/a" when undefined)."""
    ax.annotate("n/a" if value is None else f"{value:.2f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center", va="bottom", fontsize=fontsize, xytext=(0, 2), textcoords="offset points",
                rotation=rotation)


def _plot_title(metrics: Mapping[str, Any], what: str) -> str:
    run = metrics.get("run") or {}
    name = Path(str(run.get("set", ""))).stem
    return f"{what} — {name}, {run.get('mode', '?')}, {run.get('engine', '?')}" if name else what


def _save(fig, path: Path, plt) -> Path:
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


# --- writing ------------------------------------------------------------------------------------------------


def write_report(out_dir: Path | str, metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]],
                 *, plots: bool = True) -> list[Path]:
    """Write report.md, report.html and (unless ``plots=False``) the three PNGs; returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if plots:
        written.append(plot_retrieval(metrics, out_dir / "retrieval.png"))
        written.append(plot_latency(metrics, records, out_dir / "latency.png"))
        written.append(plot_groups(metrics, out_dir / "groups.png"))
        written.append(plot_quality(metrics, out_dir / "quality.png"))
    names = [p.name for p in written]
    md = out_dir / "report.md"
    md.write_text(render_markdown(metrics, records, names), encoding="utf-8")
    page = out_dir / "report.html"
    page.write_text(render_html(metrics, records, names), encoding="utf-8")
    return [md, page, *written]
