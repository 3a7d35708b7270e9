"""One window per diary: a second launch asks the first to come forward; a crash frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.gui,
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL"),
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPDIARY_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def _launch(data: Path, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crampdiary", "--data-dir", str(data)],
        env=_env(**extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        if line.startswith("crampdiary-bench ready"):
            return
    pytest.fail("the first window never became ready")


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    if proc.stderr is not None:
        proc.stderr.close()


def test_a_second_launch_brings_the_first_window_forward(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _launch(data, CRAMPDIARY_BENCH="1")
    try:
        _wait_for_ready(first)
        second = subprocess.run(
            [sys.executable, "-m", "crampdiary", "--data-dir", str(data)],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 0, second.stderr
        assert first.poll() is None  # the first window is still there
        log = data / "logs" / "crampdiary.log"
        assert "asked it to come forward" in log.read_text(encoding="utf-8")
        deadline = time.monotonic() + 10
        while "a later launch asked for this window" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the first window never heard the second launch"
            time.sleep(0.05)
    finally:
        _stop(first)


def test_the_lock_of_a_killed_window_is_taken_over(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _launch(data, CRAMPDIARY_BENCH="1")
    try:
        _wait_for_ready(first)
        os.kill(first.pid, signal.SIGKILL)
    finally:
        _stop(first)
    again = subprocess.run(
        [sys.executable, "-m", "crampdiary", "--data-dir", str(data)],
        env=_env(CRAMPDIARY_BENCH="1", CRAMPDIARY_BENCH_EXIT="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr
    assert "crampdiary-bench ready" in again.stderr
