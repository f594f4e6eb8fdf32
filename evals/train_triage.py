"""Train the triage classifier (``src/medcite/triage/classifier.npz``) from every written triage message.

Run from the repository root: ``.venv/bin/python evals/train_triage.py [--home DIR] [--check]``.

Training texts (see ``medcite.triage.learned`` for why a classifier):

* the 2,803 exemplars of ``src/medcite/triage/exemplars.jsonl``, each at its level;
* sixteen writers' messages of ``evals/triage/`` (``WRITERS`` less ``UNUSED``, 6,580 messages): six reported once
  already, now development data; held-out F (reported in round 5, trained on since round 6), held-out G (reported
  in round 6, trained on since round 7) and held-out K (441 messages, reported in round 7, trained on since round
  8): spent, now development data; held-out L (440, reported in round 8) and the training-only writer N are kept
  out (``UNUSED``); round 6's two training-only writers H and I; and round 7's training-only writer J
  (``train_j``, 434 messages: settled histories, urgent messages with a past history and something happening now,
  idioms and dosage questions, Spanish, plain-statement poisonings, flat emergencies); since session 10 the four
  spent held-out writers M, O, P and Q (1,619 messages), with each head the mean of five networks (``SEEDS``).
  Measured (docs/evals.md, triage round 11): one network on the added writers gained recall on them held out by
  writer but lost on the fresh writer R (false alarms 24 -> 27, one more crisis reply, a pinned idiom flagged); five
  networks held out by writer: recall 771 -> 775 of 820, false alarms 100 -> 93, crisis replies 45 -> 41; then on
  the fresh writer S, run once beside the single-network classifier: recall 0.945 -> 0.960, self-harm level 0.975
  -> 1.000, false alarms 20 -> 19 of 198, crisis replies 10 -> 9.
  A control message (level none) is taken with each of its pieces as ``Triage.readings`` cuts them, an urgent one
  as a whole, and as its one piece when it has only one (a long urgent message has ordinary sentences around its
  red flag, so its pieces are no urgent examples).

Two heads (``learned.Head``): urgent vs none, and the five levels; one hidden layer of 256, L2 alpha 1e-3, early
stopping on a 10% validation split, seeds 0-4 averaged (``sklearn.neural_network.MLPClassifier``). ``--check``
trains again and fails when the committed file's training digest differs (exemplars or messages changed without
retraining).
A held-out writer's messages are never in ``WRITERS``: add a set here only once it has been reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WRITERS = {"a": "messages_a", "b": "messages_b", "c": "heldout_c", "d": "heldout_d", "e": "heldout_e",
           "r4": "dev_r4", "f": "heldout_f", "g": "heldout_g", "h": "train_h", "i": "train_i", "j": "train_j",
           "k": "heldout_k", "l": "heldout_l", "n": "train_n",
           "m": "heldout_m", "o": "heldout_o", "p": "heldout_p", "q": "heldout_q"}
# Writers whose messages were written for training alone, after reading failures by class: never held out by
# ``triage_lowo.py`` (their own row would say how well the classifier learns its own lesson, not how it transfers).
TRAINING_ONLY = frozenset({"n"})
# Writers the shipped classifier is not trained on (``triage_lowo.py --with`` adds them to every fold), measured in
# round 9 (docs/evals.md, triage round 9):
# - N (480 long messages: ordinary stories with alarming words, and red flags buried in long stories, written for
#   training) cost recall and self-harm level on held-out G, K and L (0.946 / 0.952 / 0.073 -> 0.939 / 0.919 /
#   0.064; its ordinary stories taken whole only, 0.938 / 0.928 / 0.071) and left the four long false alarms of the
#   round-6 and round-7 blind reads as they were (``evals/reports/triage/lowo_r9/``);
# - L (round 8's held-out set, spent): trained on, it raised the flags on 578 ordinary dev questions 11 -> 17 and
#   the crisis replies among them (which withhold the answer) 1 -> 3: a milk-allergy question and a research title
#   on fentanyl deaths got the crisis reply. Its held-out M run is reported beside the shipped code's.
UNUSED = frozenset({"n", "l"})
HIDDEN = 256
ALPHA = 1e-3
SEEDS = 5  # each head the mean of five networks (seeds 0-4), session 10


def load_writer(name: str) -> list[dict]:
    path = ROOT / "evals" / "triage" / f"{WRITERS[name]}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{**r, "writer": name} for r in rows]


def examples(messages: Iterable[dict], readings: Callable[[str], tuple[list[str], list[bool], list[str]]],
             exemplars: Sequence) -> list[tuple[str, str]]:
    """(text, level) pairs: the exemplars, then each message as described in the module docstring."""
    out = [(e.text, e.level) for e in exemplars]
    for m in messages:
        texts, _, _ = readings(m["text"])
        if m["level"] == "none":
            out += [(t, "none") for t in dict.fromkeys([*texts, m["text"]])]
        else:
            out += [(t, m["level"]) for t in dict.fromkeys([m["text"], *(texts if len(texts) == 1 else [])])]
    return out


def digest(pairs: Sequence[tuple[str, str]], model_key: str) -> str:
    h = hashlib.sha256(f"{model_key}|{HIDDEN}|{ALPHA}\n".encode())
    for text, level in pairs:
        h.update(f"{text}\t{level}\n".encode())
    return h.hexdigest()[:16]


def fit(pairs: Sequence[tuple[str, str]], vectors: np.ndarray, model_key: str, seed: int = 0, seeds: int = 1):
    """The classifier trained on ``pairs`` whose vectors are ``vectors`` (one row per pair); ``seeds`` > 1: each
    head the mean of that many networks, seeds ``seed`` to ``seed + seeds - 1``."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from medcite.triage.learned import HEAD_LEVELS, Classifier, Head, HeadMean

    y = np.array([HEAD_LEVELS.index(level) for _, level in pairs])

    def net(target: np.ndarray, random_state: int) -> Head:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted = MLPClassifier((HIDDEN,), alpha=ALPHA, max_iter=300, early_stopping=True,
                                   random_state=random_state).fit(vectors, target)
        return Head(fitted.coefs_[0], fitted.intercepts_[0], fitted.coefs_[1], fitted.intercepts_[1])

    def head(target: np.ndarray) -> Head | HeadMean:
        if seeds == 1:
            return net(target, seed)
        return HeadMean(tuple(net(target, seed + i) for i in range(seeds)))

    key = model_key if seeds == 1 else f"{model_key}|seeds={seeds}"
    return Classifier(head(y != 0), head(y), model_key, digest(pairs, key))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--check", action="store_true", help="fail when the committed classifier is stale")
    args = parser.parse_args(argv)

    from medcite.embedding.model import Embedder
    from medcite.settings import Settings
    from medcite.triage import Triage
    from medcite.triage.learned import CLASSIFIER, read_classifier
    from medcite.triage.similarity import load_exemplars

    settings = Settings(home=args.home) if args.home else Settings()
    embedder = Embedder(settings, threads=settings.query_torch_threads)
    model_key = f"{settings.embedding_model}|{settings.embedding_backend}"
    triage = Triage(known_words=embedder.word_list())
    messages = [m for name in WRITERS if name not in UNUSED for m in load_writer(name)]
    pairs = examples(messages, triage.readings, load_exemplars())
    if args.check:
        committed = read_classifier(CLASSIFIER)
        fresh = digest(pairs, model_key if SEEDS == 1 else f"{model_key}|seeds={SEEDS}")
        print(f"committed {committed.digest}, training data {fresh}")
        return 0 if committed.digest == fresh else 1
    print(f"{len(pairs)} training texts from {len(messages)} messages", file=sys.stderr)
    vectors = np.asarray(embedder.embed_documents([t for t, _ in pairs]), dtype=np.float32)
    classifier = fit(pairs, vectors, model_key, seeds=SEEDS)
    classifier.save(CLASSIFIER)
    print(f"wrote {CLASSIFIER} ({CLASSIFIER.stat().st_size} bytes, digest {classifier.digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
