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
             "much hello doctor name mary smith about better than could it be pills three months which or "
             "take taken new pill read linked stop taking different from treat did help still sore suggest how ease "
             "usual dose was tried pen replace tablets physio")
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
    assert population_of("what are the signs of dehydration in adults?") == ("adult",)
    assert population_of("is adult-onset Still's disease inherited?") == ()
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
    # a comparison needs both sides, whichever comes first
    assert analyzer.run("metformin or tirzepatide, which is better?").missing_is_subject
    aside = analyzer.run("I was on tirzepatide. What is the usual dose of metformin?")
    assert aside.missing == ("tirzepatide",) and not aside.missing_is_subject
    assert not analyzer.run("What is gout?").missing


def test_an_unknown_drug_name_is_the_subject_wherever_the_question_names_it(analyzer):
    # invented names: none is a word of the library, the English list or any eval set
    for question in ("Is zelvoprant safe with gout?", "Should my father take the new gout pill (zelvoprant)?",
                     "can metformin be taken with zelvoprant?"):
        analysis = analyzer.run(question)
        assert analysis.missing == ("zelvoprant",) and analysis.missing_is_subject, question


def test_a_question_pointing_back_at_a_missing_name_is_about_it(analyzer):
    told = analyzer.run("I read lumaprex is linked to gout. Should I stop taking it?")
    assert told.missing == ("lumaprex",) and told.missing_is_subject
    joined = analyzer.run("what is lumaprex and how is it different from metformin?")
    assert [s.missing for s in joined.sub_questions] == [("lumaprex",), ("lumaprex",)] and joined.missing_is_subject


def test_a_two_part_question_keeps_its_answerable_part(analyzer):
    analysis = analyzer.run("What is gout, and can drovimab treat it?")
    assert analysis.missing == ("drovimab",) and not analysis.missing_is_subject
    assert [s.missing for s in analysis.sub_questions] == [(), ("drovimab",)]
    assert [f.display for f in analysis.sub_questions[0].focus] == ["Gout"]


def test_a_question_sentences_away_from_a_missing_name_is_not_about_it(analyzer):
    far = analyzer.run("My physio tried zentrapy for my gout. It did not help. I am still sore. "
                       "Can you suggest how to ease the pain?")
    assert far.missing == ("zentrapy",) and not far.missing_is_subject


def test_a_brand_typed_with_a_capital_inside_is_taken_as_written(analyzer):
    # "estatin" is one letter from the library's "statin": typed "eStatin", it is a product, not a typo
    analysis = analyzer.run("Does the eStatin pen replace tablets?")
    assert analysis.missing == ("eStatin",) and not analysis.corrections and analysis.missing_is_subject
    assert analyzer.run("Does the estatin pen replace tablets?").corrections == (("estatin", "Statins"),)


def test_a_lead_in_of_the_writer_is_dropped_but_a_topic_is_kept():
    assert split_questions("asking for my mum: What is gout?") == ["What is gout?"]
    assert split_questions("Hi, I'm a nurse and a patient asked me: Who is at risk for gout?") == [
        "Who is at risk for gout?"]
    topic = "Late bleeding after tonsil surgery: is it a night-time event?"
    assert split_questions(topic) == [topic]


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


def test_a_long_message_naming_no_library_name_keeps_its_opening(analyzer):
    # MEDIQA Val-4 (dev), shortened: over 60 words, a subject line, a story and a question that names no topic.
    # "ankle" is an English word and no library name: the questions alone read "how to overcome the pain".
    story = ("I got hurt in my left leg ankle almost five months ago and went to a doctor who found nothing on the "
             "x-ray. He suggested some pain killers and advised me to wear an anklet, and I have followed that "
             "since then. Another doctor advised physiotherapy and exercises and I have followed them too. I "
             "still feel pain walking quickly.")
    analysis = analyzer.run(f"Ankle injury. {story} Can you please suggest how to overcome the pain? Thanks.")
    assert not analysis.focus
    assert analysis.query == "ankle injury. can you please suggest how to overcome the pain"
    # a long message that names its focus is cut to its questions and the sentences that name it, as before
    named = analyzer.run(f"Ankle injury. {story} My gout is fine. Can you please suggest how to overcome the pain?")
    assert named.query == "my gout is fine. can you please suggest how to overcome the pain"


def test_a_misspelt_word_that_is_no_name_is_searched_as_the_library_writes_it():
    # dev: MEDIQA's typo variants ("Aknle injury. ..."): "ankle" is a word of a name ("Ankle pain"), "ankle injury"
    # is none, so no name is linked, and the misspelt word used to be searched as typed
    rows = [*ROWS, ("d-ankle", "ankle pain", "Ankle pain", "title")]
    english = ENGLISH | {"ankle", "injury", "hurt", "alot", "clot"}
    analyzer = QuestionAnalyzer(Vocabulary.from_rows(rows, english=english, documents=100))
    analysis = analyzer.run("Aknle injury. my aknle hurt alot")
    assert analysis.query == "ankle injury. my ankle hurt alot"
    assert analysis.corrections == (("Aknle", "ankle"),)


def test_the_writers_lead_in_to_a_question_is_not_searched(analyzer):
    analysis = analyzer.run("Hi, my husband asked me to look this up: how is gout treated?")
    assert analysis.query == "how is gout treated"
    # a lead-in that names the focus is the question's context and stays
    kept = analyzer.run("my gout is back: how is it treated?")
    assert kept.query.startswith("my gout is back")


def test_a_long_message_opening_with_an_aside_keeps_its_subject_line(analyzer):
    story = ("I got hurt in my left leg ankle almost five months ago and went to a doctor who found nothing on the "
             "x-ray. He suggested some pain killers and advised me to wear an anklet, and I have followed that "
             "since then. Another doctor advised physiotherapy and exercises and I have followed them too.")
    analysis = analyzer.run(f"I've been up all night worrying about this. Ankle injury. {story} "
                            "Can you please suggest how to overcome the pain?")
    assert analysis.query == "ankle injury. can you please suggest how to overcome the pain"


def test_an_either_or_question_is_one_question():
    """"... or do i need antibiotics" is the other half of one question, not a second one (round 7's blind read)."""
    assert split_questions("can cranberry juice get rid of a bladder infection or do i need antibiotics") == [
        "can cranberry juice get rid of a bladder infection or do i need antibiotics"]
    assert len(split_questions("What causes gout and how is it treated?")) == 2


def test_a_pointing_question_takes_the_last_name_before_it_and_names_match_as_words():
    """Round 9's blind read: "is it something people recover from?" after "The ER said ..." was read as about the ER
    ("er" inside "recover"), and "What is it exactly?" as about every name of the story."""
    rows = [*ROWS, ("d-dvt", "dvt", "DVT", "acronym"), ("d-er", "er", "ER", "acronym"),
            ("d-anx", "anxiety", "Anxiety", "title")]
    words = ("the said heart normal and it probably then a doctor looks like never heard exactly something recover "
             "from")
    english = ENGLISH | frozenset(words.split(" "))
    analyzer = QuestionAnalyzer(Vocabulary.from_rows(rows, english=english, documents=100))
    analysis = analyzer.run("The ER said my heart was normal and it was probably anxiety. Then a doctor said it "
                            "looks like DVT. What is it exactly, and is it something people recover from?")
    assert "ER" not in [f.display for f in analysis.focus]  # a care setting, not a name
    assert [[f.display for f in s.focus] for s in analysis.sub_questions] == [["DVT"], ["DVT"]]


def test_life_expectancy_says_what_kind_of_question_it_is():
    rows = [*ROWS, ("d-le", "life expectancy", "Life Expectancy", "mesh")]
    analyzer = QuestionAnalyzer(Vocabulary.from_rows(rows, english=ENGLISH | {"life", "expectancy", "for",
                                                                              "someone", "with"}, documents=100))
    assert [f.display for f in analyzer.run("What is the life expectancy for someone with MS?").focus] == ["MS"]


def test_a_question_naming_nothing_or_pointing_at_a_person_keeps_every_name():
    """Round 10's blind read: "What treatments are there?" after a diagnosis and a symptom was read as about the
    symptom (the last name) once "it" was taken as the last name; only "it", "its", "this", "that" point at it."""
    rows = [*ROWS, ("d-cons", "constipation", "Constipation", "title")]
    words = "i look after my brother who was just diagnosed with he has terrible what treatments are there can ever get"
    analyzer = QuestionAnalyzer(Vocabulary.from_rows(rows, english=ENGLISH | frozenset(words.split(" ")),
                                                     documents=100))
    analysis = analyzer.run("I look after my brother who was just diagnosed with multiple system atrophy. He has "
                            "terrible constipation. What treatments are there? Can he ever get better?")
    assert [[f.display for f in s.focus] for s in analysis.sub_questions] == [
        ["Multiple System Atrophy", "Constipation"], ["Multiple System Atrophy", "Constipation"]]


def test_chat_shorthand_is_a_known_word_never_a_name():
    # "please answer asap" was read as APAP (the paracetamol acronym), and the answer said so (noisy.jsonl dev)
    from medcite.analysis.vocabulary import CHAT_WORDS

    rows = [*ROWS, ("d-apap", "apap", "APAP", "acronym"), ("d-gout", "gout", "Gout", "title")]
    words = "how is treated please answer"
    english = ENGLISH | frozenset(words.split(" "))
    plain = QuestionAnalyzer(Vocabulary.from_rows(rows, english=english, documents=100))
    chat = QuestionAnalyzer(Vocabulary.from_rows(rows, english=english | CHAT_WORDS, documents=100))
    question = "How is gout treated? please answer asap"
    assert "APAP" in [f.display for f in plain.run(question).focus]  # the failure, without the shorthand list
    read = chat.run(question)
    assert [f.display for f in read.focus] == ["Gout"] and not read.corrections and not read.missing
