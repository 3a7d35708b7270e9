"""UI layer: change the amount or the meal of a food entry (a small form; OK saves it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from crampdiary.domain.nutrition import Food
from crampdiary.domain.records import MEALS, FoodEntry, validate_food_entry
from crampdiary.ui.diary.form_widgets import RecordDialog
from crampdiary.ui.nutrition.amount_editor import AmountEditor


def meal_combo(accessible_name: str = "Meal") -> QComboBox:
    combo = QComboBox()
    for key, label in MEALS.items():
        combo.addItem(label, key)
    combo.setAccessibleName(accessible_name)
    return combo


class FoodEntryDialog(RecordDialog[FoodEntry]):
    """The entry's food stays; its amount (portion, g, oz, ml) and meal can change."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        entry: FoodEntry,
        food: Food,
        today: date,
        save: Callable[[FoodEntry], object] | None = None,
    ) -> None:
        super().__init__(parent, title="Edit food entry", save=save)
        self._entry = entry
        self._today = today
        self.food_label = QLabel(food.name)
        self.food_label.setWordWrap(True)
        self.food_label.setAccessibleName("Food")
        self.amount_editor = AmountEditor()
        self.amount_editor.set_food(food, entry.grams)
        self.meal_combo = meal_combo()
        self.meal_combo.setCurrentIndex(max(0, self.meal_combo.findData(entry.meal)))
        form = QFormLayout()
        form.addRow("Food:", self.food_label)
        form.addRow("&Amount:", self.amount_editor)
        form.addRow("", self.amount_editor.preview_label)
        form.addRow("&Meal:", self.meal_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._fields = {
            "amount": ("Amount", self.amount_editor.amount_spin),
            "grams": ("Amount", self.amount_editor.amount_spin),
            "unit": ("Unit", self.amount_editor.unit_combo),
            "meal": ("Meal", self.meal_combo),
        }
        self.amount_editor.amount_spin.selectAll()
        self.amount_editor.setFocus()

    def build(self) -> FoodEntry:
        grams = self.amount_editor.grams()
        meal = self.meal_combo.currentData()
        return validate_food_entry(replace(self._entry, grams=grams, meal=meal), today=self._today)
