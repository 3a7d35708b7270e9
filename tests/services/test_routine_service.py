"""RoutineService on a real migrated diary: the default routine, item edits as versions (history
never rewritten, Undo exact), tonight's checklist, streak and adherence, the printed week's rows
and the paper transcription saved in one transaction with a bad cell named."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from crampdiary.domain import records as rec
from crampdiary.domain import routine
from crampdiary.domain.errors import ValidationError
from crampdiary.paths import AppPaths
from crampdiary.services import transfer
from crampdiary.services.diary import DiaryService
from crampdiary.services.routine import ChecklistRow, RoutineService, WeekSaved
from crampdiary.storage import queries
from crampdiary.storage.database import open_database

TODAY = date(2026, 11, 25)  # Wednesday
EVENING = datetime(2026, 11, 25, 21, 30)  # tonight is the night of the 25th
NOV = {d: date(2026, 11, d) for d in range(1, 31)}
ACTIVE = [
    "calf_stretch",
    "hamstring_stretch",
    "toe_pull",
    "drinks_spread",
    "same_sleep_times",
    "bed_setup",
]


@pytest.fixture
def service(diary: DiaryService) -> RoutineService:
    return RoutineService(diary)


@pytest.fixture
def started(service: RoutineService) -> RoutineService:
    """The default routine, in use since Sun 1 Nov."""
    service.ensure_default_routine(NOV[1])
    return service


def at(night: date, hour: int = 22) -> datetime:
    return datetime.combine(night, time(hour, 0))


def tick_all(service: RoutineService, night: date) -> None:
    for item, _ in service.routine_night(night).rows:
        service.set_check(night, item.key, "done", today=TODAY)


def versions(service: RoutineService) -> list[rec.RoutineItem]:
    return service.diary.read(queries.routine_versions)


# --- the default routine -----------------------------------------------------------------------


def test_the_default_routine_is_stored_once(service: RoutineService) -> None:
    assert service.items() == [] and service.tonight(EVENING) == []
    added = service.ensure_default_routine(TODAY)
    assert [i.key for i in added] == [d.key for d in routine.DEFAULT_ROUTINE]
    assert service.ensure_default_routine(TODAY) == []
    assert service.items() == added
    assert [i.key for i, check in service.tonight(EVENING)] == ACTIVE
    assert all(check is None for _, check in service.tonight(EVENING))
    assert not service.has_records()
    # Nothing was due before the routine began.
    assert service.routine_night(NOV[24]).state == "empty"


def test_a_diary_with_removed_items_only_gets_no_defaults(started: RoutineService) -> None:
    for item in started.items():
        started.remove(item.key, night=TODAY)
    assert started.items() == []
    assert started.ensure_default_routine(TODAY) == []


# --- checks ------------------------------------------------------------------------------------


def test_ticking_tonight(started: RoutineService) -> None:
    tonight = NOV[25]
    new, previous = started.set_check(tonight, "calf_stretch", "done", today=TODAY)
    assert previous is None and new.title == "Calf stretch at the wall"
    assert started.completion(EVENING) == pytest.approx(1 / 6)
    started.set_check(tonight, "drinks_spread", "skipped", "ill", "stomach bug", today=TODAY)
    assert started.completion(EVENING) == pytest.approx(1 / 5)
    again, previous = started.set_check(tonight, "calf_stretch", "undone", note="late", today=TODAY)
    assert previous == new and again.id == new.id
    rows = dict((i.key, c) for i, c in started.tonight(EVENING))
    assert rows["drinks_spread"] is not None and rows["drinks_spread"].reason == "ill"
    assert rows["calf_stretch"] is not None and rows["calf_stretch"].state == "undone"
    assert started.has_records()
    # Undo puts the check back exactly.
    started.restore_check(tonight, "calf_stretch", previous, today=TODAY)
    assert dict(started.tonight(EVENING))  # still readable
    assert started.checks(tonight, tonight)[0] == new


def test_toggle_done_and_clear(started: RoutineService) -> None:
    tonight = NOV[25]
    new, previous = started.toggle_done(tonight, "toe_pull", today=TODAY)
    assert new is not None and new.state == "done" and previous is None
    new, previous = started.toggle_done(tonight, "toe_pull", today=TODAY)
    assert new is None and previous is not None and previous.state == "done"
    assert started.checks(tonight, tonight) == []
    started.set_check(tonight, "toe_pull", "done", note="both legs", today=TODAY)
    new, _ = started.toggle_done(tonight, "toe_pull", today=TODAY)
    assert new is not None and (new.state, new.note) == ("undone", "both legs")
    new, _ = started.toggle_done(tonight, "toe_pull", today=TODAY)
    assert new is not None and (new.state, new.note) == ("done", "both legs")
    assert started.clear_check(tonight, "toe_pull") == new
    assert started.clear_check(tonight, "toe_pull") is None


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((NOV[25], "nope", "done"), {}, 'item: there is no routine item "nope"'),
        ((NOV[25], "toe_pull", "ticked"), {}, "state: must be one of done, skipped, undone"),
        ((NOV[25], "toe_pull", "done", "ill"), {}, "reason: is given only for a skipped item"),
        ((NOV[26], "toe_pull", "done"), {}, "night_of: must not be in the future"),
        ((date(2026, 10, 31), "toe_pull", "done"), {}, "item: was not in the routine on the night"),
        ((NOV[25], "toe_pull", "done", None, "x" * 501), {}, "note: must be at most 500"),
    ],
)
def test_bad_checks_are_refused(
    started: RoutineService, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match="^" + message):
        started.set_check(*args, today=TODAY, **kwargs)
    assert started.checks(date(2026, 10, 1), NOV[30]) == []


# --- item edits ----------------------------------------------------------------------------------


def test_a_rename_keeps_the_past(started: RoutineService) -> None:
    started.set_check(NOV[20], "calf_stretch", "done", today=TODAY)
    edit = started.rename("calf_stretch", "Wall calf stretch", night=NOV[25])
    [change] = edit.changes
    assert change.before is not None and change.before.title == "Calf stretch at the wall"
    assert change.after.title == "Wall calf stretch" and change.after.valid_from == NOV[25]
    assert started.item("calf_stretch") == change.after
    assert started.routine_night(NOV[20]).rows[0][0].title == "Calf stretch at the wall"
    assert started.routine_night(NOV[25]).rows[0][0].title == "Wall calf stretch"
    assert started.checks(NOV[20], NOV[20])[0].title == "Calf stretch at the wall"
    started.set_check(NOV[25], "calf_stretch", "done", today=TODAY)
    assert started.checks(NOV[25], NOV[25])[0].title == "Wall calf stretch"


def test_edits_of_one_night_make_one_version_and_undo_is_exact(started: RoutineService) -> None:
    before = versions(started)
    first = started.rename("toe_pull", "Toe pull in bed", night=NOV[25])
    second = started.set_days("toe_pull", [5, 1, 3], night=NOV[25])
    toe = [v for v in versions(started) if v.key == "toe_pull"]
    assert [(v.valid_from, v.title, v.days) for v in toe] == [
        (NOV[1], "Toe pull / ankle flex", (1, 2, 3, 4, 5, 6, 7)),
        (NOV[25], "Toe pull in bed", (1, 3, 5)),
    ]
    started.undo(second)
    assert started.item("toe_pull") == first.changes[0].after
    started.undo(first)
    assert versions(started) == before
    # Changing an item back to what it was the night before leaves no version either.
    started.pause("toe_pull", night=NOV[25])
    started.pause("toe_pull", False, night=NOV[25])
    assert versions(started) == before


def test_days_changed_mid_month(started: RoutineService) -> None:
    # From the 15th, the toe pull is due on weekends only. Tick everything due, every night.
    started.set_days("toe_pull", [6, 7], night=NOV[15])
    for d in range(1, 25):
        tick_all(started, NOV[d])
    assert [i.key for i, _ in started.routine_night(NOV[10]).rows] == ACTIVE  # a Tuesday, before
    after = [i.key for i, _ in started.routine_night(NOV[17]).rows]  # a Tuesday, after
    assert after == [k for k in ACTIVE if k != "toe_pull"]
    result = started.adherence_between(NOV[1], NOV[24])
    # 14 nights x 6 items, then 10 nights x 5 items plus the toe pull on 15, 21, 22.
    assert (result.nights, result.done, result.undone) == (24, 14 * 6 + 10 * 5 + 3, 0)
    assert result.rate == 1.0
    assert started.streak(at(NOV[25])) == 24  # tonight not yet ticked: ends last night


def test_pause_remove_restore_and_reorder(started: RoutineService) -> None:
    started.pause("bed_setup", night=NOV[25])
    paused = next(i for i in started.items() if i.key == "bed_setup")
    assert paused.active is False
    assert "bed_setup" not in [i.key for i, _ in started.tonight(EVENING)]
    assert "bed_setup" in [i.key for i, _ in started.routine_night(NOV[24]).rows]
    started.remove("warm_bath", night=NOV[25])
    assert "warm_bath" not in [i.key for i in started.items()]
    assert [i.key for i in started.removed_items()] == ["warm_bath"]
    edit = started.restore("warm_bath", night=NOV[25])
    assert started.items()[-1].key == "warm_bath"
    assert edit.changes[0].after.position == len(routine.DEFAULT_ROUTINE)
    keys = [i.key for i in started.items()]
    reordered = [keys[-1], *keys[:-1]]
    edit = started.reorder(reordered, night=NOV[25])
    assert [i.key for i in started.items()] == reordered
    # Only the items whose position changed get a version (warm_bath left a gap at 5).
    assert [c.after.key for c in edit.changes] == reordered[:6]
    started.undo(edit)
    assert [i.key for i in started.items()] == keys
    with pytest.raises(ValidationError, match="order: must list every item"):
        started.reorder(keys[1:], night=NOV[25])
    with pytest.raises(ValidationError, match='key: there is no routine item "nope"'):
        started.rename("nope", "x", night=NOV[25])
    with pytest.raises(ValidationError, match="title: must not be empty"):
        started.rename("toe_pull", "  ", night=NOV[25])


def test_adding_and_undoing_an_item(started: RoutineService) -> None:
    before = versions(started)
    edit = started.add(
        "Calf stretch at the wall",
        night=NOV[25],
        line="Again",
        days=[1, 2],
        hold_s=30,
        reps=2,
        rest_s=10,
        per_leg=True,
    )
    [new] = edit.items
    assert new.key == "calf_stretch_at_the_wall" and new.position == len(routine.DEFAULT_ROUTINE)
    other = started.add("Calf stretch at the wall", night=NOV[25]).items[0]
    assert other.key == "calf_stretch_at_the_wall_2"
    started.undo(edit)
    assert started.item(new.key) is None
    # An added item that was ticked keeps its key (the check keeps its title).
    started.set_check(NOV[25], other.key, "done", today=TODAY)
    started.undo(started.add("Other", night=NOV[25]))
    assert [v for v in versions(started) if v.key not in (other.key,)] == before
    with pytest.raises(ValidationError, match="reps: a hold time and repetitions"):
        started.add("Hold", night=NOV[25], hold_s=10)
    with pytest.raises(ValidationError, match="days: must be a list of ISO weekdays"):
        started.add("No days", night=NOV[25], days=[])


def test_undoing_an_add_whose_night_was_checked_keeps_it_importable(
    started: RoutineService, tmp_path: Path
) -> None:
    edit = started.add("Magnesium-free tea", night=NOV[25])
    key = edit.items[0].key
    started.set_check(NOV[25], key, "done", today=TODAY)
    started.undo(edit)
    # The check stays, so the item keeps a version: removed from the add's night on.
    [kept] = started.history().versions(key)
    assert kept.removed and kept.valid_from == NOV[25] and kept.title == "Magnesium-free tea"
    assert key not in [i.key for i in started.items()]
    assert [c.item for c in started.checks(NOV[25], NOV[25])] == [key]
    doc = json.loads(json.dumps(transfer.export_document(started.diary, now=EVENING)))
    engine = open_database(AppPaths(tmp_path / "other"), now=EVENING)
    try:
        other = RoutineService(DiaryService(engine))
        result = transfer.import_document(other.diary, doc, now=EVENING)
        assert result.added["routine_checks"] == 1
        assert other.checks(NOV[25], NOV[25])[0].title == "Magnesium-free tea"
        assert other.item(key) == kept
    finally:
        engine.dispose()


# --- streak, completion, adherence -------------------------------------------------------------


def test_streak_completion_and_the_reminder(started: RoutineService) -> None:
    assert started.streak(EVENING) == 0
    assert started.is_done(EVENING) is False
    for d in (21, 22, 24):
        tick_all(started, NOV[d])
    for item, _ in started.routine_night(NOV[23]).rows:
        started.set_check(NOV[23], item.key, "skipped", "travelling", today=TODAY)
    assert started.streak(EVENING) == 3  # 24, (23 frozen), 22, 21; 20 had no checks
    tick_all(started, NOV[25])
    assert started.completion(EVENING) == 1.0 and started.is_done(EVENING) is True
    assert started.streak(EVENING) == 4
    # The morning after, tonight is the night of the 25th until noon.
    assert started.streak(datetime(2026, 11, 26, 8, 0)) == 4


def test_adherence_counts_nights_with_an_entry(
    started: RoutineService, diary: DiaryService
) -> None:
    # Last 7 nights for today = 25 Nov: 18..24. Ticks on 18 and 19; a logged night on 20 with
    # nothing ticked; 21..24 nothing at all (not counted).
    tick_all(started, NOV[18])
    started.set_check(NOV[19], "calf_stretch", "done", today=TODAY)
    started.set_check(NOV[19], "toe_pull", "skipped", "other", today=TODAY)
    diary.save_night(rec.Night(night_of=NOV[20], no_cramps=True), today=TODAY)
    week = started.adherence(TODAY)
    assert (week.first, week.last) == (NOV[18], NOV[24])
    assert week.nights == 3
    assert (week.done, week.undone, week.skipped) == (6 + 1, 4 + 6, 1)
    assert week.rate == pytest.approx(7 / 17)
    month = started.adherence(TODAY, 30)
    assert month.first == date(2026, 10, 26) and month.rate == week.rate
    assert RoutineService(diary).adherence(date(2026, 11, 1)).rate is None


def test_adherence_for_leaves_out_the_night_in_progress(started: RoutineService) -> None:
    tick_all(started, NOV[24])
    started.set_check(NOV[25], "calf_stretch", "done", today=TODAY)  # tonight, half ticked
    # At 01:00 on the 26th the night of the 25th is still in progress: the window ends the 24th.
    small_hours = started.adherence_for(datetime(2026, 11, 26, 1, 0), 7)
    assert (small_hours.first, small_hours.last) == (NOV[18], NOV[24])
    assert small_hours.rate == 1.0
    # After noon the night of the 25th is over and counts.
    afternoon = started.adherence_for(datetime(2026, 11, 26, 13, 0), 7)
    assert (afternoon.first, afternoon.last) == (NOV[19], NOV[25])
    assert afternoon.rate is not None and afternoon.rate < 1.0
    assert started.adherence_for(EVENING, 30) == started.adherence(TODAY, 30)


def test_an_empty_routine(service: RoutineService) -> None:
    assert service.streak(EVENING) == 0
    assert service.completion(EVENING) is None
    assert service.is_done(EVENING) is True
    assert service.adherence(TODAY).rate is None
    assert service.checklist_rows(NOV[23]) == []


# --- the printed week and the paper transcription ----------------------------------------------


def test_checklist_rows_are_the_weeks_due_items(started: RoutineService) -> None:
    started.set_days("same_sleep_times", [6, 7], night=NOV[16])
    rows = started.checklist_rows(NOV[30])  # the coming Monday
    assert [r.title for r in rows] == [
        "Calf stretch at the wall",
        "Standing hamstring stretch",
        "Toe pull / ankle flex",
        "Drinks through the day",
        "Same sleep times",
        "Set up the bed",
    ]
    assert rows[0] == ChecklistRow(
        "Calf stretch at the wall",
        routine.DEFAULTS_BY_KEY["calf_stretch"].line,
        (1, 2, 3, 4, 5, 6, 7),
    )
    assert rows[4].days == (6, 7)
    _title, line, days = rows[2]
    assert line.startswith("In bed") and days == (1, 2, 3, 4, 5, 6, 7)


def test_a_paper_week_is_saved_in_one_transaction(
    started: RoutineService, diary: DiaryService
) -> None:
    first = NOV[16]
    started.set_check(NOV[17], "calf_stretch", "done", note="before tea", today=TODAY)
    started.set_check(NOV[18], "calf_stretch", "done", today=TODAY)
    cells: dict[tuple[date, str], str | None] = {
        (NOV[16], "calf_stretch"): "done",
        (NOV[16], "toe_pull"): "skipped",
        (NOV[17], "calf_stretch"): "",  # cleared on paper: the note stays, not ticked
        (NOV[18], "calf_stretch"): None,
        (NOV[19], "bed_setup"): "Done",
    }
    cramps: dict[date, tuple[int, int | None] | None] = {
        NOV[16]: (0, None),
        NOV[17]: (2, 6),
        NOV[18]: None,
    }
    saved = started.save_week_transcription(first, cells, cramps, today=TODAY)
    assert saved == WeekSaved(
        checks_saved=3, checks_cleared=2, tallies_saved=2, tallies_cleared=0, nights_marked=1
    )
    checks = {(c.night_of, c.item): c for c in started.checks(first, NOV[22])}
    assert checks[(NOV[16], "calf_stretch")].state == "done"
    assert checks[(NOV[16], "toe_pull")].state == "skipped"
    assert checks[(NOV[16], "toe_pull")].reason is None
    assert checks[(NOV[17], "calf_stretch")].state == "undone"
    assert checks[(NOV[17], "calf_stretch")].note == "before tea"
    assert (NOV[18], "calf_stretch") not in checks
    assert checks[(NOV[19], "bed_setup")].title == "Set up the bed"
    assert [
        (t.night_of, t.cramps, t.worst_severity) for t in started.paper_tallies(first, NOV[22])
    ] == [
        (NOV[16], 0, None),
        (NOV[17], 2, 6),
    ]
    night = diary.night(NOV[16])
    assert night is not None and night.no_cramps
    assert diary.night(NOV[17]) is None  # no made-up episodes, no "no cramps" night
    sheet = started.week_sheet(first)
    assert sheet.cells[(NOV[16], "toe_pull")] == "skipped"
    assert (NOV[17], "calf_stretch") not in sheet.cells
    assert sheet.cramps == {NOV[16]: (0, None), NOV[17]: (2, 6)}
    assert [r.key for r in sheet.rows] == ACTIVE
    # The same week again changes nothing; a blank tally removes it.
    again = started.save_week_transcription(first, cells, {NOV[17]: None}, today=TODAY)
    assert again == WeekSaved(0, 0, 0, 1, 0)


def test_a_tally_of_0_can_be_corrected_and_cleared(
    started: RoutineService, diary: DiaryService
) -> None:
    week, night = NOV[16], NOV[17]

    def logged() -> set[date]:
        return diary.read(lambda con: queries.logged_nights_between(con, week, NOV[22]))

    assert started.save_week_transcription(week, {}, {night: (0, None)}, today=TODAY) == (
        WeekSaved(0, 0, 1, 0, 1)
    )
    marked = diary.night(night)
    assert marked is not None and marked.no_cramps
    # Miscounted: 2 cramps after all. The "no cramps" mark the 0 set goes with it.
    started.save_week_transcription(week, {}, {night: (2, 6)}, today=TODAY)
    assert [(t.cramps, t.worst_severity) for t in started.paper_tallies(night, night)] == [(2, 6)]
    assert diary.night(night) is None
    assert started.save_week_transcription(week, {}, {night: None}, today=TODAY) == (
        WeekSaved(0, 0, 0, 1, 0)
    )
    assert logged() == set()
    # A 0 cleared straight away: the night is not logged, not "no cramps".
    started.save_week_transcription(week, {}, {night: (0, None)}, today=TODAY)
    started.save_week_transcription(week, {}, {night: None}, today=TODAY)
    assert diary.night(night) is None and logged() == set()
    # A night record holding more than the mark keeps the rest.
    diary.save_night(rec.Night(night_of=night, notes="Late dinner"), today=TODAY)
    started.save_week_transcription(week, {}, {night: (0, None)}, today=TODAY)
    started.save_week_transcription(week, {}, {night: (1, None)}, today=TODAY)
    kept = diary.night(night)
    assert kept is not None and not kept.no_cramps and kept.notes == "Late dinner"
    started.save_week_transcription(week, {}, {night: (0, None)}, today=TODAY)
    started.save_week_transcription(week, {}, {night: None}, today=TODAY)
    kept = diary.night(night)
    assert kept is not None and not kept.no_cramps and kept.notes == "Late dinner"


@pytest.mark.parametrize(
    ("cells", "cramps", "message"),
    [
        (
            {(NOV[17], "calf_stretch"): "x"},
            {},
            "Tue 17 Nov, Calf stretch at the wall: must be done, skipped or blank",
        ),
        ({}, {NOV[18]: (2, 11)}, "Wed 18 Nov, worst severity: must be a whole number from 0"),
        ({}, {NOV[18]: (-1, None)}, "Wed 18 Nov, cramps: must be a whole number from 0 to 50"),
        ({(NOV[23], "toe_pull"): "done"}, {}, "Mon 23 Nov, Toe pull / ankle flex: is outside"),
        ({(NOV[17], "warm_bath"): "done"}, {}, "Tue 17 Nov, warm_bath: is not an item"),
        ({}, {NOV[19]: (0, None)}, "Thu 19 Nov, cramps: the diary already has 1 cramp logged"),
        ({}, {NOV[20]: (3, 5)}, "Fri 20 Nov, cramps: the diary has this night logged as"),
    ],
)
def test_a_bad_cell_saves_nothing(
    started: RoutineService, diary: DiaryService, cells: Any, cramps: Any, message: str
) -> None:
    diary.add_episode(
        rec.Episode(
            started_at=datetime(2026, 11, 20, 2, 0),
            duration_s=60,
            muscle="calf",
            side="left",
            severity=5,
        ),
        now=EVENING,
    )
    diary.save_night(rec.Night(night_of=NOV[20], no_cramps=True), today=TODAY)
    good = {(NOV[16], "calf_stretch"): "done", (NOV[21], "toe_pull"): "skipped"}
    before_nights = diary.overview(NOV[16], NOV[22])
    with pytest.raises(ValidationError, match="^" + message):
        started.save_week_transcription(
            NOV[16], {**good, **cells}, {NOV[16]: (1, 4), **cramps}, today=TODAY
        )
    assert started.checks(NOV[16], NOV[22]) == []
    assert started.paper_tallies(NOV[16], NOV[22]) == []
    assert diary.overview(NOV[16], NOV[22]) == before_nights


# --- the demo diary ------------------------------------------------------------------------------


def test_the_demo_keeps_a_realistic_routine(diary: DiaryService) -> None:
    from crampdiary.services.demo import generate_demo

    now = datetime(2026, 11, 25, 20, 0)
    generate_demo(diary, days=200, seed=3, now=now)
    service = RoutineService(diary)
    history = service.history()
    assert history.first_night == date(2026, 11, 24) - timedelta(days=119)
    assert len(history.versions("warm_bath")) == 2  # taken up part-way through
    period = service.adherence_between(history.first_night, date(2026, 11, 24))
    assert period.rate is not None and 0.7 <= period.rate <= 0.85
    checks = service.checks(history.first_night, date(2026, 11, 24))
    reasons = {c.reason for c in checks if c.state == "skipped"}
    assert {"ill", "other"} <= reasons
    nights = {c.night_of for c in checks}
    logged = diary.overview(history.first_night, date(2026, 11, 24))
    lapses = [n for n in logged if n.logged and n.night_of not in nights]
    assert 1 <= len(lapses) <= 15
    assert service.streak(now) >= 4
    assert service.tonight(now) and all(c is None for _, c in service.tonight(now))
    assert all(c.title for c in checks)


def test_the_demo_refuses_a_diary_with_routine_checks(started: RoutineService) -> None:
    from crampdiary.domain.errors import CrampDiaryError
    from crampdiary.services.demo import generate_demo

    started.set_check(NOV[24], "toe_pull", "done", today=TODAY)
    with pytest.raises(CrampDiaryError, match="empty diary"):
        generate_demo(started.diary, days=10, seed=1, now=EVENING)
    assert len(started.checks(NOV[1], NOV[30])) == 1


def test_default_items_alone_do_not_stop_the_demo(started: RoutineService) -> None:
    from crampdiary.services.demo import generate_demo

    generate_demo(started.diary, days=30, seed=2, now=EVENING)
    assert started.has_records()
    # The untouched defaults stored from 1 Nov give way to the demo's routine (an import).
    starts = [v.valid_from for v in started.history().versions("calf_stretch")]
    assert starts == [date(2026, 10, 26)]
