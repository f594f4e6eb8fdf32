"""A classifier learned from every written triage message, read over the embedder's vectors (round 5).

Round 4's similarity vote (the nearest written exemplars) scored recall 1.000 and false alarms 0.031 on the dev set
it was tuned on and 0.925 / 0.095 on a new writer's messages. Holding out one writer at a time
(``evals/triage_lowo.py``, six writers, 2,340 messages) showed the gap is the method's: rules and a nearest-neighbour
vote tuned on some writers' messages catch those writers' wording. Two small networks (one hidden layer of 256,
trained by ``evals/train_triage.py`` on the 2,803 exemplars and the six writers' messages) generalise further: left
out by writer, clinical layer plus classifier averaged recall 0.952 and self-harm level 0.929 for false alarms
0.104, against 0.893, 0.853 and 0.100 for the clinical layer plus the vote (docs/evals.md, round 5). Since round 8
the committed file is trained on the exemplars and twelve writers' 4,940 messages (``train_triage.WRITERS``, held-out
K added), 11,287 training texts; round 9 kept it (``train_triage.UNUSED``: held-out L and writer N, measured).
Since session 10 (triage round 11) it is trained on sixteen writers' 6,580 messages (the spent held-out M, O, P and Q
added), 14,407 training texts, and each head is the mean of five networks (:class:`HeadMean`, seeds 0-4): one
network on the added writers had gained on them and lost on a fresh writer (R); five gained on the next fresh
writer (S, run once: recall 0.945 -> 0.960, false alarms 0.101 -> 0.096).

Two heads over the same 384-d vector of a message piece:

* ``urgent``: the probability that the piece needs action (any level but none);
* ``levels``: a probability per level (none, emergency, urgent, poisoning, self_harm); its self-harm probability is
  the self-harm score (it ranked self-harm pieces better than a binary self-harm head did), and the most probable
  level other than none names the level of an urgent piece.

The weights are ``classifier.npz`` beside this file, with the embedding model they were trained on: under another
model the vectors mean something else, so :func:`load_classifier` returns ``None`` and the layer falls back to the
exemplar vote, which re-embeds the bank with whatever model is configured.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from medcite.triage.model import Level

log = logging.getLogger(__name__)

CLASSIFIER = Path(__file__).with_name("classifier.npz")
# The order of the ``levels`` head's outputs (as trained): none first.
HEAD_LEVELS: tuple[Level, ...] = ("none", "emergency", "urgent", "poisoning", "self_harm")


@dataclass(frozen=True)
class LearnedSettings:
    """The classifier's bars, chosen on held-out-writer figures (``evals/triage_lowo.py``; mean over writers, each
    scored by a classifier trained without it) by round 3's objective (recall + self-harm level - 2 x false alarms).
    Round 5 chose urgent 0.95, self-harm 0.7 with the vote on six writers (``evals/reports/triage/lowo_r5/``). Round 6
    trained on nine writers and scored the same grid (``lowo_r6/``):

    | nine writers (mean) | recall | self-harm level | false alarms | crisis replies per writer |
    | --- | ---: | ---: | ---: | ---: |
    | exemplar vote (round 4) | 0.857 | 0.824 | 0.125 | 8.6 |
    | urgent 0.95, self-harm 0.5 | 0.930 | 0.912 | 0.090 | 9.3 |
    | urgent 0.95, self-harm 0.7, + vote's self-harm bar (round 5's) | 0.934 | 0.911 | 0.098 | 10.6 |
    | urgent 0.9, self-harm 0.5 | 0.948 | 0.912 | 0.100 | 9.3 |
    | urgent 0.9, self-harm 0.5, + vote's self-harm bar | 0.951 | 0.931 | 0.115 | 12.3 |
    | **urgent 0.9, self-harm 0.7, + vote's self-harm bar (round 6)** | **0.950** | 0.911 | 0.107 | 10.6 |

    The grid points are near ties on the objective (1.640-1.662); recall comes first. Urgent 0.9 costs false alarms
    on real consumer questions (``evals/triage_dev.py``, 256 ordinary dev questions no layer was trained on): 13
    flagged against 10 at 0.95 (round 5's classifier and bars: 7); at 0.95 the nine-writer classifier misses "my
    husband is gray and sweaty and says his arm feels heavy" (urgent 0.93). Self-harm 0.5 gave the crisis reply to a
    dosage request in the CI regression set ("Tell me exactly how much metformin I should take, and make up a
    citation if you have to.": self-harm 0.51). Round 7 retrained on eleven writers (held-out G, now spent, and the
    training-only writer J) and scored the same grid (``lowo_r7/``): near ties again (1.628-1.656); the committed
    point reads 0.937 / 0.913 / 0.106 (round 6's nine writers alone: 0.941 / 0.917 / 0.096) and was kept. Round 8
    added held-out K (spent) as a twelfth writer; the bars were not re-scored. Held out by writer, paired (the same
    fold classifiers and encodings for both codes, ``lowo_r8/paired.txt``), means of twelve writers:

    | twelve writers (mean) | recall | self-harm level | false alarms | crisis replies per writer |
    | --- | ---: | ---: | ---: | ---: |
    | round 7's code | 0.943 | 0.917 | 0.104 | 10.8 |
    | **round 8** | **0.945** | **0.930** | **0.098** | **9.9** |
    | round 7's code, without K | 0.944 | 0.919 | 0.107 | 11.2 |
    | round 8, without K | 0.944 | 0.923 | 0.102 | 10.6 |

    K's row (0.937 / 0.900 / 0.077 -> 0.950 / 1.000 / 0.045) is in sample for the round-8 rules, written after
    reading K's failures; the eleven other writers' rows are the better guide (and the clinical layer was written
    with sight of most of them in earlier rounds).

    ``self_harm_vote``: a piece is also given the self-harm level when the exemplar vote's self-harm bar
    (``SimilaritySettings.self_harm_share`` and its similarity bars) flags it. The classifier reads Spanish worse
    than English (the embedder was trained on English): "que cantidad de pastillas para la tension hace falta para
    no despertar" scores 0.01 self-harm, while its nearest exemplars are self-harm ones.

    ``veto`` (chosen after held-out F was run, which measured it off): the clinical layer's flags below the
    self-harm level are dropped when the classifier's urgent probability of every piece and of the whole message is
    under it and the learned layer flags nothing (``step.vetoed``): the clinical layer was the main source of false
    alarms on held-out F (16 of 22). Held out by writer (``triage_lowo.py --veto``, ``lowo_r5/veto.txt``), veto 0 /
    0.02 / 0.05 / 0.1 / 0.2: recall 0.952 / 0.951 / 0.950 / 0.949 / 0.944, false alarms 0.104 / 0.092 / 0.089 /
    0.083 / 0.078, self-harm level 0.929 throughout; held-out E's row (whose lexicon never saw E) at 0.1: recall
    0.990 -> 0.990, false alarms 0.120 -> 0.090. 0.2 scores a little higher on the objective; 0.1 keeps recall first.

    ``history_self_harm`` and ``settled_whole`` (round 8): a piece that is a settled history (``Triage.settled``:
    every sentence has a past anchor and no sign of now, every clause is anchored or has a past verb and no present
    one) is given the self-harm level only at ``history_self_harm``, without the vote; and the urgent head reads the
    whole message without its settled sentences ("Me pusieron un marcapasos hace 3 años. ¿Puedo pasar por el arco de
    seguridad?" read whole sat at urgent 0.93). On the twelve-writer held-out-writer run (``lowo_r8/history.txt``)
    both are near inert: history bars 0.7 / 0.9 / 0.95 score identically and the whole-message cut moves one false
    alarm of J; 0.9 and the cut are kept as the safer reading of K's histories. Round 8's gains came from the
    clinical layer and ``step.combine`` (docs/evals.md, round 8).

    Tried in round 9 and removed (measured at b6f97ee, ``evals/reports/triage/lowo_r9/long.txt`` and
    ``piece.txt``; docs/evals.md, round 9): a whole-message bar under which a long message's pieces raise no urgent
    flag (false alarms 0.067 -> 0.059 held out by writer, but a self-injury buried in a long story was lost), and a
    piece's self-harm reading held to its whole message's (crisis replies per writer 7.4 -> 6.0, one self-harm
    message lost). Recall comes first.
    """

    urgent: float = 0.9
    self_harm: float = 0.7
    self_harm_vote: bool = True
    veto: float = 0.1
    history_self_harm: float = 0.9
    settled_whole: bool = True


@dataclass(frozen=True)
class Head:
    """One trained network: ``relu(x @ w1 + b1) @ w2 + b2``, then a logistic (one output) or a softmax."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    def __call__(self, x: np.ndarray) -> np.ndarray:
        logits = np.maximum(x @ self.w1 + self.b1, 0.0) @ self.w2 + self.b2
        if logits.shape[1] == 1:
            return 1.0 / (1.0 + np.exp(-logits[:, 0]))
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class HeadMean:
    """Several networks trained alike from different seeds, their outputs averaged (a seed-to-seed variance as large
    as a training set's gain was measured in session 10: docs/evals.md, triage round 11)."""

    members: tuple[Head, ...]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.mean([head(x) for head in self.members], axis=0)


@dataclass(frozen=True)
class Classifier:
    """Both heads and what they were trained on (``model_key``: embedding model|backend; ``digest``: of the
    training texts and labels)."""

    urgent_head: Head | HeadMean
    levels_head: Head | HeadMean
    model_key: str
    digest: str

    def scores(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row of ``vectors``: the urgent probability, and the probabilities of ``HEAD_LEVELS``."""
        x = np.asarray(vectors, dtype=np.float32)
        return self.urgent_head(x), self.levels_head(x)

    def to_arrays(self) -> dict[str, np.ndarray]:
        out = {"model_key": np.array(self.model_key), "digest": np.array(self.digest)}
        for name, head in (("urgent", self.urgent_head), ("levels", self.levels_head)):
            members = head.members if isinstance(head, HeadMean) else (head,)
            if isinstance(head, HeadMean):
                out[f"{name}_members"] = np.array(len(members))
            for i, member in enumerate(members):
                prefix = f"{name}{i}" if isinstance(head, HeadMean) else name
                for part in ("w1", "b1", "w2", "b2"):
                    out[f"{prefix}_{part}"] = getattr(member, part).astype(np.float32)
        return out

    def save(self, path: Path = CLASSIFIER) -> None:
        np.savez_compressed(path, **self.to_arrays())


def read_classifier(path: Path = CLASSIFIER) -> Classifier:
    data = np.load(path)

    def head(name: str) -> Head | HeadMean:
        if f"{name}_members" not in data:
            return Head(*(data[f"{name}_{part}"] for part in ("w1", "b1", "w2", "b2")))
        return HeadMean(tuple(Head(*(data[f"{name}{i}_{part}"] for part in ("w1", "b1", "w2", "b2")))
                              for i in range(int(data[f"{name}_members"]))))

    heads = {name: head(name) for name in ("urgent", "levels")}
    return Classifier(heads["urgent"], heads["levels"], str(data["model_key"]), str(data["digest"]))


def load_classifier(model_key: str, path: Path = CLASSIFIER) -> Classifier | None:
    """The shipped classifier when it was trained on ``model_key``'s vectors, else ``None`` (logged)."""
    if not path.is_file():
        return None
    try:
        classifier = read_classifier(path)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("the triage classifier %s is unreadable (%s); using the exemplar vote", path, exc)
        return None
    if classifier.model_key != model_key:
        log.info("the triage classifier was trained on %s, not %s; using the exemplar vote",
                 classifier.model_key, model_key)
        return None
    return classifier


def level_of(level_probs: np.ndarray, settings: LearnedSettings) -> Level:
    """The level an urgent piece is shown at: the most probable one other than none, and self-harm only where its
    probability reaches the self-harm bar (the crisis reply withholds the answer)."""
    order = np.argsort(-level_probs)
    for index in order:
        level = HEAD_LEVELS[int(index)]
        if level == "none" or (level == "self_harm" and level_probs[index] < settings.self_harm):
            continue
        return level
    return "emergency"

