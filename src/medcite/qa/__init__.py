"""Question answering over the library: the public entry points for the CLI, the UI and the evals."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from medcite.answer import Answer
from medcite.qa.retrieve import Filters

__all__ = ["Answer", "Filters", "answer", "stream_answer"]


def answer(
    question: str,
    history: Sequence[tuple[str, str]] | None = None,
    filters: Filters | None = None,
    *,
    engine: str | None = None,
    mode: str | None = None,
) -> Answer:
    """Answer ``question`` from the library only, with numbered citations (or abstain, saying so).

    ``history`` is the chat so far as (user, assistant) turns; ``engine`` is "offline" or "llm" (default:
    MEDCITE_ENGINE); ``mode`` is the retrieval mode "hybrid", "dense" or "lexical" (default:
    MEDCITE_RETRIEVAL_MODE).
    """
    from medcite.qa.service import get_service

    return get_service().answer(question, history, filters, engine=engine, mode=mode)


def stream_answer(
    question: str,
    history: Sequence[tuple[str, str]] | None = None,
    filters: Filters | None = None,
    *,
    engine: str | None = None,
    mode: str | None = None,
) -> Iterator[str | Answer]:
    """Like :func:`answer`, but yields a flagged message's ``TriageResult`` first (its actions can be shown at
    once), then text pieces as they are generated, and the final Answer last."""
    from medcite.qa.service import get_service

    yield from get_service().stream(question, history, filters, engine=engine, mode=mode)
