"""The web chat under load: many concurrent chat clients speaking Gradio's browser protocol (see
``benchmarks/load_chat.py``), against a real server on a free loopback port.

- ``test_short_load`` (default run): 8 clients for 10 s against the in-process server with the small library
  and the FakeEmbedder: every question gets a composed answer, every citation click a passage, no errors.
- ``test_sessions_are_bounded``: Gradio keeps every browser session's state (a copy of all component configs,
  ~0.3 MB here) until 10,000 sessions; the app caps it at ``MAX_SESSIONS`` (least recently used forgotten).
- ``test_a_long_chat_does_not_pile_up_components``: one tab asking on and on keeps one copy of each answer
  panel in its session (it kept one more per question for three panels: ~40 KB a question, for good).
- ``test_sustained_load`` (slow): `medcite ui` as a child process with a library built by the real embedding
  model, 50 clients (the same 50 tabs throughout) for 60 s: no errors; p50/p95 latency and answers/s
  printed; the server's RSS (/proc/PID/status) grows less than 10% over at least 1,000 questions after a
  warm-up.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from benchmarks.load_chat import ServedUI, build_library, find_events, new_tabs, run_event, run_load

from tests.ui.conftest import fake_ui_server

MAX_RSS_GROWTH = 0.10
MEMORY_QUESTIONS = 1000


def report(title: str, result) -> None:
    summary = result.summary()
    print(f"\n{title}: " + "  ".join(f"{k}={v}" for k, v in summary.items()))
    for error in result.errors[:10]:
        print("  error:", error)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The UI in this process on a free loopback port, the small library, FakeEmbedder (as tests/ui)."""
    # Few sessions, so test_sessions_are_bounded can go past the cap.
    with fake_ui_server(tmp_path_factory.mktemp("load-home"), max_sessions=20) as server:
        yield server


def state_holder(server):
    mounted = next(r.app for r in server.app.routes if hasattr(getattr(r, "app", None), "state_holder"))
    return mounted.state_holder


@pytest.mark.integration
def test_short_load(served):
    result = asyncio.run(run_load(served.url, clients=8, duration_s=10))
    report("short load (in-process server, FakeEmbedder)", result)
    assert result.errors == []
    assert result.answers >= 8 and result.passages >= 1 and result.page_loads == 8
    assert result.elapsed_s < 10 + 60, "the run must stop by itself soon after its deadline"


@pytest.mark.integration
def test_sessions_are_bounded(served):
    """More browser sessions than the cap: the oldest are forgotten, and a forgotten tab still gets answers."""
    holder = state_holder(served)
    assert holder.capacity == 20

    async def open_tabs(n: int) -> list[str]:
        config = httpx.get(served.url + "/config", timeout=10).json()
        loads = [dep["id"] for dep in config["dependencies"] if any(t[1] == "load" for t in dep["targets"])]
        sessions = [f"tab{i:04d}{time.monotonic_ns() % 10**6}" for i in range(n)]
        async with httpx.AsyncClient(timeout=30) as http:
            for session in sessions:
                for fn in loads:
                    await run_event(http, served.url, session, fn, None, [])
        return sessions

    sessions = asyncio.run(open_tabs(30))
    assert len(holder.session_data) <= 20
    assert sessions[0] not in holder.session_data and sessions[-1] in holder.session_data

    async def ask_again(session: str) -> str:  # the forgotten first tab asks a question: a fresh chat, answered
        async with httpx.AsyncClient(timeout=60) as http:
            events = find_events((await http.get(served.url + "/config")).json())
            data = await run_event(http, served.url, session, events.ask_fn, events.ask_trigger,
                                   ["Does IVIG help all autoimmune conditions?", [], None, "both", None, None])
        assert len(data[0]) == 2, "the forgotten chat's history must not come back"
        return str(data[0][-1]["content"])

    answer = asyncio.run(ask_again(sessions[0]))
    assert "mc-answer" in answer and "mc-error" not in answer and "mc-ref-0-1-" in answer


@pytest.mark.integration
def test_a_long_chat_does_not_pile_up_components(served):
    """Gradio replaces a component on every gr.update() and re-registers the replacement in the session under
    a new id when a bare value follows; the app sends values as updates, so the answer panels (sources,
    passage, Markdown export) stay one entry each however long the chat. The question box is the exception
    (one entry per question, ~8 KB: it is also an input of the event, which re-registers it too; clearing it
    in a separate unqueued step before the answer would end that)."""
    holder = state_holder(served)
    tabs = new_tabs(1)
    result = asyncio.run(run_load(served.url, clients=1, duration_s=6, tabs=tabs))
    assert result.errors == [] and result.answers >= 6 and result.new_chats >= 1 and result.passages >= 1
    blocks = holder.session_data[tabs[0]].blocks_config.blocks.values()
    count = Counter(getattr(b, "elem_id", None) for b in blocks)
    assert count["mc-sources"] == count["mc-passage"] == count["mc-export"] == 1, count
    assert count["mc-input"] <= result.answers + 1, count


@pytest.mark.slow
def test_sustained_load(tmp_path: Path):
    """50 clients for 60 s against `medcite ui` (real embedding model); memory over >= 1,000 questions."""
    home = tmp_path / "home"
    build_library(home)
    with ServedUI(home, tmp_path / "ui.log") as ui:
        # The same 50 browser tabs throughout (50 people chatting, not 150 passing by: each new tab costs
        # ~0.3 MB of Gradio session state, bounded by MAX_SESSIONS, which would hide a per-question leak).
        tabs = new_tabs(50)
        # Warm-up: every tab opened once, the model, caches and allocator arenas in use.
        warm = asyncio.run(run_load(ui.url, clients=50, duration_s=10, tabs=tabs))
        assert warm.errors == [], warm.errors[:5]
        baseline = ui.rss_kib()
        result = asyncio.run(run_load(ui.url, clients=50, duration_s=60, rss=ui.rss_kib, tabs=tabs))
        report("sustained load (medcite ui, real embedder)", result)
        assert result.errors == [], result.errors[:10]
        answered = result.answers
        extra = []
        while answered < MEMORY_QUESTIONS and len(extra) < 3:  # bounded: at most three more short runs
            needed_s = min(60.0, (MEMORY_QUESTIONS - answered) / max(result.answers_per_s, 1.0) + 2)
            more = asyncio.run(run_load(ui.url, clients=50, duration_s=needed_s, tabs=tabs))
            assert more.errors == [], more.errors[:10]
            extra.append(more)
            answered += more.answers
        final = ui.rss_kib()
        growth = (final - baseline) / baseline
        print(f"memory: RSS {baseline / 1024:.1f} MiB after warm-up ({warm.answers} answers), "
              f"{final / 1024:.1f} MiB after {answered} more answers: {growth:+.1%} "
              f"(max during the 60 s run {result.summary().get('rss_mib_max')} MiB)")
        assert answered >= MEMORY_QUESTIONS
        assert growth < MAX_RSS_GROWTH, f"server RSS grew {growth:.1%} over {answered} questions"
        assert "Traceback" not in (tmp_path / "ui.log").read_text(errors="replace")
