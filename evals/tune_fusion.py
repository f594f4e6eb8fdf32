"""Choose the weighted-fusion weights on dev splits, and show them beside RRF, dense and BM25 alone.

Usage (each set against its own library; dev split only, always):

    MEDCITE_HOME=/tmp/full-home HF_HUB_OFFLINE=1 .venv/bin/python evals/tune_fusion.py \\
        --set evals/sets/medquad_sample.jsonl --set evals/sets/medquad_patient.jsonl ... --cache /tmp/fusion-full.pkl
    .venv/bin/python evals/tune_fusion.py --from-cache /tmp/fusion-full.pkl --from-cache /tmp/fusion-mediqa.pkl \\
        --out evals/reports/fusion/tuning.json

For every dev question the candidates are gathered once, exactly as ``Retriever`` gathers them (dense top 100 with
cosines, BM25 top 100, the focus documents' chunks with exact cosines, each chunk's document and section types);
then every grid point is scored in memory with the retriever's own ranking (``medcite.qa.fusion``, at most two
passages per document, the top 20 passages' documents) and nDCG@10. The chosen point maximises the mean over sets
of nDCG@10 among points that are at or above the best single retriever on every set (the issue's rule).
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import statistics
import sys
from pathlib import Path

from medcite.analysis import section_types
from medcite.evals.datasets import load_eval_set, split_filter
from medcite.evals.metrics import ndcg_at_k
from medcite.qa.fusion import FusionWeights, rrf, weighted
from medcite.qa.retrieve import CANDIDATES, MAX_PER_DOCUMENT, Filters, normalise_query

GRID = {
    "lexical": (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4),
    "focus": (0.0, 0.02, 0.04, 0.08, 0.12),
    "type": (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.14),
}
TOP_PASSAGES = 20


def gather(set_paths: list[str]) -> dict:
    """Candidates of every answerable dev question of the sets, against MEDCITE_HOME's library."""
    from medcite.qa.service import AnswerService
    from medcite.settings import get_settings

    service = AnswerService(get_settings())
    retriever, library = service.retriever, service.library
    out: dict = {}
    for path in set_paths:
        questions = [q for q in split_filter(load_eval_set(path), "dev") if any(g > 0 for g in q.relevant.values())]
        rows = []
        for q in questions:
            row = {"relevant": q.relevant}
            for variant in ("raw", "analysed"):
                analysis = service.analyzer.run(q.question) if variant == "analysed" else None
                text = analysis.query if analysis else normalise_query(q.question)
                vector = service.embedder.embed_query(text)
                dense = [(c, s) for c, s, _, _ in library.vectors.query(vector, CANDIDATES, None, with_payload=False)]
                lexical = library.ledger.search(text, CANDIDATES)
                focus_docs = retriever._focus_documents(analysis)
                if focus_docs:
                    dense, lexical = retriever._add_focus_chunks(vector, focus_docs, Filters(), dense, lexical)
                ids = list(dict.fromkeys([c for c, _ in dense] + [c for c, _ in lexical]))
                chunks = library.ledger.get_chunks(ids)
                wanted = set(analysis.types) if analysis else set()
                row[variant] = {
                    "dense": dense, "lexical": lexical,
                    "doc": {c: ch.doc_id for c, ch in chunks.items()},
                    "focus": {c: 1.0 for c, ch in chunks.items() if ch.doc_id in focus_docs},
                    "types": {c: 1.0 for c, ch in chunks.items()
                              if wanted & section_types(ch.label, ch.section, ch.title)},
                }
            rows.append(row)
        out[Path(path).stem] = rows
        print(f"{Path(path).stem}: {len(rows)} dev questions", file=sys.stderr)
    service.close()
    return out


def ranked_documents(scores: dict[str, float], doc: dict[str, str]) -> list[str]:
    per: dict[str, int] = {}
    docs: list[str] = []
    taken = 0
    for cid in sorted(scores, key=lambda c: (-scores[c], c)):
        d = doc.get(cid)
        if d is None or per.get(d, 0) >= MAX_PER_DOCUMENT:
            continue
        per[d] = per.get(d, 0) + 1
        taken += 1
        if d not in docs:
            docs.append(d)
        if taken >= TOP_PASSAGES:
            break
    return docs


def ndcg(rows: list[dict], variant: str, score) -> float:
    values = [ndcg_at_k(ranked_documents(score(r[variant]), r[variant]["doc"]), r["relevant"], 10) for r in rows]
    return round(statistics.fmean(v for v in values if v is not None), 4)


def evaluate(data: dict) -> dict:
    table: dict = {}
    for name, rows in data.items():
        table[name] = {
            "dense (raw query)": ndcg(rows, "raw", lambda c: dict(c["dense"])),
            "bm25 (raw query)": ndcg(rows, "raw", lambda c: dict(c["lexical"])),
            "rrf (raw query)": ndcg(rows, "raw", lambda c: rrf(c["dense"], c["lexical"])),
            "dense (analysed query)": ndcg(rows, "analysed", lambda c: dict(c["dense"])),
            "bm25 (analysed query)": ndcg(rows, "analysed", lambda c: dict(c["lexical"])),
            "rrf (analysed query)": ndcg(rows, "analysed", lambda c: rrf(c["dense"], c["lexical"])),
        }
    grid = []
    for lex, foc, typ in itertools.product(GRID["lexical"], GRID["focus"], GRID["type"]):
        w = FusionWeights(lexical=lex, focus=foc, type=typ)
        per = {name: ndcg(rows, "analysed", lambda c, w=w: weighted(c["dense"], c["lexical"], w, focus=c["focus"],
                                                                     types=c["types"]))
               for name, rows in data.items()}
        floor_ok = all(per[n] >= max(table[n]["dense (raw query)"], table[n]["bm25 (raw query)"],
                                     table[n]["dense (analysed query)"], table[n]["bm25 (analysed query)"])
                       for n in per)
        grid.append({"lexical": lex, "focus": foc, "type": typ, "per_set": per,
                     "mean": round(statistics.fmean(per.values()), 4), "never_below_single": floor_ok})
    eligible = [g for g in grid if g["never_below_single"]] or grid
    best = max(eligible, key=lambda g: (g["mean"], -g["lexical"], -g["focus"], -g["type"]))
    current = FusionWeights()
    for name, rows in data.items():
        table[name]["weighted (chosen)"] = best["per_set"][name]
        table[name]["weighted (current default)"] = ndcg(rows, "analysed", lambda c: weighted(
            c["dense"], c["lexical"], current, focus=c["focus"], types=c["types"]))
    return {"split": "dev", "metric": "nDCG@10 of the top 20 passages' documents", "table": table,
            "chosen": {k: best[k] for k in ("lexical", "focus", "type", "mean")},
            "eligible_points": len([g for g in grid if g["never_below_single"]]), "grid_points": len(grid),
            "grid": sorted(grid, key=lambda g: -g["mean"])[:25]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", default=[], help="an eval set (dev split is used)")
    parser.add_argument("--cache", help="write the gathered candidates here")
    parser.add_argument("--from-cache", action="append", default=[], help="read gathered candidates (repeatable)")
    parser.add_argument("--out", help="write the table and the chosen weights as JSON")
    args = parser.parse_args()
    data: dict = {}
    for path in args.from_cache:
        data.update(pickle.loads(Path(path).read_bytes()))
    if args.set:
        gathered = gather(args.set)
        if args.cache:
            Path(args.cache).write_bytes(pickle.dumps(gathered))
        data.update(gathered)
    if not data:
        parser.error("give --set or --from-cache")
    result = evaluate(data)
    text = json.dumps(result, indent=1)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n")
    print(json.dumps({"table": result["table"], "chosen": result["chosen"],
                      "eligible_points": result["eligible_points"]}, indent=1))


if __name__ == "__main__":
    main()
