"""The 10-year demo diary the app is measured on: made once a run, or reused with --keep.

Made by the app itself: ``python -m crampdiary --data-dir DIR demo-data --days N --seed S``.
The generator dates the diary back from today, so a cached copy is keyed by the date (as well
as days, seed, app version and the code that shapes the file: migrations and the demo
generator); a cache from another day is rebuilt. Runs always measure a fresh copy, so the cache
stays as made (the app may back up or migrate the copy it opens).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from child import run_child
from core import RESULTS_DIR, BenchError

DEMO_TIMEOUT_S = 900.0
CACHE_DIR = RESULTS_DIR / "cache"


@dataclass
class DiaryInfo:
    path: Path
    source: str  # "made" or "cached"
    make_s: float | None
    size_bytes: int
    command: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "make_s": self.make_s,
            "size_bytes": self.size_bytes,
            "command": self.command,
        }


def demo_command(python: str, data_dir: Path, days: int, seed: int) -> list[str]:
    return [
        python,
        "-m",
        "crampdiary",
        "--data-dir",
        str(data_dir),
        "demo-data",
        "--days",
        str(days),
        "--seed",
        str(seed),
    ]


def fingerprint(package_dir: Path | None, version: str, days: int, seed: int) -> str:
    """Hash of what decides the demo file's contents; any change makes a new cache entry."""
    h = hashlib.sha256(f"{version}|{days}|{seed}|{date.today().isoformat()}".encode())
    if package_dir is not None:
        shaping = sorted(
            p for p in package_dir.rglob("*.py") if "migrations" in p.parts or "demo" in p.name
        )
        for p in shaping:
            h.update(str(p.relative_to(package_dir)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _make(
    python: str,
    env: Mapping[str, str],
    target: Path,
    days: int,
    seed: int,
    log: Callable[[str], None],
) -> float:
    argv = demo_command(python, target, days, seed)
    log(f"making the demo diary: {' '.join(argv)}")
    started = time.perf_counter()
    run = run_child(argv, env, timeout=DEMO_TIMEOUT_S)
    took = time.perf_counter() - started
    if run.timed_out or run.exit_code != 0:
        why = (
            f"killed after {DEMO_TIMEOUT_S:g} s"
            if run.timed_out
            else f"exited with status {run.exit_code}"
        )
        hint = ""
        if "invalid choice: 'demo-data'" in run.stderr or "No module named" in run.stderr:
            hint = "\n  (does this version of crampdiary have the demo-data command yet?)"
        raise BenchError(
            f"could not make the demo diary: `{' '.join(argv)}` {why}{hint}{run.stderr_tail()}"
        )
    if not target.is_dir() or not any(p.is_file() for p in target.rglob("*")):
        raise BenchError(f"`{' '.join(argv)}` exited 0 but left no files in {target}")
    log(f"  made in {took:.1f} s, {_tree_size(target) / 1024 / 1024:.1f} MiB")
    return took


def prepare_diary(
    *,
    python: str,
    env: Mapping[str, str],
    days: int,
    seed: int,
    work_dir: Path,
    keep: bool,
    package_dir: Path | None,
    version: str,
    log: Callable[[str], None],
) -> DiaryInfo:
    """A demo diary at ``work_dir/diary``, made now or copied from the --keep cache."""
    target = work_dir / "diary"
    command = demo_command(python, Path("DIR"), days, seed)
    if not keep:
        made_in = _make(python, env, target, days, seed, log)
        return DiaryInfo(target, "made", made_in, _tree_size(target), command)

    entry = CACHE_DIR / f"demo-d{days}-s{seed}-{fingerprint(package_dir, version, days, seed)}"
    meta_file = entry / "meta.json"
    took: float | None = None
    source = "cached"
    if meta_file.is_file() and (entry / "data").is_dir():
        log(f"reusing the cached demo diary {entry}")
        took = json.loads(meta_file.read_text()).get("make_s")
    else:
        partial = entry.with_name(entry.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        took = _make(python, env, partial / "data", days, seed, log)
        meta = {
            "days": days,
            "seed": seed,
            "version": version,
            "made": date.today().isoformat(),
            "make_s": took,
        }
        (partial / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
        for old in CACHE_DIR.glob(f"demo-d{days}-s{seed}-*"):  # older days, older code
            if old != partial:
                shutil.rmtree(old, ignore_errors=True)
        partial.rename(entry)
        source = "made"
        log(f"  cached as {entry}")
    shutil.copytree(entry / "data", target, copy_function=shutil.copy2)
    return DiaryInfo(target, source, took, _tree_size(target), command)
