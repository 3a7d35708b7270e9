"""Facts about the machine and the interpreter the children run on, for the README's figures."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from core import BENCH_DIR, BenchError

# Run in the children's interpreter: what they will import, not what this process has.
PROBE = r"""
import importlib.util, json, platform, sys
out = {"python_version": platform.python_version(),
       "python_implementation": platform.python_implementation(),
       "executable": sys.executable}
try:
    import PySide6
    from PySide6 import QtCore
    out["pyside6_version"] = PySide6.__version__
    out["qt_version"] = QtCore.qVersion()
except Exception as exc:
    out["pyside6_error"] = repr(exc)
spec = importlib.util.find_spec("crampdiary")
if spec is None or spec.origin is None:
    out["crampdiary_error"] = "crampdiary is not importable"
else:
    import crampdiary
    out["crampdiary_version"] = getattr(crampdiary, "__version__", "unknown")
    out["crampdiary_package"] = str(__import__("pathlib").Path(spec.origin).parent)
print(json.dumps(out))
"""


def probe(python: str, env: Mapping[str, str]) -> dict[str, Any]:
    """Versions as the children will see them; BenchError if PySide6 or the app is missing."""
    try:
        done = subprocess.run(
            [python, "-c", PROBE],
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BenchError(f"could not run {python}: {exc}") from exc
    if done.returncode != 0:
        raise BenchError(f"{python} failed to report its versions:\n{done.stderr.strip()}")
    facts: dict[str, Any] = json.loads(done.stdout)
    if "pyside6_error" in facts:
        raise BenchError(
            f"{python} cannot import PySide6 ({facts['pyside6_error']}); "
            "run the harness with the project's venv: .venv/bin/python bench/run.py"
        )
    if "crampdiary_error" in facts:
        raise BenchError(
            f"{python}: {facts['crampdiary_error']}; install the project "
            "(pip install -e .) or use .venv/bin/python"
        )
    return facts


def _first_line_with(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=BENCH_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def machine_facts(python: str, probed: Mapping[str, Any]) -> dict[str, Any]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    mem_kib = _first_line_with("/proc/meminfo", "MemTotal")
    script = Path(python).parent / "crampdiary"
    status = _git("status", "--porcelain")
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpus_usable": affinity,
        "cpu_model": _first_line_with("/proc/cpuinfo", "model name"),
        "memory_total": mem_kib,
        "os": platform.platform(),
        "machine": platform.machine(),
        **probed,
        "crampdiary_script": str(script) if script.exists() else None,
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
    }
