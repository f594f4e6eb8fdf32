"""What a question asks, in the evidence scorer's terms: weighted content stems, the key ones, the focus and the
intents (:class:`QueryProfile`, :func:`analyze_question`), and for a follow-up ("and its side effects?") the previous
question's terms at a lower weight.

Generic words ("treat", "help", "disease") weigh ``GENERIC_WEIGHT`` of a key term: they match too many sentences to
say what a question is about. A name typed with capitals or as an acronym is a focus term.

    >>> p = analyze_question("How is gout treated?")
    >>> sorted(p.key_terms), p.intents[0]
    (['gout'], 'Treatment')
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from medcite.qa import facets
from medcite.qa.text import Forms, is_followup, is_generic, term_set

GENERIC_WEIGHT = 0.4
_CAPITALISED = re.compile(r"\b(?:[A-Z]{2,}[A-Za-z0-9]*|[A-Z][a-z]+(?:-[A-Z][a-z]+)+)\b")


@dataclass(frozen=True)
class QueryProfile:
    """What the question asks: weighted content stems, the key ones, the focus and the intents."""

    question: str
    terms: dict[str, float]
    key_terms: frozenset[str]
    focus_terms: frozenset[str]
    intents: tuple[str, ...]
    history_terms: frozenset[str] = frozenset()
    core_terms: frozenset[str] = frozenset()  # the key terms of the question itself (not of history)
    leans_on_history: bool = False  # a follow-up without topical words of its own ("and its side effects?")

    def required_core(self, share: float) -> int:
        """How many core terms one passage must hold for the library to know the topic: ``share`` of
        them, and at least two when the question has two or more (one for a follow-up leaning on the
        previous question)."""
        n = len(self.core_terms)
        if n <= 1 or self.leans_on_history:
            return min(n, 1)
        return max(2, math.ceil(share * n - 1e-9))


def analyze_question(
    question: str,
    history: Sequence[tuple[str, str]] | None = None,
    *,
    acronyms: dict[tuple[str, ...], str] | Forms | None = None,
    history_weight: float = 0.5,
) -> QueryProfile:
    """Weighted content terms, key terms and intents of ``question`` (and of the previous user turn
    when ``question`` is a follow-up such as "and its side effects?")."""
    terms: dict[str, float] = {}
    for t in sorted(term_set(question, acronyms, replace=True, keep_ambiguous=True)):
        terms[t] = GENERIC_WEIGHT if is_generic(t) else 1.0
    key = {t for t in terms if not is_generic(t)}
    core = set(key)
    intents = facets.question_intents(question)
    history_terms: set[str] = set()
    prior = _previous_question(history) if history else ""
    if prior and is_followup(question):
        for t in sorted(term_set(prior, acronyms, replace=True, keep_ambiguous=True)):
            if t in terms:
                continue
            terms[t] = history_weight * (GENERIC_WEIGHT if is_generic(t) else 1.0)
            history_terms.add(t)
            if not is_generic(t):
                key.add(t)
        if not intents:
            intents = facets.question_intents(prior)
    if not key:
        key = set(terms)
    leans = False
    if not core:
        # A follow-up without topical words of its own ("and the side effects?") leans on the previous
        # question: its names and acronyms, else its key terms; any one of them will do.
        leans = bool(history_terms & key)
        named = {
            t
            for word in _CAPITALISED.findall(prior)
            for t in term_set(word, acronyms, replace=True, keep_ambiguous=True)
            if t in key
        }
        core = named or set(key)
    focus = {
        t
        for word in _CAPITALISED.findall(question)
        for t in term_set(word, acronyms, replace=True, keep_ambiguous=True)
        if t in key
    }
    return QueryProfile(
        question=question,
        terms=terms,
        key_terms=frozenset(key),
        focus_terms=frozenset(focus),
        intents=intents,
        history_terms=frozenset(history_terms),
        core_terms=frozenset(core),
        leans_on_history=leans,
    )


def _previous_question(history: Sequence[tuple[str, str]]) -> str:
    for user, _assistant in reversed(history):
        if user and user.strip():
            return user
    return ""
