"""Evaluation sets (JSONL questions with graded relevant documents) and the metrics computed over them."""

from medcite.evals.datasets import (
    DECISIONS,
    GROUPS,
    SPLITS,
    EvalQuestion,
    EvalSetError,
    assign_splits,
    load_eval_set,
    split_filter,
    write_eval_set,
)
from medcite.evals.metrics import QuestionResult, aggregate

__all__ = [
    "DECISIONS",
    "GROUPS",
    "SPLITS",
    "EvalQuestion",
    "EvalSetError",
    "QuestionResult",
    "aggregate",
    "assign_splits",
    "load_eval_set",
    "split_filter",
    "write_eval_set",
]
