"""What MedCite exposes: where the web chat listens, which files it serves, what its logs say.

- Binding: `medcite ui` listens on 127.0.0.1 by default (read from /proc/net/tcp of the running server);
  any other address without MEDCITE_UI_AUTH is refused with a clear message and a non-zero exit, including
  host names that merely start with "127.".
- Files: no path traversal through Gradio's file routes (raw, URL-encoded, double-encoded, the library's
  ledger, the feedback database, /proc/self/environ which holds the API keys): all refused, nothing leaks.
- Logs: with MEDCITE_NCBI_API_KEY, MEDCITE_LLM_API_KEY and MEDCITE_UI_ADMIN_PASSWORD set, `medcite ingest
  --pmid` (against a local E-utilities server that checks the key arrives; also at -vv, and failing),
  `medcite ask` (the LLM engine against a local server that answers 401 quoting the key back, as OpenAI
  does; the answer falls back to the offline engine) and `medcite ui` (a question, a citation click, a
  rating and a comment, traversal attempts) never print a key or the admin password, and print no question
  text at the default log level. The answer itself is the intended output: in `ask --json` the question
  appears only in its "question" field.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from benchmarks.load_chat import (
    ServedUI,
    child_env,
    event_on,
    find_events,
    free_port,
    medcite_exe,
    run_direct,
    run_event,
)
from click.testing import CliRunner

from medcite.cli.main import cli
from medcite.settings import Settings
from tests.httpserver import LocalHTTPServer, Recorded, Reply
from tests.ingest.test_eutils import eutils_handler

pytestmark = pytest.mark.integration

NCBI_KEY = "ncbi-SECRET-5d1f0a9c3e77"
LLM_KEY = "sk-llm-SECRET-7e2b44c19a05"
ADMIN_PASSWORD = "admin-SECRET-b81c66d2"
SECRETS = (NCBI_KEY, LLM_KEY, ADMIN_PASSWORD)
MARKER = "Qx7zebra"  # a word no document holds: where it shows up, the question text did
QUESTION = f"Does home blood pressure monitoring help adults with hypertension {MARKER}?"
UI_QUESTION = f"Does home blood pressure monitoring lower blood pressure {MARKER}?"
PMIDS = "39000001,39000002,39000003,39000004,39000005,39000006"
COMMAND_TIMEOUT_S = 240


def assert_clean(text: str, where: str, *, question: bool = True) -> None:
    """No secret, whole or in recognisable part (its head or its tail), and no question text."""
    for secret in SECRETS:
        for part in (secret, secret[:12], secret[-8:]):
            assert part not in text, f"{where} shows (part of) a secret: {part!r}"
    if question:
        assert MARKER not in text, f"{where} shows the question text"


def llm_handler(request: Recorded) -> Reply:
    """An OpenAI-compatible server that rejects the key and, like OpenAI, quotes it back in the error."""
    sent = next((v for k, v in request.headers.items() if k.lower() == "authorization"), "")
    body = {"error": {"message": f"Incorrect API key provided: {sent.removeprefix('Bearer ')}",
                      "type": "invalid_request_error", "code": "invalid_api_key"}}
    return Reply(401, json.dumps(body).encode(), content_type="application/json")


@pytest.fixture(scope="module")
def servers():
    with LocalHTTPServer(handler=eutils_handler) as eutils, LocalHTTPServer(handler=llm_handler) as llm:
        yield eutils, llm


@pytest.fixture(scope="module")
def env(tmp_path_factory, servers) -> dict[str, str]:
    eutils, llm = servers
    home = tmp_path_factory.mktemp("exposure-home")
    return child_env(home, MEDCITE_EUTILS_URL=eutils.url + "/eutils/", MEDCITE_NCBI_API_KEY=NCBI_KEY,
                     MEDCITE_LLM_API_KEY=LLM_KEY, MEDCITE_LLM_BASE_URL=llm.url + "/v1", MEDCITE_LLM_MODEL="stub",
                     MEDCITE_UI_ADMIN_PASSWORD=ADMIN_PASSWORD, MEDCITE_EUTILS_REQUESTS_PER_SECOND="1000",
                     MEDCITE_HTTP_BACKOFF_S="0.01")


def medcite(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([medcite_exe(), *args], env=env, capture_output=True, text=True,
                          timeout=COMMAND_TIMEOUT_S, check=False)


@pytest.fixture(scope="module")
def ingested(env, servers) -> subprocess.CompletedProcess:
    """`medcite ingest --pmid` at the default log level: the small library every other test here uses."""
    eutils, _ = servers
    done = medcite(env, "ingest", "--pmid", PMIDS)
    assert done.returncode == 0, done.stderr
    assert {r.params.get("api_key") for r in eutils.requests} == {NCBI_KEY}, "the key must have been in play"
    return done


@pytest.fixture(scope="module")
def asked(env, ingested) -> subprocess.CompletedProcess:
    """`medcite ask --json --engine llm` at the default log level; the LLM server rejects the key."""
    done = medcite(env, "ask", "--json", "--engine", "llm", QUESTION)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def ui(env, ingested, tmp_path_factory):
    log = tmp_path_factory.mktemp("exposure-ui") / "ui.log"
    with ServedUI(Path(env["MEDCITE_HOME"]), log, env=env) as served:
        yield served


@pytest.fixture(scope="module")
def chatted(ui) -> tuple[str, str, str, str]:
    """One visit to the web chat: a question, a citation click, a rating with a comment, a new chat.
    Returns the answer's HTML, the passage panel, the feedback note and the URL of the chat download."""

    async def visit() -> tuple[str, str, str, str]:
        async with httpx.AsyncClient(timeout=120) as http:
            config = (await http.get(ui.url + "/config")).json()
            events = find_events(config)
            session = "exposure0001"
            for fn in events.load_fns:
                await run_event(http, ui.url, session, fn, None, [])
            data = await run_event(http, ui.url, session, events.ask_fn, events.ask_trigger,
                                   [UI_QUESTION, [], None, "both", None, None])
            answer = str(data[0][-1]["content"])
            dl_fn, dl_trigger = event_on(config, "mc-download", "click")
            (exported,) = await run_event(http, ui.url, session, dl_fn, dl_trigger, [None])
            download = exported["value"]["url"]
            cite = re.search(r'href="#mc-ref-(\d+)-(\d+)-(-?\d+)"', answer)
            panel = ""
            if cite:
                (panel,) = await run_event(http, ui.url, session, events.cite_fn, events.cite_trigger,
                                           ["{}:{}:{}".format(*cite.groups()), None])
            up_fn, up_trigger = event_on(config, "mc-up", "click")
            await run_event(http, ui.url, session, up_fn, up_trigger, [None])
            send_fn, send_trigger = event_on(config, "mc-comment-send", "click")
            _, note = await run_event(http, ui.url, session, send_fn, send_trigger,
                                      [f"Clear answer, thanks {MARKER}", None])
            await run_direct(http, ui.url, session, events.new_fn, events.new_trigger, [])
            return answer, str(panel), str(note), download

    return asyncio.run(visit())


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on ``port``, from /proc/net/tcp and tcp6."""
    found = set()
    for name, width in (("tcp", 8), ("tcp6", 32)):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                raw = bytes.fromhex(address)
                if width == 8:
                    found.add(".".join(str(b) for b in raw[::-1]))
                else:
                    words = [raw[i:i + 4][::-1].hex() for i in range(0, 16, 4)]
                    found.add(":".join(words))
    return found


# --------------------------------------------------------------------------------------------------
# Binding
# --------------------------------------------------------------------------------------------------


class TestBinding:
    def test_the_default_bind_is_loopback_only(self, ui):
        from medcite.cli.ui import ui as ui_command
        from medcite.ui.app import Server

        host = next(p for p in ui_command.params if p.name == "host")
        assert host.default == "127.0.0.1"
        assert Server.__init__.__defaults__[0] == "127.0.0.1"
        assert listening_addresses(ui.port) == {"127.0.0.1"}, "medcite ui must listen on loopback only"

    def test_a_public_bind_without_login_is_refused(self, env):
        port = free_port()
        public = {k: v for k, v in env.items() if k != "MEDCITE_UI_AUTH"}
        done = subprocess.run([medcite_exe(), "ui", "--host", "0.0.0.0", "--port", str(port)], env=public,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode != 0
        assert "refusing to serve on 0.0.0.0 without a login" in done.stderr and "MEDCITE_UI_AUTH" in done.stderr
        assert "Traceback" not in done.stderr and listening_addresses(port) == set()

    @pytest.mark.parametrize("host", ["::", "0", "192.168.1.5", "127.example.com", "medcite.example.org"])
    def test_every_other_address_is_refused_too(self, host, monkeypatch):
        monkeypatch.delenv("MEDCITE_UI_AUTH", raising=False)
        result = CliRunner().invoke(cli, ["ui", "--host", host, "--port", str(free_port())])
        assert result.exit_code == 1 and "without a login" in result.output and "MEDCITE_UI_AUTH" in result.output

    def test_a_malformed_login_is_refused(self, monkeypatch):
        monkeypatch.setenv("MEDCITE_UI_AUTH", "admin-without-password")
        result = CliRunner().invoke(cli, ["ui", "--host", "0.0.0.0", "--port", str(free_port())])
        assert result.exit_code == 1 and "user:password" in result.output
        assert "admin-without-password" not in result.output


# --------------------------------------------------------------------------------------------------
# File routes
# --------------------------------------------------------------------------------------------------


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """GET with the path sent exactly as written (no client-side normalisation of ``..`` or escapes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def traversal_paths(settings: Settings) -> list[str]:
    ledger, feedback = str(settings.ledger_path), str(Path(settings.home) / "feedback.sqlite")
    up = "../" * 12
    paths = []
    for prefix in ("/gradio_api/file=", "/file=", "/gradio_api/file/", "/gradio_api/upload/"):
        paths += [
            prefix + "/etc/passwd",
            prefix + up + "etc/passwd",
            prefix + quote(up + "etc/passwd", safe=""),  # %2e%2e%2f...
            prefix + up.replace("../", "%2e%2e%2f") + "etc%2fpasswd",
            prefix + up.replace("../", "%252e%252e%252f") + "etc%252fpasswd",  # double-encoded
            prefix + up.replace("../", "..%5c") + "etc%5cpasswd",  # backslashes
            prefix + "/proc/self/environ",
            prefix + quote("/proc/self/environ", safe=""),
            prefix + ledger,
            prefix + quote(ledger, safe=""),
            prefix + feedback,
            prefix + up + feedback.lstrip("/"),
            prefix + str(Path.home() / ".bashrc"),
        ]
    paths += ["/static/" + up + "etc/passwd", "/assets/" + up + "etc/passwd", "/" + up + "etc/passwd",
              "/gradio_api/" + up + "etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/theme.css/../../../etc/passwd",
              "/gradio_api/file=" + str(Path(settings.home)), "/gradio_api/file=" + str(settings.library_dir)]
    return paths


class TestFileRoutes:
    def test_no_path_traversal(self, ui, env, chatted):
        settings = Settings(home=Path(env["MEDCITE_HOME"]), _env_file=None)
        assert settings.ledger_path.exists() and (Path(settings.home) / "feedback.sqlite").exists()
        served = []
        for path in traversal_paths(settings):
            status, body = raw_get(ui.port, path)
            leaked = (b"root:" in body or body.startswith(b"SQLite format 3") or b"MEDCITE_" in body
                      or NCBI_KEY.encode() in body or b"PATH=" in body)
            assert not leaked, f"{path} leaked a file ({status})"
            assert status < 500, f"{path} answered {status}"
            if status == 200:
                served.append(path)
        # A 200 may only be the app's own page (the SPA answers unknown paths), never file contents.
        for path in served:
            status, body = raw_get(ui.port, path)
            assert b"<html" in body[:2000].lower() or body.strip() in (b"", b"{}"), (path, body[:200])
        print(f"{len(traversal_paths(settings))} traversal attempts, {len(served)} answered 200 with the app's page")
        assert ui.process.poll() is None, "the server must survive the attempts"

    def test_the_app_still_serves_its_own_files(self, ui, chatted):
        """The positive control: the file route works for what the app made (this visitor's chat download)."""
        status, body = raw_get(ui.port, "/")
        assert status == 200 and b"MedCite" in body
        download = chatted[3]
        status, body = raw_get(ui.port, download[download.index("/gradio_api/"):])
        assert status == 200 and MARKER.encode() in body
        assert json.loads(raw_get(ui.port, "/healthz")[1])["documents"] >= 5


# --------------------------------------------------------------------------------------------------
# Logs and output
# --------------------------------------------------------------------------------------------------


class TestLogs:
    def test_ingest_from_pubmed_logs_no_key(self, ingested):
        assert "5 added" in ingested.stdout
        assert_clean(ingested.stdout + ingested.stderr, "medcite ingest --pmid")

    def test_debug_logging_of_a_pubmed_search_shows_no_key(self, env, ingested, servers):
        eutils, _ = servers
        before = len(eutils.requests)
        done = medcite(env, "-vv", "ingest", "--pubmed", "hypertension", "--pmid", "39000001")
        assert done.returncode == 0, done.stderr
        assert "esearch.fcgi" in done.stderr and "efetch.fcgi" in done.stderr, "requests are logged at -vv"
        assert {r.params.get("api_key") for r in eutils.requests[before:]} == {NCBI_KEY}
        assert_clean(done.stdout + done.stderr, "medcite -vv ingest --pubmed", question=False)

    def test_a_failing_pubmed_shows_no_key_in_its_error(self, env, ingested, servers):
        eutils, _ = servers
        eutils.fail(50, 500)
        try:
            done = medcite(env, "-v", "ingest", "--pmid", "39000003", "--json")
        finally:
            eutils.fail(0)
            eutils._failures.clear()
        assert done.returncode != 0 and "500" in done.stdout + done.stderr
        assert_clean(done.stdout + done.stderr, "medcite ingest against a failing E-utilities", question=False)

    def test_ask_logs_neither_key_nor_question(self, asked):
        """`medcite ask` with the LLM engine (its key in play; the offline answer composes the fallback)."""
        assert_clean(asked.stderr, "medcite ask (stderr)")
        result = json.loads(asked.stdout)
        assert result["question"] == QUESTION  # the intended output, and the only place the question shows
        rest = {k: v for k, v in result.items() if k != "question"}
        assert_clean(json.dumps(rest, ensure_ascii=False), "medcite ask --json (all but the question field)")

    def test_ask_hides_the_llm_key_the_server_quotes_back(self, asked, servers):
        _, llm = servers
        sent = [v for r in llm.requests for k, v in r.headers.items() if k.lower() == "authorization"]
        assert sent and set(sent) == {f"Bearer {LLM_KEY}"}, "the key must have been in play"
        result = json.loads(asked.stdout)
        assert result["engine"] == "llm-fallback"
        assert "AuthenticationError" in result["answer_markdown"]  # the reason is named, not its message
        assert "**References**" in result["answer_markdown"] or result["abstained"]

    def test_the_web_chat_logs_neither_key_nor_question(self, ui, chatted):
        answer, panel, note, _ = chatted
        assert "mc-answer" in answer and "mc-error" not in answer
        assert "mc-passage" in panel or "mc-abstain" in answer
        assert "comment" in note and "saved" in note
        log = ui.log_path.read_text(errors="replace")
        assert_clean(log, "the medcite ui log")
        assert "Traceback" not in log, log[-3000:]


@pytest.mark.skipif(sys.platform != "linux", reason="/proc is Linux")
def test_the_keys_really_are_in_the_servers_environment(ui):
    """Sanity check of the set-up: the keys are in the server's environment (so a leak would be possible)."""
    environ = Path(f"/proc/{ui.process.pid}/environ").read_bytes()
    assert NCBI_KEY.encode() in environ and LLM_KEY.encode() in environ
    assert os.environ.get("MEDCITE_NCBI_API_KEY") != NCBI_KEY
