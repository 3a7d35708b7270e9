"""startup: cold start to first paint and to "ready", and peak memory, app vs a bare window.

Each run is a new process (``python -m crampdiary --data-dir DIR`` against
``python bench/bare_window.py``), same interpreter, same environment, CRAMPDIARY_BENCH=1 and
CRAMPDIARY_BENCH_EXIT=1. One untimed warm-up of each first (it fills the OS file cache and lets
the app do any one-off work on the diary), then app and bare alternate ``--runs`` times each.
"""

from __future__ import annotations

from child import ChildRun, run_child
from core import (
    BENCH_DIR,
    BenchError,
    Context,
    Figure,
    Measurement,
    MeasurementResult,
    median,
    ratio,
)

BARE_WINDOW = BENCH_DIR / "bare_window.py"
STAGES = ("first-paint", "ready")
SUBJECTS = ("app", "bare")

TARGET_RATIO = "<= 1.5 (goal 1.25)"
TARGET_READY = "<= 0.6 s (goal 0.4 s)"


def _argv(ctx: Context, subject: str) -> list[str]:
    return ctx.app_argv() if subject == "app" else ctx.script_argv(BARE_WINDOW)


def _describe(run: ChildRun) -> str:
    paint, ready = run.since_spawn("first-paint"), run.since_spawn("ready")
    parts = [
        f"first paint {paint * 1000:.0f} ms" if paint is not None else "no first paint",
        f"ready {ready * 1000:.0f} ms" if ready is not None else "no ready",
    ]
    if run.maxrss_bytes is not None:
        parts.append(f"peak {run.maxrss_bytes / 1024 / 1024:.1f} MiB")
    return ", ".join(parts)


def run(ctx: Context) -> MeasurementResult:
    result = MeasurementResult(name=MEASUREMENT.name, title=MEASUREMENT.title)
    argvs = {s: _argv(ctx, s) for s in SUBJECTS}
    result.details["commands"] = {s: argvs[s] for s in SUBJECTS}

    for subject in SUBJECTS:
        warm = run_child(argvs[subject], ctx.env, timeout=ctx.timeout)
        why = warm.problem(STAGES, ctx.timeout)
        if why is not None:
            raise BenchError(f"warm-up of the {subject} failed: {why}\n    command: {warm.argv}")
        ctx.log(f"  warm-up {subject:<4}  {_describe(warm)}")

    paint: dict[str, list[float]] = {s: [] for s in SUBJECTS}
    ready: dict[str, list[float]] = {s: [] for s in SUBJECTS}
    gap: dict[str, list[float]] = {s: [] for s in SUBJECTS}
    rss: dict[str, list[float]] = {s: [] for s in SUBJECTS}
    for i in range(1, ctx.runs + 1):
        for subject in SUBJECTS:
            r = run_child(argvs[subject], ctx.env, timeout=ctx.timeout)
            why = r.problem(STAGES, ctx.timeout)
            if why is not None:
                result.problems.append(f"{subject} run {i}: {why}")
                ctx.log(f"  run {i}/{ctx.runs} {subject:<4}  FAILED: {why}")
                continue
            p, rd = r.since_spawn("first-paint"), r.since_spawn("ready")
            assert p is not None and rd is not None  # problem() checked both markers
            paint[subject].append(p)
            ready[subject].append(rd)
            gap[subject].append(rd - p)
            if r.maxrss_bytes is not None:
                rss[subject].append(float(r.maxrss_bytes))
            ctx.log(f"  run {i}/{ctx.runs} {subject:<4}  {_describe(r)}")

    if not paint["app"] or not paint["bare"]:
        raise BenchError(
            "no usable run of the app or of the bare window:\n  " + "\n  ".join(result.problems)
        )

    def sampled(key: str, label: str, unit: str, samples: list[float], target: str = "") -> Figure:
        return Figure(key, label, unit, median(samples), samples, target, attempts=ctx.runs)

    app_paint, bare_paint = median(paint["app"]), median(paint["bare"])
    app_rss, bare_rss = median(rss["app"]), median(rss["bare"])
    result.figures = [
        sampled("app_first_paint_s", "first paint, app", "s", paint["app"]),
        sampled("bare_first_paint_s", "first paint, bare QMainWindow", "s", paint["bare"]),
        Figure(
            "first_paint_ratio",
            "cold start ratio (app / bare)",
            "x",
            ratio(app_paint, bare_paint),
            target=TARGET_RATIO,
            note="median first paint of the app over that of the bare window",
        ),
        sampled("app_ready_s", "ready, app (spawn to ready)", "s", ready["app"], TARGET_READY),
        sampled("app_paint_to_ready_s", "first paint to ready, app", "s", gap["app"]),
        sampled("bare_ready_s", "ready, bare QMainWindow", "s", ready["bare"]),
        sampled("app_peak_rss_bytes", "peak memory (max RSS), app", "bytes", rss["app"]),
        sampled("bare_peak_rss_bytes", "peak memory (max RSS), bare", "bytes", rss["bare"]),
        Figure(
            "peak_rss_ratio",
            "peak memory ratio (app / bare)",
            "x",
            ratio(app_rss, bare_rss),
            note="median max RSS of the app over that of the bare window",
        ),
    ]
    return result


MEASUREMENT = Measurement(
    name="startup",
    title="Start-up: new process each run (warm file cache), app vs bare QMainWindow",
    run=run,
)
