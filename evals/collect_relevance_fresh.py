"""Sentences to label for the relevance model from the fresh writers' questions (blind-read rounds 6-11, dev).

    .venv/bin/python evals/collect_relevance_fresh.py --out /tmp/relevance-fresh [--rounds 6 7 8 9 10 11]

Why. The model's first 1,274 labels came from dev sets whose questions are short and single (MedQuAD templates,
PubMedQA titles, MEDIQA); the blind reads of rounds 10 and 11 found its commonest miss on the fresh writers'
messages: long, several questions in one, each part given a near-topic sentence that does not answer it. Those
questions were read once, graded, and are dev since; here every call of the relevance step on them (the whole
message, and each question of a several-question message) is recorded from the real answer path, with the top
``--per-call`` ranked sentences of each call and their features.

Writes ``OUT/features.jsonl`` (question id, the read question's SHA-1, sentence SHA-1, features) and
``OUT/to_label.jsonl`` (the same keys with the texts a labeller reads: the message, the question part, the sentence
and its page title). The texts stay out of the repository (MEDIQA-style rule: labels are keyed by SHA-1).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = (6, 7, 8, 9, 10, 11)  # the fresh writers' rounds read and graded before these labels (dev since)
PER_CALL = 10  # the top sentences of each relevance call that were labelled


def sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def read_fresh(home: str, rounds: list[int], per_call: int) -> tuple[list[dict], list[dict]]:
    """(features, items to label) of every relevance call on the rounds' questions, from the real answer path."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "evals" / "blind"))
    import answers as blind  # evals/blind/answers.py: the rounds' question files

    import medcite.qa.offline as offline
    from medcite.qa import relevance
    from medcite.qa.service import AnswerService
    from medcite.settings import Settings

    calls: list[dict] = []
    real = relevance.shown

    def spy(evidence, passages, question, similarity, focus_rank=None, model=None, vectors=None, keep_best=True):
        if similarity is not None and question and evidence.ranked and any(p.similarity is not None for p in passages):
            ranked = evidence.ranked[:relevance.SCORED]
            rows = relevance.features(ranked, passages, question, similarity, focus_rank, vectors)
            calls.append({"read": question, "items": list(zip(ranked, rows, strict=True))})
        return real(evidence, passages, question, similarity, focus_rank, model, vectors, keep_best)

    offline.relevance.shown = spy
    service = AnswerService(Settings(home=home))
    feats, to_label = [], []
    try:
        for round_ in rounds:
            for i, row in enumerate(blind.read_rows(ROOT / blind.FRESH[round_]), 1):
                qid = f"fresh-r{round_}-{i}"
                calls.clear()
                if service.answer(row["question"]).triage.withholds_answer:
                    continue
                seen: set[tuple[str, str]] = set()
                for call in calls:
                    read_sha = sha(call["read"])
                    for rank, (e, x) in enumerate(call["items"]):
                        key = (read_sha, sha(e.text))
                        if key in seen:
                            continue
                        seen.add(key)
                        feats.append({"question_id": qid, "set": "fresh", "read_sha1": read_sha,
                                      "sentence_sha1": sha(e.text), "x": x})
                        if rank < per_call:
                            to_label.append({"question_id": qid, "read_sha1": read_sha, "sentence_sha1": sha(e.text),
                                             "message": row["question"], "question_part": call["read"],
                                             "page_title": " ".join(e.chunk.title.split()), "sentence": e.text})
    finally:
        offline.relevance.shown = real
        service.close()
    return feats, to_label


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--home", default=os.environ.get("MEDCITE_HOME", "/tmp/full-home"))
    parser.add_argument("--rounds", type=int, nargs="+", default=list(ROUNDS))
    parser.add_argument("--per-call", type=int, default=PER_CALL)
    args = parser.parse_args(argv)
    feats, to_label = read_fresh(args.home, args.rounds, args.per_call)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "features.jsonl").write_text("".join(json.dumps(f) + "\n" for f in feats), encoding="utf-8")
    (args.out / "to_label.jsonl").write_text("".join(json.dumps(t) + "\n" for t in to_label), encoding="utf-8")
    print(f"{len(to_label)} sentences to label ({len(feats)} with features) from "
          f"{len({t['question_id'] for t in to_label})} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
