"""Tests for the evaluation metrics, against values computed by hand in the comments."""

from __future__ import annotations

from math import log2
from types import SimpleNamespace

import numpy as np
import pytest

from medcite.evals.datasets import EvalQuestion
from medcite.evals.metrics import (
    QuestionResult,
    abstention_rate,
    aggregate,
    citation_precision,
    citation_recall,
    dcg,
    decision_accuracy,
    dedupe,
    emergency_recall,
    mean,
    mentions,
    mrr_at_k,
    must_mention_coverage,
    ndcg_at_k,
    normalize_text,
    percentile,
    percentiles,
    recall_at_k,
    variant_metrics,
)

pytestmark = pytest.mark.unit

# Judged grades: d1 and d4 answer the question, d2 partly, d3 judged not relevant.
RELEVANT = {"d1": 2, "d2": 1, "d3": 0, "d4": 2}
# Ranks 1-4: d3 (gain 0), d1 (2), x (unjudged: 0), d2 (1). d4 is not retrieved.
RANKING = ["d3", "d1", "x", "d2"]


def test_dcg_uses_linear_gain_and_log2_discount() -> None:
    # 2/log2(2) + 1/log2(3) + 2/log2(4) = 2 + 0.63093 + 1 = 3.63093
    assert dcg([2, 1, 2]) == pytest.approx(3.630930, abs=1e-6)
    assert dcg([]) == 0


def test_ndcg_by_hand() -> None:
    # DCG@4  = 0/log2(2) + 2/log2(3) + 0/log2(4) + 1/log2(5) = 1.261860 + 0.430677 = 1.692536
    # IDCG@4 = judged grades sorted [2, 2, 1]: 2/1 + 2/log2(3) + 1/log2(4) = 2 + 1.261860 + 0.5 = 3.761860
    # nDCG@4 = 1.692536 / 3.761860 = 0.449920
    assert ndcg_at_k(RANKING, RELEVANT, 4) == pytest.approx(0.449920, abs=1e-6)
    assert ndcg_at_k(RANKING, RELEVANT, 4) == pytest.approx((2 / log2(3) + 1 / log2(5)) / (2 + 2 / log2(3) + 0.5))
    # k = 2: DCG = 1.261860; IDCG = 2 + 1.261860 = 3.261860; nDCG = 0.386853
    assert ndcg_at_k(RANKING, RELEVANT, 2) == pytest.approx(0.386853, abs=1e-6)
    # k = 1: only d3 (grade 0) is seen
    assert ndcg_at_k(RANKING, RELEVANT, 1) == 0.0


def test_ndcg_perfect_ranking_and_edge_cases() -> None:
    assert ndcg_at_k(["d1", "d4", "d2", "d3"], RELEVANT, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["d4", "d1", "d2"], RELEVANT, 10) == pytest.approx(1.0)  # ties in any order are ideal
    assert ndcg_at_k([], RELEVANT, 10) == 0.0
    # A repeated document counts once, at its first rank: [d1, d1, d2] is scored as [d1, d2].
    # DCG = 2 + 1/log2(3) = 2.630930; IDCG@10 = 3.761860; nDCG = 0.699369
    assert ndcg_at_k(["d1", "d1", "d2"], RELEVANT, 10) == pytest.approx(0.699369, abs=1e-6)
    assert ndcg_at_k(["d1"], {}, 10) is None
    assert ndcg_at_k(["d1"], {"d1": 0}, 10) is None


def test_mrr_by_hand() -> None:
    assert mrr_at_k(RANKING, RELEVANT, 10) == 0.5  # first grade > 0 at rank 2
    assert mrr_at_k(RANKING, RELEVANT, 1) == 0.0
    assert mrr_at_k(["x", "y", "d2"], RELEVANT, 10) == pytest.approx(1 / 3)  # grade 1 counts as relevant
    assert mrr_at_k(["d3", "d3", "d1"], RELEVANT, 2) == 0.5  # deduplicated: d1 moves up to rank 2
    assert mrr_at_k(["d1"], {"d3": 0}, 10) is None


def test_recall_by_hand() -> None:
    # relevant (grade > 0): d1, d2, d4
    assert recall_at_k(RANKING, RELEVANT, 4) == pytest.approx(2 / 3)  # d1, d2
    assert recall_at_k(RANKING, RELEVANT, 2) == pytest.approx(1 / 3)  # d1
    assert recall_at_k(["d4", "d2", "d1"], RELEVANT, 3) == 1.0
    assert recall_at_k(["d1"], {}, 5) is None


@pytest.mark.parametrize("fn", [ndcg_at_k, mrr_at_k, recall_at_k])
@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_k_must_be_a_positive_integer(fn, k) -> None:
    with pytest.raises(ValueError, match="k must be a positive integer"):
        fn(["d1"], {"d1": 1}, k)


def test_citation_precision_and_recall() -> None:
    # cited (distinct): d1, x -> 1 of 2 relevant; relevant d1, d2, d4 -> 1 of 3 cited
    assert citation_precision(["d1", "x", "d1"], RELEVANT) == 0.5
    assert citation_recall(["d1", "x", "d1"], RELEVANT) == pytest.approx(1 / 3)
    assert citation_precision(["d3"], RELEVANT) == 0.0  # judged not relevant
    assert citation_precision([], RELEVANT) is None
    assert citation_recall(["d1"], {}) is None
    assert citation_recall([], RELEVANT) == 0.0


def test_rates() -> None:
    assert abstention_rate([True, False, False, True]) == 0.5
    assert emergency_recall([True, True, False]) == pytest.approx(2 / 3)
    assert abstention_rate([]) is None


def test_decision_accuracy() -> None:
    pairs = [("yes", "yes"), (" No ", "no"), (None, "maybe"), ("yes", None), ("maybe", "no")]
    assert decision_accuracy(pairs) == 0.5  # 2 right of the 4 with a gold decision; missing prediction is wrong
    assert decision_accuracy([("yes", None)]) is None


def test_must_mention_matching_is_case_and_whitespace_insensitive() -> None:
    answer = "Take  FOLIC\nacid before pregnancy; it prevents most NEURAL-tube problems."
    assert normalize_text("  A\u00a0B\n\tc ") == "a b c"
    assert mentions(answer, "folic acid")
    assert mentions(answer, "Folic   Acid")
    assert not mentions(answer, "neural tube")  # a hyphen is not whitespace
    assert not mentions(answer, "   ")
    assert must_mention_coverage(answer, ["folic acid", "neural tube", "pregnancy"]) == pytest.approx(2 / 3)
    assert must_mention_coverage(answer, []) is None
    assert must_mention_coverage("", ["x"]) == 0.0
    assert mentions("ﬁrst trimester", "first")  # NFKC folds the ligature


def test_percentiles_match_numpy_linear_interpolation() -> None:
    # [1, 2, 3, 4]: p50 at position 1.5 -> 2.5; p95 at position 2.85 -> 3 + 0.85 * 1 = 3.85
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([4, 1, 3, 2], 95) == pytest.approx(3.85)
    assert percentiles([4, 1, 3, 2]) == {"p50": 2.5, "p95": pytest.approx(3.85)}
    values = [12.0, 250.5, 31.0, 7.25, 99.0, 1000.0, 64.0]
    for q in (0, 5, 50, 90, 95, 99, 100):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert percentile([5], 95) == 5
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_mean_and_dedupe() -> None:
    assert mean([1, None, 2]) == 1.5
    assert mean([None]) is None
    assert dedupe(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]


# --- aggregate ----------------------------------------------------------------------------------------------

QUESTIONS = [
    EvalQuestion(id="a1", question="q", relevant={"d1": 2, "d2": 1}, decision="yes",
                 must_mention=["folic acid", "neural tube"]),
    EvalQuestion(id="a2", question="q", relevant={"d3": 2}, split="test"),
    EvalQuestion(id="a3", question="q", relevant={"d9": 2}),  # no result: reported as missing
    EvalQuestion(id="u1", question="q", group="unanswerable"),
    EvalQuestion(id="e1", question="q", group="emergency"),
    EvalQuestion(id="x1", question="q", group="adversarial"),
]
RESULTS = [
    QuestionResult(id="a1", retrieved=["d2", "d1"], cited=["d1"], answer="Take folic acid.", decision="YES",
                   latency_ms=100),
    QuestionResult(id="a2", retrieved=["x", "y"], cited=["x"], abstained=True, latency_ms=300),
    {"id": "u1", "retrieved": ["d1"], "abstained": True, "latency_ms": 200, "extra": "ignored"},
    QuestionResult(id="e1", emergency=True, latency_ms=50),
    QuestionResult(id="x1", emergency=True, abstained=True),
]


def test_aggregate_by_hand() -> None:
    report = aggregate(RESULTS, QUESTIONS, k=10)
    assert report["k"] == 10 and report["n"] == 5 and report["missing"] == ["a3"]
    overall = report["overall"]
    # a1: DCG = 1/log2(2) + 2/log2(3) = 2.261860; IDCG = 2 + 1/log2(3) = 2.630930; nDCG = 0.859719.
    # a2: nothing relevant retrieved -> 0. Mean over the two judged questions = 0.429860.
    assert overall["n_judged"] == 2
    assert overall["ndcg@10"] == pytest.approx(0.429860, abs=1e-6)
    assert overall["mrr@10"] == 0.5  # (1 + 0) / 2
    assert overall["recall@10"] == 0.5  # (1 + 0) / 2
    assert overall["citation_precision"] == 0.5  # a1: 1/1, a2: 0/1
    assert overall["citation_recall"] == 0.25  # a1: 1/2, a2: 0/1
    assert overall["abstention_rate"] == 0.6  # a2, u1, x1 of 5
    assert overall["emergency_rate"] == 0.4  # e1, x1 of 5
    assert overall["n_decision"] == 1 and overall["decision_accuracy"] == 1.0  # "YES" == "yes"
    assert overall["n_must_mention"] == 1 and overall["must_mention"] == 0.5  # folic acid yes, neural tube no
    assert overall["p50_ms"] == 150  # latencies 50, 100, 200, 300 (x1 has none)
    assert overall["p95_ms"] == pytest.approx(285)  # position 2.85: 200 + 0.85 * 100
    assert overall["answerable_abstention_rate"] == 0.5
    assert overall["unanswerable_abstention_rate"] == 1.0
    assert overall["emergency_recall"] == 1.0
    assert overall["emergency_false_positive_rate"] == 0.25  # x1 of a1, a2, u1, x1

    groups = report["groups"]
    assert set(groups) == {"answerable", "unanswerable", "emergency", "adversarial"}
    assert groups["answerable"]["n"] == 2 and groups["answerable"]["ndcg@10"] == pytest.approx(0.429860, abs=1e-6)
    assert groups["unanswerable"]["n_judged"] == 0 and groups["unanswerable"]["ndcg@10"] is None
    assert groups["unanswerable"]["abstention_rate"] == 1.0
    assert groups["emergency"]["emergency_rate"] == 1.0 and groups["emergency"]["p50_ms"] == 50
    assert groups["adversarial"]["p50_ms"] is None


def test_aggregate_leaves_out_groups_without_results_and_handles_no_results() -> None:
    report = aggregate([RESULTS[0]], QUESTIONS)
    assert list(report["groups"]) == ["answerable"]
    empty = aggregate([], QUESTIONS)
    assert empty["n"] == 0 and empty["groups"] == {} and empty["overall"]["ndcg@10"] is None
    assert empty["overall"]["abstention_rate"] is None and len(empty["missing"]) == len(QUESTIONS)


def test_aggregate_rejects_unknown_and_repeated_results() -> None:
    with pytest.raises(ValueError, match="unknown question id 'zz'"):
        aggregate([QuestionResult(id="zz")], QUESTIONS)
    with pytest.raises(ValueError, match="two results for question id 'a1'"):
        aggregate([RESULTS[0], RESULTS[0]], QUESTIONS)
    with pytest.raises(ValueError, match="duplicate question id"):
        aggregate([], [QUESTIONS[0], QUESTIONS[0]])
    with pytest.raises(TypeError):
        aggregate(["a1"], QUESTIONS)


# --- noisy variants -----------------------------------------------------------------------------------------

NOISY = [
    EvalQuestion(id="c1", question="What is gout?", relevant={"d1": 2}),
    EvalQuestion(id="c2", question="What causes gout?", relevant={"d2": 2}),
    EvalQuestion(id="t1", question="What is guot?", relevant={"d1": 2}, meta={"variant": "typo", "source_id": "c1"}),
    EvalQuestion(id="t2", question="What causes gotu?", relevant={"d2": 2},
                 meta={"variant": "typo", "source_id": "c2"}),
    EvalQuestion(id="t3", question="WHAT IS GOUT", relevant={"d3": 2},  # its source is not in the run
                 meta={"variant": "case", "source_id": "c9"}),
    # A clean copy of another set's question "hw-1" (its own id, meta.source_id naming the original) and a variant
    EvalQuestion(id="n-c", question="Is gout hereditary?", relevant={"d4": 2},
                 meta={"variant": "clean", "source_id": "hw-1"}),
    EvalQuestion(id="n-p", question="Is gout hereditary!", relevant={"d4": 2},
                 meta={"variant": "punct", "source_id": "hw-1"}),
]
NOISY_RESULTS = [
    QuestionResult(id="c1", retrieved=["d1"]),  # nDCG 1
    QuestionResult(id="c2", retrieved=["x", "d2"]),  # nDCG 1/log2(3) = 0.630930
    QuestionResult(id="t1", retrieved=["x", "d1"], abstained=True),  # 0.630930
    QuestionResult(id="t2", retrieved=["x"]),  # 0
    QuestionResult(id="t3", retrieved=["d3"]),  # 1
    QuestionResult(id="n-c", retrieved=["d4"]),  # 1
    QuestionResult(id="n-p", retrieved=["x", "y", "d4"]),  # 1/log2(4) = 0.5
]


def test_variants_are_reported_with_paired_deltas_against_their_clean_sources() -> None:
    variants = aggregate(NOISY_RESULTS, NOISY)["variants"]
    assert list(variants) == ["clean", "typo", "punct", "case"]
    assert variants["clean"]["n"] == 3 and variants["clean"]["ndcg@10"] == pytest.approx((2 + 1 / log2(3)) / 3)
    assert "ndcg@10_delta" not in variants["clean"]
    typo = variants["typo"]
    # t1 - c1 = 0.630930 - 1 = -0.369070; t2 - c2 = 0 - 0.630930; mean = -0.5
    assert typo["n"] == 2 and typo["n_paired"] == 2
    assert typo["ndcg@10_delta"] == pytest.approx(-0.5)
    assert typo["abstention_rate"] == 0.5 and typo["abstention_delta"] == 0.5  # t1 abstained, c1 and c2 did not
    case = variants["case"]  # no source in the run: figures but no delta
    assert case["ndcg@10"] == 1.0 and case["n_paired"] == 0 and case["ndcg@10_delta"] is None
    assert case["abstention_delta"] is None
    assert variants["punct"]["n_paired"] == 1 and variants["punct"]["ndcg@10_delta"] == pytest.approx(-0.5)


def test_no_variants_block_for_a_set_without_noisy_questions() -> None:
    assert "variants" not in aggregate(RESULTS, QUESTIONS)
    assert variant_metrics([], 10) is None


def test_result_from_an_answer_object() -> None:
    answer = SimpleNamespace(retrieved=["d1", "d2"], citations=[SimpleNamespace(doc_id="d2")], abstained=False,
                             emergency=True, markdown="text [1]", timings_ms={"retrieve": 3.0, "total": 12.5})
    result = QuestionResult.from_answer("q9", answer, decision="no")
    assert result == QuestionResult(id="q9", retrieved=["d1", "d2"], cited=["d2"], emergency=True,
                                    answer="text [1]", decision="no", latency_ms=12.5)
