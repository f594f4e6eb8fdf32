"""Fixtures of the UI tests: a small library (the IVIG fixture and a document full of HTML), a running UI
server on a free loopback port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest

from medcite.settings import Settings, get_settings
from tests.conftest import FIXTURES, FakeEmbedder, free_port

IVIG_LIBRARY = FIXTURES / "library" / "ivig_library.jsonl"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
CHROMIUM = Path(os.environ.get("MEDCITE_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-quic", "--disable-sync"]
ADMIN_PASSWORD = "maintainer-secret"
XSS_QUESTION = "Does sunscreen prevent melanoma?"
# A document whose title, source and text hold markup: it must show as text and never run.
XSS_DOCUMENT = {
    "id": "pubmed:9000099",
    "title": "Sunscreen and melanoma <script>window.__pwned = 1</script>",
    "kind": "research",
    "source": "Skin Journal <img src=x onerror=\"window.__pwned=1\">",
    "url": "javascript:window.__pwned=1",
    "year": 2018,
    "metadata": {"evidence_label": "Cohort Study"},
    "text": "## Results\nDaily sunscreen use reduced the incidence of invasive melanoma in adults "
            "<script>window.__pwned = 1</script> over ten years. Sunscreen users with fair skin "
            "<img src=x onerror=\"window.__pwned=1\"> benefited most from daily sunscreen against melanoma.",
}


def write_xss_library(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "xss.jsonl"
    path.write_text(json.dumps(XSS_DOCUMENT) + "\n", encoding="utf-8")
    return path


def build_library(settings: Settings, folder: Path) -> None:
    from medcite.corpus.library import Library
    from medcite.ingest.pipeline import IngestPipeline

    with Library(settings) as library:
        report = IngestPipeline(settings, library, FakeEmbedder()).ingest_paths(
            [IVIG_LIBRARY, write_xss_library(folder)])
    assert not report.failed, report.failed


@contextlib.contextmanager
def fake_ui_server(home: Path, *, admin_password: str | None = None, max_sessions: int | None = None,
                   chroma_url: str | None = None, auth: str | None = None):
    """The UI in this process on a free loopback port, over the small library, with FakeEmbedder."""
    from medcite.qa.service import reset_service
    from medcite.ui.app import Server

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDCITE_HOME", str(home))
        mp.setenv("HF_HUB_OFFLINE", "1")
        for name in ("MEDCITE_CHROMA_URL", "MEDCITE_EMBEDDING_MODEL", "MEDCITE_UI_AUTH", "MEDCITE_ENGINE",
                     "MEDCITE_UI_ADMIN_PASSWORD"):
            mp.delenv(name, raising=False)
        if admin_password:
            mp.setenv("MEDCITE_UI_ADMIN_PASSWORD", admin_password)
        if chroma_url:
            mp.setenv("MEDCITE_CHROMA_URL", chroma_url)
        if auth:
            mp.setenv("MEDCITE_UI_AUTH", auth)
        mp.setattr("medcite.ingest.pipeline.Embedder", FakeEmbedder)
        mp.setattr("medcite.qa.service.Embedder", FakeEmbedder)
        if max_sessions is not None:
            mp.setattr("medcite.ui.app.MAX_SESSIONS", max_sessions)
        get_settings.cache_clear()
        reset_service()
        settings = get_settings()
        build_library(settings, home / "incoming")
        server = Server("127.0.0.1", free_port(), settings)
        server.start()
        try:
            yield server
        finally:
            server.stop()
            reset_service()
            get_settings.cache_clear()


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory):
    """One UI server per test module, on its own MEDCITE_HOME with the small library; FakeEmbedder."""
    with fake_ui_server(tmp_path_factory.mktemp("ui-home"), admin_password=ADMIN_PASSWORD) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (never a downloaded browser: `playwright install` is not used)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]' installs playwright")
    exe = CHROMIUM if CHROMIUM.exists() else (Path(shutil.which("chromium") or "/nonexistent"))
    if not exe.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: `make ui-deps` (apt-get install -y chromium)")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(exe), headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
