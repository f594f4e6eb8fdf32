"""Known words that name what the library lacks, confirmed against what retrieval found (invented names only)."""

from __future__ import annotations

import pytest

from medcite.analysis import QuestionAnalyzer, Vocabulary
from medcite.analysis.coverage import absent_names, candidates

from .test_vocabulary import ENGLISH, ROWS

# words the lexical index holds but the English list lacks ("zopping" in two unrelated chunks)
INDEX = {"zopping", "nasal", "gout"}
WORDS = ("am i a candidate for the implant is at night safe my son should with what are does help which older "
         "quorvel new pump people when in our city general complaint please consult about")


@pytest.fixture
def analyzer() -> QuestionAnalyzer:
    rows = [*ROWS, ("d-gout", "gout", "Gout", "title")]
    vocabulary = Vocabulary.from_rows(rows, english=ENGLISH | frozenset(WORDS.split()),
                                      has_word=lambda w: w in INDEX, documents=100)
    return QuestionAnalyzer(vocabulary)


def lookup_from(table: dict[str, frozenset[str] | None]):
    return lambda words: table.get(words.lower(), frozenset())


def absent(analyzer: QuestionAnalyzer, question: str, table: dict, retrieved=(("d-gout", 0.6),)) -> tuple[str, ...]:
    return absent_names(analyzer.run(question), analyzer.vocabulary, list(retrieved), lookup_from(table))


def test_a_capitalised_english_word_inside_a_sentence_is_a_name_candidate(analyzer):
    question = "Am I a candidate for the Quorvel implant for gout?"
    assert ("Quorvel", ("Quorvel",)) in candidates(analyzer.run(question), analyzer.vocabulary)
    table = {"quorvel": frozenset({"d-other"})}  # one unrelated page uses the word
    assert absent(analyzer, question, table) == ("Quorvel",)
    # a page retrieval found uses it, or a passage is a close match for the question: covered
    assert absent(analyzer, question, {"quorvel": frozenset({"d-gout"})}) == ()
    assert absent(analyzer, question, table, retrieved=(("d-gout", 0.8),)) == ()
    assert absent(analyzer, question, {"quorvel": None}) == ()  # a common word


def test_a_rare_phrase_in_the_focus_position_is_a_candidate(analyzer):
    question = "Is nasal zopping at night safe for gout?"
    table = {"nasal zopping": frozenset(), "zopping": frozenset({"d-a", "d-b"}), "nasal": None}
    assert absent(analyzer, question, table) == ("nasal zopping",)
    assert absent(analyzer, question, {**table, "zopping": frozenset({"d-gout"})}) == ()


def test_a_person_or_a_title_is_no_candidate(analyzer):
    assert candidates(analyzer.run("Is my son at risk of gout?"), analyzer.vocabulary) == []
    # a subject line before the message: its capitals say nothing
    assert candidates(analyzer.run("Our City - General Complaint. Please consult about gout"),
                      analyzer.vocabulary) == []


def test_nothing_is_confirmed_without_similarities(analyzer):
    assert absent(analyzer, "Am I a candidate for the Quorvel implant for gout?", {"quorvel": frozenset()},
                  retrieved=(("d-gout", None),)) == ()


def test_a_confirmed_name_is_refused_by_name(analyzer):
    question = "Am I a candidate for the Quorvel implant for gout?"
    analysis = analyzer.run(question, absent=("Quorvel",))
    assert analysis.missing == ("Quorvel",) and analysis.missing_is_subject
    assert [f.display for f in analysis.focus] == ["Gout"]


def test_a_word_known_only_through_the_index_stemmer_is_no_name(analyzer):
    # "zopped" is in the index only as the stem of "zopping": no chunk writes it, so it is a variant, not a thing
    INDEX.add("zopped")
    try:
        assert absent(analyzer, "Is zopped gout safe?", {"zopped": frozenset(), "zopped gout": frozenset()}) == ()
    finally:
        INDEX.discard("zopped")


def test_nothing_is_a_candidate_without_an_english_word_list():
    vocabulary = Vocabulary.from_rows(ROWS, has_word=lambda w: w in {"help"}, documents=100)
    assert candidates(QuestionAnalyzer(vocabulary).run("Does metformin help with Quorvel?"), vocabulary) == []
