"""Plots for docs/benchmarks.md from the committed results: encoder levers and ingest throughput.

Usage::

    python -m benchmarks.plots        # reads benchmarks/results/*.json, writes docs/img/*.png
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.common import RESULTS, ROOT

IMG = ROOT / "docs" / "img"


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def encoders_plot(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levers = data["levers_chunks_per_s"]
    names = list(levers)
    fig, ax = plt.subplots(figsize=(8, 4.2))
    colors = ["#1f6f8b" if n.startswith("onnx int8") else "#9aa5ad" for n in names]
    ax.barh(names, [levers[n] for n in names], color=colors)
    for i, n in enumerate(names):
        ax.text(levers[n] + 0.5, i, f"{levers[n]:.1f}", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("chunks encoded per second (600 real chunks, 2 cores)")
    ax.set_title("all-MiniLM-L6-v2 encoder levers, one run")
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def ingest_plot(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = data["pipeline_vs_raw"]
    backends = [b for b in ("torch", "onnx-int8") if b in rows]
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    width = 0.38
    for offset, key, label in ((-width / 2, "raw_chunks_per_s", "raw encoder"),
                               (width / 2, "pipeline_chunks_per_s", "whole ingest pipeline")):
        values = [rows[b][key] for b in backends]
        bars = ax.bar([i + offset for i in range(len(backends))], values, width, label=label)
        ax.bar_label(bars, fmt="%.1f", fontsize=8)
    ax.set_xticks(range(len(backends)), [f"{b}\n(pipeline/raw {rows[b]['pipeline_over_raw']})" for b in backends])
    ax.set_ylabel("chunks per second")
    ax.set_title("Ingest: pipeline vs raw encoding of the same chunks")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> list[Path]:
    IMG.mkdir(parents=True, exist_ok=True)
    written = []
    if encoders := _load("encoders"):
        encoders_plot(encoders, IMG / "encoder_levers.png")
        written.append(IMG / "encoder_levers.png")
    if ingest := _load("ingest"):
        ingest_plot(ingest, IMG / "ingest_pipeline_vs_raw.png")
        written.append(IMG / "ingest_pipeline_vs_raw.png")
    for path in written:
        print(f"-> {path}")
    return written


if __name__ == "__main__":
    main()
