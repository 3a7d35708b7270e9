"""The bedtime routine's domain: the default items from the GUIDE, the validators, item history,
and the completion, streak and adherence arithmetic against hand-worked cases (skips, paused
items, days of the week, an item edited mid-month, a night with no checks, an empty routine)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crampdiary.domain import records as rec
from crampdiary.domain import routine, vocab
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.routine import RoutineHistory, WeekRow

TODAY = date(2026, 11, 25)  # a Wednesday
NOV = {d: date(2026, 11, d) for d in range(1, 31)}  # Nov 1 2026 is a Sunday


def item(key: str, start: date, **changes: Any) -> rec.RoutineItem:
    return replace(
        rec.RoutineItem(key=key, title=key.replace("_", " ").capitalize(), valid_from=start),
        **changes,
    )


def done(night: date, key: str) -> rec.RoutineCheck:
    return rec.RoutineCheck(night_of=night, item=key, state="done")


def skipped(night: date, key: str, reason: str | None = "ill") -> rec.RoutineCheck:
    return rec.RoutineCheck(night_of=night, item=key, state="skipped", reason=reason)


def undone(night: date, key: str) -> rec.RoutineCheck:
    return rec.RoutineCheck(night_of=night, item=key, state="undone")


# --- the default routine ---------------------------------------------------------------------


def test_the_default_routine_follows_the_guide() -> None:
    keys = [d.key for d in routine.DEFAULT_ROUTINE]
    assert keys == [
        "calf_stretch",
        "hamstring_stretch",
        "seated_stretch",
        "quad_stretch",
        "toe_pull",
        "warm_bath",
        "light_movement",
        "legs_up",
        "drinks_spread",
        "same_sleep_times",
        "daylight",
        "bed_setup",
        "evening_drinks",
    ]
    by_key = routine.DEFAULTS_BY_KEY
    # Hallegraeff 2012: hold 10 s, relax 10 s, 3 times, per leg.
    for key in ("calf_stretch", "hamstring_stretch", "seated_stretch", "quad_stretch"):
        d = by_key[key]
        assert (d.hold_s, d.reps, d.rest_s, d.per_leg, d.stretch) == (10, 3, 10, True, True)
    assert by_key["toe_pull"].per_leg is False and by_key["toe_pull"].hold_s == 10
    assert all(d.evidence == "Low risk; may help" for d in routine.DEFAULT_ROUTINE[:3])
    assert by_key["warm_bath"].evidence == "Helps sleep; no cramp trials"
    assert "no cramp trials" in by_key["same_sleep_times"].evidence
    # The GUIDE's safety notes: numb feet and diabetes with hot water, circulation with legs up.
    assert "numb" in by_key["warm_bath"].safety and "diabetes" in by_key["warm_bath"].safety
    assert by_key["warm_bath"].cautions == ("diabetes",)
    assert "circulation" in by_key["legs_up"].safety
    assert by_key["legs_up"].cautions == ("circulation_problems",)
    assert "limit fluids" in by_key["drinks_spread"].safety
    assert "sharp" in by_key["calf_stretch"].safety and "sturdy" in by_key["calf_stretch"].safety
    assert "pregnant" in routine.BEFORE_YOU_START
    assert "Hold for 10 seconds, ease off for 10 seconds" in by_key["calf_stretch"].instructions
    assert {d.key for d in routine.DEFAULT_ROUTINE if d.active} == {
        "calf_stretch",
        "hamstring_stretch",
        "toe_pull",
        "drinks_spread",
        "same_sleep_times",
        "bed_setup",
    }
    assert all(
        set(c) <= set(vocab.CONDITIONS) for d in routine.DEFAULT_ROUTINE for c in [d.cautions]
    )
    assert routine.guidance("my_own_item") is None


def test_default_items_are_valid_first_versions() -> None:
    items = routine.default_items(NOV[2])
    assert [i.position for i in items] == list(range(len(routine.DEFAULT_ROUTINE)))
    assert all(i.valid_from == NOV[2] and i.days == (1, 2, 3, 4, 5, 6, 7) for i in items)
    for i in items:
        assert rec.validate_routine_item(i, today=TODAY) == i
    assert len({i.id for i in items}) == len(items)


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fld"),
    [
        ({"key": "Calf"}, "key"),
        ({"key": "1calf"}, "key"),
        ({"key": "a" * 41}, "key"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 81}, "title"),
        ({"instructions": "x" * 2001}, "instructions"),
        ({"line": "x" * 121}, "line"),
        ({"days": ()}, "days"),
        ({"days": (0, 1)}, "days"),
        ({"days": (8,)}, "days"),
        ({"days": (True,)}, "days"),
        ({"days": "1234567"}, "days"),
        ({"active": 1}, "active"),
        ({"position": -1}, "position"),
        ({"hold_s": 10}, "reps"),
        ({"reps": 3}, "reps"),
        ({"hold_s": 0, "reps": 3}, "hold_s"),
        ({"hold_s": 10, "reps": 21}, "reps"),
        ({"rest_s": 10}, "rest_s"),
        ({"per_leg": True}, "per_leg"),
        ({"valid_from": None}, "valid_from"),
        ({"valid_from": TODAY + timedelta(days=400)}, "valid_from"),
        ({"id": ""}, "id"),
    ],
)
def test_bad_routine_items_name_the_field(changes: dict[str, Any], fld: str) -> None:
    with pytest.raises(ValidationError) as err:
        rec.validate_routine_item(replace(item("calf", TODAY), **changes), today=TODAY)
    assert err.value.field == fld


def test_a_routine_item_is_tidied() -> None:
    raw = item("calf", TODAY, title="  Calf  ", days=(7, 1, 1, 3), hold_s=20, reps=2)
    got = rec.validate_routine_item(raw, today=TODAY)
    assert (got.title, got.days, got.rest_s) == ("Calf", (1, 3, 7), None)


@pytest.mark.parametrize(
    ("changes", "fld"),
    [
        ({"state": "ticked"}, "state"),
        ({"state": ["done"]}, "state"),
        ({"state": "done", "reason": "ill"}, "reason"),
        ({"state": "skipped", "reason": "bored"}, "reason"),
        ({"note": "x" * 501}, "note"),
        ({"night_of": TODAY + timedelta(days=1)}, "night_of"),
        ({"item": "Calf stretch"}, "item"),
        ({"title": "x" * 81}, "title"),
    ],
)
def test_bad_checks_name_the_field(changes: dict[str, Any], fld: str) -> None:
    check = replace(rec.RoutineCheck(night_of=TODAY, item="calf", state="done"), **changes)
    with pytest.raises(ValidationError) as err:
        rec.validate_routine_check(check, today=TODAY)
    assert err.value.field == fld


def test_a_skip_may_have_no_reason_and_tonight_is_allowed() -> None:
    check = rec.RoutineCheck(night_of=TODAY, item="calf", state="skipped")
    assert rec.validate_routine_check(check, today=TODAY) == check


@pytest.mark.parametrize(
    ("cramps", "worst", "fld"),
    [(-1, None, "cramps"), (51, 5, "cramps"), (2, 11, "worst_severity"), (0, 3, "worst_severity")],
)
def test_bad_paper_tallies(cramps: int, worst: int | None, fld: str) -> None:
    with pytest.raises(ValidationError) as err:
        rec.validate_paper_tally(rec.PaperTally(TODAY, cramps, worst), today=TODAY)
    assert err.value.field == fld


@given(st.text(max_size=60), st.sets(st.sampled_from(["calf", "item", "calf_2", "x"])))
def test_a_key_from_any_title_is_valid_and_new(title: str, taken: set[str]) -> None:
    key = rec.routine_key(title, taken)
    assert rec.validate_routine_key(key) == key and key not in taken


def test_keys_from_titles() -> None:
    assert rec.routine_key("Calf stretch (wall)") == "calf_stretch_wall"
    assert rec.routine_key("Étirement") == "etirement"
    assert rec.routine_key("Растяжка") == "item"
    assert rec.routine_key("Calf", ["calf", "calf_2"]) == "calf_3"
    assert len(rec.routine_key("x" * 60, ["x" * 40])) == 40


# --- history -----------------------------------------------------------------------------------


def test_the_version_in_force_on_each_night() -> None:
    v1 = item("toe", NOV[1], title="Toe pull")
    v2 = item("toe", NOV[15], title="Toe pull (weekends)", days=(6, 7))
    history = RoutineHistory([v2, v1])
    assert history.version_on("toe", NOV[1] - timedelta(days=1)) is None
    assert history.version_on("toe", NOV[14]) == v1
    assert history.version_on("toe", NOV[15]) == v2
    assert history.version_on("nope", NOV[15]) is None
    assert history.first_night == NOV[1]
    assert history.latest("toe") == v2 and history.versions("toe") == (v1, v2)
    assert history.scheduled_on(NOV[16]) == []  # a Monday: weekends only from the 15th
    assert history.scheduled_on(NOV[21]) == [v2]


def test_order_pause_and_removal() -> None:
    a = item("a", NOV[1], position=2)
    b = item("b", NOV[1], position=1)
    c = item("c", NOV[1], position=3, active=False)
    b_gone = replace(b, valid_from=NOV[10], removed=True)
    history = RoutineHistory([a, b, c, b_gone])
    assert history.items_on(NOV[9]) == [b, a, c]
    assert history.scheduled_on(NOV[9]) == [b, a]  # c is paused
    assert history.items_on(NOV[10]) == [a, c]
    assert history.current() == [a, c]
    assert RoutineHistory([]).first_night is None
    assert RoutineHistory([]).current() == []


# --- one night ---------------------------------------------------------------------------------


def three_items() -> RoutineHistory:
    """calf and hamstring every night, toe pull Mon/Wed/Fri, quad paused; from Sun 1 Nov."""
    return RoutineHistory(
        [
            item("calf", NOV[1], position=0),
            item("hamstring", NOV[1], position=1),
            item("toe", NOV[1], position=2, days=(1, 3, 5)),
            item("quad", NOV[1], position=3, active=False),
        ]
    )


def test_completion_counts_skips_out() -> None:
    history = three_items()
    monday = NOV[2]
    night = routine.routine_night(
        history, [done(monday, "calf"), skipped(monday, "hamstring")], monday
    )
    assert [i.key for i, _ in night.rows] == ["calf", "hamstring", "toe"]  # not the paused quad
    assert (night.scheduled, night.done, night.skipped) == (3, 1, 1)
    assert night.completion == pytest.approx(1 / 2)
    assert night.state == "incomplete"
    night = routine.routine_night(
        history, [done(monday, "calf"), skipped(monday, "hamstring"), done(monday, "toe")], monday
    )
    assert night.completion == 1.0 and night.state == "complete"


def test_days_of_the_week() -> None:
    history = three_items()
    tuesday = NOV[3]
    night = routine.routine_night(
        history, [done(tuesday, "calf"), done(tuesday, "hamstring")], tuesday
    )
    assert [i.key for i, _ in night.rows] == ["calf", "hamstring"]
    assert night.state == "complete" and night.completion == 1.0


def test_all_skipped_is_frozen_and_nothing_scheduled_is_empty() -> None:
    history = three_items()
    tuesday = NOV[3]
    night = routine.routine_night(
        history, [skipped(tuesday, "calf", "travelling"), skipped(tuesday, "hamstring")], tuesday
    )
    assert night.state == "frozen" and night.completion is None
    empty = routine.routine_night(RoutineHistory([]), [], tuesday)
    assert empty.state == "empty" and empty.completion is None and empty.rows == ()


def test_undone_and_no_check_are_the_same() -> None:
    history = three_items()
    tuesday = NOV[3]
    one = routine.routine_night(
        history, [done(tuesday, "calf"), undone(tuesday, "hamstring")], tuesday
    )
    other = routine.routine_night(history, [done(tuesday, "calf")], tuesday)
    assert one.completion == other.completion == 0.5
    assert one.state == other.state == "incomplete"
    assert routine.routine_night(history, [], tuesday).state == "incomplete"


def test_checks_of_unscheduled_items_are_ignored() -> None:
    history = three_items()
    tuesday = NOV[3]
    checks = [done(tuesday, "calf"), done(tuesday, "hamstring"), done(tuesday, "toe")]
    checks.append(done(tuesday, "quad"))
    night = routine.routine_night(history, checks, tuesday)
    assert night.scheduled == 2 and night.done == 2


# --- streak ------------------------------------------------------------------------------------


def full(night: date, history: RoutineHistory) -> list[rec.RoutineCheck]:
    return [done(night, i.key) for i in history.scheduled_on(night)]


def test_streak_hand_worked() -> None:
    history = three_items()
    checks: list[rec.RoutineCheck] = []
    for d in (2, 3, 5, 7, 8):
        checks += full(NOV[d], history)
    checks += [skipped(NOV[4], "calf"), skipped(NOV[4], "hamstring"), skipped(NOV[4], "toe")]
    # 6 Nov: no checks at all (breaks). Tonight, 9 Nov: only the calf stretch so far.
    checks.append(done(NOV[9], "calf"))
    assert routine.streak(history, checks, tonight=NOV[9]) == 2  # 8, 7; 6 breaks
    # Tonight complete: it counts.
    tonight_done = [*checks, done(NOV[9], "hamstring"), done(NOV[9], "toe")]
    assert routine.streak(history, tonight_done, tonight=NOV[9]) == 3
    # Fill 6 Nov: 8, 7, 6, 5, (4 frozen: neither breaks nor counts), 3, 2; 1 Nov had no checks.
    filled = checks + full(NOV[6], history)
    assert routine.streak(history, filled, tonight=NOV[9]) == 6
    # With 1 Nov done too, the streak reaches the start of the routine and stops there.
    assert routine.streak(history, filled + full(NOV[1], history), tonight=NOV[9]) == 7


def test_streak_over_nights_with_nothing_scheduled() -> None:
    history = RoutineHistory([item("toe", NOV[1], days=(1, 3, 5))])  # Mon, Wed, Fri
    checks = [done(NOV[d], "toe") for d in (2, 4, 6, 9)]
    # Tonight Tue 10 (nothing due): 9, (8, 7 empty), 6, (5 empty), 4, (3 empty), 2.
    assert routine.streak(history, checks, tonight=NOV[10]) == 4


def test_streak_of_an_empty_routine_is_zero() -> None:
    assert routine.streak(RoutineHistory([]), [], tonight=NOV[9]) == 0
    assert routine.streak(three_items(), [], tonight=NOV[9]) == 0


def test_a_paused_item_does_not_break_the_streak() -> None:
    calf = item("calf", NOV[1])
    toe = item("toe", NOV[1], position=1)
    history = RoutineHistory([calf, toe, replace(toe, valid_from=NOV[5], active=False)])
    checks = [done(NOV[d], "calf") for d in range(1, 10)]
    checks += [done(NOV[d], "toe") for d in range(1, 5)]
    assert routine.streak(history, checks, tonight=NOV[9]) == 9


# --- adherence ---------------------------------------------------------------------------------


def month_history() -> RoutineHistory:
    """calf every night; the toe pull every night until its days changed to weekends on the 15th
    (and its title with them)."""
    return RoutineHistory(
        [
            item("calf", NOV[1], title="Calf stretch"),
            item("toe", NOV[1], title="Toe pull", position=1),
            item("toe", NOV[15], title="Toe pull (weekends)", position=1, days=(6, 7)),
        ]
    )


def month_checks(history: RoutineHistory) -> list[rec.RoutineCheck]:
    checks: list[rec.RoutineCheck] = []
    for d in range(1, 31):
        if d == 20:  # Fri 20: no checks at all
            continue
        if d == 21:  # Sat 21: ill, both skipped
            checks += [skipped(NOV[d], "calf"), skipped(NOV[d], "toe")]
            continue
        checks += [
            done(NOV[d], i.key) for i in history.scheduled_on(NOV[d]) if (d, i.key) != (10, "toe")
        ]
    checks.append(done(NOV[16], "toe"))  # ticked on a Monday, when it was no longer due
    return checks


def test_an_item_edited_mid_month_keeps_its_old_schedule() -> None:
    history = month_history()
    checks = month_checks(history)
    # calf: 30 nights, 28 done, 20 undone (a diary entry, no checks), 21 skipped.
    # toe 1-14: 14 due, 13 done (10 undone); 15-30 weekends only: 15, 21, 22, 28, 29 due,
    # 21 skipped, 4 done; the Monday 16 tick does not count. Total 45 done, 2 undone, 2 skipped.
    result = routine.adherence(history, checks, {NOV[20]}, first=NOV[1], last=NOV[30])
    assert (result.nights, result.done, result.undone, result.skipped) == (30, 45, 2, 2)
    assert result.rate == pytest.approx(45 / 47)
    by_key = {i.key: i for i in result.items}
    assert (by_key["calf"].done, by_key["calf"].undone, by_key["calf"].skipped) == (28, 1, 1)
    assert (by_key["toe"].done, by_key["toe"].undone, by_key["toe"].skipped) == (17, 1, 1)
    assert by_key["toe"].title == "Toe pull (weekends)"
    assert by_key["toe"].rate == pytest.approx(17 / 18)
    # Before the change the toe pull was due on Tuesdays; after it, not.
    assert [i.title for i in history.scheduled_on(NOV[10])] == ["Calf stretch", "Toe pull"]
    assert [i.title for i in history.scheduled_on(NOV[17])] == ["Calf stretch"]
    assert routine.streak(history, checks, tonight=NOV[30]) == 9  # 30..22; 21 frozen; 20 breaks


def test_a_night_with_no_checks_counts_only_with_a_diary_entry() -> None:
    history = month_history()
    checks = month_checks(history)
    result = routine.adherence(history, checks, set(), first=NOV[1], last=NOV[30])
    assert (result.nights, result.done, result.undone) == (29, 45, 1)
    week = routine.adherence(history, checks, set(), first=NOV[17], last=NOV[23])
    # 17-19 calf done, 20 not counted, 21 skipped, 22 calf + toe done, 23 calf done.
    assert (week.nights, week.done, week.undone, week.skipped) == (6, 6, 0, 2)
    assert week.rate == 1.0


def test_adherence_is_undefined_when_nothing_counts() -> None:
    history = month_history()
    assert routine.adherence(history, [], set(), first=NOV[1], last=NOV[7]).rate is None
    frozen = [skipped(NOV[1], "calf"), skipped(NOV[1], "toe")]
    result = routine.adherence(history, frozen, set(), first=NOV[1], last=NOV[1])
    assert result.rate is None and result.skipped == 2 and result.nights == 1
    empty = routine.adherence(RoutineHistory([]), [], {NOV[3]}, first=NOV[1], last=NOV[7])
    assert empty.rate is None and empty.nights == 1 and empty.items == ()


def test_untouched_defaults_are_recognised() -> None:
    defaults = routine.default_items(NOV[2])
    assert routine.is_untouched_default(defaults)
    assert routine.is_untouched_default(reversed(defaults))
    assert not routine.is_untouched_default([])
    assert not routine.is_untouched_default(defaults[1:])
    renamed = [replace(defaults[0], title="My calf stretch"), *defaults[1:]]
    assert not routine.is_untouched_default(renamed)
    later = [*defaults, replace(defaults[0], valid_from=NOV[3], active=False)]
    assert not routine.is_untouched_default(later)
    moved = [replace(defaults[0], valid_from=NOV[3]), *defaults[1:]]
    assert not routine.is_untouched_default(moved)
    own = rec.RoutineItem(key="tea", title="Tea", valid_from=NOV[2])
    assert not routine.is_untouched_default([*defaults, own])


def test_the_adherence_windows_end_last_night() -> None:
    assert routine.adherence_period(7, today=TODAY) == (NOV[18], NOV[24])
    assert routine.adherence_period(30, today=TODAY) == (date(2026, 10, 26), NOV[24])


# --- the printed week ---------------------------------------------------------------------------


def test_week_rows_follow_the_versions_of_that_week() -> None:
    history = RoutineHistory(
        [
            item("calf", NOV[1], title="Calf stretch", line="Wall, 10 s x 3"),
            item("toe", NOV[1], title="Toe pull", position=1, days=(1, 3, 5)),
            item("quad", NOV[1], title="Quad", position=2, active=False),
            item("bath", NOV[1], title="Bath", position=3),
            item("bath", NOV[18], title="Bath", position=3, removed=True),
        ]
    )
    rows = routine.week_rows(history, NOV[16])  # Mon 16 to Sun 22
    assert rows == [
        WeekRow("calf", "Calf stretch", "Wall, 10 s x 3", (1, 2, 3, 4, 5, 6, 7)),
        WeekRow("toe", "Toe pull", "", (1, 3, 5)),
        WeekRow("bath", "Bath", "", (1, 2)),  # removed from Wed 18
    ]
    assert routine.week_rows(RoutineHistory([]), NOV[16]) == []


def test_night_labels() -> None:
    assert routine.night_label(date(2026, 11, 24)) == "Tue 24 Nov"
    assert routine.night_label(date(2027, 1, 3)) == "Sun 3 Jan"


ROWS = [WeekRow("calf", "Calf stretch", "", (1, 2, 3, 4, 5, 6, 7))]


def test_week_cells_are_read() -> None:
    cells = {(NOV[23], "calf"): "done", (NOV[24], "calf"): " Skipped ", (NOV[22], "calf"): ""}
    cells[(NOV[21], "calf")] = None
    states, tallies = routine.check_week_cells(
        NOV[19], ROWS, cells, {NOV[19]: (0, None), NOV[20]: (2, 7)}, today=TODAY
    )
    assert states == {
        (NOV[23], "calf"): "done",
        (NOV[24], "calf"): "skipped",
        (NOV[22], "calf"): None,
        (NOV[21], "calf"): None,
    }
    assert tallies == {NOV[19]: (0, None), NOV[20]: (2, 7)}


@pytest.mark.parametrize(
    ("cells", "cramps", "message"),
    [
        (
            {(NOV[24], "calf"): "yes"},
            {},
            "Tue 24 Nov, Calf stretch: must be done, skipped or blank",
        ),
        ({(NOV[24], "calf"): 1}, {}, "Tue 24 Nov, Calf stretch: must be done, skipped or blank"),
        ({(NOV[24], "calf"): "undone"}, {}, "Tue 24 Nov, Calf stretch: must be done"),
        ({(NOV[26], "calf"): "done"}, {}, "Thu 26 Nov, Calf stretch: is outside the week"),
        ({(NOV[18], "calf"): "done"}, {}, "Wed 18 Nov, Calf stretch: is outside the week"),
        ({(NOV[24], "toe"): "done"}, {}, "Tue 24 Nov, toe: is not an item of this week's"),
        ({}, {NOV[24]: (-1, None)}, "Tue 24 Nov, cramps: must be a whole number from 0 to 50"),
        ({}, {NOV[24]: (2, 11)}, "Tue 24 Nov, worst severity: must be a whole number from 0"),
        ({}, {NOV[24]: (0, 4)}, "Tue 24 Nov, worst severity: must be blank"),
        ({}, {NOV[24]: (1.5, 4)}, "Tue 24 Nov, cramps: must be a whole number"),
        ({}, {NOV[24]: 3}, "Tue 24 Nov, cramps: must be a count and a worst severity"),
        ({}, {NOV[26]: (1, 3)}, "Thu 26 Nov, cramps: is outside the week"),
    ],
)
def test_a_bad_cell_is_named(cells: Any, cramps: Any, message: str) -> None:
    with pytest.raises(ValidationError, match="^" + message.replace("(", r"\(")):
        routine.check_week_cells(NOV[19], ROWS, cells, cramps, today=date(2026, 11, 30))


def test_a_night_after_today_is_refused() -> None:
    with pytest.raises(ValidationError, match="Wed 25 Nov, Calf stretch: is in the future"):
        routine.check_week_cells(NOV[19], ROWS, {(NOV[25], "calf"): "done"}, {}, today=NOV[24])
