"""UI layer: editing the routine: add, remove, reorder, rename, pause, days; each step undoable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import routine as rdomain
from crampdiary.domain.errors import CrampDiaryError
from crampdiary.domain.nights import current_night
from crampdiary.domain.records import RoutineItem
from crampdiary.ui import commands
from crampdiary.ui.changes import ChangeBus, Changes
from crampdiary.ui.routine.routine_models import RoutineItemsModel

if TYPE_CHECKING:
    from crampdiary.services.routine import RoutineEdit, RoutineService


def ask_text(parent: QWidget | None, title: str, label: str, current: str = "") -> str | None:
    """A line of text, or None when cancelled (tests replace this function)."""
    text, ok = QInputDialog.getText(parent, title, label, text=current)
    return text if ok else None


class RoutineEditorDialog(QDialog):
    """The routine's items; changes apply from tonight on and past nights keep what they were."""

    def __init__(
        self,
        routine: RoutineService,
        bus: ChangeBus,
        undo_stack: QUndoStack,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the bedtime routine")
        self._routine = routine
        self._bus = bus
        self._stack = undo_stack
        self._clock = clock
        self._showing = False
        self.model = RoutineItemsModel()
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Routine items")
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)

        self.add_button = QPushButton("&Add…")
        self.rename_button = QPushButton("&Rename…")
        self.remove_button = QPushButton("Re&move")
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move &down")
        self.pause_button = QPushButton("&Pause")
        self.add_button.clicked.connect(self.add_item)
        self.rename_button.clicked.connect(self.rename_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.pause_button.clicked.connect(self.toggle_pause_current)
        side = QVBoxLayout()
        for button in (
            self.add_button,
            self.rename_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            self.pause_button,
        ):
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)

        self.day_checks: list[QCheckBox] = []
        days = QHBoxLayout()
        days.addWidget(QLabel("Days:"))
        for number, name in enumerate(rdomain.WEEKDAY_NAMES, start=1):
            check = QCheckBox(name)
            check.setAccessibleName(f"Due on {name}")
            check.toggled.connect(lambda _=False, n=number: self._on_day_toggled(n))
            self.day_checks.append(check)
            days.addWidget(check)
        days.addStretch(1)

        self.detail_label = QLabel()
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_label.setWordWrap(True)
        self.detail_label.setAccessibleName("Item details")
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.history_label = QLabel(
            "Changes apply from tonight; past nights keep the routine they had. "
            f"{rdomain.BEFORE_YOU_START}"
        )
        self.history_label.setWordWrap(True)
        close = QPushButton("&Close")
        close.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(self.view, 1)
        top.addLayout(side)
        box = QVBoxLayout(self)
        box.addLayout(top, 1)
        box.addLayout(days)
        box.addWidget(self.detail_label)
        box.addWidget(self.problem_label)
        box.addWidget(self.history_label)
        box.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        bus.changed.connect(self._on_bus_changed)
        self.reload()

    def _night(self) -> date:
        return current_night(self._clock())

    def reload(self) -> None:
        key = self.current_key()
        self.model.set_items(self._routine.items())
        keys = self.model.keys()
        if keys:
            row = keys.index(key) if key in keys else 0
            self.view.setCurrentIndex(self.model.index(row, 0))
        self._show_current()

    def _on_bus_changed(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes & Changes.ROUTINE:
            self.reload()

    def _on_view_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show_current()

    def current_key(self) -> str | None:
        item = self.current_item()
        return item.key if item is not None else None

    def current_item(self) -> RoutineItem | None:
        return self.model.item_at(self.view.currentIndex().row())

    def select(self, key: str) -> None:
        keys = self.model.keys()
        if key in keys:
            self.view.setCurrentIndex(self.model.index(keys.index(key), 0))

    def _show_current(self) -> None:
        item = self.current_item()
        self._showing = True
        try:
            for number, check in enumerate(self.day_checks, start=1):
                check.setEnabled(item is not None)
                check.setChecked(item is not None and number in item.days)
        finally:
            self._showing = False
        for button in (self.rename_button, self.remove_button, self.pause_button):
            button.setEnabled(item is not None)
        row = self.view.currentIndex().row()
        self.up_button.setEnabled(item is not None and row > 0)
        self.down_button.setEnabled(item is not None and row < self.model.rowCount() - 1)
        if item is None:
            self.detail_label.clear()
            return
        self.pause_button.setText("Resume" if not item.active else "&Pause")
        lines = [item.instructions or item.line]
        guide = rdomain.guidance(item.key)
        if guide is not None and guide.safety:
            lines.append(f"Safety: {guide.safety}")
        if guide is not None and guide.evidence:
            lines.append(f"Evidence: {guide.evidence}")
        self.detail_label.setText("\n".join(line for line in lines if line))

    def _edit(self, text: str, apply: Callable[[], RoutineEdit]) -> RoutineEdit | None:
        try:
            edit = commands.edit_routine(self._stack, self._routine, self._bus, text, apply)
        except CrampDiaryError as exc:
            self.problem_label.setText(str(exc))
            self.problem_label.show()
            return None
        self.problem_label.hide()
        return edit

    def add_item(self) -> RoutineEdit | None:
        title = ask_text(self, "Add to the routine", "Title:")
        if not title:
            return None
        night = self._night()
        edit = self._edit(f"Add {title}", lambda: self._routine.add(title, night=night))
        if edit is not None and edit.items:
            self.select(edit.items[0].key)
        return edit

    def rename_current(self) -> RoutineEdit | None:
        item = self.current_item()
        if item is None:
            return None
        title = ask_text(self, "Rename", "Title:", item.title)
        if not title or title == item.title:
            return None
        night, key = self._night(), item.key
        return self._edit(
            f"Rename {item.title}", lambda: self._routine.rename(key, title, night=night)
        )

    def remove_current(self) -> RoutineEdit | None:
        item = self.current_item()
        if item is None:
            return None
        night, key = self._night(), item.key
        return self._edit(f"Remove {item.title}", lambda: self._routine.remove(key, night=night))

    def toggle_pause_current(self) -> RoutineEdit | None:
        item = self.current_item()
        if item is None:
            return None
        night, key, paused = self._night(), item.key, item.active
        text = f"Pause {item.title}" if paused else f"Resume {item.title}"
        return self._edit(text, lambda: self._routine.pause(key, paused, night=night))

    def move_current(self, step: int) -> RoutineEdit | None:
        item = self.current_item()
        keys = self.model.keys()
        if item is None:
            return None
        row = keys.index(item.key)
        other = row + step
        if not 0 <= other < len(keys):
            return None
        keys[row], keys[other] = keys[other], keys[row]
        night = self._night()
        edit = self._edit(f"Move {item.title}", lambda: self._routine.reorder(keys, night=night))
        self.select(item.key)
        return edit

    def _on_day_toggled(self, number: int) -> None:
        if self._showing:
            return
        item = self.current_item()
        if item is None:
            return
        days = tuple(n for n, c in enumerate(self.day_checks, start=1) if c.isChecked())
        night, key = self._night(), item.key
        if not days:
            self.problem_label.setText("An item needs at least one day; pause it instead.")
            self.problem_label.show()
            self._show_current()
            return
        self._edit(f"Days of {item.title}", lambda: self._routine.set_days(key, days, night=night))
