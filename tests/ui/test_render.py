"""Unit tests of the UI's HTML: escaping, citation links, passage highlighting, sources, library, export."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medcite.answer import Answer, BottomLine, Consideration, Refusal, ResearchFacet, Statement, Suggestion
from medcite.qa.safety import DISCLAIMER, REFUSAL
from medcite.triage import Triage
from medcite.types import Chunk, Citation
from medcite.ui import answer_html, render

pytestmark = pytest.mark.unit

ALLOWED_TAGS = {"div", "h3", "h4", "p", "ul", "ol", "li", "a", "span", "strong", "em", "mark", "blockquote", "br",
                "section", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRS = {"class", "href", "title", "target", "rel", "role", "aria-hidden", "id", "data-n"}
CITATIONS = [
    Citation(n=1, doc_id="NINDS_ivig", title="Intravenous Immunoglobulin (IVIG)", source="NINDS", year=None,
             url="https://www.ninds.nih.gov/ivig", evidence_label="NIH consumer guideline (NINDS)", kind="guideline"),
    Citation(n=2, doc_id="GHR_gbs", title="Guillain-Barre syndrome", source="GHR", year=None,
             url="https://ghr.nlm.nih.gov/condition/gbs", kind="guideline"),
    Citation(n=3, doc_id="pubmed:9000002", title="Adverse events of IVIG", source="J Immunol Res", year=2012,
             url="https://pubmed.ncbi.nlm.nih.gov/9000002/", evidence_label="Review",
             snapshot="Review, 2012"),
]


def make_answer(**kw) -> Answer:
    parts = dict(
        bottom_line=[BottomLine((Statement("IVIG does not help all autoimmune conditions.", (1,)),
                                 Statement("It is effective for specific disorders.", (1, 2))), verdict="No.")],
        considerations=[Consideration("Efficacy", (Statement("IVIG is most useful when it is started early.", (2,)),))],
        research=[ResearchFacet("Safety and Adverse Effects",
                                (Statement("Headache and chills were the most frequent adverse events of IVIG.",
                                           (3,)),),
                                agreement="3 found a benefit, 1 found no difference")],
        citations=CITATIONS,
    )
    parts.update(kw)
    return Answer(question="Does IVIG help all autoimmune conditions?", **parts)


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = TagCollector()
    parser.feed(html)
    return parser.tags


def assert_inert(html: str) -> None:
    """Only the renderer's own tags and attributes, and only http(s) or in-page links."""
    for tag, attrs in tags_of(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        assert set(attrs) <= ALLOWED_ATTRS, (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("#mc-ref-", "#mc-ask-", "#mc-chat", "https://", "http://")), href


class TestAnswer:
    def test_parts_headings_bullets(self):
        out = answer_html.render_answer(make_answer(), 0)
        assert "<h3 class=\"mc-h\">From the Guidelines</h3>" in out.html
        assert "<h3 class=\"mc-h\">From the Research</h3>" in out.html
        assert "<h3 class=\"mc-h mc-h-refs\">References</h3>" in out.html
        assert "<h4 class=\"mc-facet\">Safety and Adverse Effects</h4>" in out.html
        assert "<p class=\"mc-agreement\">3 found a benefit, 1 found no difference</p>" in out.html
        assert "<p class=\"mc-bottom\"><strong class=\"mc-verdict\">No.</strong> IVIG does not help" in out.html
        assert "<p class=\"mc-lead\">Key considerations:</p>" in out.html
        assert "<li><strong>Efficacy</strong> \u2014 IVIG is most useful" in out.html
        assert "Review, 2012." in out.html  # the study snapshot
        assert "<p class=\"mc-disclaimer\">" in out.html
        assert "\n\n" not in out.html  # one HTML block: no markdown processing downstream
        assert_inert(out.html)

    def test_each_marker_is_a_link_carrying_turn_number_and_sentence(self):
        out = answer_html.render_answer(make_answer(), 4)
        assert "<a class=\"mc-cite\" href=\"#mc-ref-4-1-0\" title=\"Show source 1\">[1]</a>" in out.html
        assert out.refs[0] == render.CiteRef(1, "IVIG does not help all autoimmune conditions")
        # [1][2] are two links, both for the same sentence
        assert out.refs[1] == render.CiteRef(1, "It is effective for specific disorders")
        assert out.refs[2] == render.CiteRef(2, "It is effective for specific disorders")
        # a facet label is not part of the cited sentence
        assert out.refs[3] == render.CiteRef(2, "IVIG is most useful when it is started early")
        assert out.refs[4] == render.CiteRef(3, "Headache and chills were the most frequent adverse events of IVIG")
        # reference-list markers name a source, not a sentence
        assert [r.sentence for r in out.refs[5:]] == ["", "", ""]
        assert "href=\"#mc-ref-4-3-7\"" in out.html
        # the full stop stays with its markers
        assert "conditions <span class=\"mc-cites\">" in out.html and "[1]</a>.</span></span>" in out.html
        assert "<span class=\"mc-last\"><a" in out.html  # the last marker and the full stop never part

    def test_unknown_numbers_are_not_links(self):
        answer = make_answer(bottom_line=[BottomLine((Statement("A claim.", (1,)), Statement("Another.", (9,))))],
                             considerations=[], research=[], citations=CITATIONS[:1])
        out = answer_html.render_answer(answer, 0)
        assert "href=\"#mc-ref-0-1-0\"" in out.html
        assert "<span class=\"mc-cite mc-cite-unknown\">[9]</span>" in out.html
        assert [r.n for r in out.refs] == [1, 1]  # the statement, then the reference list

    def test_a_list_statement_shows_its_items_one_a_line_and_escaped(self):
        listed = Statement("Signs include: Fever; <b>Rash</b>.", (1,), lead="Signs include",
                           items=("Fever", "<b>Rash</b>"))
        answer = make_answer(bottom_line=[BottomLine((Statement("A claim.", (1,)), listed))], considerations=[],
                             research=[], citations=CITATIONS[:1])
        out = answer_html.render_answer(answer, 0)
        assert "Signs include <span class=\"mc-cites\">" in out.html
        assert ("<span class=\"mc-items\"><span class=\"mc-item\">Fever</span>"
                "<span class=\"mc-item\">&lt;b&gt;Rash&lt;/b&gt;</span></span>") in out.html
        assert "Fever; " not in out.html  # not the run-on sentence
        assert [r.sentence for r in out.refs[:2]] == ["A claim", "Signs include"]
        assert_inert(out.html)

    def test_reference_links_open_outside_safely(self):
        out = answer_html.render_answer(make_answer(), 0)
        assert ("<a class=\"mc-out\" href=\"https://pubmed.ncbi.nlm.nih.gov/9000002/\" target=\"_blank\" "
                "rel=\"noopener noreferrer nofollow\">Open on PubMed \u2197</a>") in out.html
        assert "Open the NIH page" in out.html

    def test_markup_from_documents_and_questions_is_text(self):
        evil = "<script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned=1\"> & <b>bold</b>"
        answer = make_answer(
            bottom_line=[BottomLine((Statement(evil, (1,)),), verdict=evil, question=evil)],
            considerations=[Consideration(evil, (Statement(evil, (1,)),))],
            research=[ResearchFacet(evil, (Statement(evil, (1,)),), agreement=evil)],
            citations=[Citation(n=1, doc_id="d", title=evil, source=evil, year=2018, url="javascript:alert(1)",
                                evidence_label=evil, snapshot=evil)],
            notices=[evil], part_notes={"guidelines": evil})
        out = answer_html.render_answer(answer, 0)
        assert "<script" not in out.html and "<img" not in out.html and "<b>" not in out.html
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in out.html
        assert "javascript:" not in out.html
        assert_inert(out.html)
        question = render.render_question(evil + "\nsecond line")
        assert "<script" not in question and "&lt;img src=x" in question and "<br>" in question

    @settings(max_examples=100, deadline=None)
    @given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120))
    def test_any_text_renders_inert(self, text):
        stmt = Statement(text, (1,))
        answer = make_answer(bottom_line=[BottomLine((stmt,), verdict=text)],
                             research=[ResearchFacet(text, (stmt,))], notices=[text],
                             citations=[Citation(n=1, doc_id=text, title=text, source=text, year=None, url=text)])
        assert_inert(answer_html.render_answer(answer, 0).html)
        refusal = Answer(question=text, abstained=True, refusal=Refusal(missing=(text,), broader=(text,)))
        assert_inert(answer_html.render_answer(refusal, 0).html)
        assert_inert(render.render_question(text))
        assert_inert(render.render_streaming(text))

    def test_emergency_notice_stands_out_and_comes_from_the_triage_result(self):
        triage = Triage().run("my dad's face is drooping and he can't lift his arm")
        out = answer_html.render_answer(Answer(question="q", abstained=True, triage=triage), 0)
        assert out.html.startswith("<div class=\"mc-answer\"><div class=\"mc-emergency\" role=\"alert\" "
                                   "data-level=\"emergency\">")
        assert "<strong>This may be a medical emergency. Call 911" in out.html
        assert "Note the time the symptoms started" in out.html
        assert render.ABSTAIN_HINT not in out.html and REFUSAL not in out.html  # never a bare refusal

    def test_self_harm_notice_is_the_calm_crisis_style(self):
        triage = Triage().run("i dont want to be alive anymore")
        html_out = render.render_triage(triage)
        assert "mc-crisis" in html_out and "988" in html_out and "role=\"alert\"" in html_out
        crisis = answer_html.render_answer(Answer(question="q", engine="triage", triage=triage), 0).html
        assert "mc-crisis" in crisis and "From the Guidelines" not in crisis and DISCLAIMER not in crisis

    def test_no_notice_for_an_unflagged_message(self):
        assert render.render_triage(Triage().run("What is IVIG?")) == ""

    def test_abstention_reads_kindly_with_clickable_questions_and_a_hint_before_the_disclaimer(self):
        refusal = Refusal(suggestions=(Suggestion("IVIG", "What is IVIG?"), Suggestion("Statins", "What is statins?")))
        out = answer_html.render_answer(Answer(question="q", abstained=True, refusal=refusal), 0)
        assert "mc-abstained" in out.html and "<p class=\"mc-abstain-lead\">" in out.html
        assert "href=\"#mc-ask-What%20is%20IVIG%3F\"" in out.html and ">Statins</a>" in out.html
        assert out.html.index("mc-abstain-hint") < out.html.index("mc-disclaimer")
        assert "rephrase" in out.html
        assert_inert(out.html)

    def test_a_studys_conclusion_comes_first_when_no_guideline_answers(self):
        answer = make_answer(bottom_line=[BottomLine((Statement("Ketamine sedation was well tolerated.", (3,)),),
                                                     verdict="Yes.", source="research")], considerations=[],
                             part_notes={"guidelines": "The guideline passages found do not address this question."})
        out = answer_html.render_answer(answer, 0).html
        assert out.index("In short (from the research):") < out.index("From the Guidelines")
        assert "<strong class=\"mc-verdict\">Yes.</strong> Ketamine sedation" in out
        assert "The guideline passages found do not address" in out
        md = answer.markdown
        assert md.startswith("**In short (from the research):** **Yes.** Ketamine sedation was well tolerated [3].")

    def test_named_gap(self):
        refusal = Refusal(missing=("tirzepatide",), broader=("Diabetes",))
        out = answer_html.render_answer(Answer(question="q", abstained=True, refusal=refusal), 0).html
        assert "has no source on <strong>tirzepatide</strong>." in out
        assert "not on <strong>tirzepatide</strong>, the library does hold:" in out and ">Diabetes</a>" in out

    def test_named_gap_with_what_the_held_topic_says(self):
        held = (Statement("A gout attack is treated with colchicine.", (1,)),)
        refusal = Refusal(missing=("zelvoprant",), broader=("Gout",), held=held)
        citation = Citation(n=1, doc_id="AN_gout", title="Gout", source="NIAMS", year=None,
                            url="https://example.org/gout", evidence_label="Guideline")
        answer = Answer(question="q", abstained=True, refusal=refusal, citations=[citation])
        out = answer_html.render_answer(answer, 0).html
        assert "not on <strong>zelvoprant</strong>, the library's pages on " in out and ">Gout</a> say:" in out
        assert "colchicine" in out and "mc-refs" in out and "does hold:" not in out
        md = answer.markdown
        assert "the library's pages on *Gout* say: A gout attack is treated with colchicine [1]." in md
        assert "- [1] Gout." in md

    def test_notes_and_streaming(self):
        out = answer_html.render_answer(make_answer(notices=["Your message was long, so only its first 2,000 "
                                                             "characters were used."]), 0)
        assert "<p class=\"mc-note\">Your message was long" in out.html
        streaming = render.render_streaming("IVIG helps <b>some</b> [1]\n\nSecond", render.WRITING)
        assert "mc-streaming" in streaming and "&lt;b&gt;some&lt;/b&gt;" in streaming and "Writing" in streaming
        assert render.render_status().count("Searching the library") == 1


class TestPassage:
    CHUNK = Chunk(
        id="NINDS_ivig#0", doc_id="NINDS_ivig", section_id="s0", section="What is IVIG?", ordinal=0,
        text="IVIG is a blood product. IVIG does not help all autoimmune conditions. It is effective for Kawasaki "
             "disease.\n\nFor many other autoimmune diseases the evidence is weak.",
        embed_text="", title="IVIG", kind="guideline", source="NINDS", url="https://www.ninds.nih.gov/ivig",
    )
    CITATION = Citation(n=1, doc_id="NINDS_ivig", title="Intravenous Immunoglobulin (IVIG)", source="NINDS",
                        year=None, url="https://www.ninds.nih.gov/ivig", evidence_label="NIH consumer guideline",
                        kind="guideline", passages=("NINDS_ivig#0",))

    def test_exact_sentence_is_found(self):
        text = self.CHUNK.text
        start, end = render.find_sentence(text, "IVIG does not help all   autoimmune conditions")
        assert text[start:end] == "IVIG does not help all autoimmune conditions"

    def test_paraphrase_finds_the_best_sentence(self):
        span = render.find_sentence(self.CHUNK.text, "Evidence is weak for many other autoimmune diseases")
        assert self.CHUNK.text[span[0]:span[1]] == "For many other autoimmune diseases the evidence is weak."
        assert render.find_sentence(self.CHUNK.text, "Statins lower cholesterol in adults") is None
        assert render.find_sentence(self.CHUNK.text, "") is None

    def test_passage_view(self):
        html = render.render_passage(self.CITATION, [self.CHUNK], "IVIG does not help all autoimmune conditions")
        assert "<mark class=\"mc-hl\">IVIG does not help all autoimmune conditions</mark>" in html
        assert "Intravenous Immunoglobulin (IVIG)" in html and "NIH consumer guideline" in html
        assert "mc-badge-guideline" in html and "What is IVIG?" in html
        assert "href=\"https://www.ninds.nih.gov/ivig\"" in html and "Open the NIH page" in html
        assert html.count("<p>") == 2  # paragraphs kept
        assert_inert(html)

    def test_passage_markup_is_text_and_highlight_survives_escaping(self):
        chunk = Chunk(id="x#0", doc_id="pubmed:42", section_id="s", section="<i>Results</i>", ordinal=0,
                      text="Sunscreen <script>window.__pwned=1</script> reduced melanoma. Other <img src=x>.",
                      embed_text="", title="t", kind="research", source="s")
        citation = Citation(n=2, doc_id="pubmed:42", title="<b>T</b>", source="J <img src=x onerror=alert(1)>",
                            year=2018, url="javascript:alert(1)")
        html = render.render_passage(citation, [chunk], "Sunscreen <script>window.__pwned=1</script> reduced melanoma")
        assert "<script" not in html and "<img" not in html and "<i>" not in html and "<b>" not in html
        assert "<mark class=\"mc-hl\">Sunscreen &lt;script&gt;window.__pwned=1&lt;/script&gt; reduced melanoma" in html
        assert "href=\"https://pubmed.ncbi.nlm.nih.gov/42/\"" in html and "javascript:" not in html
        assert_inert(html)

    def test_missing_passage_says_so(self):
        html = render.render_passage(self.CITATION, [], "anything")
        assert "no longer in the library" in html

    def test_outbound_url(self):
        assert render.outbound_url("https://example.org/a") == "https://example.org/a"
        assert render.outbound_url("javascript:alert(1)", "pubmed:123") == "https://pubmed.ncbi.nlm.nih.gov/123/"
        assert render.outbound_url("", "GHR_x") == ""
        assert render.link_label("https://pubmed.ncbi.nlm.nih.gov/1/") == "Open on PubMed"
        assert render.link_label("https://medlineplus.gov/x") == "Open on medlineplus.gov"


class TestSourcesLibraryExport:
    def test_sources_panel(self):
        citations = [TestPassage.CITATION,
                     Citation(n=2, doc_id="pubmed:7", title="<Trial>", source="Lancet", year=2019, url="",
                              evidence_label="Randomized Controlled Trial", kind="research")]
        refs = [render.CiteRef(2, "a sentence"), render.CiteRef(1, "other")]
        html = render.render_sources(citations, 3, refs)
        assert "href=\"#mc-ref-3-1-1\"" in html and "href=\"#mc-ref-3-2-0\"" in html
        assert "&lt;Trial&gt;" in html and "Lancet \u00b7 2019 \u00b7 Randomized Controlled Trial" in html
        assert "https://pubmed.ncbi.nlm.nih.gov/7/" in html and "2 sources" in html
        assert_inert(html)
        assert "listed here" in render.render_sources([], 0)
        assert "quotes no sources" in render.render_sources([], 0, answered=True)

    def test_library_summary(self):
        stats = {"documents": 1200, "chunks": 5400, "by_kind": {"guideline": 200, "research": 1000},
                 "by_source": {"GHR": 200, "<b>J</b>": 1000}, "chunks_by_kind": {"guideline": 400},
                 "years": {"min": 1990, "max": 2020}, "incomplete_documents": 0,
                 "last_ingest": {"finished_at": 1_700_000_000, "added": 1200, "updated": 0, "removed": 0}}
        html = render.render_library(stats)
        assert "1,200" in html and "5,400" in html and "1990\u20132020" in html
        assert "2023-11-14 22:13 UTC" in html and "1,200 added" in html
        assert "&lt;b&gt;J&lt;/b&gt;" in html
        assert_inert(html)
        breakdown = {"by_source": [("NINDS", 1, 3)], "by_kind": [("Guideline", 1, 3)], "by_year": [(2019, 1, 2)]}
        html = render.render_library({**stats, "last_ingest": None}, breakdown)
        assert "By year" in html and "<td>NINDS</td><td>1</td><td>3</td>" in html and "not recorded" in html

    def test_conversation_markdown(self):
        turns = [{"question": "Does IVIG help?\n", "markdown": "**From the Guidelines**\n\nNo [1]."},
                 {"question": "and side effects?", "markdown": "Headache [1]."}]
        md = render.conversation_markdown(turns)
        assert md.startswith("# MedCite conversation\n")
        assert "## 1. Does IVIG help?\n\n**From the Guidelines**\n\nNo [1].\n" in md
        assert "## 2. and side effects?" in md
        assert "No questions yet" in render.conversation_markdown([])
