"""food_search: the food search as the Nutrition tab uses it, one keystroke at a time.

Each run is a new process (same interpreter and environment as the app) that imports
``crampdiary.storage.foods``, builds the index of the full USDA table (``FoodIndex.load()``)
and then types ``QUERIES`` one character at a time, calling ``search(prefix, boost=...)`` after
every character with 40 "recent" foods boosted, as the tab does. It reports the time of each
keystroke's search (``time.perf_counter``, in the child), the import and build times and the
child's peak memory. The child writes one line ``crampdiary-bench-food-search <json>`` to
stderr. No demo diary is needed.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from typing import Any

from child import run_child
from core import BENCH_DIR, BenchError, Context, Figure, Measurement, MeasurementResult, median

# Typed one character at a time, spaces included (a keystroke too). Mostly everyday foods, a
# few two-word searches in "wrong" order and partial words, an accented one.
QUERIES = (
    "pumpkin seeds",
    "spinach raw",
    "milk whole",
    "banana",
    "almonds",
    "yogurt greek",
    "salmon",
    "oat",
    "chees ched",
    "entree",
    "entrée",
    "chicken breast",
    "orange juice",
    "beans black",
    "bread whole wheat",
    "broccoli",
    "egg",
    "rice brown",
    "coffee",
    "apple",
)
BOOSTED = 40  # recent and frequent foods the tab passes as the boost
SEED = 1
LINE_PREFIX = "crampdiary-bench-food-search "
TARGET_KEYSTROKE = "<= 10 ms"


def percentile(samples: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (the smallest sample with at least pct % at or below it)."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def child_main() -> int:
    """The measured process: build the index, type the queries, print the timings."""
    t0 = time.perf_counter()
    from crampdiary.storage.foods import FoodIndex

    t1 = time.perf_counter()
    index = FoodIndex.load()
    t2 = time.perf_counter()
    rng = random.Random(SEED)
    boost = {key: float(i + 1) for i, key in enumerate(rng.sample(index.food_keys(), BOOSTED))}
    keystrokes: list[dict[str, Any]] = []
    for query in QUERIES:
        for n in range(1, len(query) + 1):
            prefix = query[:n]
            start = time.perf_counter()
            hits = index.search(prefix, boost=boost)
            took = time.perf_counter() - start
            keystrokes.append({"text": prefix, "ms": took * 1000, "hits": len(hits)})
    out = {
        "import_ms": (t1 - t0) * 1000,
        "build_ms": (t2 - t1) * 1000,
        "foods": len(index),
        "keystrokes": keystrokes,
    }
    print(LINE_PREFIX + json.dumps(out), file=sys.stderr, flush=True)
    return 0


def _child_argv(ctx: Context) -> list[str]:
    code = (
        f"import sys; sys.path.insert(0, {str(BENCH_DIR)!r}); "
        "from measurements import food_search; sys.exit(food_search.child_main())"
    )
    return [ctx.python, "-c", code]


def _parse(stderr: str) -> dict[str, Any] | None:
    for line in stderr.splitlines():
        if line.startswith(LINE_PREFIX):
            data: dict[str, Any] = json.loads(line[len(LINE_PREFIX) :])
            return data
    return None


def run(ctx: Context) -> MeasurementResult:
    result = MeasurementResult(name=MEASUREMENT.name, title=MEASUREMENT.title)
    argv = _child_argv(ctx)
    result.details["command"] = argv
    result.details["queries"] = list(QUERIES)

    warm = run_child(argv, ctx.env, timeout=ctx.timeout)
    if warm.exit_code != 0 or _parse(warm.stderr) is None:
        raise BenchError(
            f"warm-up failed (status {warm.exit_code}, timed out {warm.timed_out})"
            f"{warm.stderr_tail()}"
        )

    build: list[float] = []
    imports: list[float] = []
    keys: list[float] = []
    rss: list[float] = []
    slowest: list[tuple[float, str]] = []
    for i in range(1, ctx.runs + 1):
        r = run_child(argv, ctx.env, timeout=ctx.timeout)
        data = _parse(r.stderr) if r.exit_code == 0 else None
        if data is None:
            why = "timed out" if r.timed_out else f"exited with status {r.exit_code}"
            result.problems.append(f"run {i}: {why}{r.stderr_tail()}")
            ctx.log(f"  run {i}/{ctx.runs}  FAILED: {why}")
            continue
        times = [float(k["ms"]) for k in data["keystrokes"]]
        build.append(float(data["build_ms"]))
        imports.append(float(data["import_ms"]))
        keys += times
        slowest += [(float(k["ms"]), str(k["text"])) for k in data["keystrokes"]]
        if r.maxrss_bytes is not None:
            rss.append(float(r.maxrss_bytes))
        ctx.log(
            f"  run {i}/{ctx.runs}  build {data['build_ms']:.0f} ms, {len(times)} keystrokes: "
            f"p50 {percentile(times, 50):.2f} ms, p95 {percentile(times, 95):.2f} ms, "
            f"max {max(times):.2f} ms"
        )
    if not keys:
        raise BenchError("no usable run:\n  " + "\n  ".join(result.problems))

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    result.details["slowest_keystrokes_ms"] = [
        {"text": text, "ms": ms(t)} for t, text in sorted(slowest, reverse=True)[:10]
    ]
    per_run = len(keys) // max(1, len(build))
    result.figures = [
        Figure(
            "index_build_ms",
            "index build (FoodIndex.load)",
            "ms",
            ms(median(build)),
            [round(b, 3) for b in build],
            attempts=ctx.runs,
        ),
        Figure(
            "import_ms",
            "import crampdiary.storage.foods",
            "ms",
            ms(median(imports)),
            [round(t, 3) for t in imports],
            attempts=ctx.runs,
        ),
        Figure(
            "keystroke_p50_ms",
            "search per keystroke, median",
            "ms",
            ms(percentile(keys, 50)),
            [round(k, 4) for k in keys],
            note=f"{per_run} keystrokes a run, all runs pooled",
        ),
        Figure(
            "keystroke_p95_ms",
            "search per keystroke, 95th percentile",
            "ms",
            ms(percentile(keys, 95)),
            target=TARGET_KEYSTROKE,
            note="nearest-rank 95th percentile of all keystrokes",
        ),
        Figure("keystroke_max_ms", "search per keystroke, slowest", "ms", ms(max(keys))),
        Figure(
            "child_peak_rss_bytes",
            "peak memory of the searching process",
            "bytes",
            median(rss),
            rss,
            attempts=ctx.runs,
        ),
    ]
    return result


MEASUREMENT = Measurement(
    name="food_search",
    title="Food search: full USDA table, typed one character at a time (new process each run)",
    run=run,
    needs_diary=False,
)
