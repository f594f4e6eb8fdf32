"""Build evals/sets/pubmedqa_dev.jsonl: the 500 labelled PubMedQA questions, gold = their own abstract.

Run from anywhere: ``.venv/bin/python evals/build_pubmedqa_dev.py``. Reads ../shared/data/pubmedqa/ori_pqal.json
beside the checkout. Each entry with a QUESTION becomes one question:

- id ``pubmedqa:<PMID>``; relevant ``{"pubmed:<PMID>": 2}`` (the abstract the question was written from);
- decision = final_decision (yes / no / maybe); no must_mention;
- reference_answer = LONG_ANSWER cut at a sentence end to at most about 300 characters;
- split: PMIDs ordered by sha256("medcite-evals-v1:<PMID>"), the first 250 dev, the other 250 test
  (``medcite.evals.datasets.assign_splits``), so the split never changes when the script is re-run.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from medcite.evals.datasets import EvalQuestion, assign_splits, write_eval_set

HERE = Path(__file__).resolve().parent
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SOURCE = SHARED_DATA / "pubmedqa" / "ori_pqal.json"
OUT = HERE / "sets" / "pubmedqa_dev.jsonl"
REFERENCE_CHARS = 300
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)\]%])[.?!](?=\s+[A-Z(]|\s*$)")


def cut_at_sentence(text: str, limit: int = REFERENCE_CHARS) -> str:
    """The longest run of whole sentences within ``limit`` characters; a word-boundary cut with an ellipsis
    when even the first sentence is longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= limit]
    if ends:
        return text[: ends[-1]]
    return text[: text.rfind(" ", 0, limit - 1)].rstrip(",;:") + "…"


def build(source: Path = SOURCE) -> list[EvalQuestion]:
    entries = json.loads(source.read_text(encoding="utf-8"))
    labelled = {pmid: e for pmid, e in entries.items() if isinstance(e, dict) and e.get("QUESTION")}
    splits = assign_splits(labelled)
    questions = []
    for pmid, entry in sorted(labelled.items(), key=lambda item: int(item[0])):
        questions.append(
            EvalQuestion(
                id=f"pubmedqa:{pmid}",
                question=" ".join(entry["QUESTION"].split()),
                relevant={f"pubmed:{pmid}": 2},
                group="answerable",
                split=splits[pmid],
                decision=entry["final_decision"].strip().lower(),
                reference_answer=cut_at_sentence(entry.get("LONG_ANSWER") or "") or None,
                meta={"source": "PubMedQA", "pmid": pmid},
            )
        )
    return questions


def main() -> int:
    if not SOURCE.exists():
        print(f"error: PubMedQA not found at {SOURCE}\n"
              "(the build scripts read the shared data folder ../shared/data beside the checkout)", file=sys.stderr)
        return 1
    questions = build()
    write_eval_set(OUT, questions)
    dev = sum(q.split == "dev" for q in questions)
    print(f"wrote {len(questions)} questions to {OUT} ({dev} dev, {len(questions) - dev} test)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
