"""Build evals/sets/triage.jsonl (780 messages, split dev/test by hash), evals/sets/triage_heldout.jsonl (477),
evals/sets/triage_heldout_d.jsonl (348) and evals/sets/triage_dev.jsonl (335, every message dev).

Run from anywhere: ``.venv/bin/python evals/build_triage.py [triage heldout heldout_d heldout_e dev heldout_f
heldout_g]``
(default: all four; name one to rebuild only it, so that building the dev set never opens a held-out file).
Reads ``evals/triage/messages_*.jsonl``: messages written for MedCite by two writers who saw neither the triage
code nor its exemplar bank (``src/medcite/triage/exemplars.jsonl``, written separately),
in the format of ``evals/triage/SCHEMA.md``:
patients, parents, carers, clinicians; terse and rambling; typos, lay words, numbers with units; about 8% in
Spanish; near-miss controls (negation, history, prevention, information, hypothetical, mild) on the same topics.

``evals/triage/heldout_c.jsonl`` is a third writer's 477 messages (248 urgent, 229 ordinary), written after the
first test-split report with no sight of the code, the exemplars or the other sets: every message is ``test``
(nobody tunes on it), and it was run once, with round 2 frozen (docs/evals.md, "Triage").

``evals/triage/dev_*.jsonl`` are development messages written for round 4 (``dev_r4``: 335, 176 urgent and 159
ordinary, 34 in Spanish, 40 of 80-130 words with the red flag or its near miss buried in a long message), by a
writer who had read the triage code and the round-3 figures but not the held-out sets. Every message is ``dev``:
round 4 measured the code on it before changing anything, then tuned on it (docs/evals.md, round 4).

``evals/triage/heldout_f.jsonl`` is round 5's held-out set: a fresh writer's 440 messages (220 urgent, 50 at the
self-harm level; 220 ordinary, 170 near misses; 70 in Spanish), written with no sight of the code, the exemplars or
any set, kept unread until round 5's code was frozen, then run once (docs/evals.md, round 5). Once reported it joined
the training messages of ``evals/train_triage.py`` (round 6).

``evals/triage/heldout_g.jsonl`` is round 6's held-out set: a fresh writer's 440 messages (220 urgent, 54 at the
self-harm level; 70 in Spanish; voices from many English-speaking countries, non-native writers, texting shorthand),
written with no sight of the code, the exemplars or any set, kept unread (read-only file) until round 6's code was
frozen, then run once. Once reported it joined the training messages of ``evals/train_triage.py`` (round 7): G is
spent, now development data. ``evals/triage/train_*.jsonl`` are training-only messages, in no eval set: round 6's
two more writers (H: health workers and clinical shorthand, I: teenagers, forums, long stories, slang; 429 and 416
after dropping near duplicates of held-out G by cosine >= 0.92 or word overlap >= 0.6) and round 7's writer J
(434: settled histories of every category, past suicide attempts and overdoses among them; urgent messages with a
past history and something happening now; idioms and dosage questions; Spanish; poisonings and emergencies stated
flatly; older adults writing letters, dictated voice-to-text, farm and site workers, carers; written by a writer who
had read G's report, after dropping those within 0.88 cosine or 0.55 word overlap of any set, writer file, exemplar,
regression question or test message).

Each message becomes one question:

- id ``triage-<sha256(text)[:12]>`` (content hash); group ``emergency`` for every message whose level is not
  ``none``, else ``ordinary``; no relevant documents (triage is judged on the flag, not on retrieval);
- ``meta``: ``triage_level`` (emergency / urgent / self_harm / poisoning / none), ``category``, ``kind``,
  ``voice``, ``lang`` and ``writer``;
- split: within each (category, urgent or not) stratum, ids ordered by sha256("medcite-triage-v1:<id>"), the first
  half (rounded up) dev, the rest test (``medcite.evals.datasets.assign_splits``). The split was fixed before any
  tuning; thresholds and lexicon were tuned on dev only, and test is reported once (docs/evals.md).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

from medcite.evals.datasets import EvalQuestion, assign_splits, write_eval_set

HERE = Path(__file__).resolve().parent
SOURCES = sorted((HERE / "triage").glob("messages_*.jsonl"))
HELDOUT = HERE / "triage" / "heldout_c.jsonl"
OUT = HERE / "sets" / "triage.jsonl"
OUT_HELDOUT = HERE / "sets" / "triage_heldout.jsonl"
HELDOUT_D = HERE / "triage" / "heldout_d.jsonl"
OUT_HELDOUT_D = HERE / "sets" / "triage_heldout_d.jsonl"
HELDOUT_E = HERE / "triage" / "heldout_e.jsonl"  # round 4's held-out set, written by a fresh writer, run once
OUT_HELDOUT_E = HERE / "sets" / "triage_heldout_e.jsonl"
HELDOUT_F = HERE / "triage" / "heldout_f.jsonl"  # round 5's held-out set, a fresh writer, run once
OUT_HELDOUT_F = HERE / "sets" / "triage_heldout_f.jsonl"
HELDOUT_G = HERE / "triage" / "heldout_g.jsonl"  # round 6's held-out set, a fresh writer, run once
OUT_HELDOUT_G = HERE / "sets" / "triage_heldout_g.jsonl"
HELDOUT_K = HERE / "triage" / "heldout_k.jsonl"  # round 7's held-out set, a fresh writer, run once
OUT_HELDOUT_K = HERE / "sets" / "triage_heldout_k.jsonl"
HELDOUT_L = HERE / "triage" / "heldout_l.jsonl"  # round 8's held-out set, a fresh writer, run once
OUT_HELDOUT_L = HERE / "sets" / "triage_heldout_l.jsonl"
HELDOUT_M = HERE / "triage" / "heldout_m.jsonl"  # round 9's held-out set, a fresh writer, run once
OUT_HELDOUT_M = HERE / "sets" / "triage_heldout_m.jsonl"
HELDOUT_O = HERE / "triage" / "heldout_o.jsonl"  # round 9's second held-out set, a fresh writer, run once
OUT_HELDOUT_O = HERE / "sets" / "triage_heldout_o.jsonl"
HELDOUT_P = HERE / "triage" / "heldout_p.jsonl"  # round 10's held-out set, a fresh writer, run once
OUT_HELDOUT_P = HERE / "sets" / "triage_heldout_p.jsonl"
HELDOUT_Q = HERE / "triage" / "heldout_q.jsonl"  # round 10's second held-out set, a fresh writer, run once
OUT_HELDOUT_Q = HERE / "sets" / "triage_heldout_q.jsonl"
HELDOUT_R = HERE / "triage" / "heldout_r.jsonl"  # round 11's held-out set, a fresh writer, run once
OUT_HELDOUT_R = HERE / "sets" / "triage_heldout_r.jsonl"
HELDOUT_S = HERE / "triage" / "heldout_s.jsonl"  # round 11's second held-out set, a fresh writer, run once
OUT_HELDOUT_S = HERE / "sets" / "triage_heldout_s.jsonl"
TRAIN_SOURCES = sorted((HERE / "triage").glob("train_*.jsonl"))
DEV_SOURCES = sorted((HERE / "triage").glob("dev_*.jsonl"))
OUT_DEV = HERE / "sets" / "triage_dev.jsonl"
SEED = "medcite-triage-v1"
LEVELS = ("emergency", "urgent", "self_harm", "poisoning", "none")


def read_messages(paths: list[Path]) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    for path in paths:
        writer = path.stem.removeprefix("messages_").removeprefix("heldout_")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("level") not in LEVELS:
                raise SystemExit(f"{path}:{number}: level must be one of {', '.join(LEVELS)}")
            key = " ".join(row["text"].split()).lower()
            if key in seen:
                continue
            seen.add(key)
            rows.append({**row, "writer": writer})
    return rows


def build(paths: list[Path] = SOURCES, *, all_test: bool = False, all_dev: bool = False,
          besides: tuple[Path, ...] = ()) -> list[EvalQuestion]:
    """The eval set of the messages in ``paths``; a message already in one of the ``besides`` sources (written the
    same by two writers, e.g. "what are the signs of pre-eclampsia") is left out, so ids stay unique across sets."""
    taken = {" ".join(r["text"].split()).lower() for r in read_messages(list(besides))} if besides else set()
    rows = [r for r in read_messages(paths) if " ".join(r["text"].split()).lower() not in taken]
    for row in rows:
        row["id"] = "triage-" + hashlib.sha256(row["text"].encode("utf-8")).hexdigest()[:12]
    strata: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for row in rows:
        strata[(row["category"], row["level"] != "none")].append(row["id"])
    split: dict[str, str] = {}
    for ids in strata.values():
        if all_test or all_dev:
            split.update({i: "test" if all_test else "dev" for i in ids})
        else:
            split.update(assign_splits(ids, seed=SEED))
    return [
        EvalQuestion(
            id=row["id"], question=row["text"], relevant={},
            group="ordinary" if row["level"] == "none" else "emergency", split=split[row["id"]],
            meta={"triage_level": row["level"], "category": row["category"], "kind": row["kind"],
                  "voice": row["voice"], "lang": row["lang"], "writer": row["writer"]},
        )
        for row in rows
    ]


TARGETS = {  # name -> (output, how to build it); each reads only its own sources
    "triage": (OUT, lambda: build()),
    "heldout": (OUT_HELDOUT, lambda: build([HELDOUT], all_test=True)),
    "heldout_d": (OUT_HELDOUT_D, lambda: build([HELDOUT_D], all_test=True)),
    # held-out E and the round-4 dev set leave out the few messages the main set (and, for E, the dev set) already
    # holds word for word: two ordinary information questions each, identical by chance
    "heldout_e": (OUT_HELDOUT_E, lambda: build([HELDOUT_E], all_test=True, besides=(*SOURCES, *DEV_SOURCES))),
    "dev": (OUT_DEV, lambda: build(DEV_SOURCES, all_dev=True, besides=tuple(SOURCES))),
    "heldout_f": (OUT_HELDOUT_F, lambda: build([HELDOUT_F], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E))),
    "heldout_g": (OUT_HELDOUT_G, lambda: build([HELDOUT_G], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F))),
    "heldout_k": (OUT_HELDOUT_K, lambda: build([HELDOUT_K], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F, HELDOUT_G, *TRAIN_SOURCES))),
    "heldout_l": (OUT_HELDOUT_L, lambda: build([HELDOUT_L], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F, HELDOUT_G, HELDOUT_K, *TRAIN_SOURCES))),
    "heldout_m": (OUT_HELDOUT_M, lambda: build([HELDOUT_M], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F, HELDOUT_G, HELDOUT_K, HELDOUT_L, *TRAIN_SOURCES))),
    "heldout_o": (OUT_HELDOUT_O, lambda: build([HELDOUT_O], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F, HELDOUT_G, HELDOUT_K, HELDOUT_L, HELDOUT_M,
                                                        *TRAIN_SOURCES))),
    "heldout_p": (OUT_HELDOUT_P, lambda: build([HELDOUT_P], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F, HELDOUT_G, HELDOUT_K, HELDOUT_L, HELDOUT_M,
                                                        HELDOUT_O, *TRAIN_SOURCES))),
    "heldout_q": (OUT_HELDOUT_Q, lambda: build([HELDOUT_Q], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F, HELDOUT_G, HELDOUT_K, HELDOUT_L, HELDOUT_M,
                                                        HELDOUT_O, HELDOUT_P, *TRAIN_SOURCES))),
    "heldout_r": (OUT_HELDOUT_R, lambda: build([HELDOUT_R], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F, HELDOUT_G, HELDOUT_K, HELDOUT_L, HELDOUT_M,
                                                        HELDOUT_O, HELDOUT_P, HELDOUT_Q, *TRAIN_SOURCES))),
    "heldout_s": (OUT_HELDOUT_S, lambda: build([HELDOUT_S], all_test=True,
                                               besides=(*SOURCES, *DEV_SOURCES, HELDOUT, HELDOUT_D, HELDOUT_E,
                                                        HELDOUT_F, HELDOUT_G, HELDOUT_K, HELDOUT_L, HELDOUT_M,
                                                        HELDOUT_O, HELDOUT_P, HELDOUT_Q, HELDOUT_R, *TRAIN_SOURCES))),
}


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv) or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        print(f"unknown target(s) {', '.join(unknown)}; choose from {', '.join(TARGETS)}", file=sys.stderr)
        return 2
    if not SOURCES or not DEV_SOURCES:
        print(f"no messages_*.jsonl or dev_*.jsonl under {HERE / 'triage'}", file=sys.stderr)
        return 1
    for name in names:
        out, make = TARGETS[name]
        questions = make()
        write_eval_set(out, questions)
        urgent = sum(q.group == "emergency" for q in questions)
        dev = sum(q.split == "dev" for q in questions)
        print(f"wrote {len(questions)} messages ({urgent} urgent, {len(questions) - urgent} ordinary; "
              f"{dev} dev, {len(questions) - dev} test) to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
