"""UI layer: the medicines and supplements list, with undoable add, edit, stop and delete.

A medicine the literature associates with cramps is marked with its class; the mark is never
advice. Quinine or tonic water brings up neutral safety information, never a suggestion.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import records, texts
from crampdiary.domain.errors import CrampDiaryError, ValidationError
from crampdiary.domain.medicines import cramp_association, mentions_quinine
from crampdiary.domain.records import Medication
from crampdiary.ui.changes import ChangeBus, Changes

if TYPE_CHECKING:
    from crampdiary.services.diary import DiaryService

logger = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex

ASSOCIATION_HEADER = "Associated with cramps in the literature"
FIELD_LABELS = {
    "name": "Name",
    "dose": "Dose",
    "started_on": "Started on",
    "stopped_on": "Stopped on",
    "id": "Medicine",
}


def _date_text(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _problem_text(err: CrampDiaryError) -> str:
    if isinstance(err, ValidationError):
        return f"{FIELD_LABELS.get(err.field, err.field)}: {err.detail}"
    return str(err)


def _bold_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.hide()
    return label


def association_text(name: str) -> str:
    """The tooltip and spoken text for a medicine the literature associates with cramps."""
    found = cramp_association(name)
    return "" if found is None else texts.medicine_flag_text(found.drug_class, found.evidence)


class MedicationTableModel(QAbstractTableModel):
    """Plain Medication rows: name, dose, started, stopped and the literature's cramp class."""

    NAME, DOSE, STARTED, STOPPED, ASSOCIATION = range(5)
    HEADERS = ("Name", "Dose", "Started", "Stopped", "Cramp association")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Medication] = []

    def set_rows(self, rows: list[Medication]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def medication(self, row: int) -> Medication:
        return self._rows[row]

    def medications(self) -> list[Medication]:
        return list(self._rows)

    def row_of(self, med_id: str) -> int | None:
        return next((i for i, med in enumerate(self._rows) if med.id == med_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        med = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return med.name
            if column == self.DOSE:
                return med.dose
            if column == self.STARTED:
                return _date_text(med.started_on)
            if column == self.STOPPED:
                return _date_text(med.stopped_on)
            if column == self.ASSOCIATION:
                found = cramp_association(med.name)
                return "" if found is None else found.drug_class
        elif role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            if column == self.ASSOCIATION:
                return association_text(med.name) or None
            if column == self.NAME and mentions_quinine(med.name):
                return texts.QUININE_NOTE
        elif role == Qt.ItemDataRole.AccessibleTextRole:
            if column in (self.STARTED, self.STOPPED) and not self.data(index):
                return "not set"
            if column == self.ASSOCIATION and not self.data(index):
                return "none"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == self.ASSOCIATION:
            return ASSOCIATION_HEADER
        return None


class _OptionalDate(QWidget):
    """A date that may be unknown: a check box turns the date field on and off."""

    def __init__(self, parent: QWidget, text: str, value: date | None, today: date) -> None:
        super().__init__(parent)
        self.check = QCheckBox(text, self)
        self.check.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        earliest = records.EARLIEST_DATE
        self.edit.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
        self.edit.setAccessibleName(self.check.accessibleName() + " date")
        self._today = today
        self.set_value(value)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def set_value(self, value: date | None) -> None:
        """Show a date, or "unknown" (unchecked, with today waiting in the field)."""
        shown = value or self._today
        self.edit.setDate(QDate(shown.year, shown.month, shown.day))
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        picked = self.edit.date()
        return date(picked.year(), picked.month(), picked.day())

    def focus_target(self) -> QWidget:
        return self.edit if self.check.isChecked() else self.check


class MedicationEditDialog(QDialog):
    """Add or edit one medicine: name, dose text, optional start and stop dates."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        medication: Medication | None,
        today: date,
        save: Callable[[Medication], object],
    ) -> None:
        super().__init__(parent)
        self._original = medication or Medication(name="")
        self._save = save
        self.setWindowTitle("Add medicine" if medication is None else "Edit medicine")
        self.setAccessibleName(self.windowTitle())

        self.name_edit = QLineEdit(self._original.name, self)
        self.name_edit.setMaxLength(records.MAX_NAME)
        self.name_edit.setPlaceholderText("for example Atorvastatin 20 mg, or Magnesium")
        self.name_edit.setAccessibleName("Name")
        self.dose_edit = QLineEdit(self._original.dose, self)
        self.dose_edit.setMaxLength(records.MAX_DOSE)
        self.dose_edit.setPlaceholderText("optional, for example 1 tablet at night")
        self.dose_edit.setAccessibleName("Dose")
        self.started = _OptionalDate(self, "Sta&rted on:", self._original.started_on, today)
        self.stopped = _OptionalDate(self, "St&opped on:", self._original.stopped_on, today)

        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleName("About this medicine")
        self.note_label.hide()
        self.error_label = _bold_label(self, "Medicine problem")

        name_label = QLabel("&Name:", self)
        name_label.setBuddy(self.name_edit)
        dose_label = QLabel("&Dose:", self)
        dose_label.setBuddy(self.dose_edit)
        form = QFormLayout()
        form.addRow(name_label, self.name_edit)
        form.addRow(dose_label, self.dose_edit)
        form.addRow(self.started)
        form.addRow(self.stopped)

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save")
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.setAccessibleName("Save")
        self.cancel_button.setAccessibleName("Cancel")
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self.name_edit.textChanged.connect(self._on_name_edit_text_changed)
        self._on_name_edit_text_changed(self.name_edit.text())
        self.name_edit.setFocus()

    def medication(self) -> Medication:
        """The medicine the fields show (same id when editing), not yet validated."""
        return replace(
            self._original,
            name=self.name_edit.text(),
            dose=self.dose_edit.text(),
            started_on=self.started.value(),
            stopped_on=self.stopped.value(),
        )

    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def accept(self) -> None:
        try:
            self._save(self.medication())
        except CrampDiaryError as err:
            self.error_label.setText(_problem_text(err))
            self.error_label.show()
            self.adjustSize()
            field = err.field if isinstance(err, ValidationError) else ""
            target = {
                "name": self.name_edit,
                "dose": self.dose_edit,
                "started_on": self.started.focus_target(),
                "stopped_on": self.stopped.focus_target(),
            }.get(field)
            if target is not None:
                target.setFocus()
            return
        super().accept()

    def _on_name_edit_text_changed(self, name: str) -> None:
        notes = [association_text(name)]
        if mentions_quinine(name):
            notes.append(texts.QUININE_NOTE)
        text = "\n\n".join(note for note in notes if note)
        if text == self.note_label.text():
            return
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))
        self.adjustSize()  # room for the note, which wraps over several lines


class MedicationsDialog(QDialog):
    """Diary > Medicines and supplements: every change goes through the undo stack."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        diary: DiaryService,
        undo_stack: QUndoStack,
        bus: ChangeBus,
        today: date,
    ) -> None:
        super().__init__(parent)
        self._diary = diary
        self._undo_stack = undo_stack
        self._bus = bus
        self._today = today
        self._select_id: str | None = None
        self._stale = False
        self.editor: MedicationEditDialog | None = None
        self.setWindowTitle("Medicines and supplements")
        self.setAccessibleName(self.windowTitle())

        intro = QLabel(
            "List the medicines and supplements you take regularly, with the dates you started "
            "and stopped them, so that you and your clinician can see them next to your cramps.",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("About this list")

        self.model = MedicationTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Medicines and supplements")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Not "activated": with single-click activation (KDE) a click would open the editor.
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.legend_label = QLabel(texts.MEDICINE_FLAG_LEGEND, self)
        self.legend_label.setWordWrap(True)
        self.legend_label.setAccessibleName("About the cramp association column")
        self.quinine_label = QLabel(texts.QUININE_NOTE, self)
        self.quinine_label.setWordWrap(True)
        self.quinine_label.setAccessibleName("Quinine safety information")
        self.quinine_label.hide()
        self.error_label = _bold_label(self, "Medicines problem")
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Last change")

        self.add_button = self._button("&Add…", "Add a medicine", self.add_medication)
        self.edit_button = self._button("&Edit…", "Edit the selected medicine", self.edit_selected)
        self.stop_button = self._button(
            "S&top today", "Mark the selected medicine as stopped today", self.stop_selected_today
        )
        self.delete_button = self._button(
            "&Delete", "Delete the selected medicine", self.delete_selected
        )
        close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = close_box.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.close_button.setAutoDefault(False)
        close_box.rejected.connect(self.reject)

        # The dialog is modal over the main window, so it carries its own Undo and Redo keys.
        self.undo_action = undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)

        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.stop_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close_box)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend_label)
        layout.addWidget(self.quinine_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.status_label)
        layout.addLayout(row)

        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 100, metrics.lineSpacing() * 26)

        bus.changed.connect(self._on_bus_changed)
        self.reload()
        self.table.setFocus()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)  # Enter belongs to the table: it edits the row
        button.clicked.connect(slot)
        return button

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again, keeping (or moving to) the selected medicine."""
        keep = self._select_id or self._selected_id()
        try:
            rows = self._diary.medications()
        except CrampDiaryError as err:
            self._show_problem(err)
            return
        self.model.set_rows(rows)
        self.quinine_label.setVisible(any(mentions_quinine(med.name) for med in rows))
        self.legend_label.setVisible(any(cramp_association(med.name) for med in rows))
        row = self.model.row_of(keep) if keep else None
        if row is None and rows:
            row = 0
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_buttons()

    def selected(self) -> Medication | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.medication(rows[0].row()) if rows else None

    def _selected_id(self) -> str | None:
        med = self.selected()
        return None if med is None else med.id

    # --- actions -------------------------------------------------------------------------------

    def add_medication(self) -> MedicationEditDialog:
        """Open the form for a new medicine (window-modal, not blocking)."""
        return self._open_editor(None)

    def edit_selected(self) -> MedicationEditDialog | None:
        med = self.selected()
        return None if med is None else self._open_editor(med)

    def stop_selected_today(self) -> None:
        med = self.selected()
        if med is None or med.stopped_on is not None:
            return
        if self._try_save(replace(med, stopped_on=self._today)):
            self._say(f"Marked {med.name} as stopped today.")

    def delete_selected(self) -> None:
        med = self.selected()
        if med is None:
            return
        from crampdiary.ui import commands

        self._clear_problem()
        try:
            commands.delete_medication(self._undo_stack, self._diary, self._bus, med.id)
        except CrampDiaryError as err:
            self._show_problem(err)
            return
        self._say(f"Deleted {med.name}.")

    def _open_editor(self, med: Medication | None) -> MedicationEditDialog:
        if self.editor is not None:
            self.editor.close()
            self.editor.deleteLater()
        self._clear_problem()
        editor = MedicationEditDialog(self, medication=med, today=self._today, save=self._save)
        editor.accepted.connect(lambda: self._say(f"Saved {editor.medication().name.strip()}."))
        self.editor = editor
        editor.open()
        return editor

    def _save(self, med: Medication) -> Medication:
        """Store through the undo stack; errors go back to whoever asked."""
        from crampdiary.ui import commands

        # The command announces the change; the reload it causes selects this medicine.
        self._select_id = med.id
        try:
            return commands.save_medication(
                self._undo_stack, self._diary, self._bus, med, today=self._today
            )
        finally:
            self._select_id = None

    def _try_save(self, med: Medication) -> bool:
        self._clear_problem()
        try:
            self._save(med)
        except CrampDiaryError as err:
            self._show_problem(err)
            return False
        return True

    # --- feedback ------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status_label.setText(f"{text} Ctrl+Z to undo.")

    def _show_problem(self, err: CrampDiaryError) -> None:
        self.error_label.setText(_problem_text(err))
        self.error_label.show()

    def _clear_problem(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    # --- slots ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter on a row edits it. Passed on, QDialog would click a default button, and it
        # searches child windows too: it would find the just-opened editor's Save.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if self.table.hasFocus():
                self.edit_selected()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    def _on_bus_changed(self, changes: Changes) -> None:
        if not changes & Changes.MEDICATIONS:
            return
        # A closed dialog that its opener keeps alive reads nothing until it is shown again.
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def _update_buttons(self) -> None:
        med = self.selected()
        self.edit_button.setEnabled(med is not None)
        self.delete_button.setEnabled(med is not None)
        self.stop_button.setEnabled(
            med is not None
            and med.stopped_on is None
            and (med.started_on is None or med.started_on <= self._today)
        )
