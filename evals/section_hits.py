"""Right page, wrong passage: how often an answer to a patient-style MedQuAD dev question reaches the MedQuAD section
the question was written from (``meta.section_id`` of ``evals/sets/medquad_patient.jsonl``).

Run from the repository root with the full shared library: ``MEDCITE_HOME=/tmp/full-home .venv/bin/python
evals/section_hits.py [--split dev]``. Prints, of the answered questions, how many have their own section among the
retrieved passages, among the evidence sentences (before and after the relevance step) and as the bottom line's first
sentence. A proxy: a twin page's section can answer as well (docs/evals.md, "Right page, wrong passage").
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from medcite.qa import offline, relevance
from medcite.qa.service import get_service

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    args = parser.parse_args()
    seen: dict[str, list] = {}
    shown = relevance.shown

    def spy(evidence, passages, question, similarity, focus_rank=None, model=None, vectors=None, keep_best=True):
        out = shown(evidence, passages, question, similarity, focus_rank, model, vectors, keep_best)
        seen.setdefault("passages", list(passages))
        seen.setdefault("evidence", list(evidence.ranked))
        seen.setdefault("shown", list(out.ranked))
        return out

    offline.relevance.shown = spy
    service = get_service()
    counts = dict.fromkeys(("answered", "retrieved", "evidence", "shown", "first"), 0)
    for line in (ROOT / "evals/sets/medquad_patient.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("split") != args.split:
            continue
        gold = row["meta"]["section_id"]
        seen.clear()
        answer = service.answer(row["question"])
        if answer.abstained or "passages" not in seen:
            continue
        sections = {p.chunk.id: p.chunk.section_id for p in seen["passages"]}
        statements = [s for part in answer.bottom_line for s in part.statements]
        counts["answered"] += 1
        counts["retrieved"] += gold in sections.values()
        counts["evidence"] += any(e.chunk.section_id == gold for e in seen["evidence"])
        counts["shown"] += any(e.chunk.section_id == gold for e in seen["shown"])
        counts["first"] += bool(statements and statements[0].chunk_ids
                                and sections.get(statements[0].chunk_ids[0]) == gold)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
