"""Unit tests of the feedback store (SQLite under MEDCITE_HOME) and `medcite feedback export`."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest
from click.testing import CliRunner

from medcite.cli.main import cli
from medcite.ui.feedback import CSV_COLUMNS, FeedbackStore, feedback_path

pytestmark = pytest.mark.unit

ANSWER = {"question": "Does IVIG help all autoimmune conditions?", "answer": "**From the Guidelines**\n\nNo [1].",
          "cited": ["NINDS_ivig", "pubmed:9000001"], "engine": "offline", "filters": {"kind": "research"}}


@pytest.fixture
def store(settings) -> FeedbackStore:
    return FeedbackStore(feedback_path(settings))


def test_lives_under_medcite_home(settings):
    assert feedback_path(settings) == settings.home / "feedback.sqlite"


def test_round_trip_rating_then_comment_then_change_of_mind(store):
    row_id = store.record("s1", 0, rating="up", **ANSWER)
    again = store.record("s1", 0, comment="  Clear and well sourced.  ", **ANSWER)
    assert again == row_id  # one row per answer
    fb = store.get("s1", 0)
    assert (fb.rating, fb.comment) == ("up", "Clear and well sourced.")
    assert fb.question == ANSWER["question"] and fb.answer == ANSWER["answer"]
    assert fb.cited == ANSWER["cited"] and fb.engine == "offline" and fb.filters == {"kind": "research"}
    assert fb.created_at.endswith("+00:00") and fb.updated_at >= fb.created_at
    store.record("s1", 0, rating="down", **ANSWER)
    assert (store.get("s1", 0).rating, store.get("s1", 0).comment) == ("down", "Clear and well sourced.")
    store.record("s1", 0, rating=None, **ANSWER)  # thumbs taken back
    assert store.get("s1", 0).rating is None
    store.record("s1", 1, comment="second answer", **ANSWER)
    store.record("s2", 0, rating="up", **ANSWER)
    assert store.count() == 3 and store.get("s1", 1).rating is None
    assert store.get("nope", 0) is None


def test_bad_input_is_refused(store):
    with pytest.raises(ValueError, match="rating"):
        store.record("s1", 0, rating="meh", **ANSWER)
    with pytest.raises(ValueError, match="session"):
        store.record("", 0, rating="up", **ANSWER)
    long = store.record("s1", 0, comment="x" * 10_000, **ANSWER)
    assert long and len(store.get("s1", 0).comment) == 4000


def test_csv_export(store):
    store.record("s1", 0, rating="up", comment="great, \"quoted\"\nnew line", **ANSWER)
    store.record("s2", 3, rating="down", comment="=HYPERLINK(\"http://evil\")", **{**ANSWER, "engine": "llm"})
    out = io.StringIO()
    assert store.export_csv(out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["comment"] == "great, \"quoted\"\nnew line" and rows[0]["rating"] == "up"
    assert json.loads(rows[0]["cited"]) == ANSWER["cited"] and rows[0]["question"] == ANSWER["question"]
    assert rows[1]["engine"] == "llm" and rows[1]["turn"] == "3"
    assert rows[1]["comment"].startswith("'=")  # spreadsheet formulas are defused


def test_empty_export_has_a_header(store):
    out = io.StringIO()
    assert store.export_csv(out) == 0
    assert out.getvalue().strip() == ",".join(CSV_COLUMNS)


def test_concurrent_writes_from_many_threads(store):
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for turn in range(20):
                store.record(f"session-{k}", turn, rating="up" if turn % 2 else "down", **ANSWER)
                store.record("shared", 0, comment=f"from {k}", **ANSWER)  # everyone updates one row too
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert store.count() == 8 * 20 + 1
    assert store.get("shared", 0).comment.startswith("from ")
    assert sum(1 for fb in store.all() if fb.rating == "up") == 8 * 10


def test_a_second_store_on_the_same_file_sees_the_rows(store):
    store.record("s1", 0, rating="up", **ANSWER)
    assert FeedbackStore(store.path).count() == 1


class TestExportCommand:
    def test_to_a_file_and_to_stdout(self, settings, tmp_path):
        FeedbackStore(feedback_path(settings)).record("s1", 0, rating="up", comment="thanks", **ANSWER)
        runner = CliRunner()
        target = tmp_path / "out" / "feedback.csv"
        result = runner.invoke(cli, ["feedback", "export", "--out", str(target)])
        assert result.exit_code == 0, result.output
        assert "1 feedback row written" in result.output
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert rows[0]["comment"] == "thanks" and rows[0]["rating"] == "up"
        printed = runner.invoke(cli, ["feedback", "export"])
        assert printed.exit_code == 0 and printed.output.startswith(",".join(CSV_COLUMNS))
        assert "thanks" in printed.output

    def test_no_feedback_yet(self, settings):
        result = CliRunner().invoke(cli, ["feedback", "export"])
        assert result.exit_code == 0 and result.output.strip() == ",".join(CSV_COLUMNS)
