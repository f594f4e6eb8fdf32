"""The vocabulary links question words to the library's names: longest first, misspellings corrected, known words
kept, short forms only where they are meant, unlisted names reported."""

from __future__ import annotations

import pytest

from medcite.analysis.vocabulary import Vocabulary, tokens

ENGLISH_TEXT = ("my legs ache what is the of side effects all people can get flu shots and syndrome disease "
                "multiple muscle pain been on a for weeks jason")
ENGLISH = frozenset(ENGLISH_TEXT.split())
ROWS = [
    ("d-marfan", "marfan syndrome", "Marfan syndrome", "title"),
    ("d-ms", "multiple sclerosis", "Multiple Sclerosis", "title"),
    ("d-ms", "ms", "MS", "acronym"),
    ("d-msa", "multiple system atrophy", "Multiple System Atrophy", "title"),
    ("d-msa", "msa", "MSA", "acronym"),
    ("d-ache", "ache", "ACHE", "acronym"),
    ("d-ache", "acetylcholinesterase deficiency", "Acetylcholinesterase deficiency", "title"),
    ("d-metformin", "metformin", "Metformin", "title"),
    ("d-statin", "statin", "Statins", "title"),
    *[(f"p{i}", "human", "Humans", "mesh") for i in range(60)],  # a tag on most abstracts: generic
]


@pytest.fixture
def vocabulary() -> Vocabulary:
    return Vocabulary.from_rows(ROWS, english=ENGLISH, documents=100)


def link(vocabulary: Vocabulary, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.term.display) for m in vocabulary.link(tokens(text))]


def test_longest_name_wins_and_plurals_fold(vocabulary):
    assert link(vocabulary, "Multiple Sclerosis and statins") == [("Multiple Sclerosis", "Multiple Sclerosis"),
                                                                 ("statins", "Statins")]


def test_a_short_form_matches_whole_words_only(vocabulary):
    assert link(vocabulary, "MS symptoms") == [("MS", "MS")]
    assert link(vocabulary, "what is MSA") == [("MSA", "MSA")]


def test_an_everyday_word_never_links_to_a_short_form(vocabulary):
    assert link(vocabulary, "my legs ache") == []
    assert link(vocabulary, "is the ACHE gene") == [("ACHE", "ACHE")]


def test_misspelt_names_are_corrected(vocabulary):
    found = vocabulary.link(tokens("side effects of metfromin"))
    assert [(m.term.display, m.corrected) for m in found] == [("Metformin", (("metfromin", "metformin"),))]
    assert link(vocabulary, "marfans syndrom") == [("marfans syndrom", "Marfan syndrome")]


def test_known_words_are_never_corrected(vocabulary):
    assert vocabulary.correct("syndrome") is None  # English
    assert vocabulary.correct("metformin") is None  # a library word
    assert vocabulary.correct("jason") is None


def test_a_names_first_word_alone_links(vocabulary):
    assert link(vocabulary, "is marfan inherited") == [("marfan", "Marfan syndrome")]


def test_generic_tags_are_marked(vocabulary):
    assert vocabulary.terms["human"].generic
    assert not vocabulary.terms["metformin"].generic


def test_unlisted_names_are_reported(vocabulary):
    assert vocabulary.unlisted("tirzepatide")
    assert not vocabulary.unlisted("metfromin")  # a misspelling of a library name
    assert not vocabulary.unlisted("jasen")  # a misspelling of an English word
    assert not vocabulary.unlisted("muscle")


def test_nothing_is_unlisted_without_an_english_word_list():
    # an embedding model without a vocabulary file: "prevent" must not read as a name the library lacks
    assert not Vocabulary.from_rows(ROWS, documents=100).unlisted("prevent")


def test_a_misspelling_of_a_word_the_lexical_index_holds_is_no_missing_name(vocabulary):
    # "quellazine" is in the index (5 chunks) but names no document: "quelazine" is its typo, not a missing thing
    vocabulary.index_df = {"quellazin": 5}  # "rarr", in one chunk, is below INDEX_MIN_DOCS
    vocabulary.stem = lambda word: word[:-1] if word.endswith("e") else word
    assert not vocabulary.unlisted("quelazine")
    assert vocabulary.unlisted("zorbquenil")  # nothing near it anywhere: a name the library lacks
    assert vocabulary.unlisted("rarrx")  # near an index word in one chunk only: too rare to be what was meant


def test_a_typo_of_a_plural_looking_name_reaches_the_name():
    rows = [*ROWS, ("d-zent", "zentarosis", "Zentarosis", "title")]
    vocabulary = Vocabulary.from_rows(rows, english=ENGLISH, documents=100)
    # the key of "zentarosos" drops its "s" ("zentaroso", two edits away); the word as typed is one
    assert link(vocabulary, "symptoms of zentarosos") == [("zentarosos", "Zentarosis")]
    assert not vocabulary.unlisted("zentaroso", "zentarosos")


def test_a_word_with_a_capital_inside_is_taken_as_written(vocabulary):
    assert vocabulary.correct("estatin") == "statin"
    assert link(vocabulary, "the eStatin pen") == []
    assert vocabulary.unlisted("estatin", "eStatin") and not vocabulary.unlisted("estatin")


def test_site_prefixes_and_glosses_of_titles_are_names():
    rows = [("d1", "imh depression", "IMH » Depression", "title"),
            ("d2", "high blood pressure hypertension", "High blood pressure (hypertension)", "title")]
    vocabulary = Vocabulary.from_rows(rows, english=ENGLISH, documents=10)
    assert vocabulary.terms["depression"].doc_ids == {"d1"}
    assert {"high blood pressure", "hypertension"} <= set(vocabulary.terms)
    assert link(vocabulary, "Depression and High Blood Pressure") == [
        ("Depression", "Depression"), ("High Blood Pressure", "High blood pressure")]


def _names(*rows):
    english = ENGLISH | frozenset({"era", "what", "causes", "ear", "hip", "lip", "pain", "breast", "treat"})
    return Vocabulary.from_rows([*ROWS, *rows], english=english, documents=100)


def test_a_name_one_edit_off_in_a_short_or_everyday_word_is_linked():
    vocabulary = _names(("d-ear", "ear infection", "Ear Infections", "title"))
    for typed in ("What causes Era Infections?", "treatments of ea infections"):
        [match] = [m for m in vocabulary.link(tokens(typed)) if m.term.display == "Ear Infections"]
        assert match.corrected and match.corrected[0][1] == "ear"


def test_a_word_another_name_uses_is_never_changed_to_reach_a_name():
    vocabulary = _names(("d-lip", "lip pain", "Lip pain", "title"), ("d-hip", "hip fracture", "Hip fracture", "title"))
    assert not [m for m in vocabulary.link(tokens("my hip pain")) if m.term.display == "Lip pain"]


def test_two_names_within_one_edit_are_ambiguous_and_neither_is_taken():
    vocabulary = _names(("d-ear", "ear infection", "Ear Infections", "title"),
                        ("d-eye", "eye infection", "Eye Infections", "title"))
    assert not vocabulary.link(tokens("eae infections"))


def test_the_correction_nearest_the_word_as_typed_wins():
    # "Breats" folds to "breat", one edit from "treat"; the word as typed is one edit from "breast"
    vocabulary = _names(("d-breast", "breast cancer", "Breast Cancer", "title"),
                        *[(f"t{i}", "treat", "Treat", "title") for i in range(3)])
    [word] = tokens("Breats")
    assert vocabulary.correct_typed(word) == "breast"


def test_a_function_word_is_never_a_typo_of_a_name():
    """"if I" is one edit from the acronym IGF-I: rounds 7 and 8 of the blind read got acromegaly text for it."""
    vocabulary = _names(("d-igf", "igf i", "IGF-I", "acronym"))
    linked = vocabulary.link(tokens("Is it safe to have an MRI if I need one?"))
    assert not [m for m in linked if m.term.display == "IGF-I"]
    assert [m.term.display for m in vocabulary.link(tokens("what does IGF I do"))] == ["IGF-I"]


def test_an_everyday_word_in_lower_case_is_no_typo_of_a_name():
    # "I've had one infection after another" was read as Bone Infections (round 12's blind read); "Era Infections"
    # typed as a name still reaches Ear Infections
    english = ENGLISH | frozenset({"era", "what", "causes", "ear", "one", "after", "another"})
    vocabulary = Vocabulary.from_rows([*ROWS, ("d-bone", "bone infection", "Bone Infections", "title"),
                                       ("d-ear", "ear infection", "Ear Infections", "title")], english=english,
                                      documents=100)
    assert not [m for m in vocabulary.link(tokens("I've had one infection after another"))
                if m.term.display == "Bone Infections"]
    assert [m.term.display for m in vocabulary.link(tokens("What causes Era Infections?"))] == ["Ear Infections"]


def test_an_acronym_in_capitals_is_never_corrected_to_another():
    # "Child w/ SNHL" was read as NHL (round 12's blind read)
    vocabulary = Vocabulary.from_rows([*ROWS, ("d-nhl", "nhl", "NHL", "acronym")], english=ENGLISH, documents=100)
    assert not [m for m in vocabulary.link(tokens("Child w/ SNHL and dystonia")) if m.term.display == "NHL"]


def test_a_dropped_g_is_a_known_word():
    # "gettin up 4 or 5 times a nite" was "corrected" to a library word one edit off
    vocabulary = Vocabulary.from_rows([*ROWS, ("d-x", "gettig", "Gettig", "title")],
                                      english=ENGLISH | {"getting"}, documents=100)
    assert vocabulary.known("gettin") and vocabulary.correct("gettin") is None
