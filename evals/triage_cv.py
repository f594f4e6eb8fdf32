"""Triage per layer and the similarity thresholds by cross-validation over every triage message (round 3).

Run from the repository root: ``.venv/bin/python evals/triage_cv.py [--home DIR] [--folds 5] [--json OUT]``.
Reads every message of ``evals/sets/triage.jsonl`` (both splits) and ``evals/sets/triage_heldout.jsonl`` (1,257;
all reported once, now development data) and prints

* each layer's figures **in sample** with the committed ``SimilaritySettings``: the clinical layer alone, the
  similarity layer alone and both (as ``Triage.run`` combines them), overall, per category and per control kind;
* the **out-of-fold** figures of the threshold choice: the messages are split into ``--folds`` folds by
  sha256("medcite-triage-r3:<id>"); for each fold the grid point with the best objective on the other folds is
  chosen and scored on the fold; the out-of-fold sums are the honest estimate of how the *thresholds* transfer.
  (The exemplar bank and the lexicon were written with sight of these messages' misses: what they overfit, no
  cross-validation over the same messages can show; only a new held-out set can.)

Objective: recall + w x self-harm level - 2 x false alarms (rates; w = ``--self-harm-weight``, 1 by default): no
threshold that buys one more urgent catch with one more false alarm; one more self-harm message given the
self-harm level is worth about three false alarms (w = 1) or six (w = 2). The surface is flat near its top: the
folds disagree on share (0.8 or 0.9) and on the self-harm share (0.4 to 0.7), so the out-of-fold figures carry
that choice's noise, a few messages either way (docs/evals.md, round 3).

Each piece is embedded once and its similarities to the bank kept, so the whole grid takes seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SETS = (ROOT / "evals" / "sets" / "triage.jsonl", ROOT / "evals" / "sets" / "triage_heldout.jsonl")
GRID = {
    "k": (5, 10),
    "share": (0.7, 0.8, 0.9),
    "min_similarity": (0.45, 0.5, 0.55, 0.6),
    "self_harm_share": (0.4, 0.5, 0.6, 0.7),
    "self_harm_min_similarity": (0.4, 0.45, 0.5, 0.55),
}


def load_messages() -> list[dict]:
    rows = []
    for path in SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                rows.append({"id": q["id"], "text": q["question"], **q["meta"]})
    return rows


def fold_of(message_id: str, folds: int) -> int:
    return int(hashlib.sha256(f"medcite-triage-r3:{message_id}".encode()).hexdigest(), 16) % folds


class Cached:
    """Every message's clinical levels and its pieces' exemplar similarities, for fast threshold search."""

    def __init__(self, triage, rows: list[dict]) -> None:
        self.triage = triage
        layer = triage.similarity
        self.rows = rows
        self.clinical = [{f.level for f in triage.clinical.run(r["text"])} for r in rows]
        self.readings = [triage.readings(r["text"]) for r in rows]
        # Each message's pieces are embedded in one call, as ``SimilarityLayer.run`` does: the int8 encoder's
        # vectors depend slightly on the batch they are computed in, and thresholds sit on those margins.
        blocks: list[np.ndarray] = []
        self.piece_of: list[tuple[list[int], list[int], list[bool]]] = []
        offset = 0
        for texts, plain, whole in self.readings:
            batch = list(texts) + [t for t in dict.fromkeys(whole) if t not in set(texts)]
            row = {t: offset + i for i, t in enumerate(batch)}
            if batch:
                blocks.append(np.asarray(layer.encode(batch), dtype=np.float32))
            self.piece_of.append(([row[t] for t in texts], [row[t] for t in whole], plain))
            offset += len(batch)
        self.sims = np.concatenate(blocks) @ layer.vectors.T
        self.top = np.argsort(-self.sims, axis=1)[:, : max(GRID["k"])]  # the nearest exemplars, nearest first
        self.top_sims = np.take_along_axis(self.sims, self.top, axis=1)
        levels = np.array([e.level for e in layer.exemplars])
        self.level_of = levels

    def votes(self, k: int, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per embedded text: the weighted share of ``mask`` exemplars among its ``k`` nearest, the similarity of
        the nearest ``mask`` one among them (-1 if none) and its index (as ``SimilarityLayer.decide`` votes)."""
        top, sims = self.top[:, :k], np.clip(self.top_sims[:, :k], 1e-6, None)
        chosen = mask[top]
        share = (sims * chosen).sum(axis=1) / sims.sum(axis=1)
        first = np.argmax(chosen, axis=1)
        has = chosen.any(axis=1)
        nearest = np.where(has, top[np.arange(len(top)), first], -1)
        return share, np.where(has, self.top_sims[np.arange(len(top)), first], -1.0), nearest

    def levels(self, settings) -> list[tuple[set[str], set[str], set[str]]]:
        """(clinical, similarity, both) levels of every message under ``settings``, combined as ``Triage.run``
        does (beside clinical flags only a self-harm flag of the similarity layer counts)."""
        layer = self.triage.similarity
        u_share, u_sim, u_near = self.votes(settings.k, layer.urgent)
        h_share, h_sim, _ = self.votes(settings.k, layer.self_harm)
        urgent_ok = (u_share >= settings.share) & (u_sim >= settings.min_similarity) & (u_near >= 0)
        harm_ok = (h_share >= settings.self_harm_share) & (h_sim >= settings.self_harm_min_similarity)
        out = []
        for clinical, (texts, whole, plain) in zip(self.clinical, self.piece_of, strict=True):
            similar = {str(self.level_of[u_near[t]]) for t, p in zip(texts, plain, strict=True) if p and urgent_ok[t]}
            if any(harm_ok[w] for w in whole):
                similar.add("self_harm")
            both = set(clinical) | ({"self_harm"} & similar if clinical else similar)
            out.append((clinical, similar, both))
        return out


def figures(rows: list[dict], levels: list[set[str]]) -> dict:
    urgent = [bool(lv) for r, lv in zip(rows, levels, strict=True) if r["triage_level"] != "none"]
    alarms = [bool(lv) for r, lv in zip(rows, levels, strict=True) if r["triage_level"] == "none"]
    harm = ["self_harm" in lv for r, lv in zip(rows, levels, strict=True) if r["triage_level"] == "self_harm"]
    return {"recall": (sum(urgent), len(urgent)), "self_harm": (sum(harm), len(harm)),
            "false_alarms": (sum(alarms), len(alarms))}


def objective(fig: dict, self_harm_weight: float = 1.0) -> float:
    rate = {k: a / b if b else 0.0 for k, (a, b) in fig.items()}
    return rate["recall"] + self_harm_weight * rate["self_harm"] - 2 * rate["false_alarms"]


def line(name: str, fig: dict) -> str:
    return name + "  " + "  ".join(f"{k} {a}/{b} = {a / b:.3f}" for k, (a, b) in fig.items() if b)


def breakdown(rows: list[dict], per_layer: dict[str, list[set[str]]]) -> list[str]:
    out = ["", "category: urgent n, flagged by clinical / similarity / both | controls n, false alarms c / s / b"]
    for category in sorted({r["category"] for r in rows}):
        cells = []
        for urgent in (True, False):
            idx = [i for i, r in enumerate(rows)
                   if r["category"] == category and (r["triage_level"] != "none") == urgent]
            counts = " / ".join(str(sum(bool(per_layer[n][i]) for i in idx)) for n in per_layer)
            cells.append(f"{len(idx):3d}: {counts:13s}")
        out.append(f"  {category:20s} " + " | ".join(cells))
    out.append("control kind: n, false alarms clinical / similarity / both")
    for kind in sorted({r["kind"] for r in rows if r["triage_level"] == "none"}):
        idx = [i for i, r in enumerate(rows) if r["kind"] == kind and r["triage_level"] == "none"]
        out.append(f"  {kind:14s} {len(idx):3d}: " + " / ".join(str(sum(bool(per_layer[n][i]) for i in idx))
                                                         for n in per_layer))
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="MEDCITE_HOME whose embedding model to use")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--self-harm-weight", type=float, default=1.0, help="w in the objective")
    args = parser.parse_args(argv)

    from medcite.embedding.model import Embedder
    from medcite.settings import Settings
    from medcite.triage import Triage
    from medcite.triage.similarity import SimilaritySettings

    settings = Settings(home=args.home) if args.home else Settings()
    embedder = Embedder(settings, threads=settings.query_torch_threads)
    triage = Triage(encode=embedder.embed_documents, known_words=embedder.word_list(), cache_dir=settings.models_dir,
                    model_key=f"{settings.embedding_model}|{settings.embedding_backend}")
    rows = load_messages()
    cached = Cached(triage, rows)

    committed = SimilaritySettings()
    levels = cached.levels(committed)
    per_layer = {name: [lv[j] for lv in levels] for j, name in enumerate(("clinical", "similarity", "both"))}
    report: dict = {"messages": len(rows), "committed": asdict(committed), "in_sample": {}}
    print(f"{len(rows)} messages; in sample, committed settings {asdict(committed)}")
    for name, lv in per_layer.items():
        report["in_sample"][name] = figures(rows, lv)
        print(line(f"  {name:10s}", report["in_sample"][name]))
    print("\n".join(breakdown(rows, per_layer)))

    grid = [SimilaritySettings(**dict(zip(GRID, values, strict=True))) for values in itertools.product(*GRID.values())]
    folds = [fold_of(r["id"], args.folds) for r in rows]
    both_by_point = [[lv[2] for lv in cached.levels(point)] for point in grid]
    chosen: list[dict] = []
    oof: list[set[str]] = [set() for _ in rows]
    for fold in range(args.folds):
        train = [i for i, f in enumerate(folds) if f != fold]
        scores = [objective(figures([rows[i] for i in train], [b[i] for i in train]), args.self_harm_weight)
                  for b in both_by_point]
        best = int(np.argmax(scores))
        chosen.append(asdict(grid[best]))
        for i, f in enumerate(folds):
            if f == fold:
                oof[i] = both_by_point[best][i]
    report["out_of_fold"] = figures(rows, oof)
    report["chosen_per_fold"] = chosen
    whole = [objective(figures(rows, b), args.self_harm_weight) for b in both_by_point]
    report["best_in_sample"] = asdict(grid[int(np.argmax(whole))])
    print(f"\nout of fold ({args.folds} folds, thresholds chosen on the others):")
    print(line("  both      ", report["out_of_fold"]))
    for fold, point in enumerate(chosen):
        print(f"  fold {fold}: {point}")
    print(f"best on all {len(rows)}: {report['best_in_sample']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
