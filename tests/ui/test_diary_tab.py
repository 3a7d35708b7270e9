"""The Diary tab on a real diary: the strip of nights, the night panel, and undoable edits."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from crampdiary.domain.records import Day, Episode, Night
from crampdiary.domain.summaries import NightSummary
from crampdiary.services.diary import DiaryService
from crampdiary.ui.changes import ChangeBus, Changes
from crampdiary.ui.diary import DiaryTab
from crampdiary.ui.diary.calendar_strip import STATE_ROLE, NightGridModel
from crampdiary.ui.diary.day_dialog import DayDialog
from crampdiary.ui.diary.episode_dialog import EpisodeDialog, to_qdatetime
from crampdiary.ui.diary.episode_table_model import EpisodeTableModel
from crampdiary.ui.diary.night_dialog import NightDialog

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

NOW = datetime(2026, 11, 25, 8, 30)  # a Wednesday morning: the current night is Tuesday 24
TUESDAY = date(2026, 11, 24)
MONDAY = date(2026, 11, 23)
D = TypeVar("D", bound=QDialog)


@pytest.fixture
def bus(qapp: object) -> ChangeBus:
    return ChangeBus()


@pytest.fixture
def stack(qapp: object) -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def tab(qtbot: QtBot, bus: ChangeBus, stack: QUndoStack, diary: DiaryService) -> DiaryTab:
    widget = DiaryTab(bus, stack, lambda: NOW)
    qtbot.addWidget(widget)
    widget.set_diary(diary)
    return widget


def cramp(start: datetime, severity: int = 5, **kwargs: object) -> Episode:
    return Episode(
        started_at=start, duration_s=75, muscle="calf", side="left", severity=severity, **kwargs
    )


def open_dialog(tab: DiaryTab, kind: type[D]) -> D:
    """The one form the tab has open (closed ones may linger until deleteLater runs)."""
    shown = [d for d in tab.findChildren(kind) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def cell_state(tab: DiaryTab, night: date) -> str:
    return str(tab.strip.model.index_of(night).data(STATE_ROLE))


def cell_name(tab: DiaryTab, night: date) -> str:
    return str(tab.strip.model.index_of(night).data(Qt.ItemDataRole.AccessibleTextRole))


def test_the_tab_is_cheap_to_build_and_waits_for_the_diary(
    qtbot: QtBot, bus: ChangeBus, stack: QUndoStack
) -> None:
    calls: list[datetime] = []

    def clock() -> datetime:
        calls.append(NOW)
        return NOW

    widget = DiaryTab(bus, stack, clock)
    qtbot.addWidget(widget)
    assert widget.pages.currentWidget() is widget.opening_label
    assert widget.opening_label.text() == "Opening your diary…"
    assert widget.selected_night() == TUESDAY
    widget.add_episode()  # no diary yet: nothing opens, nothing breaks
    widget.mark_no_cramps()
    assert widget.findChildren(EpisodeDialog) == []
    bus.announce(Changes.DIARY)


def test_importing_the_tab_loads_no_database_or_chart_library() -> None:
    code = (
        "import sys, crampdiary.ui.diary, crampdiary.ui.commands;"
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy', 'pyqtgraph', 'crampdiary.services.diary')"
        " if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_week_view_shows_the_current_week(tab: DiaryTab) -> None:
    assert tab.strip.mode() == "week"
    assert tab.strip.visible_range() == (MONDAY, date(2026, 11, 29))
    assert tab.selected_night() == TUESDAY
    assert tab.header_label.text() == "Night of Tuesday 24 November"
    assert tab.strip.range_label.text() == "23 – 29 November 2026"
    assert not tab.strip.next_button.isEnabled()
    assert cell_state(tab, date(2026, 11, 25)) == "future"


def test_the_strip_never_confuses_unlogged_and_no_cramp_nights(
    tab: DiaryTab, diary: DiaryService
) -> None:
    diary.save_night(Night(night_of=MONDAY, no_cramps=True), today=NOW.date())
    diary.add_episode(cramp(datetime(2026, 11, 25, 1, 0), 7), now=NOW)
    diary.add_episode(cramp(datetime(2026, 11, 25, 4, 0), 3), now=NOW)
    # A day's context alone does not log its night.
    diary.save_day(Day(date=date(2026, 11, 21), activity_min=30), today=NOW.date())
    tab.reload()

    assert cell_state(tab, MONDAY) == "no_cramps"
    assert cell_name(tab, MONDAY) == "Monday 23 November: no cramps"
    assert "✓ no cramps" in tab.strip.model.index_of(MONDAY).data()
    assert cell_state(tab, TUESDAY) == "cramps"
    assert cell_name(tab, TUESDAY) == "Tuesday 24 November: 2 cramps, worst 7 of 10"

    tab.strip.page(-1)
    assert tab.strip.visible_range() == (date(2026, 11, 16), date(2026, 11, 22))
    assert cell_state(tab, date(2026, 11, 21)) == "unlogged"
    assert cell_name(tab, date(2026, 11, 21)) == "Saturday 21 November: not logged"
    assert "○ not logged" in tab.strip.model.index_of(date(2026, 11, 21)).data()


def test_adding_a_cramp_through_the_form(
    qtbot: QtBot, tab: DiaryTab, diary: DiaryService, bus: ChangeBus, stack: QUndoStack
) -> None:
    assert cell_state(tab, TUESDAY) == "unlogged"
    tab.add_episode()
    dialog = open_dialog(tab, EpisodeDialog)
    assert dialog.start_edit.dateTime() == to_qdatetime(NOW)  # the current night: now
    dialog.start_edit.setDateTime(to_qdatetime(datetime(2026, 11, 25, 4, 20)))
    dialog.minutes_spin.setValue(3)
    dialog.severity.set_value(6)
    dialog.woke_check.setChecked(True)

    with qtbot.waitSignal(bus.changed) as blocker:
        dialog.accept()

    assert blocker.args == [Changes.DIARY]
    episodes = diary.episodes_for_nights(TUESDAY, TUESDAY)
    assert len(episodes) == 1
    assert (episodes[0].duration_s, episodes[0].severity) == (180, 6)
    assert cell_state(tab, TUESDAY) == "cramps"
    assert tab.episode_model.rowCount() == 1
    assert tab.selected_episode() == episodes[0]
    assert stack.undoText() == "Add cramp"
    assert not tab.no_cramps_button.isEnabled()


def test_a_cramp_for_a_past_night_defaults_to_three_in_the_morning(
    tab: DiaryTab, diary: DiaryService
) -> None:
    tab.select_night(date(2026, 11, 20))
    tab.add_episode()
    dialog = open_dialog(tab, EpisodeDialog)
    assert dialog.start_edit.dateTime() == to_qdatetime(datetime(2026, 11, 21, 3, 0))
    dialog.accept()
    assert [e.night_of for e in diary.episodes_for_nights(date(2026, 11, 20), TUESDAY)] == [
        date(2026, 11, 20)
    ]


def test_a_refused_form_stays_open_and_saves_nothing(
    tab: DiaryTab, diary: DiaryService, stack: QUndoStack
) -> None:
    tab.add_episode()
    dialog = open_dialog(tab, EpisodeDialog)
    dialog.start_edit.setDateTime(to_qdatetime(NOW + timedelta(days=1)))

    dialog.accept()

    assert dialog.isVisible()
    assert "future" in dialog.error_label.text()
    assert diary.episodes_for_nights(MONDAY, date(2026, 11, 26)) == []
    assert stack.count() == 0
    dialog.reject()


def test_editing_the_selected_cramp(
    qtbot: QtBot, tab: DiaryTab, diary: DiaryService, bus: ChangeBus, stack: QUndoStack
) -> None:
    original = diary.add_episode(cramp(datetime(2026, 11, 25, 2, 0), 4), now=NOW)
    tab.reload()
    tab.episode_view.selectRow(0)
    assert tab.edit_button.isEnabled()

    tab.edit_selected_episode()
    dialog = open_dialog(tab, EpisodeDialog)
    assert dialog.severity.value() == 4
    dialog.severity.set_value(9)
    with qtbot.waitSignal(bus.changed):
        dialog.accept()

    edited = diary.episode(original.id)
    assert edited is not None and edited.severity == 9
    assert cell_name(tab, TUESDAY) == "Tuesday 24 November: 1 cramp, worst 9 of 10"
    with qtbot.waitSignal(bus.changed):
        stack.undo()
    assert diary.episode(original.id) == original
    assert cell_name(tab, TUESDAY) == "Tuesday 24 November: 1 cramp, worst 4 of 10"


def test_delete_with_the_del_key_then_undo_and_redo(
    qtbot: QtBot, tab: DiaryTab, diary: DiaryService, bus: ChangeBus, stack: QUndoStack
) -> None:
    original = diary.add_episode(cramp(datetime(2026, 11, 25, 2, 0), 8, notes="left calf"), now=NOW)
    tab.reload()
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    tab.episode_view.setFocus()
    tab.episode_view.selectRow(0)

    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.episode_view, Qt.Key.Key_Delete)

    assert diary.episode(original.id) is None
    assert cell_state(tab, TUESDAY) == "unlogged"
    assert stack.undoText() == "Delete cramp"

    with qtbot.waitSignal(bus.changed):
        stack.undo()
    assert diary.episode(original.id) == original
    assert tab.episode_model.episodes() == [original]
    assert cell_state(tab, TUESDAY) == "cramps"

    with qtbot.waitSignal(bus.changed):
        stack.redo()
    assert diary.episode(original.id) is None
    assert tab.episode_model.rowCount() == 0


def test_mark_no_cramps_with_one_click(
    qtbot: QtBot, tab: DiaryTab, diary: DiaryService, bus: ChangeBus, stack: QUndoStack
) -> None:
    tab.select_night(MONDAY)
    assert cell_state(tab, MONDAY) == "unlogged"
    assert tab.no_cramps_button.isEnabled()

    with qtbot.waitSignal(bus.changed):
        qtbot.mouseClick(tab.no_cramps_button, Qt.MouseButton.LeftButton)

    night = diary.night(MONDAY)
    assert night is not None and night.no_cramps
    assert cell_state(tab, MONDAY) == "no_cramps"
    assert stack.undoText() == "Mark night as no cramps"
    assert not tab.no_cramps_button.isEnabled()
    assert "no cramps" in tab.night_label.text()

    stack.undo()
    assert diary.night(MONDAY) is None
    assert cell_state(tab, MONDAY) == "unlogged"


def test_mark_no_cramps_keeps_the_rest_of_the_night_record(
    tab: DiaryTab, diary: DiaryService
) -> None:
    diary.save_night(Night(night_of=TUESDAY, sleep_hours=5.5, notes="late"), today=NOW.date())
    tab.reload()
    tab.mark_no_cramps()
    night = diary.night(TUESDAY)
    assert night is not None and night.no_cramps and night.sleep_hours == 5.5


def test_mark_no_cramps_on_a_night_with_cramps_is_refused(
    tab: DiaryTab, diary: DiaryService, stack: QUndoStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampdiary.ui import dialogs

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, title, _text: shown.append(title))
    diary.add_episode(cramp(datetime(2026, 11, 25, 2, 0)), now=NOW)
    tab.reload()
    assert not tab.no_cramps_button.isEnabled()

    tab.mark_no_cramps()  # the main window's Ctrl+0 calls it whatever the button says

    assert shown == ["Night not marked"]
    assert stack.count() == 0


def test_edit_night_and_day_through_their_forms(
    qtbot: QtBot, tab: DiaryTab, diary: DiaryService, bus: ChangeBus, stack: QUndoStack
) -> None:
    tab.edit_night()
    night_form = open_dialog(tab, NightDialog)
    night_form.hours_spin.setValue(6.5)
    night_form.notes.set_text("restless legs")
    with qtbot.waitSignal(bus.changed):
        night_form.accept()
    assert "Hours slept: 6.5 h" in tab.night_label.text()
    assert "restless legs" in tab.night_label.text()
    assert stack.undoText() == "Edit night"

    tab.edit_day()
    day_form = open_dialog(tab, DayDialog)
    day_form.caffeine_spin.setValue(3)
    day_form.symptom_checks["numbness_tingling"].setChecked(True)
    with qtbot.waitSignal(bus.changed):
        day_form.accept()
    day = diary.day(TUESDAY)
    assert day is not None and day.caffeine_drinks == 3
    assert "Caffeinated drinks: 3" in tab.day_label.text()
    assert not tab.symptoms_frame.isHidden()
    assert "Numbness or tingling" in tab.symptoms_label.text()
    assert stack.undoText() == "Edit day"

    stack.undo()
    assert diary.day(TUESDAY) is None
    assert tab.symptoms_frame.isHidden()


def test_keyboard_moves_through_the_nights(qtbot: QtBot, tab: DiaryTab) -> None:
    view = tab.strip.view
    view.setFocus()
    seen: list[date] = []
    tab.night_selected.connect(seen.append)

    with qtbot.waitSignal(tab.night_selected):
        qtbot.keyClick(view, Qt.Key.Key_Left)
    assert tab.selected_night() == MONDAY
    qtbot.keyClick(view, Qt.Key.Key_Left)  # across into the week before
    assert tab.selected_night() == date(2026, 11, 22)
    assert tab.strip.visible_range()[0] == date(2026, 11, 16)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert tab.selected_night() == date(2026, 11, 15)
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert tab.selected_night() == date(2026, 11, 8)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert tab.selected_night() == date(2026, 11, 15)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert tab.selected_night() == TUESDAY
    qtbot.keyClick(view, Qt.Key.Key_Right)  # no future nights
    assert tab.selected_night() == TUESDAY
    assert seen == [
        MONDAY,
        date(2026, 11, 22),
        date(2026, 11, 15),
        date(2026, 11, 8),
        date(2026, 11, 15),
        TUESDAY,
    ]
    assert view.currentIndex() == tab.strip.model.index_of(TUESDAY)


def test_month_view_and_page_keys_change_the_month(
    qtbot: QtBot, tab: DiaryTab, diary: DiaryService
) -> None:
    diary.add_episode(cramp(datetime(2026, 10, 10, 2, 0), 6), now=NOW)
    qtbot.mouseClick(tab.strip.month_button, Qt.MouseButton.LeftButton)
    assert tab.strip.mode() == "month"
    assert tab.strip.visible_range() == (date(2026, 10, 26), date(2026, 12, 6))
    assert tab.strip.range_label.text() == "November 2026"

    tab.strip.view.setFocus()
    qtbot.keyClick(tab.strip.view, Qt.Key.Key_PageUp)
    assert tab.selected_night() == date(2026, 10, 24)
    assert tab.strip.range_label.text() == "October 2026"
    assert cell_state(tab, date(2026, 10, 9)) == "cramps"
    qtbot.keyClick(tab.strip.view, Qt.Key.Key_Down)
    assert tab.selected_night() == date(2026, 10, 31)

    qtbot.mouseClick(tab.strip.today_button, Qt.MouseButton.LeftButton)
    assert tab.selected_night() == TUESDAY
    qtbot.mouseClick(tab.strip.week_button, Qt.MouseButton.LeftButton)
    assert tab.strip.visible_range() == (MONDAY, date(2026, 11, 29))


def test_clicking_a_night_selects_it_and_a_future_night_cannot_be_selected(
    qtbot: QtBot, tab: DiaryTab
) -> None:
    view = tab.strip.view
    tab.show()
    qtbot.waitExposed(tab)
    monday = view.visualRect(tab.strip.model.index_of(MONDAY)).center()
    with qtbot.waitSignal(tab.night_selected) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=monday)
    assert blocker.args == [MONDAY]
    assert tab.header_label.text() == "Night of Monday 23 November"

    friday = view.visualRect(tab.strip.model.index_of(date(2026, 11, 27))).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=friday)
    assert tab.selected_night() == MONDAY
    tab.select_night(date(2026, 12, 25))
    assert tab.selected_night() == TUESDAY


def test_the_tab_reloads_only_on_its_own_changes(
    tab: DiaryTab, diary: DiaryService, bus: ChangeBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[date, date]] = []
    real = diary.overview

    def counted(first: date, last: date) -> list[NightSummary]:
        calls.append((first, last))
        return real(first, last)

    monkeypatch.setattr(diary, "overview", counted)
    bus.announce(Changes.PROFILE)
    bus.announce(Changes.MEDICATIONS)
    assert calls == []
    bus.announce(Changes.DIARY)
    assert calls == [(MONDAY, date(2026, 11, 29))]


def test_set_diary_none_goes_back_to_the_opening_state(tab: DiaryTab) -> None:
    assert tab.pages.currentIndex() == 1
    tab.set_diary(None)
    assert tab.pages.currentWidget() is tab.opening_label
    assert not tab.add_button.isEnabled()


def test_episode_table_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    check = qtmodeltester.check
    model = EpisodeTableModel()
    check(model)
    model.set_episodes(
        [
            cramp(datetime(2026, 11, 24, 23, 40), 4),
            cramp(
                datetime(2026, 11, 25, 3, 10),
                7,
                woke_from_sleep=True,
                relief=("stretched", "walked"),
                relief_helped=True,
                notes="Woke suddenly\nsecond line",
            ),
        ]
    )
    check(model)
    row = [model.index(1, column).data() for column in range(model.columnCount())]
    assert row == [
        "Wed 03:10",
        "1:15",
        "Calf, left",
        "7 · between hard to ignore, stops what I'm doing and intense, can hardly think of "
        "anything else",
        "Yes",
        "Stretched, walked: helped",
        "Woke suddenly",
    ]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Time"
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def test_night_grid_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    check = qtmodeltester.check
    model = NightGridModel(MONDAY, TUESDAY)
    check(model)
    model.set_range(date(2026, 10, 26), 6, (2026, 11))
    model.set_summaries([NightSummary(MONDAY, True, 0, None, True)])
    check(model)
    assert model.index_of(MONDAY).data(STATE_ROLE) == "no_cramps"
    assert model.flags(model.index_of(date(2026, 11, 30))) == Qt.ItemFlag.NoItemFlags
