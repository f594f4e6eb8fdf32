"""Serving benchmark: cold start of `medcite ask`, and memory and throughput of a served `medcite ui`.

Three measurements against one library (``--home``, an existing MEDCITE_HOME; default: a small library
built here in a temporary directory from the regression fixture with `medcite ingest`):

1. Cold start: the wall time of ``medcite ask "QUESTION"`` as a fresh process, from start to exit, over a
   fixed list of questions (median, min, max; after one untimed priming run). Once each, to show where
   start-up goes: the ``python -X importtime`` profile of ``import medcite.cli.main`` (total and top 10
   cumulative), the same profile of a whole ``python -m medcite ask`` run (the heavy libraries are imported
   lazily, on first use), and the wall time of ``medcite --help``.
2. Memory: `medcite ui` on a free loopback port; after /healthz answers, the server's own warm-up (library,
   then the embedding model in a background thread) is let finish; then the peak RSS (VmHWM) of the server
   process tree after start-up and after the load of (3), plus VmRSS sampled every 0.2 s.
3. Throughput: ``--clients`` concurrent browser-like chat clients (benchmarks.load_chat) for ``--duration``
   seconds on that server: answers/s, errors, answer latency p50/p95.

Every command runs with MEDCITE_HOME set to the library and the caller's other MEDCITE_* settings (the
embedding backend, the engine...), which are recorded with the results as `medcite config show` reports them.

Usage::

    python -m benchmarks.bench_serving --home ~/.medcite      # a full run against an existing library
    python -m benchmarks.bench_serving --quick                # small fixture library, short runs
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from benchmarks.common import ROOT, write_result
from benchmarks.load_chat import ServedUI, child_env, medcite_exe, new_tabs, run_load

REGRESSION_LIBRARY = ROOT / "tests" / "fixtures" / "regression" / "regression_library.jsonl"

#: Cold-start questions: answered ones and ones the small library has no evidence for (abstentions).
ASK_QUESTIONS: tuple[str, ...] = (
    "Does IVIG help all autoimmune conditions?",
    "What are the symptoms of glaucoma?",
    "Is metformin safe in pregnancy?",
    "How is high blood pressure diagnosed?",
)
#: Chat questions for the load: mostly ones the fixture library answers, a follow-up, abstentions, an emergency.
SERVE_QUESTIONS: tuple[str, ...] = (
    "How is high blood pressure diagnosed?",
    "and how is it treated?",
    "What can trigger a migraine attack?",
    "Does vitamin D supplementation prevent fractures in older adults?",
    "Does IVIG help all autoimmune conditions?",
    "What are the symptoms of glaucoma?",
    "Is metformin safe in pregnancy?",
    "How do controller inhalers help people with asthma?",
    "What is the capital of France?",
    "I have crushing chest pain and cannot breathe, what should I do?",
)
SAMPLE_EVERY_S = 0.2
ASK_TIMEOUT_S = 600.0
_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$")
#: Effective settings recorded with the results (from `medcite config show`, which masks secrets).
RECORDED_SETTINGS = ("embedding_model", "embedding_backend", "engine", "retrieval_mode", "ui_concurrency",
                     "query_torch_threads", "collection_name")


class BenchmarkFailed(RuntimeError):
    pass


def bench_env(home: Path) -> dict[str, str]:
    """load_chat's child environment, but keeping the caller's MEDCITE_* settings (an existing library may
    need its embedding backend, engine...); only the home and the results folder are replaced/dropped."""
    keep = {k: v for k, v in os.environ.items()
            if k.startswith("MEDCITE_") and k not in ("MEDCITE_HOME", "MEDCITE_BENCH_RESULTS")}
    return child_env(home, **keep)


def effective_settings(home: Path) -> dict:
    _, done = run_timed([medcite_exe(), "config", "show"], bench_env(home), "medcite config show")
    shown = json.loads(done.stdout)
    return {k: shown.get(k) for k in RECORDED_SETTINGS}


def build_fixture_library(home: Path, source: Path = REGRESSION_LIBRARY) -> float:
    """`medcite ingest` the fixture into ``home`` with the same settings as the measured commands; seconds."""
    return run_timed([medcite_exe(), "ingest", str(source)], bench_env(home), "medcite ingest", need_stdout=False)[0]


# --------------------------------------------------------------------------------------------------
# 1. Cold start of the command line
# --------------------------------------------------------------------------------------------------


def run_timed(cmd: list[str], env: dict[str, str], what: str, timeout: float = ASK_TIMEOUT_S,
              need_stdout: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``cmd`` as a fresh process; (wall seconds from start to exit, the finished process). Fails loudly."""
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False,
                          cwd=ROOT)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or (need_stdout and not done.stdout.strip()):
        raise BenchmarkFailed(f"{what} failed (exit {done.returncode}, {len(done.stdout)} chars of output): "
                              f"{done.stderr[-2000:] or done.stdout[-2000:]}")
    return elapsed, done


def measure_ask(home: Path, runs: int, questions: tuple[str, ...] = ASK_QUESTIONS) -> dict:
    """``runs`` fresh `medcite ask` processes, cycling through ``questions``; wall seconds start to exit.

    One untimed run first (reported as ``priming_s``): it pays the one-time costs (an ONNX export not cached
    yet, a cold page cache) that would otherwise make the first timed run an outlier.
    """
    env = bench_env(home)
    priming_s, _ = run_timed([medcite_exe(), "ask", questions[-1]], env, "priming medcite ask")
    per_run = []
    for i in range(runs):
        question = questions[i % len(questions)]
        elapsed, done = run_timed([medcite_exe(), "ask", question], env, f"medcite ask {question!r}")
        per_run.append({"question": question, "seconds": round(elapsed, 3), "output_chars": len(done.stdout)})
    seconds = [r["seconds"] for r in per_run]
    return {"runs": runs, "median_s": round(statistics.median(seconds), 3), "min_s": min(seconds),
            "max_s": max(seconds), "priming_s": round(priming_s, 3), "per_run": per_run}


def parse_importtime(stderr: str, top: int = 10) -> dict:
    """Total and the ``top`` largest cumulative costs from ``python -X importtime`` output (microseconds)."""
    rows = []
    for line in stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match:  # the header line ("self [us] | cumulative...") has no numbers and is skipped
            self_us, cumulative_us, indent, module = match.groups()
            rows.append((module.strip(), (len(indent) - 1) // 2, int(self_us), int(cumulative_us)))
    if not rows:
        raise BenchmarkFailed(f"no importtime lines in: {stderr[-1000:]}")
    # Every import is timed once as "self", so their sum is the whole import time.
    total_ms = sum(r[2] for r in rows) / 1000
    ranked = sorted(rows, key=lambda r: -r[3])[:top]
    return {"total_ms": round(total_ms, 1), "modules": len(rows),
            "top_cumulative": [{"module": m, "depth": d, "cumulative_ms": round(c / 1000, 1),
                                "self_ms": round(s / 1000, 1)} for m, d, s, c in ranked]}


def measure_imports(home: Path, question: str) -> dict:
    """Import profiles: the CLI module alone, and a whole `ask` (where torch, Chroma... are imported lazily)."""
    env = bench_env(home)
    wall, done = run_timed([sys.executable, "-X", "importtime", "-c", "import medcite.cli.main"], env,
                           "importtime of medcite.cli.main", need_stdout=False)
    cli = {"command": "python -X importtime -c 'import medcite.cli.main'", "wall_s": round(wall, 3),
           **parse_importtime(done.stderr)}
    wall, done = run_timed([sys.executable, "-X", "importtime", "-m", "medcite", "ask", question], env,
                           "importtime of medcite ask")
    ask = {"command": f"python -X importtime -m medcite ask {question!r}", "wall_s": round(wall, 3),
           **parse_importtime(done.stderr)}
    return {"cli_main": cli, "ask": ask}


def measure_help(home: Path, runs: int = 3) -> dict:
    env = bench_env(home)
    seconds = [run_timed([medcite_exe(), "--help"], env, "medcite --help")[0] for _ in range(runs)]
    return {"runs": runs, "median_s": round(statistics.median(seconds), 3), "min_s": round(min(seconds), 3)}


# --------------------------------------------------------------------------------------------------
# 2. Memory of the served process tree, from /proc
# --------------------------------------------------------------------------------------------------


def proc_status_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (KiB) of ``pid``; empty when it has gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return {}
    out = {}
    for line in text.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line[:5]] = int(line.split()[1])
    return out


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its closing one.
    return text[text.rindex(")") + 2:].split()


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (there is no /proc/PID/task/TID/children here: scan /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


class TreeMonitor(threading.Thread):
    """Samples the summed VmRSS of a process tree every 0.2 s and keeps each process's highest VmHWM."""

    def __init__(self, root: int, every_s: float = SAMPLE_EVERY_S) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.root, self.every_s = root, every_s
        self.samples: list[tuple[float, int]] = []  # (monotonic time, summed VmRSS KiB)
        self.hwm_kib: dict[int, int] = {}  # kept after a process exits, since /proc forgets it
        self.start_ticks: dict[int, str] = {}  # to kill only those exact processes if any outlive the server
        self._halt = threading.Event()
        self._mutex = threading.Lock()

    def sample(self) -> int:
        total = 0
        for pid in process_tree(self.root):
            status = proc_status_kib(pid)
            if not status:
                continue
            total += status.get("VmRSS", 0)
            with self._mutex:
                self.hwm_kib[pid] = max(self.hwm_kib.get(pid, 0), status.get("VmHWM", 0))
                if pid not in self.start_ticks and (fields := _stat_fields(pid)):
                    self.start_ticks[pid] = fields[19]
        self.samples.append((time.monotonic(), total))
        return total

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.every_s)

    def stop(self) -> None:
        self._halt.set()
        self.join(5)

    def peaks(self) -> dict:
        """Peaks so far: the server's own VmHWM and the sum over the tree (an upper bound: peaks may not coincide)."""
        self.sample()
        with self._mutex:
            hwm = dict(self.hwm_kib)
        return {"server_vmhwm_mib": mib(hwm.get(self.root, 0)), "tree_vmhwm_sum_mib": mib(sum(hwm.values())),
                "processes": len(hwm)}

    def rss_peak_since(self, since: float) -> int:
        return max((kib for t, kib in self.samples if t >= since), default=0)

    def kill_leftovers(self) -> None:
        """SIGKILL descendants that outlived the server, checked by start time so a reused pid is never hit."""
        for pid, started in self.start_ticks.items():
            fields = _stat_fields(pid)
            if pid != self.root and fields and fields[19] == started:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def mib(kib: float) -> float:
    return round(kib / 1024, 1)


def wait_until_idle(monitor: TreeMonitor, timeout: float, window_s: float = 1.0, idle_cpu: float = 0.05,
                    windows: int = 2) -> tuple[float, bool]:
    """Wait for the server's background warm-up (model load) to finish: ``windows`` consecutive windows of
    ``window_s`` with under ``idle_cpu`` of a core used by the tree. (seconds waited, whether it settled)."""
    started = time.monotonic()
    quiet = 0
    while time.monotonic() - started < timeout:
        pids = process_tree(monitor.root)
        before = cpu_seconds(pids)
        time.sleep(window_s)
        quiet = quiet + 1 if cpu_seconds(pids) - before < idle_cpu * window_s else 0
        if quiet >= windows:
            return time.monotonic() - started, True
    return time.monotonic() - started, False


# --------------------------------------------------------------------------------------------------
# 2 + 3. One served UI: idle memory, a throughput run, peak memory
# --------------------------------------------------------------------------------------------------


def measure_serving(home: Path, workdir: Path, *, clients: int, duration_s: float,
                    settle_timeout_s: float = 180.0) -> dict:
    ui = ServedUI(home, workdir / "ui.log", env=bench_env(home), args=("--host", "127.0.0.1"))
    monitor: TreeMonitor | None = None
    try:
        started = time.monotonic()
        ui.start()
        ready_s = time.monotonic() - started
        assert ui.process is not None
        monitor = TreeMonitor(ui.process.pid)
        monitor.start()
        at_healthz = monitor.sample()
        library = httpx.get(ui.url + "/healthz", timeout=10).json()
        settle_s, settled = wait_until_idle(monitor, settle_timeout_s)
        idle_kib = monitor.sample()
        after_startup = {"tree_rss_mib": mib(idle_kib), **monitor.peaks()}

        load_started = time.monotonic()
        result = asyncio.run(run_load(ui.url, clients=clients, duration_s=duration_s, questions=SERVE_QUESTIONS,
                                      tabs=new_tabs(clients)))
        after_load = {"tree_rss_mib": mib(monitor.sample()), **monitor.peaks(),
                      "sampled_tree_rss_peak_mib": mib(monitor.rss_peak_since(load_started))}
        if ui.process.poll() is not None:
            raise BenchmarkFailed(f"medcite ui died during the load: {ui.log_path.read_text(errors='replace')[-2000:]}")
        summary = result.summary()
    finally:
        if monitor is not None:
            monitor.stop()
        ui.stop()  # terminate, then kill after 20 s
        if monitor is not None:
            monitor.kill_leftovers()

    memory = {
        "startup_to_healthz_s": round(ready_s, 2),
        "at_healthz_tree_rss_mib": mib(at_healthz),
        "warm_up_settle_s": round(settle_s, 1), "warm_up_settled": settled,
        "after_startup": after_startup,
        "after_load": after_load,
        "answers_during_load": result.answers,
        "samples": len(monitor.samples), "sample_every_s": SAMPLE_EVERY_S,
    }
    throughput = {
        "clients": clients, "duration_s": duration_s, "elapsed_s": summary["elapsed_s"],
        "answers": result.answers, "answers_per_s": summary["answers_per_s"], "errors": len(result.errors),
        "p50_ms": summary["p50_ms"], "p95_ms": summary["p95_ms"],
        "passages_opened": result.passages, "page_loads": result.page_loads, "new_chats": result.new_chats,
        "first_errors": result.errors[:5],
    }
    return {"library": library, "memory": memory, "throughput": throughput}


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="An existing MEDCITE_HOME (default: build a small fixture "
                                                  "library in a temporary directory).")
    parser.add_argument("--quick", action="store_true", help="Short runs: 2 asks, a 10 s load.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent chat clients (default 8).")
    parser.add_argument("--duration", type=float, help="Seconds of load (default 60, quick 10).")
    parser.add_argument("--runs", type=int, help="Cold `medcite ask` runs (default 7, quick 2).")
    parser.add_argument("--out-name", help="Result file name (default serving, quick serving_quick).")
    args = parser.parse_args(argv)
    args.duration = args.duration if args.duration is not None else (10.0 if args.quick else 60.0)
    args.runs = args.runs if args.runs is not None else (2 if args.quick else 7)
    args.out_name = args.out_name or ("serving_quick" if args.quick else "serving")
    if args.runs < 1 or args.clients < 1 or args.duration <= 0:
        parser.error("--runs and --clients must be at least 1 and --duration positive")
    return args


def report(data: dict) -> str:
    ask, imports, mem, tp = data["ask_cold_start"], data["imports"], data["memory"], data["throughput"]
    lines = [
        f"library: {data['library'].get('documents')} documents, {data['library'].get('chunks')} chunks "
        f"({data['parameters']['library']})",
        "settings: " + ", ".join(f"{k}={v}" for k, v in data["parameters"]["settings"].items()),
        f"medcite ask (fresh process, {ask['runs']} runs): median {ask['median_s']} s, "
        f"min {ask['min_s']} s, max {ask['max_s']} s (untimed priming run: {ask['priming_s']} s)",
        f"medcite --help: {data['help']['median_s']} s",
    ]
    for key in ("cli_main", "ask"):
        prof = imports[key]
        top = ", ".join(f"{m['module']} {m['cumulative_ms']:.0f}" for m in prof["top_cumulative"])
        lines.append(f"importtime [{prof['command']}]: {prof['total_ms']:.0f} ms over {prof['modules']} modules "
                     f"(wall {prof['wall_s']} s); top cumulative ms: {top}")
    lines += [
        f"ui: /healthz after {mem['startup_to_healthz_s']} s, warm-up done {mem['warm_up_settle_s']} s later"
        f"{'' if mem['warm_up_settled'] else ' (NOT settled)'}",
        f"memory after start-up: RSS {mem['after_startup']['tree_rss_mib']} MiB, peak (VmHWM) server "
        f"{mem['after_startup']['server_vmhwm_mib']} MiB, tree {mem['after_startup']['tree_vmhwm_sum_mib']} MiB",
        f"memory after load ({mem['answers_during_load']} answers): RSS {mem['after_load']['tree_rss_mib']} MiB, "
        f"peak (VmHWM) server {mem['after_load']['server_vmhwm_mib']} MiB, tree "
        f"{mem['after_load']['tree_vmhwm_sum_mib']} MiB, sampled RSS peak "
        f"{mem['after_load']['sampled_tree_rss_peak_mib']} MiB",
        f"throughput: {tp['clients']} clients x {tp['duration_s']:.0f} s: {tp['answers_per_s']} answers/s "
        f"({tp['answers']} answers, {tp['errors']} errors), p50 {tp['p50_ms']} ms, p95 {tp['p95_ms']} ms",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="medcite-serving-") as tmp:
        workdir = Path(tmp)
        if args.home:
            home = args.home.expanduser().resolve()
            if not home.is_dir():
                raise SystemExit(f"--home {home} is not a directory")
            library = str(home)
        else:
            home = workdir / "home"
            print(f"building the fixture library from {REGRESSION_LIBRARY.name} ...", file=sys.stderr)
            ingest_s = build_fixture_library(home)
            library = f"fixture {REGRESSION_LIBRARY.relative_to(ROOT)} (ingest {ingest_s:.1f} s)"
        settings = effective_settings(home)
        print(f"cold start: {args.runs} x medcite ask ...", file=sys.stderr)
        ask = measure_ask(home, args.runs)
        imports = measure_imports(home, ASK_QUESTIONS[0])
        help_ = measure_help(home)
        print(f"serving: {args.clients} clients for {args.duration:.0f} s ...", file=sys.stderr)
        serving = measure_serving(home, workdir, clients=args.clients, duration_s=args.duration)

    data = {
        "parameters": {"library": library, "quick": args.quick, "runs": args.runs, "clients": args.clients,
                       "duration_s": args.duration, "ask_questions": list(ASK_QUESTIONS),
                       "serve_questions": list(SERVE_QUESTIONS), "settings": settings},
        "library": serving["library"],
        "ask_cold_start": ask, "imports": imports, "help": help_,
        "memory": serving["memory"], "throughput": serving["throughput"],
    }
    path = write_result(args.out_name, data)
    print(report(data))
    for error in serving["throughput"]["first_errors"]:
        print("error:", error, file=sys.stderr)
    print(f"written: {path}")
    return data


if __name__ == "__main__":
    main()
