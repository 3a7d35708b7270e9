"""UI layer: a saved supplement product, as printed on its label, with a compound helper.

The amount per unit is the elemental amount (e.g. "magnesium 150 mg"). When a label gives only
the compound's weight ("magnesium oxide 500 mg"), the helper converts it with the factor shown
("magnesium oxide: 60.3 % magnesium") and one button puts the result in the form. Vitamin D may
be given in IU or µg (40 IU = 1 µg). The dialog never suggests a dose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain.errors import CrampDiaryError
from crampdiary.domain.nutrition import (
    COMPOUNDS,
    ELEMENTAL_FRACTION,
    IU_PER_UG,
    MAX_COMPOUND_MG,
    elemental_amount,
)
from crampdiary.domain.records import (
    MAX_AMOUNT_PER_UNIT,
    MAX_NAME,
    MAX_UNITS_PER_DOSE,
    SUPPLEMENT_NUTRIENTS,
    SUPPLEMENT_UNITS,
    SupplementProduct,
    validate_supplement_product,
)
from crampdiary.ui.diary.form_widgets import RecordDialog
from crampdiary.ui.nutrition import formatting as fmt

logger = logging.getLogger(__name__)

IU_NOTE = f"{IU_PER_UG} IU = 1 µg"


def factor_text(compound: str) -> str:
    """ "magnesium oxide: 60.3 % magnesium"."""
    nutrient, fraction = ELEMENTAL_FRACTION[compound]
    return f"{compound}: {fraction * 100:.1f} % {nutrient}"


def units_for(nutrient: str) -> tuple[str, ...]:
    """The units a product of this nutrient may use (IU is for vitamin D only)."""
    if nutrient == "vitamin_d":
        return ("ug", "IU", "mg")
    return ("mg", "ug")


def dose_text(product: SupplementProduct) -> str:
    """ "2 × 150 mg magnesium = 300 mg a dose", "1,000 IU vitamin D a dose (25 µg)"."""
    nutrient = fmt.nutrient_label(product.nutrient).lower().replace("vitamin d", "vitamin D")
    per_unit = fmt.supplement_amount(product.amount_per_unit, product.unit)
    dose = fmt.supplement_amount(product.dose_amount, product.unit)
    text = (
        f"{per_unit} {nutrient} a dose"
        if product.units_per_dose == 1
        else f"{fmt.decimal(product.units_per_dose)} × {per_unit} {nutrient} = {dose} a dose"
    )
    if product.unit == "IU":
        text += f" ({fmt.number(product.dose_amount / IU_PER_UG)} µg)"
    return text


class SupplementDialog(RecordDialog[SupplementProduct]):
    """New or edited product; OK validates and saves it, "Delete supplement" removes it."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        product: SupplementProduct | None = None,
        save: Callable[[SupplementProduct], object] | None = None,
        delete: Callable[[str], object] | None = None,
    ) -> None:
        title = "New supplement" if product is None else "Edit supplement"
        super().__init__(parent, title=title, save=save)
        self._product = product
        self._delete = delete
        self.deleted = False
        self.setMinimumWidth(500)

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("e.g. Magnesium citrate tablets")
        self.nutrient_combo = QComboBox()
        for key, label in SUPPLEMENT_NUTRIENTS.items():
            self.nutrient_combo.addItem(label, key)
        self.nutrient_combo.setAccessibleName("Nutrient")
        self.amount_spin = QDoubleSpinBox()
        self.amount_spin.setRange(0, MAX_AMOUNT_PER_UNIT)
        self.amount_spin.setDecimals(2)
        self.amount_spin.setAccessibleName("Elemental amount per unit")
        self.amount_spin.setToolTip(
            "The amount of the nutrient itself in one tablet, capsule or measure, as the "
            "label prints it (e.g. “magnesium 150 mg”)"
        )
        self.unit_combo = QComboBox()
        self.unit_combo.setAccessibleName("Unit of the amount")
        self.units_spin = QDoubleSpinBox()
        self.units_spin.setRange(0, MAX_UNITS_PER_DOSE)
        self.units_spin.setDecimals(2)
        self.units_spin.setSingleStep(1)
        self.units_spin.setValue(1)
        self.units_spin.setAccessibleName("Units per dose")
        self.units_spin.setToolTip("How many tablets, capsules or measures you take at a time")
        self.conversion_label = QLabel()
        self.conversion_label.setAccessibleName("Vitamin D in IU and µg")
        self.dose_label = QLabel()
        self.dose_label.setWordWrap(True)
        self.dose_label.setAccessibleName("One dose")

        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount_spin, 1)
        amount_row.addWidget(self.unit_combo)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("Nutr&ient:", self.nutrient_combo)
        amount_label = QLabel("&Amount per unit:")
        amount_label.setBuddy(self.amount_spin)
        form.addRow(amount_label, amount_row)
        form.addRow("", self.conversion_label)
        form.addRow("Units per &dose:", self.units_spin)
        form.addRow("", self.dose_label)

        helper = QGroupBox("Label gives the compound's weight? Work out the elemental amount")
        self.compound_combo = QComboBox()
        for name, compound in COMPOUNDS.items():
            self.compound_combo.addItem(f"{name} ({compound.formula})", name)
        self.compound_combo.setAccessibleName("Compound")
        self.compound_spin = QDoubleSpinBox()
        self.compound_spin.setRange(0, MAX_COMPOUND_MG)
        self.compound_spin.setDecimals(1)
        self.compound_spin.setSingleStep(50)
        self.compound_spin.setSuffix(" mg")
        self.compound_spin.setAccessibleName("Weight of the compound per unit")
        self.factor_label = QLabel()
        self.factor_label.setAccessibleName("Elemental share of the compound")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Elemental amount")
        self.use_button = QPushButton("&Use this amount")
        self.use_button.setAccessibleName("Use the elemental amount")
        self.use_button.setAutoDefault(False)
        helper_form = QFormLayout(helper)
        helper_form.addRow("&Form:", self.compound_combo)
        helper_form.addRow("&Weight per unit:", self.compound_spin)
        helper_form.addRow("Factor:", self.factor_label)
        helper_form.addRow("Elemental:", self.result_label)
        helper_form.addRow("", self.use_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(helper)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.delete_button: QPushButton | None = None
        if product is not None and delete is not None:
            self.delete_button = self.buttons.addButton(
                "D&elete supplement", QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.delete_button.setAccessibleName("Delete this supplement")
            self.delete_button.setAutoDefault(False)
            self.delete_button.clicked.connect(self.delete_product)

        self._fields = {
            "name": ("Name", self.name_edit),
            "nutrient": ("Nutrient", self.nutrient_combo),
            "amount_per_unit": ("Amount per unit", self.amount_spin),
            "unit": ("Unit", self.unit_combo),
            "units_per_dose": ("Units per dose", self.units_spin),
        }
        self.nutrient_combo.currentIndexChanged.connect(self._on_nutrient_combo_changed)
        self.unit_combo.currentIndexChanged.connect(self._on_amount_changed)
        self.amount_spin.valueChanged.connect(self._on_amount_changed)
        self.units_spin.valueChanged.connect(self._on_amount_changed)
        self.compound_combo.currentIndexChanged.connect(self._on_helper_changed)
        self.compound_spin.valueChanged.connect(self._on_helper_changed)
        self.use_button.clicked.connect(self.use_elemental_amount)

        if product is not None:
            self.name_edit.setText(product.name)
            self.nutrient_combo.setCurrentIndex(
                max(0, self.nutrient_combo.findData(product.nutrient))
            )
        self._fill_units()
        if product is not None:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(product.unit)))
            self.amount_spin.setValue(product.amount_per_unit)
            self.units_spin.setValue(product.units_per_dose)
        self._on_amount_changed()
        self._on_helper_changed()
        self.name_edit.setFocus()

    # --- the compound helper -----------------------------------------------------------------

    def set_compound(self, compound: str, compound_mg: float) -> None:
        self.compound_combo.setCurrentIndex(max(0, self.compound_combo.findData(compound)))
        self.compound_spin.setValue(compound_mg)

    def elemental(self) -> float | None:
        """The helper's elemental mg, or None when no weight is typed."""
        mg = self.compound_spin.value()
        if mg <= 0:
            return None
        try:
            return elemental_amount(self.compound_combo.currentData(), mg)
        except CrampDiaryError:
            return None

    def use_elemental_amount(self) -> None:
        value = self.elemental()
        if value is None:
            return
        compound = self.compound_combo.currentData()
        nutrient = ELEMENTAL_FRACTION[compound][0]
        self.nutrient_combo.setCurrentIndex(max(0, self.nutrient_combo.findData(nutrient)))
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData("mg")))
        self.amount_spin.setValue(round(value, 1))
        if not self.name_edit.text().strip():
            weight = fmt.decimal(self.compound_spin.value())
            self.name_edit.setText(f"{compound[:1].upper()}{compound[1:]} {weight} mg")
        self.amount_spin.setFocus()

    # --- building ----------------------------------------------------------------------------

    def build(self) -> SupplementProduct:
        base = self._product or SupplementProduct(name="", nutrient="", amount_per_unit=0, unit="")
        product = replace(
            base,
            name=self.name_edit.text(),
            nutrient=self.nutrient_combo.currentData(),
            amount_per_unit=self.amount_spin.value(),
            unit=self.unit_combo.currentData(),
            units_per_dose=self.units_spin.value(),
        )
        return validate_supplement_product(product)

    def delete_product(self) -> None:
        if self._product is None or self._delete is None:
            return
        try:
            self._delete(self._product.id)
        except CrampDiaryError as exc:
            logger.warning("supplement not deleted: %s", type(exc).__name__)
            self._show_text(fmt.problem(exc))
            return
        self.deleted = True
        self.clear_problem()
        self.reject()

    # --- slots -------------------------------------------------------------------------------

    def _fill_units(self) -> None:
        current = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        for unit in units_for(self.nutrient_combo.currentData()):
            self.unit_combo.addItem(SUPPLEMENT_UNITS[unit], unit)
        index = self.unit_combo.findData(current)
        self.unit_combo.setCurrentIndex(max(0, index))
        self.unit_combo.blockSignals(False)

    def _on_nutrient_combo_changed(self, _index: int) -> None:
        self._fill_units()
        self._on_amount_changed()

    def _on_amount_changed(self, *_args: object) -> None:
        nutrient = self.nutrient_combo.currentData()
        unit = self.unit_combo.currentData()
        amount = self.amount_spin.value()
        if nutrient == "vitamin_d":
            if unit == "IU":
                text = f"= {fmt.number(amount / IU_PER_UG)} µg ({IU_NOTE})"
            elif unit == "ug":
                text = f"= {fmt.number(amount * IU_PER_UG)} IU ({IU_NOTE})"
            else:
                text = f"= {fmt.number(amount * 1000)} µg ({IU_NOTE})"
            self.conversion_label.setText(text)
        self.conversion_label.setVisible(nutrient == "vitamin_d")
        if amount > 0 and self.units_spin.value() > 0:
            draft = SupplementProduct(
                name="",
                nutrient=nutrient,
                amount_per_unit=amount,
                unit=unit,
                units_per_dose=self.units_spin.value(),
            )
            self.dose_label.setText(f"One dose: {dose_text(draft)}")
        else:
            self.dose_label.setText("One dose: type the amount per unit and the units per dose")

    def _on_helper_changed(self, *_args: object) -> None:
        compound = self.compound_combo.currentData()
        self.factor_label.setText(factor_text(compound))
        self.factor_label.setToolTip(
            f"{COMPOUNDS[compound].formula}, molar mass {COMPOUNDS[compound].molar_mass:.1f} g/mol"
        )
        value = self.elemental()
        nutrient = ELEMENTAL_FRACTION[compound][0]
        if value is None:
            self.result_label.setText("Type the weight of the compound per unit")
            self.use_button.setEnabled(False)
            return
        weight = fmt.decimal(self.compound_spin.value())
        self.result_label.setText(f"{weight} mg of {compound} = {fmt.decimal(value)} mg {nutrient}")
        self.use_button.setText(f"&Use {fmt.decimal(value)} mg")
        self.use_button.setEnabled(True)
