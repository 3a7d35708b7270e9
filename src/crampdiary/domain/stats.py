"""Domain layer: every figure of a period, computed once (GUIDE §2.3; issue 5).

A period is the nights ``first`` to ``last`` inclusive; the previous period is the same number of
nights just before it. The trends tab, the clinician PDF and ``crampdiary summary`` all read
these figures; none computes them again.

Definitions (N = logged nights, Nc = logged nights with at least one cramp, C = cramps):

- a night is *logged* when it has an episode or a night record (a "no cramps" record too);
- ``cramp_nights_per_week`` = Nc / N x 7, None when N < 7 (never extrapolated);
- ``cramps_per_night`` = C / N, None when N = 0;
- severity: each cramp's peak NRS; median, mean and maximum, None without cramps;
- duration in minutes: median and quartiles by linear interpolation between order statistics
  (Hyndman and Fan type 7, the default of R and NumPy), None without cramps;
- ``cramps_over_10_min``: cramps lasting more than 600 s;
- ``nights_woken``: logged nights with at least one cramp that woke the sleeper;
- ``nights_woken_pct`` = nights_woken / N x 100, None when N = 0;
- ``sleep_disturbance_mean``: mean of the night records' 0-10 sleep disturbance where recorded,
  None when none is;
- ``cramps_per_week`` = C / N x 7, None when N < 7 (like ``cramp_nights_per_week``);
- ``cramps_over_10_min_pct`` = cramps_over_10_min / C x 100, None without cramps;
- ``location_split``: cramps per "muscle/side", by count (most first) then name;
- ``change`` (``PeriodSummary.change()``): for each numeric figure, the absolute change against
  the previous period and the % change (None where either value is None or the previous is 0);
- ``routine_adherence`` = done / (done + undone) over the scheduled item-nights of the nights
  with a diary or routine entry, skips in neither (``domain.routine.adherence``), None when
  nothing counted;
- intakes: the day of D goes with the night of D; nutrient averages (food plus supplements) are
  over the days with at least one food entry, fluids (drinks only) over the days with at least
  one drink; None when there is no such day.

Counts are 0 when nothing is logged; rates, averages and quartiles are None where undefined.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from crampdiary.domain import routine
from crampdiary.domain.nutrition import DailyIntake
from crampdiary.domain.records import Episode, Night, RoutineCheck
from crampdiary.domain.routine import RoutineHistory

WEEK = 7
MIN_NIGHTS_FOR_WEEKLY = 7
LONG_CRAMP_S = 600


@dataclass(frozen=True)
class PeriodSummary:
    """The figures of one period, named as ``crampdiary summary --json`` prints them."""

    first: date
    last: date
    nights_in_period: int
    nights_logged: int
    cramp_nights: int
    cramp_nights_per_week: float | None
    cramps_per_night: float | None
    total_cramps: int
    severity_median: float | None
    severity_mean: float | None
    severity_max: int | None
    duration_median_min: float | None
    duration_q1_min: float | None
    duration_q3_min: float | None
    cramps_over_10_min: int
    nights_woken: int
    routine_adherence: float | None
    food_days: int
    magnesium_per_day: float | None
    calcium_per_day: float | None
    vitamin_d_per_day: float | None
    potassium_per_day: float | None
    fluid_days: int
    fluids_per_day_ml: float | None
    previous: PeriodSummary | None = None
    # Figures added after the names (GUIDE §2.3); JSON order follows field order.
    nights_woken_pct: float | None = None
    sleep_disturbance_mean: float | None = None
    cramps_per_week: float | None = None
    cramps_over_10_min_pct: float | None = None
    location_split: tuple[tuple[str, int], ...] = ()

    def figures(self) -> dict[str, Any]:
        """The figures by their JSON names (``previous`` nested the same way, or None), then
        ``change`` against the previous period (None without one)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("first", "last"):
                continue
            value = getattr(self, f.name)
            if isinstance(value, PeriodSummary):
                value = value.figures()
            elif f.name == "location_split":
                value = dict(value)
            out[f.name] = value
        change = self.change()
        out["change"] = (
            None
            if change is None
            else {name: {"absolute": a, "percent": p} for name, (a, p) in change.items()}
        )
        return out

    def change(self) -> dict[str, tuple[float | None, float | None]] | None:
        """Each numeric figure's (absolute, % change) against ``previous``; None without one.

        Absolute = this - previous; % = (this - previous) / previous x 100. Either is None when
        one of the values is None, and % also when the previous value is 0.
        """
        if self.previous is None:
            return None
        out: dict[str, tuple[float | None, float | None]] = {}
        for name in NUMERIC_FIGURE_NAMES:
            now, before = getattr(self, name), getattr(self.previous, name)
            if now is None or before is None:
                out[name] = (None, None)
                continue
            diff = now - before
            out[name] = (diff, diff / before * 100 if before != 0 else None)
        return out


ADDED_FIGURE_NAMES: tuple[str, ...] = (
    "nights_woken_pct",
    "sleep_disturbance_mean",
    "cramps_per_week",
    "cramps_over_10_min_pct",
    "location_split",
)
FIGURE_NAMES: tuple[str, ...] = tuple(
    f.name
    for f in fields(PeriodSummary)
    if f.name not in ("first", "last", "previous", *ADDED_FIGURE_NAMES)
)
"""The issue's 22 names, in JSON order; ``ADDED_FIGURE_NAMES`` and ``change`` follow them."""
NUMERIC_FIGURE_NAMES: tuple[str, ...] = (*FIGURE_NAMES, *ADDED_FIGURE_NAMES[:-1])
"""The figures that ``change`` compares (all but ``location_split``)."""
INTAKE_NUTRIENTS = ("magnesium", "calcium", "vitamin_d", "potassium")


def quantile(values: Sequence[float], p: float) -> float | None:
    """The p-quantile (0..1) by linear interpolation between order statistics (type 7)."""
    if not values:
        return None
    if not 0 <= p <= 1:
        raise ValueError("p must be from 0 to 1")
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The same number of nights just before first..last."""
    nights = (last - first).days + 1
    return first - timedelta(days=nights), first - timedelta(days=1)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _location_split(episodes: Sequence[Episode]) -> tuple[tuple[str, int], ...]:
    counts = Counter(f"{e.muscle}/{e.side}" for e in episodes)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _has_drink(day: DailyIntake) -> bool:
    return day.drink_entries > 0 or day.drinks_ml > 0


def summarise_period(
    first: date,
    last: date,
    *,
    episodes: Iterable[Episode] = (),
    nights: Iterable[Night] = (),
    intakes: Iterable[DailyIntake] = (),
    history: RoutineHistory | None = None,
    checks: Iterable[RoutineCheck] = (),
) -> PeriodSummary:
    """The figures of the nights first..last; records outside the period are ignored."""
    if last < first:
        raise ValueError("the period ends before it starts")
    mine = [e for e in episodes if first <= e.night_of <= last]
    records = [n for n in nights if first <= n.night_of <= last]
    days = [d for d in intakes if first <= d.day <= last]
    cramp_nights = {e.night_of for e in mine}
    logged = cramp_nights | {n.night_of for n in records}
    n_logged, n_cramp, total = len(logged), len(cramp_nights), len(mine)

    severities = [float(e.severity) for e in mine]
    long_cramps = sum(1 for e in mine if e.duration_s > LONG_CRAMP_S)
    nights_woken = len({e.night_of for e in mine if e.woke_from_sleep})
    minutes = [e.duration_s / 60 for e in mine]
    adherence = routine.adherence(
        history or RoutineHistory(()),
        [c for c in checks if first <= c.night_of <= last],
        logged,
        first=first,
        last=last,
    )
    food_days = [d for d in days if d.food_entries > 0]
    fluid_days = [d for d in days if _has_drink(d)]
    per_day = {
        n: _mean([d.totals[n].total for d in food_days]) if food_days else None
        for n in INTAKE_NUTRIENTS
    }
    return PeriodSummary(
        first=first,
        last=last,
        nights_in_period=(last - first).days + 1,
        nights_logged=n_logged,
        cramp_nights=n_cramp,
        cramp_nights_per_week=(
            n_cramp / n_logged * WEEK if n_logged >= MIN_NIGHTS_FOR_WEEKLY else None
        ),
        cramps_per_night=total / n_logged if n_logged else None,
        total_cramps=total,
        severity_median=quantile(severities, 0.5),
        severity_mean=_mean(severities),
        severity_max=max((e.severity for e in mine), default=None),
        duration_median_min=quantile(minutes, 0.5),
        duration_q1_min=quantile(minutes, 0.25),
        duration_q3_min=quantile(minutes, 0.75),
        cramps_over_10_min=long_cramps,
        nights_woken=nights_woken,
        routine_adherence=adherence.rate,
        food_days=len(food_days),
        magnesium_per_day=per_day["magnesium"],
        calcium_per_day=per_day["calcium"],
        vitamin_d_per_day=per_day["vitamin_d"],
        potassium_per_day=per_day["potassium"],
        fluid_days=len(fluid_days),
        fluids_per_day_ml=_mean([d.drinks_ml for d in fluid_days]),
        nights_woken_pct=nights_woken / n_logged * 100 if n_logged else None,
        sleep_disturbance_mean=_mean(
            [float(n.sleep_disturbance) for n in records if n.sleep_disturbance is not None]
        ),
        cramps_per_week=total / n_logged * WEEK if n_logged >= MIN_NIGHTS_FOR_WEEKLY else None,
        cramps_over_10_min_pct=long_cramps / total * 100 if total else None,
        location_split=_location_split(mine),
    )


def period_summary(
    first: date,
    last: date,
    *,
    episodes: Iterable[Episode] = (),
    nights: Iterable[Night] = (),
    intakes: Iterable[DailyIntake] = (),
    history: RoutineHistory | None = None,
    checks: Iterable[RoutineCheck] = (),
) -> PeriodSummary:
    """The figures of first..last with ``previous``: the same number of nights just before.

    Pass the records of both periods (previous_period(first, last)[0] .. last).
    """
    eps, nts, days, chk = list(episodes), list(nights), list(intakes), list(checks)
    prev_first, prev_last = previous_period(first, last)
    kwargs: dict[str, Any] = {
        "episodes": eps,
        "nights": nts,
        "intakes": days,
        "history": history,
        "checks": chk,
    }
    previous = summarise_period(prev_first, prev_last, **kwargs)
    current = summarise_period(first, last, **kwargs)
    return replace(current, previous=previous)
