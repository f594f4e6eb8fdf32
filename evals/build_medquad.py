"""Build evals/sets/medquad_sample.jsonl (MedQuAD question headings) and medquad_patient.jsonl (paraphrases).

Run from anywhere: ``.venv/bin/python evals/build_medquad.py``. Reads ../shared/data/medquad beside the
checkout with MedCite's own MedQuAD loader, so document and section ids are exactly the library's.

Sample (seed ``medcite-evals-v1``, 300 questions):

- candidates: every answered question-answer pair (a library section) whose heading is a question (ends
  with "?") and whose answer has at least 80 characters;
- stratified by source and question type: each of the 9 sources gets an equal share of the 300
  (34 or 33; not proportional to the library, where GHR and GARD hold two thirds of the pairs), and within
  a source the question types take turns (in a seeded order), one random pair each, until the share is
  filled, so rare types (stages, complications, prevention...) are represented; at most one question per
  document;
- relevant: the sampled document, grade 2; any other document with exactly the same question heading
  (e.g. "What is (are) Breast Cancer?" appears in 12 CancerGov, NIHSeniorHealth and MedlinePlus pages),
  grade 1;
- id ``medquad:<section id>``; meta {source, qtype, section_id, doc_id};
- split: question ids ordered by sha256, first half dev (``medcite.evals.datasets.assign_splits``).

Patient paraphrases: evals/medquad_paraphrases.json maps sampled question ids to a question written by
hand the way a patient or carer would type it. Each becomes ``medquad-patient:<section id>`` with the same
relevant documents and the same split as its original (a paraphrase of a test question stays in test).
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from medcite.evals.datasets import EvalQuestion, assign_splits, write_eval_set
from medcite.ingest.loaders import LoadOptions, iter_files, load_file

HERE = Path(__file__).resolve().parent
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MEDQUAD = SHARED_DATA / "medquad"
PARAPHRASES = HERE / "medquad_paraphrases.json"
OUT_SAMPLE = HERE / "sets" / "medquad_sample.jsonl"
OUT_PATIENT = HERE / "sets" / "medquad_patient.jsonl"
SEED = "medcite-evals-v1"
SAMPLE_SIZE = 300
MIN_ANSWER_CHARS = 80
MIN_PATIENT_QUESTIONS = 100


def normalise_heading(text: str) -> str:
    return " ".join(text.casefold().split())


def load_pairs(folder: Path = MEDQUAD) -> list[dict]:
    """One record per answered QA pair: doc id, section id, source, qtype, heading, answer length."""
    pairs = []
    for path in iter_files([folder]):
        if path.suffix.lower() != ".xml":
            continue
        for doc in load_file(path, "medquad", LoadOptions()):
            for section in doc.sections:
                pairs.append({
                    "doc_id": doc.id,
                    "section_id": section.id,
                    "source": doc.source,
                    "qtype": section.label or "unknown",
                    "heading": section.heading,
                    "answer_chars": len(section.text),
                })
    return pairs


def sample(pairs: list[dict], size: int = SAMPLE_SIZE, seed: str = SEED) -> list[dict]:
    rng = random.Random(seed)
    candidates = [p for p in pairs if p["heading"].endswith("?") and p["answer_chars"] >= MIN_ANSWER_CHARS]
    by_source: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for pair in candidates:
        by_source[pair["source"]][pair["qtype"]].append(pair)
    sources = sorted(by_source)
    shares = {s: size // len(sources) + (i < size % len(sources)) for i, s in enumerate(sources)}
    chosen: list[dict] = []
    for source in sources:
        strata = {qtype: sorted(items, key=lambda p: p["section_id"]) for qtype, items in by_source[source].items()}
        for items in strata.values():
            rng.shuffle(items)
        order = sorted(strata)
        rng.shuffle(order)
        used_docs: set[str] = set()
        picked: list[dict] = []
        while len(picked) < shares[source] and any(strata.values()):
            for qtype in order:
                if len(picked) >= shares[source]:
                    break
                items = strata[qtype]
                while items and items[-1]["doc_id"] in used_docs:
                    items.pop()
                if items:
                    pair = items.pop()
                    used_docs.add(pair["doc_id"])
                    picked.append(pair)
        chosen.extend(picked)
    return chosen


def to_questions(chosen: list[dict], pairs: list[dict]) -> list[EvalQuestion]:
    docs_by_heading: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        docs_by_heading[normalise_heading(pair["heading"])].add(pair["doc_id"])
    ids = [f"medquad:{p['section_id']}" for p in chosen]
    splits = assign_splits(ids, SEED)
    questions = []
    for qid, pair in sorted(zip(ids, chosen, strict=True)):
        relevant = {pair["doc_id"]: 2}
        for other in sorted(docs_by_heading[normalise_heading(pair["heading"])] - {pair["doc_id"]}):
            relevant[other] = 1
        questions.append(
            EvalQuestion(
                id=qid,
                question=pair["heading"],
                relevant=relevant,
                group="answerable",
                split=splits[qid],
                meta={"source": pair["source"], "qtype": pair["qtype"], "section_id": pair["section_id"],
                      "doc_id": pair["doc_id"]},
            )
        )
    return questions


_WORD = re.compile(r"[a-z0-9]+")


def patient_questions(originals: list[EvalQuestion], paraphrases: dict[str, str]) -> list[EvalQuestion]:
    by_id = {q.id: q for q in originals}
    unknown = sorted(set(paraphrases) - set(by_id))
    if unknown:
        raise SystemExit(f"error: {PARAPHRASES.name} has paraphrases for ids not in the sample: {unknown[:5]}")
    out = []
    for qid, text in paraphrases.items():
        original = by_id[qid]
        heading = normalise_heading(original.question).rstrip("?").strip()
        if heading in normalise_heading(text):
            raise SystemExit(f"error: the paraphrase of {qid} copies the heading verbatim: {text!r}")
        out.append(
            EvalQuestion(
                id=qid.replace("medquad:", "medquad-patient:", 1),
                question=text,
                relevant=dict(original.relevant),
                group="answerable",
                split=original.split,
                meta={**original.meta, "original_id": qid, "original_question": original.question},
            )
        )
    return sorted(out, key=lambda q: q.id)


def main() -> int:
    if not MEDQUAD.is_dir():
        print(f"error: MedQuAD not found at {MEDQUAD}\n"
              "(the build scripts read the shared data folder ../shared/data beside the checkout)", file=sys.stderr)
        return 1
    pairs = load_pairs()
    questions = to_questions(sample(pairs), pairs)
    write_eval_set(OUT_SAMPLE, questions)
    dev = sum(q.split == "dev" for q in questions)
    print(f"wrote {len(questions)} questions to {OUT_SAMPLE} ({dev} dev, {len(questions) - dev} test)")
    if "--list" in sys.argv:
        for q in questions:
            print(q.id, "|", q.meta["qtype"], "|", q.question)
    if PARAPHRASES.exists():
        paraphrases = json.loads(PARAPHRASES.read_text(encoding="utf-8"))
        patient = patient_questions(questions, paraphrases)
        if len(patient) < MIN_PATIENT_QUESTIONS:
            print(f"warning: only {len(patient)} patient paraphrases (want {MIN_PATIENT_QUESTIONS})", file=sys.stderr)
        write_eval_set(OUT_PATIENT, patient)
        dev = sum(q.split == "dev" for q in patient)
        print(f"wrote {len(patient)} questions to {OUT_PATIENT} ({dev} dev, {len(patient) - dev} test)")
    else:
        print(f"warning: {PARAPHRASES} not found; {OUT_PATIENT.name} not written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
