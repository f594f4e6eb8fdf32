"""Load test of the web chat: many concurrent chat clients against a served `medcite ui`, as a browser talks to it.

Each simulated client is one browser tab and speaks Gradio's browser protocol (sse_v3): it loads the page
(the app's load events), then asks questions one after another with ``POST /gradio_api/queue/join`` (the
"Ask" button's event, found in ``/config`` by its elem_id) and reads the answer from the session's
``GET /gradio_api/queue/data`` event stream, sending the chat back with the next question as the browser
does. Every other answer it opens the passage behind the first citation (the citation-click event); every
few questions it presses "New chat" (``POST /gradio_api/run/predict``, an unqueued event). A run stops by
itself at its deadline: no new question starts after it, and one in flight is bounded by the request
timeout.

An answer counts as an error unless the event completes successfully and the last chat message is a
composed answer (``mc-answer``) rather than an error message (``mc-error``).

Usage (the server is started here on a free loopback port, with a small library built with the real
embedding model, unless --url names a running one)::

    python -m benchmarks.load_chat --clients 50 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_LIBRARY = ROOT / "tests" / "fixtures" / "library" / "ivig_library.jsonl"
API = "/gradio_api"
REQUEST_TIMEOUT_S = 60.0
TURNS_PER_CHAT = 4

#: Questions the small library answers, a follow-up, an off-topic one (abstention), an emergency, markup.
QUESTIONS: tuple[str, ...] = (
    "Does IVIG help all autoimmune conditions?",
    "and its side effects?",
    "How is Guillain-Barre syndrome treated?",
    "What are the adverse events of high-dose IVIG?",
    "Is off-label IVIG use supported by trials?",
    "What is the capital of France?",
    "Do statins help after a heart attack?",
    "I have crushing chest pain and cannot breathe, should I take IVIG?",
    "What is IVIG? <script>alert(1)</script>",
    "How is IVIG given and at what dose?",
)
_CITE_HREF = re.compile(r'href="#mc-ref-(\d+)-(\d+)-(-?\d+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def rss_kib(pid: int) -> int:
    """Resident set size of a process in KiB, from /proc/PID/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


# --------------------------------------------------------------------------------------------------
# The served app: `medcite ui` as a child process on a free loopback port
# --------------------------------------------------------------------------------------------------


def medcite_exe() -> str:
    return shutil.which("medcite", path=str(Path(sys.executable).parent)) or shutil.which("medcite") or "medcite"


def child_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDCITE_")}
    env.update({"MEDCITE_HOME": str(home), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})
    env.update(extra)
    return env


def build_library(home: Path, source: Path = FIXTURE_LIBRARY, timeout: float = 300) -> None:
    """`medcite ingest` the small fixture library into ``home`` with the real embedding model."""
    done = subprocess.run([medcite_exe(), "ingest", str(source)], env=child_env(home), capture_output=True,
                          text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")


class ServedUI:
    """`medcite ui --port P` as a child process; ``rss_kib()`` reads its memory."""

    def __init__(self, home: Path, log_path: Path, *, port: int | None = None, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> None:
        self.home, self.log_path = home, log_path
        self.port = port or free_port()
        self.env = env or child_env(home)
        self.args = args
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180.0) -> ServedUI:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([medcite_exe(), "ui", "--port", str(self.port), *self.args],
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"medcite ui exited at start: {self.log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"medcite ui did not answer /healthz within {timeout:.0f} s")

    def rss_kib(self) -> int:
        assert self.process is not None
        return rss_kib(self.process.pid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def __enter__(self) -> ServedUI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------------
# The Gradio events a browser sends
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Events:
    ask_fn: int
    ask_trigger: int
    cite_fn: int
    cite_trigger: int
    new_fn: int
    new_trigger: int
    load_fns: tuple[int, ...]


def event_on(config: dict, elem_id: str, trigger: str) -> tuple[int, int]:
    """(fn_index, trigger id) of the ``trigger`` event ("click", "submit"...) of the component ``#elem_id``."""
    target = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)
    for i, dep in enumerate(config["dependencies"]):
        if [target, trigger] in [list(t) for t in dep["targets"]]:
            return dep.get("id", i), target
    raise LookupError(f"no {trigger} event on #{elem_id}")


def find_events(config: dict) -> Events:
    """The "Ask" button's and the citation button's events and the page-load events, from /config."""
    ask_fn, ask_trigger = event_on(config, "mc-send", "click")
    cite_fn, cite_trigger = event_on(config, "mc-cite-btn", "click")
    new_fn, new_trigger = event_on(config, "mc-new", "click")
    loads = tuple(dep.get("id", i) for i, dep in enumerate(config["dependencies"])
                  if any(t[1] == "load" for t in dep["targets"]))
    return Events(ask_fn, ask_trigger, cite_fn, cite_trigger, new_fn, new_trigger, loads)


@dataclass
class LoadResult:
    clients: int
    duration_s: float
    answers: int = 0
    passages: int = 0
    page_loads: int = 0
    new_chats: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0
    rss_kib: list[tuple[int, int]] = field(default_factory=list)  # (answers so far, RSS) samples

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_s) * 1000 if self.latencies_s else float("nan")

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies_s, 95) * 1000

    @property
    def answers_per_s(self) -> float:
        return self.answers / self.elapsed_s if self.elapsed_s else 0.0

    def summary(self) -> dict:
        out = {"clients": self.clients, "duration_s": self.duration_s, "elapsed_s": round(self.elapsed_s, 1),
               "answers": self.answers, "passages_opened": self.passages, "page_loads": self.page_loads,
               "new_chats": self.new_chats,
               "errors": len(self.errors), "p50_ms": round(self.p50_ms, 1), "p95_ms": round(self.p95_ms, 1),
               "answers_per_s": round(self.answers_per_s, 2)}
        if self.rss_kib:
            out["rss_mib_first"] = round(self.rss_kib[0][1] / 1024, 1)
            out["rss_mib_last"] = round(self.rss_kib[-1][1] / 1024, 1)
            out["rss_mib_max"] = round(max(r for _, r in self.rss_kib) / 1024, 1)
        return out


class EventFailed(Exception):
    pass


async def run_event(http: httpx.AsyncClient, base: str, session: str, fn: int, trigger: int | None,
                    data: list) -> list:
    """One event as the browser runs it: join the queue, read the session's stream until it completes."""
    joined = await http.post(f"{base}{API}/queue/join", json={
        "data": data, "event_data": None, "fn_index": fn, "trigger_id": trigger, "session_hash": session})
    if joined.status_code != 200:
        raise EventFailed(f"queue/join answered {joined.status_code}: {joined.text[:200]}")
    event_id = joined.json()["event_id"]
    async with http.stream("GET", f"{base}{API}/queue/data", params={"session_hash": session}) as stream:
        if stream.status_code != 200:
            raise EventFailed(f"queue/data answered {stream.status_code}")
        async for line in stream.aiter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("event_id") not in (None, event_id):
                continue
            kind = message.get("msg")
            if kind == "unexpected_error":
                raise EventFailed(f"unexpected error: {message.get('message')}")
            if kind == "process_completed":
                if not message.get("success"):
                    raise EventFailed(f"event failed: {str(message.get('output'))[:300]}")
                return message["output"]["data"]
    raise EventFailed("the event stream ended before the event completed")


async def run_direct(http: httpx.AsyncClient, base: str, session: str, fn: int, trigger: int | None,
                     data: list) -> list:
    """An unqueued event (``queue=False``), as the browser sends it."""
    answered = await http.post(f"{base}{API}/run/predict", json={
        "data": data, "event_data": None, "fn_index": fn, "trigger_id": trigger, "session_hash": session})
    if answered.status_code != 200:
        raise EventFailed(f"run/predict answered {answered.status_code}: {answered.text[:200]}")
    return answered.json()["data"]


def _last_text(chat: list) -> str:
    content = chat[-1]["content"] if chat else ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


async def _client(index: int, base: str, events: Events, deadline: float, result: LoadResult,
                  questions: tuple[str, ...], http: httpx.AsyncClient, session: str) -> None:
    """One browser tab: load the page, then ask until the deadline, with "New chat" every few questions."""
    try:
        for fn in events.load_fns:  # library statistics and a fresh chat state
            await run_event(http, base, session, fn, None, [])
        result.page_loads += 1
    except (EventFailed, httpx.HTTPError, ValueError, KeyError) as exc:
        result.errors.append(f"page load: {exc!r}")
        return
    chat: list = []
    asked = index  # clients start at different questions
    while time.monotonic() < deadline:
        question = questions[asked % len(questions)]
        asked += 1
        started = time.perf_counter()
        try:
            data = await run_event(http, base, session, events.ask_fn, events.ask_trigger,
                                   [question, chat, None, "both", None, None])
            chat = data[0]
            text = _last_text(chat)
            if "mc-error" in text or "mc-answer" not in text:
                raise EventFailed(f"not an answer: {text[:300]}")
            result.latencies_s.append(time.perf_counter() - started)
            result.answers += 1
            cite = _CITE_HREF.search(text)
            if cite and asked % 2 == 0:  # open the passage behind the first citation, as a click does
                (panel,) = await run_event(http, base, session, events.cite_fn, events.cite_trigger,
                                           ["{}:{}:{}".format(*cite.groups()), None])
                if "mc-passage" not in str(panel):
                    raise EventFailed(f"no passage shown: {str(panel)[:300]}")
                result.passages += 1
            if len(chat) >= 2 * TURNS_PER_CHAT:
                cleared = await run_direct(http, base, session, events.new_fn, events.new_trigger, [])
                if cleared[0] != []:
                    raise EventFailed(f"New chat left {str(cleared[0])[:200]}")
                chat = []
                result.new_chats += 1
        except (EventFailed, httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            result.errors.append(f"{question!r}: {exc!r}")
            chat = []


def new_tabs(n: int) -> list[str]:
    """Session hashes for ``n`` browser tabs (pass the same list to several runs to keep the same tabs)."""
    return [uuid.uuid4().hex[:11] for _ in range(n)]


async def run_load(base: str, *, clients: int, duration_s: float, questions: tuple[str, ...] = QUESTIONS,
                   rss=None, sample_every_s: float = 2.0, tabs: list[str] | None = None) -> LoadResult:
    """``clients`` concurrent chat clients for ``duration_s`` seconds; ``rss()`` (optional) is sampled.

    Each client is one browser tab (``tabs``: their session hashes; default new ones), which loads the page
    and then asks questions until the deadline.
    """
    tabs = tabs or new_tabs(clients)
    assert len(tabs) >= clients
    result = LoadResult(clients=clients, duration_s=duration_s)
    limits = httpx.Limits(max_connections=clients * 2 + 4, max_keepalive_connections=clients * 2)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, limits=limits) as http:
        config = (await http.get(f"{base}/config")).json()
        events = find_events(config)
        started = time.monotonic()
        deadline = started + duration_s

        async def sampler() -> None:
            while time.monotonic() < deadline:
                result.rss_kib.append((result.answers, rss()))
                await asyncio.sleep(sample_every_s)

        tasks = [asyncio.create_task(_client(i, base, events, deadline, result, questions, http, tabs[i]))
                 for i in range(clients)]
        if rss is not None:
            tasks.append(asyncio.create_task(sampler()))
        # Bounded: nothing starts after the deadline and each request has its own timeout.
        done, pending = await asyncio.wait(tasks, timeout=duration_s + 3 * REQUEST_TIMEOUT_S)
        for task in pending:
            task.cancel()
            result.errors.append("a client did not stop by itself")
        for task in done:
            if task.exception() is not None:
                result.errors.append(f"client crashed: {task.exception()!r}")
        result.elapsed_s = time.monotonic() - started
        if rss is not None:
            result.rss_kib.append((result.answers, rss()))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--url", help="A running MedCite UI (default: start one with a small library here).")
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
    args = parser.parse_args(argv)
    if args.url:
        result = asyncio.run(run_load(args.url.rstrip("/"), clients=args.clients, duration_s=args.duration))
    else:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="medcite-load-") as tmp:
            home = Path(tmp) / "home"
            build_library(home)
            with ServedUI(home, Path(tmp) / "ui.log") as ui:
                result = asyncio.run(run_load(ui.url, clients=args.clients, duration_s=args.duration,
                                              rss=ui.rss_kib))
    summary = result.summary()
    print(json.dumps(summary, indent=2) if args.json else "  ".join(f"{k}={v}" for k, v in summary.items()))
    for error in result.errors[:10]:
        print("error:", error, file=sys.stderr)
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
