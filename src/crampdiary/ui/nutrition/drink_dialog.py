"""UI layer: a drink of any size (the "Custom…" button): millilitres and kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from crampdiary.domain.records import DRINK_KINDS, MAX_DRINK_ML, Drink, validate_drink
from crampdiary.ui.diary.form_widgets import RecordDialog


def drink_kind_combo(accessible_name: str = "Kind of drink") -> QComboBox:
    combo = QComboBox()
    for key, label in DRINK_KINDS.items():
        combo.addItem(label, key)
    combo.setAccessibleName(accessible_name)
    combo.setToolTip("Milk and juice also count their nutrients")
    return combo


class DrinkDialog(RecordDialog[Drink]):
    """A drink on ``day``; OK saves it through ``save``."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        day: date,
        today: date,
        kind: str = "water",
        ml: int = 200,
        save: Callable[[Drink], object] | None = None,
    ) -> None:
        super().__init__(parent, title="Add a drink", save=save)
        self._day = day
        self._today = today
        self.ml_spin = QSpinBox()
        self.ml_spin.setRange(0, MAX_DRINK_ML)
        self.ml_spin.setSingleStep(50)
        self.ml_spin.setSuffix(" ml")
        self.ml_spin.setValue(ml)
        self.ml_spin.setAccessibleName("Millilitres")
        self.kind_combo = drink_kind_combo()
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        form = QFormLayout()
        form.addRow("&Amount:", self.ml_spin)
        form.addRow("&Kind:", self.kind_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._fields = {"ml": ("Amount", self.ml_spin), "kind": ("Kind", self.kind_combo)}
        self.ml_spin.selectAll()
        self.ml_spin.setFocus()

    def build(self) -> Drink:
        drink = Drink(date=self._day, ml=self.ml_spin.value(), kind=self.kind_combo.currentData())
        return validate_drink(drink, today=self._today)
