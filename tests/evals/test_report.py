"""Tests for the evaluation report: Markdown and HTML tables, settings, attention lists, PNG plots."""

from __future__ import annotations

import struct

import pytest

from medcite.evals.datasets import EvalQuestion
from medcite.evals.report import fmt, markdown_tables, render_markdown, write_report
from medcite.evals.runner import compute_metrics

pytestmark = pytest.mark.unit

QUESTIONS = [
    EvalQuestion(id="a1", question="q a1", relevant={"d1": 2}, group="answerable", decision="yes"),
    EvalQuestion(id="a2", question="q a2", relevant={"d2": 2, "d3": 1}, group="answerable", decision="no",
                 must_mention=["aspirin"]),
    EvalQuestion(id="u1", question="q u1", relevant={}, group="unanswerable"),
    EvalQuestion(id="e1", question="q e1", relevant={}, group="emergency"),
]


def record(qid: str, group: str, **kw) -> dict:
    base = {"id": qid, "question": f"q {qid}", "group": group, "split": "dev", "retrieved": [], "cited": [],
            "answer": "", "abstained": False, "emergency": False, "latency_ms": 50.0, "decision": None,
            "citations_valid": None, "sentences": 0, "cited_sentences": 0, "statements_checked": 0,
            "statements_supported": 0, "first_relevant_rank": None}
    base.update(kw)
    return base


RECORDS = [
    record("a1", "answerable", retrieved=["d1", "x"], cited=["d1"], answer="Yes [1].", decision="yes",
           citations_valid=True, sentences=2, cited_sentences=2, statements_checked=2, statements_supported=2,
           first_relevant_rank=1, latency_ms=40.0),
    record("a2", "answerable", retrieved=["x", "y", "d3"], cited=["x"], answer="Take aspirin [1]. Also this.",
           decision="yes", citations_valid=False, sentences=2, cited_sentences=1, statements_checked=1,
           statements_supported=0, first_relevant_rank=3, latency_ms=120.0),
    record("u1", "unanswerable", retrieved=["x"], abstained=True, latency_ms=20.0),
    record("e1", "emergency", retrieved=["y"], abstained=True, emergency=False, latency_ms=30.0),
]
RUN = {"set": "evals/sets/tiny.jsonl", "split": "dev", "limit": None, "k": 10, "engine": "offline", "mode": "dense",
       "decisions": "heuristic", "retrieve_k": 20, "collection": "medcite-test-collection", "embedding_model": "m",
       "library": {"documents": 22, "chunks": 68, "vectors": 68, "by_kind": {"guideline": 12, "research": 10}},
       "git_commit": "abc123", "medcite_version": "0.1.0", "python": "3.11", "platform": "Linux",
       "started": "2025-01-01T00:00:00Z", "seconds": 1.5}


@pytest.fixture
def metrics() -> dict:
    data = compute_metrics(RECORDS, QUESTIONS, k=10)
    data["run"] = dict(RUN)
    return data


def png_size(path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking the signature."""
    blob = path.read_bytes()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert blob[12:16] == b"IHDR"
    return struct.unpack(">II", blob[16:24])


def test_metrics_extend_aggregate_with_recall_cutoffs_and_checks(metrics):
    overall = metrics["overall"]
    # a1: d1 at rank 1; a2: of d2, d3 only d3 at rank 3.
    assert overall["recall@1"] == pytest.approx((1 + 0) / 2)
    assert overall["recall@5"] == pytest.approx((1 + 0.5) / 2)
    assert overall["recall@10"] == pytest.approx(0.75)
    assert overall["citation_valid_rate"] == 0.5  # a1 valid, a2 not; abstentions have no verdict
    assert overall["cited_sentence_share"] == pytest.approx(3 / 4)
    assert overall["support_rate"] == pytest.approx(2 / 3) and overall["n_statements"] == 3
    assert overall["n_answered"] == 2
    assert overall["short_retrieval"] == 4  # every question has fewer than 10 documents
    assert overall["decision_accuracy"] == 0.5 and overall["decision_baseline"] == 0.5
    assert overall["unanswerable_abstention_rate"] == 1.0 and overall["emergency_recall"] == 0.0
    keys = list(overall)
    assert keys.index("mrr@10") < keys.index("recall@1") < keys.index("recall@5") < keys.index("recall@10")
    assert metrics["groups"]["answerable"]["support_rate"] == pytest.approx(2 / 3)
    assert metrics["decision_source"] == "heuristic"


def test_decisions_none_blanks_decision_accuracy():
    data = compute_metrics(RECORDS, QUESTIONS, k=10, decisions="none")
    assert data["overall"]["decision_accuracy"] is None
    assert data["groups"]["answerable"]["decision_accuracy"] is None
    assert data["decision_source"] == "none"


def test_markdown_has_overall_and_group_tables(metrics):
    text = markdown_tables(metrics)
    assert "## Overall" in text and "## By group" in text
    assert "| nDCG@10 |" in text and "| Recall@1 |" in text and "| Recall@5 |" in text
    assert "answerable (n=2)" in text and "unanswerable (n=1)" in text and "emergency (n=1)" in text
    assert "Decision accuracy (heuristic) | 0.500 (2)" in text
    assert "Decision baseline (always 'no')" in text or "Decision baseline (always 'yes')" in text
    # Overall-only figures show as a dash in the group table.
    group_part = text.split("## By group")[1]
    assert "False abstention" not in group_part


def test_report_md_has_settings_plots_and_questions_to_read(tmp_path, metrics):
    written = write_report(tmp_path, metrics, RECORDS)
    names = {p.name for p in written}
    assert names == {"report.md", "report.html", "retrieval.png", "latency.png", "groups.png", "quality.png"}
    md = (tmp_path / "report.md").read_text()
    for expected in ("tiny", "dense", "offline", "medcite-test-collection", "22 documents (12 guideline, 10 research)",
                     "commit `abc123`", "split dev", "![Retrieval](retrieval.png)", "![Latency](latency.png)",
                     "heuristic extractor"):
        assert expected in md, expected
    assert "Emergencies not flagged: `e1`" in md
    assert "Answers with a citation that resolves to no reference: `a2`" in md
    assert "Answers with an unsupported statement: `a2`" in md
    html = (tmp_path / "report.html").read_text()
    assert html.startswith("<!doctype html>") and "<table>" in html and "retrieval.png" in html
    for name in ("retrieval.png", "latency.png", "groups.png"):
        width, height = png_size(tmp_path / name)
        assert width >= 600 and height >= 300


def test_plots_can_be_skipped(tmp_path, metrics):
    written = write_report(tmp_path, metrics, RECORDS, plots=False)
    assert {p.name for p in written} == {"report.md", "report.html"}
    assert "## Plots" not in (tmp_path / "report.md").read_text()


def test_report_survives_missing_figures(tmp_path):
    """No judged question, no latency, one group: every figure n/a, plots still drawn."""
    questions = [EvalQuestion(id="u1", question="q", relevant={}, group="unanswerable")]
    data = compute_metrics([record("u1", "unanswerable", abstained=True, latency_ms=None)], questions)
    write_report(tmp_path, data, [record("u1", "unanswerable", abstained=True, latency_ms=None)])
    assert "n/a" in (tmp_path / "report.md").read_text()
    assert png_size(tmp_path / "latency.png")[0] > 0


def test_render_markdown_lists_missing_questions(metrics):
    metrics["missing"] = ["zz"]
    assert "Questions without a result (left out): zz" in render_markdown(metrics, RECORDS, [])


@pytest.mark.parametrize(("value", "kind", "text"), [
    (None, "rate", "n/a"), (0.12345, "rate", "0.123"), (1234.4, "ms", "1,234"), (12.34, "ms", "12.3"),
    (3, "count", "3"), (13.14, "float", "13.1"),
])
def test_fmt(value, kind, text):
    assert fmt(value, kind) == text


def test_markdown_has_a_variant_table_for_noisy_sets():
    questions = [EvalQuestion(id="c1", question="q", relevant={"d1": 2}),
                 EvalQuestion(id="v1", question="Q", relevant={"d1": 2}, meta={"variant": "case", "source_id": "c1"})]
    records = [record("c1", "answerable", retrieved=["d1"], first_relevant_rank=1),
               record("v1", "answerable", retrieved=["x", "d1"], first_relevant_rank=2)]
    text = markdown_tables(compute_metrics(records, questions))
    assert "## By variant" in text
    assert "| clean | 1 | 1.000 | — |" in text
    assert "| case | 1 | 0.631 | -0.369 (1) |" in text
    assert "## By variant" not in markdown_tables(compute_metrics(records[:1], questions[:1]))
