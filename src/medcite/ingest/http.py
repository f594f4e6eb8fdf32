"""A small retrying HTTP client over httpx: backoff, Retry-After, rate limiting and masked secrets."""

from __future__ import annotations

import contextlib
import email.utils
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from medcite import __version__
from medcite.errors import MedciteError
from medcite.settings import Settings

logger = logging.getLogger(__name__)
T = TypeVar("T")

USER_AGENT = f"medcite/{__version__}"
#: Query or form parameters whose values never appear in a log record or an error message.
SECRET_PARAMS = frozenset({"api_key", "apikey", "key", "token", "access_token", "password"})
#: The longest Retry-After we are willing to sleep for; a longer one is capped to this.
MAX_RETRY_AFTER_S = 120.0
MASK = "***"


class SourceError(MedciteError):
    """A remote source could not be read; the message is one line, fit to show the user."""


# Masking ----------------------------------------------------------------------------------------
def mask_url(url: str | httpx.URL, secrets: Iterable[str] = ()) -> str:
    """The URL with the values of secret query parameters (``api_key``, ...) and any given secret hidden."""
    text = str(url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return mask_text(text, secrets)
    if parts.query:
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = urlencode([(k, MASK if k.lower() in SECRET_PARAMS else v) for k, v in pairs], safe="*,:")
        text = urlunsplit(parts._replace(query=query))
    return mask_text(text, secrets)


_SECRET_PAIR = re.compile(r"(?i)\b(" + "|".join(sorted(SECRET_PARAMS)) + r")=([^&\s\"']+)")


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with ``api_key=VALUE`` pairs and every occurrence of the given secrets replaced by ***."""
    text = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}={MASK}", text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text


class _MaskSecretsFilter(logging.Filter):
    """Rewrites httpx's own request log lines (which carry the full URL) so no secret parameter shows."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(
                mask_url(a) if isinstance(a, httpx.URL | str) and "=" in str(a) else a for a in record.args
            )
        elif isinstance(record.msg, str) and "=" in record.msg:
            record.msg = mask_text(record.msg)
        return True


def _install_httpx_log_filter() -> None:
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, _MaskSecretsFilter) for f in httpx_logger.filters):
        httpx_logger.addFilter(_MaskSecretsFilter())


_install_httpx_log_filter()


# Rate limiting ----------------------------------------------------------------------------------
class RateLimiter:
    """Spaces calls to ``wait()`` at least ``1 / per_second`` seconds apart, across threads."""

    def __init__(self, per_second: float | None, *, clock: Callable[[], float] = time.monotonic) -> None:
        if per_second is not None and per_second <= 0:
            raise ValueError(f"requests per second must be positive, not {per_second}")
        self.min_interval = 0.0 if per_second is None else 1.0 / per_second
        self._clock = clock
        self._lock = threading.Lock()
        self._next_at = 0.0

    def wait(self) -> None:
        """Block until the next request may start, and reserve that slot."""
        if self.min_interval <= 0:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self._next_at)
            self._next_at = start + self.min_interval
        delay = start - now
        if delay > 0:
            time.sleep(delay)


# Retrying client --------------------------------------------------------------------------------
def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def _is_retryable_status(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


class _RetryableError(Exception):
    """Internal: one attempt failed in a way worth retrying."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class HttpClient:
    """GET/POST with retries (connect errors, timeouts, 429, 5xx), exponential backoff and rate limiting.

    ``http_retries`` retries follow the first attempt; the n-th retry waits ``http_backoff_s * 2**(n-1)``
    seconds, or what the server's ``Retry-After`` asks (capped at ``MAX_RETRY_AFTER_S``). Any other 4xx
    fails at once. ``secrets`` are strings masked in every log record and error this client writes.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        requests_per_second: float | None = None,
        secrets: Iterable[str] = (),
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.retries = settings.http_retries
        self.backoff_s = settings.http_backoff_s
        self.timeout_s = settings.http_timeout_s
        self.limiter = RateLimiter(requests_per_second)
        key = settings.ncbi_api_key.get_secret_value() if settings.ncbi_api_key else ""
        self.secrets = tuple(s for s in (*secrets, key) if s)
        self._sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(self.timeout_s),
            follow_redirects=True,
            transport=transport,
        )

    # Public API ---------------------------------------------------------------------------------
    def get(
        self, url: str, params: Mapping[str, Any] | None = None, *, limiter: RateLimiter | None = None
    ) -> bytes:
        """The body of a GET request, retried as the settings say; raises SourceError on failure."""
        return self.request("GET", url, params=params, limiter=limiter)

    def post(
        self,
        url: str,
        data: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        limiter: RateLimiter | None = None,
    ) -> bytes:
        """The body of a form-encoded POST request (secrets in ``data`` stay out of the URL and logs)."""
        return self.request("POST", url, params=params, data=data, limiter=limiter)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        limiter: RateLimiter | None = None,
    ) -> bytes:
        """Send one request with retries and return the response body."""

        def attempt() -> bytes:
            response = self._client.request(method, url, params=params, data=data)
            self._check(response)
            return response.content

        return self._with_retries(method, url, params, attempt, limiter)

    def stream_to_file(
        self,
        url: str,
        dest: Path,
        progress: bool = False,
        *,
        max_bytes: int | None = None,
        limiter: RateLimiter | None = None,
    ) -> Path:
        """Download ``url`` to ``dest`` atomically: into a temp file beside it, renamed when complete.

        An interrupted or failed download never leaves a file at ``dest``; a retry starts over.
        """
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)

        def attempt() -> Path:
            fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as out, self._client.stream("GET", url) as response:
                    self._check(response)
                    length = response.headers.get("Content-Length", "")
                    total = int(length) if length.isdigit() and int(length) > 0 else None
                    if max_bytes is not None and total is not None and total > max_bytes:
                        raise SourceError(
                            f"{mask_url(url, self.secrets)} is {total} bytes, more than the "
                            f"{max_bytes} allowed"
                        )
                    received = 0
                    with _progress_bar(progress, total, dest.name) as bar:
                        for chunk in response.iter_bytes(1 << 16):
                            received += len(chunk)
                            if max_bytes is not None and received > max_bytes:
                                raise SourceError(
                                    f"{mask_url(url, self.secrets)} sent more than the {max_bytes} bytes "
                                    "allowed"
                                )
                            out.write(chunk)
                            bar.update(len(chunk))
                    if total is not None and received != total and "Content-Encoding" not in response.headers:
                        raise _RetryableError(f"incomplete body ({received} of {total} bytes)")
                    out.flush()
                    os.fsync(out.fileno())
                os.chmod(tmp, 0o644)  # mkstemp makes it private
                os.replace(tmp, dest)
                return dest
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()

        return self._with_retries("GET", url, None, attempt, limiter)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Internals ----------------------------------------------------------------------------------
    def _display_url(self, url: str, params: Mapping[str, Any] | None) -> str:
        if params:
            url = str(httpx.URL(url, params={k: v for k, v in params.items() if v is not None}))
        return mask_url(url, self.secrets)

    def _check(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        if _is_retryable_status(status):
            raise _RetryableError(f"HTTP {status}", _retry_after_seconds(response))
        message = f"{response.request.method} {self._display_url(str(response.request.url), None)} failed: "
        message += f"HTTP {status} {response.reason_phrase}".rstrip()
        detail = self._body_snippet(response)
        raise SourceError(f"{message} ({detail})" if detail else message)

    def _body_snippet(self, response: httpx.Response, limit: int = 160) -> str:
        """The start of an error response's body as one masked line ('' for a body not yet read)."""
        try:
            body = response.content
        except httpx.ResponseNotRead:
            return ""
        text = " ".join(re.sub(r"<[^>]+>", " ", body[:2000].decode("utf-8", "replace")).split())
        text = mask_text(text, self.secrets)
        return text[:limit] + ("..." if len(text) > limit else "")

    def _with_retries(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        attempt: Callable[[], T],
        limiter: RateLimiter | None,
    ) -> T:
        attempts = self.retries + 1
        shown = self._display_url(url, params)
        reason = "no attempt made"
        for n in range(1, attempts + 1):
            (limiter or self.limiter).wait()
            try:
                return attempt()
            except _RetryableError as exc:
                reason, retry_after = exc.reason, exc.retry_after
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise SourceError(f"{method} {shown} failed: {mask_text(str(exc), self.secrets)}") from None
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                reason, retry_after = f"{type(exc).__name__}: {mask_text(str(exc), self.secrets)}", None
            except httpx.HTTPError as exc:  # e.g. an invalid URL: not worth retrying
                raise SourceError(f"{method} {shown} failed: {mask_text(str(exc), self.secrets)}") from None
            if n == attempts:
                break
            delay = retry_after if retry_after is not None else self.backoff_s * (2 ** (n - 1))
            logger.warning(
                "%s %s failed (%s); retry %d of %d in %.2fs", method, shown, reason, n, self.retries, delay
            )
            if delay > 0:
                self._sleep(delay)
        plural = "attempt" if attempts == 1 else "attempts"
        raise SourceError(f"{method} {shown} failed after {attempts} {plural}: {reason.rstrip('.')}")


class _NullBar:
    def update(self, n: int) -> None:
        pass


@contextlib.contextmanager
def _progress_bar(enabled: bool, total: int | None, name: str):  # type: ignore[no-untyped-def]
    if not enabled:
        yield _NullBar()
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=name, leave=False) as bar:
        yield bar
