"""UI layer: the form for one night's record (no cramps, hours slept, sleep disturbance, notes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from crampdiary.domain import records, vocab
from crampdiary.domain.records import Night
from crampdiary.ui.diary import formatting as fmt
from crampdiary.ui.diary.form_widgets import (
    NotesField,
    OptionalDoubleSpinBox,
    OptionalSpinBox,
    RecordDialog,
)


class NightDialog(RecordDialog[Night]):
    """Edit the record of the night of ``night_of``; ``night()`` gives it after OK."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        night_of: date,
        today: date,
        night: Night | None = None,
        has_cramps: bool = False,
        save: Callable[[Night], object] | None = None,
    ) -> None:
        super().__init__(parent, title=f"Night of {fmt.long_date(night_of)}", save=save)
        self._night_of = night_of
        self._today = today
        self._original = night

        self.no_cramps_check = QCheckBox("&No cramps this night")
        self.no_cramps_check.setAccessibleName("No cramps this night")
        self.hours_spin = OptionalDoubleSpinBox(0, 24, step=0.5, suffix=" h")
        self.hours_spin.setAccessibleName("Hours slept, optional")
        self.disturbance_spin = OptionalSpinBox(vocab.NRS_MIN, vocab.NRS_MAX, suffix=" of 10")
        self.disturbance_spin.setAccessibleName(
            "Sleep disturbance, 0 not disturbed to 10 the most disturbed, optional"
        )
        self.notes = NotesField("Notes about this night")

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow("", self.no_cramps_check)
        if has_cramps:
            self.no_cramps_check.setEnabled(False)
            form.addRow("", QLabel("This night has cramps logged."))
        hours_label = QLabel("&Hours slept")
        hours_label.setBuddy(self.hours_spin)
        form.addRow(hours_label, self.hours_spin)
        disturbance_label = QLabel("Sleep &disturbance")
        disturbance_label.setBuddy(self.disturbance_spin)
        form.addRow(disturbance_label, self.disturbance_spin)
        form.addRow("", QLabel("0 = not disturbed, 10 = the most disturbed"))
        notes_label = QLabel("No&tes")
        notes_label.setBuddy(self.notes.edit)
        form.addRow(notes_label, self.notes)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._fields = {
            "no_cramps": ("No cramps this night", self.no_cramps_check),
            "sleep_hours": ("Hours slept", self.hours_spin),
            "sleep_disturbance": ("Sleep disturbance", self.disturbance_spin),
            "notes": ("Notes", self.notes.edit),
            "night_of": ("Night", self.no_cramps_check),
        }
        QWidget.setTabOrder(self.no_cramps_check, self.hours_spin)
        QWidget.setTabOrder(self.hours_spin, self.disturbance_spin)
        QWidget.setTabOrder(self.disturbance_spin, self.notes.edit)

        if night is not None:
            self.no_cramps_check.setChecked(night.no_cramps)
            self.hours_spin.set_optional_value(night.sleep_hours)
            self.disturbance_spin.set_optional_value(night.sleep_disturbance)
            self.notes.set_text(night.notes)
        (self.hours_spin if has_cramps else self.no_cramps_check).setFocus()

    def night(self) -> Night:
        return self.record()

    def build(self) -> Night:
        night = Night(
            night_of=self._night_of,
            no_cramps=self.no_cramps_check.isChecked(),
            sleep_hours=self.hours_spin.optional_value(),
            sleep_disturbance=self.disturbance_spin.optional_value(),
            notes=self.notes.text(),
        )
        if self._original is not None:
            night = replace(night, id=self._original.id)
        return records.validate_night(night, today=self._today)
