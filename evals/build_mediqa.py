"""Build evals/sets/local/mediqa.jsonl (MEDIQA 2019 QA dev questions) and the corpus file its library is built from.

Run from anywhere: ``.venv/bin/python evals/build_mediqa.py``; then ``make mediqa-library`` ingests the corpus
into ``$(MEDIQA_HOME)`` (default /tmp/mediqa-home). Reads ../shared/devsets/mediqa/{dev,corpus}.jsonl beside
the checkout. That data may not be redistributed (its README), so both outputs go to the git-ignored
``evals/sets/local/``; nothing of it is committed.

- Corpus: ``evals/sets/local/mediqa_corpus.jsonl`` is ``corpus.jsonl`` line for line, except that an empty
  ``title`` is filled with the heading the answer text starts with (the text before its first " (" or ":").
  MedCite's JSONL loader skips a line with an empty title, and 3 of the 697 documents have one
  (MEDIQA_Val_20_Answer7, MEDIQA_Val_20_Answer9, MEDIQA_Val_68_Answer9; all graded 0, i.e. distractors).
  The loader keeps ids as written, so the library's ids are exactly the set's: the script loads the written
  corpus with that loader and fails unless every line comes through with its id unchanged and every graded
  id of every question is among them.
- Questions: the 123 of ``dev.jsonl`` (101 Alexa template questions, 22 validation questions as people wrote
  them), id ``mediqa:<dev id>`` (``mediqa:Alexa-1``), text as given, ``relevant`` as given.
- Grades are kept as given: 3 = Excellent, 2 = Correct but incomplete, 1 = Related, 0 = Incorrect. The format
  allows any integer >= 0 and ``medcite.evals.metrics`` uses linear gain, so nDCG weighs an excellent answer
  3, a correct-but-incomplete one 2 and a related one 1. Recall@k, MRR and citation precision count every
  grade > 0 as relevant, so they include "Related" answers, which the task's own 0/1 label calls incorrect:
  they are lenient. ``meta.answers`` lists the documents graded 2 or 3 (the task's "correct" answers) for a
  strict recall computed from results.jsonl.
- ``meta``: ``origin`` (``alexa`` or ``validation``), ``mediqa_id`` (the dev id), ``split_group`` (the id of
  the first question of its split group), ``answers``; Alexa questions also carry ``focus``, the disease
  named in the template ("What causes Flu?" -> "Flu").
- Split by group, seed ``medcite-mediqa-v1``: questions that share a document graded above 0, and the Alexa
  questions of one disease, form one group: 41 groups, 20 of Alexa diseases (the two diseases of Alexa-56..65
  share a page and form one group of 10) and 21 of validation questions (Val-40 and Val-68 share pages).
  Documents shared only at grade 0 (10 of them end up graded in both splits) are generic distractors CHiQA
  returned for unrelated questions and do not join groups. Groups are
  ordered by sha256("medcite-mediqa-v1:<group id>"), separately for Alexa and validation questions, and go
  to dev until dev holds half of that origin's questions (rounded up); the rest is test. A group never
  straddles the splits, so a disease or an answer page seen in dev is not in test.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from medcite.evals.datasets import EvalQuestion, write_eval_set
from medcite.ingest.loaders import LoadOptions, load_file

HERE = Path(__file__).resolve().parent
MEDIQA = Path(__file__).resolve().parents[1].parent / "shared" / "devsets" / "mediqa"
LOCAL = HERE / "sets" / "local"
OUT_SET = LOCAL / "mediqa.jsonl"
OUT_CORPUS = LOCAL / "mediqa_corpus.jsonl"
SEED = "medcite-mediqa-v1"
EXPECTED = {"documents": 697, "questions": 123}
# The five Alexa templates; the rest of the question is the disease.
ALEXA_TEMPLATE = re.compile(
    r"^(?:what is|what causes|what are the symptoms of|what are the treatments (?:of|for)|how to diagnose)\s+"
    r"(?P<focus>.+?)\s*\?*$", re.IGNORECASE)
_HEADING = re.compile(r"^(?P<head>[^:(]{3,200}?)\s*(?:\(|:)")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fill_titles(records: list[dict]) -> tuple[list[dict], list[str]]:
    """The corpus records with each empty title filled from the heading the text starts with."""
    out, filled = [], []
    for record in records:
        if not (record.get("title") or "").strip():
            match = _HEADING.match(record["text"])
            if not match:
                raise SystemExit(f"error: {record['id']} has no title and its text starts with no heading")
            record = {**record, "title": match.group("head").strip()}
            filled.append(record["id"])
        out.append(record)
    return out, filled


def write_corpus(records: list[dict], path: Path = OUT_CORPUS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8",
                    newline="\n")


def loaded_ids(path: Path) -> tuple[list[str], list[str]]:
    """The document ids MedCite's JSONL loader reads from ``path``, and the reasons of lines it skipped."""
    skipped: list[str] = []
    docs = load_file(path, "jsonl", LoadOptions(on_skip=skipped.append))
    return [doc.id for doc in docs], skipped


def verify_library(records: list[dict], dev: list[dict], path: Path = OUT_CORPUS) -> None:
    ids, skipped = loaded_ids(path)
    wanted = [r["id"] for r in records]
    if skipped or ids != wanted:
        lost = sorted(set(wanted) - set(ids))[:5]
        raise SystemExit(f"error: the JSONL loader does not read {path.name} as written: {len(skipped)} lines "
                         f"skipped ({skipped[:3]}), ids lost or changed: {lost}")
    library = set(ids)
    for q in dev:
        missing = sorted(set(q["relevant"]) - library)
        if missing:
            raise SystemExit(f"error: {q['id']} grades documents the library will not hold: {missing[:5]}")


def split_groups(dev: list[dict]) -> dict[str, str]:
    """Question id -> the id of its group (the smallest question id in it, by file order)."""
    order = {q["id"]: i for i, q in enumerate(dev)}
    parent = {q["id"]: q["id"] for q in dev}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb, key=order.get)] = min(ra, rb, key=order.get)

    first_owner: dict[str, str] = {}
    for q in dev:
        keys = [f"doc:{d}" for d, g in q["relevant"].items() if g > 0]
        focus = alexa_focus(q)
        if focus:
            keys.append(f"alexa:{focus.casefold()}")
        for key in keys:
            if key in first_owner:
                union(q["id"], first_owner[key])
            else:
                first_owner[key] = q["id"]
    return {q["id"]: find(q["id"]) for q in dev}


def alexa_focus(q: dict) -> str | None:
    if not q["id"].startswith("Alexa-"):
        return None
    match = ALEXA_TEMPLATE.match(q["question"].strip())
    if not match:
        raise SystemExit(f"error: Alexa question {q['id']} follows no known template: {q['question']!r}")
    return match.group("focus").strip()


def assign_group_splits(dev: list[dict], groups: dict[str, str], seed: str = SEED) -> dict[str, str]:
    """Question id -> dev/test: per origin, groups in sha256 order fill dev up to half the questions."""
    split: dict[str, str] = {}
    for origin in ("Alexa-", "Val-"):
        members: dict[str, list[str]] = defaultdict(list)
        for q in dev:
            if q["id"].startswith(origin):
                members[groups[q["id"]]].append(q["id"])
        total = sum(len(m) for m in members.values())
        ranked = sorted(members, key=lambda g: hashlib.sha256(f"{seed}:{g}".encode()).hexdigest())
        in_dev = 0
        for group in ranked:
            name = "dev" if in_dev < (total + 1) // 2 else "test"
            in_dev += len(members[group]) if name == "dev" else 0
            for qid in members[group]:
                split[qid] = name
    return split


def to_questions(dev: list[dict]) -> list[EvalQuestion]:
    groups = split_groups(dev)
    splits = assign_group_splits(dev, groups)
    questions = []
    for q in dev:
        meta: dict = {"origin": "alexa" if q["id"].startswith("Alexa-") else "validation", "mediqa_id": q["id"],
                      "split_group": f"mediqa:{groups[q['id']]}",
                      "answers": sorted(d for d, g in q["relevant"].items() if g >= 2)}
        focus = alexa_focus(q)
        if focus:
            meta["focus"] = focus
        questions.append(EvalQuestion(id=f"mediqa:{q['id']}", question=q["question"], relevant=dict(q["relevant"]),
                                      group="answerable", split=splits[q["id"]], meta=meta))
    return questions


def main() -> int:
    dev_path, corpus_path = MEDIQA / "dev.jsonl", MEDIQA / "corpus.jsonl"
    if not dev_path.is_file() or not corpus_path.is_file():
        print(f"error: the MEDIQA dev set was not found at {MEDIQA}\n"
              "(the build script reads ../shared/devsets/mediqa/{dev,corpus}.jsonl beside the checkout)",
              file=sys.stderr)
        return 1
    records, dev = read_jsonl(corpus_path), read_jsonl(dev_path)
    if len(records) != EXPECTED["documents"] or len(dev) != EXPECTED["questions"]:
        print(f"warning: expected {EXPECTED['documents']} documents and {EXPECTED['questions']} questions, found "
              f"{len(records)} and {len(dev)}", file=sys.stderr)
    records, filled = fill_titles(records)
    write_corpus(records)
    verify_library(records, dev)
    print(f"wrote {len(records)} documents to {OUT_CORPUS} ({len(filled)} empty titles filled: {', '.join(filled)})")
    questions = to_questions(dev)
    write_eval_set(OUT_SET, questions)
    n_dev = sum(q.split == "dev" for q in questions)
    by_origin = {o: sum(q.meta["origin"] == o and q.split == "dev" for q in questions) for o in ("alexa", "validation")}
    groups = len({q.meta["split_group"] for q in questions})
    print(f"wrote {len(questions)} questions to {OUT_SET} ({n_dev} dev, {len(questions) - n_dev} test; {groups} "
          f"split groups; dev: {by_origin['alexa']} alexa, {by_origin['validation']} validation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
