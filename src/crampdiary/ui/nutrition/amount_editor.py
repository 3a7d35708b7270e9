"""UI layer: an amount of one food: a number and a unit (its household portions, g, oz, ml).

Grams come from ``domain.nutrition.grams_for``; ml is offered only for a food with a density
(a volume portion). The preview shows the grams and the magnesium and calcium in them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QWidget

from crampdiary.domain.errors import ValidationError
from crampdiary.domain.nutrition import GRAMS_PER_OZ, MAX_GRAMS, Food, grams_for, nutrients_for
from crampdiary.ui.nutrition import formatting as fmt

PORTION_PREFIX = "portion:"
DEFAULT_AMOUNT = {fmt.GRAM_UNIT: 100.0, fmt.OZ_UNIT: 1.0, fmt.ML_UNIT: 250.0}
STEP = {fmt.GRAM_UNIT: 10.0, fmt.OZ_UNIT: 0.5, fmt.ML_UNIT: 50.0}


class AmountEditor(QWidget):
    """Amount and unit of the food given to ``set_food``; ``grams()`` validates and converts."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._food: Food | None = None
        self._last_unit = ""
        self.amount_spin = QDoubleSpinBox()
        self.amount_spin.setDecimals(2)
        self.amount_spin.setRange(0, MAX_GRAMS)
        self.amount_spin.setValue(1)
        self.amount_spin.setAccessibleName("Amount")
        self.amount_spin.setToolTip("How much: a number of the chosen unit")
        self.amount_spin.setMinimumWidth(80)
        self.unit_combo = QComboBox()
        self.unit_combo.setAccessibleName("Unit")
        self.unit_combo.setToolTip("A household portion of this food, or g, oz or ml")
        self.unit_combo.setMinimumContentsLength(14)
        self.unit_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preview_label = QLabel()
        self.preview_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.preview_label.setAccessibleName("Amount in grams, magnesium and calcium")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.amount_spin)
        layout.addWidget(self.unit_combo, 1)
        self.setFocusProxy(self.amount_spin)
        self.amount_spin.valueChanged.connect(self._on_amount_spin_value_changed)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_combo_current_index_changed)
        self.set_food(None)

    # --- public API --------------------------------------------------------------------------

    def food(self) -> Food | None:
        return self._food

    def set_food(self, food: Food | None, grams: float | None = None) -> None:
        """Offer the food's units; preset ``grams`` (as a portion count when one fits)."""
        self._food = food
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        if food is not None:
            for i, p in enumerate(food.portions):
                self.unit_combo.addItem(
                    f"{fmt.portion_text(p.description)} ({fmt.grams(p.grams)})",
                    f"{PORTION_PREFIX}{i}",
                )
            self.unit_combo.addItem("g", fmt.GRAM_UNIT)
            self.unit_combo.addItem("oz", fmt.OZ_UNIT)
            if food.density_g_per_ml is not None:
                self.unit_combo.addItem("ml", fmt.ML_UNIT)
        self.unit_combo.blockSignals(False)
        enabled = food is not None
        self.amount_spin.setEnabled(enabled)
        self.unit_combo.setEnabled(enabled)
        if food is None:
            self._last_unit = ""
            self.preview_label.clear()
            return
        index, value = 0, 1.0 if food.portions else DEFAULT_AMOUNT[fmt.GRAM_UNIT]
        if grams is not None:
            index, value = self.unit_combo.findData(fmt.GRAM_UNIT), grams
            for i, p in enumerate(food.portions):
                count = grams / p.grams if p.grams > 0 else 0
                if count > 0 and abs(count * 4 - round(count * 4)) < 1e-6:
                    index, value = i, count
                    break
        self.unit_combo.setCurrentIndex(index)
        self._last_unit = self.unit()
        self._set_step()
        self.amount_spin.setValue(value)
        self._update_preview()

    def unit(self) -> str:
        """ "g", "oz", "ml" or "portion:<index>"."""
        data = self.unit_combo.currentData()
        return data if isinstance(data, str) else ""

    def set_unit(self, unit: str) -> bool:
        index = self.unit_combo.findData(unit)
        if index >= 0:
            self.unit_combo.setCurrentIndex(index)
        return index >= 0

    def grams(self) -> float:
        """The amount in grams (ValidationError naming "amount" or "unit" when it cannot be)."""
        food = self._food
        if food is None:
            raise ValidationError("food", "choose a food first")
        amount = self.amount_spin.value()
        unit = self.unit()
        if unit.startswith(PORTION_PREFIX):
            portion = food.portions[int(unit[len(PORTION_PREFIX) :])]
            if food.portion(portion.description) is portion:
                return grams_for(food, amount, portion.description)
            # A description listed twice at two weights: the chosen one's own grams.
            if amount <= 0:
                raise ValidationError("amount", "must be more than 0")
            return grams_for(food, amount * portion.grams, fmt.GRAM_UNIT)
        return grams_for(food, amount, unit)

    def preview(self) -> str:
        """ "= 129 g: 764 mg Mg, 59 mg Ca", or "" when the amount is not valid."""
        food = self._food
        if food is None:
            return ""
        try:
            weight = self.grams()
        except ValidationError:
            return ""
        values = nutrients_for(food, weight)
        return (
            f"= {fmt.grams(weight)}: {fmt.amount(values['magnesium'], 'mg')} Mg, "
            f"{fmt.amount(values['calcium'], 'mg')} Ca"
        )

    # --- slots -------------------------------------------------------------------------------

    def _on_amount_spin_value_changed(self, _value: float) -> None:
        self._update_preview()

    def _on_unit_combo_current_index_changed(self, _index: int) -> None:
        food = self._food
        unit = self.unit()
        if food is None or not unit:
            return
        # Going to g, oz or ml keeps the same weight (1 cup -> 129 g); to a portion: 1 of it.
        weight: float | None
        try:
            weight = self._grams_in(self._last_unit, self.amount_spin.value())
        except (ValidationError, IndexError, ValueError):
            weight = None
        self._last_unit = unit
        self._set_step()
        if unit.startswith(PORTION_PREFIX):
            self.amount_spin.setValue(1)
        elif weight is not None and weight > 0:
            self.amount_spin.setValue(round(self._in_unit(unit, weight), 2))
        else:
            self.amount_spin.setValue(DEFAULT_AMOUNT[unit])
        self._update_preview()

    # --- helpers -----------------------------------------------------------------------------

    def _grams_in(self, unit: str, amount: float) -> float | None:
        food = self._food
        if food is None or not unit:
            return None
        if unit.startswith(PORTION_PREFIX):
            return amount * food.portions[int(unit[len(PORTION_PREFIX) :])].grams
        if unit == fmt.ML_UNIT:
            return None if food.density_g_per_ml is None else amount * food.density_g_per_ml
        return amount * (GRAMS_PER_OZ if unit == fmt.OZ_UNIT else 1.0)

    def _in_unit(self, unit: str, weight: float) -> float:
        food = self._food
        if unit == fmt.OZ_UNIT:
            return weight / GRAMS_PER_OZ
        if unit == fmt.ML_UNIT and food is not None and food.density_g_per_ml:
            return weight / food.density_g_per_ml
        return weight

    def _set_step(self) -> None:
        unit = self.unit()
        self.amount_spin.setSingleStep(STEP.get(unit, 0.5))

    def _update_preview(self) -> None:
        text = self.preview()
        self.preview_label.setText(text)
        self.changed.emit()
