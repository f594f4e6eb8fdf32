"""The answer document (:mod:`medcite.answer.document`), its one Markdown writer and its JSON contract."""

from medcite.answer.document import (
    SCHEMA,
    Answer,
    BottomLine,
    Consideration,
    Refusal,
    ResearchFacet,
    Suggestion,
)
from medcite.types import Citation, Statement

__all__ = ["SCHEMA", "Answer", "BottomLine", "Citation", "Consideration", "Refusal", "ResearchFacet", "Statement",
           "Suggestion"]
