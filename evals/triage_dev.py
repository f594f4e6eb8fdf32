"""Triage on development data only: each layer's figures, per category and control kind, and the crisis replies
on real consumer messages (round 4).

Run from the repository root: ``.venv/bin/python evals/triage_dev.py [--home DIR] [--json OUT] [--show]``.

Reads only development data, never a held-out set or a test split:

* **urgent and control messages**: the dev split of ``evals/sets/triage.jsonl`` (397) and every message of
  ``evals/sets/triage_dev.jsonl`` (335, all dev, round 4's fresh set);
* **ordinary questions as people write them** (must not be flagged; none is urgent): the dev splits of
  ``evals/sets/local/mediqa.jsonl`` (64 real consumer questions, 11 of them MEDIQA validation questions as their
  askers wrote them; built by ``evals/build_mediqa.py``, skipped with a note where absent),
  ``medquad_patient.jsonl`` (60), the answerable and unanswerable questions of ``handwritten.jsonl`` (32) and
  the ``chatty`` and ``typo`` rewrites of ``noisy.jsonl`` (100).

For each set it prints recall (urgent messages flagged at any level), the self-harm level (self-harm messages given
it: what withholds the answer), false alarms, and per layer: the clinical layer alone (``Triage`` without an
encoder), what the similarity layer flagged, and both as ``Triage.run`` combines them. For the ordinary questions
it counts flags and **crisis replies** (the self-harm level, which withholds the evidence answer).
``--show`` lists the dev messages still missed or falsely flagged (dev data: reading them is tuning on dev).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT / "evals" / "sets"
TRIAGE_DEV = ((SETS / "triage.jsonl", "triage.jsonl dev"), (SETS / "triage_dev.jsonl", "triage_dev.jsonl"))
ORDINARY = (  # (path, label, keep(question) -> bool)
    (SETS / "local" / "mediqa.jsonl", "mediqa dev", lambda q: True),
    (SETS / "medquad_patient.jsonl", "medquad_patient dev", lambda q: True),
    (SETS / "handwritten.jsonl", "handwritten dev", lambda q: q.group in ("answerable", "unanswerable")),
    (SETS / "noisy.jsonl", "noisy chatty+typo dev", lambda q: (q.meta or {}).get("variant") in ("chatty", "typo")),
)


def load(path: Path, keep=lambda q: True) -> list:
    from medcite.evals.datasets import load_eval_set

    return [q for q in load_eval_set(path) if q.split == "dev" and keep(q)]


def rate(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.3f}" if b else "-"


def score(rows: list, results: list) -> dict:
    """Figures of one set: ``results[i]`` is (clinical level, both result) for ``rows[i]``."""
    out: dict = {"urgent": 0, "ordinary": 0, "self_harm_n": 0}
    counts = defaultdict(int)
    per_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # urgent n, flagged, controls n, alarms
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q, (clinical, both) in zip(rows, results, strict=True):
        level, cat = q.meta["triage_level"], q.meta["category"]
        urgent = level != "none"
        similar = both.layers.get("similarity", False)
        if urgent:
            counts["urgent"] += 1
            counts["clinical"] += clinical != "none"
            counts["similarity"] += similar
            counts["both"] += both.flagged
            counts["similarity_only"] += both.flagged and clinical == "none"
            per_cat[cat][0] += 1
            per_cat[cat][1] += both.flagged
            if level == "self_harm":
                counts["sh_n"] += 1
                counts["sh_both"] += both.level == "self_harm"
                counts["sh_clinical"] += clinical == "self_harm"
        else:
            counts["ordinary"] += 1
            counts["fa_clinical"] += clinical != "none"
            counts["fa_similarity"] += similar
            counts["fa_both"] += both.flagged
            counts["fa_crisis"] += both.level == "self_harm"
            per_cat[cat][2] += 1
            per_cat[cat][3] += both.flagged
            per_kind[q.meta["kind"]][0] += 1
            per_kind[q.meta["kind"]][1] += both.flagged
    out = dict(counts)
    out["per_category"] = {c: v for c, v in sorted(per_cat.items())}
    out["per_kind"] = {k: v for k, v in sorted(per_kind.items())}
    return out


def print_set(label: str, fig: dict) -> None:
    print(f"\n== {label}: {fig.get('urgent', 0)} urgent, {fig.get('ordinary', 0)} ordinary")
    u, o = fig.get("urgent", 0), fig.get("ordinary", 0)
    print(f"  recall      clinical {rate(fig.get('clinical', 0), u)}  similarity {rate(fig.get('similarity', 0), u)}"
          f"  both {rate(fig.get('both', 0), u)}  (similarity only: {fig.get('similarity_only', 0)})")
    print(f"  self-harm   clinical {rate(fig.get('sh_clinical', 0), fig.get('sh_n', 0))}"
          f"  both {rate(fig.get('sh_both', 0), fig.get('sh_n', 0))}")
    print(f"  false alarm clinical {rate(fig.get('fa_clinical', 0), o)}  similarity "
          f"{rate(fig.get('fa_similarity', 0), o)}  both {rate(fig.get('fa_both', 0), o)}  crisis "
          f"{fig.get('fa_crisis', 0)}")
    print("  category              recall          false alarms")
    for cat, (n, hit, cn, fa) in fig["per_category"].items():
        print(f"    {cat:20s} {rate(hit, n):16s} {rate(fa, cn)}")
    print("  control kind: " + ", ".join(f"{k} {rate(fa, n)}" for k, (n, fa) in fig["per_kind"].items()))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="MEDCITE_HOME whose embedding model to use")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--show", action="store_true", help="list the dev misses and false alarms")
    args = parser.parse_args(argv)

    from medcite.embedding.model import Embedder
    from medcite.settings import Settings
    from medcite.triage import Triage

    settings = Settings(home=args.home) if args.home else Settings()
    embedder = Embedder(settings, threads=settings.query_torch_threads)
    words = embedder.word_list()
    triage = Triage(encode=embedder.embed_documents, known_words=words, cache_dir=settings.models_dir,
                    model_key=f"{settings.embedding_model}|{settings.embedding_backend}")
    clinical = Triage(known_words=words)
    report: dict = {}
    all_rows: list = []
    all_results: list = []
    elapsed: list[float] = []

    def run(text: str):
        started = time.perf_counter()
        both = triage.run(text)
        elapsed.append((time.perf_counter() - started) * 1000)
        return clinical.run(text).level, both

    for path, label in TRIAGE_DEV:
        rows = load(path)
        results = [run(q.question) for q in rows]
        report[label] = score(rows, results)
        print_set(label, report[label])
        all_rows += rows
        all_results += results
    report["all triage dev"] = score(all_rows, all_results)
    print_set("all triage dev", report["all triage dev"])

    print("\n== ordinary questions (must not be flagged): flagged / crisis replies / similarity-only crisis")
    consumer: dict = {}
    shown: list[str] = []
    for path, label, keep in ORDINARY:
        if not path.is_file():
            print(f"  {label}: {path} absent (python evals/build_mediqa.py)")
            continue
        rows = load(path, keep)
        flags = crisis = sim_crisis = 0
        for q in rows:
            level, both = run(q.question)
            flags += both.flagged
            crisis += both.level == "self_harm"
            sim_crisis += both.level == "self_harm" and level != "self_harm"
            if both.flagged:
                shown.append(f"  [{label}] {both.level}: {q.question[:160]!r}")
        consumer[label] = {"n": len(rows), "flagged": flags, "crisis": crisis, "similarity_only_crisis": sim_crisis}
        print(f"  {label:24s} n {len(rows):3d}  flagged {flags:2d}  crisis {crisis:2d}  (similarity only {sim_crisis})")
    total = {k: sum(v[k] for v in consumer.values()) for k in ("n", "flagged", "crisis", "similarity_only_crisis")}
    consumer["total"] = total
    print(f"  {'total':24s} n {total['n']:3d}  flagged {total['flagged']:2d}  crisis {total['crisis']:2d}")
    report["ordinary_questions"] = consumer
    elapsed.sort()
    report["both_layers_ms"] = {"p50": round(elapsed[len(elapsed) // 2], 2),
                                "p95": round(elapsed[int(len(elapsed) * 0.95)], 2)}
    print(f"\nboth layers, this run (not the benchmark): p50 {report['both_layers_ms']['p50']} ms, "
          f"p95 {report['both_layers_ms']['p95']} ms over {len(elapsed)} messages")
    if args.show:
        print("\n== dev misses (urgent not flagged, or self-harm below its level) and false alarms")
        for q, (_level, both) in zip(all_rows, all_results, strict=True):
            want = q.meta["triage_level"]
            if want != "none" and (not both.flagged or (want == "self_harm" and both.level != "self_harm")):
                print(f"  MISS {q.meta['category']}/{want} got {both.level}: {q.question!r}")
        for q, (_level, both) in zip(all_rows, all_results, strict=True):
            if q.meta["triage_level"] == "none" and both.flagged:
                src = "+".join(k for k, v in both.layers.items() if v)
                print(f"  FALSE {q.meta['category']}/{q.meta['kind']} {both.level} [{src}] "
                      f"{[f.concept for f in both.red_flags]}: {q.question!r}")
        print("\n".join(shown))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
