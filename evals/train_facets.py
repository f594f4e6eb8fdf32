"""Train the facet model (``src/medcite/qa/facet_model.json``): which heading an evidence sentence belongs under.

Run from the repository root (``MEDCITE_HOME``: the full shared library, read only)::

    .venv/bin/python evals/train_facets.py --vectors   # read and encode the guideline sentences (a few minutes)
    .venv/bin/python evals/train_facets.py             # fit from the cached vectors, write the model and report

Data: every guideline (MedQuAD) document of the library; each section carries its MedQuAD question type (the
chunk ``label``), which :data:`medcite.qa.facets.QTYPE_FACETS` maps to a facet: the sentence's target.  Sentences
come from the chunks through :func:`medcite.qa.sentences.split_sentences`, only those the answer engine could show
(:func:`medcite.qa.sentences.sentence_problem` is None); at most :data:`PER_FACET` a facet (drawn at random, seed 0),
so that the big sections (symptoms, information) do not swamp the small ones.  Features: the embedder's normalised
sentence vector (the one the answer service already caches for the relevance step).  The model: multinomial
logistic regression (C = :data:`C`), cross-validated by document (5 folds) against the cue rules, with and without
the section's label as their prior.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("MEDCITE_FACET_CACHE", "/tmp/medcite-facet-vectors.npz"))
PER_FACET = 3000
C = 4.0


def read_sentences(home: str) -> list[dict]:
    from medcite.corpus.ledger import Ledger
    from medcite.qa import facets
    from medcite.qa.sentences import sentence_problem, split_sentences
    from medcite.settings import Settings

    settings = Settings(home=home)
    ledger = Ledger(settings.ledger_path, settings.collection_name, readonly=True)
    by_facet: dict[str, list[dict]] = defaultdict(list)
    seen: set[str] = set()
    for doc in ledger.list_documents(kind="guideline"):
        for chunk in ledger.document_chunks(doc.id):
            facet = facets.facet_for_label(chunk.label)
            if facet is None:
                continue
            for text in split_sentences(chunk.text):
                if text in seen or sentence_problem(text) is not None:
                    continue
                seen.add(text)
                by_facet[facet].append({"doc": doc.id, "label": chunk.label, "facet": facet, "text": text})
    ledger.close()
    rng = random.Random(0)
    out = []
    for facet in sorted(by_facet):
        rows = by_facet[facet]
        rng.shuffle(rows)
        out.extend(rows[:PER_FACET])
    return out


def encode(home: str, rows: list[dict]):
    import numpy as np

    from medcite.embedding.model import Embedder
    from medcite.settings import Settings

    vectors = Embedder(Settings(home=home)).embed_documents([r["text"] for r in rows], show_progress=False)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def fit(rows: list[dict], x):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    from medcite.qa import facets

    y = np.array([r["facet"] for r in rows])
    groups = [r["doc"] for r in rows]
    model = LogisticRegression(C=C, max_iter=3000)
    cv = cross_val_predict(model, x, y, groups=groups, cv=GroupKFold(5), method="predict_proba")
    classes = np.array(sorted(set(y)))
    pred = classes[cv.argmax(1)]
    conf = cv.max(1)
    rules_prior = np.array([facets.classify_sentence(r["text"], r["label"]) for r in rows])
    rules_text = np.array([facets.classify_sentence(r["text"]) for r in rows])
    report = {
        "sentences": len(rows), "documents": len(set(groups)), "per_facet": dict(Counter(y.tolist())),
        "heldout_doc_accuracy": {
            "model": round(float((pred == y).mean()), 3),
            "rules_text_only": round(float((rules_text == y).mean()), 3),
            "rules_with_section_prior": round(float((rules_prior == y).mean()), 3),
        },
        "model_by_confidence": {f"{t:.1f}": {"share": round(float((conf >= t).mean()), 3),
                                             "accuracy": round(float((pred[conf >= t] == y[conf >= t]).mean()), 3)}
                                for t in (0.3, 0.5, 0.6, 0.7, 0.8, 0.9)},
        "model_recall_by_facet": {f: round(float((pred[y == f] == f).mean()), 3) for f in classes},
        "rules_text_recall_by_facet": {f: round(float((rules_text[y == f] == f).mean()), 3) for f in classes},
    }
    return model.fit(x, y), report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", action="store_true", help="re-read and encode the sentences first")
    parser.add_argument("--home", default=os.environ.get("MEDCITE_HOME", "/tmp/full-home"))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    import numpy as np

    from medcite.qa.facet_model import MODEL_FILE, THRESHOLD

    if args.vectors:
        rows = read_sentences(args.home)
        np.savez_compressed(CACHE, x=encode(args.home, rows).astype(np.float32),
                            rows=np.array([json.dumps(r) for r in rows]))
    data = np.load(CACHE)
    rows, x = [json.loads(r) for r in data["rows"]], data["x"]
    model, report = fit(rows, x)
    MODEL_FILE.write_text(json.dumps({
        "features": "embedder sentence vector", "dimension": int(x.shape[1]),
        "classes": [str(c) for c in model.classes_],
        "coef": [[round(float(v), 5) for v in row] for row in model.coef_],
        "intercept": [round(float(v), 5) for v in model.intercept_], "threshold": THRESHOLD, "trained_on": report,
    }) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
