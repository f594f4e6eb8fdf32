"""Answers for a blind read (issue 14): a fixed, hash-chosen sample of dev questions, answered as a user sees them.

    python evals/blind/answers.py --out /tmp/blind/before [--round 2]   # writes answers.jsonl and answers.md

The sample is chosen before any answer is read: per dev set, the questions with the lowest SHA-1 of their id
(dev split only; test splits are never sampled). Each question is answered on the library its set was built
for (``MEDCITE_HOME`` for the shared library, ``--mediqa-home`` for the MEDIQA library), by the offline engine.
``answers.md`` shows each answer as ``medcite ask`` prints it (the Markdown layout, source text unescaped) and numbers
the answers without saying which code wrote them, for a grader who reads
``../shared/judge/RUBRIC.md`` and nothing else.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# (set file, group or None, how many)
SAMPLE = (
    ("evals/sets/handwritten.jsonl", "answerable", 8),
    ("evals/sets/medquad_patient.jsonl", None, 6),
    ("evals/sets/pubmedqa_dev.jsonl", None, 5),
    ("evals/sets/local/mediqa.jsonl", None, 5),
)


# From round 6 on, a round reads questions no answer model was trained on: rounds 4 and 5 drew 12 of their 16 from
# dev questions whose shown sentences were labelled to train the relevance model (evals/relevance/labels.jsonl).
# A round of FRESH is a fresh writer's questions about library topics (written for it, unread before the answers),
# plus PUBMEDQA_FRESH research questions: PubMedQA dev questions no earlier round read and no label covers.
FRESH = {6: "evals/blind/questions_r6.jsonl", 7: "evals/blind/questions_r7.jsonl", 8: "evals/blind/questions_r8.jsonl",
         9: "evals/blind/questions_r9.jsonl", 10: "evals/blind/questions_r10.jsonl",
         11: "evals/blind/questions_r11.jsonl",
         12: "evals/blind/questions_r12.jsonl"}
PUBMEDQA_FRESH = 6
LABELS = ROOT / "evals/relevance/labels.jsonl"


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fresh_sample(round_: int) -> list[dict]:
    """A round of :data:`FRESH`: its writer's questions in file order, then the research questions."""
    rows = [{**r, "id": f"fresh-r{round_}-{i}", "split": "dev", "set": "fresh"}
            for i, r in enumerate(read_rows(ROOT / FRESH[round_]), 1)]
    labelled = {r["question_id"] for r in read_rows(LABELS)}
    earlier = {r["id"] for k in range(1, 6) for r in sample(k)} | {r["id"] for k in FRESH if k < round_
                                                                  for r in fresh_sample(k)}
    research = [r for r in read_rows(ROOT / "evals/sets/pubmedqa_dev.jsonl")
                if r.get("split", "dev") == "dev" and r["id"] not in labelled | earlier]
    research.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
    return rows + [{**r, "set": "pubmedqa_dev"} for r in research[:PUBMEDQA_FRESH]]


def sample(round_: int = 1) -> list[dict]:
    """Round ``round_``'s questions: the ``n`` per set after the ``(round_ - 1) * n`` earlier rounds read (round 1:
    session 3's before / after reads, tuned on; round 2: fresh questions for session 4's read); from round 6,
    :func:`fresh_sample`."""
    if round_ in FRESH:
        return fresh_sample(round_)
    out = []
    for path, group, n in SAMPLE:
        file = ROOT / path
        if not file.exists():
            raise SystemExit(f"{file} is missing (MEDIQA: run `python evals/build_mediqa.py` first)")
        rows = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = [r for r in rows if r.get("split", "dev") == "dev" and (group is None or r.get("group") == group)]
        rows.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
        out += [{**r, "set": Path(path).stem} for r in rows[(round_ - 1) * n:round_ * n]]
    return out


def library_text(row: dict) -> str:
    """The best-graded relevant text: a MEDIQA candidate answer, or the MedQuAD section the question was made from."""
    best = max((row.get("relevant") or {}).items(), key=lambda kv: kv[1], default=(None, 0))[0]
    if best is None:
        return ""
    if row["set"] == "mediqa":
        corpus = ROOT / "evals/sets/local/mediqa_corpus.jsonl"
        for line in corpus.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            if doc["id"] == best:
                return doc["text"]
        return ""
    section = (row.get("meta") or {}).get("section_id")
    if not section:
        return ""
    import sqlite3

    home = Path(os.environ.get("MEDCITE_HOME", "")) / "library"
    for db in home.glob("*.sqlite"):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            rows = con.execute("SELECT text FROM chunks WHERE section_id = ? ORDER BY ordinal", (section,)).fetchall()
        if rows:
            return " ".join(r[0] for r in rows)
    return ""


def hint(row: dict) -> str:
    """What the grader is told the library holds: the set's must-mention facts, else its reference answer (and the
    expert decision of a PubMedQA question)."""
    if row.get("must_mention"):
        return "must mention: " + "; ".join(row["must_mention"])
    parts = []
    reference = row.get("reference_answer") or library_text(row)
    if row.get("decision"):
        parts.append(f"expert decision: {row['decision']}")
    if reference:
        parts.append("a reference answer from the library: " + " ".join(str(reference).split())[:500])
    return " | ".join(parts) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--mediqa-home", default="/tmp/mediqa-home")
    parser.add_argument("--round", type=int, default=1, help="which sample: 1 (read and tuned on), 2 (fresh), ...")
    args = parser.parse_args()
    from medcite.qa.service import AnswerService
    from medcite.settings import Settings

    rows = sample(args.round)
    args.out.mkdir(parents=True, exist_ok=True)
    services = {}
    records, md = [], ["# Answers for a blind read", ""]
    for i, row in enumerate(rows, 1):
        home = args.mediqa_home if row["set"] == "mediqa" else os.environ.get("MEDCITE_HOME", "")
        if home not in services:
            services[home] = AnswerService(Settings(home=home) if home else Settings())
        answer = services[home].answer(row["question"])
        hints = hint(row)
        records.append({"n": i, "id": row["id"], "set": row["set"], "question": row["question"], "hints": hints,
                        "markdown": answer.markdown, "text": answer.text, "abstained": answer.abstained})
        md += [f"## Answer {i}", "", f"**Question:** {row['question']}", "", f"**Hints for the grader:** {hints}", "",
               "**Answer as shown:**", "", answer.text, "", "---", ""]
    (args.out / "answers.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (args.out / "answers.md").write_text("\n".join(md), encoding="utf-8")
    print(f"wrote {len(records)} answers to {args.out}")


if __name__ == "__main__":
    main()
