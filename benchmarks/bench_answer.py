"""Answer benchmark: whole offline answers over dev questions at the full library, and cold `medcite ask`, for this
source tree and, side by side in one run, another one (``--against DIR``: a checkout's ``src``, e.g. a worktree of
the commit before a change).

    python -m benchmarks.bench_answer --home /tmp/medcite-bench [--against /path/to/old/src] [--rounds 2]

Each tree answers the same 120 dev questions (30 handwritten, 45 patient-style MedQuAD, 45 PubMedQA; dev splits
only) after 5 warm-up answers, in its own process, the trees alternating ``--rounds`` times; cold start is
``--cold`` runs of ``medcite ask`` per tree, alternating, five different questions. Writes
``benchmarks/results/answer.json``. The targets (issue 14): answer p50 <= 150 ms, cold ``medcite ask`` <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import RESULTS, ROOT, machine, percentile

SETS = (("evals/sets/handwritten.jsonl", 30), ("evals/sets/medquad_patient.jsonl", 45),
        ("evals/sets/pubmedqa_dev.jsonl", 45))
COLD_QUESTIONS = ("What are the side effects of statins?", "Does IVIG help all autoimmune conditions?",
                  "what causes gout", "Is ketamine safe for sedating children?", "How is Lyme disease treated?")
_WORKER = """
import json, sys, time
from medcite.qa.service import AnswerService
from medcite.settings import get_settings
qs = json.loads(sys.stdin.read())
service = AnswerService(get_settings())
for q in qs[:5]:
    service.answer(q)
out = []
for q in qs:
    t = time.perf_counter(); service.answer(q); out.append(time.perf_counter() - t)
print(json.dumps(out))
"""


def questions() -> list[str]:
    out: list[str] = []
    for path, n in SETS:
        rows = [json.loads(line) for line in (ROOT / path).read_text(encoding="utf-8").splitlines() if line.strip()]
        out += [r["question"] for r in rows if r.get("split", "dev") == "dev"][:n]
    return out


def _env(src: Path, home: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(src), "MEDCITE_HOME": str(home), "HF_HUB_OFFLINE": "1"}


def answers(src: Path, home: Path, qs: list[str]) -> list[float]:
    done = subprocess.run([sys.executable, "-c", _WORKER], input=json.dumps(qs), env=_env(src, home),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold(src: Path, home: Path, question: str) -> float:
    medcite = Path(sys.executable).with_name("medcite")
    started = time.perf_counter()
    subprocess.run([str(medcite), "ask", question], env=_env(src, home), capture_output=True, check=True)
    return time.perf_counter() - started


def _ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 95), 1), "n": len(ms)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True, help="MEDCITE_HOME holding the full shared library")
    parser.add_argument("--against", type=Path, help="another source tree (a checkout's src) to measure beside")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cold", type=int, default=5, help="cold `medcite ask` runs per tree")
    args = parser.parse_args(argv)
    trees = {"this": ROOT / "src", **({"against": args.against} if args.against else {})}
    qs = questions()
    timed: dict[str, list[float]] = {name: [] for name in trees}
    starts: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            timed[name] += answers(src, args.home, qs)
    for i in range(args.cold):
        for name, src in trees.items():
            starts[name].append(cold(src, args.home, COLD_QUESTIONS[i % len(COLD_QUESTIONS)]))
    result = {"machine": machine(), "questions": len(qs), "rounds": args.rounds,
              "trees": {name: str(src) for name, src in trees.items()},
              "answer": {name: _ms(v) for name, v in timed.items()},
              "cold_ask_s": {name: {"median": round(statistics.median(v), 2), "runs": [round(x, 2) for x in v]}
                             for name, v in starts.items()}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "answer.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
