"""Decision accuracy of ``medcite.qa.decision.decide`` on PubMedQA, from the evidence the offline engine selects.

Usage (the library must hold the PubMedQA abstracts; dev is for tuning, test is run once, at the end):

    MEDCITE_HOME=/tmp/full-home HF_HUB_OFFLINE=1 MEDCITE_TORCH_THREADS=1 .venv/bin/python evals/decisions.py \\
        --split dev --cache /tmp/decisions-dev.json
    .venv/bin/python evals/decisions.py --from-cache /tmp/decisions-dev.json     # re-score without retrieving

For each question of the split: the service's question analysis, ``Retriever.search_both_kinds`` (the ranking and
the per-kind extras, as ``AnswerService.stream``), then ``select_evidence`` with the offline engine's settings on
``analysis.asked`` (as ``compose_offline``), and ``compose_offline`` itself for the abstention. Every selected
evidence sentence becomes a ``Finding`` (``findings_of``); ``decide(question, findings)`` gives the verdict and
``Verdict.pubmedqa`` its yes/no/maybe. The report gives accuracy over all questions (an abstained answer still gets
the verdict of its evidence, and is also reported apart), the confusion matrix (rows gold, columns predicted), the
always-"yes" baseline of the split, the old answer-text heuristic (``medcite.evals.decision``) on the same answers,
and the time of one ``decide`` call.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from medcite.evals.datasets import load_eval_set, split_filter
from medcite.qa.decision import TUNING, Finding, decide, findings_of

HERE = Path(__file__).resolve().parent
SET = HERE / "sets" / "pubmedqa_dev.jsonl"
LABELS = ("yes", "no", "maybe")
# The grid --tune searches (dev only); the other Tuning fields keep their defaults.
GRID: dict[str, tuple[float, ...]] = {
    "result": (0.15, 0.3, 0.5, 0.8),
    "background": (0.0, 0.1, 0.3),
    "guideline": (0.0, 0.15, 0.3, 0.6, 1.0),
    "other_document": (0.1, 0.25, 0.5, 1.0),
    "relevance_power": (0.0, 1.0, 2.0, 4.0),
    "no_share": (0.2, 0.3, 0.4, 0.5),
    "maybe_share": (0.4, 0.6, 0.8, 1.0),  # 1.0: "mixed" only when every counted finding is hedged
}
FOLDS = 5


def gather(split: str, limit: int | None = None, eval_set: Path = SET) -> list[dict]:
    """Question, gold decision, abstention, findings (as dicts) and the old heuristic's reading, per question."""
    from medcite.evals.decision import extract_decision
    from medcite.qa.evidence import select_evidence
    from medcite.qa.offline import compose_offline
    from medcite.qa.service import AnswerService
    from medcite.settings import get_settings

    settings = get_settings()
    service = AnswerService(settings)
    offline = service.offline_settings
    questions = [q for q in split_filter(load_eval_set(eval_set), split) if q.decision][:limit]
    rows = []
    for i, q in enumerate(questions):
        analysis = service.analyzer.run(q.question)
        ranked, extra = service.retriever.search_both_kinds(q.question, settings.retrieve_k,
                                                            mode=settings.retrieval_mode, analysis=analysis)
        passages = ranked + extra
        evidence = select_evidence(analysis.asked, passages, min_relevance=offline.min_relevance,
                                   near_duplicate=offline.near_duplicate, min_words=offline.min_words,
                                   max_words=offline.max_words, history_weight=offline.history_weight,
                                   topic_share=offline.min_key_coverage)
        answer = compose_offline(q.question, passages, settings=offline, analysis=analysis)
        gold_docs = {doc for doc, grade in q.relevant.items() if grade > 0}
        rows.append({
            "id": q.id, "question": q.question, "gold": q.decision, "abstained": answer.abstained,
            "yes_no": analysis.yes_no, "heuristic": extract_decision(answer),
            "gold_retrieved": any(p.chunk.doc_id in gold_docs for p in passages),
            "findings": [{"text": f.text, "label": f.label, "kind": f.kind, "doc_id": f.doc_id, "score": f.score,
                          "gold": f.doc_id in gold_docs} for f in findings_of(evidence.ranked)],
        })
        if (i + 1) % 25 == 0:
            print(f"{i + 1}/{len(questions)}", file=sys.stderr)
    service.close()
    return rows


def score(rows: list[dict], *, show: int = 0) -> dict:
    """Accuracy, confusion, baselines and decide() latency over gathered rows."""
    confusion = {g: Counter() for g in LABELS}
    old = Counter()
    times = []
    correct = correct_answered = answered = covered = correct_covered = 0
    wrong = []
    for row in rows:
        findings = _findings(row)
        started = time.perf_counter()
        verdict = decide(row["question"], findings)
        times.append((time.perf_counter() - started) * 1000)
        predicted = verdict.pubmedqa
        confusion[row["gold"]][predicted] += 1
        correct += predicted == row["gold"]
        old[row["heuristic"] == row["gold"]] += 1
        if verdict.label != "unknown":
            covered += 1
            correct_covered += predicted == row["gold"]
        if not row["abstained"]:
            answered += 1
            correct_answered += predicted == row["gold"]
        if predicted != row["gold"]:
            wrong.append((row, verdict))
    n = len(rows)
    gold = Counter(r["gold"] for r in rows)
    for row, verdict in wrong[:show]:
        print(f"\n[{row['gold']} -> {verdict.pubmedqa} ({verdict.label}, {verdict.confidence:.2f})] {row['question']}")
        for i in verdict.basis:
            f = row["findings"][i]
            print(f"   * {f['label'] or '-'}{' (gold doc)' if f['gold'] else ''}: {f['text'][:220]}")
    return {
        "n": n,
        "accuracy": correct / n if n else None,
        "answered": answered,
        "accuracy_answered": correct_answered / answered if answered else None,
        "with_verdict": covered,
        "accuracy_with_verdict": correct_covered / covered if covered else None,
        "always_yes": gold["yes"] / n if n else None,
        "gold_counts": dict(gold),
        "old_heuristic": old[True] / n if n else None,
        "confusion": {g: {p: confusion[g][p] for p in LABELS} for g in LABELS},
        "decide_ms": {"mean": statistics.fmean(times) if times else None,
                      "p95": sorted(times)[int(0.95 * (len(times) - 1))] if times else None,
                      "max": max(times) if times else None},
    }


def _findings(row: dict) -> list[Finding]:
    return [Finding(**{k: v for k, v in f.items() if k != "gold"}) for f in row["findings"]]


def tune(rows: list[dict], folds: int = FOLDS) -> dict:
    """Grid search of :data:`GRID` on these (dev) rows, and its k-fold cross-validated accuracy.

    Folds are fixed by a hash of the question id. For each fold the grid point with the best accuracy on the other
    folds (ties: the one nearest the current defaults, then grid order) is scored on the held-out fold; the CV
    accuracy is the held-out hits over all rows. The point chosen on all rows is reported as ``chosen``.
    """
    prepared = [(row["question"], _findings(row), row["gold"]) for row in rows]
    fold_of = [int(hashlib.sha256(row["id"].encode()).hexdigest(), 16) % folds for row in rows]
    names = list(GRID)
    points = [dict(zip(names, values, strict=True)) for values in itertools.product(*(GRID[n] for n in names))]
    default = {n: getattr(TUNING, n) for n in names}

    def distance(point: dict) -> float:
        return sum(abs(GRID[n].index(point[n]) - GRID[n].index(default[n])) if default[n] in GRID[n] else 1
                   for n in names)

    hits = []  # hits[p][i]: point p right on row i
    for point in points:
        tuning = dataclasses.replace(TUNING, **point)
        hits.append([decide(q, f, tuning).pubmedqa == g for q, f, g in prepared])

    def best(keep: list[bool]) -> int:
        return max(range(len(points)), key=lambda p: (sum(h for h, k in zip(hits[p], keep, strict=True) if k),
                                                      -distance(points[p]), -p))

    held_out = 0
    per_fold = []
    for k in range(folds):
        train = [f != k for f in fold_of]
        p = best(train)
        right = sum(h for h, f in zip(hits[p], fold_of, strict=True) if f == k)
        per_fold.append({"fold": k, "n": fold_of.count(k), "right": right, "point": points[p]})
        held_out += right
    chosen = best([True] * len(rows))
    return {"cv_accuracy": held_out / len(rows), "folds": per_fold, "chosen": points[chosen],
            "chosen_dev_accuracy": sum(hits[chosen]) / len(rows),
            "default_dev_accuracy": sum(hits[points.index(default)]) / len(rows) if default in points else None,
            "grid_points": len(points)}


def print_report(result: dict, split: str) -> None:
    print(f"split {split}: {result['n']} questions ({result['gold_counts']})")
    print(f"  decide accuracy        {result['accuracy']:.3f}")
    if result["accuracy_answered"] is not None:
        print(f"  on answered ({result['answered']})      {result['accuracy_answered']:.3f}")
    print(f"  with a verdict ({result['with_verdict']})   {result['accuracy_with_verdict']:.3f}  (the rest are "
          "'unknown', scored as maybe)")
    print(f"  always-yes baseline    {result['always_yes']:.3f}")
    print(f"  old answer heuristic   {result['old_heuristic']:.3f}")
    print("  confusion (rows gold, columns predicted):")
    print("           " + "".join(f"{p:>7}" for p in LABELS))
    for g in LABELS:
        print(f"    {g:>6} " + "".join(f"{result['confusion'][g][p]:>7}" for p in LABELS))
    ms = result["decide_ms"]
    print(f"  decide(): mean {ms['mean']:.2f} ms, p95 {ms['p95']:.2f} ms, max {ms['max']:.2f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--set", default=str(SET), help="an eval set whose questions carry a gold decision")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--cache", help="write the gathered rows here (JSON)")
    parser.add_argument("--from-cache", help="score rows gathered before instead of retrieving")
    parser.add_argument("--show", type=int, default=0, help="print this many wrong verdicts with their basis")
    parser.add_argument("--out", help="write the result as JSON here")
    parser.add_argument("--tune", action="store_true", help="grid-search the Tuning on these rows (dev only), "
                        "with cross-validation")
    args = parser.parse_args(argv)
    if args.from_cache:
        data = json.loads(Path(args.from_cache).read_text(encoding="utf-8"))
        split, rows = data["split"], data["rows"]
    else:
        split, rows = args.split, gather(args.split, args.limit, Path(args.set))
        if args.cache:
            Path(args.cache).write_text(json.dumps({"split": split, "rows": rows}), encoding="utf-8")
    if args.tune:
        if split != "dev":
            parser.error("--tune runs on the dev split only")
        tuned = tune(rows)
        print(json.dumps(tuned, indent=2))
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(json.dumps({"split": split, **tuned}, indent=2) + "\n", encoding="utf-8")
        return 0
    result = score(rows, show=args.show)
    print_report(result, split)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"split": split, **result}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
