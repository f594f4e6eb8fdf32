"""What reaches a terminal (issue 12, findings 7 and 8): a JSONL file cannot forge the source and evidence
label a citation shows, and no control character or bidi override of a stored field reaches the terminal
raw through `ask`, `corpus list` or `corpus show` (screen resets, a rewritten dose line, OSC 8 links)."""

from __future__ import annotations

import json
import re

import pytest

from medcite.cli.main import cli
from medcite.corpus.library import Library
from medcite.qa.compose import safe_url
from medcite.settings import get_settings
from tests.ingest.test_pipeline import jsonl

pytestmark = pytest.mark.integration

ESC = "\x1b"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = {
    "id": "pubmed:4242\x1b[2J\x1b[H",  # clear the screen
    "title": "Zinc \u202eenil esod\u202c and the common cold",
    "kind": "research",
    "source": "Zinc Journal\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # a disguised OSC 8 link
    "url": "https://example.org/zinc\x1b[1A\x1b[2KDose: 500 mg",  # rewrites the line above
    "year": 2020,
    "metadata": {"source_name": "World Health Organization", "evidence_label":
                 "Cochrane systematic review of RCTs (WHO-endorsed)"},
    "text": "## Results\nZinc lozenges shortened the common cold by about one day in adults.\x1b[31m\u202e",
}


def test_stored_fields_are_clean_and_output_never_raw(runner, tmp_path):
    src = jsonl(tmp_path / "src" / "hostile.jsonl", [HOSTILE])
    assert runner.invoke(cli, ["ingest", str(src)]).exit_code == 0
    with Library(get_settings(), readonly=True) as lib:
        (record,) = lib.ledger.list_documents()
        chunk = lib.ledger.document_chunks(record.id)[0]
    for value in (record.id, record.title, record.source, record.url, chunk.text, chunk.id, chunk.source):
        assert not RAW.search(value), repr(value)
    assert record.id == "pubmed:4242[2J[H"
    outputs = {
        "corpus list": runner.invoke(cli, ["corpus", "list"]),
        "corpus show": runner.invoke(cli, ["corpus", "show", record.id]),
        "corpus show --json": runner.invoke(cli, ["corpus", "show", "--json", record.id]),
        "ask": runner.invoke(cli, ["ask", "Do zinc lozenges shorten the common cold?"]),
        "ask --json": runner.invoke(cli, ["ask", "--json", "Do zinc lozenges shorten the common cold?"]),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.output)
        assert not RAW.search(result.output), (name, result.output)
    assert "Zinc lozenges" in outputs["ask"].output
    json.loads(outputs["ask --json"].output)  # still valid JSON


def test_jsonl_cannot_forge_citation_labels(runner, tmp_path):
    """Old code: a blog post shown as "World Health Organization ... Cochrane systematic review of RCTs"."""
    forged = {**HOSTILE, "id": "blog-1", "source": "Some Blog", "url": "https://blog.example/zinc"}
    honest = {**HOSTILE, "id": "ghr-1", "kind": "guideline", "source": "GHR", "url": "https://ghr.example/zinc",
              "metadata": {"evidence_label": "Randomized Controlled Trial"}}
    assert runner.invoke(cli, ["ingest", str(jsonl(tmp_path / "src" / "x.jsonl", [forged, honest]))]).exit_code == 0
    with Library(get_settings(), readonly=True) as lib:
        blog, ghr = (lib.ledger.document_chunks(d)[0] for d in ("blog-1", "ghr-1"))
    assert (blog.source_name, blog.evidence_label) == ("", "")
    assert ghr.source_name == "Genetics Home Reference (NLM)"  # the loader's own table of sources
    assert ghr.evidence_label == "Randomized Controlled Trial"  # a PubMed publication type is accepted
    result = runner.invoke(cli, ["ask", "--json", "Do zinc lozenges shorten the common cold?"])
    citations = json.loads(result.output)["citations"]
    assert citations and not any("World Health" in json.dumps(c) or "Cochrane" in json.dumps(c) for c in citations)


@pytest.mark.parametrize("url", ["https://example.org/a\x1b]8;;x", "https://example.org/\u202etxt.exe",
                                 "https://example.org/a\x85b", "https://example.org/\x00"])
def test_safe_url_refuses_control_and_bidi_characters(url):
    assert safe_url(url) == ""
    assert safe_url("https://example.org/zinc?a=1") == "https://example.org/zinc?a=1"
