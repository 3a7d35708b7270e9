"""UI layer: the form for one day's context (activity, sun, drinks, tags, symptoms)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import records, vocab
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.records import Day
from crampdiary.ui.diary import formatting as fmt
from crampdiary.ui.diary.form_widgets import (
    OptionalDoubleSpinBox,
    OptionalSpinBox,
    RecordDialog,
)
from crampdiary.ui.diary.tag_list_model import TagListModel

SYMPTOMS_NOTE = "If you tick one of these, see Help > When to see a healthcare professional."


class DayDialog(RecordDialog[Day]):
    """Edit what the day held; ``day()`` gives the record after OK (empty clears the day)."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        day: date,
        today: date,
        known_tags: Sequence[str],
        existing: Day | None = None,
        save: Callable[[Day], object] | None = None,
    ) -> None:
        super().__init__(parent, title=f"Day of {fmt.long_date(day)}", save=save)
        self._date = day
        self._today = today
        self._original = existing

        self.activity_spin = OptionalSpinBox(0, 1440, suffix=" min")
        self.activity_spin.setAccessibleName("Activity, minutes, optional")
        self.sunlight_spin = OptionalSpinBox(0, 1440, suffix=" min")
        self.sunlight_spin.setAccessibleName("Time in daylight, minutes, optional")
        self.alcohol_spin = OptionalDoubleSpinBox(0, 100, step=0.5, suffix=" units")
        self.alcohol_spin.setAccessibleName("Alcohol, units, optional")
        self.caffeine_spin = OptionalSpinBox(0, 50, suffix=" drinks")
        self.caffeine_spin.setAccessibleName("Caffeinated drinks, optional")

        self.tag_model = TagListModel(known_tags, existing.tags if existing else ())
        self.tag_view = QListView()
        self.tag_view.setModel(self.tag_model)
        self.tag_view.setAccessibleName("Tags")
        self.tag_view.setMinimumHeight(110)
        self.new_tag_edit = QLineEdit()
        self.new_tag_edit.setPlaceholderText("Your own tag, for example “long drive”")
        self.new_tag_edit.setAccessibleName("New tag")
        self.new_tag_edit.installEventFilter(self)
        self.add_tag_button = QPushButton("Add ta&g")
        self.add_tag_button.setAutoDefault(False)
        self.add_tag_button.clicked.connect(self._on_add_tag_button_clicked)
        new_tag_row = QHBoxLayout()
        new_tag_row.addWidget(self.new_tag_edit, 1)
        new_tag_row.addWidget(self.add_tag_button)
        tags_box = QVBoxLayout()
        tags_box.addWidget(self.tag_view)
        tags_box.addLayout(new_tag_row)

        self.symptom_checks: dict[str, QCheckBox] = {}
        symptoms = QGroupBox("S&ymptoms today")
        symptoms_layout = QVBoxLayout(symptoms)
        for key, text in vocab.SYMPTOMS.items():
            box = QCheckBox(text)
            box.setAccessibleName(f"Symptom: {text}")
            self.symptom_checks[key] = box
            symptoms_layout.addWidget(box)
        note = QLabel(SYMPTOMS_NOTE)
        note.setWordWrap(True)
        symptoms_layout.addWidget(note)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        for text, widget in (
            ("&Activity", self.activity_spin),
            ("&Sunlight", self.sunlight_spin),
            ("A&lcohol", self.alcohol_spin),
            ("Caffeinated &drinks", self.caffeine_spin),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        tags_label = QLabel("&Tags")
        tags_label.setBuddy(self.tag_view)
        form.addRow(tags_label, tags_box)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(symptoms)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._fields = {
            "activity_min": ("Activity", self.activity_spin),
            "sunlight_min": ("Sunlight", self.sunlight_spin),
            "alcohol_units": ("Alcohol", self.alcohol_spin),
            "caffeine_drinks": ("Caffeinated drinks", self.caffeine_spin),
            "tags": ("Tags", self.new_tag_edit),
            "symptoms": ("Symptoms", next(iter(self.symptom_checks.values()))),
            "date": ("Day", self.activity_spin),
        }

        if existing is not None:
            self.activity_spin.set_optional_value(existing.activity_min)
            self.sunlight_spin.set_optional_value(existing.sunlight_min)
            self.alcohol_spin.set_optional_value(existing.alcohol_units)
            self.caffeine_spin.set_optional_value(existing.caffeine_drinks)
            for key, box in self.symptom_checks.items():
                box.setChecked(key in existing.symptoms)
        self.activity_spin.setFocus()

    def day(self) -> Day:
        return self.record()

    def build(self) -> Day:
        day = Day(
            date=self._date,
            activity_min=self.activity_spin.optional_value(),
            sunlight_min=self.sunlight_spin.optional_value(),
            alcohol_units=self.alcohol_spin.optional_value(),
            caffeine_drinks=self.caffeine_spin.optional_value(),
            tags=self.tag_model.checked_tags(),
            symptoms=tuple(key for key, box in self.symptom_checks.items() if box.isChecked()),
        )
        if self._original is not None:
            day = replace(day, id=self._original.id)
        return records.validate_day(day, today=self._today)

    def add_tag(self, text: str) -> bool:
        """Add (and tick) a tag typed by the user; a refusal is shown in the form."""
        try:
            key = records.tag_key(text)
        except ValidationError as exc:
            self.show_problem(exc)
            return False
        index = self.tag_model.add_tag(key)
        self.tag_view.setCurrentIndex(index)
        self.new_tag_edit.clear()
        self.clear_problem()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the new-tag box adds the tag instead of pressing OK for the whole form.
        if (
            watched is self.new_tag_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._on_add_tag_button_clicked()
            return True
        return super().eventFilter(watched, event)

    def _on_add_tag_button_clicked(self) -> None:
        if self.new_tag_edit.text().strip():
            self.add_tag(self.new_tag_edit.text())
