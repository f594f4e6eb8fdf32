"""Audit the statements the offline engine shows: do they stand alone, and are they about the question's focus?

Run (dev splits only; MEDIQA questions need their own library)::

    MEDCITE_HOME=/tmp/full-home PYTHONPATH=src .venv/bin/python evals/sentence_audit.py \
        evals/sets/handwritten.jsonl evals/sets/medquad_patient.jsonl --out /tmp/audit-full.json
    MEDCITE_HOME=/tmp/mediqa-home PYTHONPATH=src .venv/bin/python evals/sentence_audit.py \
        evals/sets/local/mediqa.jsonl --out /tmp/audit-mediqa.json

Every statement shown (bottom line, considerations, research bullets) of every answered dev question is checked
by simple rules written independently of the engine's own repair code (``medcite.qa.standalone``):

- ``anaphor``: opens with a word that points back ("This", "These", "It", "They", "Such", "the following" ...)
  or names its subject as "this condition/disorder/disease";
- ``marker``: opens with a discourse marker ("However,", "Thus,", "In addition,", "Also,", "But" ...);
- ``glued``: a lower-case word followed, with no punctuation, by a capitalised word that opens a sentence or
  repeats the word before it ("... your bladder Some conditions ...", "Glaucoma Glaucoma can");
- ``aim_method``: a research bullet that states a study's aim or methods ("To determine whether ...",
  "... were randomized ...", "We investigated ...") with no result word;
- ``off_focus``: the question analysis names a focus, the statement's document is not one of its documents,
  and neither the statement nor its reference title names the focus.

A statement shown right after the sentence before it in the same passage (a continuation) is not counted as an
anaphor or marker. Prints per-set counts, per 10 answers, and writes the flagged statements to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ANAPHOR = re.compile(r"^(?:this|these|those|that|it|its|they|their|them|such|both|the following|"
                     r"the same)\b|"
                     r"\bthis (?:condition|disorder|disease|syndrome)\b", re.I)
MARKER = re.compile(r"^(?:however|thus|therefore|in addition|additionally|also|moreover|furthermore|hence|but|and|"
                    r"so|consequently|as a result|for this reason)\b", re.I)
OPENERS = set("The Some Most Many If You Your It This These They There People Being Other When In For".split())  # noqa: SIM905
GLUE = re.compile(r"(?<=[a-z])\s+([A-Z][a-z]+)\s+[a-z]")
AIM = re.compile(r"^to (?:assess|evaluate|determine|investigate|examine|compare|describe|explore|identify|test)\b|"
                 r"\b(?:we|this study) (?:aimed|sought|investigated|examined|evaluated|assessed|analy[sz]ed|"
                 r"enrolled|recruited|reviewed)\b|\b(?:were|was) (?:enrolled|randomi[sz]ed|recruited|included|"
                 r"assigned|conducted|performed)\b|\b(?:objective|aim|purpose) (?:of|was)\b", re.I)
RESULT = re.compile(r"signific|associated|p ?[<=>]|\d ?%|found|showed|reduc|increas|improv|lower|"
                    r"higher|"
                    r"conclu|suggest|effective", re.I)
WORD = re.compile(r"[a-z0-9]+")
GENERIC = set("disease diseases disorder disorders syndrome condition conditions shot shots the of and".split())  # noqa: SIM905


def _stems(text: str) -> set[str]:
    return {w[:5] for w in WORD.findall(text.lower()) if len(w) > 2}


def flags(statement: dict, *, kind: str, title: str, focus: list[dict], continuation: bool) -> list[str]:
    text = statement["text"].strip()
    out = []
    if not continuation:
        if ANAPHOR.search(text):
            out.append("anaphor")
        if MARKER.match(text):
            out.append("marker")
    for m in GLUE.finditer(text):
        word = m.group(1)
        before = text[: m.start()].split()
        if word in OPENERS or (before and before[-1].lower() == word.lower()):
            out.append("glued")
            break
    if kind == "research" and AIM.search(text) and not RESULT.search(AIM.sub(" ", text)):
        out.append("aim_method")
    if focus:
        docs = {d for f in focus for d in f["doc_ids"]}
        names = [{w[:5] for w in WORD.findall(f["name"].lower()) if len(w) > 2 and w not in GENERIC}
                 for f in focus]
        names = [n for n in names if n]
        doc_ids = {cid.split("#")[0] for cid in statement.get("chunk_ids", [])}
        seen = _stems(text) | _stems(title)
        if names and docs and not (doc_ids & docs) and not any(n <= seen for n in names):
            out.append("off_focus")
    return out


def audit(path: Path, service) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("split", "dev") == "dev"]
    counts = {"answers": 0, "abstained": 0, "statements": 0, "anaphor": 0, "marker": 0, "glued": 0,
              "aim_method": 0, "off_focus": 0}
    flagged = []
    for row in rows:
        ans = service.answer(row["question"], engine="offline")
        if ans.abstained:
            counts["abstained"] += 1
            continue
        counts["answers"] += 1
        titles = {c.n: (c.title, c.kind) for c in ans.citations}
        focus = [{"name": f.display, "doc_ids": list(f.doc_ids)}
                 for f in (ans.analysis.focus if ans.analysis else ())]
        groups = [list(b.statements) for b in ans.bottom_line]
        groups += [list(c.statements) for c in ans.considerations]
        groups += [[s] for f in ans.research for s in f.statements]
        for group in groups:
            prev = None
            for s in group:
                d = {"text": s.text, "chunk_ids": list(s.chunk_ids), "span": s.span}
                n = s.citations[0] if s.citations else None
                title, kind = titles.get(n, ("", "guideline"))
                cont = (prev is not None and prev.chunk_ids[:1] == s.chunk_ids[:1] and prev.span and s.span
                        and 0 <= s.span[0] - prev.span[1] <= 3)
                got = flags(d, kind=kind, title=title, focus=focus, continuation=bool(cont))
                counts["statements"] += 1
                for g in got:
                    counts[g] += 1
                if got:
                    flagged.append({"id": row["id"], "question": row["question"], "flags": got, "text": s.text,
                                    "title": title})
                prev = s
    per10 = {k: round(10 * counts[k] / max(counts["answers"], 1), 2)
             for k in ("anaphor", "marker", "glued", "aim_method", "off_focus")}
    return {"set": path.name, "counts": counts, "per_10_answers": per10, "flagged": flagged}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    from medcite.qa.service import AnswerService
    from medcite.settings import get_settings

    service = AnswerService(get_settings())
    results = [audit(p, service) for p in args.sets]
    for r in results:
        print(r["set"], json.dumps(r["counts"]), "per 10 answers:", json.dumps(r["per_10_answers"]))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
