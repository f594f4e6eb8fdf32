"""Display-time tidying of shown sentences (medcite.qa.tidy): real sentences of the full library, chunk ids in the
comments, and sentences of the same library that must come back unchanged."""

from __future__ import annotations

import pytest

from medcite.qa.evidence import select_evidence
from medcite.qa.standalone import is_repair, repair
from medcite.qa.tidy import (
    camel_space,
    contractions,
    glued_lead,
    sentence_space,
    spaced_hyphen,
    spacing,
    tidy,
)

from .conftest import guideline

# NIDDK_0000140#1 (Mineral and Bone Disorder in Chronic Kidney Disease)
KIDNEYS = "Once damaged, the kidneys cant filter blood as they should."
# NIDDK_0000179#7 (What I need to know about Kidney Failure and How Its Treated)
WONT = ("These problems wont go away with dialysis; however, doctors now have new and better ways to prevent or "
        "treat them.")
# NHLBI_0000061#5 (Heart Failure)
THEYRE = ("Theyre also more likely to have symptoms at a younger age, have more hospital visits due to heart failure, "
          "and die from heart failure.")


@pytest.mark.parametrize(("source", "shown"), [
    (KIDNEYS, "Once damaged, the kidneys can't filter blood as they should."),
    (WONT, WONT.replace("wont", "won't")),
    # NIDDK_0000022#12
    ("Most people who have sleep apnea dont know they have it and it often goes undiagnosed.",
     "Most people who have sleep apnea don't know they have it and it often goes undiagnosed."),
    # NIHSeniorHealth_0000038#27 (the lower-case "you" opening a lost list item is left as it is)
    ("you feel youve accomplished what you wanted in life.", "you feel you've accomplished what you wanted in life."),
    # NIHSeniorHealth_0000050#30
    ("Do any of these apply to you? - ____ Im older than 65.",
     "Do any of these apply to you? - ____ I'm older than 65."),
    (THEYRE, THEYRE.replace("Theyre", "They're")),
])
def test_contractions_get_their_apostrophe(source: str, shown: str) -> None:
    assert contractions(source) == shown


@pytest.mark.parametrize("sentence", [
    # GHR_0000147#0: Cantu syndrome; GARD_0003998#5: an author; words that are words ("its", "lets")
    "Cant syndrome is a rare condition characterized by excess hair growth (hypertrichosis), a distinctive facial "
    "appearance, heart defects, and several other abnormalities.",
    "Arkwright PD, Abinun M, Cant AJ. Mevalonic aciduria cured by bone marrow transplantation.",
    "Its name means that it is formed by small, round cancer cells surrounded by scarlike tissue.",  # GARD_0001810#0
    "The dye lets your doctor study the flow of blood through your heart and blood vessels.",  # NHLBI_0000004#16
    # pubmed:15125825#2: "IM" is intramuscular / insulin monotherapy
    "were randomly assigned to insulin monotherapy (IM group; n=31) or insulin in addition to unchanged oral "
    "hypoglycemic medication (IC group; n=33) for 12 months.",
])
def test_words_that_look_like_contractions_stay(sentence: str) -> None:
    assert contractions(sentence) == sentence
    assert tidy(sentence) == sentence


def test_a_lost_space_after_a_full_stop_is_put_back() -> None:
    # GARD_0006044#0, NINDS_0000072#1
    assert sentence_space("It is inherited in an autosomal recessive manner.Treatment depends on the genetic cause "
                          "and severity.") == ("It is inherited in an autosomal recessive manner. Treatment depends on "
                                               "the genetic cause and severity.")
    assert sentence_space("can increase a child's chance of being born with the disorder.CP is not hereditary.") == (
        "can increase a child's chance of being born with the disorder. CP is not hereditary.")


@pytest.mark.parametrize("sentence", [
    # pubmed:8521557#1 (a unit), NIHSeniorHealth_0000057#25 (a web address), a gene variant, a dotted abbreviation
    "NIDDM subjects with the DD genotype had significantly lower levels of specific insulin (DD 38.6, ID 57.1, and "
    "II 87.4 pmol.L-1 by ANOVA, P = .011).",
    "For free help to quit smoking, visit Smokefree.gov Prevent upper respiratory infections such as colds and the "
    "flu.",
    "visit www.Smokefree.gov for help; the p.Arg412Gln variant; cells, e.g.In culture; Smith et al.The study",
])
def test_full_stops_inside_names_and_numbers_stay(sentence: str) -> None:
    assert sentence_space(sentence) == sentence


def test_camel_glue_is_split_only_before_a_sentence_start() -> None:
    # NHLBI_0000069#15: a heading glued to its sentence
    assert camel_space("Moderate hemophiliaYou may need replacement therapy only when bleeding occurs.") == (
        "Moderate hemophilia You may need replacement therapy only when bleeding occurs.")
    for sentence in (
        "Blood pressure is considered high if it stays at or above 140/90 mmHg over time.",  # NHLBI_0000012#6
        "which impairs the processing of mRNA.",  # GARD_0003783#6
        "called the estimated glomerular filtration rate (eGFR).",  # NIDDK_0000033#7
        "Sometimes called hemoglobin A1c, HbA1c, or glycohemoglobin test, this test reflects average blood glucose.",
        "the pH level of the gastric secretions.",  # CancerGov_0000025_2#14
        "the parameters of the aortic stiffness, i.e., deltaPWV, deltaC, and deltaCi, were grouped",  # pubmed:15053041
        "McDonald criteria; an iPhone app; typeset in LaTeX.",
    ):
        assert camel_space(sentence) == sentence
        assert tidy(sentence) == sentence


def test_spaces_inside_brackets_and_before_punctuation_go() -> None:
    # NIDDK_0000004#0, GARD_0001517#1
    assert spacing("The thyroid makes two thyroid hormones, triiodothyronine (T3 ) and thyroxine (T4 ).") == (
        "The thyroid makes two thyroid hormones, triiodothyronine (T3) and thyroxine (T4).")
    assert spacing("FCDs can be inherited as autosomal recessive , autosomal dominant , or X-linked recessive "
                   "disorders.") == ("FCDs can be inherited as autosomal recessive, autosomal dominant, or X-linked "
                                     "recessive disorders.")
    # CDC_0000199#1 (a spaced ellipsis), NINDS_0000002#5 (a web address before its full stop), pubmed:24449622#2
    for sentence in ("This takes time . . . usually the immune system can't work fast enough.",
                     "To research your condition, go to: http://www.medlineplus.gov .",
                     "serum PON 1 level were significantly lower in the group (PON1 : 168.9 U/L)."):
        assert spacing(sentence) == sentence


def test_a_compound_hyphen_joins_but_a_lost_greek_letter_stays() -> None:
    # CancerGov_0000013_2_4#0; GARD_0005219#5 lost its alpha ("-aminoadipic")
    assert spaced_hyphen("Neutrophils are infection -fighting blood cells that surround and destroy dead cells.") == (
        "Neutrophils are infection-fighting blood cells that surround and destroy dead cells.")
    lost = ("The ALDH7A1 gene provides instructions for making an enzyme called -aminoadipic semialdehyde (-AASA) "
            "dehydrogenase, also known as antiquitin.")
    assert tidy(lost) == lost


def test_a_lost_dash_before_for_example_or_such_as() -> None:
    # NHLBI_0000092#6, NHLBI_0000105#0 (the closing dash, glued in "fungican", needs a vocabulary: left as it is)
    assert glued_lead("This is more likely to happen when they're not activefor example, while reading.") == (
        "This is more likely to happen when they're not active\u2014for example, while reading.")
    assert glued_lead("Many germssuch as bacteria, viruses, and fungican cause pneumonia.") == (
        "Many germs\u2014such as bacteria, viruses, and fungican cause pneumonia.")
    assert glued_lead("Sometimes doctors prescribe drugs such as ibuprofen, therefor example.") == (
        "Sometimes doctors prescribe drugs such as ibuprofen, therefor example.")


def test_repair_tidies_first_and_the_verbatim_check_accepts_it() -> None:
    fixed = repair(KIDNEYS, focus="Mineral and Bone Disorder in Chronic Kidney Disease")
    assert fixed == "Once damaged, the kidneys can't filter blood as they should."
    assert is_repair(fixed, KIDNEYS, KIDNEYS)
    # "They're" points back: tidied, the stand-alone check sees it and the sentence is not shown alone
    assert repair(THEYRE, focus="Heart Failure") is None


def test_the_library_text_keeps_the_source_and_the_shown_sentence_is_tidied() -> None:
    text = ("Chronic kidney disease damages the kidneys over time. Once damaged, the kidneys cant filter blood as "
            "they should. Mineral and bone disorder in CKD is common.")
    passage = guideline("NIDDK_0000140", text, title="Mineral and Bone Disorder in Chronic Kidney Disease",
                        qtype="information", question="What is Mineral and Bone Disorder in CKD?")
    evidence = select_evidence("Why can't damaged kidneys filter blood?", [passage])
    shown = {e.text: e for e in evidence.ranked}
    tidied = "Once damaged, the kidneys can't filter blood as they should."
    assert tidied in shown and shown[tidied].verbatim == KIDNEYS and KIDNEYS in passage.chunk.text
