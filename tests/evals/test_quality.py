"""Tests for the answer-quality checks (medcite.evals.quality), on sentences taken from real MedCite answers."""

from __future__ import annotations

import pytest

from medcite.analysis import Focus, QuestionAnalysis, SubQuestion
from medcite.answer.document import Answer, BottomLine, Consideration, ResearchFacet
from medcite.evals.quality import (
    answer_quality,
    bottom_line_check,
    focus_names,
    names_focus,
    standalone_problems,
    subquestion_coverage,
)
from medcite.evals.runner import quality_block
from medcite.types import Citation, Statement

pytestmark = pytest.mark.unit

# Sentences from the blind read of issue 14 and the dev runs of `medcite eval run` (main, d30a867).
FLAGGED = [
    ("Experts familiar with this condition often use plasma exchange or IVIG.", ["anaphor"]),
    ("These procedures can allow bacteria to enter your bloodstream.", ["anaphor"]),
    ("It can cause damage to the liver, brain, and other organs.", ["anaphor"]),
    ("However, gastrointestinal (digestive) symptoms have little improvement with IVIG.", ["marker"]),
    ("Thus, your child may need to see a specialist.", ["marker"]),
    ("In addition, this longitudinal study examines the crude association between the course of neck pain and HRQoL.",
     ["marker"]),
    ("A blockage that prevents you from emptying your bladder Some conditions may also cause you to have blood or "
     "protein in your urine.", ["glued"]),
    ("Eat too many foods rich in purines Gout can be hard to diagnose.", ["glued"]),
    ("Symptoms of Glaucoma Glaucoma can develop in one or both eyes.", ["glued"]),
    ("Receiving an infected organ transplant or blood transfusion Most people with toxoplasmosis don't need "
     "treatment.", ["glued"]),
    ("What causes gout? Gout is caused by a buildup of uric acid.", ["glued"]),
    ("In general, one or more of the following interventions may be used to treat multiple myeloma:", ["cut"]),
    ("symptoms may continue for weeks after the infection clears.", ["cut"]),
    ("Results were similar in patients treated with the", ["cut"]),
    ("Ropivacaine (0.5% reduced pain scores at 4 hours.", ["brackets"]),
]
RESEARCH_FLAGGED = [
    "To determine whether topical ropivacaine reduces pain after tonsillectomy in children.",
    "We examined the relationship between body mass index and prostate specific antigen by age in men.",
    "This study aimed to evaluate the efficacy of IVIG in Guillain-Barre syndrome.",
    "A total of 120 patients were randomized to ropivacaine or saline.",
    "OBJECTIVE: To assess the cost-effectiveness of financial incentives.",
]
CLEAN = [
    "Gout is caused by a buildup of uric acid crystals in a joint.",
    "IVIG is effective in antibody-mediated disorders such as Guillain-Barre syndrome and Kawasaki disease.",
    "People with Down syndrome have a higher risk of leukemia.",
    "Infection with Staphylococcus aureus is the most common cause of pyomyositis.",
    "Taking vitamins, including fenretinide (a type of vitamin A).",
    "Locally 1.0% ropivacaine administration significantly relieves the pain of pediatric tonsillectomy [2].",
    "mRNA vaccines teach cells to make a protein that triggers an immune response.",
    "p < 0.05 was considered significant in every comparison of the two groups.",
    "The shingles vaccine is recommended for healthy adults 50 and older, even after an episode of shingles.",
]


@pytest.mark.parametrize(("text", "kinds"), FLAGGED)
def test_sentences_that_cannot_stand_alone_are_flagged(text, kinds):
    assert standalone_problems(text) == kinds


@pytest.mark.parametrize("text", RESEARCH_FLAGGED)
def test_research_aims_and_methods_are_flagged_in_research_only(text):
    assert "aim_or_method" in standalone_problems(text, research=True)
    assert "aim_or_method" not in standalone_problems(text, research=False)


@pytest.mark.parametrize("text", CLEAN)
def test_sentences_that_stand_alone_are_not_flagged(text):
    assert standalone_problems(text, research=True) == []


def _focus(display: str, text: str, *docs: str) -> Focus:
    return Focus(text=text, display=display, doc_ids=docs, kinds=("guideline",))


def _analysis(message: str, focus: tuple[Focus, ...], types=("information",), yes_no=False,
              subs=()) -> QuestionAnalysis:
    return QuestionAnalysis(message=message, cleaned=message, query=message.lower(), focus=focus, types=types,
                            yes_no=yes_no, sub_questions=subs)


IVIG = _focus("Intravenous Immunoglobulin (IVIG)", "IVIG", "GARD_0004180")
REFS = [Citation(1, "GARD_0004180", "IVIG", "GARD", None, ""), Citation(2, "pubmed:1", "Sepsis", "PubMed", 2010, "")]


def test_focus_names_split_the_bracketed_name_and_match_whole_words_and_plurals():
    names = focus_names(_analysis("Does IVIG help?", (IVIG,)))
    assert set(names) == {"Intravenous Immunoglobulin (IVIG)", "Intravenous Immunoglobulin", "IVIG"}
    assert names_focus("Intravenous immunoglobulins are pooled antibodies.", names)
    assert names_focus("IVIG is given by infusion.", names)
    assert not names_focus("IVIGx is a made-up word.", names)


def test_bottom_line_needs_a_verdict_for_yes_no_and_a_focus_statement():
    analysis = _analysis("Does IVIG help all autoimmune conditions?", (IVIG,), ("efficacy",), yes_no=True)
    cited = Statement("IVIG is effective for specific, mostly antibody-mediated disorders.", (1,))
    off = Statement("IgM-enriched IVIG is an effective adjuvant therapy in VLBW infants with sepsis.", (2,))
    unnamed = Statement("Plasma exchange is an alternative for some patients.", (1,))  # cites the focus document
    assert bottom_line_check(Answer("q", [BottomLine((cited,), verdict="Not for all.")], analysis=analysis)) \
        == (True, "ok")
    assert bottom_line_check(Answer("q", [BottomLine((cited,))], analysis=analysis)) == (False, "no verdict")
    assert bottom_line_check(Answer("q", [], analysis=analysis)) == (False, "none")
    other = _analysis("What is IVIG?", (IVIG,))
    assert bottom_line_check(Answer("q", [BottomLine((unnamed,))], citations=REFS, analysis=other)) == (True, "ok")
    assert bottom_line_check(Answer("q", [BottomLine((Statement("Sepsis is common.", (2,)),))], citations=REFS,
                                    analysis=other)) == (False, "off focus")
    assert bottom_line_check(Answer("q", [BottomLine((off,))], abstained=True, analysis=other)) == (None, "n/a")


def test_bottom_line_checks_the_question_type():
    gout = _focus("Gout", "gout", "MPlus_gout")
    analysis = _analysis("What causes gout?", (gout,), ("causes",))
    answer = Answer("q", [BottomLine((Statement("Gout is caused by too much uric acid in the blood.", (1,)),))],
                    analysis=analysis)
    assert bottom_line_check(answer) == (True, "ok")
    answer.bottom_line = [BottomLine((Statement("Gout is a common type of arthritis.", (1,)),))]
    assert bottom_line_check(answer) == (False, "type")


def test_sub_question_coverage_by_question_text_and_untitled_parts():
    subs = (SubQuestion("Can I get shingles again?", ("prognosis",), True, ()),
            SubQuestion("Is the vaccine still worth it?", ("efficacy",), True, ()))
    analysis = _analysis("I had shingles. Can I get shingles again, and is the vaccine still worth it?", (), subs=subs)
    s = Statement("Shingles can come back.", (1,))
    assert subquestion_coverage(Answer("q", [BottomLine((s,))], analysis=analysis)) == (1, 2)
    both = [BottomLine((s,), question="Can I get shingles again?"),
            BottomLine((), question="is the vaccine still worth it", unanswered="The library does not say ...")]
    assert subquestion_coverage(Answer("q", both, analysis=analysis)) == (2, 2)
    assert subquestion_coverage(Answer("q", [], analysis=analysis)) == (0, 2)


def test_answer_quality_record_and_block():
    analysis = _analysis("What is IVIG?", (IVIG,))
    answer = Answer(
        "What is IVIG?",
        bottom_line=[BottomLine((Statement("IVIG is made from pooled antibodies of donors.", (1,)),))],
        considerations=[Consideration("Dosing", (Statement("This treatment is given every 3 to 4 weeks.", (1,)),))],
        research=[ResearchFacet("Efficacy", (Statement("We searched MEDLINE for trials of sepsis.", (2,)),))],
        citations=REFS, analysis=analysis)
    record = answer_quality(answer)
    assert record["bottom_line"] is True
    assert record["standalone_problems"] == 2
    assert record["standalone_kinds"] == {"anaphor": 1, "aim_or_method": 1}
    assert (record["on_focus_statements"], record["focus_statements"]) == (2, 3)
    assert record["off_focus_examples"] == ["We searched MEDLINE for trials of sepsis."]
    assert "pooled antibodies" in record["statement_text"]
    abstained = answer_quality(Answer("q", abstained=True, analysis=analysis))
    block = quality_block([record, abstained])
    assert block["bottom_line_rate"] == 1.0 and block["n_bottom_line"] == 1
    assert block["standalone_problems_per_answer"] == 2.0 and block["n_quality"] == 1
    assert block["focus_relevance"] == pytest.approx(2 / 3)
    assert block["off_focus_per_answer"] == 1.0
    assert block["subquestion_coverage"] == 1.0
