"""UI layer: the profile form (all optional), as a dialog and as a widget for the first run."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import records, vocab
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.records import Profile

logger = logging.getLogger(__name__)

FIRST_RUN_INTRO = "Everything here is optional and can be changed later in Diary > Profile."
SEX_EXPLANATION = "Only used to pick the reference intakes for nutrients."
CONDITIONS_EXPLANATION = "Only used to leave out reference values that may not apply to you."

# The words a user sees for each field a ValidationError may name.
FIELD_LABELS = {
    "name": "Name",
    "birth_year": "Year of birth",
    "sex": "Sex for reference values",
    "pregnancy": "Pregnant or breastfeeding",
    "conditions": "Health conditions",
    "units": "Units",
}


class ProfileForm(QWidget):
    """The profile's fields. ``profile()`` reads them; ``validate()`` shows a refusal inline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Profile")

        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(80)
        self.name_edit.setPlaceholderText("optional")
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setAccessibleDescription("Optional. Shown on the clinician summary.")

        self.birth_year_edit = QLineEdit(self)
        self.birth_year_edit.setMaxLength(4)
        self.birth_year_edit.setPlaceholderText("not set")
        self.birth_year_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,4}"), self.birth_year_edit)
        )
        self.birth_year_edit.setAccessibleName("Year of birth")
        self.birth_year_edit.setAccessibleDescription(
            "Optional. Four digits, or empty for not set."
        )

        self.sex_combo = QComboBox(self)
        self.sex_combo.addItem("Not set", None)
        for key, text in vocab.SEXES.items():
            self.sex_combo.addItem(text, key)
        self.sex_combo.setAccessibleName("Sex for reference values")
        self.sex_combo.setAccessibleDescription(SEX_EXPLANATION)
        sex_note = QLabel(SEX_EXPLANATION, self)
        sex_note.setWordWrap(True)
        sex_note.setAccessibleName("About sex for reference values")

        self.pregnancy_combo = QComboBox(self)
        for key, text in vocab.PREGNANCY.items():
            self.pregnancy_combo.addItem(text, key)
        self.pregnancy_combo.setAccessibleName("Pregnant or breastfeeding")
        self.pregnancy_combo.setAccessibleDescription("Available when sex is set to female.")

        self.units_combo = QComboBox(self)
        for key, text in vocab.UNITS.items():
            self.units_combo.addItem(text, key)
        self.units_combo.setAccessibleName("Units")

        self.condition_boxes: dict[str, QCheckBox] = {}
        conditions = QGroupBox("Health conditions (optional)", self)
        conditions.setAccessibleName("Health conditions")
        conditions_layout = QVBoxLayout(conditions)
        conditions_note = QLabel(CONDITIONS_EXPLANATION, conditions)
        conditions_note.setWordWrap(True)
        conditions_note.setAccessibleName("About health conditions")
        conditions_layout.addWidget(conditions_note)
        for key, text in vocab.CONDITIONS.items():
            box = QCheckBox(text, conditions)
            box.setAccessibleName(text)
            conditions_layout.addWidget(box)
            self.condition_boxes[key] = box

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Profile problem")
        bold = self.error_label.font()
        bold.setBold(True)
        self.error_label.setFont(bold)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self._label("&Name:", self.name_edit), self.name_edit)
        form.addRow(self._label("&Year of birth:", self.birth_year_edit), self.birth_year_edit)
        form.addRow(self._label("Se&x for reference values:", self.sex_combo), self.sex_combo)
        form.addRow("", sex_note)
        form.addRow(
            self._label("&Pregnant or breastfeeding:", self.pregnancy_combo), self.pregnancy_combo
        )
        form.addRow(self._label("&Units:", self.units_combo), self.units_combo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(conditions)
        layout.addWidget(self.error_label)

        self.setTabOrder(self.name_edit, self.birth_year_edit)
        self.setTabOrder(self.birth_year_edit, self.sex_combo)
        self.setTabOrder(self.sex_combo, self.pregnancy_combo)
        self.setTabOrder(self.pregnancy_combo, self.units_combo)
        previous: QWidget = self.units_combo
        for box in self.condition_boxes.values():
            self.setTabOrder(previous, box)
            previous = box

        self.sex_combo.currentIndexChanged.connect(self._on_sex_combo_changed)
        self.pregnancy_combo.currentIndexChanged.connect(self._sync_pregnancy_enabled)
        self._sync_pregnancy_enabled()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def first_field(self) -> QWidget:
        return self.name_edit

    # --- values --------------------------------------------------------------------------------

    def set_profile(self, profile: Profile) -> None:
        """Show a stored profile as it is; an inconsistent one is refused only when saved."""
        # Sex first: changing it resets the pregnancy field, which is then set as stored.
        self.name_edit.setText(profile.name)
        self.birth_year_edit.setText("" if profile.birth_year is None else str(profile.birth_year))
        self._select(self.sex_combo, profile.sex)
        self._select(self.pregnancy_combo, profile.pregnancy)
        self._select(self.units_combo, profile.units)
        for key, box in self.condition_boxes.items():
            box.setChecked(key in profile.conditions)
        self.clear_error()
        self._sync_pregnancy_enabled()

    def profile(self) -> Profile:
        """The profile the widgets show, not yet validated."""
        year_text = self.birth_year_edit.text().strip()
        return Profile(
            name=self.name_edit.text(),
            birth_year=int(year_text) if year_text else None,
            sex=self.sex_combo.currentData(),
            pregnancy=self.pregnancy_combo.currentData(),
            conditions=tuple(k for k, box in self.condition_boxes.items() if box.isChecked()),
            units=self.units_combo.currentData(),
        )

    def validate(self, *, today: date) -> Profile | None:
        """The validated profile, or None after showing the refusal next to the fields."""
        try:
            profile = records.validate_profile(self.profile(), today=today)
        except ValidationError as err:
            self.show_error(err)
            return None
        self.clear_error()
        return profile

    # --- inline errors -------------------------------------------------------------------------

    def show_error(self, err: ValidationError) -> None:
        label = FIELD_LABELS.get(err.field, err.field)
        self.error_label.setText(f"{label}: {err.detail}")
        self.error_label.show()
        field = self.field_widget(err.field)
        if field is not None and field.isEnabled():
            field.setFocus()
        logger.debug("profile refused: %s", err.field)

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def field_widget(self, field: str) -> QWidget | None:
        if field == "conditions":
            return next(iter(self.condition_boxes.values()), None)
        return {
            "name": self.name_edit,
            "birth_year": self.birth_year_edit,
            "sex": self.sex_combo,
            "pregnancy": self.pregnancy_combo,
            "units": self.units_combo,
        }.get(field)

    # --- slots ---------------------------------------------------------------------------------

    def _on_sex_combo_changed(self, _index: int) -> None:
        # Pregnancy only applies with female reference values; leaving female resets it.
        if self.sex_combo.currentData() != "female":
            self._select(self.pregnancy_combo, "none")
        self._sync_pregnancy_enabled()

    def _sync_pregnancy_enabled(self) -> None:
        # Kept enabled while a stored inconsistent value shows, so the user can correct it.
        self.pregnancy_combo.setEnabled(
            self.sex_combo.currentData() == "female" or self.pregnancy_combo.currentData() != "none"
        )

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        index = combo.findData(data)
        combo.setCurrentIndex(max(index, 0))


class ProfileDialog(QDialog):
    """Diary > Profile; in first-run mode its buttons are "Save" and "Skip for now"."""

    profile_saved = Signal(object)  # Profile, validated

    def __init__(
        self, parent: QWidget | None, *, profile: Profile, today: date, first_run: bool = False
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._saved: Profile | None = None
        self.setWindowTitle("Your profile" if first_run else "Profile")
        self.setAccessibleName(self.windowTitle())

        self.form = ProfileForm(self)
        self.form.set_profile(profile)

        self.intro_label = QLabel(FIRST_RUN_INTRO, self)
        self.intro_label.setWordWrap(True)
        self.intro_label.setAccessibleName("About this form")
        self.intro_label.setVisible(first_run)

        buttons = QDialogButtonBox(self)
        self.save_button: QPushButton = buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save")
        if first_run:
            self.cancel_button = buttons.addButton(
                "S&kip for now", QDialogButtonBox.ButtonRole.RejectRole
            )
        else:
            self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.setAccessibleName("Save")
        self.cancel_button.setAccessibleName(self.cancel_button.text().replace("&", ""))
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.form.first_field().setFocus()

    def profile(self) -> Profile:
        """The profile built from the widgets (validated by ``accept``)."""
        return self.form.profile()

    def saved_profile(self) -> Profile | None:
        """The validated profile once the dialog was accepted, else None."""
        return self._saved

    def accept(self) -> None:
        profile = self.form.validate(today=self._today)
        if profile is None:
            self.adjustSize()  # room for the message under the fields
            return
        self._saved = profile
        self.profile_saved.emit(profile)
        super().accept()
