"""food_search: the food search as the Nutrition tab uses it, one keystroke at a time.

Each run is a new process (same interpreter and environment as the app) that

1. imports ``crampdiary.storage.foods``, builds the index of the full USDA table
   (``FoodIndex.load()``) and types ``QUERIES`` one character at a time, calling
   ``FoodIndex.search(prefix, boost=...)`` after every character with 40 "recent" foods
   boosted: the raw index, no diary;
2. copies the 10-year demo diary (so that the shared copy stays as made), opens it the way the
   app does (``open_database``, ``DiaryService``, ``NutritionService``) and types the same
   queries through ``NutritionService.search(prefix, limit=30)``, exactly the call the tab makes
   on every keystroke. After each query it logs the first food found (100 g), as a user does
   before searching for the next food, so that the figures include what a write costs the
   next search (the boosts of eaten foods are kept in the service and updated by the write).

It reports the time of each keystroke's search (``time.perf_counter``, in the child), the
import, build and open times and the child's peak memory. The child writes one line
``crampdiary-bench-food-search <json>`` to stderr.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
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
BOOSTED = 40  # recent and frequent foods passed as the boost to the raw index
SEED = 1
SEARCH_LIMIT = 30  # as ui/nutrition/nutrition_tab.py asks for
LOGGED_GRAMS = 100.0
LINE_PREFIX = "crampdiary-bench-food-search "
TARGET_KEYSTROKE = "<= 10 ms"


def percentile(samples: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (the smallest sample with at least pct % at or below it)."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _type_raw(index: Any) -> list[dict[str, Any]]:
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
    return keystrokes


def _type_through_service(service: Any, today: Any) -> tuple[list[dict[str, Any]], list[float]]:
    from crampdiary.domain.records import FoodEntry

    keystrokes: list[dict[str, Any]] = []
    logs: list[float] = []
    after_log = False
    for query in QUERIES:
        hits: list[Any] = []
        for n in range(1, len(query) + 1):
            prefix = query[:n]
            start = time.perf_counter()
            hits = service.search(prefix, limit=SEARCH_LIMIT)
            took = time.perf_counter() - start
            keystrokes.append(
                {"text": prefix, "ms": took * 1000, "hits": len(hits), "after_log": after_log}
            )
            after_log = False
        if hits:
            entry = FoodEntry(date=today, food=hits[0].food.key, grams=LOGGED_GRAMS, meal="snack")
            start = time.perf_counter()
            service.log_food(entry, today=today)
            logs.append((time.perf_counter() - start) * 1000)
            after_log = True
    return keystrokes, logs


def child_main(diary_dir: str) -> int:
    """The measured process: the raw index, then the service on a copy of the diary."""
    t0 = time.perf_counter()
    from crampdiary.storage.foods import FoodIndex

    t1 = time.perf_counter()
    index = FoodIndex.load()
    t2 = time.perf_counter()
    raw = _type_raw(index)

    from datetime import datetime

    from crampdiary.paths import AppPaths
    from crampdiary.services.diary import DiaryService
    from crampdiary.services.nutrition import NutritionService, load_dri_table
    from crampdiary.storage.database import open_database

    with tempfile.TemporaryDirectory(prefix="crampdiary-bench-search-") as tmp:
        copy = Path(tmp) / "diary"
        shutil.copytree(diary_dir, copy)
        now = datetime.now()
        t3 = time.perf_counter()
        engine = open_database(AppPaths(copy), now=now)
        service = NutritionService(DiaryService(engine), index, load_dri_table())
        t4 = time.perf_counter()
        entries = service.diary.read(
            lambda con: con.execute("SELECT COUNT(*) FROM food_entry").fetchone()[0]
        )
        keystrokes, logs = _type_through_service(service, now.date())
        engine.dispose()
    out = {
        "import_ms": (t1 - t0) * 1000,
        "build_ms": (t2 - t1) * 1000,
        "open_ms": (t4 - t3) * 1000,
        "foods": len(index),
        "food_entries": entries,
        "raw_keystrokes": raw,
        "keystrokes": keystrokes,
        "log_ms": logs,
    }
    print(LINE_PREFIX + json.dumps(out), file=sys.stderr, flush=True)
    return 0


def _child_argv(ctx: Context) -> list[str]:
    code = (
        f"import sys; sys.path.insert(0, {str(BENCH_DIR)!r}); "
        "from measurements import food_search; "
        "sys.exit(food_search.child_main(sys.argv[1]))"
    )
    return [ctx.python, "-c", code, str(ctx.diary_dir())]


def _parse(stderr: str) -> dict[str, Any] | None:
    for line in stderr.splitlines():
        if line.startswith(LINE_PREFIX):
            data: dict[str, Any] = json.loads(line[len(LINE_PREFIX) :])
            return data
    return None


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _keystroke_figures(
    prefix: str, what: str, keys: list[float], per_run: int, target: str
) -> list[Figure]:
    return [
        Figure(
            f"{prefix}keystroke_p50_ms",
            f"{what}, median",
            "ms",
            _ms(percentile(keys, 50)),
            [round(k, 4) for k in keys],
            note=f"{per_run} keystrokes a run, all runs pooled",
        ),
        Figure(
            f"{prefix}keystroke_p95_ms",
            f"{what}, 95th percentile",
            "ms",
            _ms(percentile(keys, 95)),
            target=target,
            note="nearest-rank 95th percentile of all keystrokes",
        ),
        Figure(f"{prefix}keystroke_max_ms", f"{what}, slowest", "ms", _ms(max(keys))),
    ]


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
    opens: list[float] = []
    raw_keys: list[float] = []
    keys: list[float] = []
    after_log: list[float] = []
    first: list[float] = []
    logs: list[float] = []
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
        raw = [float(k["ms"]) for k in data["raw_keystrokes"]]
        times = [float(k["ms"]) for k in data["keystrokes"]]
        build.append(float(data["build_ms"]))
        imports.append(float(data["import_ms"]))
        opens.append(float(data["open_ms"]))
        raw_keys += raw
        keys += times
        after_log += [float(k["ms"]) for k in data["keystrokes"] if k["after_log"]]
        first.append(times[0])
        logs += [float(t) for t in data["log_ms"]]
        slowest += [(float(k["ms"]), str(k["text"])) for k in data["keystrokes"]]
        result.details["food_entries"] = data["food_entries"]
        if r.maxrss_bytes is not None:
            rss.append(float(r.maxrss_bytes))
        ctx.log(
            f"  run {i}/{ctx.runs}  {data['food_entries']:,} food entries, "
            f"{len(times)} keystrokes through the service: p50 {percentile(times, 50):.2f} ms, "
            f"p95 {percentile(times, 95):.2f} ms, max {max(times):.2f} ms; raw index: "
            f"p50 {percentile(raw, 50):.2f} ms, p95 {percentile(raw, 95):.2f} ms"
        )
    if not keys:
        raise BenchError("no usable run:\n  " + "\n  ".join(result.problems))

    result.details["slowest_keystrokes_ms"] = [
        {"text": text, "ms": _ms(t)} for t, text in sorted(slowest, reverse=True)[:10]
    ]
    runs = max(1, len(build))
    result.figures = [
        *_keystroke_figures(
            "",
            "NutritionService.search per keystroke (10-year diary)",
            keys,
            len(keys) // runs,
            TARGET_KEYSTROKE,
        ),
        Figure(
            "first_keystroke_ms",
            "first keystroke of a session (reads the boosts)",
            "ms",
            _ms(median(first)),
            [round(k, 4) for k in first],
            note="median over the runs; in the pooled figures too",
        ),
        Figure(
            "after_log_keystroke_max_ms",
            "first keystroke after logging a food, slowest",
            "ms",
            _ms(max(after_log) if after_log else None),
            [round(k, 4) for k in after_log],
            note=f"{len(after_log) // runs} a run",
        ),
        Figure(
            "log_food_ms",
            "NutritionService.log_food (not a keystroke)",
            "ms",
            _ms(median(logs)),
            [round(t, 3) for t in logs],
        ),
        *_keystroke_figures(
            "raw_",
            "FoodIndex.search per keystroke (no diary)",
            raw_keys,
            len(raw_keys) // runs,
            "",
        ),
        Figure(
            "index_build_ms",
            "index build (FoodIndex.load)",
            "ms",
            _ms(median(build)),
            [round(b, 3) for b in build],
            attempts=ctx.runs,
        ),
        Figure(
            "import_ms",
            "import crampdiary.storage.foods",
            "ms",
            _ms(median(imports)),
            [round(t, 3) for t in imports],
            attempts=ctx.runs,
        ),
        Figure(
            "open_ms",
            "open the diary and make the NutritionService",
            "ms",
            _ms(median(opens)),
            [round(t, 3) for t in opens],
            attempts=ctx.runs,
        ),
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
    title=(
        "Food search: typed one character at a time through NutritionService on the demo "
        "diary, and on the raw USDA index (new process each run)"
    ),
    run=run,
    needs_diary=True,
)
