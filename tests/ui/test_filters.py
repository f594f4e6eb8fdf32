"""The filters in force, in words: stated by the answer service, shown by the Markdown writer and the chat's HTML;
the year boxes read empty as "any year"."""

from __future__ import annotations

import pytest

from medcite.answer import Answer
from medcite.qa.compose import NO_GUIDELINE_PASSAGE, NO_RESEARCH_PASSAGE
from medcite.qa.retrieve import Filters
from medcite.qa.service import explain_filtered_parts, filters_in_words
from medcite.ui import answer_html
from medcite.ui.handlers import make_filters


@pytest.mark.unit
@pytest.mark.parametrize(("filters", "words"), [
    (None, ""),
    (Filters(), ""),
    (Filters(kind="research", year_min=2010, year_max=2020), "research only, 2010\u20132020"),
    (Filters(kind="guideline"), "guidelines only"),
    (Filters(year_min=2015), "from 2015"),
    (Filters(year_max=2005), "up to 2005"),
    (Filters(year_min=2012, year_max=2012), "2012"),
])
def test_filters_in_words(filters, words):
    assert filters_in_words(filters) == words


@pytest.mark.unit
def test_a_part_a_filter_emptied_says_so():
    answer = Answer(question="q", part_notes={"guidelines": NO_GUIDELINE_PASSAGE, "research": NO_RESEARCH_PASSAGE})
    filters = Filters(kind="research", year_min=2010)
    answer.filters = filters_in_words(filters)
    explain_filtered_parts(answer, filters)
    assert answer.part_notes["guidelines"] == ("The filters in force (research only, from 2010) leave out guideline "
                                               "passages.")
    assert answer.part_notes["research"] == NO_RESEARCH_PASSAGE  # research was searched: no excuse
    guidelines_only = Answer(question="q", part_notes={"research": NO_RESEARCH_PASSAGE})
    guidelines_only.filters = "guidelines only"
    explain_filtered_parts(guidelines_only, Filters(kind="guideline"))
    assert guidelines_only.part_notes["research"] == ("The filters in force (guidelines only) leave out research "
                                                      "passages.")
    unfiltered = Answer(question="q", part_notes={"guidelines": NO_GUIDELINE_PASSAGE})
    explain_filtered_parts(unfiltered, Filters())
    assert unfiltered.part_notes["guidelines"] == NO_GUIDELINE_PASSAGE


@pytest.mark.unit
def test_the_answer_states_its_filters_in_markdown_and_html():
    answer = Answer(question="q", filters="research only, 2010\u20132020")
    assert "*Searched with filters: research only, 2010\u20132020.*" in answer.markdown.split("\n\n")
    html = answer_html.render_answer(answer, 0).html
    assert "<p class=\"mc-note mc-filters\">Searched with filters: research only, 2010\u20132020.</p>" in html
    assert "Searched with filters" not in Answer(question="q").markdown
    assert "mc-filters" not in answer_html.render_answer(Answer(question="q"), 0).html


@pytest.mark.unit
@pytest.mark.parametrize(("low", "high", "expected"), [
    ("", "", (None, None)), (None, None, (None, None)), ("0", "", (None, None)), (" 2010 ", "", (2010, None)),
    ("2020", "2010", (2010, 2020)), ("abc", "2015.0", (None, 2015)),
])
def test_empty_year_boxes_mean_any_year(low, high, expected):
    f = make_filters("both", low, high)
    assert (f.year_min, f.year_max) == expected and f.kind is None
