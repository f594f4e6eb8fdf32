"""Train the answer relevance model (``src/medcite/qa/relevance.json``) from labelled dev answers.

Run from the repository root::

    .venv/bin/python evals/train_relevance.py --features   # re-read the features (needs the libraries below)
    .venv/bin/python evals/train_relevance.py              # fit from evals/relevance/features.jsonl, write the model

Data (``evals/relevance/``):

* ``labels.jsonl``: 1,274 labels of 1,198 sentences the offline engine showed (session-5 main, 5ed9b65) for 206 dev
  questions: handwritten answerable, patient-style MedQuAD, MEDIQA, PubMedQA dev, MedQuAD sample (dev splits only;
  never the blind-read round-3 sample). Three labellers, each reading only the questions, sentences and source titles,
  graded relevance ("answers" / "on_focus_other" / "off_topic"), stand-alone problems, heading fit and research kind;
  38 sentences were labelled by all three (34 agree exactly, 35 on answers-or-not). Sentences are keyed by the SHA-1
  of their text (MEDIQA's text may not be redistributed).
* ``labels_fresh.jsonl`` (session 10): 2,847 labels of the top ten ranked sentences of every relevance call on the
  203 fresh writers' questions of blind-read rounds 6-11 (dev since they were graded; long messages, several
  questions in one, each part labelled under its own question), five labellers reading only the message, the part,
  the sentence and its page title; 37 labelled twice (33 agree exactly, 34 on answers-or-not). Keyed by the part's
  SHA-1 too (``read_sha1``); their features, ``features_fresh.jsonl`` (``collect_relevance_fresh.py``; not committed),
  are read from the real answer path on the first ``--with-fresh`` run.
* ``features.jsonl``: the :data:`medcite.qa.relevance.FEATURES` of every ranked evidence sentence those questions
  produce, read by ``--features`` from the real answer path with the relevance step itself passed through (MEDIQA on
  its own library ``--mediqa-home``, the rest on ``--home``, the full shared library).

The model: logistic regression (C = 1) of "answers" against the other two labels; cross-validated by question
(5 folds) for the report; the threshold (:data:`THRESHOLD`) was read off that report: the share of each label kept.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "evals" / "relevance"
SETS = {"handwritten": "evals/sets/handwritten.jsonl", "medquad_patient": "evals/sets/medquad_patient.jsonl",
        "mediqa": "evals/sets/local/mediqa.jsonl", "pubmedqa_dev": "evals/sets/pubmedqa_dev.jsonl",
        "medquad_sample": "evals/sets/medquad_sample.jsonl"}
THRESHOLD = 0.35  # keeps 0.88 of "answers", 0.46 of "on_focus_other", 0.15 of "off_topic" (cross-validated)
# ``--with-fresh`` (session 10, measured and not shipped): trained on both label sets at 0.28 (on the fresh labels,
# cross-validated, it keeps 0.70 of "answers" as the shipped model does, 0.33 of "on_focus_other" against 0.41, 0.10
# of "off_topic" against 0.13; AUC on them 0.756 -> 0.780), it cut irrelevant sentences in the round-12 blind read
# (9.8 -> 8.1 and 9.2 -> 7.6 per 5 answers) but lowered usefulness (2.05 -> 1.93, 2.07 -> 1.93): its probabilities
# sit lower (the fresh labels answer less often), so the verdict gate (``compose.VERDICT_MIN_ANSWERS``, 0.5) hid
# right verdicts ("Is plague still found in the United States today?" lost its "Yes.") and research findings were
# dropped; must-mention on noisy.jsonl dev fell 0.578 -> 0.548.
C = 1.0


def sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_features(home: str, mediqa_home: str) -> list[dict]:
    """Every ranked evidence sentence's features for the labelled questions, from the real answer path."""
    import medcite.qa.offline as offline
    from medcite.qa import relevance
    from medcite.qa.service import AnswerService
    from medcite.settings import Settings

    wanted = defaultdict(set)
    for row in read_jsonl(DATA / "labels.jsonl"):
        wanted[row["set"]].add(row["question_id"])
    calls: list[list[dict]] = []
    real = relevance.shown

    def spy(evidence, passages, question, similarity, focus_rank=None, model=None, vectors=None, keep_best=True):
        if similarity is not None and question and evidence.ranked and any(p.similarity is not None for p in passages):
            ranked = evidence.ranked[:relevance.SCORED]
            rows = relevance.features(ranked, passages, question, similarity, focus_rank, vectors)
            calls[-1].extend({"sentence_sha1": sha(e.text), "x": x} for e, x in zip(ranked, rows, strict=True))
        return evidence  # passed through: the features are those of the unfiltered evidence

    offline.relevance.shown = spy
    out, services = [], {}
    try:
        for name, path in SETS.items():
            rows = [r for r in read_jsonl(ROOT / path) if r["id"] in wanted[name]]
            place = mediqa_home if name == "mediqa" else home
            services.setdefault(place, AnswerService(Settings(home=place)))
            for row in rows:
                calls.append([])
                services[place].answer(row["question"])
                seen = set()
                for item in calls[-1]:
                    if item["sentence_sha1"] not in seen:
                        seen.add(item["sentence_sha1"])
                        out.append({"question_id": row["id"], "set": name, **item})
    finally:
        offline.relevance.shown = real
    return out


def key(row: dict) -> tuple[str, ...]:
    """A label's or a feature row's key: the question, the question part read (fresh labels: a several-question
    message's sentence is labelled under each part it was scored for), the sentence."""
    return (row["question_id"], row.get("read_sha1", ""), row["sentence_sha1"])


def fit(labels: list[dict], feats: list[dict]):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold, cross_val_predict

    x_of = {key(f): f["x"] for f in feats}
    rows = [(x_of[key(lab)], lab) for lab in labels if key(lab) in x_of]
    x = np.array([r[0] for r in rows], float)
    y = np.array([r[1]["relevance"] == "answers" for r in rows])
    kind = np.array([r[1]["relevance"] for r in rows])
    groups = [r[1]["question_id"] for r in rows]
    cv = cross_val_predict(LogisticRegression(C=C, max_iter=2000), x, y, groups=groups, cv=GroupKFold(5),
                           method="predict_proba")[:, 1]
    fresh = np.array([bool(r[1].get("read_sha1")) for r in rows])

    def kept(mask) -> dict:
        return {f"{t:.2f}": {k: round(float((cv[mask & (kind == k)] >= t).mean()), 3)
                             for k in ("answers", "on_focus_other", "off_topic") if (mask & (kind == k)).any()}
                for t in (0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)}

    report = {"labelled_with_features": len(rows), "labels": len(labels), "cv_auc": round(roc_auc_score(y, cv), 3),
              "kept_by_threshold": kept(np.ones(len(rows), bool))}
    if fresh.any() and (~fresh).any():  # the two label sets apart (cross-validated on both together)
        report["first_labels"] = {"n": int((~fresh).sum()), "cv_auc": round(roc_auc_score(y[~fresh], cv[~fresh]), 3),
                                  "kept_by_threshold": kept(~fresh)}
        report["fresh_labels"] = {"n": int(fresh.sum()), "cv_auc": round(roc_auc_score(y[fresh], cv[fresh]), 3),
                                  "kept_by_threshold": kept(fresh)}
    model = LogisticRegression(C=C, max_iter=2000).fit(x, y)
    return model, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", action="store_true", help="re-read evals/relevance/features.jsonl first")
    parser.add_argument("--home", default=os.environ.get("MEDCITE_HOME", "/tmp/full-home"))
    parser.add_argument("--mediqa-home", default="/tmp/mediqa-home")
    parser.add_argument("--with-fresh", action="store_true",
                        help="fit on labels_fresh.jsonl too (measured in session 10, not shipped)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from medcite.qa.relevance import FEATURES, MODEL_FILE

    if args.features:
        feats = read_features(args.home, args.mediqa_home)
        (DATA / "features.jsonl").write_text("".join(json.dumps(f) + "\n" for f in feats), encoding="utf-8")
        from collect_relevance_fresh import PER_CALL, ROUNDS, read_fresh

        fresh, _ = read_fresh(args.home, list(ROUNDS), PER_CALL)
        (DATA / "features_fresh.jsonl").write_text("".join(json.dumps(f) + "\n" for f in fresh), encoding="utf-8")
    feats = read_jsonl(DATA / "features.jsonl")
    labels = read_jsonl(DATA / "labels.jsonl")
    if args.with_fresh:
        if not (DATA / "features_fresh.jsonl").exists():  # not committed (1.6 MB): read from the real answer path
            from collect_relevance_fresh import PER_CALL, ROUNDS, read_fresh

            fresh, _ = read_fresh(args.home, list(ROUNDS), PER_CALL)
            (DATA / "features_fresh.jsonl").write_text("".join(json.dumps(f) + "\n" for f in fresh), encoding="utf-8")
        feats += read_jsonl(DATA / "features_fresh.jsonl")
        labels += read_jsonl(DATA / "labels_fresh.jsonl")
    model, report = fit(labels, feats)
    MODEL_FILE.write_text(json.dumps({
        "features": list(FEATURES), "coef": [round(float(c), 6) for c in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6), "threshold": THRESHOLD, "trained_on": report,
    }, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
