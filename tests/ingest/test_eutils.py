"""E-utilities client and retrying HTTP helper against a local server that speaks the E-utilities protocol."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from pathlib import Path

import pytest

from medcite.ingest.eutils import (
    FETCH_BATCH,
    MAX_SEARCH_RESULTS,
    EutilsClient,
    fetch_documents,
    search_documents,
    validate_pmids,
)
from medcite.ingest.http import HttpClient, RateLimiter, SourceError, mask_url
from medcite.settings import Settings
from tests.httpserver import LocalHTTPServer, Recorded, Reply

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "eutils" / "pubmed_articles.xml"
API_KEY = "k3y-0123456789abcdef"
ESEARCH = "/eutils/esearch.fcgi"
EFETCH = "/eutils/efetch.fcgi"
HEADER = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
    b'2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">\n<PubmedArticleSet>\n'
)


def _articles() -> dict[str, bytes]:
    text = FIXTURE.read_bytes()
    found = {}
    for match in re.finditer(rb"<PubmedArticle>.*?</PubmedArticle>", text, re.S):
        pmid = re.search(rb"<PMID[^>]*>(\d+)</PMID>", match.group(0))
        assert pmid is not None
        found[pmid.group(1).decode()] = match.group(0)
    return found


ARTICLES = _articles()
NO_ABSTRACT = "39000006"  # a Letter without an abstract: the parser skips it with a reason
WITH_ABSTRACT = sorted(set(ARTICLES) - {NO_ABSTRACT})


def eutils_handler(request: Recorded) -> Reply | None:
    """A small E-utilities: esearch matches every word of the term; efetch returns the known ids asked for."""
    params = request.params
    if request.path == ESEARCH:
        term = params.get("term", "")
        if "[[" in term:
            body = {"esearchresult": {"ERROR": f"Invalid query syntax: {term}"}}
            return Reply(200, json.dumps(body).encode(), content_type="application/json")
        words = term.lower().split()
        ids = [pmid for pmid, xml in ARTICLES.items() if all(w in xml.decode().lower() for w in words)]
        retmax = int(params.get("retmax", 20))
        result = {
            "header": {"type": "esearch", "version": "0.3"},
            "esearchresult": {
                "count": str(len(ids)),
                "retmax": str(min(retmax, len(ids))),
                "retstart": params.get("retstart", "0"),
                "idlist": ids[:retmax],
            },
        }
        return Reply(200, json.dumps(result).encode(), content_type="application/json")
    if request.path == EFETCH:
        wanted = [i for i in params.get("id", "").split(",") if i]
        body = (
            HEADER + b"".join(ARTICLES[i] + b"\n" for i in wanted if i in ARTICLES) + b"</PubmedArticleSet>\n"
        )
        return Reply(200, body, content_type="text/xml")
    return None


@pytest.fixture
def server():
    with LocalHTTPServer(handler=eutils_handler) as srv:
        yield srv
        assert not srv.errors, srv.errors


def make_settings(tmp_path: Path, server: LocalHTTPServer, **overrides) -> Settings:
    values = {
        "home": tmp_path,
        "eutils_url": server.url + "/eutils/",
        "ncbi_api_key": None,
        "ncbi_email": None,
        "eutils_requests_per_second": 1000.0,
        "http_retries": 2,
        "http_backoff_s": 0.01,
        "http_timeout_s": 5.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def test_search_and_fetch_end_to_end(tmp_path, server):
    skipped: list[str] = []
    with EutilsClient(make_settings(tmp_path, server)) as client:
        ids = client.search("hypertension", 10)
        assert ids == ["39000001", "39000005", NO_ABSTRACT]
        docs = list(fetch_documents(client, sorted(ARTICLES), on_skip=skipped.append))

    assert [d.id for d in docs] == [f"pubmed:{pmid}" for pmid in WITH_ABSTRACT]
    assert len(skipped) == 1 and NO_ABSTRACT in skipped[0] and "abstract" in skipped[0]  # reported once
    kinds = {d.id: d.kind for d in docs}
    assert kinds["pubmed:39000002"] == "guideline"  # Practice Guideline publication type
    assert {kinds[f"pubmed:{p}"] for p in ("39000001", "39000003", "39000004", "39000005")} == {"research"}
    assert all(d.origin == "pubmed-eutils" for d in docs)
    assert all(d.sections and d.title for d in docs)

    search = server.requests_to(ESEARCH)[0]
    assert search.params["db"] == "pubmed"
    assert search.params["retmode"] == "json"
    assert search.params["retmax"] == "10"
    assert search.params["tool"] == "medcite"
    assert "api_key" not in search.params and "email" not in search.params
    assert search.headers["User-Agent"].startswith("medcite/")
    fetch = server.requests_to(EFETCH)[0]
    assert fetch.params["db"] == "pubmed"
    assert fetch.params["retmode"] == "xml"
    assert fetch.params["rettype"] == "abstract"


def test_search_documents_and_missing_pmids(tmp_path, server):
    skipped: list[str] = []
    with EutilsClient(make_settings(tmp_path, server)) as client:
        docs = list(search_documents(client, "metformin", 5, on_skip=skipped.append))
        assert [d.id for d in docs] == ["pubmed:39000002"]
        assert skipped == []
        docs = list(fetch_documents(client, ["39000003", "123"], on_skip=skipped.append))
    assert [d.id for d in docs] == ["pubmed:39000003"]
    assert len(skipped) == 1 and "123" in skipped[0]


def test_invalid_pmids_raise_before_any_request(tmp_path, server):
    with EutilsClient(make_settings(tmp_path, server)) as client:
        with pytest.raises(ValueError) as info:
            fetch_documents(client, ["39000001", "12a", "", "4 5"])
        with pytest.raises(ValueError, match="empty"):
            client.search("   ", 5)
    message = str(info.value)
    assert "'12a'" in message and "''" in message and "'4 5'" in message
    assert "39000001" not in message
    assert server.requests == []
    assert validate_pmids(["pubmed:123", 123, "00123", " 456 "]) == ["123", "456"]


def test_api_key_email_and_tool_sent_and_key_never_shown(tmp_path, server, caplog):
    caplog.set_level(logging.DEBUG)
    settings = make_settings(tmp_path, server, ncbi_api_key=API_KEY, ncbi_email="dev@example.org")
    with EutilsClient(settings) as client:
        assert client.search("pneumonia", 3) == ["39000004"]
        sent = server.requests_to(ESEARCH)[0]
        assert sent.params["api_key"] == API_KEY
        assert sent.params["email"] == "dev@example.org"
        assert sent.params["tool"] == "medcite"
        assert "api_key" not in sent.query  # posted in the body, so no URL (and no log line) carries it

        server.fail(10, 500, path=EFETCH)
        with pytest.raises(SourceError) as persistent:
            list(client.fetch(["39000001"]))
        # NCBI's reply to a bad key echoes the key back; it must not reach the message.
        echo = json.dumps({"error": "API key invalid", "api-key": API_KEY}).encode()
        server.routes[ESEARCH] = Reply(400, echo, {}, "application/json")
        with pytest.raises(SourceError, match="HTTP 400.*API key invalid") as forbidden:
            client.search("pneumonia", 3)

    # The plain HTTP helper masks a key passed in the query string too, in errors and in httpx's log lines.
    http = HttpClient(settings)
    server.fail(10, 500)
    with pytest.raises(SourceError) as in_query:
        http.get(server.url + "/anything", params={"api_key": API_KEY, "db": "pubmed"})
    http.close()

    for error in (persistent, forbidden, in_query):
        assert API_KEY not in str(error.value)
    assert "api_key=***" in str(in_query.value)
    assert caplog.records, "expected retry warnings and httpx request lines"
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
    assert API_KEY not in caplog.text


def test_429_then_200_is_retried_honouring_retry_after(tmp_path, server):
    sleeps: list[float] = []
    settings = make_settings(tmp_path, server, http_retries=3, http_backoff_s=0.01)
    http = HttpClient(settings, sleep=sleeps.append)
    server.fail(1, 429, headers={"Retry-After": "2"}, path=ESEARCH)
    with EutilsClient(settings, http=http) as client:
        assert client.search("aspirin", 5) == ["39000003"]
        assert len(server.requests_to(ESEARCH)) == 2
        assert sleeps == [2.0]  # the server's Retry-After, not the 0.01 s backoff

        sleeps.clear()
        server.fail(2, 429, path=ESEARCH)  # no Retry-After: exponential backoff
        assert client.search("aspirin", 5) == ["39000003"]
        assert sleeps == [0.01, 0.02]
    http.close()


def test_backoff_doubles_in_real_time(tmp_path, server):
    settings = make_settings(tmp_path, server, http_retries=2, http_backoff_s=0.05)
    server.fail(2, 503, path=ESEARCH)
    with EutilsClient(settings) as client:
        assert client.search("aspirin", 5) == ["39000003"]
    times = [r.time for r in server.requests_to(ESEARCH)]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.045
    assert times[2] - times[1] >= 0.095


def test_dropped_connection_is_retried(tmp_path, server):
    server.fail(1, "close", path=EFETCH)
    with EutilsClient(make_settings(tmp_path, server)) as client:
        docs = list(fetch_documents(client, ["39000004"]))
    assert [d.id for d in docs] == ["pubmed:39000004"]
    assert len(server.requests_to(EFETCH)) == 2


def test_persistent_500_gives_source_error_after_all_attempts(tmp_path, server):
    settings = make_settings(tmp_path, server, http_retries=2)
    server.fail(100, 500, path=EFETCH)
    with EutilsClient(settings) as client, pytest.raises(SourceError) as info:
        list(client.fetch(["39000001"]))
    assert len(server.requests_to(EFETCH)) == settings.http_retries + 1
    message = str(info.value)
    assert "efetch.fcgi" in message and "HTTP 500" in message and "3 attempts" in message
    assert "\n" not in message


def test_other_4xx_fails_at_once(tmp_path, server):
    server.fail(5, 404, path=ESEARCH)
    with EutilsClient(make_settings(tmp_path, server)) as client, pytest.raises(SourceError, match="404"):
        client.search("aspirin", 5)
    assert len(server.requests_to(ESEARCH)) == 1


def test_esearch_error_field_and_efetch_error_pages(tmp_path, server):
    with EutilsClient(make_settings(tmp_path, server)) as client:
        with pytest.raises(SourceError, match="Invalid query syntax"):
            client.search("heart[[", 5)

        server.routes[EFETCH] = Reply(
            200, b"<html><body><h1>Service unavailable</h1><p>Try later.</p></body></html>", {}, "text/html"
        )
        with pytest.raises(SourceError, match="no PubmedArticleSet.*Service unavailable"):
            list(client.fetch(["39000001"]))

        server.routes[EFETCH] = Reply(
            200,
            b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n\t<ERROR>Empty id list - nothing '
            b"todo</ERROR>\n</eFetchResult>\n",
            {},
            "text/xml",
        )
        with pytest.raises(SourceError, match="efetch error: Empty id list"):
            list(client.fetch(["39000001"]))

        server.routes[EFETCH] = Reply(200, b'{"error":"API rate limit exceeded"}', {}, "application/json")
        with pytest.raises(SourceError, match="API rate limit exceeded"):
            list(client.fetch(["39000001"]))

        server.routes[EFETCH] = Reply(200, HEADER + ARTICLES["39000001"][:300], {}, "text/xml")  # cut short
        with pytest.raises(SourceError, match="unreadable PubMed XML"):
            list(fetch_documents(client, ["39000001"]))


def test_search_caps_retmax(tmp_path, server, caplog):
    with EutilsClient(make_settings(tmp_path, server)) as client:
        client.search("hypertension", MAX_SEARCH_RESULTS + 5)
    assert server.requests_to(ESEARCH)[0].params["retmax"] == str(MAX_SEARCH_RESULTS)
    assert "at most 10000" in caplog.text


def test_rate_limiter_spaces_requests(tmp_path, server):
    settings = make_settings(tmp_path, server, eutils_requests_per_second=20.0)
    with EutilsClient(settings) as client:
        for _ in range(4):
            client.search("aspirin", 1)
    times = [r.time for r in server.requests]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3
    # 50 ms apart at the client; arrival times jitter, so allow 25 ms (unlimited they are ~1 ms apart).
    assert min(gaps) >= 0.025, gaps
    assert times[-1] - times[0] >= 3 * 0.05 - 0.025


def test_rate_limiter_is_thread_safe():
    limiter = RateLimiter(20.0)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(2):
            limiter.wait()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps.sort()
    assert len(stamps) == 6
    assert min(b - a for a, b in zip(stamps, stamps[1:], strict=False)) >= 0.05 - 0.025
    assert stamps[-1] - stamps[0] >= 5 * 0.05 - 0.025


@pytest.mark.parametrize(("rate", "key", "expected"), [(None, None, 3), (None, API_KEY, 10), (7, API_KEY, 7)])
def test_default_rates(tmp_path, server, rate, key, expected):
    settings = make_settings(tmp_path, server, eutils_requests_per_second=rate, ncbi_api_key=key)
    with EutilsClient(settings) as client:
        assert client.requests_per_second == expected
        assert client.limiter.min_interval == pytest.approx(1 / expected)


def test_batching_splits_450_ids_into_3_requests(tmp_path, server):
    ids = sorted(ARTICLES) + [str(40000000 + i) for i in range(450 - len(ARTICLES))]
    skipped: list[str] = []
    with EutilsClient(make_settings(tmp_path, server)) as client:
        docs = list(fetch_documents(client, ids, on_skip=skipped.append))
    requests = server.requests_to(EFETCH)
    sizes = [len(r.params["id"].split(",")) for r in requests]
    assert sizes == [FETCH_BATCH, FETCH_BATCH, 50]
    assert [i for r in requests for i in r.params["id"].split(",")] == ids
    assert sorted(d.id for d in docs) == [f"pubmed:{p}" for p in WITH_ABSTRACT]
    assert len(skipped) == 450 - len(WITH_ABSTRACT)  # one without an abstract, the rest not returned


def test_mask_url_hides_secret_values():
    url = f"https://eutils.example/efetch.fcgi?db=pubmed&api_key={API_KEY}&id=1,2"
    masked = mask_url(url)
    assert API_KEY not in masked
    assert "api_key=***" in masked and "db=pubmed" in masked and "id=1,2" in masked
