"""UI layer: the Routine tab: tonight's checklist, streak and adherence, paper, reminders."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTime, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import routine as rdomain
from crampdiary.domain.errors import CrampDiaryError
from crampdiary.domain.nights import coming_monday, current_night
from crampdiary.domain.records import SKIP_REASONS, RoutineItem
from crampdiary.storage.files import write_private_atomic
from crampdiary.ui import commands, dialogs
from crampdiary.ui.changes import ChangeBus, Changes
from crampdiary.ui.routine.routine_models import (
    BEFORE_YOU_START_TEXT,
    TonightModel,
    cautions_text,
    check_text,
    is_stretch,
)

if TYPE_CHECKING:
    from crampdiary.services.routine import RoutineService

logger = logging.getLogger(__name__)

RELOAD_ON = Changes.ROUTINE | Changes.DIARY | Changes.PROFILE  # profile: its conditions
BEDTIME_KEY = "routine_bedtime"
REMINDERS_KEY = "routine_reminders"
DEFAULT_BEDTIME = time(22, 30)
SNOOZE = timedelta(minutes=15)
RUNNING_ONLY = "Reminders appear only while Cramp Diary is running (no background service)."
# Reminders stop this long after bedtime: not all night and morning for last night.
REMINDER_WINDOW = timedelta(hours=3)
NEW_NIGHT = "It's a new night now: the list shows tonight. Nothing was changed."
PAPERS = {"a4": "A4", "letter": "US Letter"}


# --- the prompts: module functions, so tests replace them (no modal dialog runs in a test) -----


def ask_skip_reason(parent: QWidget | None) -> str | None:
    """The reason for a skip (a key of SKIP_REASONS), or None when cancelled."""
    labels = list(SKIP_REASONS.values())
    chosen, ok = QInputDialog.getItem(
        parent, "Skip tonight", "Why is it skipped?", labels, 0, False
    )
    if not ok:
        return None
    return next(k for k, v in SKIP_REASONS.items() if v == chosen)


def ask_note(parent: QWidget | None, current: str) -> str | None:
    """A note for an item tonight, or None when cancelled."""
    text, ok = QInputDialog.getText(parent, "Note", "Note for tonight:", text=current)
    return text if ok else None


def open_in_viewer(path: Path) -> bool:
    """Open a file in the system's viewer (its print button prints it)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def choose_printer(parent: QWidget, paper: str) -> tuple[str, int] | None:
    """The Qt print dialog: (printer name, copies), or None when cancelled (tests replace it)."""
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    size = QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4
    printer.setPageSize(QPageSize(size))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print weekly checklist")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted or not printer.printerName():
        return None
    return printer.printerName(), max(1, printer.copyCount())


def spool_pdf(path: Path, printer: str, copies: int) -> bool:
    """Hand a PDF to the system's print spooler (CUPS `lp` or `lpr`); False when there is none."""
    import shutil
    import subprocess

    lp = shutil.which("lp")
    if lp is not None:
        args = [lp, "-d", printer, "-n", str(copies), str(path)]
    elif (lpr := shutil.which("lpr")) is not None:
        args = [lpr, "-P", printer, f"-#{copies}", str(path)]
    else:
        return False
    subprocess.run(args, check=True, timeout=60, capture_output=True)
    return True


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


def _plain(text: str = "", *, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setAccessibleName(name)
    return label


def _button(text: str, name: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setAutoDefault(False)
    if tip:
        button.setToolTip(tip)
    return button


class RoutineTab(QWidget):
    """Tonight's bedtime routine; the main window owns the undo stack and the bus."""

    reloaded = Signal()
    checklist_saved = Signal(object)  # Path

    def __init__(
        self,
        bus: ChangeBus,
        undo_stack: QUndoStack,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bus = bus
        self._undo_stack = undo_stack
        self._clock = clock
        self._service: RoutineService | None = None
        self._night = current_night(clock())
        self._snoozed_until: datetime | None = None
        self._loading = False
        self._conditions: frozenset[str] = frozenset()

        # --- tonight ---------------------------------------------------------------------
        self.night_label = _plain(name="Night shown")
        font = self.night_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.night_label.setFont(font)
        self.model = TonightModel()
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Tonight's routine")
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.installEventFilter(self)
        self.view.clicked.connect(self._on_view_clicked)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.empty_label = _plain("Nothing is scheduled tonight.", name="Nothing tonight")
        self.detail_label = _plain(name="Item instructions")
        self.safety_label = _plain(name="Safety note")
        self.notice_label = _plain(name="Notice")
        self.notice_label.hide()
        self.problem_label = _plain(name="Problem")
        self.problem_label.hide()

        # Mnemonics stay clear of the window's tabs and menus (Alt+D, N, R, T, E, F, I, H).
        self.done_button = _button("Done / undo (Space)", "Tick item", "Space or a click")
        self.skip_button = _button("&Skip… (S)", "Skip item", "Skipped with a reason")
        self.note_button = _button("N&ote… (N)", "Note for item")
        self.clear_button = _button("&Leave undone (U)", "Leave item undone")
        self.done_button.clicked.connect(self.toggle_current)
        self.skip_button.clicked.connect(self.skip_current)
        self.note_button.clicked.connect(self.edit_current_note)
        self.clear_button.clicked.connect(self.leave_current_undone)
        actions = QHBoxLayout()
        for button in (self.done_button, self.skip_button, self.note_button, self.clear_button):
            actions.addWidget(button)
        actions.addStretch(1)

        self.completion_label = _plain(name="Tonight's completion")
        self.streak_label = _plain(name="Streak")
        self.adherence_label = _plain(name="Adherence")
        stats = QVBoxLayout()
        for label in (self.completion_label, self.streak_label, self.adherence_label):
            stats.addWidget(label)

        self.editor_button = _button("Edit ro&utine…", "Edit routine")
        self.timer_button = _button("Start stret&ch timer…", "Start stretch timer")
        self.transcribe_button = _button("Type in a paper &week…", "Type in a paper week")
        self.editor_button.clicked.connect(self.open_editor)
        self.timer_button.clicked.connect(self.open_stretch_timer)
        self.transcribe_button.clicked.connect(self.open_transcription)
        tools = QHBoxLayout()
        for button in (self.editor_button, self.timer_button, self.transcribe_button):
            tools.addWidget(button)
        tools.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.night_label)
        left.addWidget(self.problem_label)
        left.addWidget(self.notice_label)
        left.addWidget(self.view, 1)
        left.addWidget(self.empty_label)
        left.addLayout(actions)
        left.addWidget(self.detail_label)
        left.addWidget(self.safety_label)
        left.addLayout(stats)
        left.addLayout(tools)

        # --- paper ---------------------------------------------------------------------------
        paper_box = QGroupBox("Printable weekly checklist")
        self.week_edit = QDateEdit(QDate(coming_monday(clock().date())))
        self.week_edit.setCalendarPopup(True)
        self.week_edit.setDisplayFormat("ddd d MMM yyyy")
        self.week_edit.setAccessibleName("First night of the week")
        self.paper_combo = QComboBox()
        self.paper_combo.setAccessibleName("Paper size")
        for key, paper_name in PAPERS.items():
            self.paper_combo.addItem(paper_name, key)
        self.save_pdf_button = _button("Save weekly checklist &as PDF…", "Save checklist as PDF")
        self.print_button = _button(
            "Open for printing",
            "Open checklist for printing",
            "Opens the sheet in your PDF viewer; print it from there",
        )
        self.print_dialog_button = _button(
            "&Print…", "Print checklist", "Choose a printer and print the sheet"
        )
        self.save_pdf_button.clicked.connect(self.save_checklist_pdf)
        self.print_button.clicked.connect(self.open_for_printing)
        self.print_dialog_button.clicked.connect(self.print_checklist)
        paper_form = QFormLayout(paper_box)
        paper_form.addRow("Week starting:", self.week_edit)
        paper_form.addRow("Paper:", self.paper_combo)
        paper_form.addRow(self.save_pdf_button)
        paper_form.addRow(self.print_dialog_button)
        paper_form.addRow(self.print_button)

        # --- reminders -----------------------------------------------------------------------
        reminder_box = QGroupBox("Bedtime reminder")
        self.reminders_check = QCheckBox("Remind me at bedtime if the routine is not done")
        self.reminders_check.setAccessibleName("Bedtime reminders")
        self.bedtime_edit = QTimeEdit(QTime(DEFAULT_BEDTIME.hour, DEFAULT_BEDTIME.minute))
        self.bedtime_edit.setDisplayFormat("HH:mm")
        self.bedtime_edit.setAccessibleName("Bedtime")
        self.snooze_button = _button("Snooze 15 min", "Snooze reminder")
        self.snooze_button.clicked.connect(lambda: self.snooze())
        self.running_label = _plain(RUNNING_ONLY, name="When reminders appear")
        self.reminders_check.toggled.connect(self._on_reminder_settings_changed)
        self.bedtime_edit.timeChanged.connect(self._on_reminder_settings_changed)
        reminder_form = QFormLayout(reminder_box)
        reminder_form.addRow(self.reminders_check)
        reminder_form.addRow("Bedtime:", self.bedtime_edit)
        reminder_form.addRow(self.snooze_button)
        reminder_form.addRow(self.running_label)

        right = QVBoxLayout()
        right.addWidget(paper_box)
        right.addWidget(reminder_box)
        right.addStretch(1)

        outer = QHBoxLayout(self)
        outer.addLayout(left, 3)
        outer.addLayout(right, 2)
        self.setFocusProxy(self.view)
        bus.changed.connect(self._on_bus_changed)
        self._show()

    # --- service ------------------------------------------------------------------------------

    def set_service(self, routine: RoutineService | None) -> None:
        """Show this routine (None: no diary open); stores the default routine on first use."""
        self._service = routine
        self._snoozed_until = None
        if routine is not None:
            try:
                routine.ensure_default_routine(current_night(self._clock()))
            except CrampDiaryError as exc:
                self._show_problem(str(exc))
            self._load_reminder_settings()
        self._show()

    @property
    def service(self) -> RoutineService | None:
        return self._service

    def _on_bus_changed(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes & RELOAD_ON:
            self._show()

    @property
    def night(self) -> date:
        """The night the list shows."""
        return self._night

    def refresh_if_new_night(self) -> bool:
        """Reload when the clock has moved on to a new night (noon); True when it did.

        The main window calls this from its timers, so the list never stays on last night.
        """
        if current_night(self._clock()) == self._night:
            return False
        self._show()
        return True

    def _stale(self) -> bool:
        """Before an action: on a new night, reload and say so; True means do not act."""
        if not self.refresh_if_new_night():
            return False
        self.notice_label.setText(NEW_NIGHT)
        self.notice_label.show()
        return True

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    def _show(self) -> None:
        """Reload tonight, the completion, the streak and adherence from the service."""
        now = self._clock()
        self._night = current_night(now)
        self.night_label.setText(f"Tonight: the night of {rdomain.night_label(self._night)}")
        self.notice_label.clear()
        self.notice_label.hide()
        service = self._service
        for widget in (
            self.view,
            self.done_button,
            self.skip_button,
            self.note_button,
            self.clear_button,
            self.editor_button,
            self.timer_button,
            self.transcribe_button,
            self.save_pdf_button,
            self.print_button,
            self.reminders_check,
            self.bedtime_edit,
            self.snooze_button,
        ):
            widget.setEnabled(service is not None)
        if service is None:
            self._conditions = frozenset()
            self.model.set_rows([])
            self.empty_label.setVisible(False)
            for label in (self.completion_label, self.streak_label, self.adherence_label):
                label.clear()
            self.reloaded.emit()
            return
        current = self.view.currentIndex().row()
        try:
            night = service.routine_night(self._night)
            streak = service.streak(now)
            week = service.adherence_for(now, 7)
            month = service.adherence_for(now, 30)
            self._conditions = frozenset(service.diary.profile().conditions)
        except CrampDiaryError as exc:
            self._show_problem(str(exc))
            self.reloaded.emit()
            return
        self._show_problem("")
        self.model.set_rows(list(night.rows))
        self.empty_label.setVisible(not night.rows)
        if night.rows:
            row = min(max(current, 0), len(night.rows) - 1)
            self.view.setCurrentIndex(self.model.index(row, 0))
        todo = night.scheduled - night.skipped
        if night.state == "empty":
            self.completion_label.setText("Tonight: nothing scheduled")
        elif night.state == "frozen":
            self.completion_label.setText("Tonight: everything skipped (the streak is kept)")
        else:
            self.completion_label.setText(
                f"Tonight: {night.done} of {todo} done ({percent(night.completion)})"
            )
        nights = "night" if streak == 1 else "nights"
        self.streak_label.setText(f"Streak: {streak} {nights} in a row (skips don't break it)")
        self.adherence_label.setText(
            f"Adherence: last 7 nights {percent(week.rate)} · last 30 nights {percent(month.rate)}"
        )
        self._show_detail()
        self.reloaded.emit()

    def _on_view_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        row = self.model.row_at(self.view.currentIndex().row())
        if row is None:
            self.detail_label.clear()
            self.safety_label.clear()
            return
        item, check = row
        detail = item.instructions or item.line
        if check is not None and check.note:
            detail += f"\nNote: {check.note}"
        self.detail_label.setText(detail)
        guide = rdomain.guidance(item.key)
        lines = []
        if caution := cautions_text(item.key, self._conditions):
            lines.append(caution)
        if is_stretch(item):
            lines.append(BEFORE_YOU_START_TEXT)
        safety = guide.safety if guide is not None else ""
        if is_stretch(item):  # the general stretch safety is in "Before you start" already
            safety = safety.replace(rdomain.STRETCH_SAFETY, "").strip()
        if safety and not caution and safety not in BEFORE_YOU_START_TEXT:
            lines.append(f"Safety: {safety}")
        if guide is not None and guide.evidence:
            lines.append(f"Evidence: {guide.evidence}")
        self.safety_label.setText("\n".join(lines))

    # --- tonight's actions -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return super().eventFilter(watched, event)
            handlers = {
                Qt.Key.Key_Space: self.toggle_current,
                Qt.Key.Key_S: self.skip_current,
                Qt.Key.Key_N: self.edit_current_note,
                Qt.Key.Key_U: self.leave_current_undone,
            }
            handler = handlers.get(Qt.Key(event.key()))
            if handler is not None:
                handler()
                return True
        return super().eventFilter(watched, event)

    def _on_view_clicked(self, index: QModelIndex) -> None:
        self.view.setCurrentIndex(index)
        self.toggle_current()

    def _current(self) -> tuple[RoutineItem, str] | None:
        row = self.model.row_at(self.view.currentIndex().row())
        if row is None or self._service is None:
            return None
        return row[0], row[0].key

    def _act(self, fn: Callable[[], object]) -> None:
        try:
            fn()
        except CrampDiaryError as exc:
            self._show_problem(str(exc))

    def toggle_current(self) -> None:
        """Space or a click: done <-> not ticked (undoable)."""
        if self._stale():
            return
        current, service = self._current(), self._service
        if current is None or service is None:
            return
        _, key = current
        self._act(
            lambda: commands.toggle_routine_check(
                self._undo_stack,
                service,
                self._bus,
                self._night,
                key,
                today=self._clock().date(),
                clock=self._clock,
            )
        )

    def skip_current(self) -> None:
        """S: skip the item tonight, with a reason (ill, travelling, other)."""
        if self._stale():
            return
        current, service = self._current(), self._service
        if current is None or service is None:
            return
        _, key = current
        reason = ask_skip_reason(self)
        if reason is None or self._stale():
            return
        check = self.model.row_at(self.view.currentIndex().row())
        note = check[1].note if check is not None and check[1] is not None else ""
        self._act(
            lambda: commands.set_routine_check(
                self._undo_stack,
                service,
                self._bus,
                self._night,
                key,
                "skipped",
                reason=reason,
                note=note,
                today=self._clock().date(),
                clock=self._clock,
            )
        )

    def leave_current_undone(self) -> None:
        """U: not done tonight (a note stays)."""
        if self._stale():
            return
        row, service = self.model.row_at(self.view.currentIndex().row()), self._service
        if row is None or service is None:
            return
        item, check = row
        self._act(
            lambda: commands.set_routine_check(
                self._undo_stack,
                service,
                self._bus,
                self._night,
                item.key,
                "undone",
                note=check.note if check is not None else "",
                today=self._clock().date(),
                clock=self._clock,
                text=f"Leave {item.title} undone",
            )
        )

    def edit_current_note(self) -> None:
        """N: the item's note tonight; the state stays as it is (not ticked: undone)."""
        if self._stale():
            return
        row, service = self.model.row_at(self.view.currentIndex().row()), self._service
        if row is None or service is None:
            return
        item, check = row
        note = ask_note(self, check.note if check is not None else "")
        if note is None or self._stale():
            return
        state = check.state if check is not None else "undone"
        reason = check.reason if check is not None else None
        self._act(
            lambda: commands.set_routine_check(
                self._undo_stack,
                service,
                self._bus,
                self._night,
                item.key,
                state,
                reason=reason,
                note=note,
                today=self._clock().date(),
                clock=self._clock,
                text=f"Note on {item.title}",
            )
        )

    def tick_done(self, keys: list[str]) -> None:
        """Mark these items done tonight (the stretch timer's end), each an undoable step.

        Skipped items are never ticked (their reason stays); on a new night nothing is ticked.
        """
        service = self._service
        if service is None or self._stale():
            return
        rows = {item.key: check for item, check in self.model.rows()}
        for key in keys:
            if key not in rows:
                continue
            check = rows[key]
            if check is not None and check.state in ("done", "skipped"):
                continue
            try:
                commands.set_routine_check(
                    self._undo_stack,
                    service,
                    self._bus,
                    self._night,
                    key,
                    "done",
                    note=check.note if check is not None else "",
                    today=self._clock().date(),
                    clock=self._clock,
                )
            except CrampDiaryError as exc:
                self._show_problem(str(exc))

    def state_text(self, row: int) -> str:
        """What the list says of a row's state (for tests and screen readers)."""
        found = self.model.row_at(row)
        return check_text(found[1]) if found is not None else ""

    # --- reminders ------------------------------------------------------------------------------

    def _load_reminder_settings(self) -> None:
        service = self._service
        if service is None:
            return
        self._loading = True
        try:
            on = service.diary.setting(REMINDERS_KEY, "off") == "on"
            self.reminders_check.setChecked(on)
            bedtime = parse_bedtime(service.diary.setting(BEDTIME_KEY, ""))
            value = bedtime or DEFAULT_BEDTIME
            self.bedtime_edit.setTime(QTime(value.hour, value.minute))
        finally:
            self._loading = False

    def _on_reminder_settings_changed(self, *_: object) -> None:
        if self._loading or self._service is None:
            return
        self.set_reminders(
            self.reminders_check.isChecked(),
            time(self.bedtime_edit.time().hour(), self.bedtime_edit.time().minute()),
        )

    def set_reminders(self, on: bool, bedtime: time) -> None:
        """Store the reminder switch and the bedtime (settings, not undoable)."""
        service = self._service
        if service is None:
            return
        self._loading = True
        try:
            self.reminders_check.setChecked(on)
            self.bedtime_edit.setTime(QTime(bedtime.hour, bedtime.minute))
        finally:
            self._loading = False
        try:
            service.diary.set_setting(REMINDERS_KEY, "on" if on else "off")
            service.diary.set_setting(BEDTIME_KEY, bedtime.strftime("%H:%M"))
        except CrampDiaryError as exc:
            self._show_problem(str(exc))
        self._snoozed_until = None

    def snooze(self, now: datetime | None = None) -> datetime:
        """No reminder for the next 15 minutes."""
        self._snoozed_until = (now or self._clock()) + SNOOZE
        return self._snoozed_until

    def reminder_due(self, now: datetime) -> bool:
        """Bedtime set, reminders on, within 3 hours after bedtime, past any snooze, and
        tonight not done."""
        service = self._service
        if service is None:
            return False
        try:
            if service.diary.setting(REMINDERS_KEY, "off") != "on":
                return False
            bedtime = parse_bedtime(service.diary.setting(BEDTIME_KEY, ""))
            if bedtime is None:
                return False
            start = bedtime_on(current_night(now), bedtime)
            if not start <= now < start + REMINDER_WINDOW:
                return False
            if self._snoozed_until is not None and now < self._snoozed_until:
                return False
            return not service.is_done(now)
        except CrampDiaryError:
            logger.warning("reminder check failed", exc_info=True)
            return False

    # --- paper ----------------------------------------------------------------------------------

    def week_first_night(self) -> date:
        qdate = self.week_edit.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def paper(self) -> str:
        return str(self.paper_combo.currentData())

    def checklist_bytes(self) -> bytes:
        from crampdiary.reports.checklist import ChecklistRow, build_weekly_checklist

        assert self._service is not None
        first = self.week_first_night()
        rows = [
            ChecklistRow(r.title, r.line, frozenset(r.days))
            for r in self._service.checklist_rows(first)
        ]
        return build_weekly_checklist(rows, first_night=first, paper=self.paper())

    def save_checklist_pdf(self) -> Path | None:
        """Save the week's sheet where the user says, then offer to open it."""
        if self._service is None:
            return None
        first = self.week_first_night()
        suggested = str(Path.home() / f"routine-checklist-{first.isoformat()}.pdf")
        chosen = dialogs.save_file(self, "Save weekly checklist", suggested, "PDF files (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            write_private_atomic(path, self.checklist_bytes())
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Could not save the checklist", str(exc))
            return None
        except OSError as exc:
            dialogs.show_error(
                self, "Could not save the checklist", f"Could not write {path}: {exc.strerror}"
            )
            return None
        self.checklist_saved.emit(path)
        if dialogs.confirm(
            self, "Checklist saved", f"Saved to {path}.\n\nOpen it now?", yes="Open", no="Close"
        ):
            open_in_viewer(path)
        return path

    def open_for_printing(self) -> Path | None:
        """Write the sheet to a temporary PDF and open it in the viewer, to print from there."""
        if self._service is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="crampdiary-print-"))
        path = folder / f"routine-checklist-{self.week_first_night().isoformat()}.pdf"
        try:
            write_private_atomic(path, self.checklist_bytes())
        except (CrampDiaryError, OSError) as exc:
            dialogs.show_error(self, "Could not prepare the checklist", str(exc))
            return None
        if not open_in_viewer(path):
            dialogs.show_info(
                self, "Open for printing", f"The sheet is at {path}; open it to print it."
            )
        return path

    def print_checklist(self) -> bool:
        """Print (Qt print dialog): the same PDF goes to the chosen printer through the system
        spooler; where there is none (Windows), the sheet opens in the viewer to print there."""
        import subprocess

        if self._service is None:
            return False
        chosen = choose_printer(self, str(self.paper_combo.currentData()))
        if chosen is None:
            return False
        folder = Path(tempfile.mkdtemp(prefix="crampdiary-print-"))
        path = folder / f"routine-checklist-{self.week_first_night().isoformat()}.pdf"
        try:
            write_private_atomic(path, self.checklist_bytes())
            if spool_pdf(path, *chosen):
                return True
        except (CrampDiaryError, OSError) as exc:
            dialogs.show_error(self, "Could not print the checklist", str(exc))
            return False
        except subprocess.SubprocessError as exc:  # the spooler refused or hung
            dialogs.show_error(self, "Could not print the checklist", f"The printer refused: {exc}")
            return False
        return self.open_for_printing() is not None

    # --- dialogs ----------------------------------------------------------------------------

    def open_editor(self) -> None:
        from crampdiary.ui.routine.routine_editor_dialog import RoutineEditorDialog

        if self._service is None:
            return
        dialog = RoutineEditorDialog(self._service, self._bus, self._undo_stack, self._clock, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def stretch_items(self) -> list[RoutineItem]:
        """Tonight's timed stretches not done yet (skipped ones are left out)."""
        return [
            item
            for item, check in self.model.rows()
            if item.is_timed and not (check is not None and check.state in ("done", "skipped"))
        ]

    def open_stretch_timer(self) -> None:
        from crampdiary.ui.routine.stretch_timer_dialog import StretchTimerDialog

        if self._stale():
            return
        items = self.stretch_items()
        if not items:
            dialogs.show_info(self, "Stretch timer", "No stretches are left to do tonight.")
            return
        dialog = StretchTimerDialog(items, conditions=self._conditions, parent=self)
        dialog.completed.connect(self.tick_done)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_transcription(self) -> None:
        from crampdiary.ui.routine.transcription_dialog import TranscriptionDialog

        if self._service is None:
            return
        first = self.week_first_night() - timedelta(days=7)
        dialog = TranscriptionDialog(self._service, self._bus, self._clock, first, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def parse_bedtime(text: str) -> time | None:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None


def bedtime_on(night: date, bedtime: time) -> datetime:
    """The bedtime of the night of D: on D from noon, on D+1 before noon (after midnight)."""
    day = night if bedtime >= time(12, 0) else night + timedelta(days=1)
    return datetime.combine(day, bedtime)
