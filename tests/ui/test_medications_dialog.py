"""Medicines dialog: add, edit, stop and delete through the undo stack, on a real diary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from crampdiary.domain import texts
from crampdiary.domain.records import Medication
from crampdiary.services.diary import DiaryService
from crampdiary.ui.changes import ChangeBus, Changes
from crampdiary.ui.medications_dialog import (
    MedicationEditDialog,
    MedicationsDialog,
    MedicationTableModel,
)

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 25)
NAME, DOSE, STARTED, STOPPED, ASSOCIATION = range(5)


@dataclass
class Setup:
    dialog: MedicationsDialog
    diary: DiaryService
    stack: QUndoStack
    bus: ChangeBus

    def cell(self, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        model = self.dialog.model
        return model.data(model.index(row, column), role)

    def names(self) -> list[str]:
        return [med.name for med in self.dialog.model.medications()]


@pytest.fixture
def setup(qtbot: QtBot, diary: DiaryService) -> Setup:
    bus = ChangeBus()
    stack = QUndoStack()
    dialog = MedicationsDialog(None, diary=diary, undo_stack=stack, bus=bus, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return Setup(dialog, diary, stack, bus)


def fill_and_save(
    qtbot: QtBot,
    editor: MedicationEditDialog,
    name: str,
    dose: str = "",
    started: date | None = None,
) -> None:
    editor.name_edit.clear()
    qtbot.keyClicks(editor.name_edit, name)
    editor.dose_edit.setText(dose)
    if started is not None:
        editor.started.set_value(started)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)


def test_add_shows_the_cramp_association_for_a_statin_only(qtbot: QtBot, setup: Setup) -> None:
    assert setup.dialog.model.rowCount() == 0
    assert not setup.dialog.edit_button.isEnabled()

    editor = setup.dialog.add_medication()
    assert editor.isVisible()
    assert editor.windowTitle() == "Add medicine"
    fill_and_save(qtbot, editor, "Atorvastatin 20 mg", "1 at night", date(2026, 1, 10))
    assert not editor.isVisible()

    editor = setup.dialog.add_medication()
    fill_and_save(qtbot, editor, "Paracetamol")

    stored = {med.name: med for med in setup.diary.medications()}
    assert stored["Atorvastatin 20 mg"].dose == "1 at night"
    assert stored["Atorvastatin 20 mg"].started_on == date(2026, 1, 10)
    assert stored["Paracetamol"].started_on is None
    assert setup.stack.count() == 2

    row = {name: i for i, name in enumerate(setup.names())}
    statin, paracetamol = row["Atorvastatin 20 mg"], row["Paracetamol"]
    assert setup.cell(statin, ASSOCIATION) == "Statin"
    tooltip = setup.cell(statin, ASSOCIATION, Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tooltip, str)
    assert "associated with cramps in the literature" in tooltip
    assert "keep taking your medicines as prescribed" in tooltip
    assert setup.cell(statin, STARTED) == "2026-01-10"
    assert setup.cell(statin, STOPPED) == ""
    assert setup.cell(paracetamol, ASSOCIATION) == ""
    assert setup.cell(paracetamol, ASSOCIATION, Qt.ItemDataRole.ToolTipRole) is None
    assert setup.dialog.legend_label.isVisible()
    assert not setup.dialog.quinine_label.isVisible()
    assert setup.dialog.selected() == stored["Paracetamol"]  # the one just saved
    assert "Saved Paracetamol." in setup.dialog.status_label.text()


def test_the_editor_notes_the_association_while_typing(qtbot: QtBot, setup: Setup) -> None:
    editor = setup.dialog.add_medication()
    qtbot.keyClicks(editor.name_edit, "Paracetamol")
    assert not editor.note_label.isVisible()
    editor.name_edit.setText("Furosemide 40 mg")
    assert editor.note_label.isVisible()
    assert editor.note_label.text().startswith(
        "Loop diuretic: associated with cramps in the literature (evidence tier A"
    )
    editor.reject()


def test_quinine_brings_up_the_safety_information(qtbot: QtBot, setup: Setup) -> None:
    editor = setup.dialog.add_medication()
    qtbot.keyClicks(editor.name_edit, "Tonic water")
    assert editor.note_label.isVisible()
    assert editor.note_label.text() == texts.QUININE_NOTE
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert setup.dialog.quinine_label.isVisible()
    assert setup.dialog.quinine_label.text() == texts.QUININE_NOTE
    assert setup.cell(0, NAME, Qt.ItemDataRole.ToolTipRole) == texts.QUININE_NOTE
    assert setup.cell(0, ASSOCIATION) == ""


def test_stop_today_sets_the_stop_date_and_can_be_undone(qtbot: QtBot, setup: Setup) -> None:
    med = Medication(name="Amlodipine 5 mg", started_on=date(2025, 3, 1))
    setup.diary.save_medication(med, today=TODAY)
    setup.bus.announce(Changes.MEDICATIONS)
    assert setup.dialog.selected() == med
    assert setup.dialog.stop_button.isEnabled()

    qtbot.mouseClick(setup.dialog.stop_button, Qt.MouseButton.LeftButton)
    assert setup.diary.medications()[0].stopped_on == TODAY
    assert setup.cell(0, STOPPED) == TODAY.isoformat()
    assert not setup.dialog.stop_button.isEnabled()
    assert setup.stack.count() == 1

    setup.dialog.undo_action.trigger()
    assert setup.diary.medications()[0].stopped_on is None
    assert setup.cell(0, STOPPED) == ""
    assert setup.dialog.stop_button.isEnabled()


def test_stop_is_disabled_for_a_medicine_that_starts_later(setup: Setup) -> None:
    setup.diary.save_medication(Medication(name="Iron", started_on=date(2026, 12, 1)), today=TODAY)
    setup.dialog.reload()
    assert setup.dialog.edit_button.isEnabled()
    assert not setup.dialog.stop_button.isEnabled()


def test_delete_removes_the_row_and_undo_brings_it_back(qtbot: QtBot, setup: Setup) -> None:
    med = Medication(name="Simvastatin", dose="40 mg", started_on=date(2024, 5, 2))
    setup.diary.save_medication(med, today=TODAY)
    setup.dialog.reload()

    qtbot.mouseClick(setup.dialog.delete_button, Qt.MouseButton.LeftButton)
    assert setup.diary.medications() == []
    assert setup.dialog.model.rowCount() == 0
    assert not setup.dialog.delete_button.isEnabled()
    assert "Deleted Simvastatin." in setup.dialog.status_label.text()

    setup.dialog.table.setFocus()
    qtbot.keyClick(setup.dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert setup.diary.medications() == [med]
    assert setup.names() == ["Simvastatin"]


def test_edit_keeps_the_id_and_refuses_a_stop_before_the_start(qtbot: QtBot, setup: Setup) -> None:
    med = Medication(name="Naproxen", started_on=date(2026, 6, 1))
    setup.diary.save_medication(med, today=TODAY)
    setup.dialog.reload()

    editor = setup.dialog.edit_selected()
    assert editor is not None
    assert editor.windowTitle() == "Edit medicine"
    assert editor.name_edit.text() == "Naproxen"
    assert editor.started.check.isChecked()
    assert not editor.stopped.check.isChecked()
    editor.stopped.set_value(date(2026, 5, 1))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.error_text() == "Stopped on: must be on or after the start date"
    assert setup.diary.medications() == [med]
    assert setup.stack.count() == 0

    editor.stopped.set_value(date(2026, 7, 1))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    (stored,) = setup.diary.medications()
    assert stored.id == med.id
    assert stored.stopped_on == date(2026, 7, 1)


def test_an_empty_name_is_refused_inline(qtbot: QtBot, setup: Setup) -> None:
    editor = setup.dialog.add_medication()
    editor.dose_edit.setText("5 mg")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.error_text() == "Name: must not be empty"
    qtbot.waitUntil(editor.name_edit.hasFocus)
    assert setup.diary.medications() == []


def test_enter_on_a_row_opens_the_editor(qtbot: QtBot, setup: Setup) -> None:
    setup.diary.save_medication(Medication(name="Lithium"), today=TODAY)
    setup.dialog.reload()
    setup.dialog.table.setFocus()
    qtbot.keyClick(setup.dialog.table, Qt.Key.Key_Return)
    assert setup.dialog.isVisible()
    assert setup.dialog.editor is not None
    assert setup.dialog.editor.isVisible()
    assert setup.dialog.editor.name_edit.text() == "Lithium"


def test_double_click_on_a_row_opens_the_editor(qtbot: QtBot, setup: Setup) -> None:
    setup.diary.save_medication(Medication(name="Lithium"), today=TODAY)
    setup.dialog.reload()
    table = setup.dialog.table
    rect = table.visualRect(setup.dialog.model.index(0, NAME))
    # An item view takes a double click only after the press on the same item.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert setup.dialog.editor is None
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert setup.dialog.editor is not None
    assert setup.dialog.editor.name_edit.text() == "Lithium"


def test_reloads_on_medication_changes_only(setup: Setup) -> None:
    setup.diary.save_medication(Medication(name="Magnesium"), today=TODAY)
    setup.bus.announce(Changes.DIARY)
    assert setup.dialog.model.rowCount() == 0
    setup.bus.announce(Changes.ALL)
    assert setup.names() == ["Magnesium"]


def test_a_hidden_dialog_reloads_when_shown_again(qtbot: QtBot, setup: Setup) -> None:
    setup.dialog.hide()
    setup.diary.save_medication(Medication(name="Vitamin D"), today=TODAY)
    setup.bus.announce(Changes.MEDICATIONS)
    assert setup.dialog.model.rowCount() == 0
    setup.dialog.show()
    assert setup.names() == ["Vitamin D"]


def test_model_passes_the_model_tester(qtmodeltester: object, diary: DiaryService) -> None:
    model = MedicationTableModel()
    model.set_rows(
        [
            Medication(name="Atorvastatin", started_on=date(2025, 1, 1)),
            Medication(name="Quinine", dose="200 mg", stopped_on=date(2026, 1, 1)),
            Medication(name="Paracetamol"),
        ]
    )
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.headerData(
        ASSOCIATION, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    ) == ("Associated with cramps in the literature")
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    assert model.data(model.index(2, STARTED), Qt.ItemDataRole.AccessibleTextRole) == "not set"


def test_everything_has_an_accessible_name(setup: Setup) -> None:
    dialog = setup.dialog
    editor = dialog.add_medication()
    for widget in (
        dialog,
        dialog.table,
        dialog.add_button,
        dialog.edit_button,
        dialog.stop_button,
        dialog.delete_button,
        dialog.close_button,
        dialog.quinine_label,
        dialog.legend_label,
        editor,
        editor.name_edit,
        editor.dose_edit,
        editor.started.check,
        editor.started.edit,
        editor.stopped.check,
        editor.stopped.edit,
        editor.save_button,
        editor.cancel_button,
    ):
        assert widget.accessibleName(), widget
    editor.reject()


def mnemonic_keys(window: QWidget) -> list[str]:
    """The Alt+letter keys the visible labels and buttons of one window claim."""
    keys = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            found = re.search(r"&([^&])", widget.text().replace("&&", ""))
            if found:
                keys.append(found.group(1).lower())
    return keys


def test_mnemonics_are_unique_in_each_window(setup: Setup) -> None:
    editor = setup.dialog.add_medication()
    for window in (setup.dialog, editor):
        keys = mnemonic_keys(window)
        assert len(keys) >= 4
        assert len(keys) == len(set(keys)), keys
    editor.reject()
