"""Tests for `medcite eval run` on the small regression library (fake embedder), and its per-answer checks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from medcite.answer import Answer, BottomLine, Citation, ResearchFacet, Statement
from medcite.cli.main import cli
from medcite.corpus.library import Library
from medcite.evals.datasets import load_eval_set
from medcite.evals.decision import decide_text, extract_decision, majority_baseline
from medcite.evals.runner import (
    RESULT_FIELDS,
    answer_sentences,
    citation_check,
    first_relevant_rank,
    read_results,
    run_eval,
    select_questions,
    support_check,
)
from medcite.ingest.pipeline import IngestPipeline
from medcite.qa.offline import compose_offline
from medcite.qa.service import reset_service
from tests.conftest import FIXTURES, FakeEmbedder
from tests.qa.conftest import GBS_TREATMENT, IVIG_DOSING, IVIG_OVERVIEW, REVIEW_CONCLUSIONS, guideline, research

LIBRARY = FIXTURES / "regression" / "regression_library.jsonl"
QUESTIONS = FIXTURES / "regression" / "regression_questions.jsonl"
REQUIRED = ("id", "question", "retrieved", "cited", "answer", "abstained", "emergency", "latency_ms")
OVERALL = ("ndcg@10", "mrr@10", "recall@1", "recall@5", "recall@10", "citation_valid_rate", "citation_precision",
           "citation_recall", "cited_sentence_share", "support_rate", "must_mention", "abstention_rate",
           "answerable_abstention_rate", "unanswerable_abstention_rate", "emergency_recall",
           "emergency_false_positive_rate", "decision_accuracy", "p50_ms", "p95_ms")


@pytest.fixture
def library(settings, fake_embedder, monkeypatch):
    """The regression library embedded with the fake embedder; the answer service uses the same one."""
    with Library(settings) as lib:
        IngestPipeline(settings, lib, fake_embedder).ingest_paths([LIBRARY])
    monkeypatch.setattr("medcite.qa.service.Embedder", FakeEmbedder)
    reset_service()
    yield settings
    reset_service()


@pytest.mark.integration
class TestRun:
    def test_writes_results_metrics_and_report(self, library, tmp_path):
        out = tmp_path / "run"
        outcome = run_eval(QUESTIONS, out, progress=False)
        questions = load_eval_set(QUESTIONS)

        records = read_results(out / "results.jsonl")
        assert [r["id"] for r in records] == [q.id for q in questions]
        for r in records:
            assert set(REQUIRED) <= set(r) and tuple(r) == RESULT_FIELDS, r.keys()
            assert isinstance(r["retrieved"], list) and all(isinstance(d, str) for d in r["retrieved"])
            assert len(r["retrieved"]) == len(set(r["retrieved"]))
            assert set(r["cited"]) <= set(r["retrieved"])
            assert isinstance(r["answer"], str) and r["answer"]
            assert r["latency_ms"] > 0
        metrics = json.loads((out / "metrics.json").read_text())
        assert metrics == json.loads(json.dumps(outcome.metrics))
        assert metrics["n"] == len(questions) and metrics["missing"] == []
        for key in OVERALL:
            assert key in metrics["overall"], key
        assert set(metrics["groups"]) == {"answerable", "unanswerable", "emergency", "adversarial"}
        short = sum(len(r["retrieved"]) < 10 for r in records)
        assert metrics["overall"]["short_retrieval"] == short
        run = metrics["run"]
        assert run["engine"] == "offline" and run["mode"] == "hybrid" and run["split"] == "all"
        assert run["library"]["documents"] == 22 and run["collection"] == library.collection_name

        # The offline engine quotes: every marker resolves and every statement is found in its chunk.
        assert metrics["overall"]["citation_valid_rate"] == 1.0
        assert metrics["overall"]["support_rate"] == 1.0
        assert metrics["overall"]["cited_sentence_share"] == 1.0
        assert metrics["overall"]["emergency_recall"] == 1.0

        for name in ("report.md", "report.html", "retrieval.png", "latency.png", "groups.png"):
            assert (out / name).stat().st_size > 0, name
        for name in ("retrieval.png", "latency.png", "groups.png"):
            assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        from matplotlib.image import imread

        image = imread(out / "retrieval.png")
        assert image.shape[0] > 300 and image.shape[1] > 600
        assert "regression_questions" in (out / "report.md").read_text()

    def test_split_limit_mode_and_no_decisions(self, library, tmp_path):
        outcome = run_eval(QUESTIONS, tmp_path / "run", split="test", limit=3, mode="lexical", decisions="none",
                           plots=False, progress=False)
        assert len(outcome.records) == 3
        assert all(r["split"] == "test" for r in outcome.records)
        assert all(r["decision"] is None for r in outcome.records)
        assert outcome.metrics["overall"]["decision_accuracy"] is None
        assert outcome.metrics["run"]["mode"] == "lexical" and outcome.metrics["run"]["limit"] == 3
        assert not (tmp_path / "run" / "retrieval.png").exists()

    def test_bad_arguments(self, library, tmp_path):
        with pytest.raises(ValueError, match="mode"):
            run_eval(QUESTIONS, tmp_path, mode="fuzzy")
        with pytest.raises(ValueError, match="engine"):
            run_eval(QUESTIONS, tmp_path, engine="gpt")
        with pytest.raises(ValueError, match="limit"):
            select_questions(QUESTIONS, "all", 0)

    def test_command(self, library, tmp_path):
        out = tmp_path / "cli"
        result = CliRunner().invoke(cli, ["eval", "run", str(QUESTIONS), "--out", str(out), "--limit", "5",
                                          "--no-plots", "--mode", "dense"])
        assert result.exit_code == 0, result.output
        assert "5 questions" in result.output and "nDCG@10" in result.output and "Wrote" in result.output
        assert len(read_results(out / "results.jsonl")) == 5
        assert json.loads((out / "metrics.json").read_text())["run"]["mode"] == "dense"
        redo = CliRunner().invoke(cli, ["eval", "report", str(out)])
        assert redo.exit_code == 0, redo.output
        assert (out / "retrieval.png").exists()

    def test_command_default_out_folder(self, library, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(cli, ["eval", "run", str(QUESTIONS), "--limit", "2", "--no-plots",
                                          "--mode", "lexical", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["n"] == 2
        assert (tmp_path / "evals" / "reports" / "regression_questions" / "lexical" / "metrics.json").exists()


@pytest.mark.integration
def test_command_without_a_library_is_a_clean_error(tmp_path):
    reset_service()
    result = CliRunner().invoke(cli, ["eval", "run", str(QUESTIONS), "--out", str(tmp_path / "x")])
    reset_service()
    assert result.exit_code != 0
    assert "Traceback" not in result.output and result.output.strip()


# --- per-answer checks ----------------------------------------------------------------------------------------


def make_answer(statements=(), *, numbers=(1,), research=(), engine="offline", abstained=False, verification=None):
    citations = [Citation(n=n, doc_id=f"d{n}", title="t", source="s", year=None, url="") for n in numbers]
    return Answer(question="q", bottom_line=[BottomLine(tuple(statements))] if statements else [],
                  research=[ResearchFacet("Efficacy", tuple(research))] if research else [], citations=citations,
                  engine=engine, abstained=abstained, verification=verification)


@pytest.mark.unit
class TestChecks:
    def test_citation_check(self):
        assert citation_check(make_answer([Statement("A claim.", (1,))])) == (True, [])
        bad = make_answer([Statement("A claim.", (1,)), Statement("Another.", (3, 1))], numbers=(1,))
        assert citation_check(bad) == (False, [3])
        assert citation_check(make_answer(numbers=(), abstained=True)) == (None, [])

    def test_answer_sentences_are_the_statements(self):
        answer = make_answer([Statement("First claim here.", (1,)), Statement("Second claim.", ())],
                             research=[Statement("Dose is two grams per kilogram.", (1,))])
        answer.notices = ["A notice for the reader."]
        answer.part_notes = {"research": "The library has no research passage on this question."}
        assert [s.text for s in answer_sentences(answer)] == ["First claim here.", "Second claim.",
                                                                "Dose is two grams per kilogram."]

    def test_support_check_verbatim(self):
        answer = make_answer([Statement("IVIG is given as a slow infusion.", (1,), ("c1",)),
                              Statement("IVIG cures every disease.", (1,), ("c1",)),
                              Statement("The dose is 2 g/kg, divided over days.", (1,), ("c2",))],
                             research=[Statement("No chunk here.", (1,))])
        texts = {"c1": "IVIG is given as a slow   infusion into a vein.",
                 "c2": "The dose is 2 g/kg, divided over days;"}
        result = support_check(answer, lambda ids: {i: texts[i] for i in ids})
        assert result["support_method"] == "verbatim"
        assert result["statements_checked"] == 4 and result["statements_supported"] == 2
        assert result["unsupported"] == ["IVIG cures every disease.", "No chunk here."]

    def test_support_check_accepts_a_repaired_quote_only(self):
        source = "Experts familiar with this condition often use plasma exchange."
        chunk = source + " Other text.\nAutoimmune autonomic ganglionopathy"
        span = (0, len(source))
        repaired = Statement("Experts familiar with autoimmune autonomic ganglionopathy often use plasma exchange.",
                             (1,),
                             ("c1",), span=span)
        invented = Statement("Experts familiar with autoimmune autonomic ganglionopathy often use rituximab.", (1,),
                             ("c1",), span=span)
        result = support_check(make_answer([repaired, invented]), lambda ids: {"c1": chunk})
        assert result["statements_supported"] == 1 and result["unsupported"] == [invented.text]

    def test_support_check_llm_uses_the_verifier(self):
        verification = {"generated": 5, "kept": 4, "dropped": [{"text": "Made up.", "support": 0.1}]}
        result = support_check(make_answer(engine="llm", verification=verification), lambda ids: {})
        assert result == {"support_method": "lexical-proxy", "statements_checked": 5, "statements_supported": 4,
                          "unsupported": ["Made up."]}

    def test_offline_answer_passes_every_check(self):
        passages = [
            guideline("NINDS_ivig", IVIG_OVERVIEW, title="IVIG", qtype="information", question="What is IVIG?"),
            guideline("NINDS_ivig", IVIG_DOSING, title="IVIG", qtype="treatment", question="How is IVIG given?",
                      ordinal=1, score=0.7),
            guideline("NINDS_gbs", GBS_TREATMENT, title="GBS", qtype="treatment", question="Treatment?", score=0.6),
            research("90000001", REVIEW_CONCLUSIONS, title="IVIG review", label="CONCLUSIONS", score=0.6),
        ]
        answer = compose_offline("Does IVIG help all autoimmune conditions?", passages)
        texts = {p.chunk.id: p.chunk.text for p in passages}
        assert citation_check(answer) == (True, [])
        result = support_check(answer, lambda ids: {i: texts[i] for i in ids if i in texts})
        assert result["statements_checked"] > 0
        assert result["statements_supported"] == result["statements_checked"]
        sentences = answer_sentences(answer)
        assert sentences and all(s.citations for s in sentences)

    def test_first_relevant_rank(self):
        assert first_relevant_rank(["a", "b", "a", "c"], {"c"}) == 3
        assert first_relevant_rank(["a"], {"z"}) == 0
        assert first_relevant_rank(["a"], set()) is None


@pytest.mark.unit
class TestDecision:
    @pytest.mark.parametrize(("texts", "label"), [
        (["Exercise reduced the frequency of migraine attacks."], "yes"),
        (["Vitamin D did not reduce fractures."], "no"),
        (["There was no significant difference between the groups."], "no"),
        (["Cranberry may lower recurrence, but the evidence is uncertain and larger trials are needed."], "maybe"),
        (["The difference was not statistically significant.", "It may help; further studies are needed and the "
          "results were mixed."], "maybe"),
    ])
    def test_cues(self, texts, label):
        assert decide_text(texts) == label

    def test_extract_decision(self):
        answer = make_answer([Statement("A low-purine diet alone did not reduce flares.", (1,))])
        assert extract_decision(answer) == "no"
        assert extract_decision(answer, "none") is None
        assert extract_decision(make_answer([Statement("x did not help.", (1,))], abstained=True)) is None
        assert extract_decision(make_answer()) is None
        answer.decision = "Maybe"
        assert extract_decision(answer) == "maybe"

        with pytest.raises(ValueError):
            extract_decision(answer, "guess")

    def test_majority_baseline(self):
        assert majority_baseline(["yes", "no", "yes", None]) == ("yes", pytest.approx(2 / 3))
        assert majority_baseline([None]) == (None, None)
