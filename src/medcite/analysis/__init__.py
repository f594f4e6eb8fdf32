"""Question analysis: focus (in the library's own names), types, population and sub-questions (issue 13)."""

from medcite.analysis.question import Focus, QuestionAnalysis, QuestionAnalyzer, SubQuestion, canonical
from medcite.analysis.types import QUESTION_TYPES, question_types, section_types
from medcite.analysis.vocabulary import Vocabulary

__all__ = ["QUESTION_TYPES", "Focus", "QuestionAnalysis", "QuestionAnalyzer", "SubQuestion", "Vocabulary",
           "canonical", "question_types", "section_types"]
