"""Evaluation sets: the JSONL question format, validated loading with line numbers, writing and splits.

One question a line::

    {"id": "hw-ans-01", "question": "...", "relevant": {"GHR_0000804": 2, "pubmed:123": 1},
     "group": "answerable", "split": "dev", "decision": "yes", "must_mention": ["..."],
     "reference_answer": "...", "meta": {"source": "GHR"}}

``id``, ``question``, ``relevant`` and ``group`` are required; the rest are optional. A line without ``split`` is
in the dev split: a set that never names one is a single split, selected by ``--split dev`` and ``--split all``
(``--split test`` finds none of it). A field the format does not know is kept under ``meta`` (a key ``meta``
already holds is left as it is) and :func:`load_eval_set` logs one warning per file naming those fields, instead of
failing: evaluators bring their own sets. Grades
are ints >= 0, higher = more relevant, 0 = judged not relevant. An ``answerable`` question needs at least
one document graded above 0, an ``unanswerable`` one may have none; ``emergency``, ``adversarial`` and ``ordinary``
(a triage control: a message that must not be flagged)
questions may list documents or not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GROUPS: tuple[str, ...] = ("answerable", "unanswerable", "emergency", "adversarial", "ordinary")
DECISIONS: tuple[str, ...] = ("yes", "no", "maybe")
SPLITS: tuple[str, ...] = ("dev", "test")
REQUIRED_FIELDS: tuple[str, ...] = ("id", "question", "relevant", "group")
OPTIONAL_FIELDS: tuple[str, ...] = ("split", "decision", "must_mention", "reference_answer", "meta")
DEFAULT_SPLIT = "dev"  # the split of a line that names none
# A reference answer is a short summary for reading results, never a copy of the source text.
MAX_REFERENCE_CHARS = 400
DEFAULT_SPLIT_SEED = "medcite-evals-v1"
log = logging.getLogger(__name__)


class EvalSetError(ValueError):
    """A line of an evaluation set that does not follow the format; the message names file and line."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = str(path)
        self.line = line
        self.reason = reason


@dataclass
class EvalQuestion:
    """One evaluation question with its graded relevant documents; invalid values raise ValueError."""

    id: str
    question: str
    relevant: dict[str, int] = field(default_factory=dict)
    group: str = "answerable"
    split: str = "dev"
    decision: str | None = None
    must_mention: list[str] = field(default_factory=list)
    reference_answer: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_question(self)

    @property
    def relevant_ids(self) -> set[str]:
        """Documents graded above 0."""
        return {doc_id for doc_id, grade in self.relevant.items() if grade > 0}

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of one line: required fields always, optional ones only when set."""
        out: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "relevant": dict(self.relevant),
            "group": self.group,
            "split": self.split,
        }
        if self.decision is not None:
            out["decision"] = self.decision
        if self.must_mention:
            out["must_mention"] = list(self.must_mention)
        if self.reference_answer is not None:
            out["reference_answer"] = self.reference_answer
        if self.meta:
            out["meta"] = dict(self.meta)
        return out

    @classmethod
    def from_dict(cls, data: Any) -> EvalQuestion:
        """Build from one parsed JSON line; ValueError names the first problem found."""
        if not isinstance(data, Mapping):
            raise ValueError(f"expected a JSON object, found {_json_type(data)}")
        missing = [name for name in REQUIRED_FIELDS if name not in data]
        if missing:
            raise ValueError(f"missing required field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        unknown = sorted(set(data) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
        must_mention = data.get("must_mention")
        meta = data.get("meta")
        if unknown:
            if meta is not None and not isinstance(meta, dict):
                raise ValueError(f"meta must be an object, not {_json_type(meta)}")
            meta = dict(meta or {})
            for name in unknown:
                meta.setdefault(name, data[name])
        return cls(
            id=data["id"],
            question=data["question"],
            relevant=data["relevant"],
            group=data["group"],
            split=DEFAULT_SPLIT if data.get("split") is None else data["split"],
            decision=data.get("decision"),
            must_mention=[] if must_mention is None else must_mention,
            reference_answer=data.get("reference_answer"),
            meta={} if meta is None else meta,
        )


def load_eval_set(path: Path | str) -> list[EvalQuestion]:
    """Every question of a JSONL evaluation set, in file order.

    Blank lines are allowed. Any invalid line (bad JSON, a missing required field, a wrong type or value,
    an id already used on an earlier line) raises EvalSetError (a ValueError) naming the file and line. Fields
    the format does not know are kept under ``meta``, with one warning for the file (:func:`unknown_fields_warning`).
    """
    questions, warnings = load_eval_set_with_warnings(path)
    for warning in warnings:
        log.warning("%s", warning)
    return questions


def unknown_fields_warning(path: Path | str, counts: Mapping[str, int], lines: int) -> str:
    """The one warning of a file whose lines carry fields the format does not know."""
    names = ", ".join(f"{name} ({n} line{'s' if n > 1 else ''})" for name, n in sorted(counts.items()))
    return (f"{path}: {lines} line{'s' if lines > 1 else ''} carry fields the evaluation format does not know: "
            f"{names}; kept under meta (known: {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)})")


def load_eval_set_with_warnings(path: Path | str) -> tuple[list[EvalQuestion], list[str]]:
    """:func:`load_eval_set` without logging: (questions, warnings) for a caller that reports them itself."""
    path = Path(path)
    unknown: dict[str, int] = {}
    unknown_lines = 0
    questions: list[EvalQuestion] = []
    first_line: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EvalSetError(path, _line_of_offset(path, exc.start), "not valid UTF-8") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalSetError(path, number, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        if isinstance(data, Mapping):
            extra = set(data) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
            unknown_lines += bool(extra)
            for name in extra:
                unknown[name] = unknown.get(name, 0) + 1
        try:
            question = EvalQuestion.from_dict(data)
        except (ValueError, TypeError) as exc:
            qid = data.get("id") if isinstance(data, dict) else None
            where = f"question {qid!r}: " if isinstance(qid, str) and qid else ""
            raise EvalSetError(path, number, f"{where}{exc}") from None
        if question.id in first_line:
            raise EvalSetError(path, number, f"duplicate id {question.id!r} (first on line {first_line[question.id]})")
        first_line[question.id] = number
        questions.append(question)
    return questions, ([unknown_fields_warning(path, unknown, unknown_lines)] if unknown else [])


def write_eval_set(path: Path | str, questions: Iterable[EvalQuestion]) -> int:
    """Write questions as JSONL (UTF-8, one object a line), replacing the file atomically; returns the count.

    Each question is validated again and ids must be unique (ValueError otherwise, before anything is written).
    """
    path = Path(path)
    lines: list[str] = []
    seen: set[str] = set()
    for question in questions:
        if not isinstance(question, EvalQuestion):
            raise TypeError(f"expected EvalQuestion, got {type(question).__name__}")
        _check_question(question)
        if question.id in seen:
            raise ValueError(f"duplicate id {question.id!r}")
        seen.add(question.id)
        lines.append(json.dumps(question.to_dict(), ensure_ascii=False, separators=(", ", ": ")))
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp would leave 0600
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("".join(line + "\n" for line in lines))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(lines)


def split_filter(questions: Iterable[EvalQuestion], split: str | None) -> list[EvalQuestion]:
    """The questions of one split ("dev" or "test"); ``None`` or "all" keeps every question."""
    if split is None or split == "all":
        return list(questions)
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {', '.join(SPLITS)} or 'all'")
    return [q for q in questions if q.split == split]


def assign_splits(keys: Iterable[str], seed: str = DEFAULT_SPLIT_SEED) -> dict[str, str]:
    """A fixed 50/50 dev/test split: keys ordered by sha256(f"{seed}:{key}"), the first half (rounded up) dev.

    Depends only on the keys and the seed, not on their order or on Python's hash randomisation.
    """
    unique = sorted(set(keys), key=lambda key: hashlib.sha256(f"{seed}:{key}".encode()).hexdigest())
    half = (len(unique) + 1) // 2
    return {key: ("dev" if rank < half else "test") for rank, key in enumerate(unique)}


def _lone_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def _check_question(q: EvalQuestion) -> None:
    if not isinstance(q.id, str) or not q.id.strip():
        raise ValueError("id must be a non-empty string")
    if q.id != q.id.strip():
        raise ValueError(f"id {q.id!r} has leading or trailing whitespace")
    if not isinstance(q.question, str) or not q.question.strip():
        raise ValueError("question must be a non-empty string")
    if _lone_surrogate(q.id) or _lone_surrogate(q.question):
        raise ValueError("the id or question holds a lone surrogate (an escape such as \\ud800 with no pair): "
                         "not text")
    if not isinstance(q.relevant, dict):
        raise ValueError(f"relevant must be an object of document id -> grade, not {_json_type(q.relevant)}")
    for doc_id, grade in q.relevant.items():
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise ValueError("relevant has an empty document id")
        if isinstance(grade, bool) or not isinstance(grade, int):
            raise ValueError(f"grade of {doc_id!r} must be an integer, not {_json_type(grade)}")
        if grade < 0:
            raise ValueError(f"grade of {doc_id!r} must be >= 0, not {grade}")
    if q.group not in GROUPS:
        raise ValueError(f"group must be one of {', '.join(GROUPS)}, not {q.group!r}")
    positive = [doc_id for doc_id, grade in q.relevant.items() if grade > 0]
    if q.group == "answerable" and not positive:
        raise ValueError("an answerable question needs at least one relevant document with grade > 0")
    if q.group == "unanswerable" and positive:
        raise ValueError(f"an unanswerable question cannot have relevant documents (grade > 0): {positive}")
    if q.split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {q.split!r}")
    if q.decision is not None and q.decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {q.decision!r}")
    if not isinstance(q.must_mention, list):
        raise ValueError(f"must_mention must be a list of strings, not {_json_type(q.must_mention)}")
    for phrase in q.must_mention:
        if not isinstance(phrase, str) or not phrase.strip():
            raise ValueError("must_mention must hold non-empty strings")
    if q.reference_answer is not None:
        if not isinstance(q.reference_answer, str) or not q.reference_answer.strip():
            raise ValueError("reference_answer must be a non-empty string when given")
        if len(q.reference_answer) > MAX_REFERENCE_CHARS:
            raise ValueError(f"reference_answer is {len(q.reference_answer)} characters; "
                             f"keep it under {MAX_REFERENCE_CHARS} (a summary, not the source text)")
    if not isinstance(q.meta, dict):
        raise ValueError(f"meta must be an object, not {_json_type(q.meta)}")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
             int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _line_of_offset(path: Path, offset: int) -> int:
    return path.read_bytes()[:offset].count(b"\n") + 1
