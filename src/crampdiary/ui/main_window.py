"""UI layer: the main window: tabs, menus, quick log, morning card and the diary's life cycle.

The window paints first with no database work; ``open_diary`` then opens the file (check, daily
backup, migration when one is pending) and fills the current week in.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from crampdiary import APP_NAME, __version__
from crampdiary.domain.errors import CrampDiaryError, DatabaseUnusableError
from crampdiary.paths import AppPaths
from crampdiary.ui import dialogs
from crampdiary.ui.changes import ChangeBus, Changes

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QTabWidget

    from crampdiary.domain.nutrition import DriTable
    from crampdiary.services.diary import DiaryService
    from crampdiary.services.nutrition import NutritionService
    from crampdiary.services.routine import RoutineService
    from crampdiary.storage.foods import FoodIndex
    from crampdiary.ui.diary.diary_tab import DiaryTab
    from crampdiary.ui.morning_card import MorningCard
    from crampdiary.ui.nutrition.nutrition_tab import NutritionTab
    from crampdiary.ui.quick_log_dialog import QuickLogDialog
    from crampdiary.ui.routine.routine_tab import RoutineTab

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MORNING_CARD_KEY = "morning_card_shown_on"

_LATER_TABS = {
    "Trends": "Charts of your cramps beside sleep, food, routine and medicines arrive in a "
    "later version of Cramp Diary. Your diary entries are kept and will be shown here.",
}


def app_icon() -> QIcon:
    from importlib.resources import files

    return QIcon(str(files("crampdiary.resources").joinpath("icons/crampdiary.svg")))


def bench_mark(name: str) -> None:
    """With CRAMPDIARY_BENCH=1, tell the benchmark harness when a start-up stage is reached."""
    if os.environ.get("CRAMPDIARY_BENCH") == "1":
        print(f"crampdiary-bench {name} {time.time():.6f}", file=sys.stderr, flush=True)


class _FirstPaintFilter(QObject):
    painted = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.painted.emit()
        return False


class _QuickLogEverywhere(QObject):
    """Ctrl+L opens the quick log even while a form or dialog is open (modal dialogs block the
    window's own shortcuts); at 3 a.m. it must work whatever is on screen."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        assert isinstance(event, QKeyEvent)
        modal = QApplication.activeModalWidget()
        if (
            event.key() == Qt.Key.Key_L
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and modal is not None
            and modal is not self._window.quick_log_dialog
        ):
            self._window.quick_log()
            return True
        return False


class MainWindow(QMainWindow):
    """Cramp Diary's window. Cheap to build: no database, no heavy imports until ``open_diary``."""

    first_painted = Signal()
    ready = Signal()  # the week is on screen and the window takes input
    nutrition_tab_ready = Signal()
    routine_tab_ready = Signal()
    routine_reminded = Signal()
    diary_opened = Signal()
    episode_saved = Signal(object)  # Episode

    def __init__(
        self, paths: AppPaths, *, clock: Clock = datetime.now, auto_open: bool = True
    ) -> None:
        super().__init__()
        self._paths = paths
        self._clock = clock
        self.diary: DiaryService | None = None
        self._tray: QSystemTrayIcon | None = None
        self.bus = ChangeBus(self)
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAccessibleName(APP_NAME)
        self.resize(1000, 700)
        self._onboarding: QWidget | None = None
        self._quick_log_dialog: QWidget | None = None
        self._day_timer: QTimer | None = None
        self._quick_log_filter: _QuickLogEverywhere | None = None
        self.nutrition_tab: NutritionTab | None = None
        self.routine_tab: RoutineTab | None = None
        self.routine: RoutineService | None = None
        self._reminder_timer: QTimer | None = None
        self.nutrition: NutritionService | None = None
        self._reference_data: tuple[FoodIndex, DriTable] | None = None
        self._morning_night: date | None = None
        self._disclaimer_pending = False
        self._profile_pending: object = None
        self._data_actions: list[QAction] = []

        # What paints first: a calm placeholder. Menus, tabs and the diary follow right after
        # the first paint (their Qt classes and enums cost more than the bare window itself).
        # (Rich-text centring: the Qt namespace's enums cost more than the whole bare window.)
        self._placeholder: QLabel | None = QLabel(
            f'<div align="center"><h2>{APP_NAME}</h2><p>Opening your diary…</p></div>'
        )
        self._placeholder.setAccessibleName("Opening your diary")
        self.setCentralWidget(self._placeholder)
        self._built = False
        self.tabs: QTabWidget
        self.diary_tab: DiaryTab
        self.morning_card: MorningCard
        self._central_layout: QVBoxLayout

        self._paint_filter = _FirstPaintFilter(self)
        self.installEventFilter(self._paint_filter)
        self._paint_filter.painted.connect(self.first_painted)
        if auto_open:
            self._paint_filter.painted.connect(self._on_first_paint)

    def build_ui(self) -> None:
        """Menus, tabs and the Diary tab (no database yet); called once, after the first paint."""
        if self._built:
            return
        self._built = True
        from PySide6.QtWidgets import QTabWidget

        from crampdiary.ui.diary.diary_tab import DiaryTab
        from crampdiary.ui.morning_card import MorningCard

        central = QWidget()
        layout = self._central_layout = QVBoxLayout(central)
        self.morning_card = MorningCard()
        self.morning_card.hide()
        self.morning_card.answered.connect(self._on_morning_card_answered)
        layout.addWidget(self.morning_card)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Sections")
        self.diary_tab = DiaryTab(self.bus, self.undo_stack, self._clock)
        self.tabs.addTab(self.diary_tab, "&Diary")
        # The Nutrition tab is built when first needed (shown, or once the window is idle):
        # its widgets and the 8,790-food table are not needed for the first paint.
        self._nutrition_page = QWidget()
        self._nutrition_page.setAccessibleName("Nutrition")
        self._nutrition_layout = QVBoxLayout(self._nutrition_page)
        self._nutrition_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._nutrition_page, "&Nutrition")
        self._routine_page = QWidget()
        self._routine_page.setAccessibleName("Routine")
        self._routine_layout = QVBoxLayout(self._routine_page)
        self._routine_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._routine_page, "&Routine")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        for name, text in _LATER_TABS.items():
            self.tabs.addTab(self._later_tab(name, text), f"&{name}")
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._placeholder = None
        self._build_menus()
        self._restore_window_state()
        self.statusBar().showMessage("Opening your diary…")
        if not self._paths.database.exists():
            # A first run: the disclaimer comes before anything else, even before the file opens.
            self._start_onboarding(need_disclaimer=True, need_profile=True)

    # --- construction ----------------------------------------------------------------------------

    @staticmethod
    def _later_tab(name: str, text: str) -> QWidget:
        page = QWidget()
        label = QLabel(f"<h3>{name}</h3><p>{text}</p>")
        label.setWordWrap(True)
        from PySide6.QtCore import Qt

        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setAccessibleName(f"{name}: not available yet")
        box = QVBoxLayout(page)
        box.addWidget(label)
        box.addStretch(1)
        return page

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence

        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        from PySide6.QtGui import QKeySequence

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._data_actions.append(self._action(file_menu, "&Export…", self.export_diary))
        self._data_actions.append(self._action(file_menu, "&Import…", self.import_diary))
        file_menu.addSeparator()
        self._data_actions.append(self._action(file_menu, "&Back up now", self.backup_now))
        self._action(file_menu, "&Restore from backup…", self.restore_from_backup)
        self._action(file_menu, "Open &data folder", self.open_data_folder)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)

        diary_menu = bar.addMenu("D&iary")
        self.quick_log_action = self._action(
            diary_menu, "&Quick log a cramp…", self.quick_log, "Ctrl+L"
        )
        from PySide6.QtCore import Qt

        self.quick_log_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self._data_actions.append(self.quick_log_action)
        self._data_actions.append(
            self._action(diary_menu, "&Add cramp…", self.diary_tab.add_episode, "Ctrl+N")
        )
        self._data_actions.append(
            self._action(
                diary_menu, "Mark night as &no cramps", self.diary_tab.mark_no_cramps, "Ctrl+0"
            )
        )
        diary_menu.addSeparator()
        self._data_actions.append(
            self._action(diary_menu, "&Medicines and supplements…", self.edit_medications, "Ctrl+M")
        )
        self._data_actions.append(self._action(diary_menu, "&Profile…", self.edit_profile))

        help_menu = bar.addMenu("&Help")
        self._action(
            help_menu, "&When to see a healthcare professional", self.show_when_to_see, "F1"
        )
        self._action(help_menu, "&Guide to Cramp Diary", self.show_guide)
        help_menu.addSeparator()
        self._action(help_menu, "&About Cramp Diary", self.show_about)
        for action in self._data_actions:
            action.setEnabled(False)

    def _build_tray(self) -> None:
        from PySide6.QtWidgets import QMenu, QSystemTrayIcon

        if self._tray is not None or not QSystemTrayIcon.isSystemTrayAvailable():
            return
        tray = QSystemTrayIcon(self.windowIcon(), self)
        tray.setToolTip(APP_NAME)
        menu = QMenu(self)
        self._action(menu, "Quick log a cramp…", self.quick_log)
        self._action(menu, "Show Cramp Diary", self.bring_to_front)
        self._action(menu, "Snooze the routine reminder 15 min", self.snooze_routine_reminder)
        menu.addSeparator()
        self._action(menu, "Quit", self.close)
        tray.setContextMenu(menu)
        tray.activated.connect(self._on_tray_activated)
        tray.messageClicked.connect(self._on_tray_message_clicked)
        tray.show()
        self._tray = tray

    def _on_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        from PySide6.QtWidgets import QSystemTrayIcon

        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.bring_to_front()

    # --- life cycle ------------------------------------------------------------------------------

    def _on_first_paint(self) -> None:
        bench_mark("first-paint")
        self.build_ui()
        QTimer.singleShot(0, self.open_diary)

    def open_diary(self) -> bool:
        """Open the database and fill the window; on a damaged file, explain and offer a backup."""
        from crampdiary.storage.database import prepare_database

        self.build_ui()
        try:
            database = prepare_database(self._paths, now=self._clock())
        except DatabaseUnusableError as exc:
            logger.warning("database unusable: %s", exc.reason)
            self.statusBar().showMessage("The diary could not be opened.")
            QTimer.singleShot(0, lambda err=exc: self._offer_restore(err))
            return False
        except CrampDiaryError as exc:
            dialogs.show_error(self, "The diary could not be opened", str(exc))
            return False
        try:
            self._attach(database)
        except CrampDiaryError as exc:
            dialogs.show_error(self, "The diary could not be opened", str(exc))
            return False
        return True

    def _attach(self, database: Path) -> None:
        from crampdiary.services.diary import DiaryService

        self.diary = DiaryService(database)
        self.diary_tab.set_diary(self.diary)
        for action in self._data_actions:
            action.setEnabled(True)
        self.statusBar().showMessage("Diary open. Ctrl+L logs a cramp at any time.", 8000)
        self.diary_opened.emit()
        # "Ready" once the filled-in week has been painted and the event loop is free again.
        if not self.diary_tab.isVisible():  # the first-run panel is in front of it
            QTimer.singleShot(0, self._after_open)
            return
        self._week_painted = _FirstPaintFilter(self)
        self._week_painted.painted.connect(lambda: QTimer.singleShot(0, self._after_open))
        self.diary_tab.installEventFilter(self._week_painted)
        self.diary_tab.update()

    def _after_open(self) -> None:
        bench_mark("ready")
        self.ready.emit()
        if os.environ.get("CRAMPDIARY_BENCH_EXIT") == "1":
            QTimer.singleShot(0, self.close)
            return
        self._build_tray()
        if self._quick_log_filter is None:
            # Installed once the week is on screen: it sees every event of the application.
            from PySide6.QtWidgets import QApplication

            self._quick_log_filter = _QuickLogEverywhere(self)
            QApplication.instance().installEventFilter(self._quick_log_filter)  # type: ignore[union-attr]
        self._start_onboarding_or_morning_card()
        QTimer.singleShot(50, self._daily_backup)
        if self._day_timer is None:
            # A window left open for days still makes its daily backup and asks the morning
            # question once a new day has begun.
            self._day_timer = QTimer(self)
            self._day_timer.setInterval(20 * 60 * 1000)
            self._day_timer.timeout.connect(self._on_day_timer_timeout)
            self._day_timer.start()
        QTimer.singleShot(250, self._warm_up)
        if self.tabs.currentWidget() is self._nutrition_page:
            QTimer.singleShot(0, self._prepare_nutrition)
        elif self.tabs.currentWidget() is self._routine_page:
            QTimer.singleShot(0, self._prepare_routine)
        if self._reminder_timer is None:
            # Bedtime reminders while the app runs (no background service): checked each minute.
            self._reminder_timer = QTimer(self)
            self._reminder_timer.setInterval(60 * 1000)
            self._reminder_timer.timeout.connect(self._on_reminder_timer_timeout)
            self._reminder_timer.start()
        # Load the food table and the routine while the user reads the week, so that the first
        # visit to those tabs does not wait (and reminders can run). Both steps happen once; a
        # child timer dies with the window.
        idle = QTimer(self)
        idle.setSingleShot(True)
        idle.timeout.connect(self._prepare_nutrition)
        idle.timeout.connect(self._prepare_routine)
        idle.start(2000)

    def _on_day_timer_timeout(self) -> None:
        if self.diary is None:
            return
        self._refresh_routine_night()
        self._daily_backup()
        if self._onboarding is None:
            self._maybe_morning_card()

    def _on_reminder_timer_timeout(self) -> None:
        self.check_routine_reminder()

    def _warm_up(self) -> None:
        """Load the writing half of the storage (SQLModel) while the user reads the week."""
        if self.diary is None:
            return
        try:
            self.diary.warm_up()
        except CrampDiaryError:
            logger.warning("warming up the database engine failed")

    # --- the Nutrition tab ------------------------------------------------------------------------

    def _on_tabs_current_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self._nutrition_page:
            self._prepare_nutrition()
        elif self.tabs.widget(index) is self._routine_page:
            self._prepare_routine()

    def _prepare_routine(self) -> None:
        """Build the Routine tab and connect it to the diary (the default routine on first use)."""
        if self.routine_tab is None:
            from crampdiary.ui.routine.routine_tab import RoutineTab

            self.routine_tab = RoutineTab(self.bus, self.undo_stack, self._clock)
            self._routine_layout.addWidget(self.routine_tab)
            self.routine_tab.show()
        if self.diary is None or self.routine is not None:
            return
        from crampdiary.services.routine import RoutineService

        self.routine = RoutineService(self.diary)
        try:
            self.routine_tab.set_service(self.routine)
        except CrampDiaryError as exc:
            self.routine = None
            dialogs.show_error(self, "The routine could not be opened", str(exc))
            return
        self.routine_tab_ready.emit()

    def check_routine_reminder(self) -> bool:
        """At bedtime, a tray notification while tonight's routine is not done (app running)."""
        if self.routine_tab is None or self.routine is None:
            return False
        self._refresh_routine_night()
        now = self._clock()
        if not self.routine_tab.reminder_due(now):
            return False
        self.routine_tab.snooze(now)  # at most one reminder every 15 minutes
        text = "Time for your bedtime routine. Open Cramp Diary's Routine tab to tick it off."
        if self._tray is not None:
            self._tray.showMessage("Cramp Diary", text)
        else:
            self.statusBar().showMessage(text, 15 * 60 * 1000)
        self.routine_reminded.emit()
        return True

    def snooze_routine_reminder(self) -> None:
        if self.routine_tab is not None:
            self.routine_tab.snooze(self._clock())

    def _refresh_routine_night(self) -> None:
        """A window left open past noon shows the new night's checklist, not yesterday's."""
        if self.routine_tab is not None:
            self.routine_tab.refresh_if_new_night()

    def _on_tray_message_clicked(self) -> None:
        self._refresh_routine_night()
        self.bring_to_front()
        if self._built:
            self.tabs.setCurrentWidget(self._routine_page)

    def _prepare_nutrition(self) -> None:
        """Build the Nutrition tab and connect it to the diary (loading the food table once)."""
        if self.nutrition_tab is None:
            from crampdiary.ui.nutrition.nutrition_tab import NutritionTab

            self.nutrition_tab = NutritionTab(self.bus, self.undo_stack, self._clock)
            self._nutrition_layout.addWidget(self.nutrition_tab)
            self.nutrition_tab.show()  # a child added to a visible page is not shown by itself
        if self.diary is None or self.nutrition is not None:
            return
        from crampdiary.services.nutrition import NutritionService, load_reference_data

        try:
            if self._reference_data is None:
                self._reference_data = load_reference_data()
            self.nutrition = NutritionService(self.diary, *self._reference_data)
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Nutrition could not be opened", str(exc))
            return
        self.nutrition_tab.set_service(self.nutrition)
        self.nutrition_tab_ready.emit()

    def _detach(self) -> None:
        """Let go of the database file completely (before a restore, and on close)."""
        if self.nutrition_tab is not None:
            self.nutrition_tab.set_service(None)
        self.nutrition = None
        if self.routine_tab is not None:
            self.routine_tab.set_service(None)
        self.routine = None
        if self._built:
            self.diary_tab.set_diary(None)
        self.undo_stack.clear()
        for action in self._data_actions:
            action.setEnabled(False)
        if self.diary is not None:
            self.diary.close()
            self.diary = None

    def _daily_backup(self) -> None:
        from crampdiary.storage.backup import daily_backup_if_due

        try:
            made = daily_backup_if_due(self._paths, now=self._clock())
        except CrampDiaryError as exc:
            logger.warning("daily backup failed")
            self.statusBar().showMessage(f"Backup failed: {exc}", 15000)
            return
        if made is not None:
            logger.info("daily backup made")

    def _settings(self) -> QSettings:
        """UI state only (geometry, last tab), in the data dir beside the diary it belongs to."""
        from PySide6.QtCore import QSettings

        return QSettings(str(self._paths.data_dir / "window.ini"), QSettings.Format.IniFormat)

    def _restore_window_state(self) -> None:
        settings = self._settings()
        geometry = settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        tab = settings.value("tab", 0, type=int)
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def _save_window_state(self) -> None:
        settings = self._settings()
        settings.setValue("geometry", self.saveGeometry())
        if self._built:
            settings.setValue("tab", self.tabs.currentIndex())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_window_state()
        if self._tray is not None:
            self._tray.hide()
        self._detach()
        super().closeEvent(event)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # --- damaged database ------------------------------------------------------------------------

    # Only a file that is not (or no longer) a readable diary is worth replacing with a backup.
    _RESTORABLE = frozenset({"not_sqlite", "truncated", "damaged", "not_diary"})

    def _offer_restore(self, exc: DatabaseUnusableError) -> None:
        """Explain why the diary did not open and offer what fits that reason."""
        where = f"\n\nThe file has not been changed or deleted. It is at:\n{self._paths.database}"
        detail = ""
        newest = None
        if exc.reason in self._RESTORABLE:
            from crampdiary.storage.backup import newest_good_backup

            newest = newest_good_backup(self._paths)
            options = ["Choose a backup file…", "Quit"]
            if newest is not None:
                options.insert(0, f"Restore the newest good backup ({newest.name})")
            detail = (
                "Restoring keeps the current file: it is moved, unchanged, into the "
                "'damaged' folder of your data folder."
            )
        elif exc.reason == "newer":
            options = ["Quit"]
            detail = "Install the newer version of Cramp Diary to open this diary."
        else:  # locked, read-only, disk full or failing: nothing wrong with the diary itself
            options = ["Try again", "Quit"]
            detail = {
                "locked": "Close the other program that uses the file, then try again.",
                "read_only": "Make the file and its folder writable for you, then try again.",
                "io_error": "Free some disk space (or check the disk), then try again.",
            }.get(exc.reason, "")
        choice = dialogs.choose(
            self, "The diary could not be opened", f"{exc}{where}", options, detail=detail
        )
        picked = "Quit" if choice is None else options[choice]
        if picked == "Quit":
            self.close()
        elif picked == "Try again":
            self.open_diary()
        elif picked.startswith("Restore the newest") and newest is not None:
            self._restore(newest)
        else:
            self.restore_from_backup()

    # --- file menu -------------------------------------------------------------------------------

    def _restore(self, file: Path) -> bool:
        from crampdiary.storage.backup import restore_backup

        self._detach()
        try:
            kept = restore_backup(self._paths, file, now=self._clock())
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Restore failed", str(exc))
            self.open_diary()
            return False
        logger.info("backup restored")
        if self.open_diary():
            note = f"\n\nThe diary you had before was kept as {kept.name}." if kept else ""
            dialogs.show_info(self, "Backup restored", f"Restored {file.name}.{note}")
            self.bus.announce(Changes.ALL)
            return True
        return False

    def restore_from_backup(self) -> None:
        path = dialogs.open_file(
            self,
            "Restore from backup",
            str(self._paths.backups),
            "Cramp Diary backups (*.sqlite3);;All files (*)",
        )
        if not path:
            if self.diary is None:
                QTimer.singleShot(0, self.open_diary)
            return
        if self.diary is not None and not dialogs.confirm(
            self,
            "Restore from backup",
            f"Replace the diary with the backup {Path(path).name}?\n\n"
            "The current diary is kept as a backup first.",
            yes="Restore",
        ):
            return
        self._restore(Path(path))

    def backup_now(self) -> None:
        from crampdiary.storage.backup import make_backup

        try:
            made = make_backup(self._paths, kind="manual", now=self._clock())
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Backup failed", str(exc))
            return
        self.statusBar().showMessage(f"Backup saved: {made}", 10000)

    def open_data_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._paths.data_dir)))

    def export_diary(self) -> None:
        if self.diary is None:
            return
        from crampdiary.services.transfer import write_export

        now = self._clock()
        suggested = Path.home() / f"crampdiary-{now:%Y-%m-%d}.json"
        path = dialogs.save_file(
            self, "Export diary", str(suggested), "JSON (*.json);;CSV files in a folder (*)"
        )
        if not path:
            return
        fmt = "json" if path.lower().endswith(".json") else "csv"
        try:
            written = write_export(self.diary, fmt, Path(path), now=now)
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Export failed", str(exc))
            return
        self.statusBar().showMessage(f"Exported {len(written)} file(s) to {path}", 10000)

    def import_diary(self) -> None:
        if self.diary is None:
            return
        from crampdiary.services.transfer import import_file

        path = dialogs.open_file(self, "Import diary", str(Path.home()), "JSON (*.json)")
        if not path:
            return
        try:
            from crampdiary.storage.backup import make_backup

            make_backup(self._paths, kind="pre-import", now=self._clock())
            foods = self._reference_data[0] if self._reference_data is not None else None
            result = import_file(self.diary, Path(path), now=self._clock(), foods=foods)
        except CrampDiaryError as exc:
            dialogs.show_error(
                self, "Import refused", f"{exc}\n\nNothing was imported; your diary is unchanged."
            )
            return
        self.undo_stack.clear()  # not undoable step by step; the pre-import backup undoes it
        if self.nutrition is not None:
            self.nutrition.refresh()  # imported custom foods become searchable at once
        added = ", ".join(f"{n} {name}" for name, n in result.added.items() if n) or "nothing new"
        dialogs.show_info(self, "Import finished", f"Added: {added}.")
        self.bus.announce(Changes.ALL)

    # --- diary actions ---------------------------------------------------------------------------

    def quick_log(self) -> None:
        """Ctrl+L: a number key for the severity, Enter: a complete episode is saved now."""
        if self.diary is None or self._quick_log_dialog is not None:
            return
        from crampdiary.ui.quick_log_dialog import QuickLogDialog

        muscle, side = self.diary.last_muscle_and_side()
        self.bring_to_front()
        dialog = QuickLogDialog(self, now=self._clock(), muscle=muscle, side=side)
        from PySide6.QtCore import Qt

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_quick_log_accepted(dialog))
        dialog.finished.connect(self._on_quick_log_finished)
        self._quick_log_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        dialog.setFocus()

    @property
    def quick_log_dialog(self) -> QWidget | None:
        return self._quick_log_dialog

    def _on_quick_log_finished(self, _result: int) -> None:
        self._quick_log_dialog = None

    def _on_quick_log_accepted(self, dialog: QuickLogDialog) -> None:
        from crampdiary.ui.commands import add_episode

        if self.diary is None:
            return
        try:
            saved = add_episode(
                self.undo_stack, self.diary, self.bus, dialog.episode(), now=self._clock()
            )
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Cramp not saved", str(exc))
            return
        self.diary_tab.select_night(saved.night_of)
        self.statusBar().showMessage(
            f"Saved: cramp at {saved.started_at:%H:%M}, severity {saved.severity}. Ctrl+Z to undo.",
            10000,
        )
        self.episode_saved.emit(saved)

    def edit_medications(self) -> None:
        if self.diary is None:
            return
        from crampdiary.ui.medications_dialog import MedicationsDialog

        MedicationsDialog(
            self,
            diary=self.diary,
            undo_stack=self.undo_stack,
            bus=self.bus,
            today=self._clock().date(),
        ).exec()

    def edit_profile(self) -> None:
        if self.diary is None:
            return
        from crampdiary.ui.profile_dialog import ProfileDialog

        today = self._clock().date()
        dialog = ProfileDialog(self, profile=self.diary.profile(), today=today)
        if dialog.exec() != ProfileDialog.DialogCode.Accepted:
            return
        try:
            self.diary.save_profile(dialog.profile(), today=today)
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Profile not saved", str(exc))
            return
        self.bus.announce(Changes.PROFILE)

    def show_when_to_see(self) -> None:
        from crampdiary.ui.help import show_when_to_see

        show_when_to_see(self)

    def show_guide(self) -> None:
        from crampdiary.ui.help import show_app_guide

        show_app_guide(self)

    def show_about(self) -> None:
        from crampdiary.ui.help import show_about

        show_about(self, __version__)

    # --- first run and the morning card ----------------------------------------------------------

    def _start_onboarding_or_morning_card(self) -> None:
        if self.diary is None:
            return
        if self._disclaimer_pending:
            self._disclaimer_pending = False
            self.diary.mark_onboarding(disclaimer=True, today=self._clock().date())
        pending, self._profile_pending = self._profile_pending, None
        if pending == "skip":
            self._on_onboarding_profile_skipped()
        elif pending is not None:
            self._on_onboarding_profile_saved(pending)
        if self._onboarding is not None:
            return
        disclaimer_seen, profile_asked = self.diary.onboarding_state()
        if disclaimer_seen is None or profile_asked is None:
            self._start_onboarding(
                need_disclaimer=disclaimer_seen is None, need_profile=profile_asked is None
            )
        else:
            self._maybe_morning_card()

    def _start_onboarding(self, *, need_disclaimer: bool, need_profile: bool) -> None:
        from crampdiary.domain.records import Profile
        from crampdiary.ui.onboarding import OnboardingPanel

        panel = OnboardingPanel()
        panel.disclaimer_accepted.connect(self._on_onboarding_disclaimer_accepted)
        panel.profile_saved.connect(self._on_onboarding_profile_saved)
        panel.profile_skipped.connect(self._on_onboarding_profile_skipped)
        panel.finished.connect(self._on_onboarding_finished)
        self._onboarding = panel
        self.tabs.hide()
        self.menuBar().setEnabled(False)
        self._central_layout.addWidget(panel)
        panel.start(
            need_disclaimer=need_disclaimer,
            need_profile=need_profile,
            profile=self.diary.profile() if self.diary else Profile(),
            today=self._clock().date(),
        )

    def _on_onboarding_disclaimer_accepted(self) -> None:
        if self.diary is None:
            self._disclaimer_pending = True  # saved as soon as the file is open
        else:
            self.diary.mark_onboarding(disclaimer=True, today=self._clock().date())

    def _on_onboarding_profile_saved(self, profile: object) -> None:
        if self.diary is None:
            self._profile_pending = profile  # saved as soon as the file is open
            return
        from crampdiary.domain.records import Profile

        assert isinstance(profile, Profile)
        try:
            self.diary.save_profile(profile, today=self._clock().date())
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Profile not saved", str(exc))
            return
        self.bus.announce(Changes.PROFILE)

    def _on_onboarding_profile_skipped(self) -> None:
        if self.diary is None:
            self._profile_pending = "skip"
        else:
            self.diary.mark_onboarding(profile=True, today=self._clock().date())

    def _on_onboarding_finished(self) -> None:
        if self._onboarding is not None:
            self._onboarding.hide()
            self._onboarding.deleteLater()
            self._onboarding = None
        self.menuBar().setEnabled(True)
        self.tabs.show()
        self.diary_tab.setFocus()
        # A brand-new diary has no "last night" to ask about yet.
        if self.diary is not None:
            self.diary.set_setting(MORNING_CARD_KEY, self._clock().date().isoformat())

    def _maybe_morning_card(self) -> None:
        if self.diary is None:
            return
        now = self._clock()
        today = now.date().isoformat()
        if self.diary.setting(MORNING_CARD_KEY) == today:
            return
        self.diary.set_setting(MORNING_CARD_KEY, today)
        from crampdiary.domain.nights import last_night

        night = last_night(now)
        summary = self.diary.overview(night, night)[0]
        if summary.logged:
            return
        self._morning_night = night
        self.morning_card.ask(night)

    def _on_morning_card_answered(self, value: int) -> None:
        self.morning_card.hide()
        if value < 0 or self.diary is None:
            return
        night = self._morning_night
        if night is None:
            return
        from crampdiary.domain.records import Night
        from crampdiary.ui.commands import save_night

        if value == 0:
            try:
                save_night(
                    self.undo_stack,
                    self.diary,
                    self.bus,
                    Night(night_of=night, no_cramps=True),
                    today=self._clock().date(),
                )
            except CrampDiaryError as exc:
                dialogs.show_error(self, "Not saved", str(exc))
                return
            self.diary_tab.select_night(night)
            self.statusBar().showMessage("Saved: no cramps last night. Ctrl+Z to undo.", 8000)
            return
        self._log_morning_cramps(night, value)

    def _log_morning_cramps(self, night: date, count: int, number: int = 1) -> None:
        """The cramp form once per cramp of last night; "3 or more" keeps offering another."""
        self.diary_tab.select_night(night)

        def after_save(_saved: object) -> None:
            more = number < count or (
                count >= 3
                and dialogs.confirm(
                    self,
                    "Another cramp?",
                    "Add another cramp for last night?",
                    yes="Add another",
                    no="Done",
                )
            )
            if more:
                QTimer.singleShot(0, lambda: self._log_morning_cramps(night, count, number + 1))

        suffix = f" of {count}" if count < 3 else ""
        title = f"Last night: cramp {number}{suffix}"
        # "Last night" cramps default to 03:00 of that night (never later than now).
        start = min(
            datetime.combine(night + timedelta(days=1), clock_time(3, 0)),
            self._clock().replace(second=0, microsecond=0),
        )
        self.diary_tab.add_episode(title=title, start=start, after_save=after_save)
