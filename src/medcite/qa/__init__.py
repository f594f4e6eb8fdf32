"""Question answering over the library: the one public entry point for the CLI, the UI and the evals."""

from __future__ import annotations

from collections.abc import Sequence

from medcite.qa.retrieve import Filters
from medcite.types import Answer

__all__ = ["Answer", "Filters", "answer"]


def answer(
    question: str,
    history: Sequence[tuple[str, str]] | None = None,
    filters: Filters | None = None,
    *,
    engine: str | None = None,
) -> Answer:
    """Answer ``question`` from the library only, with numbered citations (or abstain, saying so)."""
    from medcite.qa.service import get_service

    return get_service().answer(question, history, filters, engine=engine)
