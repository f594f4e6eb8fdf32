"""Does training the triage classifier on more writers help on an unseen writer? (session 10, docs/evals.md, triage
round 11)

Run from the repository root: ``.venv/bin/python evals/triage_more_writers.py`` (about 3 minutes on 2 cores).

For each of the spent held-out writers M, O, P and Q: the shipped classifier (trained on none of them) against one
trained on the shipped training data plus the other three, both scored on the left-out writer's messages (urgent
recall, self-harm level, false alarms, crisis replies to ordinary messages). ``--seeds N``: each trained head the mean
of N networks (``train_triage.fit``). Writes ``--json`` when given.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_triage import UNUSED, WRITERS, examples, fit, load_writer  # noqa: E402

from medcite.embedding.model import Embedder  # noqa: E402
from medcite.qa.service import make_triage  # noqa: E402
from medcite.settings import Settings  # noqa: E402
from medcite.triage.similarity import load_exemplars  # noqa: E402

NEW = {"m": "heldout_m", "o": "heldout_o", "p": "heldout_p", "q": "heldout_q"}


def score(triage, rows: list[dict]) -> dict[str, int]:
    f = dict(u=0, hit=0, sh=0, shl=0, o=0, fa=0, cr=0)
    for r in rows:
        res = triage.run(r["text"])
        if r["level"] == "none":
            f["o"] += 1
            f["fa"] += res.level != "none"
            f["cr"] += res.level == "self_harm"
            continue
        f["u"] += 1
        f["hit"] += res.level != "none"
        if r["level"] == "self_harm":
            f["sh"] += 1
            f["shl"] += res.level == "self_harm"
    return f


def main() -> int:
    WRITERS.update(NEW)
    s = Settings()
    emb = Embedder(s, threads=s.query_torch_threads)
    triage = make_triage(s, emb)
    shipped = triage.similarity.classifier
    model_key = f"{s.embedding_model}|{s.embedding_backend}"
    base = [m for n in WRITERS if n not in UNUSED and n not in NEW for m in load_writer(n)]
    exemplars = load_exemplars()
    cache: dict[str, np.ndarray] = {}

    def encode(texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in cache]
        for t, v in zip(todo, emb.embed_documents(todo), strict=True):
            cache[t] = np.asarray(v, np.float32)
        return np.stack([cache[t] for t in texts])

    out = {}
    for held in NEW:
        rows = load_writer(held)
        triage.similarity.classifier = shipped
        before = score(triage, rows)
        pairs = examples(base + [m for n in NEW if n != held for m in load_writer(n)], triage.readings, exemplars)
        started = time.time()
        seeds = int(sys.argv[sys.argv.index("--seeds") + 1]) if "--seeds" in sys.argv else 1
        triage.similarity.classifier = fit(pairs, encode([t for t, _ in pairs]), model_key, seeds=seeds)
        after = score(triage, rows)
        out[held] = {"shipped": before, "plus_others": after}
        print(held, f"trained in {time.time() - started:.0f}s", "shipped", before, "plus the others", after, flush=True)
    if "--json" in sys.argv:
        Path(sys.argv[sys.argv.index("--json") + 1]).write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
