"""Start one child process, time it against its stderr markers and read its own peak memory.

Timing: ``spawn`` is ``time.time()`` taken just before ``subprocess.Popen``; each marker line
``crampdiary-bench <stage> <t>`` carries ``time.time()`` in the child, so ``t - spawn`` is the
time from asking for the process to that stage, interpreter start-up included.

Memory: the child is reaped with ``os.wait4`` on its own pid, whose rusage is that process's
alone (``RUSAGE_CHILDREN`` would pile up every child so far). On Linux a child's ``ru_maxrss``
also counts the memory of the process it was started from (the kernel carries the high-water
mark across ``exec``), so the harness keeps itself small: no Qt in this process.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MARKER_RE = re.compile(r"^crampdiary-bench\s+(?P<stage>\S+)\s+(?P<t>[0-9.eE+-]+)\s*$")
STDERR_TAIL_LINES = 12


def maxrss_bytes(usage: resource.struct_rusage) -> int:
    """ru_maxrss in bytes (Linux reports KiB, macOS bytes)."""
    return usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024


@dataclass
class ChildRun:
    """What one child did: markers (seconds after spawn), exit, peak memory, stderr."""

    argv: list[str]
    spawn: float
    markers: dict[str, float] = field(default_factory=dict)
    exit_code: int | None = None
    timed_out: bool = False
    wall_s: float = 0.0
    maxrss_bytes: int | None = None
    stderr: str = ""

    def since_spawn(self, stage: str) -> float | None:
        """Seconds from spawn to the first marker of ``stage``, or None if it never came."""
        t = self.markers.get(stage)
        return None if t is None else t - self.spawn

    def problem(self, stages: Sequence[str], timeout: float) -> str | None:
        """Why this run can't be used, or None if it exited cleanly with every stage marked."""
        seen = ", ".join(s for s in stages if s in self.markers) or "no markers"
        missing = [s for s in stages if s not in self.markers]
        if self.timed_out:
            hint = ""
            if not missing:
                hint = " (every marker came: does it honour CRAMPDIARY_BENCH_EXIT=1?)"
            return f"killed after the {timeout:g} s timeout; saw {seen}{hint}"
        if self.exit_code != 0:
            return f"exited with status {self.exit_code}; saw {seen}{self.stderr_tail()}"
        if missing:
            return (
                f"exited without the {', '.join(missing)} marker(s) "
                f"(is CRAMPDIARY_BENCH=1 implemented?); saw {seen}{self.stderr_tail()}"
            )
        return None

    def stderr_tail(self) -> str:
        lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
        if not lines:
            return ""
        tail = "\n      ".join(lines[-STDERR_TAIL_LINES:])
        return f"\n    last stderr lines:\n      {tail}"


def parse_markers(text: str) -> dict[str, float]:
    """The first time stamp of each stage in the child's stderr."""
    found: dict[str, float] = {}
    for line in text.splitlines():
        m = MARKER_RE.match(line.strip())
        if m is None:
            continue
        try:
            t = float(m["t"])
        except ValueError:
            continue
        found.setdefault(m["stage"], t)
    return found


class _Reaper(threading.Thread):
    """Blocks in os.wait4 on one pid, so the main thread can wait with a timeout.

    Waited on through ``finished``, not ``join``/``is_alive``: on Python 3.11 a join cut short
    by Ctrl-C marks the thread as stopped while it is still running.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.status: int | None = None
        self.usage: resource.struct_rusage | None = None
        self.done_at: float = 0.0
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            _, status, usage = os.wait4(self.pid, 0)
            self.done_at = time.time()
            self.status, self.usage = status, usage
        finally:
            self.finished.set()


def run_child(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    timeout: float,
    cwd: Path | None = None,
) -> ChildRun:
    """Run ``argv`` to the end (or kill it at ``timeout`` s) and return what it did."""
    with tempfile.TemporaryFile() as err:
        spawn = time.time()
        proc = subprocess.Popen(
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        reaper = _Reaper(proc.pid)
        reaper.start()
        timed_out = False
        try:
            if not reaper.finished.wait(timeout):
                timed_out = True
                _kill(proc.pid)
                reaper.finished.wait()
        except BaseException:  # Ctrl-C: take the child down with us
            if not reaper.finished.is_set():
                _kill(proc.pid)
                reaper.finished.wait()
            raise
        finally:
            # Reaped by us, not by Popen: tell Popen so it never waits on the pid again.
            if reaper.status is not None:
                proc.returncode = os.waitstatus_to_exitcode(reaper.status)
        err.seek(0)
        text = err.read().decode("utf-8", errors="replace")
    run = ChildRun(argv=list(argv), spawn=spawn, timed_out=timed_out, stderr=text)
    run.exit_code = proc.returncode
    run.wall_s = reaper.done_at - spawn
    run.markers = parse_markers(text)
    if reaper.usage is not None:
        run.maxrss_bytes = maxrss_bytes(reaper.usage)
    return run


def _kill(pid: int) -> None:
    # os.kill, not Popen.kill: Popen.kill polls (waitpid) first and could steal the rusage.
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def own_maxrss_bytes() -> int:
    """This harness process's own peak memory (a floor under every child's figure)."""
    return maxrss_bytes(resource.getrusage(resource.RUSAGE_SELF))
