"""domain.stats: every figure of a period against hand-worked diaries (GUIDE §2.3, issue 5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from crampdiary.domain import records as rec
from crampdiary.domain.nutrition import NUTRIENTS, UNIT, DailyIntake, NutrientTotal
from crampdiary.domain.routine import RoutineHistory
from crampdiary.domain.stats import (
    ADDED_FIGURE_NAMES,
    FIGURE_NAMES,
    NUMERIC_FIGURE_NAMES,
    period_summary,
    previous_period,
    quantile,
    summarise_period,
)

D = date  # brevity in hand-worked tables
MARCH_1 = D(2026, 3, 1)
MARCH_7 = D(2026, 3, 7)
MARCH_14 = D(2026, 3, 14)


def ep(
    when: datetime,
    severity: int = 5,
    duration_s: int = 60,
    *,
    woke: bool = False,
    muscle: str = "calf",
    side: str = "left",
) -> rec.Episode:
    return rec.Episode(
        started_at=when,
        duration_s=duration_s,
        muscle=muscle,
        side=side,
        severity=severity,
        woke_from_sleep=woke,
    )


def no_cramps(night: date) -> rec.Night:
    return rec.Night(night_of=night, no_cramps=True)


def day(
    on: date,
    *,
    food_entries: int = 0,
    drinks_ml: float = 0.0,
    drink_entries: int = 0,
    **nutrients: float,
) -> DailyIntake:
    totals = {
        n: NutrientTotal(
            nutrient=n,
            food=nutrients.get(n, 0.0),
            supplements=0.0,
            total=nutrients.get(n, 0.0),
            unit=UNIT[n],
            foods_without_data=0,
            reference=None,
            reference_note=None,
            warnings=(),
        )
        for n in NUTRIENTS
    }
    return DailyIntake(
        day=on,
        food_entries=food_entries,
        drinks_ml=drinks_ml,
        totals=totals,
        drink_entries=drink_entries,
    )


# The hand-worked fortnight, 1..14 March 2026:
# - "no cramps" records on the nights of 1, 2, 3, 5, 6, 7 (the 4th is a gap: nothing logged);
# - the night of 8: 23:30 (sev 4, 1 min) and 02:00 on the 9th (sev 7, 15 min, woke);
# - the night of 9: 03:00 on the 10th (sev 5, 5 min, woke);
# - the night of 12: 22:00 (sev 8, 30 s);
# - nights 10, 11, 13, 14: nothing logged.
FORTNIGHT_NIGHTS = [no_cramps(D(2026, 3, d)) for d in (1, 2, 3, 5, 6, 7)]
FORTNIGHT_EPISODES = [
    ep(datetime(2026, 3, 8, 23, 30), 4, 60),
    ep(datetime(2026, 3, 9, 2, 0), 7, 900, woke=True),
    ep(datetime(2026, 3, 10, 3, 0), 5, 300, woke=True),
    ep(datetime(2026, 3, 12, 22, 0), 8, 30),
]


def test_the_figure_names_are_the_json_names_of_the_issue() -> None:
    assert FIGURE_NAMES == (
        "nights_in_period",
        "nights_logged",
        "cramp_nights",
        "cramp_nights_per_week",
        "cramps_per_night",
        "total_cramps",
        "severity_median",
        "severity_mean",
        "severity_max",
        "duration_median_min",
        "duration_q1_min",
        "duration_q3_min",
        "cramps_over_10_min",
        "nights_woken",
        "routine_adherence",
        "food_days",
        "magnesium_per_day",
        "calcium_per_day",
        "vitamin_d_per_day",
        "potassium_per_day",
        "fluid_days",
        "fluids_per_day_ml",
    )


def test_an_empty_period_counts_zero_and_leaves_the_rest_undefined() -> None:
    s = summarise_period(MARCH_1, MARCH_7)
    figures = s.figures()
    assert figures.pop("previous") is None
    assert figures.pop("change") is None
    assert figures.pop("location_split") == {}
    counts = {
        "nights_logged",
        "cramp_nights",
        "total_cramps",
        "cramps_over_10_min",
        "nights_woken",
        "food_days",
        "fluid_days",
    }
    assert figures.pop("nights_in_period") == 7
    for name, value in figures.items():
        if name in counts:
            assert value == 0, name
            assert isinstance(value, int)
        else:
            assert value is None, name


def test_one_night() -> None:
    night = D(2026, 3, 2)
    s = summarise_period(
        night, night, episodes=[ep(datetime(2026, 3, 2, 23, 0), 6, 120, woke=True)]
    )
    assert s.nights_in_period == 1
    assert s.nights_logged == 1
    assert s.cramp_nights == 1
    assert s.cramp_nights_per_week is None  # fewer than 7 nights logged: never extrapolated
    assert s.cramps_per_night == 1.0
    assert s.total_cramps == 1
    assert (s.severity_median, s.severity_mean, s.severity_max) == (6.0, 6.0, 6)
    assert (s.duration_q1_min, s.duration_median_min, s.duration_q3_min) == (2.0, 2.0, 2.0)
    assert s.cramps_over_10_min == 0
    assert s.nights_woken == 1


def test_the_hand_worked_fortnight_with_gaps() -> None:
    s = summarise_period(MARCH_1, MARCH_14, episodes=FORTNIGHT_EPISODES, nights=FORTNIGHT_NIGHTS)
    assert s.nights_in_period == 14
    assert s.nights_logged == 9  # 6 "no cramps" records + nights 8, 9 and 12
    assert s.cramp_nights == 3
    assert s.cramp_nights_per_week == pytest.approx(3 / 9 * 7)
    assert s.cramps_per_night == pytest.approx(4 / 9)
    assert s.total_cramps == 4
    # severities 4, 7, 5, 8: median (5 + 7) / 2, mean 24 / 4
    assert (s.severity_median, s.severity_mean, s.severity_max) == (6.0, 6.0, 8)
    # minutes 0.5, 1, 5, 15 (type 7):
    # q1 = 0.5 + 0.75 x 0.5, median = 1 + 0.5 x 4, q3 = 5 + 0.25 x 10
    assert s.duration_q1_min == pytest.approx(0.875)
    assert s.duration_median_min == pytest.approx(3.0)
    assert s.duration_q3_min == pytest.approx(7.5)
    assert s.cramps_over_10_min == 1
    assert s.nights_woken == 2  # two waking cramps, on two nights (8 and 9)
    assert s.nights_woken_pct == pytest.approx(2 / 9 * 100)
    assert s.cramps_per_week == pytest.approx(4 / 9 * 7)  # 9 logged nights: defined
    assert s.cramps_over_10_min_pct == pytest.approx(25.0)  # 1 of 4 cramps over 600 s
    assert s.sleep_disturbance_mean is None  # no night record gives one
    assert s.location_split == (("calf/left", 4),)


def test_nights_with_only_a_no_cramps_record_count_as_logged_without_cramps() -> None:
    s = summarise_period(MARCH_1, MARCH_7, nights=FORTNIGHT_NIGHTS, episodes=FORTNIGHT_EPISODES)
    assert s.nights_logged == 6
    assert s.cramp_nights == 0
    assert s.total_cramps == 0
    assert s.cramp_nights_per_week is None  # 6 < 7 logged nights
    assert s.cramps_per_night == 0.0  # defined: no cramps on 6 logged nights
    assert s.severity_median is None
    assert s.severity_mean is None
    assert s.severity_max is None
    assert s.duration_median_min is None


def test_seven_logged_nights_give_a_weekly_rate_and_zero_is_a_real_zero() -> None:
    nights = [no_cramps(D(2026, 3, d)) for d in range(1, 8)]
    s = summarise_period(MARCH_1, MARCH_7, nights=nights)
    assert s.nights_logged == 7
    assert s.cramp_nights_per_week == 0.0


def test_episodes_just_before_and_after_noon() -> None:
    before = ep(datetime(2026, 3, 3, 11, 59))  # still the night of the 2nd
    after = ep(datetime(2026, 3, 3, 12, 0))  # the night of the 3rd
    both = [before, after]
    second = summarise_period(D(2026, 3, 2), D(2026, 3, 2), episodes=both)
    third = summarise_period(D(2026, 3, 3), D(2026, 3, 3), episodes=both)
    assert (second.total_cramps, third.total_cramps) == (1, 1)
    whole = summarise_period(D(2026, 3, 2), D(2026, 3, 3), episodes=both)
    assert (whole.nights_logged, whole.cramp_nights, whole.total_cramps) == (2, 2, 2)
    outside = summarise_period(D(2026, 3, 4), D(2026, 3, 4), episodes=both)
    assert outside.nights_logged == 0


def test_the_previous_period_is_the_same_number_of_nights_just_before() -> None:
    assert previous_period(D(2026, 3, 8), MARCH_14) == (MARCH_1, MARCH_7)
    assert previous_period(D(2026, 3, 1), D(2026, 3, 1)) == (D(2026, 2, 28), D(2026, 2, 28))
    s = period_summary(
        D(2026, 3, 8), MARCH_14, episodes=FORTNIGHT_EPISODES, nights=FORTNIGHT_NIGHTS
    )
    assert (s.first, s.last) == (D(2026, 3, 8), MARCH_14)
    assert (s.nights_logged, s.cramp_nights, s.total_cramps) == (3, 3, 4)
    assert s.cramp_nights_per_week is None
    assert s.cramps_per_night == pytest.approx(4 / 3)
    prev = s.previous
    assert prev is not None
    assert (prev.first, prev.last) == (MARCH_1, MARCH_7)
    assert prev.previous is None
    assert (prev.nights_in_period, prev.nights_logged, prev.cramp_nights) == (7, 6, 0)
    assert s.figures()["previous"] == prev.figures()
    assert "previous" in prev.figures()


def test_an_episode_before_noon_on_the_first_day_belongs_to_the_previous_period() -> None:
    early = ep(datetime(2026, 3, 8, 11, 0))  # the night of the 7th
    s = period_summary(D(2026, 3, 8), MARCH_14, episodes=[early])
    assert s.total_cramps == 0
    assert s.previous is not None
    assert s.previous.total_cramps == 1


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        (list(range(1, 11)), 0.25, 3.25),  # R: quantile(1:10, .25)
        (list(range(1, 11)), 0.5, 5.5),
        (list(range(1, 11)), 0.75, 7.75),
        ([7, 1, 3], 0.25, 2.0),  # unsorted input: 1, 3, 7
        ([7, 1, 3], 0.75, 5.0),
        ([4.0], 0.25, 4.0),
        ([2, 4], 0.0, 2.0),
        ([2, 4], 1.0, 4.0),
    ],
)
def test_quartiles_type_7(values: list[float], p: float, expected: float) -> None:
    assert quantile(values, p) == pytest.approx(expected)


def test_a_quantile_of_nothing_is_undefined() -> None:
    assert quantile([], 0.5) is None
    with pytest.raises(ValueError):
        quantile([1.0], 1.5)


def test_intakes_average_over_food_days_and_fluids_over_drink_days() -> None:
    intakes = [
        day(MARCH_1, food_entries=2, magnesium=300, calcium=800, vitamin_d=5, potassium=2000),
        # supplements only, no food: not a food day; drinks make it a fluid day
        day(D(2026, 3, 2), drinks_ml=500, drink_entries=2, magnesium=250),
        day(D(2026, 3, 3), food_entries=1, drinks_ml=1000, drink_entries=1, magnesium=100),
        day(D(2026, 3, 8), food_entries=5, drinks_ml=9000, drink_entries=9, magnesium=9999),
    ]
    s = summarise_period(MARCH_1, MARCH_7, intakes=intakes)
    assert s.food_days == 2
    assert s.magnesium_per_day == pytest.approx(200.0)
    assert s.calcium_per_day == pytest.approx(400.0)
    assert s.vitamin_d_per_day == pytest.approx(2.5)
    assert s.potassium_per_day == pytest.approx(1000.0)
    assert s.fluid_days == 2
    assert s.fluids_per_day_ml == pytest.approx(750.0)


def test_no_food_or_drink_day_leaves_averages_undefined() -> None:
    s = summarise_period(MARCH_1, MARCH_7, intakes=[day(MARCH_1), day(D(2026, 3, 2))])
    assert (s.food_days, s.fluid_days) == (0, 0)
    assert s.magnesium_per_day is None
    assert s.fluids_per_day_ml is None


def test_food_without_drinks_leaves_fluids_undefined() -> None:
    s = summarise_period(MARCH_1, MARCH_1, intakes=[day(MARCH_1, food_entries=1, magnesium=50)])
    assert s.magnesium_per_day == 50.0
    assert s.fluids_per_day_ml is None


def _routine(**changes: Any) -> RoutineHistory:
    return RoutineHistory(
        [rec.RoutineItem(key="calf", title="Calf stretch", valid_from=MARCH_1, **changes)]
    )


def _check(night: date, state: str) -> rec.RoutineCheck:
    return rec.RoutineCheck(night_of=night, item="calf", state=state)


def test_routine_adherence_counts_nights_with_a_diary_or_routine_entry() -> None:
    checks = [
        _check(D(2026, 3, 1), "done"),  # logged night, done
        _check(D(2026, 3, 2), "skipped"),  # in neither part
        _check(D(2026, 3, 4), "done"),  # no diary entry, but a routine entry: counts
        _check(D(2026, 3, 9), "done"),  # outside the period
    ]
    # logged: 1, 2, 3, 5, 6, 7 ("no cramps" records); 3, 5, 6, 7 have no check: undone
    s = summarise_period(
        MARCH_1, MARCH_7, nights=FORTNIGHT_NIGHTS, history=_routine(), checks=checks
    )
    assert s.routine_adherence == pytest.approx(2 / 6)


def test_routine_adherence_is_undefined_without_a_counted_item_night() -> None:
    assert summarise_period(MARCH_1, MARCH_7, nights=FORTNIGHT_NIGHTS).routine_adherence is None
    skipped = [_check(D(2026, 3, 1), "skipped")]
    s = summarise_period(MARCH_1, MARCH_1, history=_routine(), checks=skipped)
    assert s.routine_adherence is None  # one night, every item skipped
    # Nothing logged and nothing ticked: no night counts.
    assert summarise_period(MARCH_1, MARCH_7, history=_routine()).routine_adherence is None


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        summarise_period(MARCH_7, MARCH_1)


# --- figures added after the issue's names (GUIDE §2.3) -----------------------------------------


def test_the_added_names_follow_the_issue_names_then_change() -> None:
    assert ADDED_FIGURE_NAMES == (
        "nights_woken_pct",
        "sleep_disturbance_mean",
        "cramps_per_week",
        "cramps_over_10_min_pct",
        "location_split",
    )
    assert (*FIGURE_NAMES, *ADDED_FIGURE_NAMES[:-1]) == NUMERIC_FIGURE_NAMES
    names = list(summarise_period(MARCH_1, MARCH_7).figures())
    assert names == [*FIGURE_NAMES, "previous", *ADDED_FIGURE_NAMES, "change"]


def test_sleep_disruption_by_hand() -> None:
    nights = [
        rec.Night(night_of=D(2026, 3, 1), no_cramps=True, sleep_disturbance=2),
        rec.Night(night_of=D(2026, 3, 2), no_cramps=True),  # no score: not in the mean
        rec.Night(night_of=D(2026, 3, 3), no_cramps=True, sleep_disturbance=5),
        rec.Night(night_of=D(2026, 3, 4), sleep_disturbance=8),  # the cramp night
        rec.Night(night_of=D(2026, 3, 9), sleep_disturbance=10),  # outside the period
    ]
    episodes = [
        ep(datetime(2026, 3, 4, 23, 0), woke=True),
        ep(datetime(2026, 3, 5, 2, 0), woke=True),  # same night (the 4th): counted once
        ep(datetime(2026, 3, 6, 1, 0)),  # the night of the 5th, did not wake
    ]
    s = summarise_period(MARCH_1, MARCH_7, nights=nights, episodes=episodes)
    # logged nights 1, 2, 3, 4, 5; woken on 1 of them
    assert s.nights_logged == 5
    assert s.nights_woken == 1
    assert s.nights_woken_pct == pytest.approx(20.0)
    assert s.sleep_disturbance_mean == pytest.approx(5.0)  # (2 + 5 + 8) / 3


def test_sleep_disruption_undefined_or_zero() -> None:
    empty = summarise_period(MARCH_1, MARCH_7)
    assert empty.nights_woken_pct is None  # no night logged
    assert empty.sleep_disturbance_mean is None
    quiet = summarise_period(MARCH_1, MARCH_7, nights=FORTNIGHT_NIGHTS)
    assert quiet.nights_woken_pct == 0.0  # six logged nights, none woken: a real zero
    assert quiet.sleep_disturbance_mean is None  # no score recorded


def test_cramps_per_week_needs_seven_logged_nights() -> None:
    one = summarise_period(
        D(2026, 3, 2), D(2026, 3, 2), episodes=[ep(datetime(2026, 3, 2, 23, 0), duration_s=601)]
    )
    assert one.cramps_per_week is None  # 1 < 7 logged nights
    assert one.cramps_over_10_min_pct == 100.0  # 601 s is over 10 min
    nights = [no_cramps(D(2026, 3, d)) for d in range(1, 8)]
    episodes = [
        ep(datetime(2026, 3, 1, 23, 0), duration_s=600),  # exactly 10 min: not over
        ep(datetime(2026, 3, 2, 1, 0), duration_s=700),  # the night of the 1st
        ep(datetime(2026, 3, 5, 23, 0), duration_s=30),
    ]
    s = summarise_period(MARCH_1, MARCH_7, nights=nights, episodes=episodes)
    assert s.cramps_per_week == pytest.approx(3.0)  # 3 cramps / 7 nights x 7
    assert s.cramps_over_10_min_pct == pytest.approx(100 / 3)
    quiet = summarise_period(MARCH_1, MARCH_7, nights=nights)
    assert quiet.cramps_per_week == 0.0
    assert quiet.cramps_over_10_min_pct is None  # no cramps


def test_location_split_by_count_then_name() -> None:
    places = [("calf", "right")] * 7 + [("calf", "left")] * 2 + [("foot", "both")]
    episodes = [
        ep(datetime(2026, 3, 1 + i % 7, 23, 0), muscle=m, side=side)
        for i, (m, side) in enumerate(places)
    ]
    s = summarise_period(MARCH_1, MARCH_7, episodes=episodes)
    assert s.location_split == (("calf/right", 7), ("calf/left", 2), ("foot/both", 1))
    assert list(s.figures()["location_split"].items()) == [
        ("calf/right", 7),
        ("calf/left", 2),
        ("foot/both", 1),
    ]
    tied = [
        ep(datetime(2026, 3, 1, 23, 0), muscle="foot", side="left"),
        ep(datetime(2026, 3, 2, 23, 0), muscle="calf", side="right"),
        ep(datetime(2026, 3, 3, 23, 0), muscle="calf", side="left"),
        ep(datetime(2026, 3, 9, 23, 0), muscle="toes", side="left"),  # outside the period
    ]
    s = summarise_period(MARCH_1, MARCH_7, episodes=tied)
    assert s.location_split == (("calf/left", 1), ("calf/right", 1), ("foot/left", 1))


def _two_weeks() -> tuple[list[rec.Night], list[rec.Episode]]:
    # Previous week (1..7): every night logged; cramps on the 1st (sev 4) and 2nd (sev 6).
    # This week (8..14): every night logged; cramps on the 8th, 9th, 10th (sev 8 each).
    nights = [rec.Night(night_of=D(2026, 3, d)) for d in range(1, 15)]
    episodes = [
        ep(datetime(2026, 3, 1, 23, 0), 4),
        ep(datetime(2026, 3, 2, 23, 0), 6),
        *(ep(datetime(2026, 3, d, 23, 0), 8) for d in (8, 9, 10)),
    ]
    return nights, episodes


def test_change_against_the_previous_period_by_hand() -> None:
    nights, episodes = _two_weeks()
    s = period_summary(D(2026, 3, 8), MARCH_14, nights=nights, episodes=episodes)
    change = s.change()
    assert change is not None
    assert list(change) == list(NUMERIC_FIGURE_NAMES)  # location_split is not numeric
    assert change["total_cramps"] == (1, pytest.approx(50.0))  # 3 vs 2
    assert change["cramp_nights_per_week"] == (pytest.approx(1.0), pytest.approx(50.0))
    assert change["cramps_per_week"] == (pytest.approx(1.0), pytest.approx(50.0))
    assert change["severity_mean"] == (pytest.approx(3.0), pytest.approx(60.0))  # 8 vs 5
    assert change["severity_max"] == (2, pytest.approx(100 / 3))  # 8 vs 6
    assert change["nights_logged"] == (0, 0.0)
    assert change["routine_adherence"] == (None, None)  # undefined in both
    assert change["sleep_disturbance_mean"] == (None, None)
    figures = s.figures()
    assert figures["change"]["total_cramps"] == {"absolute": 1, "percent": 50.0}
    assert figures["previous"]["change"] is None  # the previous period has no previous


def test_change_is_undefined_against_none_and_has_no_percent_against_zero() -> None:
    s = period_summary(
        D(2026, 3, 8), MARCH_14, episodes=FORTNIGHT_EPISODES, nights=FORTNIGHT_NIGHTS
    )
    change = s.change()
    assert change is not None
    # this week: 3 logged nights, 3 cramp nights, 4 cramps; previous: 6 logged, 0 cramps
    assert change["nights_logged"] == (-3, pytest.approx(-50.0))
    assert change["cramp_nights"] == (3, None)  # previous 0: no % change
    assert change["cramps_per_night"] == (pytest.approx(4 / 3), None)
    assert change["severity_median"] == (None, None)  # previous undefined
    assert change["cramp_nights_per_week"] == (None, None)  # both under 7 nights
    assert change["nights_woken_pct"] == (pytest.approx(200 / 3), None)  # 2 of 3 vs 0 of 6
    assert summarise_period(MARCH_1, MARCH_7).change() is None
