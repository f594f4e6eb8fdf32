"""Property-based tests: any question gets a sensible answer; any file gets documents or a LoaderError.

Questions: empty, whitespace, 100,000 characters, control characters, emoji, right-to-left text, markup,
markdown links and FTS5 syntax. 10,000 of them go through the cheap layers (query normalisation, FTS5 query
building and a real BM25 search, the offline composer on fixed passages) in the default run, and 1,000
through the whole AnswerService (with random chat histories); the ``slow`` variant sends 10,000 through the
whole service.

Loaders: random bytes and random text under every extension and every forced format, random JSONL lines
and random corpus records.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medcite.answer import Answer
from medcite.corpus.ledger import fts_query
from medcite.corpus.library import Library
from medcite.ingest.loaders import LOADERS, LoaderError, LoadOptions, load_file
from medcite.ingest.loaders.jsonl import record_to_document
from medcite.ingest.pipeline import IngestPipeline
from medcite.qa.compose import REFERENCES_HEADING, parse_citation_numbers
from medcite.qa.offline import compose_offline
from medcite.qa.retrieve import normalise_query
from medcite.qa.service import EMPTY_QUESTION_REPLY, TRIMMED_NOTICE, AnswerService
from medcite.qa.text import followup_query
from medcite.settings import Settings
from medcite.types import Document
from tests.conftest import FIXTURES, FakeEmbedder

LIBRARY = FIXTURES / "library" / "ivig_library.jsonl"
IVIG = "Does IVIG help all autoimmune conditions?"
CHEAP_EXAMPLES = 10_000
SERVICE_EXAMPLES = 1_000
SLOW_SERVICE_EXAMPLES = 10_000
FAST = {"deadline": None, "database": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                  HealthCheck.large_base_example]}

# --------------------------------------------------------------------------------------------------
# Question strategies
# --------------------------------------------------------------------------------------------------

HOSTILE_PIECES = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.example/x.js>", "<img src=x onerror=alert(1)>", "</p><script>",
    "&lt;script&gt;", "&#60;script&#62;", "[1]", "[2, 3]", "[1-40]", "[99999999999999999999]", "[0]", "\\[1\\]",
    "[click](javascript:alert(1))", "[1](http://evil.example)", "![x](http://x.example/x.png)", "**", "__", "`",
    "```", "# ", "> ", "| a | b |", '"', "'", "*", "^", ":", "(", ")", "-", "+", "NEAR(", "NEAR(a b, 2)",
    " OR ", " AND ", " NOT ", "title:", "{", "}", "\\", ";", "'; DROP TABLE chunks; --", "%", "_", "\x00",
    "\x1b[31m", "\x07", "\r", "\n", "\t", "\u200b", "\u200e", "\u202e", "\u2066", "\u2028", "\ufeff", "\ufffd",
    "🙂", "👩\u200d⚕️", "🇺🇸", "e\u0301", "العلاج بالغلوبولين المناعي", "עברית", "中文问题", "ǅ", "İ", "ß",
    "IVIG", "immunoglobulin", "headache", "autoimmune", "Guillain-Barre", "side effects", "dose", "children",
    "I think I'm having a stroke", "chest pain", "should I stop taking my medication", "hi doctor,",
    "thanks in advance", "https://example.org/x?y=1", "me@example.org", "?", "!", "...", "0", "2019",
]
WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2003\u200a\u2028\u2029\u202f\u205f\u3000"

pieces = st.sampled_from(HOSTILE_PIECES)
composed = st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=40).flatmap(
    lambda parts: st.sampled_from(["", " "]).map(lambda sep: sep.join(parts)))
any_text = st.text(max_size=400)
whitespace_only = st.text(alphabet=WHITESPACE, max_size=60)
controls_and_format = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=80)
rtl_and_emoji = st.text(alphabet=st.one_of(st.characters(min_codepoint=0x0590, max_codepoint=0x08FF),
                                           st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
                                           st.sampled_from("\u202a\u202b\u202c\u202d\u202e IVIG?")), max_size=80)
long_questions = st.builds(
    lambda unit, n: (unit * (n // len(unit) + 1))[:n],
    st.one_of(pieces, st.text(min_size=1, max_size=8)),
    st.integers(min_value=1_900, max_value=100_000),
)
# Repeats weight the mix: long questions (a tenth) cost the most, mostly in the trimmed 2,000 characters.
questions = st.one_of(any_text, any_text, composed, composed, composed, whitespace_only, controls_and_format,
                      rtl_and_emoji, long_questions, st.just(""))
histories = st.lists(st.tuples(st.one_of(st.just(IVIG), composed), st.text(max_size=50)), max_size=3)


# --------------------------------------------------------------------------------------------------
# A small library, built once
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnswerService]:
    home = tmp_path_factory.mktemp("properties") / "medcite-home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDCITE_HOME", str(home))
        mp.setenv("HF_HUB_OFFLINE", "1")
        for name in ("MEDCITE_CHROMA_URL", "MEDCITE_EMBEDDING_MODEL", "MEDCITE_DEMO_FROM"):
            mp.delenv(name, raising=False)
        settings_ = Settings(home=home)
        embedder = FakeEmbedder()
        with Library(settings_) as lib:
            report = IngestPipeline(settings_, lib, embedder).ingest_paths([LIBRARY])
        assert report.added == 7 and not report.failed
        svc = AnswerService(settings_, embedder=embedder)
        yield svc
        svc.close()


@pytest.fixture(scope="module")
def passages(service: AnswerService) -> list:
    ranked, extra = service.retriever.search_both_kinds(IVIG, service.settings.retrieve_k)
    assert ranked
    return ranked + extra


def check_answer(answer: Answer, question: str, max_chars: int) -> None:
    """What every reply must be, whatever the question."""
    assert isinstance(answer, Answer)
    assert isinstance(answer.markdown, str) and answer.markdown.strip()
    assert "<script" not in answer.markdown.lower()
    body = answer.markdown.split(REFERENCES_HEADING)[0]
    numbers = {c.n for c in answer.citations}
    assert set(parse_citation_numbers(body)) <= numbers, (body, numbers)
    for citation in answer.citations:
        assert f"[{citation.n}]" in answer.markdown
    asked = " ".join(question.split())
    if not asked:
        assert answer.markdown == EMPTY_QUESTION_REPLY and answer.abstained and not answer.citations
        return
    assert len(answer.question) <= max_chars
    trimmed = TRIMMED_NOTICE.format(limit=max_chars)
    assert (trimmed in answer.markdown) == (len(asked) > max_chars)
    assert (trimmed in answer.notices) == (len(asked) > max_chars)


def run_counted(test, label: str, minimum: int) -> None:
    """Run a @given test, report how many examples it took and how long, and check the count."""
    calls: list[int] = []
    started = time.perf_counter()
    test(calls)
    seconds = time.perf_counter() - started
    print(f"\n{label}: {len(calls):,} generated cases in {seconds:.1f} s")
    assert len(calls) >= minimum, (label, len(calls))


# --------------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_cheap_layers_take_any_question(service: AnswerService, passages: list) -> None:
    """Query clean-up, FTS5 query building and a real BM25 search, and the composer on fixed passages."""
    ledger = service.library.ledger
    max_chars = service.settings.max_question_chars

    def check(calls: list[int]) -> None:
        @settings(max_examples=CHEAP_EXAMPLES, **FAST)
        @given(question=questions)
        def inner(question: str) -> None:
            calls.append(1)
            query = normalise_query(question[:max_chars])
            assert isinstance(query, str) and len(query) <= max_chars
            fts = fts_query(query)
            if fts:  # every term quoted: user text can never be FTS5 syntax
                assert re.fullmatch(r'"[^"]+"(?: OR "[^"]+")*', fts), fts
            hits = ledger.search(query, 10)  # sqlite3.OperationalError here would be an FTS5 syntax error
            assert all(isinstance(cid, str) for cid, _ in hits)
            answer = compose_offline(question[:max_chars], passages, settings=service.offline_settings)
            assert answer.markdown.strip() and "<script" not in answer.markdown.lower()
            body = answer.markdown.split(REFERENCES_HEADING)[0]
            assert set(parse_citation_numbers(body)) <= {c.n for c in answer.citations}

        inner()

    run_counted(check, "cheap layers", CHEAP_EXAMPLES)


@pytest.mark.integration
def test_the_service_answers_any_question(service: AnswerService) -> None:
    max_chars = service.settings.max_question_chars

    def check(calls: list[int]) -> None:
        @settings(max_examples=SERVICE_EXAMPLES, **FAST)
        @given(question=questions, history=histories)
        def inner(question: str, history: list[tuple[str, str]]) -> None:
            calls.append(1)
            check_answer(service.answer(question, history=history), question, max_chars)

        inner()

    run_counted(check, "full AnswerService", SERVICE_EXAMPLES)


@pytest.mark.integration
@pytest.mark.parametrize("question", [
    "", " ", "\n\t\r", "\u2028\u2029\x1c\x85", "\u3000" * 1000, " " * 100_000,
    "IVIG " * 20_000, "x" * 100_000, "[1]" * 40_000, "<script>alert(1)</script>" * 4_000,
    '"' * 5000, "NEAR(" * 5000, "OR AND NOT " * 3000, "\x00" * 1000 + "IVIG", "\u202e" + IVIG, "🙂" * 50_000,
])
def test_edge_questions(service: AnswerService, question: str) -> None:
    check_answer(service.answer(question), question, service.settings.max_question_chars)


@pytest.mark.integration
def test_followup_query_keeps_the_question(service: AnswerService) -> None:
    max_chars = service.settings.max_question_chars

    @settings(max_examples=1_000, **FAST)
    @given(question=questions, history=histories)
    def inner(question: str, history: list[tuple[str, str]]) -> None:
        question = " ".join(question.split())[:max_chars]  # as the service passes it
        query = followup_query(question, history)
        assert question.strip() in query

    inner()


@pytest.mark.integration
@pytest.mark.slow
def test_the_service_answers_any_question_10k(service: AnswerService) -> None:
    max_chars = service.settings.max_question_chars

    def check(calls: list[int]) -> None:
        @settings(max_examples=SLOW_SERVICE_EXAMPLES, **FAST)
        @given(question=questions, history=histories)
        def inner(question: str, history: list[tuple[str, str]]) -> None:
            calls.append(1)
            check_answer(service.answer(question, history=history), question, max_chars)

        inner()

    run_counted(check, "full AnswerService (slow)", SLOW_SERVICE_EXAMPLES)


# --------------------------------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------------------------------

EXTENSIONS = [".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson", ".xml", ".pdf",
              ".csv", ".py", ".text", ""]
BYTE_PIECES = [
    b"%PDF-1.4\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", b"trailer << /Root 1 0 R >>\n",
    b"startxref\n0\n%%EOF\n", b"xref\n0 1\n", b"stream\n", b"endstream", b"/FlateDecode", b"<?xml version='1.0'?>",
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", b"&e;", b"<PubmedArticleSet>", b"<PubmedArticle>",
    b"<MedlineCitation><PMID>1</PMID><Article><Abstract><AbstractText>", b"</AbstractText>",
    b"<Document id='1' source='GHR'>", b"<Focus>x</Focus>", b"<QAPair><Question>q</Question><Answer>a</Answer>",
    b"</QAPair>", b'{"1": {"CONTEXTS": ["', b'"], "LONG_ANSWER": "', b'{"id": "a", "title": "t", "text": "',
    b'"kind": "research"', b"\\ud800", b"\\u0000", b"[[[[[[[[", b"]]]]", b"{", b"}", b"\"", b"\x00", b"\xff",
    b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xff\xfe", b"\n", b"\r\n", b"# Heading\n", b"<html><body>",
    b"<script>", b"<h1>", b"---\ntitle: x\n---\n", b"```", b"IVIG helps. ", b"9" * 50,
]
hostile_bytes = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.one_of(st.sampled_from(BYTE_PIECES), st.binary(max_size=12)), max_size=60).map(b"".join),
)
hostile_text = st.one_of(
    st.text(max_size=2000),
    st.lists(st.one_of(st.sampled_from([p.decode("latin-1") for p in BYTE_PIECES]), st.text(max_size=12)),
             max_size=60).map("".join),
)


def load_or_error(path: Path, fmt: str | None, skips: list[str] | None = None) -> list[Document] | LoaderError:
    """Documents, or the LoaderError: anything else raised fails the test."""
    options = LoadOptions(kind="guideline", on_skip=(skips.append if skips is not None else lambda r: None))
    try:
        docs = list(load_file(path, fmt, options))
    except LoaderError as exc:
        assert exc.reason.strip() and "\n" not in exc.reason and len(exc.reason) <= 300, exc.reason
        assert "Traceback" not in exc.reason
        return exc
    for doc in docs:
        assert isinstance(doc, Document) and doc.sections
        doc.content_hash()  # storable: no lone surrogates, JSON-serialisable
    return docs


@pytest.mark.unit
def test_random_bytes_under_every_extension(tmp_path: Path) -> None:
    @settings(max_examples=800, **FAST)
    @given(data=hostile_bytes, ext=st.sampled_from(EXTENSIONS))
    def inner(data: bytes, ext: str) -> None:
        path = tmp_path / f"case{ext}"
        path.write_bytes(data)
        load_or_error(path, None)

    inner()


@pytest.mark.unit
def test_random_bytes_forced_through_every_loader(tmp_path: Path) -> None:
    @settings(max_examples=800, **FAST)
    @given(data=hostile_bytes, fmt=st.sampled_from(sorted(LOADERS)))
    def inner(data: bytes, fmt: str) -> None:
        path = tmp_path / "case.bin"
        path.write_bytes(data)
        load_or_error(path, fmt)

    inner()


@pytest.mark.unit
def test_random_text_under_every_extension(tmp_path: Path) -> None:
    @settings(max_examples=600, **FAST)
    @given(text=hostile_text, ext=st.sampled_from(EXTENSIONS), fmt=st.sampled_from([None, *sorted(LOADERS)]))
    def inner(text: str, ext: str, fmt: str | None) -> None:
        path = tmp_path / f"case{ext}"
        path.write_text(text, encoding="utf-8")
        load_or_error(path, fmt)

    inner()


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
FIELDS = ["id", "title", "kind", "text", "source", "url", "year", "metadata"]
records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=20), json_values),
        "title": st.one_of(st.text(max_size=40), json_values),
        "kind": st.one_of(st.sampled_from(["guideline", "research", "Guideline", ""]), json_values),
        "text": st.one_of(st.text(max_size=300), composed, json_values),
        "source": st.one_of(st.text(max_size=20), json_values),
        "url": st.one_of(st.text(max_size=20), json_values),
        "year": st.one_of(st.integers(0, 4000), st.text(max_size=6), json_values),
        "metadata": json_values,
    },
)
lines = st.one_of(
    records.map(lambda r: json.dumps(r, allow_nan=True)),
    records.map(lambda r: json.dumps(r, ensure_ascii=False, allow_nan=True)),
    st.text(max_size=80).map(lambda t: t.replace("\n", " ")),
    st.just(""),
    st.just('{"id": "lone", "title": "t\\ud800", "kind": "research", "text": "x"}'),
    st.just('{"id": "ok", "title": "Good", "kind": "research", "text": "IVIG helps in some conditions."}'),
)


@pytest.mark.unit
def test_random_corpus_records_give_a_document_or_a_value_error() -> None:
    @settings(max_examples=1_000, **FAST)
    @given(record=records)
    def inner(record: dict) -> None:
        try:
            doc = record_to_document(record, LoadOptions())
        except ValueError as exc:
            assert str(exc).strip() and "\n" not in str(exc)
            return
        doc.content_hash()

    inner()


@pytest.mark.unit
def test_random_jsonl_lines_become_documents_or_skips(tmp_path: Path) -> None:
    @settings(max_examples=400, **FAST)
    @given(body=st.lists(lines, max_size=30), ext=st.sampled_from([".jsonl", ".ndjson"]))
    def inner(body: list[str], ext: str) -> None:
        path = tmp_path / f"case{ext}"
        data = "".join(line + "\n" for line in body).encode("utf-8")
        path.write_bytes(data)
        skips: list[str] = []
        result = load_or_error(path, "jsonl", skips)
        if isinstance(result, LoaderError):
            return
        counted = [raw for raw in data.removeprefix(b"\xef\xbb\xbf").split(b"\n") if raw.strip()]
        assert len(result) + len(skips) == len(counted), (len(result), skips)
        assert len({d.id for d in result}) == len(result)
        for reason in skips:
            assert reason.startswith("line ") and "\n" not in reason

    inner()
