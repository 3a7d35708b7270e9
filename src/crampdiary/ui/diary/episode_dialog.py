"""UI layer: the full cramp form (start, duration, muscle, side, peak pain, relief, notes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from itertools import pairwise

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import records, vocab
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.records import Episode
from crampdiary.ui.diary import formatting as fmt
from crampdiary.ui.diary.form_widgets import NotesField, OptionalSpinBox, RecordDialog

DEFAULT_SEVERITY = 5
# "Did it help?" answers, stored as relief_helped.
HELPED: dict[str, bool | None] = {"yes": True, "no": False, "unsure": None}
HELPED_LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure"}


def to_qdatetime(moment: datetime) -> QDateTime:
    """A wall-clock time as Qt holds it without a zone (UTC spec): Qt never moves it across a
    daylight-saving gap, so 01:30 on the night the clocks change stays 01:30."""
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute),
        QTimeZone.utc(),
    )


def utc_offset_min(moment: datetime) -> int | None:
    """The local UTC offset in force at a wall-clock time (minutes), from the system zone."""
    offset = moment.astimezone().utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


def from_qdatetime(moment: QDateTime) -> datetime:
    day, clock = moment.date(), moment.time()
    return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())


class SeverityInput(QWidget):
    """Peak pain 0-10 on a slider, with the number and its helper words beside it."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(vocab.NRS_MIN, vocab.NRS_MAX)
        self.slider.setPageStep(2)
        self.slider.setTickInterval(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setAccessibleName(accessible_name)
        self.value_label = QLabel()
        self.value_label.setWordWrap(True)
        self.value_label.setMinimumWidth(220)
        low = QLabel(f"{vocab.NRS_MIN} = {vocab.NRS_ANCHORS[vocab.NRS_MIN]}")
        high = QLabel(f"{vocab.NRS_MAX} = {vocab.NRS_ANCHORS[vocab.NRS_MAX]}")
        high.setAlignment(Qt.AlignmentFlag.AlignRight)
        ends = QHBoxLayout()
        ends.addWidget(low)
        ends.addStretch(1)
        ends.addWidget(high)
        left = QVBoxLayout()
        left.addWidget(self.slider)
        left.addLayout(ends)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addWidget(self.value_label, 2)
        self.setFocusProxy(self.slider)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self._on_slider_value_changed(self.slider.value())

    def value(self) -> int:
        return self.slider.value()

    def set_value(self, value: int) -> None:
        self.slider.setValue(value)
        self._on_slider_value_changed(self.slider.value())

    def _on_slider_value_changed(self, value: int) -> None:
        text = f"{fmt.severity(value)}: {fmt.severity_anchor(value)}"
        self.value_label.setText(text)
        self.slider.setAccessibleDescription(text)


class EpisodeDialog(RecordDialog[Episode]):
    """Add or edit one cramp. ``episode()`` gives the validated episode after OK.

    With ``save`` (for example a call to ``commands.add_episode``) OK also saves, and a refusal
    from the service keeps the dialog open with the user's entry intact.
    """

    def __init__(
        self,
        parent: QWidget | None,
        *,
        now: datetime,
        episode: Episode | None = None,
        default_start: datetime | None = None,
        default_muscle: str = "calf",
        default_side: str = "left",
        title: str | None = None,
        save: Callable[[Episode], object] | None = None,
    ) -> None:
        super().__init__(
            parent, title=title or ("Edit cramp" if episode else "Add cramp"), save=save
        )
        self._now = now
        self._original = episode

        self.start_edit = QDateTimeEdit()
        self.start_edit.setTimeZone(QTimeZone.utc())  # plain wall-clock: see to_qdatetime
        self.start_edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setMinimumDateTime(
            to_qdatetime(datetime.combine(records.EARLIEST_DATE, datetime.min.time()))
        )
        self.start_edit.setAccessibleName("Start date and time")

        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(0, vocab.MAX_DURATION_S // 60)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAccessibleName("Duration, minutes")
        self.seconds_spin = QSpinBox()
        self.seconds_spin.setRange(0, 59)
        self.seconds_spin.setSuffix(" s")
        self.seconds_spin.setAccessibleName("Duration, seconds")
        duration_row = QHBoxLayout()
        duration_row.addWidget(self.minutes_spin)
        duration_row.addWidget(self.seconds_spin)
        duration_row.addStretch(1)

        self.muscle_combo = QComboBox()
        for key, text in vocab.MUSCLES.items():
            self.muscle_combo.addItem(text, key)
        self.muscle_combo.setAccessibleName("Muscle")

        self.side_group = QButtonGroup(self)
        self.side_buttons: dict[str, QRadioButton] = {}
        side_row = QHBoxLayout()
        for key, text in vocab.SIDES.items():
            button = QRadioButton(text)
            button.setAccessibleName(f"Side: {text}")
            self.side_group.addButton(button)
            self.side_buttons[key] = button
            side_row.addWidget(button)
        side_row.addStretch(1)

        self.severity = SeverityInput(
            f"Peak severity, {vocab.NRS_MIN} {vocab.NRS_ANCHORS[vocab.NRS_MIN]} to "
            f"{vocab.NRS_MAX} {vocab.NRS_ANCHORS[vocab.NRS_MAX]}"
        )

        self.woke_check = QCheckBox("&Woke me from sleep")
        self.woke_check.setAccessibleName("Woke me from sleep")

        self.relief_checks: dict[str, QCheckBox] = {}
        relief_grid = QGridLayout()
        for i, (key, text) in enumerate(vocab.RELIEFS.items()):
            box = QCheckBox(text)
            box.setAccessibleName(f"Relief used: {text}")
            box.toggled.connect(self._on_relief_toggled)
            self.relief_checks[key] = box
            relief_grid.addWidget(box, i // 3, i % 3)

        self.helped_group = QButtonGroup(self)
        self.helped_buttons: dict[str, QRadioButton] = {}
        helped_row = QHBoxLayout()
        for key, text in HELPED_LABELS.items():
            button = QRadioButton(text)
            button.setAccessibleName(f"Did the relief help: {text}")
            self.helped_group.addButton(button)
            self.helped_buttons[key] = button
            helped_row.addWidget(button)
        helped_row.addStretch(1)

        self.soreness_spin = OptionalSpinBox(vocab.NRS_MIN, vocab.NRS_MAX, suffix=" of 10")
        self.soreness_spin.setAccessibleName("Soreness afterwards, 0 to 10, optional")
        self.notes = NotesField("Notes about this cramp")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(10)
        self._add_row(form, "&Start", self.start_edit, self.start_edit)
        self._add_row(form, "&Duration", duration_row, self.minutes_spin)
        self._add_row(form, "&Muscle", self.muscle_combo, self.muscle_combo)
        self._add_row(form, "S&ide", side_row, self.side_buttons["left"])
        self._add_row(form, "Peak se&verity", self.severity, self.severity.slider)
        form.addRow("", self.woke_check)
        self._add_row(form, "Re&lief used", relief_grid, self.relief_checks["stretched"])
        self._add_row(form, "Did it &help?", helped_row, self.helped_buttons["yes"])
        self._add_row(form, "Sore&ness afterwards", self.soreness_spin, self.soreness_spin)
        self._add_row(form, "No&tes", self.notes, self.notes.edit)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._fields = {
            "started_at": ("Start", self.start_edit),
            "utc_offset_min": ("Start", self.start_edit),
            "id": ("Cramp", self.start_edit),
            "duration_s": ("Duration", self.minutes_spin),
            "muscle": ("Muscle", self.muscle_combo),
            "side": ("Side", self.side_buttons["left"]),
            "severity": ("Peak severity", self.severity.slider),
            "woke_from_sleep": ("Woke me from sleep", self.woke_check),
            "relief": ("Relief used", self.relief_checks["stretched"]),
            "relief_helped": ("Did it help?", self.helped_buttons["yes"]),
            "soreness_after": ("Soreness afterwards", self.soreness_spin),
            "notes": ("Notes", self.notes.edit),
        }
        order: list[QWidget] = [
            self.start_edit,
            self.minutes_spin,
            self.seconds_spin,
            self.muscle_combo,
            *self.side_buttons.values(),
            self.severity.slider,
            self.woke_check,
            *self.relief_checks.values(),
            *self.helped_buttons.values(),
            self.soreness_spin,
            self.notes.edit,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

        if episode is not None:
            self._load(episode)
        else:
            start = default_start or now
            self.start_edit.setDateTime(to_qdatetime(start))
            self._set_duration(vocab.DEFAULT_DURATION_S)
            self._set_choice(self.muscle_combo, default_muscle)
            self.side_buttons.get(default_side, self.side_buttons["left"]).setChecked(True)
            self.severity.set_value(DEFAULT_SEVERITY)
            self.helped_buttons["unsure"].setChecked(True)
        self._on_relief_toggled()
        self.start_edit.setFocus()

    def episode(self) -> Episode:
        """The validated episode (the id kept when editing), after the dialog was accepted."""
        return self.record()

    def build(self) -> Episode:
        start = from_qdatetime(self.start_edit.dateTime())
        relief = tuple(key for key, box in self.relief_checks.items() if box.isChecked())
        helped_key = next(
            (key for key, button in self.helped_buttons.items() if button.isChecked()), "unsure"
        )
        side = next((key for key, button in self.side_buttons.items() if button.isChecked()), "")
        episode = Episode(
            started_at=start,
            duration_s=self.minutes_spin.value() * 60 + self.seconds_spin.value(),
            muscle=self.muscle_combo.currentData(),
            side=side,
            severity=self.severity.value(),
            woke_from_sleep=self.woke_check.isChecked(),
            relief=relief,
            relief_helped=HELPED[helped_key] if relief else None,
            soreness_after=self.soreness_spin.optional_value(),
            notes=self.notes.text(),
            utc_offset_min=utc_offset_min(start),
        )
        original = self._original
        if original is not None:
            episode = replace(episode, id=original.id)
            if start == original.started_at.replace(second=0, microsecond=0):
                # The offset in force when it was entered, not the one in force now.
                episode = replace(episode, utc_offset_min=original.utc_offset_min)
        # The form may have stayed open a while: "not in the future" is judged at OK time.
        return records.validate_episode(episode, now=max(self._now, datetime.now()))

    def show_problem(self, exc: ValidationError) -> None:
        if exc.field == "duration_s":
            # The domain counts seconds; the form shows minutes and seconds.
            exc = ValidationError(
                exc.field, f"must be from 0 min 1 s to {vocab.MAX_DURATION_S // 60} min 0 s"
            )
        super().show_problem(exc)

    # --- helpers ---------------------------------------------------------------------------------

    def _add_row(
        self,
        form: QFormLayout,
        text: str,
        field: QWidget | QHBoxLayout | QGridLayout,
        buddy: QWidget,
    ) -> None:
        label = QLabel(text)
        label.setBuddy(buddy)
        form.addRow(label, field)

    def _load(self, episode: Episode) -> None:
        self.start_edit.setDateTime(to_qdatetime(episode.started_at))
        self._set_duration(episode.duration_s)
        self._set_choice(self.muscle_combo, episode.muscle)
        if episode.side in self.side_buttons:
            self.side_buttons[episode.side].setChecked(True)
        self.severity.set_value(episode.severity)
        self.woke_check.setChecked(episode.woke_from_sleep)
        for key, box in self.relief_checks.items():
            box.setChecked(key in episode.relief)
        helped = {value: key for key, value in HELPED.items()}[episode.relief_helped]
        self.helped_buttons[helped].setChecked(True)
        self.soreness_spin.set_optional_value(episode.soreness_after)
        self.notes.set_text(episode.notes)

    def _set_duration(self, seconds: int) -> None:
        minutes, secs = divmod(seconds, 60)
        self.minutes_spin.setValue(minutes)
        self.seconds_spin.setValue(secs)

    @staticmethod
    def _set_choice(combo: QComboBox, key: str) -> None:
        index = combo.findData(key)
        combo.setCurrentIndex(max(index, 0))

    def _on_relief_toggled(self, _checked: bool = False) -> None:
        used = any(box.isChecked() for box in self.relief_checks.values())
        for button in self.helped_buttons.values():
            button.setEnabled(used)
