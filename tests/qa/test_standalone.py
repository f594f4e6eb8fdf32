"""Sentences that stand alone: glued list items and headings are split, leading anaphora resolved or rejected.

The texts are real MedQuAD passages of the shared library (chunk ids in the comments), cut to the part tested.
"""

from __future__ import annotations

import pytest

from medcite.qa import facets
from medcite.qa.evidence import select_evidence
from medcite.qa.sections import research_problem
from medcite.qa.sentences import split_glued, split_sentences
from medcite.qa.standalone import focus_name, repair, stands_alone

from .conftest import guideline

# MPlusHealthTopics_0000933#0 (Urine and Urination): the last bullet is glued to the next sentence.
URINE = ("You may have problems with urination if you have\n- Kidney failure\n- Urinary tract infections\n"
         "- An enlarged prostate\n- A blockage that prevents you from emptying your bladder Some conditions may "
         "also cause you to have blood or protein in your urine. If you have a urinary problem, see your "
         "healthcare provider.")
# MPlusHealthTopics_0000907#0 (Toxoplasmosis).
TOXO = ("Toxoplasmosis is a disease caused by the parasite Toxoplasma gondii. You can get toxoplasmosis from\n"
        "- Waste from an infected cat\n- Drinking infected water\n- Receiving an infected organ transplant or blood "
        "transfusion Most people with toxoplasmosis don't need treatment. There are drugs to treat it for pregnant "
        "women and people with weak immune systems.")
# CancerGov_0000005_2#0 (Anal Cancer): a lead-in ending with ":" and an item glued to its sentence.
ANAL = ("It is not clear if the following protective factor decreases the risk of anal cancer:\nCondom use It is not "
        "known if condom use lowers the risk of anal HPV infection.\nThe following are risk factors for anal cancer:\n"
        "Anal HPV infection Being infected with human papillomavirus (HPV) is the main risk factor for anal cancer.")
# NIHSeniorHealth_0000027#5 (Glaucoma): a heading glued to the sentence that repeats its last word.
GLAUCOMA = "Symptoms of Glaucoma Glaucoma can develop in one or both eyes. It causes no pain, and vision seems normal."
# GARD_0000531#3 (Autoimmune autonomic ganglionopathy).
AAG = ("How might autoimmune autonomic ganglionopathy be treated? Since autoimmune autonomic ganglionopathy is so "
       "rare, no standard treatments have been established. Experts familiar with this condition often use "
       "plasma exchange or total plasmapheresis, intravenous immunoglobulin (IVIG), IV corticosteroids, "
       "or immunosuppressive drugs, "
       "such as Rituxan to treat the symptoms of the disease.")


def test_glued_list_item_is_cut_before_the_sentence() -> None:
    sentences = split_sentences(URINE)
    assert "A blockage that prevents you from emptying your bladder" in sentences
    assert "Some conditions may also cause you to have blood or protein in your urine." in sentences
    assert not any("bladder Some" in s for s in sentences)
    assert "Most people with toxoplasmosis don't need treatment." in split_sentences(TOXO)


def test_lead_in_and_glued_items_are_separate() -> None:
    sentences = split_sentences(ANAL)
    assert "It is not known if condom use lowers the risk of anal HPV infection." in sentences
    assert "Being infected with human papillomavirus (HPV) is the main risk factor for anal cancer." in sentences
    assert not any("Condom use It" in s or ": Condom" in s for s in sentences)


def test_glued_heading_is_split_and_no_word_is_cut() -> None:
    sentences = split_sentences(GLAUCOMA)
    assert sentences[:2] == ["Symptoms of Glaucoma", "Glaucoma can develop in one or both eyes."]
    words = GLAUCOMA.split()
    assert " ".join(sentences).split() == words  # every word kept, in order, none cut


@pytest.mark.parametrize("sentence", [
    "People with Down syndrome have a higher risk of hepatitis A infection.",
    "The disease was first described by Fitz-Hugh and Curtis in the 1930s.",
    "Lyme disease is caused by the bacterium Borrelia burgdorferi.",
])
def test_ordinary_sentences_are_not_split(sentence: str) -> None:
    assert split_glued(sentence) == [sentence]


def test_this_condition_becomes_the_page_focus() -> None:
    sentence = next(s for s in split_sentences(AAG) if s.startswith("Experts"))
    fixed = repair(sentence, focus="Autoimmune autonomic ganglionopathy")
    assert fixed is not None and fixed.startswith("Experts familiar with autoimmune autonomic ganglionopathy often")
    assert repair("Experts familiar with this condition often use surgery.", focus="Fitz-Hugh-Curtis syndrome") == (
        "Experts familiar with Fitz-Hugh-Curtis syndrome often use surgery.")
    # no single name to stand in for "this condition": not shown alone
    assert repair("Experts familiar with this condition often use surgery.", focus="Urine and Urination") is None


def test_discourse_markers_dropped_only_when_the_rest_stands() -> None:
    # NHLBI_0000038#10: "Thus, your child's doctor may recommend one or more of the following tests."
    assert repair("Thus, your child's doctor may recommend one or more of the following tests.", focus="chILD") is None
    assert repair("However, your doctor can order a blood test to check your uric acid level.", focus="Gout") == (
        "Your doctor can order a blood test to check your uric acid level.")
    assert repair("However, it is caused by calcium phosphate, not uric acid.", focus="Pseudogout") is None


def test_referring_subjects_are_rejected_or_resolved() -> None:
    # MPlusHealthTopics_0000370#0 (Flu Shot)
    assert repair("These antibodies provide protection against infection with the viruses that are in the vaccine.",
                  focus="Flu Shot") is None
    assert repair("It causes no pain, and vision seems normal.", focus="Glaucoma",
                  previous="The most common type of glaucoma, open-angle glaucoma, has no symptoms at first.") is None
    assert repair("There are drugs to treat it for pregnant women.", focus="Toxoplasmosis") == (
        "There are drugs to treat it for pregnant women.")
    assert not stands_alone("These symptoms may look like other conditions.")
    assert stands_alone("Gout is a common, painful form of arthritis.")
    assert focus_name("What is (are) Gout?") == ""


def test_research_aims_and_methods_are_no_findings() -> None:
    assert research_problem("To determine whether early IVIG shortens the illness.", "OBJECTIVE") == "aim or method"
    assert research_problem("Patients were randomized to ropivacaine or saline.", "") == "aim or method"
    assert research_problem("Ropivacaine significantly reduced pain scores on day 1 (p<0.05).", "") is None
    assert research_problem("The dose ranged between 66 and 70 Gy in 30-35 fractions.", "METHODS") == "aim or method"


def test_lab_threshold_is_not_dosing() -> None:
    assert facets.classify_sentence("A fasting blood glucose of 126 mg/dL or higher means you have diabetes.") != (
        facets.DOSING)
    assert facets.classify_sentence("The usual dose is 2 g/kg of IVIG given over five days.") == facets.DOSING


def test_page_about_another_focus_is_no_evidence() -> None:
    lyme = guideline("GARD_lyme", "Lyme disease is caused by the bacterium Borrelia burgdorferi. Early symptoms of "
                     "Lyme disease include fever, headache and a skin rash.", title="Lyme disease", qtype="symptoms",
                     question="What are the symptoms of Lyme disease?", score=0.9)
    other = guideline("GARD_fhc", "Symptoms of Fitz-Hugh-Curtis syndrome include sharp pain in the upper right "
                      "abdomen. Laparoscopic surgery may be used to remove the adhesions that cause the pain.",
                      title="Fitz-Hugh-Curtis syndrome", qtype="symptoms",
                      question="What are the symptoms of Fitz-Hugh-Curtis syndrome?", score=0.8)
    q = "What are the symptoms of Lyme disease?"
    with_focus = select_evidence(q, [lyme, other], focus_names=["Lyme disease"], focus_documents={"GARD_lyme"})
    assert {e.chunk.doc_id for e in with_focus.ranked} == {"GARD_lyme"}
    assert with_focus.rejected.get("page about another focus")


def test_repaired_statement_keeps_its_span(ivig_passages) -> None:
    from medcite.qa.offline import compose_offline

    answer = compose_offline("Should I take IVIG for my myasthenia gravis?", ivig_passages)
    first = answer.bottom_line[0].statements[0]
    assert first.text.startswith("IVIG is effective for specific antibody-mediated disorders")
    chunk = next(p.chunk for p in ivig_passages if p.chunk.id == first.chunk_ids[0])
    assert first.span is not None and chunk.text[first.span[0]:first.span[1]].startswith("It is effective")


# --- headings, the authors' first person, acronyms (session 5: the kinds labellers found most often) ---


def test_glued_question_heading_is_taken_off():
    from medcite.qa.standalone import repair

    assert repair("What are the treatments for Appendicitis?: Most of the time, a surgeon will remove your appendix.",
                  focus="Appendicitis") == "Most of the time, a surgeon will remove your appendix."
    assert repair("How to diagnose Heart Attack?: Your doctor will diagnose it from your symptoms.",
                  focus="Heart attack") == "Your doctor will diagnose it from your symptoms."


def test_study_first_person_becomes_the_study_in_research_only():
    from medcite.qa.standalone import repair

    text = "In the present study we found a significant increase in GBS colonization in pregnant women."
    assert repair(text, focus="GBS", research=True) == (
        "The study found a significant increase in GBS colonization in pregnant women.")
    assert repair("Our results suggest that statins lower stroke risk.", research=True) == (
        "The study's results suggest that statins lower stroke risk.")
    assert repair("We enrolled 60 patients.", research=True) == "We enrolled 60 patients."  # a method: unchanged
    assert repair(text, focus="GBS") == text  # guideline pages are not studies


def test_acronym_defined_in_the_passage_is_written_out():
    from medcite.qa.standalone import repair

    source = ("Patients with idiopathic pulmonary fibrosis (IPF) often have obstructive sleep apnea (OSA). "
              "Effective CPAP treatment in IPF patients with OSA improves daily living.")
    shown = repair("Effective CPAP treatment in IPF patients with OSA improves daily living.", research=True,
                   source=source)
    assert shown == ("Effective CPAP treatment in idiopathic pulmonary fibrosis (IPF) patients with obstructive sleep "
                     "apnea (OSA) improves daily living.")
    assert repair("IPF is a lung disease.", source="no definitions here") == "IPF is a lung disease."


def test_repairs_count_as_quotes_for_the_support_check():
    from medcite.qa.standalone import is_repair

    assert is_repair("The study found a rise in colonization.", "We found a rise in colonization.")
    assert is_repair("Dementia is a loss of brain function.",
                     "What is Dementia?: Dementia is a loss of brain function.")
    assert not is_repair("The study found no rise.", "We found a rise in colonization.")


@pytest.mark.parametrize("text", ["Some will survive into adulthood.", "Many will die in infancy.",
                                  "Others may have heart murmurs due to heart valve disease, but no other signs.",
                                  "Most have a normal life span."])
def test_a_bare_quantifier_subject_cannot_stand_alone(text: str) -> None:
    """Some of whom? Round 7's blind read counted "Some will survive" as dangling."""
    assert repair(text, focus="Lissencephaly") is None


def test_a_quantifier_with_its_noun_stands() -> None:
    text = "Some people with lissencephaly survive into adulthood."
    assert repair(text, focus="Lissencephaly") == text


@pytest.mark.parametrize(("text", "previous", "shown"), [
    ("If they do, there is a 25% chance that each child will inherit it.", "", None),  # round 10: who are they?
    ("Some of these drugs work better when there is also a mutation.", "", None),  # round 10: which drugs?
    ("They may also be triggered by stress.", "Canker sores aren't contagious.",
     "Canker sores may also be triggered by stress."),
    ("They may also be triggered by stress.", "Doctors may prescribe a rinse.", None),
])
def test_they_is_the_plural_page_focus_only_after_it(text, previous, shown) -> None:
    assert repair(text, focus="Canker Sores", previous=previous) == shown
