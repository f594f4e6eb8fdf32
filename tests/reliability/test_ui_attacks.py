"""A running `medcite ui` attacked over HTTP (issue 12, findings 1, 4, 5, 9, 10 and 11).

- Payload paths: the admin-upload event names server files (the feedback database in MEDCITE_HOME, a file in
  no upload folder, /proc/self/environ) with and without the admin password: refused, nothing copied into
  any temp dir, nothing added to the library.
- Temp files: everything the server writes lives in private (0700) folders under its TMPDIR; a chat export
  is written only when asked for; SIGTERM removes the folders.
- Limits: an upload over MEDCITE_UI_MAX_UPLOAD_MB is refused; a huge question is trimmed before it is stored
  in the session or in feedback; a forged feedback index stores nothing.
- Uploads: two uploads with one name are two documents; an upload during a CLI ingest waits for the writer
  lock and both end answerable.
- Without an admin password the upload route is closed; /healthz says degraded (503) with vectors missing.

The server embeds with the tiny model of test_faults, so that a CLI ingest can share its library.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import re
import signal
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from benchmarks.load_chat import API, ServedUI, child_env, event_on, run_event

from medcite.corpus.library import Library
from medcite.settings import Settings
from tests.ingest.test_pipeline import doc, jsonl
from tests.reliability.test_faults import tiny_model  # noqa: F401 - a fixture
from tests.reliability.test_writers import assert_whole, ingest_process, long_text

pytestmark = pytest.mark.integration

ADMIN = "upload-admin-pw"
MARKER = "Zq9marker"  # in the files an attacker names: wherever it shows up, a file leaked


class Lab:
    def __init__(self, root: Path, model: str) -> None:
        self.root, self.model = root, model
        self.home, self.tmp = root / "home", root / "server-tmp"
        self.tmp.mkdir(parents=True)
        self.settings = Settings(home=self.home, embedding_model=model, _env_file=None)
        self.env = child_env(self.home, MEDCITE_EMBEDDING_MODEL=model, MEDCITE_UI_ADMIN_PASSWORD=ADMIN,
                             MEDCITE_UI_MAX_UPLOAD_MB="1", MEDCITE_MAX_QUESTION_CHARS="300", TMPDIR=str(self.tmp))
        self.server: ServedUI | None = None

    def leaked(self) -> list[str]:
        """Files under the server's TMPDIR (and /tmp/gradio) that hold the attacker's marker."""
        found = []
        for top in (self.tmp, Path("/tmp/gradio")):
            for path in top.rglob("*") if top.exists() else []:
                try:
                    if path.is_file() and MARKER.encode() in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    pass
        return found


@pytest.fixture(scope="module")
def lab(tmp_path_factory, tiny_model):  # noqa: F811
    lab = Lab(tmp_path_factory.mktemp("ui-attacks"), tiny_model)
    src = jsonl(lab.root / "src" / "library.jsonl", [doc(i) for i in range(20)])
    assert ingest_process(lab.home, tiny_model, src).wait(300) == 0
    (lab.home / "secret.md").write_text(f"# Secret\n\nThe password is {MARKER}.\n", encoding="utf-8")
    (lab.root / "elsewhere.md").write_text(f"# Elsewhere\n\nNot uploaded {MARKER}.\n", encoding="utf-8")
    lab.server = ServedUI(lab.home, lab.root / "ui.log", env=lab.env).start()
    yield lab
    lab.server.stop()


class AsciiJSONClient(httpx.AsyncClient):
    """Sends JSON with ``\\uXXXX`` escapes, as a browser's JSON.stringify does: a lone surrogate arrives."""

    async def post(self, url, *, json=None, **kwargs):
        if json is not None:
            kwargs["content"] = jsonlib.dumps(json).encode()
            kwargs["headers"] = {"content-type": "application/json"}
        return await super().post(url, **kwargs)


def call(lab: Lab, elem_id: str, trigger: str, data: list, session: str = "attack0001"):
    async def go():
        async with AsciiJSONClient(timeout=300) as http:
            config = (await http.get(lab.server.url + "/config")).json()
            fn, target = event_on(config, elem_id, trigger)
            try:
                return await run_event(http, lab.server.url, session, fn, target, data)
            except Exception as exc:  # noqa: BLE001 - a refused event is a result here
                return exc
    return asyncio.run(go())


def upload(lab: Lab, name: str, content: bytes) -> dict:
    reply = httpx.post(f"{lab.server.url}{API}/upload", files=[("files", (name, content))], timeout=60)
    assert reply.status_code == 200, reply.text
    return {"path": reply.json()[0], "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def named(path: str) -> dict:
    return {"path": path, "orig_name": Path(path).name, "meta": {"_type": "gradio.FileData"}}


def server_files(lab: Lab) -> list[Path]:
    """What the server left in its TMPDIR; chromadb's own ``.ses`` (a time stamp and a random id) aside."""
    return [p for p in lab.tmp.iterdir() if p.name != ".ses"]


def documents(lab: Lab) -> set[str]:
    with Library(lab.settings, readonly=True) as lib:
        return set(lib.ledger.hashes())


class TestPayloadPaths:
    @pytest.mark.parametrize("password", ["wrong", ADMIN])
    def test_server_files_named_in_the_upload_event_are_refused(self, lab, password):
        """Old code: with the password any server file was ingested and quoted; without it, the file was still
        copied world-readable into /tmp/gradio (it worked for /proc/self/environ)."""
        before = documents(lab)
        targets = [str(lab.home / "secret.md"), str(lab.root / "elsewhere.md"), "/proc/self/environ",
                   str(lab.home / "feedback.sqlite")]
        for target in targets:
            result = call(lab, "mc-admin-add", "click", [password, [named(target)], "guideline"])
            assert isinstance(result, Exception) or not re.search(r"[1-9]\d* added", str(result[0])), (target, result)
        assert documents(lab) == before
        assert not lab.leaked()
        environ = Path(f"/proc/{lab.server.process.pid}/environ").read_bytes()
        for path in lab.tmp.rglob("*"):
            assert not (path.is_file() and environ[:200] in path.read_bytes()), path

    def test_the_private_temp_dirs_are_private(self, lab):
        made = sorted(p.name.split("-")[1] for p in server_files(lab))
        assert made == ["gradio", "ui"], made
        assert all(p.stat().st_mode & 0o777 == 0o700 for p in server_files(lab))


class TestUploads:
    def test_two_uploads_of_one_name_are_two_documents(self, lab):
        """Old code: the second upload overwrote the stored file and the document ("1 updated")."""
        before = documents(lab)
        for text in ("Zinc lozenges shortened colds by one day.", "Vitamin C did not shorten colds."):
            file = upload(lab, "colds.md", f"# Colds\n\n{text}\n".encode())
            (note, _) = call(lab, "mc-admin-add", "click", [ADMIN, [file], "guideline"])
            assert "1 added" in note, note
        stored = sorted(p.name for p in (lab.home / "sources" / "uploads").iterdir())
        assert stored == ["colds-2.md", "colds.md"]
        assert documents(lab) - before == {"file:colds.md", "file:colds-2.md"}

    def test_an_upload_over_the_limit_is_refused(self, lab):
        big = b"# Big\n\n" + b"a " * 700_000
        reply = httpx.post(f"{lab.server.url}{API}/upload", files=[("files", ("big.md", big))], timeout=60)
        assert reply.status_code in (400, 413), reply.status_code

    def test_an_upload_during_a_cli_ingest_waits_and_both_are_kept(self, lab):
        src = jsonl(lab.root / "cli" / "more.jsonl", [doc(i, long_text(i)) for i in range(500, 600)])
        proc = ingest_process(lab.home, lab.model, src, MEDCITE_INGEST_BATCH_DOCUMENTS="64")
        file = upload(lab, "measles.md", b"# Measles\n\nTwo doses of MMR vaccine prevent measles.\n")
        (note, _) = call(lab, "mc-admin-add", "click", [ADMIN, [file], "guideline"])
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and "100 added" in out, err
        assert "1 added" in note, note
        assert_whole(lab.settings, len(documents(lab)))


class TestLimits:
    def test_a_huge_question_is_trimmed_before_it_is_kept(self, lab):
        question = "Does treatment 3 reduce symptoms? " + "x" * 200_000
        result = call(lab, "mc-send", "click", [question, [], None, "both", None, None], session="huge0001")
        chat = result[0]
        assert len(str(chat[0]["content"])) < 2000
        call(lab, "mc-up", "click", [None], session="huge0001")
        with closing(sqlite3.connect(lab.home / "feedback.sqlite")) as conn:
            lengths = [n for (n,) in conn.execute("SELECT length(question) FROM feedback WHERE session != ''")]
        assert lengths and max(lengths) <= 300

    def test_a_lone_surrogate_does_not_break_the_tab(self, lab):
        first = call(lab, "mc-send", "click", ["Does treatment \ud800 help?", [], None, "both", None, None],
                     session="surrogate1")
        assert not isinstance(first, Exception), first
        again = call(lab, "mc-send", "click", ["Does treatment 4 help?", [], None, "both", None, None],
                     session="surrogate1")
        assert not isinstance(again, Exception), again

    def test_a_chat_export_is_written_only_when_asked_for(self, lab):
        """Old code: a world-readable copy of the growing chat in /tmp/gradio after every answer, never deleted."""
        def copies() -> list[Path]:
            return [p for p in lab.tmp.rglob("*") if p.is_file() and b"Does treatment 0 reduce" in p.read_bytes()]

        for n in range(3):
            call(lab, "mc-send", "click", [f"Does treatment {n} reduce symptoms?", [], None, "both", None, None],
                 session="exports01")
        assert copies() == []
        (file,) = call(lab, "mc-download", "click", [None], session="exports01")
        assert file["value"]["url"] and len(copies()) == 1
        url = file["value"]["url"]
        reply = httpx.get(lab.server.url + url[url.index("/gradio_api/"):], timeout=30)
        assert reply.status_code == 200 and b"Does treatment 2 reduce" in reply.content


def test_sigterm_removes_the_private_temp_dir(lab):
    assert server_files(lab)
    lab.server.process.send_signal(signal.SIGTERM)
    lab.server.process.wait(60)
    assert server_files(lab) == [], list(lab.tmp.rglob("*"))[:10]
    lab.server.start()  # for any test after this one


# Without an admin password; health ---------------------------------------------------------------------------
def test_the_upload_route_is_closed_when_adding_files_is_off(tmp_path):
    from tests.ui.conftest import fake_ui_server

    with fake_ui_server(tmp_path / "home") as server:
        reply = httpx.post(f"{server.url}{API}/upload", files=[("files", ("a.md", b"# A\n\nText.\n"))], timeout=30)
        assert reply.status_code == 403
        assert not any(server.ctx.upload_dir.rglob("a.md"))


def test_healthz_is_degraded_when_vectors_are_missing(tmp_path):
    from tests.ui.conftest import fake_ui_server

    with fake_ui_server(tmp_path / "home") as server:
        assert httpx.get(server.url + "/healthz", timeout=30).status_code == 200
        with Library(server.ctx.settings) as lib:
            lib.vectors.delete_ids(sorted(lib.ledger.chunk_documents())[:2])
        reply = httpx.get(server.url + "/healthz", timeout=30)
        assert reply.status_code == 503 and reply.json()["status"] == "degraded"
        assert "no vector" in reply.json()["problems"][0]


def test_healthz_is_degraded_when_chroma_is_unreachable(tmp_path, chroma_server):
    from tests.ui.conftest import fake_ui_server

    with fake_ui_server(tmp_path / "home", chroma_url=chroma_server.url) as server:
        assert httpx.get(server.url + "/healthz", timeout=30).status_code == 200
        chroma_server.stop()
        reply = httpx.get(server.url + "/healthz", timeout=60)
        assert reply.status_code == 503 and "unreachable" in reply.json()["problems"][0]



def test_login_guessing_is_slowed(tmp_path):
    """Old code: unlimited login attempts."""
    from tests.ui.conftest import fake_ui_server

    with fake_ui_server(tmp_path / "home", auth="reader:right-password") as server:
        def login(password: str) -> int:
            return httpx.post(server.url + "/login", data={"username": "reader", "password": password},
                              timeout=30).status_code

        assert login("right-password") == 200
        assert [login(f"guess-{i}") for i in range(5)] == [400] * 5
        assert login("right-password") == 400  # the minute after five wrong guesses refuses even the right one
