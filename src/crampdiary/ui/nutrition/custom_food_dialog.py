"""UI layer: the user's own food: values per 100 g (any may be unknown) and optional portions.

An unknown value stays unknown (never 0) in every total. A portion that is a volume ("1 cup")
gives the food a density, so that it can be logged in ml too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain.errors import CrampDiaryError
from crampdiary.domain.nutrition import Portion, density_from_portions
from crampdiary.domain.records import (
    CUSTOM_FOOD_VALUES,
    MAX_FOOD_GRAMS,
    MAX_KCAL_PER_100G,
    MAX_NAME,
    MAX_PER_100G,
    MAX_PORTION_TEXT,
    MAX_PORTIONS,
    MAX_WATER_PER_100G,
    CustomFood,
    validate_custom_food,
)
from crampdiary.ui.diary.form_widgets import OptionalDoubleSpinBox, RecordDialog
from crampdiary.ui.nutrition import formatting as fmt

logger = logging.getLogger(__name__)

UNKNOWN = "Unknown"
VALUE_UNITS = {
    "magnesium_mg": "mg",
    "calcium_mg": "mg",
    "vitamin_d_ug": "µg",
    "potassium_mg": "mg",
    "sodium_mg": "mg",
    "water_g": "g",
}
EMPTY_PORTION_ROWS = 2


def _value_spin(hi: float, suffix: str, name: str) -> OptionalDoubleSpinBox:
    spin = OptionalDoubleSpinBox(0, hi, step=1, decimals=2, suffix=f" {suffix}")
    spin.setSpecialValueText(UNKNOWN)
    spin.setAccessibleName(name)
    spin.setToolTip(f"{name}; leave at “{UNKNOWN}” when the label does not say")
    return spin


class CustomFoodDialog(RecordDialog[CustomFood]):
    """New or edited custom food; OK validates and saves it, "Delete food" removes it."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        food: CustomFood | None = None,
        save: Callable[[CustomFood], object] | None = None,
        delete: Callable[[str], object] | None = None,
    ) -> None:
        title = "New custom food" if food is None else "Edit custom food"
        super().__init__(parent, title=title, save=save)
        self._food = food
        self._delete = delete
        self.deleted = False
        self.setMinimumWidth(440)

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("e.g. Grandma's oat bread")
        self.value_spins: dict[str, OptionalDoubleSpinBox] = {}
        values = QGroupBox("Values per 100 g (as on the label)")
        values_form = QFormLayout(values)
        for nutrient, fld in CUSTOM_FOOD_VALUES.items():
            hi = MAX_WATER_PER_100G if fld == "water_g" else MAX_PER_100G
            name = fmt.nutrient_label(nutrient)
            spin = _value_spin(hi, VALUE_UNITS[fld], f"{name} per 100 g")
            self.value_spins[fld] = spin
            values_form.addRow(f"{name}:", spin)
        self.kcal_spin = _value_spin(MAX_KCAL_PER_100G, "kcal", "Energy per 100 g")
        values_form.addRow("Energy:", self.kcal_spin)
        values_form.addRow(QLabel("Vitamin D: 40 IU = 1 µg."))

        portions = QGroupBox("Portions (optional)")
        self.portions_grid = QGridLayout()
        self.portion_rows: list[tuple[QLineEdit, QDoubleSpinBox]] = []
        # Per row: the stored grams and the (rounded) value the spin box shows for them.
        self._stored_grams: list[tuple[float, float] | None] = []
        self.add_portion_button = QPushButton("Add a &portion")
        self.add_portion_button.setAccessibleName("Add a portion")
        self.add_portion_button.setAutoDefault(False)
        self.add_portion_button.clicked.connect(self.add_portion_row)
        hint = QLabel(
            "For example “1 slice” = 30 g. A cup, tbsp, tsp or fl oz also lets you log ml."
        )
        hint.setWordWrap(True)
        portions_box = QVBoxLayout(portions)
        portions_box.addWidget(hint)
        portions_box.addLayout(self.portions_grid)
        portions_box.addWidget(self.add_portion_button)

        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(values)
        layout.addWidget(portions)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.delete_button: QPushButton | None = None
        if food is not None and delete is not None:
            self.delete_button = self.buttons.addButton(
                "&Delete food", QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.delete_button.setAccessibleName("Delete this custom food")
            self.delete_button.setAutoDefault(False)
            self.delete_button.clicked.connect(self.delete_food)

        if food is not None:
            self.name_edit.setText(food.name)
            for fld, spin in self.value_spins.items():
                spin.set_optional_value(getattr(food, fld))
            self.kcal_spin.set_optional_value(food.kcal)
            for text, grams in food.portions:
                self.add_portion_row(text, grams)
        for _ in range(EMPTY_PORTION_ROWS if food is None or not food.portions else 1):
            self.add_portion_row()
        self._fields = {
            "name": ("Name", self.name_edit),
            "kcal": ("Energy", self.kcal_spin),
            "portions": ("Portions", self.add_portion_button),
            "density_g_per_ml": ("Portions", self.add_portion_button),
            **{
                fld: (f"{fmt.nutrient_label(n)} per 100 g", self.value_spins[fld])
                for n, fld in CUSTOM_FOOD_VALUES.items()
            },
        }
        self.name_edit.setFocus()

    def add_portion_row(self, text: str = "", grams: float = 0.0) -> None:
        if len(self.portion_rows) >= MAX_PORTIONS:
            return
        row = len(self.portion_rows)
        edit = QLineEdit(text)
        edit.setMaxLength(MAX_PORTION_TEXT)
        edit.setPlaceholderText("e.g. 1 slice")
        edit.setAccessibleName(f"Portion {row + 1}: description")
        spin = QDoubleSpinBox()
        spin.setRange(0, MAX_FOOD_GRAMS)
        spin.setDecimals(1)
        spin.setSuffix(" g")
        spin.setValue(grams)
        spin.setAccessibleName(f"Portion {row + 1}: grams")
        self.portions_grid.addWidget(edit, row, 0)
        self.portions_grid.addWidget(spin, row, 1)
        self.portion_rows.append((edit, spin))
        self._stored_grams.append((grams, spin.value()) if grams else None)
        self.add_portion_button.setEnabled(len(self.portion_rows) < MAX_PORTIONS)

    def portions(self) -> tuple[tuple[str, float], ...]:
        """The filled-in rows; a row with a text and no grams is kept (the domain refuses it).

        Grams left as they were shown keep their stored value (28.35 g, not the 28.4 shown).
        """
        out: list[tuple[str, float]] = []
        for (edit, spin), stored in zip(self.portion_rows, self._stored_grams, strict=True):
            if not edit.text().strip():
                continue
            grams = spin.value()
            if stored is not None and grams == stored[1]:
                grams = stored[0]
            out.append((edit.text().strip(), grams))
        return tuple(out)

    def density(self, portions: tuple[tuple[str, float], ...]) -> float | None:
        """g/ml from the first volume portion; else (or with the portions as they were) the
        food's own density is kept, unless it came from a volume portion now removed."""
        base = self._food
        found = density_from_portions(Portion(t, g) for t, g in portions if g > 0)
        if base is None:
            return found
        if portions == base.portions:
            return base.density_g_per_ml
        if found is not None:
            return found
        from_old = density_from_portions(Portion(t, g) for t, g in base.portions if g > 0)
        if from_old is not None and from_old == base.density_g_per_ml:
            return None  # it was the portion's density, and that portion is gone
        return base.density_g_per_ml

    def build(self) -> CustomFood:
        portions = self.portions()
        density = self.density(portions)
        values: dict[str, Any] = {
            fld: spin.optional_value() for fld, spin in self.value_spins.items()
        }
        base = self._food or CustomFood(name="")
        food = replace(
            base,
            name=self.name_edit.text(),
            kcal=self.kcal_spin.optional_value(),
            portions=portions,
            density_g_per_ml=density,
            **values,
        )
        return validate_custom_food(food)

    def delete_food(self) -> None:
        if self._food is None or self._delete is None:
            return
        try:
            self._delete(self._food.id)
        except CrampDiaryError as exc:
            logger.warning("custom food not deleted: %s", type(exc).__name__)
            self._show_text(fmt.problem(exc))
            return
        self.deleted = True
        self.clear_problem()
        self.reject()
