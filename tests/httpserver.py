"""A tiny local HTTP server for tests: routes or a handler, recorded requests, injected failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    """What the server answers: a status, a body and headers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/octet-stream"


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]
    time: float  # time.monotonic() when it arrived

    @property
    def params(self) -> dict[str, str]:
        """Query and form parameters together (first value of each; the form wins)."""
        merged = {k: v[0] for k, v in self.query.items() if v}
        merged.update({k: v[0] for k, v in self.form.items() if v})
        return merged


FailureKind = int | Literal["close", "truncate"]
Route = bytes | Reply | Callable[[Recorded], "Reply | bytes | None"]


@dataclass
class _Failure:
    kind: FailureKind
    remaining: int
    headers: dict[str, str]
    path: str | None


class LocalHTTPServer:
    """An HTTP server on 127.0.0.1 and a free port, served from a background thread.

    ``routes`` maps a path (no query) to bytes, a Reply, or a function of the Recorded request;
    ``handler`` answers every path the routes do not know (None or a missing route: 404).
    ``fail(n, kind)`` makes the next n matching requests fail: an HTTP status, ``"close"`` (drop the
    connection without a reply), or ``"truncate"`` (announce the full length, send half, drop).
    Use as a context manager; it stops itself on exit.
    """

    def __init__(
        self,
        routes: Mapping[str, Route] | None = None,
        handler: Callable[[Recorded], Reply | bytes | None] | None = None,
    ) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.handler = handler
        self.requests: list[Recorded] = []
        self.errors: list[Exception] = []  # exceptions raised by route functions or the handler
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle ----------------------------------------------------------------------------------
    def start(self) -> LocalHTTPServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner._handle(self)

            def do_POST(self) -> None:
                owner._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LocalHTTPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. http://127.0.0.1:43121."""
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # Test controls ------------------------------------------------------------------------------
    def fail(
        self,
        count: int,
        kind: FailureKind = 500,
        *,
        headers: Mapping[str, str] | None = None,
        path: str | None = None,
    ) -> None:
        """Make the next ``count`` requests (to ``path``, or any) fail as ``kind`` says."""
        with self._lock:
            self._failures.append(_Failure(kind, count, dict(headers or {}), path))

    def requests_to(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # Serving ------------------------------------------------------------------------------------
    def _take_failure(self, path: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.remaining > 0 and failure.path in (None, path):
                    failure.remaining -= 1
                    return failure
        return None

    def _reply_for(self, request: Recorded) -> Reply:
        route = self.routes.get(request.path)
        if route is None and self.handler is not None:
            route = self.handler
        if callable(route):
            route = route(request)
        if route is None:
            return Reply(404, b"not found", content_type="text/plain")
        if isinstance(route, bytes):
            return Reply(200, route)
        return route

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        arrived = time.monotonic()
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        form: dict[str, list[str]] = {}
        if "application/x-www-form-urlencoded" in (h.headers.get("Content-Type") or ""):
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        request = Recorded(
            method=h.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            form=form,
            body=body,
            headers=dict(h.headers.items()),
            time=arrived,
        )
        with self._lock:
            self.requests.append(request)

        failure = self._take_failure(request.path)
        if failure is not None and failure.kind == "close":
            h.close_connection = True
            return
        if failure is not None and isinstance(failure.kind, int):
            reply = Reply(
                failure.kind, f"injected failure {failure.kind}".encode(), failure.headers, "text/plain"
            )
        else:
            try:
                reply = self._reply_for(request)
            except Exception as exc:  # a bug in a test handler: recorded in .errors, answered 500
                with self._lock:
                    self.errors.append(exc)
                reply = Reply(500, f"handler error: {exc!r}".encode(), content_type="text/plain")

        h.send_response(reply.status)
        h.send_header("Content-Type", reply.content_type)
        h.send_header("Content-Length", str(len(reply.body)))
        for name, value in {**reply.headers, **(failure.headers if failure else {})}.items():
            h.send_header(name, value)
        h.end_headers()
        if failure is not None and failure.kind == "truncate":
            h.wfile.write(reply.body[: len(reply.body) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
        h.wfile.write(reply.body)
