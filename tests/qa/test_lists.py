"""List statements (medcite.qa.lists): a list's lead-in and its items quoted as one sentence, on real library text."""

from __future__ import annotations

from medcite.qa.evidence import quotable_sentences
from medcite.qa.lists import IN_LIST
from medcite.qa.standalone import is_repair

# MedlinePlus "Gout" (MPlusHealthTopics_0000409), as the library's chunk holds it
GOUT = ("Gout is a common, painful form of arthritis. It causes swollen, red, hot and stiff joints.\n"
        "You are more likely to get gout if you\n- Are a man\n- Have family member with gout\n- Are overweight\n"
        "- Drink alcohol\n- Eat too many foods rich in purines Gout can be hard to diagnose. Your doctor may take a "
        "sample of fluid from an inflamed joint to look for crystals.")


def _quotable(text: str) -> list[tuple]:
    return [row for row in quotable_sentences(text) if row[3] is None]


def test_a_lead_in_and_its_items_become_one_statement_in_the_source_words() -> None:
    rows = quotable_sentences(GOUT)
    merged = [row for row in rows if row[4]]
    assert [row[1] for row in merged] == [
        "You are more likely to get gout if you: Are a man; Have family member with gout; Are overweight; "
        "Drink alcohol; Eat too many foods rich in purines."]
    statement, source = merged[0][1], merged[0][4]
    assert GOUT.find(source) >= 0 and source.startswith("You are more likely") and source.endswith("purines")
    assert is_repair(statement, source)  # punctuation only: the citation check holds
    assert sum(row[3] == IN_LIST for row in rows) == 5  # the items are no candidates of their own
    # the sentence glued to the last item is still its own sentence
    assert "Gout can be hard to diagnose." in [row[1] for row in _quotable(GOUT)]


def test_a_whole_sentence_before_a_list_is_not_part_of_its_lead_in() -> None:
    text = ("Treatment depends on the cause. Steps may include\n- Resting the joint\n- Taking medicines\n\n"
            "Talk with your doctor about your options.")
    merged = [row for row in quotable_sentences(text) if row[4]]
    assert [row[1] for row in merged] == ["Steps may include: Resting the joint; Taking medicines."]
    assert merged[0][4] == "Steps may include\n- Resting the joint\n- Taking medicines"


def test_an_inline_list_and_resource_lists() -> None:
    # NIHSeniorHealth: an inline " - " list whose first item the splitter leaves on the lead-in
    text = ("It does not mean that you will not get cancer. Different ways to prevent cancer are being studied, "
            "including - changing lifestyle or eating habits\n- avoiding things known to cause cancer")
    merged = [row for row in quotable_sentences(text) if row[4]]
    assert [row[1] for row in merged] == ["Different ways to prevent cancer are being studied, including: changing "
                                          "lifestyle or eating habits; avoiding things known to cause cancer."]
    assert is_repair(merged[0][1], merged[0][4])
    # GHR: "Label: text" items are links, not a list statement
    links = ("These resources address the diagnosis or management of Graves disease:\n- American Thyroid "
             "Association: Thyroid Function Tests\n- Genetic Testing Registry: Graves disease 2")
    assert not any(row[4] for row in quotable_sentences(links))


def test_a_question_heading_and_a_single_item_make_no_list_statement() -> None:
    text = "What are the symptoms of gout?\n- Pain in the big toe\n- Swelling\nOne item list:\n- Only this one"
    assert not any(row[4] for row in quotable_sentences(text))


def test_a_list_too_long_for_one_statement_keeps_its_first_items() -> None:
    items = "".join(f"\n- Symptom number {i} of a long list" for i in range(12))
    text = f"Common signs of the disorder include{items}"
    merged = [row for row in quotable_sentences(text, max_words=40) if row[4]]
    assert len(merged) == 1 and merged[0][2] is True  # trimmed
    assert len(merged[0][1].split()) <= 40 and merged[0][1].endswith("list.")


def test_a_list_statement_reaches_the_answer_as_a_lead_in_and_items() -> None:
    from medcite.answer.contract import statement_dict
    from medcite.answer.markdown import render
    from medcite.qa.offline import compose_offline
    from tests.qa.conftest import make_passage

    passage = make_passage("MPlusHealthTopics_0000409", GOUT, title="Gout", kind="guideline",
                           section="What is (are) Gout?", source="MedlinePlus")
    answer = compose_offline("Who is more likely to get gout?", [passage])
    listed = [s for b in answer.bottom_line for s in b.statements if s.items]
    listed += [s for c in answer.considerations for s in c.statements if s.items]
    assert listed, answer
    s = listed[0]
    assert s.lead == "You are more likely to get gout if you"
    assert s.items == ("Are a man", "Have family member with gout", "Are overweight", "Drink alcohol",
                       "Eat too many foods rich in purines")
    assert statement_dict(s)["items"] == list(s.items) and statement_dict(s)["text"] == s.text
    markdown = render(answer)
    assert "You are more likely to get gout if you [1]:\n" in markdown and "\n- Drink alcohol\n" in markdown.replace(
        "  - ", "- ")


# NIDDK "Cyclic Vomiting Syndrome", as the library's chunk holds it: the page's next sentence glued to the last item
CVS = ("People who have any signs or symptoms of severe dehydration should call or see a health care provider right "
       "away:\n- excessive thirst\n- dark-colored urine\n- infrequent urination\n- lethargy, dizziness, or faintness\n"
       "- dry skin Infants, children, older adults, and people with weak immune systems have the greatest chance of "
       "becoming dehydrated.")


def test_a_sentence_glued_to_the_last_item_ends_the_list_before_it() -> None:
    merged = [row[1] for row in quotable_sentences(CVS) if row[4]]
    assert merged == ["People who have any signs or symptoms of severe dehydration should call or see a health care "
                      "provider right away: excessive thirst; dark-colored urine; infrequent urination; lethargy, "
                      "dizziness, or faintness."]
