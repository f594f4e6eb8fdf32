"""One writer at a time per library: an advisory file lock under MEDCITE_HOME/library.

Two processes writing one embedded Chroma store at once lose vectors (each keeps its own copy of the index
and the last to save wins), so every writer (`medcite ingest`, `corpus remove`, `corpus check --repair`,
the UI's upload) takes this lock first. A second writer waits for it up to ``MEDCITE_WRITER_WAIT_S`` and
then fails with a message naming the holder. The lock is ``flock(2)``: the kernel drops it when its holder
exits, so a killed ingest never leaves a stale lock behind. Readers never take it.

Within one process the lock is shared (counted): threads of one process share one Chroma client, whose
writes do not clobber each other, and a process must not wait on itself.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path

from medcite.errors import MedciteError

log = logging.getLogger(__name__)

LOCK_NAME = "writer.lock"
_POLL_S = 0.2
# Locks this process holds: path -> [file descriptor, how many WriterLock objects share it].
_HELD: dict[str, list[int]] = {}
_HELD_LOCK = threading.Lock()


class WriterBusyError(MedciteError):
    """Another process holds the library's writer lock and did not let go in time."""


def describe_holder(path: Path) -> str:
    """Who holds the lock, as its holder wrote it: pid, command and start time (best effort)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    if not isinstance(info, dict) or "pid" not in info:
        return "another process"
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(info.get("started", 0))))
    return f"process {info['pid']} on {info.get('host', '?')} ({info.get('command', '?')}, since {started})"


class WriterLock:
    """The writer lock of one library folder; ``acquire(wait_s)`` or use as a context manager."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_NAME
        self._key = str(self.path.absolute())
        self.held = False

    def acquire(self, wait_s: float) -> None:
        """Take the lock, waiting up to ``wait_s`` seconds; WriterBusyError naming the holder after that."""
        if self.held:
            return
        with _HELD_LOCK:
            if self._key in _HELD:
                _HELD[self._key][1] += 1
                self.held = True
                return
            fd = self._take(wait_s)
            _HELD[self._key] = [fd, 1]
            self.held = True

    def _take(self, wait_s: float) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = describe_holder(self.path)
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise WriterBusyError(
                        f"the library at {self.path.parent} is being written by {holder}: only one writer at a "
                        "time (see docs/deployment.md). Let it finish, then retry (or raise MEDCITE_WRITER_WAIT_S "
                        "to wait longer)."
                    ) from None
                if not told:
                    log.warning("waiting for the library writer lock held by %s", holder)
                    told = True
                time.sleep(_POLL_S)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time(),
                "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:3]])[:200]}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        return fd

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        with _HELD_LOCK:
            entry = _HELD[self._key]
            entry[1] -= 1
            if entry[1] > 0:
                return
            fd = _HELD.pop(self._key)[0]
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
