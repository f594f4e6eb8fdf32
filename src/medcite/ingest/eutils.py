"""Live PubMed through NCBI E-utilities: esearch for PMIDs, efetch for abstracts, parsed into Documents."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from medcite.ingest.http import HttpClient, RateLimiter, SourceError, mask_text
from medcite.settings import Settings
from medcite.types import Document

logger = logging.getLogger(__name__)

ORIGIN = "pubmed-eutils"
TOOL = "medcite"
#: esearch returns at most this many ids per call; MedCite does not page beyond it.
MAX_SEARCH_RESULTS = 10_000
#: PMIDs per efetch request.
FETCH_BATCH = 200
RATE_WITHOUT_KEY = 3.0
RATE_WITH_KEY = 10.0

_PMID = re.compile(r"[0-9]{1,10}")
_SKIPPED_PMID = re.compile(r"\bpubmed:([0-9]+)")


def validate_pmids(pmids: Iterable[str | int]) -> list[str]:
    """PMIDs as strings of digits, duplicates dropped in order; ValueError names every bad one."""
    cleaned: list[str] = []
    bad: list[str] = []
    seen: set[str] = set()
    for raw in pmids:
        pmid = str(raw).strip()
        if pmid.lower().startswith("pubmed:"):
            pmid = pmid[len("pubmed:") :]
        if not _PMID.fullmatch(pmid) or int(pmid) == 0:
            bad.append(repr(str(raw)))
            continue
        pmid = str(int(pmid))  # "00123" and "123" are the same article
        if pmid not in seen:
            seen.add(pmid)
            cleaned.append(pmid)
    if bad:
        shown = ", ".join(bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise ValueError(f"invalid PMID{'s' if len(bad) > 1 else ''} (digits only): {shown}")
    return cleaned


class EutilsClient:
    """esearch/efetch against ``settings.eutils_url``, rate limited and retried.

    Requests are POSTed as forms, so the API key travels in the body and never in a logged URL.
    """

    def __init__(self, settings: Settings, http: HttpClient | None = None) -> None:
        self.base_url = settings.eutils_url.rstrip("/") + "/"
        self._api_key = settings.ncbi_api_key.get_secret_value() if settings.ncbi_api_key else ""
        self.email = settings.ncbi_email or ""
        self.requests_per_second = settings.eutils_requests_per_second or (
            RATE_WITH_KEY if self._api_key else RATE_WITHOUT_KEY
        )
        self.limiter = RateLimiter(self.requests_per_second)
        self._owns_http = http is None
        self.http = http if http is not None else HttpClient(settings)

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> EutilsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Requests -----------------------------------------------------------------------------------
    def _params(self, **params: Any) -> dict[str, Any]:
        params["tool"] = TOOL
        if self.email:
            params["email"] = self.email
        if self._api_key:
            params["api_key"] = self._api_key
        return params

    def _post(self, endpoint: str, **params: Any) -> bytes:
        return self.http.post(self.base_url + endpoint, self._params(**params), limiter=self.limiter)

    def _error(self, message: str) -> SourceError:
        return SourceError(mask_text(message, (self._api_key,)))

    def search(self, query: str, max_results: int) -> list[str]:
        """PMIDs matching a PubMed query, best match first, at most ``max_results`` (capped at 10,000)."""
        query = query.strip()
        if not query:
            raise ValueError("the PubMed query is empty")
        if max_results < 1:
            raise ValueError(f"--max must be at least 1, not {max_results}")
        if max_results > MAX_SEARCH_RESULTS:
            logger.warning(
                "E-utilities returns at most %d ids per search; fetching the first %d of %d asked for",
                MAX_SEARCH_RESULTS,
                MAX_SEARCH_RESULTS,
                max_results,
            )
            max_results = MAX_SEARCH_RESULTS
        body = self._post(
            "esearch.fcgi", db="pubmed", term=query, retmode="json", retstart=0, retmax=max_results
        )
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self._error(f"E-utilities esearch returned no JSON: {_snippet(body)}") from None
        if not isinstance(payload, dict):
            raise self._error(f"E-utilities esearch returned unexpected JSON: {_snippet(body)}")
        if payload.get("error"):
            raise self._error(f"E-utilities esearch error: {payload['error']}")
        result = payload.get("esearchresult")
        if not isinstance(result, dict):
            raise self._error(f"E-utilities esearch returned no esearchresult: {_snippet(body)}")
        if result.get("ERROR"):
            raise self._error(f"E-utilities esearch error: {result['ERROR']}")
        ids = result.get("idlist") or []
        if not isinstance(ids, list):
            raise self._error("E-utilities esearch returned an idlist that is not a list")
        try:
            return validate_pmids(ids)[:max_results]
        except ValueError as exc:
            raise self._error(f"E-utilities esearch returned {exc}") from None

    def fetch(self, pmids: Iterable[str | int]) -> Iterator[bytes]:
        """PubMed XML (a PubmedArticleSet) per batch of 200 PMIDs; the ids are checked before any request."""
        return self._fetch_batches(validate_pmids(pmids))

    def _fetch_batches(self, ids: list[str]) -> Iterator[bytes]:
        for start in range(0, len(ids), FETCH_BATCH):
            batch = ids[start : start + FETCH_BATCH]
            body = self._post(
                "efetch.fcgi", db="pubmed", id=",".join(batch), retmode="xml", rettype="abstract"
            )
            _check_efetch(body, self._error)
            yield body


def fetch_documents(
    client: EutilsClient,
    pmids: Iterable[str | int],
    on_skip: Callable[[str], None] | None = None,
) -> Iterator[Document]:
    """Documents for the given PMIDs (checked at once, ValueError on bad ones), fetched lazily.

    ``on_skip`` hears of records the parser skipped and of PMIDs E-utilities did not return.
    """
    from medcite.ingest.loaders.base import LoaderError
    from medcite.ingest.loaders.pubmed_xml import parse_pubmed_xml

    ids = validate_pmids(pmids)

    def documents() -> Iterator[Document]:
        accounted: set[str] = set()  # PMIDs returned as documents or skipped by the parser with a reason

        def skipped(reason: str) -> None:
            accounted.update(m.lstrip("0") for m in _SKIPPED_PMID.findall(reason))
            if on_skip is not None:
                on_skip(reason)

        for body in client.fetch(ids):
            try:
                docs = parse_pubmed_xml(body, ORIGIN, on_skip=skipped)
            except LoaderError as exc:
                raise SourceError(
                    f"E-utilities efetch returned unreadable PubMed XML: {exc.reason}"
                ) from None
            for doc in docs:
                accounted.add(_pmid_of(doc))
                yield doc
        if on_skip is not None:
            for pmid in ids:
                if pmid not in accounted:
                    on_skip(f"pubmed:{pmid}: not returned by E-utilities (unknown or withdrawn PMID)")

    return documents()


def search_documents(
    client: EutilsClient,
    query: str,
    max_results: int,
    on_skip: Callable[[str], None] | None = None,
) -> Iterator[Document]:
    """Documents for the first ``max_results`` PMIDs a PubMed query finds (the search runs at once)."""
    return fetch_documents(client, client.search(query, max_results), on_skip)


# Helpers ----------------------------------------------------------------------------------------
def _pmid_of(doc: Document) -> str:
    pmid = str(doc.metadata.get("pmid") or doc.id.rsplit(":", 1)[-1])
    return str(int(pmid)) if pmid.isdigit() else pmid


def _snippet(body: bytes, limit: int = 160) -> str:
    text = body[:2000].decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return (text[:limit] + "...") if len(text) > limit else (text or "(empty body)")


_ERROR_ELEMENT = re.compile(rb"<(?:ERROR|Error|error)>(.*?)</(?:ERROR|Error|error)>", re.S)


def _check_efetch(body: bytes, error: Callable[[str], SourceError]) -> None:
    """Raise when an efetch body is an error page or JSON error instead of a PubmedArticleSet."""
    head = body[:4096].lstrip()
    if b"<PubmedArticleSet" in head or b"<PubmedBookArticleSet" in head:
        return
    found = _ERROR_ELEMENT.search(body[:20000])
    if found:
        message = " ".join(found.group(1).decode("utf-8", "replace").split())
        raise error(f"E-utilities efetch error: {message}")
    if head.startswith(b"{"):
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if isinstance(payload, dict) and payload.get("error"):
            raise error(f"E-utilities efetch error: {payload['error']}")
    raise error(f"E-utilities efetch returned no PubmedArticleSet: {_snippet(body)}")
