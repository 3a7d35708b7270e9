"""The Routine tab on a real diary: ticks by keyboard, skips, undo, reminders, paper, timer."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from crampdiary.domain.routine import night_label
from crampdiary.services.diary import DiaryService
from crampdiary.services.routine import RoutineService
from crampdiary.ui import dialogs
from crampdiary.ui.changes import ChangeBus, Changes
from crampdiary.ui.routine import routine_tab
from crampdiary.ui.routine.routine_editor_dialog import RoutineEditorDialog
from crampdiary.ui.routine.routine_models import RoutineItemsModel, TonightModel
from crampdiary.ui.routine.routine_tab import RoutineTab
from crampdiary.ui.routine.stretch_timer_dialog import StretchTimerDialog, phases
from crampdiary.ui.routine.transcription_dialog import TranscriptionDialog

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

EVENING = datetime(2026, 11, 25, 21, 0)  # a Wednesday evening: tonight is the night of the 25th
TONIGHT = EVENING.date()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(EVENING)


@pytest.fixture
def routine(diary: DiaryService) -> RoutineService:
    return RoutineService(diary)


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def bus() -> ChangeBus:
    return ChangeBus()


@pytest.fixture
def tab(
    qtbot: QtBot, routine: RoutineService, bus: ChangeBus, stack: QUndoStack, clock: Clock
) -> Iterator[RoutineTab]:
    widget = RoutineTab(bus, stack, clock)
    qtbot.addWidget(widget)
    widget.set_service(routine)
    widget.show()
    yield widget


def test_ticks_tonights_items_with_the_keyboard_and_sees_completion_and_streak(
    qtbot: QtBot, tab: RoutineTab, routine: RoutineService, clock: Clock
) -> None:
    rows = tab.model.rowCount()
    assert rows > 0
    assert tab.completion_label.text() == f"Tonight: 0 of {rows} done (0%)"
    assert tab.streak_label.text().startswith("Streak: 0 nights")
    tab.view.setFocus()
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    for row in range(rows):
        with qtbot.waitSignal(tab.reloaded):
            qtbot.keyClick(tab.view, Qt.Key.Key_Space)
        assert tab.state_text(row) == "Done"
        if row < rows - 1:
            qtbot.keyClick(tab.view, Qt.Key.Key_Down)
    assert tab.completion_label.text() == f"Tonight: {rows} of {rows} done (100%)"
    assert tab.streak_label.text().startswith("Streak: 1 night ")
    assert routine.is_done(clock())


def test_undo_of_a_tick(
    qtbot: QtBot, tab: RoutineTab, routine: RoutineService, stack: QUndoStack
) -> None:
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    key = tab.model.rows()[0][0].key
    qtbot.keyClick(tab.view, Qt.Key.Key_Space)
    assert [c.item for c in routine.checks(TONIGHT, TONIGHT)] == [key]
    with qtbot.waitSignal(tab.reloaded):
        stack.undo()
    assert routine.checks(TONIGHT, TONIGHT) == []
    assert tab.state_text(0) == "Not done"
    stack.redo()
    assert routine.checks(TONIGHT, TONIGHT)[0].state == "done"
    # A click ticks too, and a second click unticks.
    qtbot.mouseClick(
        tab.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=tab.view.visualRect(tab.model.index(1, 0)).center(),
    )
    assert tab.state_text(1) == "Done"


def test_a_skip_with_a_reason_and_a_note(
    qtbot: QtBot,
    tab: RoutineTab,
    routine: RoutineService,
    stack: QUndoStack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(routine_tab, "ask_skip_reason", lambda parent: "travelling")
    monkeypatch.setattr(routine_tab, "ask_note", lambda parent, current: "hotel bed")
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.view, Qt.Key.Key_S)
    assert tab.state_text(0) == "Skipped (travelling)"
    qtbot.keyClick(tab.view, Qt.Key.Key_N)
    check = routine.checks(TONIGHT, TONIGHT)[0]
    assert (check.state, check.reason, check.note) == ("skipped", "travelling", "hotel bed")
    assert "hotel bed" in tab.detail_label.text()
    stack.undo()
    stack.undo()
    assert routine.checks(TONIGHT, TONIGHT) == []
    # Skipped items do not count against tonight's completion.
    rows = tab.model.rowCount()
    qtbot.keyClick(tab.view, Qt.Key.Key_S)
    assert tab.completion_label.text() == f"Tonight: 0 of {rows - 1} done (0%)"


def test_reminder_due_with_an_injected_clock(
    qtbot: QtBot, tab: RoutineTab, routine: RoutineService
) -> None:
    tab.set_reminders(False, time(22, 0))
    assert not tab.reminder_due(datetime(2026, 11, 25, 22, 30))  # off
    tab.set_reminders(True, time(22, 0))
    assert routine.diary.setting("routine_bedtime") == "22:00"
    assert routine.diary.setting("routine_reminders") == "on"
    assert not tab.reminder_due(datetime(2026, 11, 25, 21, 59))  # before bedtime
    assert tab.reminder_due(datetime(2026, 11, 25, 22, 0))
    assert tab.reminder_due(datetime(2026, 11, 26, 0, 30))  # after midnight, same night
    tab.snooze(datetime(2026, 11, 25, 22, 0))
    assert not tab.reminder_due(datetime(2026, 11, 25, 22, 14))  # snoozed
    assert tab.reminder_due(datetime(2026, 11, 25, 22, 15))
    for item, _ in routine.tonight(EVENING):
        routine.set_check(TONIGHT, item.key, "done", today=TONIGHT)
    assert not tab.reminder_due(datetime(2026, 11, 25, 22, 30))  # done
    assert routine_tab.RUNNING_ONLY in tab.running_label.text()
    # Settings come back on a new tab.
    other = RoutineTab(ChangeBus(), QUndoStack(), lambda: EVENING)
    qtbot.addWidget(other)
    other.set_service(routine)
    assert other.reminders_check.isChecked()
    assert other.bedtime_edit.time().hour() == 22


def test_pdf_save_holds_the_weeks_dates(
    tab: RoutineTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    opened: list[Path] = []
    target = tmp_path / "sheet"
    monkeypatch.setattr(dialogs, "save_file", lambda *a: str(target))
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(routine_tab, "open_in_viewer", lambda p: opened.append(p) or True)
    assert tab.week_first_night() == date(2026, 11, 30)  # the coming Monday
    tab.paper_combo.setCurrentIndex(tab.paper_combo.findData("letter"))
    path = tab.save_checklist_pdf()
    assert path == tmp_path / "sheet.pdf"
    assert opened == [path]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    for offset in range(7):
        day = date(2026, 11, 30) + timedelta(days=offset)
        assert night_label(day).split()[1] in text
    assert "Mon 30 Nov" in text and "Sun 6 Dec" in text
    assert "Calf stretch at the wall" in text
    printed = tab.open_for_printing()
    assert printed is not None and printed.read_bytes().startswith(b"%PDF")
    assert opened[-1] == printed


def test_transcription_saves_a_week_and_refuses_a_bad_cell(
    qtbot: QtBot, routine: RoutineService, bus: ChangeBus, clock: Clock
) -> None:
    routine.ensure_default_routine(TONIGHT - timedelta(days=14))
    first = date(2026, 11, 16)
    dialog = TranscriptionDialog(routine, bus, clock, first)
    qtbot.addWidget(dialog)
    names = [dialog.table.verticalHeaderItem(r).text() for r in range(dialog.table.rowCount())]
    calf = names.index("Calf stretch at the wall")
    cramps = names.index("Cramps")
    dialog.set_cell(calf, 0, "x")
    dialog.set_cell(calf, 1, "s")
    dialog.set_cell(calf, 2, "q")
    dialog.set_cell(cramps, 0, "2")
    dialog.set_cell(cramps + 1, 0, "6")
    assert dialog.save() is None
    assert "Wed 18 Nov, Calf stretch at the wall" in dialog.error_label.text()
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (calf, 2)
    assert routine.checks(first, first + timedelta(days=6)) == []  # nothing saved
    dialog.set_cell(cramps, 3, "many")
    dialog.set_cell(calf, 2, "d")
    assert dialog.save() is None
    assert "Thu 19 Nov, cramps" in dialog.error_label.text()
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (cramps, 3)
    dialog.set_cell(cramps, 3, "0")
    with qtbot.waitSignal(bus.changed) as seen:
        saved = dialog.save()
    assert saved is not None and saved.checks_saved == 3
    assert seen.args is not None and seen.args[0] & Changes.ROUTINE
    states = {(c.night_of, c.state) for c in routine.checks(first, first + timedelta(days=6))}
    assert states == {
        (first, "done"),
        (first + timedelta(days=1), "skipped"),
        (first + timedelta(days=2), "done"),
    }
    assert [
        (t.cramps, t.worst_severity)
        for t in routine.paper_tallies(first, first + timedelta(days=6))
    ] == [(2, 6), (0, None)]


def test_timer_ticks_items_with_a_fast_tick(
    qtbot: QtBot, tab: RoutineTab, routine: RoutineService, stack: QUndoStack
) -> None:
    items = tab.stretch_items()
    assert items and all(i.is_timed for i in items)
    dialog = StretchTimerDialog(items, tick_ms=1)
    qtbot.addWidget(dialog)
    dialog.completed.connect(tab.tick_done)
    assert dialog.phase_count == len(phases(items))
    with qtbot.waitSignal(dialog.completed, timeout=20000):
        dialog.start()
    done = {c.item for c in routine.checks(TONIGHT, TONIGHT) if c.state == "done"}
    assert done == {i.key for i in items}
    assert tab.stretch_items() == []
    stack.undo()
    assert len(tab.stretch_items()) == 1


def test_editor_edits_are_undoable(
    qtbot: QtBot,
    routine: RoutineService,
    bus: ChangeBus,
    stack: QUndoStack,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crampdiary.ui.routine import routine_editor_dialog

    routine.ensure_default_routine(TONIGHT)
    dialog = RoutineEditorDialog(routine, bus, stack, clock)
    qtbot.addWidget(dialog)
    first = dialog.current_item()
    assert first is not None
    assert "Evidence:" in dialog.detail_label.text()
    monkeypatch.setattr(routine_editor_dialog, "ask_text", lambda *a: "Foot circles")
    dialog.add_item()
    assert dialog.current_item() is not None and dialog.current_item().title == "Foot circles"  # type: ignore[union-attr]
    stack.undo()
    assert "Foot circles" not in [i.title for i in routine.items()]
    stack.redo()
    assert "Foot circles" in [i.title for i in routine.items()]
    dialog.select(first.key)
    dialog.move_current(1)
    assert routine.items()[1].key == first.key
    stack.undo()
    assert routine.items()[0].key == first.key
    dialog.select(first.key)
    dialog.toggle_pause_current()
    assert not routine.item(first.key).active  # type: ignore[union-attr]
    dialog.day_checks[6].setChecked(False)  # not on Sundays
    assert 7 not in routine.item(first.key).days  # type: ignore[union-attr]
    stack.undo()
    stack.undo()
    assert routine.item(first.key).active  # type: ignore[union-attr]
    dialog.remove_current()
    assert first.key not in [i.key for i in routine.items()]
    stack.undo()
    assert first.key in [i.key for i in routine.items()]


def test_item_models(qtmodeltester: ModelTester, routine: RoutineService) -> None:
    routine.ensure_default_routine(TONIGHT)
    tonight = TonightModel()
    tonight.set_rows(routine.tonight(EVENING))
    qtmodeltester.check(tonight)
    items = RoutineItemsModel()
    items.set_items(routine.items())
    qtmodeltester.check(items)


def test_print_sends_the_sheet_to_the_chosen_printer(
    tab: RoutineTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    spooled: list[tuple[bytes, str, int]] = []
    monkeypatch.setattr(routine_tab, "choose_printer", lambda parent, paper: ("office", 2))
    monkeypatch.setattr(
        routine_tab,
        "spool_pdf",
        lambda path, printer, copies: spooled.append((path.read_bytes(), printer, copies)) or True,
    )
    assert tab.print_checklist()
    assert len(spooled) == 1
    pdf, printer, copies = spooled[0]
    assert pdf.startswith(b"%PDF") and (printer, copies) == ("office", 2)


def test_a_cancelled_print_dialog_prints_nothing(
    tab: RoutineTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routine_tab, "choose_printer", lambda parent, paper: None)
    monkeypatch.setattr(routine_tab, "spool_pdf", lambda *a: pytest.fail("spooled"))
    assert not tab.print_checklist()


def test_spool_pdf_uses_lp_with_the_printer_and_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    calls: list[list[str]] = []
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/lp" if name == "lp" else None)
    monkeypatch.setattr(subprocess, "run", lambda args, **k: calls.append(args))
    sheet = tmp_path / "sheet.pdf"
    sheet.write_bytes(b"%PDF-1.4")
    assert routine_tab.spool_pdf(sheet, "office", 3)
    assert calls == [["/usr/bin/lp", "-d", "office", "-n", "3", str(sheet)]]


def test_a_new_night_reloads_and_does_not_act_on_last_night(
    qtbot: QtBot, routine: RoutineService, bus: ChangeBus, stack: QUndoStack
) -> None:
    clock = Clock(datetime(2026, 11, 25, 9, 0))  # the morning: the night still is the 24th
    widget = RoutineTab(bus, stack, clock)
    qtbot.addWidget(widget)
    widget.set_service(routine)
    widget.show()
    last_night = date(2026, 11, 24)
    assert night_label(last_night) in widget.night_label.text()
    clock.now = datetime(2026, 11, 25, 22, 0)
    widget.view.setFocus()
    widget.view.setCurrentIndex(widget.model.index(0, 0))
    with qtbot.waitSignal(widget.reloaded):
        qtbot.keyClick(widget.view, Qt.Key.Key_Space)
    assert routine.checks(last_night, last_night) == []  # the stale night is untouched
    assert routine.checks(TONIGHT, TONIGHT) == []  # and nothing was done blind on tonight
    assert widget.night == TONIGHT
    assert night_label(TONIGHT) in widget.night_label.text()
    assert "new night" in widget.notice_label.text()
    assert stack.count() == 0
    # Now that the list shows tonight, Space ticks tonight.
    qtbot.keyClick(widget.view, Qt.Key.Key_Space)
    assert [c.state for c in routine.checks(TONIGHT, TONIGHT)] == ["done"]
    # The main window's timers: a reload only when the night has changed.
    assert not widget.refresh_if_new_night()
    clock.now = datetime(2026, 11, 26, 12, 0)
    assert widget.refresh_if_new_night()
    assert widget.night == date(2026, 11, 26)


def test_the_stretch_timer_ticks_nothing_on_a_new_night(
    qtbot: QtBot, tab: RoutineTab, routine: RoutineService, clock: Clock
) -> None:
    keys = [i.key for i in tab.stretch_items()]
    clock.now = datetime(2026, 11, 26, 12, 30)
    tab.tick_done(keys)
    assert routine.checks(TONIGHT, date(2026, 11, 26)) == []
    assert tab.night == date(2026, 11, 26)


def test_reminders_stop_three_hours_after_bedtime(tab: RoutineTab) -> None:
    tab.set_reminders(True, time(22, 0))
    assert tab.reminder_due(datetime(2026, 11, 25, 23, 0))  # bedtime + 1 h
    assert tab.reminder_due(datetime(2026, 11, 26, 0, 59))
    assert not tab.reminder_due(datetime(2026, 11, 26, 1, 0))  # bedtime + 3 h
    assert not tab.reminder_due(datetime(2026, 11, 26, 3, 0))
    assert not tab.reminder_due(datetime(2026, 11, 26, 11, 50))


def test_before_you_start_and_a_users_cautions_are_shown(
    qtbot: QtBot, tab: RoutineTab, routine: RoutineService, bus: ChangeBus
) -> None:
    from crampdiary.domain.records import Profile
    from crampdiary.domain.routine import BEFORE_YOU_START, DEFAULTS_BY_KEY

    keys = [item.key for item, _ in tab.model.rows()]
    tab.view.setCurrentIndex(tab.model.index(keys.index("calf_stretch"), 0))
    text = tab.safety_label.text()
    assert BEFORE_YOU_START in text
    assert "sharp" in text and "swollen, red or warm" in text
    assert "maternity care provider" in text
    not_a_stretch = next(k for k in keys if not tab_is_stretch(k))
    tab.view.setCurrentIndex(tab.model.index(keys.index(not_a_stretch), 0))
    assert BEFORE_YOU_START not in tab.safety_label.text()

    dialog = StretchTimerDialog(tab.stretch_items())
    qtbot.addWidget(dialog)
    assert BEFORE_YOU_START in dialog.safety_label.text()
    assert "maternity care provider" in dialog.safety_label.text()

    # The warm bath's diabetes caution shows for a user with diabetes, and not otherwise.
    routine.pause("warm_bath", False, night=TONIGHT)
    bus.announce(Changes.ROUTINE)
    keys = [item.key for item, _ in tab.model.rows()]
    tab.view.setCurrentIndex(tab.model.index(keys.index("warm_bath"), 0))
    assert "Important for you" not in tab.safety_label.text()
    routine.diary.save_profile(Profile(conditions=("diabetes",)), today=TONIGHT)
    with qtbot.waitSignal(tab.reloaded):
        bus.announce(Changes.PROFILE)
    tab.view.setCurrentIndex(tab.model.index(keys.index("warm_bath"), 0))
    text = tab.safety_label.text()
    assert text.startswith("Important for you (Diabetes)")
    assert DEFAULTS_BY_KEY["warm_bath"].safety in text


def tab_is_stretch(key: str) -> bool:
    from crampdiary.domain.routine import DEFAULTS_BY_KEY

    return DEFAULTS_BY_KEY[key].stretch


def test_timer_phases_rest_between_holds_legs_and_items(tab: RoutineTab) -> None:
    items = tab.stretch_items()
    calf = next(i for i in items if i.key == "calf_stretch")
    assert calf.per_leg and calf.reps == 3
    steps = phases(items)
    assert not any(a.hold and b.hold for a, b in itertools.pairwise(steps))
    calf_steps = [p for p in steps if p.key == "calf_stretch"]
    texts = [p.text for p in calf_steps]
    third = texts.index(f"{calf.title}, left leg: hold 3 of 3")
    assert texts[third + 1] == f"{calf.title}, left leg: relax"
    assert calf_steps[third + 1].seconds == 10
    assert "switch legs" in texts[third + 2]
    assert texts[third + 3] == f"{calf.title}, right leg: hold 1 of 3"
    assert sum("Next stretch" in p.text for p in steps) == len(items) - 1


def test_skipped_stretches_are_not_timed_nor_ticked(
    qtbot: QtBot,
    tab: RoutineTab,
    routine: RoutineService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(routine_tab, "ask_skip_reason", lambda parent: "ill")
    keys = [item.key for item, _ in tab.model.rows()]
    all_stretches = [i.key for i in tab.stretch_items()]
    tab.view.setCurrentIndex(tab.model.index(keys.index("calf_stretch"), 0))
    qtbot.keyClick(tab.view, Qt.Key.Key_S)
    assert "calf_stretch" not in [i.key for i in tab.stretch_items()]
    tab.tick_done(all_stretches)  # a timer opened before the skip
    checks = {c.item: c for c in routine.checks(TONIGHT, TONIGHT)}
    assert (checks["calf_stretch"].state, checks["calf_stretch"].reason) == ("skipped", "ill")
    assert all(checks[k].state == "done" for k in all_stretches if k != "calf_stretch")


def test_mnemonics_do_not_clash_and_u_leaves_undone(qtbot: QtBot, tab: RoutineTab) -> None:
    from PySide6.QtWidgets import QAbstractButton

    window_keys = set("DNRTEFIH")
    letters = []
    for button in tab.findChildren(QAbstractButton):
        text = button.text().replace("&&", "")
        if "&" in text:
            letters.append(text[text.index("&") + 1].upper())
    assert letters and not window_keys & set(letters)
    assert len(letters) == len(set(letters))
    assert "&" not in tab.done_button.text()
    tab.view.setFocus()
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.view, Qt.Key.Key_Space)
    assert tab.state_text(0) == "Done"
    qtbot.keyClick(tab.view, Qt.Key.Key_U)
    assert tab.state_text(0) == "Not done"
