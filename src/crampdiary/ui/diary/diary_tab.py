"""UI layer: the Diary tab: the strip of nights, and the selected night's cramps, sleep and day.

Thin by design: every action is one call into ``ui.commands`` (which saves, announces and makes it
undoable); the tab redraws when the bus announces ``Changes.DIARY``. Building it touches no
database, so the window can paint before the diary is open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import vocab
from crampdiary.domain.errors import CrampDiaryError
from crampdiary.domain.nights import current_night, night_bounds
from crampdiary.domain.records import Day, Episode, Night
from crampdiary.ui import commands, dialogs
from crampdiary.ui.changes import ChangeBus, Changes
from crampdiary.ui.diary import formatting as fmt
from crampdiary.ui.diary.calendar_strip import CalendarStrip, state_phrase
from crampdiary.ui.diary.day_dialog import DayDialog
from crampdiary.ui.diary.episode_dialog import EpisodeDialog
from crampdiary.ui.diary.episode_table_model import RELIEF, SEVERITY, EpisodeTableModel
from crampdiary.ui.diary.night_dialog import NightDialog

if TYPE_CHECKING:
    from crampdiary.services.diary import DiaryService

logger = logging.getLogger(__name__)
T = TypeVar("T")

NOT_RECORDED = "not recorded"
HELP_POINTER = "See Help > When to see a healthcare professional."
MORNING_CRAMP_TIME = time(3, 0)  # the default start for a cramp added to a past night


def _heading(text: str, scale: float = 1.15) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def _plain(text: str = "") -> QLabel:
    """A label for diary text: plain text (never rich), wrapped, selectable."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def night_lines(night: Night | None) -> list[str]:
    """The night record in words, one line per field."""
    if night is None:
        return ["Nothing recorded about this night's sleep."]
    lines = []
    if night.no_cramps:
        lines.append("Marked as a night with no cramps.")
    hours = NOT_RECORDED if night.sleep_hours is None else f"{fmt.number(night.sleep_hours)} h"
    lines.append(f"Hours slept: {hours}")
    disturbance = night.sleep_disturbance
    lines.append(
        f"Sleep disturbance: {NOT_RECORDED if disturbance is None else fmt.severity(disturbance)}"
    )
    if night.notes.strip():
        lines.append(f"Notes: {night.notes.strip()}")
    return lines


def day_lines(day: Day | None) -> list[str]:
    """The day's context in words (symptoms are shown on their own, see ``DiaryTab``)."""
    if day is None:
        return ["Nothing recorded about this day."]

    def opt(value: float | None, unit: str) -> str:
        return NOT_RECORDED if value is None else f"{fmt.number(value)}{unit}"

    tags = ", ".join(vocab.label(vocab.DEFAULT_TAGS, tag) for tag in day.tags) or "none"
    return [
        f"Activity: {opt(day.activity_min, ' min')}",
        f"Time in daylight: {opt(day.sunlight_min, ' min')}",
        f"Alcohol: {opt(day.alcohol_units, ' units')}",
        f"Caffeinated drinks: {opt(day.caffeine_drinks, '')}",
        f"Tags: {tags}",
    ]


class DiaryTab(QWidget):
    """The diary at a glance and in detail; the main window owns the undo stack and the bus."""

    night_selected = Signal(object)  # date

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
        self._diary: DiaryService | None = None
        self._night_record: Night | None = None
        self._day_record: Day | None = None
        self._reloading = False

        self.strip = CalendarStrip(current_night(clock()))
        self.strip.night_selected.connect(self._on_strip_night_selected)
        self.strip.range_changed.connect(self._on_strip_range_changed)

        self.header_label = _heading("", 1.4)
        self.header_label.setAccessibleName("Selected night")
        self.span_label = QLabel()
        self.span_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.status_label = QLabel()
        self.problem_label = _plain()
        self.problem_label.hide()

        self.add_button = QPushButton("&Add cramp…")
        self.add_button.clicked.connect(self.add_episode)
        self.edit_button = QPushButton("Edit &cramp…")
        self.edit_button.clicked.connect(self.edit_selected_episode)
        self.delete_button = QPushButton("De&lete cramp")
        self.delete_button.setToolTip("Delete the selected cramp (Del). Undo brings it back.")
        self.delete_button.clicked.connect(self.delete_selected_episode)
        self.no_cramps_button = QPushButton("Mark n&o cramps")
        self.no_cramps_button.setToolTip("Record that this night had no cramps")
        self.no_cramps_button.clicked.connect(self.mark_no_cramps)
        self.night_button = QPushButton("Edit ni&ght…")
        self.night_button.clicked.connect(self.edit_night)
        self.day_button = QPushButton("Edit da&y…")
        self.day_button.clicked.connect(self.edit_day)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.no_cramps_button,
            self.night_button,
            self.day_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.episode_model = EpisodeTableModel()
        self.episode_view = QTableView()
        self.episode_view.setModel(self.episode_model)
        self.episode_view.setAccessibleName("Cramps this night")
        self.episode_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.episode_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.episode_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.episode_view.setTabKeyNavigation(False)
        self.episode_view.setAlternatingRowColors(True)
        self.episode_view.setWordWrap(False)
        self.episode_view.verticalHeader().hide()
        header = self.episode_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Long columns get a fixed share (elided, full text in the tooltip); notes take the rest.
        for column, width in ((SEVERITY, 170), (RELIEF, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        # Del acts only where the cramps are, so it never removes one the user is not looking at.
        self.delete_action = QAction("Delete cramp", self.episode_view)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_selected_episode)
        self.episode_view.addAction(self.delete_action)
        self.episode_view.activated.connect(self._on_episode_view_activated)
        self.episode_view.selectionModel().selectionChanged.connect(
            self._on_episode_selection_changed
        )
        self.no_episodes_label = _plain("No cramps logged for this night.")

        self.night_label = _plain()
        self.night_label.setAccessibleName("Sleep")
        self.day_heading = _heading("Day")
        self.day_label = _plain()
        self.day_label.setAccessibleName("Day")
        self.symptoms_frame = QFrame()
        self.symptoms_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.symptoms_frame.setAccessibleName("Symptoms noted")
        self.symptoms_label = _plain()
        symptoms_layout = QVBoxLayout(self.symptoms_frame)
        symptoms_layout.addWidget(_heading("Symptoms noted", 1.0))
        symptoms_layout.addWidget(self.symptoms_label)
        symptoms_layout.addWidget(_plain(HELP_POINTER))
        self.symptoms_frame.hide()

        episodes_box = QVBoxLayout()
        episodes_box.setSpacing(8)
        episodes_box.addWidget(_heading("Cramps"))
        episodes_box.addWidget(self.no_episodes_label)
        episodes_box.addWidget(self.episode_view, 1)

        side = QWidget()
        side_box = QVBoxLayout(side)
        side_box.setSpacing(8)
        side_box.addWidget(self.symptoms_frame)
        side_box.addWidget(_heading("Sleep"))
        side_box.addWidget(self.night_label)
        side_box.addSpacing(8)
        side_box.addWidget(self.day_heading)
        side_box.addWidget(self.day_label)
        side_box.addStretch(1)
        side_scroll = QScrollArea()
        side_scroll.setWidget(side)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        body = QHBoxLayout()
        body.setSpacing(18)
        side_scroll.setMinimumWidth(280)
        body.addLayout(episodes_box, 5)
        body.addWidget(side_scroll, 2)

        content = QWidget()
        content_box = QVBoxLayout(content)
        content_box.setContentsMargins(12, 12, 12, 12)
        content_box.setSpacing(10)
        content_box.addWidget(self.strip)
        content_box.addSpacing(6)
        content_box.addWidget(self.header_label)
        content_box.addWidget(self.span_label)
        content_box.addWidget(self.status_label)
        content_box.addWidget(self.problem_label)
        content_box.addLayout(buttons)
        content_box.addLayout(body, 1)

        self.opening_label = QLabel("Opening your diary…")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.opening_label)
        self.pages.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        self.setFocusProxy(self.strip)
        bus.changed.connect(self._on_bus_changed)
        self._show_header()
        self._update_buttons()

    # --- public API ------------------------------------------------------------------------------

    def set_diary(self, diary: DiaryService | None) -> None:
        """Show the diary (after the database is open), or the "Opening your diary…" state."""
        self._diary = diary
        if diary is None:
            self.pages.setCurrentIndex(0)
            self.episode_model.set_episodes([])
            self._night_record = self._day_record = None
            self._update_buttons()
            return
        self.pages.setCurrentIndex(1)
        self.reload()

    def select_night(self, night: date) -> None:
        self.strip.select_night(night)

    def selected_night(self) -> date:
        return self.strip.selected_night()

    def reload(self) -> None:
        """Re-read the visible range and the selected night (the clock may have moved on)."""
        if self._diary is None:
            return
        self._reloading = True
        try:
            self.strip.set_current_night(current_night(self._clock()))
        finally:
            self._reloading = False
        self._load_overview()
        self._load_night()

    def add_episode(
        self,
        *,
        title: str | None = None,
        start: datetime | None = None,
        after_save: Callable[[Episode], object] | None = None,
    ) -> None:
        """Open the cramp form for the selected night; OK saves it (undoable).

        ``after_save`` is called with the saved episode (the morning card chains its cramps so).
        """
        diary = self._diary
        if diary is None:
            return
        now = self._clock()
        night = self.selected_night()
        if start is None and night == current_night(now):
            start = now
        elif start is None:
            start = min(datetime.combine(night + timedelta(days=1), MORNING_CRAMP_TIME), now)
        muscle, side = self._read(diary.last_muscle_and_side) or ("calf", "left")
        dialog = EpisodeDialog(
            self,
            now=now,
            default_start=start,
            default_muscle=muscle,
            default_side=side,
            title=title,
            save=self._save_new_episode,
        )
        if after_save is not None:
            dialog.accepted.connect(lambda: after_save(dialog.episode()))
        self._open(dialog)

    def edit_selected_episode(self) -> None:
        episode = self.selected_episode()
        if self._diary is None or episode is None:
            return
        self._open(
            EpisodeDialog(self, now=self._clock(), episode=episode, save=self._save_edited_episode)
        )

    def delete_selected_episode(self) -> None:
        episode = self.selected_episode()
        if self._diary is None or episode is None:
            return
        try:
            commands.delete_episode(
                self._undo_stack, self._diary, self._bus, episode.id, clock=self._clock
            )
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Cramp not deleted", str(exc))

    def mark_no_cramps(self) -> None:
        """Record that the selected night had no cramps (one click; Undo takes it back)."""
        if self._diary is None:
            return
        night = self.selected_night()
        existing = self._night_record if self._night_record_for(night) else None
        if existing is not None and existing.no_cramps:
            return
        record = (
            replace(existing, no_cramps=True)
            if existing is not None
            else Night(night_of=night, no_cramps=True)
        )
        try:
            commands.save_night(
                self._undo_stack,
                self._diary,
                self._bus,
                record,
                today=self._clock().date(),
                clock=self._clock,
            )
        except CrampDiaryError as exc:
            dialogs.show_error(self, "Night not marked", str(exc))

    def edit_night(self) -> None:
        if self._diary is None:
            return
        night = self.selected_night()
        record = self._night_record if self._night_record_for(night) else None
        self._open(
            NightDialog(
                self,
                night_of=night,
                today=self._clock().date(),
                night=record,
                has_cramps=self.episode_model.rowCount() > 0,
                save=self._save_night,
            )
        )

    def edit_day(self) -> None:
        diary = self._diary
        if diary is None:
            return
        night = self.selected_night()
        tags = self._read(diary.known_tags)
        if tags is None:
            return
        existing = self._day_record if self._day_record and self._day_record.date == night else None
        self._open(
            DayDialog(
                self,
                day=night,
                today=self._clock().date(),
                known_tags=tags,
                existing=existing,
                save=self._save_day,
            )
        )

    def selected_episode(self) -> Episode | None:
        rows = self.episode_view.selectionModel().selectedRows()
        return self.episode_model.episode_at(rows[0].row()) if rows else None

    # --- saving (each is one command: saved, announced, undoable) --------------------------------

    def _save_new_episode(self, episode: Episode) -> Episode:
        assert self._diary is not None
        saved = commands.add_episode(
            self._undo_stack, self._diary, self._bus, episode, now=self._clock(), clock=self._clock
        )
        self.select_night(saved.night_of)
        self._select_episode(saved.id)
        return saved

    def _save_edited_episode(self, episode: Episode) -> Episode:
        assert self._diary is not None
        saved = commands.edit_episode(
            self._undo_stack, self._diary, self._bus, episode, now=self._clock(), clock=self._clock
        )
        self.select_night(saved.night_of)
        self._select_episode(saved.id)
        return saved

    def _save_night(self, night: Night) -> Night:
        assert self._diary is not None
        return commands.save_night(
            self._undo_stack,
            self._diary,
            self._bus,
            night,
            today=self._clock().date(),
            clock=self._clock,
        )

    def _save_day(self, day: Day) -> Day | None:
        assert self._diary is not None
        return commands.save_day(
            self._undo_stack,
            self._diary,
            self._bus,
            day,
            today=self._clock().date(),
            clock=self._clock,
        )

    # --- loading ---------------------------------------------------------------------------------

    def _read(self, fn: Callable[[], T]) -> T | None:
        """A read from the diary; a failure is shown in the tab, not as a pop-up on every redraw."""
        try:
            result = fn()
        except CrampDiaryError as exc:
            logger.warning("diary read failed: %s", type(exc).__name__)
            self.problem_label.setText(f"Could not read the diary: {exc}")
            self.problem_label.show()
            return None
        self.problem_label.hide()
        return result

    def _load_overview(self) -> None:
        diary = self._diary
        if diary is None:
            return
        first, last = self.strip.visible_range()
        summaries = self._read(lambda: diary.overview(first, last))
        if summaries is not None:
            self.strip.set_summaries(summaries)
        self._show_header()

    def _load_night(self) -> None:
        diary = self._diary
        night = self.selected_night()
        if diary is None:
            return
        loaded = self._read(
            lambda: (diary.episodes_for_nights(night, night), diary.night(night), diary.day(night))
        )
        if loaded is None:
            return
        episodes, self._night_record, self._day_record = loaded
        keep = self.selected_episode()
        self.episode_model.set_episodes(episodes)
        if keep is not None:
            self._select_episode(keep.id)
        self.episode_view.setVisible(bool(episodes))
        self.no_episodes_label.setVisible(not episodes)

        self.night_label.setText("\n".join(night_lines(self._night_record)))
        self.day_heading.setText(f"Day of {fmt.long_date(night)}")
        self.day_label.setText("\n".join(day_lines(self._day_record)))
        symptoms = self._day_record.symptoms if self._day_record else ()
        self.symptoms_label.setText("\n".join(vocab.label(vocab.SYMPTOMS, key) for key in symptoms))
        self.symptoms_frame.setVisible(bool(symptoms))
        self._show_header()
        self._update_buttons()

    def _show_header(self) -> None:
        night = self.selected_night()
        year = night.year != current_night(self._clock()).year
        title = f"Night of {fmt.long_date(night, year=year)}"
        self.header_label.setText(title)
        self.header_label.setAccessibleDescription(title)
        start, end = night_bounds(night)
        self.span_label.setText(
            f"From 12:00 on {fmt.short_date(start.date())} to 12:00 on {fmt.short_date(end.date())}"
        )
        phrase = state_phrase(self.strip.summary(night), future=False)
        self.status_label.setText(phrase[0].upper() + phrase[1:] + ".")

    def _night_record_for(self, night: date) -> bool:
        return self._night_record is not None and self._night_record.night_of == night

    def _select_episode(self, episode_id: str) -> None:
        row = self.episode_model.row_of(episode_id)
        if row is not None:
            self.episode_view.selectRow(row)

    def _update_buttons(self) -> None:
        ready = self._diary is not None
        has_episode = ready and self.selected_episode() is not None
        night = self.selected_night()
        marked = self._night_record_for(night) and bool(
            self._night_record and self._night_record.no_cramps
        )
        for widget in (self.add_button, self.night_button, self.day_button):
            widget.setEnabled(ready)
        self.edit_button.setEnabled(has_episode)
        self.delete_button.setEnabled(has_episode)
        self.delete_action.setEnabled(has_episode)
        self.no_cramps_button.setEnabled(
            ready and self.episode_model.rowCount() == 0 and not marked
        )

    def _open(self, dialog: QDialog) -> None:
        """Window-modal and non-blocking: the form saves itself through its ``save`` hook."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- slots -----------------------------------------------------------------------------------

    def _on_bus_changed(self, changes: Changes) -> None:
        if changes & Changes.DIARY:
            self.reload()

    def _on_strip_night_selected(self, night: date) -> None:
        if not self._reloading:  # reload() reads the night itself once the strip has settled
            self._load_night()
        self.night_selected.emit(night)

    def _on_strip_range_changed(self, _first: date, _last: date) -> None:
        if not self._reloading:
            self._load_overview()

    def _on_episode_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_episode_view_activated(self, _index: QModelIndex) -> None:
        self.edit_selected_episode()
