"""Cramp Diary benchmark harness: prints figures, never pass/fail.

    .venv/bin/python bench/run.py [--runs 5] [--days 3650] [--json OUT] [--only NAME] [--keep]

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from child import own_maxrss_bytes
from core import RESULTS_DIR, BenchError, Context, MeasurementResult
from demo_diary import DiaryInfo, prepare_diary
from machine import machine_facts, probe
from measurements import REGISTRY
from report import render, write_json

# Variables of the bench contract: set for measured children only, never inherited.
BENCH_VARS = ("CRAMPDIARY_BENCH", "CRAMPDIARY_BENCH_EXIT", "CRAMPDIARY_DATA_DIR")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    names = ", ".join(REGISTRY)
    p = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Measure Cramp Diary against a bare PySide6 window and print the figures "
        f"(never pass/fail). Measurements: {names}.",
    )
    p.add_argument(
        "--runs",
        type=_positive_int,
        default=5,
        help="timed runs of each subject, after one untimed warm-up (default 5)",
    )
    p.add_argument(
        "--days",
        type=_positive_int,
        default=3650,
        help="days of demo diary to measure on (default 3650, 10 years)",
    )
    p.add_argument("--seed", type=int, default=1, help="demo diary seed (default 1)")
    p.add_argument("--json", type=Path, metavar="OUT", help="also write the figures to OUT")
    p.add_argument(
        "--only",
        action="append",
        choices=list(REGISTRY),
        metavar="NAME",
        help=f"run only this measurement (repeatable): {names}",
    )
    p.add_argument("--list", action="store_true", help="list the measurements and exit")
    p.add_argument(
        "--keep",
        action="store_true",
        help=f"cache the demo diary under {RESULTS_DIR.name}/cache and reuse it "
        "(rebuilt when the date, days, seed or the app's data code change)",
    )
    p.add_argument(
        "--platform",
        default="offscreen",
        help="QT_QPA_PLATFORM for every child (default offscreen; "
        "xcb for a real X server or Xvfb, needs DISPLAY)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds before a child is killed and reported (default 30)",
    )
    p.add_argument(
        "--python", default=sys.executable, help="interpreter for the children (default: this one)"
    )
    return p


def child_environments(platform: str) -> tuple[dict[str, str], dict[str, str]]:
    """(plain env for set-up commands, env for measured children), same apart from the flags."""
    base = {k: v for k, v in os.environ.items() if k not in BENCH_VARS}
    base["QT_QPA_PLATFORM"] = platform
    measured = base | {"CRAMPDIARY_BENCH": "1", "CRAMPDIARY_BENCH_EXIT": "1"}
    return base, measured


def _memory_note(results: list[MeasurementResult], own: int) -> str | None:
    """Children's max RSS can't fall below the harness's own (Linux carries it across exec)."""
    smallest = min(
        (s for r in results for f in r.figures if f.unit == "bytes" for s in f.samples),
        default=None,
    )
    if smallest is not None and own > 0.8 * smallest:
        return (
            f"note: the harness itself peaked at {own / 2**20:.1f} MiB, close to the "
            f"smallest child's {smallest / 2**20:.1f} MiB; peak memory figures may be floored"
        )
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list:
        for m in REGISTRY.values():
            print(f"{m.name:<12} {m.title}")
        return 0
    if args.platform == "xcb" and not os.environ.get("DISPLAY"):
        print(
            "bench: --platform xcb needs DISPLAY (start Xvfb, or use the default offscreen)",
            file=sys.stderr,
        )
        return 2
    base_env, measured_env = child_environments(args.platform)
    try:
        facts = machine_facts(args.python, probe(args.python, base_env))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    package = facts.get("crampdiary_package")
    # Measure the app as installed: pip writes bytecode at install time, while an editable
    # checkout (or PYTHONDONTWRITEBYTECODE) would make every run compile the sources again.
    for folder in (package, str(Path(__file__).resolve().parent)):
        if folder:
            subprocess.run(
                [args.python, "-m", "compileall", "-q", folder],
                env=base_env,
                check=False,
                stdout=subprocess.DEVNULL,
            )
    selected = [REGISTRY[n] for n in dict.fromkeys(args.only or REGISTRY)]
    settings: dict[str, Any] = {
        "runs": args.runs,
        "days": args.days,
        "seed": args.seed,
        "platform": args.platform,
        "timeout_s": args.timeout,
        "measurements": [m.name for m in selected],
        "keep": args.keep,
        "child_env": {
            "QT_QPA_PLATFORM": args.platform,
            "CRAMPDIARY_BENCH": "1",
            "CRAMPDIARY_BENCH_EXIT": "1",
        },
    }

    results: list[MeasurementResult] = []
    diary: dict[str, DiaryInfo | BenchError] = {}
    with tempfile.TemporaryDirectory(prefix="crampdiary-bench-") as tmp:
        work_dir = Path(tmp)

        def make_diary() -> Path:
            if "info" not in diary:  # once a run; a failure is reported to every measurement
                try:
                    diary["info"] = prepare_diary(
                        python=args.python,
                        env=base_env,
                        days=args.days,
                        seed=args.seed,
                        work_dir=work_dir,
                        keep=args.keep,
                        package_dir=Path(package) if package else None,
                        version=str(facts.get("crampdiary_version")),
                        log=lambda text: print(text, file=sys.stderr, flush=True),
                    )
                except BenchError as exc:
                    diary["info"] = exc
            info = diary["info"]
            if isinstance(info, BenchError):
                raise info
            return info.path

        ctx = Context(
            python=args.python,
            env=measured_env,
            runs=args.runs,
            timeout=args.timeout,
            days=args.days,
            work_dir=work_dir,
            make_diary=make_diary,
        )
        for m in selected:
            ctx.log(f"{m.name}: {m.title}")
            try:
                if m.needs_diary:
                    ctx.diary_dir()
                results.append(m.run(ctx))
            except BenchError as exc:
                ctx.log("  not measured (the reason is in the table)")
                results.append(MeasurementResult(name=m.name, title=m.title, error=str(exc)))

    own = own_maxrss_bytes()
    print(render(results, facts, settings))
    note = _memory_note(results, own)
    if note:
        print(note)
    if args.json is not None:
        info = diary.get("info")
        extra = {
            "demo_diary": info.to_json() if isinstance(info, DiaryInfo) else None,
            "harness_peak_rss_bytes": own,
        }
        write_json(args.json, results, facts, settings, extra)
        print(f"figures written to {args.json}", file=sys.stderr)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the running child has been killed; the temp folder is gone
        print("bench: interrupted", file=sys.stderr)
        sys.exit(130)
