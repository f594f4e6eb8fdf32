"""Citation markers, markdown safety and the composer of the offline engine."""

from __future__ import annotations

import json
import re

import pytest

from medcite.answer import Answer
from medcite.qa.compose import (
    CONSIDERATIONS_LEAD,
    GUIDELINES_HEADING,
    NO_GUIDELINE_PASSAGE,
    NO_RESEARCH_EVIDENCE,
    NO_RESEARCH_PASSAGE,
    REFERENCES_HEADING,
    RESEARCH_HEADING,
    CitationRegistry,
    Limits,
    cite_sentence,
    compose_answer,
    escape_markdown,
    evidence_label,
    format_reference,
    parse_citation_numbers,
    safe_url,
    source_name,
    strip_invalid_citations,
)
from medcite.qa.evidence import select_evidence
from medcite.types import Citation
from tests.qa.conftest import guideline, research

pytestmark = pytest.mark.unit

QUESTION = "Does IVIG help all autoimmune conditions?"


class Composed:
    """The composition as an answer: its Markdown view (``body``), statements, sections and notes."""

    def __init__(self, comp) -> None:
        self.answer = Answer(question=QUESTION, bottom_line=comp.bottom_line, considerations=comp.considerations,
                             research=comp.research, citations=comp.citations, part_notes=comp.notes)
        self.body = self.answer.markdown
        self.citations = comp.citations
        self.statements = list(self.answer.statements())
        self.sections = self.answer.sections
        self.notes = comp.notes


def compose(question, passages, **limits):
    return Composed(compose_answer(select_evidence(question, passages), passages, Limits(**limits)))


class TestCitationMarkers:
    @pytest.mark.parametrize(
        ("text", "numbers"),
        [
            ("IVIG helps [1].", [1]),
            ("IVIG helps [1][2] and harms [2].", [1, 2]),
            ("See [3, 1] and [2-4].", [3, 1, 2, 4]),
            ("Escaped \\[5\\] and a link [6](http://x.org) do not count [7].", [7]),
            ("No markers here.", []),
            ("Text [a] and [1.5] are not markers.", []),
        ],
    )
    def test_parse(self, text: str, numbers: list[int]) -> None:
        assert parse_citation_numbers(text) == numbers

    def test_strip_invalid(self) -> None:
        assert strip_invalid_citations("IVIG helps [1, 7].", {1}) == "IVIG helps [1]."
        assert strip_invalid_citations("IVIG helps [7].", {1}) == "IVIG helps."
        assert strip_invalid_citations("A [1][9] b [2].", {1, 2}) == "A [1] b [2]."
        assert strip_invalid_citations("Range [1-3].", {2}) == "Range [2]."
        assert strip_invalid_citations("Link [1](http://x.org) stays.", set()) == "Link [1](http://x.org) stays."

    def test_cite_sentence_puts_marker_before_final_period(self) -> None:
        assert cite_sentence("IVIG helps in GBS.", (1, 2)) == "IVIG helps in GBS [1][2]."
        assert cite_sentence("No final punctuation", (3,)) == "No final punctuation [3]"


class TestMarkdownSafety:
    def test_escape_markdown(self) -> None:
        out = escape_markdown("<script>alert(1)</script> [1](javascript:alert(1)) *bold* `code` ![img](x)")
        assert "<" not in out and ">" not in out
        assert "\\[1\\](javascript" in out
        assert "\\*bold\\*" in out and "\\`code\\`" in out and "!\\[img\\]" in out
        assert parse_citation_numbers(out) == []

    @pytest.mark.parametrize(
        ("url", "ok"),
        [
            ("https://pubmed.ncbi.nlm.nih.gov/1/", True),
            ("http://ghr.nlm.nih.gov/condition/x", True),
            ("javascript:alert(1)", False),
            ("https://e.vil/<script>", False),
            ("https://x.org/a b", False),
            ("", False),
            ("ftp://x.org/file", False),
        ],
    )
    def test_safe_url(self, url: str, ok: bool) -> None:
        assert safe_url(url) == (url if ok else "")

    def test_reference_line(self) -> None:
        c = Citation(
            n=2,
            doc_id="GHR_1",
            title="Guillain-Barré <b>syndrome</b>",
            source="GHR",
            year=2016,
            url="javascript:alert(1)",
            evidence_label="NIH consumer guideline (GHR)",
            kind="guideline",
        )
        line = format_reference(c)
        assert line.startswith("- [2] Guillain-Barré &lt;b&gt;syndrome&lt;/b&gt;.")
        assert "Genetics Home Reference" in line and "2016" in line
        assert "javascript" not in line

    def test_source_names_and_labels(self) -> None:
        assert source_name("GARD").startswith("Genetic and Rare Diseases")
        assert source_name("CancerGov").startswith("National Cancer Institute")
        assert source_name("Lancet") == "Lancet"
        assert evidence_label("research", "A randomized controlled trial of IVIG") == "Randomised controlled trial"
        assert evidence_label("research", "IVIG in CIDP: a meta-analysis") == "Systematic review / meta-analysis"
        assert evidence_label("guideline", "anything", source="GHR") == "NIH consumer guideline (GHR)"
        assert evidence_label("guideline", "anything", source="NHS") == "Guideline"
        assert evidence_label("research", "IVIG in CIDP") == "Research abstract"


class TestComposer:
    def test_layout(self, ivig_passages) -> None:
        comp = compose(QUESTION, ivig_passages)
        body = comp.body
        assert body.index(GUIDELINES_HEADING) < body.index(CONSIDERATIONS_LEAD) < body.index(RESEARCH_HEADING)
        assert body.index(RESEARCH_HEADING) < body.index(REFERENCES_HEADING)
        assert re.search(r"^- \*\*[A-Z][^*]+\*\* \u2014 .+\[\d+\]\.$", body, re.M)
        assert re.search(r"^\*Efficacy\*$", body, re.M)

    def test_numbering_by_first_appearance_one_per_document(self, ivig_passages) -> None:
        comp = compose(QUESTION, ivig_passages)
        before_refs = comp.body.split(REFERENCES_HEADING)[0]
        order = parse_citation_numbers(before_refs)
        assert order == list(range(1, len(order) + 1))
        assert [c.n for c in comp.citations] == order
        doc_ids = [c.doc_id for c in comp.citations]
        assert len(doc_ids) == len(set(doc_ids))
        # Two passages of one document share its number.
        ninds = next(c for c in comp.citations if c.doc_id == "NINDS_ivig")
        assert set(ninds.passages) == {"NINDS_ivig#0", "NINDS_ivig#1"}

    def test_every_statement_is_cited_and_resolves(self, ivig_passages) -> None:
        comp = compose(QUESTION, ivig_passages)
        numbers = {c.n for c in comp.citations}
        assert comp.statements
        for s in comp.statements:
            assert s.citations and set(s.citations) <= numbers
            assert s.chunk_ids

    def test_sections_are_json(self, ivig_passages) -> None:
        comp = compose(QUESTION, ivig_passages)
        data = json.loads(json.dumps(comp.sections))
        assert set(data) >= {"guidelines", "research"}
        assert data["guidelines"]["bottom_line"][0]["text"] == "IVIG does not help all autoimmune conditions."
        assert {"text", "citations", "chunk_ids", "facet"} <= set(data["guidelines"]["bottom_line"][0])
        assert all({"facet", "text", "citations"} <= set(c) for c in data["guidelines"]["considerations"])
        assert all({"heading", "bullets"} <= set(r) for r in data["research"])
        assert all({"text", "citations"} <= set(b) for r in data["research"] for b in r["bullets"])

    def test_bottom_line_keeps_the_sentence_that_continues_it(self, ivig_passages) -> None:
        comp = compose(QUESTION, ivig_passages)
        bottom = [s["text"] for s in comp.sections["guidelines"]["bottom_line"]]
        assert bottom[0] == "IVIG does not help all autoimmune conditions."
        assert bottom[1].startswith("It is effective for specific antibody-mediated disorders")

    def test_part_without_passages_says_so(self, ivig_passages) -> None:
        research_only = [p for p in ivig_passages if p.chunk.kind == "research"]
        comp = compose(QUESTION, research_only)
        assert NO_GUIDELINE_PASSAGE in comp.body
        assert comp.body.index(NO_GUIDELINE_PASSAGE) < comp.body.index(RESEARCH_HEADING)
        guideline_only = [p for p in ivig_passages if p.chunk.kind == "guideline"]
        assert NO_RESEARCH_PASSAGE in compose(QUESTION, guideline_only).body

    def test_part_without_evidence_says_so(self) -> None:
        passages = [
            guideline(
                "NINDS_ivig",
                "IVIG is a blood product made from the antibodies of many donors.",
                title="IVIG",
                qtype="information",
                question="What is IVIG?",
            ),
            research("5", "Lace plant leaves form holes by programmed cell death.", title="Lace", label="RESULTS"),
        ]
        comp = compose("What is IVIG made from?", passages)
        assert NO_RESEARCH_EVIDENCE in comp.body
        assert comp.notes["research"] == NO_RESEARCH_EVIDENCE

    def test_overlapping_chunks_do_not_repeat_a_sentence(self) -> None:
        shared = "IVIG shortens the illness when it is started within two weeks."
        first = guideline(
            "NINDS_gbs",
            f"Guillain-Barré syndrome is treated in hospital. {shared}",
            title="Guillain-Barré Syndrome",
            qtype="treatment",
            question="How is GBS treated?",
        )
        second = guideline(
            "NINDS_gbs",
            f"{shared} It is as effective as plasma exchange in adults.",
            title="Guillain-Barré Syndrome",
            qtype="treatment",
            question="How is GBS treated?",
            ordinal=1,
            score=0.7,
        )
        comp = compose("How is Guillain-Barré syndrome treated?", [first, second])
        texts = [s.text for s in comp.statements]
        assert texts.count(shared) == 1
        assert len(texts) == len(set(texts))
        assert [c.n for c in comp.citations] == [1]

    def test_same_words_other_accents_are_not_cited_as_the_same_sentence(self) -> None:
        a = guideline(
            "GARD_1",
            "Guillain-Barré syndrome is rare in children.",
            title="GBS",
            qtype="frequency",
            question="?",
        )
        b = guideline(
            "GHR_2",
            "Guillain-Barre syndrome is rare in children.",
            title="GBS",
            qtype="frequency",
            question="?",
        )
        comp = compose("How common is Guillain-Barré syndrome in children?", [a, b])
        assert len(comp.statements) == 1
        assert comp.statements[0].citations == (1,)

    def test_limits(self, ivig_passages) -> None:
        comp = compose(QUESTION, ivig_passages, max_bottom_line=1, max_considerations=2, max_bullets_per_heading=1)
        assert len(comp.sections["guidelines"]["bottom_line"]) == 1
        assert len(comp.sections["guidelines"]["considerations"]) <= 2
        assert all(len(r["bullets"]) == 1 for r in comp.sections["research"])

    def test_source_text_is_escaped(self, ivig_passages, malicious_passage) -> None:
        comp = compose("How is IVIG given in hospital?", [malicious_passage, *ivig_passages])
        assert "<script>" not in comp.body and "<b>" not in comp.body
        assert not re.search(r"(?<!\\)\]\(", comp.body)  # no live link or image: every "](" is escaped
        assert "javascript:alert(3)" not in comp.body
        assert not re.search(r"(?<!\\)!\[", comp.body)
        assert "&lt;script&gt;" in comp.body
        valid = {c.n for c in comp.citations}
        assert set(parse_citation_numbers(comp.body)) <= valid


class TestSeveralQuestions:
    def test_each_question_gets_its_own_bottom_line(self, ivig_passages) -> None:
        asked = [("what is the usual dose of IVIG", "What is the usual dose of IVIG"),
                 ("how does IVIG work", "how does IVIG work")]
        questions = [(label, select_evidence(text, ivig_passages)) for text, label in asked]
        merged = select_evidence("What is the usual dose of IVIG and how does it work?", ivig_passages)
        comp = compose_answer(merged, ivig_passages, Limits(), questions)
        assert [b.question for b in comp.bottom_line] == ["What is the usual dose of IVIG?", "How does IVIG work?"]
        dose, mechanism = comp.bottom_line
        assert "2 g/kg" in dose.statements[0].text
        assert any("mechanisms" in s.text or "Fc receptors" in s.text for s in mechanism.statements)
        shown = [s.text for b in comp.bottom_line for s in b.statements]
        others = [s.text for c in comp.considerations for s in c.statements]
        assert not set(shown) & set(others)  # a sentence is shown once

    def test_a_question_nothing_answers_says_so(self, ivig_passages) -> None:
        dose = select_evidence("what is the usual dose of IVIG", ivig_passages)
        questions = [("What is the usual dose of IVIG", dose),
                     ("Is the lace plant edible", select_evidence("is the lace plant edible", ivig_passages[:1]))]
        comp = compose_answer(questions[0][1], ivig_passages, Limits(), questions)
        assert comp.bottom_line[1].statements == () and comp.bottom_line[1].unanswered
        md = Answer(question="q", bottom_line=comp.bottom_line, citations=comp.citations).markdown
        assert "*Is the lace plant edible?* The library's sources do not answer this part." in md


def test_sections_of_one_page_are_one_reference() -> None:
    """MedQuAD stores one NIDDK page as several documents; the answer lists it once."""
    url = "http://www.niddk.nih.gov/health-information/health-topics/Diabetes/causes-diabetes/Pages/index.aspx"
    passages = [guideline(f"NIDDK_{i}", text, title="Causes of Diabetes", qtype="causes", question="What causes it?",
                          source="NIDDK", url=f"{url}#{frag}")
                for i, (frag, text) in enumerate([("gestational", "Gestational diabetes is caused by hormones."),
                                                  ("type2", "Type 2 diabetes is caused by insulin resistance.")])]
    passages.append(guideline("NIDDK_9", "Diabetes insipidus is rare.", title="Diabetes Insipidus",
                              qtype="information", question="What is it?", source="NIDDK", url=f"{url}#x"))
    registry = CitationRegistry(passages)
    assert registry.cite([0])[0] == registry.cite([1])[0] == (1,)
    assert registry.cite([2])[0] == (2,)
    refs = registry.citations()
    assert [c.n for c in refs] == [1, 2] and refs[0].passages == ("NIDDK_0#0", "NIDDK_1#0")


def test_studies_give_titles_snapshots_and_order(ivig_passages) -> None:
    """A research reference shows the study's snapshot and readable title; stronger designs come first in a facet."""
    from medcite.qa.snapshot import StudySnapshot
    from medcite.qa.studies import Study

    studies = {"pubmed:90000003": Study(StudySnapshot("Randomised controlled trial", 240, "adults", 2018, 90),
                                        "Randomised controlled trial of 240 adults: IVIG off-label use"),
               "pubmed:90000002": Study(StudySnapshot("Case series", 12, "", 2021, 30), "Case series: IVIG harm")}
    comp = compose_answer(select_evidence("What are the adverse effects of IVIG?", ivig_passages), ivig_passages,
                          Limits(), (), studies)
    refs = {c.doc_id: c for c in comp.citations}
    trial = refs["pubmed:90000003"]
    assert trial.title == "Randomised controlled trial of 240 adults: IVIG off-label use"
    assert trial.snapshot == "Randomised controlled trial, 240 participants (adults), 2018"
    assert trial.evidence_label == "Randomised controlled trial"
    safety = next(f for f in comp.research if f.heading == "Safety and Adverse Effects")
    numbers = [s.citations[0] for s in safety.statements]
    assert numbers[0] == trial.n and numbers[-1] == refs["pubmed:90000002"].n


@pytest.mark.unit
def _said(text: str, answers: float | None = None):
    """A shown research sentence, as far as ``shown_verdict`` reads one."""
    from types import SimpleNamespace

    return SimpleNamespace(chunk=SimpleNamespace(kind="research"), text=text, answers=answers)


class TestShownVerdict:
    """A "Yes." is not shown where the bottom line would contradict it or where it rests on a sentence far from the
    question (the blind read's round-2 sample: "**Yes.** ... is not recommended")."""

    @staticmethod
    def _stated(label: str, text: str, answers: float | None = None):

        from medcite.qa.decision import Verdict
        from medcite.qa.verdicts import Stated

        return Stated(Verdict(label, (0,), 0.8), (_said(text, answers=answers),))

    def test_a_yes_beside_a_sentence_that_says_no_is_not_shown(self) -> None:

        from medcite.qa.compose import shown_verdict

        stated = self._stated("yes", "The infection rate without prophylaxis was under 1%.")
        chosen = [_said("The infection rate without prophylaxis was under 1%."),
                  _said("Routine prophylaxis is therefore not recommended.")]
        assert shown_verdict(stated, chosen, "Is prophylaxis needed before port placement?", None) == ""
        assert shown_verdict(stated, chosen[:1], "Is prophylaxis needed before port placement?", None) == "Yes."

    def test_a_yes_far_from_the_question_is_not_shown_and_a_no_is_kept(self) -> None:

        from medcite.qa.compose import YES_MIN_COSINE, shown_verdict

        chosen = [_said("Acute chest syndrome is common in febrile children.")]
        far = lambda q, texts: [YES_MIN_COSINE - 0.1 for _ in texts]  # noqa: E731
        near = lambda q, texts: [YES_MIN_COSINE + 0.1 for _ in texts]  # noqa: E731
        yes = self._stated("yes", chosen[0].text)
        assert shown_verdict(yes, chosen, "Is the trait the same as the disease?", far) == ""
        assert shown_verdict(yes, chosen, "Is the trait the same as the disease?", near) == "Yes."
        assert shown_verdict(self._stated("no", chosen[0].text), chosen, "Is it the same?", far) == "No."

    def test_no_verdict_rests_on_a_sentence_unlikely_to_answer_the_question(self) -> None:

        from medcite.qa.compose import VERDICT_MIN_ANSWERS, shown_verdict

        text = "Fibroids are made of muscle cells and other tissues that grow in and around the wall of the uterus."
        chosen = [_said(text)]
        question = "Do fibroids usually grow during pregnancy?"
        for label, phrase in (("yes", "Yes."), ("no", "No.")):
            assert shown_verdict(self._stated(label, text, VERDICT_MIN_ANSWERS - 0.1), chosen, question, None) == ""
            assert shown_verdict(self._stated(label, text, VERDICT_MIN_ANSWERS + 0.1), chosen, question,
                                 None) == phrase


def test_the_verdicts_basis_comes_right_after_the_verdict_with_its_neighbours() -> None:
    from types import SimpleNamespace

    from medcite.qa.compose import _with_basis
    from medcite.qa.decision import Verdict
    from medcite.qa.verdicts import Stated

    def sentence(passage: int, position: int, text: str):
        return SimpleNamespace(passage_index=passage, position=position, text=text)

    diet = sentence(0, 1, "A diet high in fat increases the risk, some studies found.")
    hormones = sentence(0, 2, "Hormone therapy with estrogen only does not lower the risk.")
    statins = sentence(0, 4, "Taking statins does not increase or decrease the risk of colorectal cancer.")
    follow = sentence(0, 5, "Statins are drugs that lower cholesterol.")
    stated = Stated(Verdict("no", (0,), 0.8), (statins,))
    assert _with_basis([diet, hormones, statins], stated, 3) == [statins, diet, hormones]
    assert _with_basis([diet, statins, follow], stated, 3) == [statins, follow, diet]  # its run stays together
    ivig = [sentence(0, 0, "IVIG does not help all autoimmune conditions."),
            sentence(0, 1, "It is effective for CIDP.")]
    stated = Stated(Verdict("not_for_all", (0,), 0.8), (ivig[1],))
    assert _with_basis(list(ivig), stated, 3) == ivig  # the sentence it continues stays before it
