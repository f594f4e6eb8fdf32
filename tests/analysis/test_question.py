"""Question analysis without a model: boilerplate, types, population, sub-questions, follow-ups, missing names."""

from __future__ import annotations

import pytest

from medcite.analysis import QuestionAnalyzer, Vocabulary, canonical, question_types, section_types
from medcite.analysis.question import drop_boilerplate, split_questions
from medcite.analysis.types import population_of, yes_no

from .test_vocabulary import ENGLISH, ROWS


@pytest.fixture
def analyzer() -> QuestionAnalyzer:
    words = ("should he not eat also safe with his kidney problems father was diagnosed last month thank you so "
             "much hello doctor name mary smith about better than could it be pills three months which or")
    english = ENGLISH | frozenset(words.split())
    rows = [*ROWS, ("d-gout", "gout", "Gout", "title")]
    return QuestionAnalyzer(Vocabulary.from_rows(rows, english=english, documents=100))


@pytest.mark.parametrize("question, expected", [
    ("What are the side effects of statins?", "side_effects"),
    ("been on a statin 3 months and my legs ache, could it be the pills??", "side_effects"),
    ("How is gout treated?", "treatment"),
    ("What foods should people with gout avoid?", "prevention"),
    ("how do doctors know if i have MS", "diagnosis"),
    ("is marfan syndrome inherited", "genetics"),
    ("Does IVIG help all autoimmune conditions?", "efficacy"),
    ("what is the usual dose of metformin", "dosage"),
    ("can I take ibuprofen with warfarin", "interactions"),
    ("what is the outlook for ALS", "prognosis"),
    ("What is gout?", "information"),
])
def test_question_types(question, expected):
    assert expected in question_types(question)


def test_yes_no_and_population():
    assert yes_no("Does IVIG help?") and yes_no("also, is it safe?") and not yes_no("What is gout?")
    assert population_of("my 6 week old baby has a cough") == ("infant",)
    assert population_of("pregnant and breastfeeding") == ("pregnancy", "breastfeeding")
    assert population_of("my kidney hurts") == ()


def test_section_types_come_from_labels_headings_and_title_brackets():
    assert section_types("symptoms", "What are the symptoms of X?", "X") == {"symptoms"}
    assert section_types("exams and tests", "", "X") == {"diagnosis"}
    assert section_types("", "Heart attack (Causes)", "Heart attack (Causes)") == {"causes"}
    assert section_types("METHODS", "Methods", "A study") == frozenset()


def test_boilerplate_is_dropped():
    text = ("Hello doctor, my name is Mary Smith. My father has gout. What should he not eat? Thank you so much, "
            "mary@example.com")
    assert drop_boilerplate(text) == "My father has gout. What should he not eat?"
    assert drop_boilerplate("hi") == "hi"  # nothing but boilerplate: the message stays


def test_sub_questions_are_split():
    assert split_questions("I have gout. What should I not eat? Also, is allopurinol safe?") == [
        "What should I not eat?", "Also, is allopurinol safe?"]
    assert split_questions("what is gout and how is it treated") == ["what is gout", "how is it treated"]
    assert split_questions("gout diet") == ["gout diet"]


def test_punctuation_and_case_never_change_the_query(analyzer):
    forms = ["What are the side effects of statins?", "what are the side effects of statins",
             "WHAT ARE THE SIDE EFFECTS OF STATINS??", "What are the side effects of statins !"]
    assert len({analyzer.run(f).query for f in forms}) == 1
    assert canonical("Side effects?!") == "side effects"


def test_focus_comes_from_context_and_misspellings(analyzer):
    analysis = analyzer.run("My father was diagnosed with gout last month. What should he not eat?")
    assert [f.display for f in analysis.focus] == ["Gout"]
    assert analysis.sub_questions[0].focus[0].display == "Gout"
    assert analyzer.run("side effects of metfromin").corrections == (("metfromin", "Metformin"),)
    assert "metformin" in analyzer.run("side effects of metfromin").query


def test_a_follow_up_inherits_the_focus(analyzer):
    analysis = analyzer.run("and what about side effects?", ["what is metformin"])
    assert [(f.display, f.inherited) for f in analysis.focus] == [("Metformin", True)]
    assert "metformin" in analysis.query
    assert analyzer.run("and what about side effects?").focus == ()


def test_a_missing_name_is_reported_and_placed(analyzer):
    subject = analyzer.run("Is tirzepatide better than metformin?")
    assert subject.missing == ("tirzepatide",) and subject.missing_is_subject
    aside = analyzer.run("metformin or tirzepatide, which is better?")
    assert aside.missing == ("tirzepatide",) and not aside.missing_is_subject
    assert not analyzer.run("What is gout?").missing


def test_to_dict_is_json_ready(analyzer):
    import json

    data = analyzer.run("side effects of metfromin?").to_dict()
    assert json.loads(json.dumps(data))["focus"][0]["name"] == "Metformin"
    assert data["types"] == ["side_effects"]


def test_a_shouted_message_is_not_read_as_acronyms(analyzer):
    shouted = analyzer.run("WHAT ARE THE SYMPTOMS OF MS IN WOMEN")
    quiet = analyzer.run("what are the symptoms of ms in women")
    assert shouted.query == quiet.query and shouted.focus == quiet.focus
    assert [f.display for f in analyzer.run("what are the symptoms of MS in women").focus] == ["MS"]
