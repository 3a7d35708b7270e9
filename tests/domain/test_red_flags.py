"""domain.red_flags: each rule firing and not firing at its threshold (GUIDE 4.3, issue 5)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from crampdiary.domain.nutrition import DailyIntake, NutrientTotal, Reference
from crampdiary.domain.records import Day, Episode, Medication, Night
from crampdiary.domain.red_flags import evaluate

TODAY = date(2026, 6, 1)
LAST = TODAY - timedelta(days=1)  # the last complete night


def ep(night: date) -> Episode:
    return Episode(datetime.combine(night, time(23, 0)), 60, "calf", "left", 5)


def diary(start: date, pattern: str) -> tuple[list[Episode], list[Night]]:
    """'c' cramp night, 'n' no-cramp night, '.' not logged, from ``start``."""
    eps: list[Episode] = []
    nts: list[Night] = []
    for i, ch in enumerate(pattern):
        d = start + timedelta(days=i)
        if ch == "c":
            eps.append(ep(d))
        elif ch == "n":
            nts.append(Night(d, no_cramps=True))
    return eps, nts


def rules(**kw: object) -> list[str]:
    args: dict[str, object] = {
        "episodes": [],
        "nights": [],
        "days": [],
        "medications": [],
        "intakes": [],
    }
    args.update(kw)
    flags = evaluate(
        args["episodes"],  # type: ignore[arg-type]
        args["nights"],  # type: ignore[arg-type]
        args["days"],  # type: ignore[arg-type]
        args["medications"],  # type: ignore[arg-type]
        args["intakes"],  # type: ignore[arg-type]
        today=TODAY,
    )
    return [f.rule for f in flags]


def test_empty_diary_has_no_flags() -> None:
    assert rules() == []


# --- urgent symptom, last 14 days -------------------------------------------------------------


def test_urgent_symptom_on_day_14_fires_and_comes_first() -> None:
    days = [
        Day(TODAY - timedelta(days=13), symptoms=("one_leg_swelling_redness_warmth",)),
        Day(TODAY, symptoms=("daytime_cramps",)),
    ]
    flags = evaluate([], [], days, [], [], today=TODAY)
    assert [f.rule for f in flags] == ["urgent_symptom", "daytime_cramps"]
    assert flags[0].kind == "urgent"
    assert flags[0].triggers == ("Day 2026-05-19: one leg swollen, red or warm",)
    assert flags[0].help == "when_to_see"


def test_urgent_symptom_on_day_15_does_not_fire() -> None:
    days = [Day(TODAY - timedelta(days=14), symptoms=("one_leg_swelling_redness_warmth",))]
    assert rules(days=days) == []


# --- 4-week rate vs baseline ------------------------------------------------------------------

BASE_START = date(2026, 1, 1)


def rate_diary(recent_cramps: int) -> tuple[list[Episode], list[Night]]:
    # Baseline: 14 nights, 5 with cramps (5/14). The last 4 weeks: 28 logged nights, no
    # 2-week run of 3 cramp nights a week (cramps packed into the first 2 weeks).
    base = "ccccc" + "n" * 9
    recent = "c" * recent_cramps + "n" * (28 - recent_cramps)
    e1, n1 = diary(BASE_START, base)
    e2, n2 = diary(LAST - timedelta(days=27), recent)
    return e1 + e2, n1 + n2


def test_rate_exactly_twice_baseline_fires() -> None:
    eps, nts = rate_diary(20)  # 20/28 = 10/14 = 2.0 x 5/14
    flags = evaluate(eps, nts, [], [], [], today=TODAY)
    flag = next(f for f in flags if f.rule == "rate_doubled")
    assert flag.triggers == (
        "Last 4 weeks (2026-05-04 to 2026-05-31): 20 of 28 logged nights with cramps",
        "First 14 logged nights (2026-01-01 to 2026-01-14): 5 of 14 logged nights with cramps",
    )


def test_rate_below_twice_baseline_does_not_fire() -> None:
    eps, nts = rate_diary(19)  # 19/28 = 1.9 x baseline
    assert "rate_doubled" not in rules(episodes=eps, nights=nts)


def test_rate_needs_14_baseline_nights() -> None:
    e1, n1 = diary(BASE_START, "n" * 13)
    e2, n2 = diary(LAST - timedelta(days=6), "c" * 7)  # 20 logged nights in all
    assert "rate_doubled" in rules(episodes=e1 + e2, nights=n1 + n2)
    e1, n1 = diary(BASE_START, "n" * 6)  # 13 logged nights in all
    assert "rate_doubled" not in rules(episodes=e1 + e2, nights=n1 + n2)


def test_rate_needs_7_nights_in_the_4_weeks() -> None:
    e1, n1 = diary(BASE_START, "n" * 14)
    e2, n2 = diary(LAST - timedelta(days=6), "n" * 6 + "c")
    assert "rate_doubled" in rules(episodes=e1 + e2, nights=n1 + n2)
    e2, n2 = diary(LAST - timedelta(days=5), "n" * 5 + "c")
    assert "rate_doubled" not in rules(episodes=e1 + e2, nights=n1 + n2)


# --- 3 cramp nights a week, 2 weeks -----------------------------------------------------------


def test_three_cramp_nights_in_each_of_two_weeks_fires() -> None:
    eps, nts = diary(LAST - timedelta(days=13), "cccnnnn" + "nnnnccc")
    assert rules(episodes=eps, nights=nts) == ["frequent_weeks"]


def test_two_cramp_nights_in_one_week_does_not_fire() -> None:
    eps, nts = diary(LAST - timedelta(days=13), "ccnnnnn" + "nnnnccc")
    assert rules(episodes=eps, nights=nts) == []
    # Tonight (the night of today) is not complete yet: it does not count.
    eps, nts = diary(LAST - timedelta(days=12), "ccnnnnn" + "nnnncc" + "c")
    assert rules(episodes=eps, nights=nts) == []


# --- sleep disturbance ------------------------------------------------------------------------


def test_mean_sleep_disturbance_five_fires_and_four_point_nine_does_not() -> None:
    def nights(scores: list[int]) -> list[Night]:
        return [Night(LAST - timedelta(days=i), sleep_disturbance=s) for i, s in enumerate(scores)]

    old = [Night(LAST - timedelta(days=30), sleep_disturbance=0)]  # beyond the last 14 scored
    flags = evaluate([], nights([5] * 14) + old, [], [], [], today=TODAY)
    assert [f.rule for f in flags] == ["sleep_disturbed"]
    assert flags[0].triggers == (
        "Nights 2026-05-18 to 2026-05-31: mean sleep disturbance 5.0/10 over 14 nights",
    )
    assert rules(nights=nights([5] * 9 + [4] * 1) + old) == []  # 49/10 = 4.9


# --- symptoms, last 28 days -------------------------------------------------------------------


def test_symptoms_on_day_28_fire_and_day_29_does_not() -> None:
    d28, d29 = TODAY - timedelta(days=27), TODAY - timedelta(days=28)
    for symptom, rule in [
        ("numbness_tingling", "neuro_symptoms"),
        ("weakness", "neuro_symptoms"),
        ("muscle_wasting_twitching", "neuro_symptoms"),
        ("pain_walking_eases_with_rest", "walking_pain"),
        ("daytime_cramps", "daytime_cramps"),
    ]:
        assert rules(days=[Day(d28, symptoms=(symptom,))]) == [rule]
        assert rules(days=[Day(d29, symptoms=(symptom,))]) == []


# --- medicines --------------------------------------------------------------------------------

START = date(2026, 3, 1)


def test_first_cramps_8_weeks_after_a_listed_medicine_fire() -> None:
    med = Medication("Atorvastatin 20 mg", started_on=START)
    eps, nts = diary(START - timedelta(days=10), "n" * 10)
    flags = evaluate([*eps, ep(START + timedelta(days=56))], nts, [], [med], [], today=TODAY)
    assert [f.rule for f in flags] == ["medicine_start"]
    assert flags[0].triggers == (
        "Medicine Atorvastatin 20 mg, started 2026-03-01: first cramp night 2026-04-26",
    )


def test_first_cramps_8_weeks_and_a_day_after_do_not_fire() -> None:
    med = Medication("Atorvastatin", started_on=START)
    assert rules(episodes=[ep(START + timedelta(days=57))], medications=[med]) == []


def test_unlisted_medicine_does_not_fire() -> None:
    med = Medication("Paracetamol", started_on=START)
    assert rules(episodes=[ep(START + timedelta(days=1))], medications=[med]) == []


def test_rate_after_start_one_and_a_half_times_before_fires() -> None:
    med = Medication("Furosemide", started_on=START)
    before = "cccc" + "n" * 24  # 4/28
    for after_cramps, fires in [(6, True), (5, False)]:  # 6/28 = 1.5x, 5/28 = 1.25x
        after = "c" * after_cramps + "n" * (28 - after_cramps)
        eps, nts = diary(START - timedelta(days=28), before + after)
        got = rules(episodes=eps, nights=nts, medications=[med])
        assert ("medicine_start" in got) is fires


# --- magnesium --------------------------------------------------------------------------------

MG_REF = Reference(
    nutrient="magnesium",
    life_stage="31-50",
    sex="female",
    value=320.0,
    kind="RDA",
    upper_limit=350.0,
    upper_limit_scope="supplements",
    source="IOM 1997",
    upper_limit_source="IOM 1997",
)


def intake(day: date, supplements: float) -> DailyIntake:
    total = NutrientTotal(
        "magnesium", 200.0, supplements, 200.0 + supplements, "mg", 0, MG_REF, None, ()
    )
    return DailyIntake(day, 1, 0.0, {"magnesium": total})


def test_magnesium_above_limit_on_day_7_fires() -> None:
    day7 = TODAY - timedelta(days=6)
    flags = evaluate([], [], [], [], [intake(day7, 351.0)], today=TODAY)
    assert [f.rule for f in flags] == ["magnesium_above_limit"]
    assert flags[0].triggers[0].startswith("Day 2026-05-26: Magnesium from supplements is above")


def test_magnesium_at_limit_or_on_day_8_does_not_fire() -> None:
    assert rules(intakes=[intake(TODAY, 350.0)]) == []
    assert rules(intakes=[intake(TODAY - timedelta(days=7), 400.0)]) == []
