"""Triage by writer: hold one writer's messages out, train the classifier on the rest, score that writer (round 5).

Run from the repository root: ``.venv/bin/python evals/triage_lowo.py [--home DIR] [--json OUT] [--veto |
--committed] [--cache DIR] [--no-vote]`` (``--veto``: the committed bars with the veto of clinical flags at 0 to
0.2; ``--committed``: the committed settings only, for a change to the bank or the layer; ``--cache``: each fold's
classifier is kept under DIR by its training digest, so a change to the layer's code and not to the training texts
is scored again without training; ``--no-vote``: no exemplar-vote rows). About 20 minutes on 2 cores for eleven
writers (round 7; ``--committed``: about 10); training the twelve folds of round 8 took about 45 minutes on a loaded
2-core machine, a cached ``--committed --no-vote`` run a few.

Every held-out set so far scored well below the dev sets it followed (round 4: dev false alarms 0.031, held-out E
0.095; recall 1.000 vs 0.925). Each writer has a voice, and a method tuned on some writers' messages overfits their
wording. The honest estimate of what transfers to a *new* writer is to hold out one writer at a time. This script
reads the writers' raw files of ``evals/triage/`` (``train_triage.WRITERS``: nine in round 6, 3,625 messages;
eleven in round 7, 4,499; twelve since round 8, 4,940, held-out K added; each either reported once already or
written for training only) and, for each writer
in turn, runs ``Triage.run`` on that writer's messages with

* ``vote``: the exemplar vote of round 4 (no classifier);
* ``classifier ...``: the classifier trained (``train_triage.fit``) on the exemplars and the *other* writers,
  at each point of a small grid of ``LearnedSettings`` (``VARIANTS``); the committed point was chosen from the
  means printed here (``learned.LearnedSettings``).

The clinical layer is the same in both and was written with sight of every writer's misses but E's, so its share
is in-sample for five writers (E's row is its honest row); the exemplar bank's round-4 lines were written after
reading ``dev_r4``'s misses, so the vote's ``r4`` row is in-sample too. Figures per writer: urgent recall,
self-harm level (self-harm messages given it), false alarms on ordinary messages and crisis replies among them,
Spanish recall and false alarms; then the mean over writers (over the five with self-harm messages for the
self-harm level).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_triage import TRAINING_ONLY, UNUSED, WRITERS, digest, examples, fit, load_writer  # noqa: E402

FIGURES = ("recall", "self_harm_level", "false_alarms", "crisis_to_ordinary", "spanish_recall",
           "spanish_false_alarms")


def _variants() -> dict:
    """Round 5's grid of bars (``learned.LearnedSettings``), then the committed bars with the classifier's veto of
    clinical flags at a few levels."""
    from medcite.triage.learned import LearnedSettings

    grid = {f"classifier u{u} sh{sh}{' +vote' if v else ''}": LearnedSettings(urgent=u, self_harm=sh, self_harm_vote=v)
            for u in (0.9, 0.95) for sh in (0.5, 0.7) for v in (False, True)}
    if "--veto" in sys.argv:
        grid = {f"committed, veto {veto}": LearnedSettings(veto=veto) for veto in (0.0, 0.02, 0.05, 0.1, 0.2)}
    if "--history" in sys.argv:  # round 8: the settled-history readings
        grid = {f"committed, history self-harm {h}{'' if w else ', whole unchanged'}":
                LearnedSettings(history_self_harm=h, settled_whole=w)
                for h, w in ((0.7, True), (0.9, True), (0.95, True), (0.9, False))}
    if "--committed" in sys.argv:
        grid = {"committed": LearnedSettings()}
    return grid


VARIANTS = _variants()


def figures(messages: list[dict], levels: list[str]) -> dict:
    urgent = [lv for m, lv in zip(messages, levels, strict=True) if m["level"] != "none"]
    ordinary = [lv for m, lv in zip(messages, levels, strict=True) if m["level"] == "none"]
    harm = [lv for m, lv in zip(messages, levels, strict=True) if m["level"] == "self_harm"]
    spanish = [lv for m, lv in zip(messages, levels, strict=True) if m["level"] != "none" and m["lang"] == "es"]
    spanish_ordinary = [lv for m, lv in zip(messages, levels, strict=True)
                        if m["level"] == "none" and m["lang"] == "es"]
    return {"recall": sum(lv != "none" for lv in urgent) / len(urgent),
            "self_harm_level": sum(lv == "self_harm" for lv in harm) / len(harm) if harm else None,
            "false_alarms": sum(lv != "none" for lv in ordinary) / len(ordinary),
            "crisis_to_ordinary": sum(lv == "self_harm" for lv in ordinary), "n": len(messages),
            "spanish_recall": sum(lv != "none" for lv in spanish) / len(spanish) if spanish else None,
            "spanish_false_alarms": (sum(lv != "none" for lv in spanish_ordinary) / len(spanish_ordinary)
                                     if spanish_ordinary else None)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--veto", action="store_true", help="score the classifier's veto of clinical flags instead "
                        "of the grid of bars")
    parser.add_argument("--committed", action="store_true", help="score the committed settings only")
    parser.add_argument("--history", action="store_true", help="score round 8's settled-history bars instead")
    parser.add_argument("--cache", type=Path, help="keep each fold's classifier here, named by its training digest "
                        "(a change to the layer's code, not to the training texts, then costs no training)")
    parser.add_argument("--no-vote", action="store_true", help="skip the exemplar vote's rows")
    parser.add_argument("--held", help="hold out only these writers (comma-separated); default: every writer not "
                        "in train_triage.TRAINING_ONLY")
    parser.add_argument("--with", dest="with_", default="", help="train every fold on these writers of "
                        "train_triage.UNUSED too (comma-separated), to measure what they add")
    args = parser.parse_args(argv)

    from medcite.embedding.model import Embedder
    from medcite.settings import Settings
    from medcite.triage import Triage
    from medcite.triage.learned import read_classifier
    from medcite.triage.similarity import load_exemplars

    settings = Settings(home=args.home) if args.home else Settings()
    embedder = Embedder(settings, threads=settings.query_torch_threads)
    model_key = f"{settings.embedding_model}|{settings.embedding_backend}"
    memo: dict[str, np.ndarray] = {}

    def encode(texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in memo]
        if new:
            memo.update(zip(new, np.asarray(embedder.embed_documents(new), dtype=np.float32), strict=True))
        return np.stack([memo[t] for t in texts])

    triage = Triage(encode=encode, known_words=embedder.word_list(), cache_dir=settings.models_dir,
                    model_key=model_key)
    exemplars = load_exemplars()
    messages = {name: load_writer(name) for name in WRITERS}
    bank = dict(zip([e.text for e in exemplars], triage.similarity.vectors, strict=True))
    memo.update(bank)
    report: dict = {}
    dropped = UNUSED - {w for w in args.with_.split(",") if w}
    folds = args.held.split(",") if args.held else [w for w in WRITERS if w not in TRAINING_ONLY]
    for held in folds:
        others = [m for name, rows in messages.items() if name != held and name not in dropped for m in rows]
        pairs = examples(others, triage.readings, exemplars)
        print(f"{held}: training on {len(pairs)} texts", file=sys.stderr)
        cached = args.cache / f"fold-{digest(pairs, model_key)}.npz" if args.cache else None
        if cached is not None and cached.is_file():
            classifier = read_classifier(cached)
        else:
            classifier = fit(pairs, encode([t for t, _ in pairs]), model_key)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                classifier.save(cached)
        report.setdefault(held, {})
        if not args.no_vote:
            triage.similarity.classifier = None
            levels = [triage.run(m["text"]).level for m in messages[held]]
            report[held]["vote"] = figures(messages[held], levels)
        triage.similarity.classifier = classifier
        for name, learned in VARIANTS.items():
            triage.similarity.learned = learned
            levels = [triage.run(m["text"]).level for m in messages[held]]
            report[held][name] = figures(messages[held], levels)
    writers = list(report.values())
    shown = (*(() if args.no_vote else ("vote",)), *VARIANTS)
    for variant in shown:
        mean = {}
        for key in FIGURES:
            values = [r[variant][key] for r in writers if r[variant][key] is not None]
            mean[key] = sum(values) / len(values)
        report.setdefault("mean", {})[variant] = mean
    for variant in shown:
        print(f"== {variant}: recall, self-harm level, false alarms (crisis replies to ordinary)")
        for held, row in report.items():
            f = row[variant]
            sh = "  -  " if f["self_harm_level"] is None else f"{f['self_harm_level']:.3f}"
            es = " ".join("  -  " if f[k] is None else f"{f[k]:.3f}"
                          for k in ("spanish_recall", "spanish_false_alarms"))
            print(f"  {held:6s} {f['recall']:.3f} {sh} {f['false_alarms']:.3f} ({f['crisis_to_ordinary']:g})  es {es}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
