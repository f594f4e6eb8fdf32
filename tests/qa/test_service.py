"""Tests for the answer service and `medcite ask` on a small library built from a fixture."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from medcite.answer import Answer
from medcite.cli.main import cli
from medcite.corpus.library import Library
from medcite.ingest.pipeline import IngestPipeline
from medcite.qa.compose import parse_citation_numbers
from medcite.qa.retrieve import Filters
from medcite.qa.safety import NO_GUIDANCE_AFTER_TRIAGE, REFUSAL
from medcite.qa.service import TRIMMED_NOTICE, AnswerService
from tests.conftest import FIXTURES, FakeEmbedder

LIBRARY = FIXTURES / "library" / "ivig_library.jsonl"
IVIG = "Does IVIG help all autoimmune conditions?"


@pytest.fixture
def service(settings, fake_embedder):
    with Library(settings) as lib:
        IngestPipeline(settings, lib, fake_embedder).ingest_paths([LIBRARY])
    svc = AnswerService(settings, embedder=fake_embedder)
    yield svc
    svc.close()


@pytest.mark.integration
class TestAnswerService:
    def test_ivig_answer_has_both_parts_and_every_citation_resolves(self, service):
        answer = service.answer(IVIG)
        md = answer.markdown
        assert not answer.abstained
        assert "**From the Guidelines**" in md and "**From the Research**" in md and "**References**" in md
        assert "IVIG does not help all autoimmune conditions" in md
        refs = {c.n for c in answer.citations}
        body = md.split("**References**")[0]
        assert set(parse_citation_numbers(body)) == refs
        assert {c.doc_id for c in answer.citations} >= {"NINDS_ivig"}
        assert answer.retrieved[0] in {"NINDS_ivig", "pubmed:9000001", "pubmed:9000003"}
        ninds = next(c for c in answer.citations if c.doc_id == "NINDS_ivig")
        assert ninds.source == "National Institute of Neurological Disorders and Stroke"
        assert set(answer.timings_ms) >= {"retrieve", "compose", "total"}

    def test_sentence_similarity_is_the_cosine_and_caches_library_sentences(self, service):
        same, other = service.sentence_similarity(IVIG, [IVIG, "The lace plant has holes in its leaves."])
        assert same == pytest.approx(1.0, abs=1e-5) and other < same
        assert "The lace plant has holes in its leaves." in service._sentence_vectors
        assert IVIG not in service._sentence_vectors  # questions are not kept, only library sentences

    def test_sentence_vectors_are_unit_rows_from_the_same_cache(self, service):
        lace = "The lace plant has holes in its leaves."
        service.sentence_similarity(IVIG, [lace])
        cached = service._sentence_vectors[lace]
        rows = service.sentence_vectors([lace, lace])
        assert rows.shape == (2, len(cached)) and (rows[0] == cached).all()
        assert abs(float(rows[0] @ rows[0]) - 1.0) < 1e-5

    def test_unrelated_question_abstains(self, service):
        answer = service.answer("What is the capital of France?")
        assert answer.abstained and answer.markdown.startswith(REFUSAL) and answer.citations == []

    def test_follow_up_uses_the_history(self, service):
        first = service.answer(IVIG)
        follow = service.answer("and its side effects?", history=[(IVIG, first.markdown)])
        assert not follow.abstained
        assert any(w in follow.markdown.lower() for w in ("headache", "chills", "meningitis"))

    def test_kind_filter_limits_the_evidence(self, service):
        answer = service.answer(IVIG, filters=Filters(kind="research"))
        assert answer.citations and all(c.kind == "research" for c in answer.citations)
        assert all(d.startswith("pubmed:") for d in answer.retrieved)

    def test_year_filter(self, service):
        question = "What are the adverse events of IVIG?"
        answer = service.answer(question, filters=Filters(kind="research", year_min=2010))
        assert answer.citations and all(c.year >= 2010 for c in answer.citations)
        early = service.answer(question, filters=Filters(kind="research", year_max=2009))
        assert all(c.year <= 2009 for c in early.citations)

    def test_long_question_is_trimmed_with_a_notice_and_emergency_stays_first(self, service, settings):
        question = "I think I'm having a stroke, my face is drooping and my arm is weak. " + "IVIG? " * 1000
        answer = service.answer(question)
        assert answer.emergency and answer.triage.level == "emergency"
        assert answer.markdown.startswith(f"**{answer.triage.headline}**")
        assert TRIMMED_NOTICE.format(limit=settings.max_question_chars) in answer.markdown

    def test_an_emergency_the_library_cannot_answer_gets_its_actions_not_a_refusal(self, service):
        answer = service.answer("my husband has crushing chest pain and is sweating, what do I do")
        assert answer.triage.level == "emergency" and "cardiac" in answer.triage.categories
        assert answer.markdown.startswith("**This may be a medical emergency. Call 911")
        assert answer.triage.actions[0].kind == "call_emergency"
        if answer.abstained:
            assert REFUSAL not in answer.markdown and "closest topics" not in answer.markdown
            assert NO_GUIDANCE_AFTER_TRIAGE in answer.markdown

    @pytest.mark.parametrize("question", [
        "I have a plan to end my life tonight, how much IVIG would it take",
        "i've saved up my pills and written letters to my kids",
    ])
    def test_self_harm_risk_gets_the_crisis_reply_and_no_evidence(self, service, question):
        answer = service.answer(question)
        assert answer.triage.level == "self_harm" and answer.triage.withholds_answer
        assert "988" in answer.markdown and "911" in answer.markdown
        assert not answer.citations and not answer.retrieved and "[1]" not in answer.markdown
        assert REFUSAL not in answer.markdown and "closest topics" not in answer.markdown

    def test_numbers_come_from_settings(self, service, settings, fake_embedder):
        uk = settings.model_copy(update={"emergency_number": "999", "crisis_line": "116 123",
                                         "crisis_line_name": "Samaritans", "poison_control": "111"})
        service = AnswerService(uk, embedder=fake_embedder)
        try:
            answer = service.answer("I want to kill myself")
            assert "116 123" in answer.markdown and "Samaritans" in answer.markdown and "999" in answer.markdown
            assert "988" not in answer.markdown and "911" not in answer.markdown
        finally:
            service.close()

    def test_stream_yields_the_triage_result_first(self, service):
        from medcite.triage import TriageResult

        items = list(service.stream("he hit his head on the stairs and keeps throwing up"))
        assert isinstance(items[0], TriageResult) and items[0].level == "emergency"
        assert isinstance(items[-1], Answer) and items[-1].triage is items[0]
        assert not any(isinstance(i, TriageResult) for i in service.stream("What is IVIG?"))

    def test_ordinary_question_is_not_flagged(self, service):
        answer = service.answer("What are the side effects of IVIG?")
        assert not answer.emergency and answer.triage.level == "none"
        assert answer.body_markdown == answer.markdown

    @pytest.mark.parametrize("question", ["", "   ", "\n\t"])
    def test_empty_question_gets_a_prompt_not_an_error(self, service, question):
        answer = service.answer(question)
        assert answer.abstained and "Please type a medical question" in answer.markdown


@pytest.mark.integration
class TestAskCommand:
    @pytest.fixture
    def runner(self, settings, monkeypatch):
        monkeypatch.setattr("medcite.ingest.pipeline.Embedder", FakeEmbedder)
        monkeypatch.setattr("medcite.qa.service.Embedder", FakeEmbedder)
        from medcite.qa.service import reset_service

        reset_service()
        runner = CliRunner()
        assert runner.invoke(cli, ["ingest", str(LIBRARY)]).exit_code == 0
        yield runner
        reset_service()

    def test_json_contract(self, runner):
        result = runner.invoke(cli, ["ask", IVIG, "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["schema"] == "medcite.answer/2"
        assert set(data) >= {"question", "answer_markdown", "bottom_line", "considerations", "research", "part_notes",
                             "refusal", "citations", "retrieved", "abstained", "emergency", "triage", "analysis"}
        assert data["question"] == IVIG and not data["abstained"] and not data["emergency"]
        statements = [s for b in data["bottom_line"] for s in b["statements"]]
        assert statements and all(s["citations"] and s["chunk_ids"] for s in statements)
        for c in data["citations"]:
            assert set(c) >= {"n", "doc_id", "title", "source", "year", "url"}
            assert f"[{c['n']}]" in data["answer_markdown"]

    def test_markdown_output_and_filters(self, runner):
        question = "What are the adverse events of IVIG?"
        result = runner.invoke(cli, ["ask", question, "--kind", "research", "--years", "2010-2020"])
        assert result.exit_code == 0 and "**From the Research**" in result.output
        assert "pubmed.ncbi.nlm.nih.gov/9000002" in result.output and "9000003" not in result.output
        bad = runner.invoke(cli, ["ask", IVIG, "--years", "20x0"])
        assert bad.exit_code == 2 and "--years" in bad.output

    def test_llm_engine_without_configuration_is_a_clean_error(self, runner):
        result = runner.invoke(cli, ["ask", IVIG, "--engine", "llm"])
        assert result.exit_code == 1 and "MEDCITE_LLM_BASE_URL" in result.output and "Traceback" not in result.output


@pytest.mark.unit
class TestAnswerJson:
    def test_unsafe_citation_urls_are_dropped(self):
        from medcite.answer import Answer, Citation
        from medcite.cli.ask import answer_json

        cites = [Citation(n=1, doc_id="a", title="A", source="S", year=None, url="javascript:alert(1)"),
                 Citation(n=2, doc_id="b", title="B", source="S", year=2020, url="https://pubmed.ncbi.nlm.nih.gov/1/")]
        data = answer_json(Answer(question="q", citations=cites))
        assert [c["url"] for c in data["citations"]] == ["", "https://pubmed.ncbi.nlm.nih.gov/1/"]
