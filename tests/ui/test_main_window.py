"""The main window: the three-keystroke quick log, the morning card, first run, a damaged file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from crampdiary.paths import AppPaths
from crampdiary.ui import dialogs
from crampdiary.ui.main_window import MORNING_CARD_KEY, MainWindow

pytestmark = pytest.mark.gui

NOW = datetime(2026, 11, 25, 3, 12)


def _settled_diary(paths: AppPaths, *, morning_card_shown: bool = True) -> None:
    """A diary past its first run, as on any ordinary night."""
    from crampdiary.services.diary import DiaryService
    from crampdiary.storage.database import open_database

    engine = open_database(paths, now=NOW)
    diary = DiaryService(engine)
    diary.mark_onboarding(disclaimer=True, profile=True, today=NOW.date())
    if morning_card_shown:
        diary.set_setting(MORNING_CARD_KEY, NOW.date().isoformat())
    engine.dispose()


def _open_window(qtbot, paths: AppPaths, clock: Callable[[], datetime] = lambda: NOW) -> MainWindow:
    window = MainWindow(paths, clock=clock)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10000):
        window.show()
    assert window.tabs.isVisible()
    return window


def test_quick_log_saves_a_complete_episode_in_three_keystrokes(qtbot, paths) -> None:
    _settled_diary(paths)
    window = _open_window(qtbot, paths)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
    )  # 1
    qtbot.waitUntil(lambda: window._quick_log_dialog is not None)
    dialog = window._quick_log_dialog
    assert dialog is not None

    def focus_in_dialog() -> bool:
        focused = QApplication.focusWidget()
        return focused is dialog or (focused is not None and dialog.isAncestorOf(focused))

    qtbot.waitUntil(focus_in_dialog)
    target = QApplication.focusWidget()
    qtbot.keyClick(target, Qt.Key.Key_7)  # 2
    with qtbot.waitSignal(window.episode_saved) as saved:
        qtbot.keyClick(target, Qt.Key.Key_Return)  # 3

    episode = saved.args[0]
    assert dialog is not None
    assert episode.severity == 7
    assert episode.started_at == datetime(2026, 11, 25, 3, 12)
    assert episode.duration_s == 60
    assert (episode.muscle, episode.side) == ("calf", "left")
    assert window.diary is not None
    stored = window.diary.episodes_for_nights(date(2026, 11, 24), date(2026, 11, 24))
    assert [e.id for e in stored] == [episode.id]
    window.undo_stack.undo()
    assert window.diary.episodes_for_nights(date(2026, 11, 24), date(2026, 11, 24)) == []


def test_quick_log_zero_key_means_ten_and_uses_last_muscle(qtbot, paths) -> None:
    _settled_diary(paths)
    window = _open_window(qtbot, paths)
    assert window.diary is not None
    from crampdiary.domain.records import Episode

    window.diary.add_episode(
        Episode(
            started_at=datetime(2026, 11, 24, 23, 0),
            duration_s=90,
            muscle="foot",
            side="right",
            severity=4,
        ),
        now=NOW,
    )
    window.quick_log()
    dialog = window._quick_log_dialog
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_0)
    qtbot.keyClick(dialog, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.episode_saved) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_Enter)
    assert saved.args[0].severity == 9
    assert (saved.args[0].muscle, saved.args[0].side) == ("foot", "right")


def test_enter_without_a_severity_saves_nothing(qtbot, paths) -> None:
    _settled_diary(paths)
    window = _open_window(qtbot, paths)
    window.quick_log()
    dialog = window._quick_log_dialog
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window._quick_log_dialog is None)
    assert window.diary is not None
    assert window.diary.episodes_for_nights(date(2026, 11, 1), date(2026, 11, 30)) == []


def test_morning_card_no_cramps_logs_last_night(qtbot, paths) -> None:
    _settled_diary(paths, morning_card_shown=False)
    morning = datetime(2026, 11, 25, 7, 45)
    window = _open_window(qtbot, paths, clock=lambda: morning)
    qtbot.waitUntil(window.morning_card.isVisible)
    window.morning_card.buttons[0].click()
    assert window.diary is not None
    night = window.diary.night(date(2026, 11, 24))
    assert night is not None and night.no_cramps
    assert not window.morning_card.isVisible()


def test_morning_card_two_cramps_opens_the_form_twice(qtbot, paths) -> None:
    from crampdiary.ui.diary.episode_dialog import EpisodeDialog

    _settled_diary(paths, morning_card_shown=False)
    morning = datetime(2026, 11, 25, 7, 45)
    window = _open_window(qtbot, paths, clock=lambda: morning)
    qtbot.waitUntil(window.morning_card.isVisible)
    window.morning_card.buttons[2].click()
    titles = []
    for _ in range(2):
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), EpisodeDialog))
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EpisodeDialog)
        titles.append(dialog.windowTitle())
        dialog.accept()
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
    assert titles == ["Last night: cramp 1 of 2", "Last night: cramp 2 of 2"]
    assert window.diary is not None
    saved = window.diary.episodes_for_nights(date(2026, 11, 24), date(2026, 11, 24))
    assert len(saved) == 2
    assert [e.started_at for e in saved] == [datetime(2026, 11, 25, 3, 0)] * 2
    assert QApplication.activeModalWidget() is None


def test_morning_card_is_asked_once_a_day(qtbot, paths) -> None:
    _settled_diary(paths, morning_card_shown=False)
    morning = datetime(2026, 11, 25, 7, 45)
    window = _open_window(qtbot, paths, clock=lambda: morning)
    qtbot.waitUntil(window.morning_card.isVisible)
    window.close()
    again = _open_window(qtbot, paths, clock=lambda: morning)
    assert not again.morning_card.isVisible()


def test_first_run_shows_the_disclaimer_before_anything_else(qtbot, paths) -> None:
    window = MainWindow(paths, clock=lambda: NOW)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.diary_opened, timeout=10000):
        window.show()
        # Before the diary opens, the window shows only its name: no tabs, no entries.
        assert window._onboarding is None or not window.tabs.isVisibleTo(window)
    assert window._onboarding is not None and window._onboarding.isVisible()
    assert not window.tabs.isVisibleTo(window)
    assert not window.menuBar().isEnabled()


def test_garbage_database_is_explained_kept_and_offered_a_backup(qtbot, paths, monkeypatch):
    _settled_diary(paths)
    from crampdiary.storage.backup import make_backup

    make_backup(paths, kind="daily", now=NOW)
    garbage = b"this is not a database\n" * 500
    paths.database.write_bytes(garbage)
    for suffix in ("-wal", "-shm"):
        paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
    asked: list[tuple[str, list[str]]] = []

    def fake_choose(parent, title, text, options, *, detail=""):
        asked.append((text, options))
        return len(options) - 1  # Quit

    monkeypatch.setattr(dialogs, "choose", fake_choose)
    window = MainWindow(paths, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    text, options = asked[0]
    assert "is not a Cramp Diary database" in text
    assert options[0].startswith("Restore the newest good backup")
    assert hashlib.sha256(paths.database.read_bytes()).digest() == hashlib.sha256(garbage).digest()
    assert window.diary is None


def test_restoring_the_offered_backup_brings_the_diary_back(qtbot, paths, monkeypatch):
    _settled_diary(paths)
    from crampdiary.domain.records import Episode
    from crampdiary.services.diary import DiaryService
    from crampdiary.storage.backup import make_backup
    from crampdiary.storage.database import open_database

    engine = open_database(paths, now=NOW)
    DiaryService(engine).add_episode(
        Episode(
            started_at=datetime(2026, 11, 24, 2, 0),
            duration_s=30,
            muscle="calf",
            side="left",
            severity=6,
        ),
        now=NOW,
    )
    engine.dispose()
    make_backup(paths, kind="daily", now=NOW)
    garbage = b"\x00garbage" * 1000
    paths.database.write_bytes(garbage)
    for suffix in ("-wal", "-shm"):
        paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
    monkeypatch.setattr(dialogs, "choose", lambda *a, **k: 0)
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    window = MainWindow(paths, clock=lambda: NOW)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.diary_opened, timeout=10000):
        window.show()
    assert window.diary is not None
    assert len(window.diary.episodes_for_nights(date(2026, 11, 23), date(2026, 11, 23))) == 1
    kept = list(paths.damaged.iterdir())
    assert any(p.read_bytes() == garbage for p in kept)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("newer", ["Quit"]),
        ("read_only", ["Try again", "Quit"]),
        ("locked", ["Try again", "Quit"]),
        ("io_error", ["Try again", "Quit"]),
    ],
)
def test_an_intact_diary_is_never_offered_a_restore(qtbot, paths, monkeypatch, reason, expected):
    from crampdiary.domain.errors import DatabaseUnusableError
    from crampdiary.storage.backup import make_backup

    _settled_diary(paths)
    make_backup(paths, kind="daily", now=NOW)

    def refuse(*_a: object, **_k: object) -> None:
        raise DatabaseUnusableError(f"refused ({reason})", reason=reason)

    monkeypatch.setattr("crampdiary.storage.database.prepare_database", refuse)
    asked: list[list[str]] = []
    monkeypatch.setattr(
        dialogs, "choose", lambda parent, title, text, options, **k: asked.append(options) or None
    )
    window = MainWindow(paths, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert asked[0] == expected


def test_ctrl_l_opens_the_quick_log_over_an_open_form(qtbot, paths) -> None:
    from crampdiary.ui.diary.episode_dialog import EpisodeDialog

    _settled_diary(paths)
    window = _open_window(qtbot, paths)
    window.diary_tab.add_episode()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), EpisodeDialog))
    form = QApplication.activeModalWidget()
    qtbot.keyClick(form, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.quick_log_dialog is not None)
    dialog = window.quick_log_dialog
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_3)
    with qtbot.waitSignal(window.episode_saved):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert form is not None and form.isVisible()  # the form the user was in is still there
    form.close()


def test_enter_on_cancel_cancels_the_quick_log(qtbot, paths) -> None:
    _settled_diary(paths)
    window = _open_window(qtbot, paths)
    window.quick_log()
    dialog = window.quick_log_dialog
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_6)
    from PySide6.QtWidgets import QDialogButtonBox

    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setFocus()
    qtbot.waitUntil(cancel.hasFocus)
    qtbot.keyClick(cancel, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.quick_log_dialog is None)
    assert window.diary is not None
    assert window.diary.episodes_for_nights(date(2026, 11, 1), date(2026, 11, 30)) == []


def test_the_nutrition_tab_is_built_when_first_shown(qtbot, paths) -> None:
    _settled_diary(paths)
    window = _open_window(qtbot, paths)
    assert window.nutrition_tab is None  # not needed for the first paint
    with qtbot.waitSignal(window.nutrition_tab_ready, timeout=20000):
        window.tabs.setCurrentIndex(1)
    assert window.nutrition_tab is not None and window.nutrition is not None
    assert window.nutrition_tab.isVisible()
    window.nutrition.log_drink(NOW.date(), "water", 250, today=NOW.date())
    assert window.nutrition.day_intake(NOW.date()).totals["water"].supplements == 250


def test_the_routine_reminder_fires_only_while_tonight_is_not_done(qtbot, paths) -> None:
    from datetime import timedelta

    _settled_diary(paths)
    clock = {"now": datetime(2026, 11, 24, 22, 30)}
    window = _open_window(qtbot, paths, clock=lambda: clock["now"])
    assert window.diary is not None
    window.diary.set_setting("routine_bedtime", "22:00")
    window.diary.set_setting("routine_reminders", "on")
    with qtbot.waitSignal(window.routine_tab_ready, timeout=20000):
        window.tabs.setCurrentIndex(2)
    assert window.routine is not None and window.routine_tab is not None

    with qtbot.waitSignal(window.routine_reminded):
        assert window.check_routine_reminder()
    assert not window.check_routine_reminder()  # snoozed for 15 minutes

    night = date(2026, 11, 24)
    for item, _check in window.routine.tonight(clock["now"]):
        window.routine.set_check(night, item.key, "done", today=night)
    clock["now"] += timedelta(minutes=20)
    assert not window.check_routine_reminder()  # done: quiet
