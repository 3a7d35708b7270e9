"""The Nutrition tab's forms: supplement products with the compound helper, custom foods,
drinks, food entries and the amount editor. Built, filled and accepted; never exec()'d."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from crampdiary.domain.errors import StorageError, ValidationError
from crampdiary.domain.nutrition import ELEMENTAL_FRACTION, NUTRIENTS, Food, Portion
from crampdiary.domain.records import CustomFood, Drink, FoodEntry, SupplementProduct
from crampdiary.ui.nutrition.amount_editor import AmountEditor
from crampdiary.ui.nutrition.custom_food_dialog import CustomFoodDialog
from crampdiary.ui.nutrition.drink_dialog import DrinkDialog
from crampdiary.ui.nutrition.food_entry_dialog import FoodEntryDialog
from crampdiary.ui.nutrition.supplement_dialog import SupplementDialog, dose_text, factor_text

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 25)


def food(
    portions: tuple[Portion, ...] = (Portion("1 cup", 129.0), Portion("1 oz", 28.35)),
    density: float | None = None,
) -> Food:
    values: dict[str, float | None] = dict.fromkeys(NUTRIENTS, 10.0)
    values["magnesium"] = 592.0
    values["calcium"] = None
    return Food(
        key="usda:12014",
        name="Seeds, pumpkin and squash seed kernels, dried",
        group="Nut and Seed Products",
        per_100g=values,
        kcal=559.0,
        portions=portions,
        density_g_per_ml=density,
    )


# --- supplements -----------------------------------------------------------------------------


def test_the_helper_shows_the_factor_and_the_elemental_amount_and_uses_it(qtbot: QtBot) -> None:
    saved: list[SupplementProduct] = []
    dialog = SupplementDialog(None, save=saved.append)
    qtbot.addWidget(dialog)

    dialog.set_compound("magnesium oxide", 0)
    assert dialog.factor_label.text() == "magnesium oxide: 60.3 % magnesium"
    assert not dialog.use_button.isEnabled()

    dialog.compound_spin.setValue(500)
    assert dialog.result_label.text() == "500 mg of magnesium oxide = 301.5 mg magnesium"
    assert dialog.use_button.isEnabled()
    dialog.use_button.click()
    assert dialog.nutrient_combo.currentData() == "magnesium"
    assert dialog.unit_combo.currentData() == "mg"
    assert dialog.amount_spin.value() == pytest.approx(301.5)
    assert dialog.name_edit.text() == "Magnesium oxide 500 mg"
    dialog.units_spin.setValue(2)
    assert dialog.dose_label.text() == "One dose: 2 × 301.5 mg magnesium = 603 mg a dose"

    dialog.accept()
    assert dialog.result() == SupplementDialog.DialogCode.Accepted
    (product,) = saved
    assert (product.name, product.nutrient, product.amount_per_unit, product.unit) == (
        "Magnesium oxide 500 mg",
        "magnesium",
        301.5,
        "mg",
    )
    assert product.units_per_dose == 2


@pytest.mark.parametrize("compound", sorted(ELEMENTAL_FRACTION))
def test_every_form_shows_its_factor(qtbot: QtBot, compound: str) -> None:
    dialog = SupplementDialog(None)
    qtbot.addWidget(dialog)
    dialog.set_compound(compound, 1000)
    nutrient, fraction = ELEMENTAL_FRACTION[compound]
    assert dialog.factor_label.text() == factor_text(compound)
    assert f"{fraction * 100:.1f} % {nutrient}" in dialog.factor_label.text()
    dialog.use_button.click()
    assert dialog.nutrient_combo.currentData() == nutrient
    assert dialog.amount_spin.value() == pytest.approx(round(1000 * fraction, 1))


def test_calcium_carbonate_is_40_percent_calcium(qtbot: QtBot) -> None:
    dialog = SupplementDialog(None)
    qtbot.addWidget(dialog)
    dialog.set_compound("calcium carbonate", 1250)
    assert dialog.factor_label.text() == "calcium carbonate: 40.0 % calcium"
    assert dialog.result_label.text() == "1,250 mg of calcium carbonate = 500.5 mg calcium"


def test_vitamin_d_in_iu_or_micrograms(qtbot: QtBot) -> None:
    saved: list[SupplementProduct] = []
    dialog = SupplementDialog(None, save=saved.append)
    qtbot.addWidget(dialog)
    assert dialog.conversion_label.isHidden()
    assert [dialog.unit_combo.itemData(i) for i in range(dialog.unit_combo.count())] == [
        "mg",
        "ug",
    ]  # no IU for magnesium
    dialog.nutrient_combo.setCurrentIndex(dialog.nutrient_combo.findData("vitamin_d"))
    assert not dialog.conversion_label.isHidden()
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("IU"))
    dialog.amount_spin.setValue(1000)
    assert dialog.conversion_label.text() == "= 25 µg (40 IU = 1 µg)"
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("ug"))
    dialog.amount_spin.setValue(25)
    assert dialog.conversion_label.text() == "= 1,000 IU (40 IU = 1 µg)"
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("IU"))
    dialog.amount_spin.setValue(1000)
    dialog.name_edit.setText("Vitamin D3")
    dialog.accept()
    assert [(p.nutrient, p.amount_per_unit, p.unit) for p in saved] == [("vitamin_d", 1000, "IU")]
    assert dose_text(saved[0]) == "1,000 IU vitamin D a dose (25 µg)"


def test_a_refused_product_stays_open_with_the_problem_beside_the_field(qtbot: QtBot) -> None:
    saved: list[SupplementProduct] = []
    dialog = SupplementDialog(None, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.amount_spin.setValue(150)
    dialog.accept()  # no name
    assert dialog.result() != SupplementDialog.DialogCode.Accepted
    assert not dialog.error_label.isHidden()
    assert dialog.error_label.text().startswith("⚠ Name:")
    assert saved == []

    def refuse(_product: SupplementProduct) -> None:
        raise ValidationError("name", 'there is already a product named "Mag"')

    clash = SupplementDialog(None, save=refuse)
    qtbot.addWidget(clash)
    clash.name_edit.setText("Mag")
    clash.amount_spin.setValue(150)
    clash.accept()
    assert "already a product" in clash.error_label.text()


def test_editing_a_product_shows_its_values_and_can_delete_it(qtbot: QtBot) -> None:
    product = SupplementProduct(
        name="Cal", nutrient="calcium", amount_per_unit=500, unit="mg", units_per_dose=1
    )
    deleted: list[str] = []
    dialog = SupplementDialog(None, product=product, delete=deleted.append)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Edit supplement"
    assert dialog.name_edit.text() == "Cal"
    assert dialog.nutrient_combo.currentData() == "calcium"
    assert dialog.amount_spin.value() == 500
    assert dialog.build() == product
    assert dialog.delete_button is not None
    dialog.delete_button.click()
    assert deleted == [product.id]
    assert dialog.deleted


# --- custom foods ----------------------------------------------------------------------------


def test_custom_food_keeps_unknown_values_unknown_and_reads_its_portions(qtbot: QtBot) -> None:
    saved: list[CustomFood] = []
    dialog = CustomFoodDialog(None, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("  Oat milk  ")
    dialog.value_spins["calcium_mg"].setValue(120)
    dialog.value_spins["water_g"].setValue(90)
    dialog.portion_rows[0][0].setText("1 cup")
    dialog.portion_rows[0][1].setValue(240)
    dialog.accept()
    (custom,) = saved
    assert custom.name == "Oat milk"
    assert custom.calcium_mg == 120
    assert custom.water_g == 90
    assert custom.magnesium_mg is None  # "Unknown", never 0
    assert custom.vitamin_d_ug is None
    assert custom.portions == (("1 cup", 240.0),)
    assert custom.density_g_per_ml == pytest.approx(240 / 236.5882365)


def test_custom_food_problems_are_shown_in_the_form(qtbot: QtBot) -> None:
    saved: list[CustomFood] = []
    dialog = CustomFoodDialog(None, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Bread")
    dialog.portion_rows[0][0].setText("1 slice")  # no grams
    dialog.accept()
    assert dialog.error_label.text().startswith("⚠ Portions:")
    assert saved == []

    def fail(_food: CustomFood) -> None:
        raise StorageError("The disk is full.")

    failing = CustomFoodDialog(None, save=fail)
    qtbot.addWidget(failing)
    failing.name_edit.setText("Bread")
    failing.accept()
    assert failing.error_label.text() == "⚠ The disk is full."


def test_editing_a_custom_food_shows_its_values(qtbot: QtBot) -> None:
    custom = CustomFood(name="Bar", magnesium_mg=50, portions=(("1 bar", 40.0),))
    dialog = CustomFoodDialog(None, food=custom, delete=lambda _id: None)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "Bar"
    assert dialog.value_spins["magnesium_mg"].optional_value() == 50
    assert dialog.value_spins["calcium_mg"].optional_value() is None
    assert dialog.value_spins["calcium_mg"].text() == "Unknown"
    assert dialog.portions() == (("1 bar", 40.0),)
    assert dialog.build() == custom
    assert dialog.delete_button is not None


def test_editing_keeps_the_foods_own_density_and_exact_grams(qtbot: QtBot) -> None:
    soup = CustomFood(
        name="Soup",
        magnesium_mg=24.0,
        portions=(("1 bowl", 300.0), ("1 slice", 28.35)),
        density_g_per_ml=1.04,  # its own (imported): no volume portion gives one
    )
    dialog = CustomFoodDialog(None, food=soup)
    qtbot.addWidget(dialog)
    assert dialog.portion_rows[1][1].value() != 28.35  # shown rounded to 0.1 g
    assert dialog.build() == soup  # nothing touched: nothing changed

    dialog.name_edit.setText("Lentil soup")
    dialog.portion_rows[0][1].setValue(320)  # another portion changed
    built = dialog.build()
    assert built.portions == (("1 bowl", 320.0), ("1 slice", 28.35))
    assert built.density_g_per_ml == 1.04  # the portions give none: its own stays

    dialog.portion_rows[1][1].setValue(30)  # a changed row takes the value typed
    assert dialog.build().portions == (("1 bowl", 320.0), ("1 slice", 30.0))


def test_a_volume_portion_sets_the_density_and_removing_it_takes_it_away(
    qtbot: QtBot,
) -> None:
    cup_density = 240 / 236.5882365
    milk = CustomFood(name="Oat milk", portions=(("1 cup", 240.0),), density_g_per_ml=cup_density)
    dialog = CustomFoodDialog(None, food=milk)
    qtbot.addWidget(dialog)
    assert dialog.build().density_g_per_ml == cup_density
    dialog.portion_rows[0][1].setValue(250)  # the cup weighed again: its density follows
    assert dialog.build().density_g_per_ml == pytest.approx(250 / 236.5882365)
    dialog.portion_rows[0][0].setText("1 glass")  # no volume any more: no ml either
    assert dialog.build().density_g_per_ml is None


# --- drinks and food entries -----------------------------------------------------------------


def test_drink_dialog_refuses_nothing_and_adds_the_rest(qtbot: QtBot) -> None:
    saved: list[Drink] = []
    dialog = DrinkDialog(None, day=TODAY, today=TODAY, kind="juice", save=saved.append)
    qtbot.addWidget(dialog)
    dialog.ml_spin.setValue(0)
    dialog.accept()
    assert dialog.error_label.text().startswith("⚠ Amount:")
    dialog.ml_spin.setValue(330)
    dialog.accept()
    assert [(d.date, d.ml, d.kind) for d in saved] == [(TODAY, 330, "juice")]


def test_food_entry_dialog_changes_amount_and_meal(qtbot: QtBot) -> None:
    entry = FoodEntry(date=TODAY, food="usda:12014", grams=56.7, meal="breakfast")
    saved: list[FoodEntry] = []
    dialog = FoodEntryDialog(None, entry=entry, food=food(), today=TODAY, save=saved.append)
    qtbot.addWidget(dialog)
    editor = dialog.amount_editor
    assert editor.unit_combo.currentText() == "1 oz (28.4 g)"
    assert editor.amount_spin.value() == 2
    editor.set_unit("g")  # the same weight in grams
    assert editor.amount_spin.value() == pytest.approx(56.7)
    editor.amount_spin.setValue(40)
    dialog.meal_combo.setCurrentIndex(dialog.meal_combo.findData("dinner"))
    dialog.accept()
    (new,) = saved
    assert (new.id, new.grams, new.meal) == (entry.id, 40, "dinner")


# --- the amount editor -----------------------------------------------------------------------


def test_amount_editor_offers_portions_g_oz_and_ml_only_with_a_density(qtbot: QtBot) -> None:
    editor = AmountEditor()
    qtbot.addWidget(editor)
    assert not editor.amount_spin.isEnabled()
    editor.set_food(food())
    units = [editor.unit_combo.itemText(i) for i in range(editor.unit_combo.count())]
    assert units == ["1 cup (129 g)", "1 oz (28.4 g)", "g", "oz"]
    assert editor.grams() == 129
    assert editor.preview() == "= 129 g: 764 mg Mg, ? mg Ca"

    editor.set_unit("oz")
    assert editor.amount_spin.value() == pytest.approx(4.55)
    editor.amount_spin.setValue(1)
    assert editor.grams() == pytest.approx(28.349523125)

    editor.set_food(food(density=0.5))
    assert editor.set_unit("ml")
    assert editor.amount_spin.value() == 258  # 1 cup = 129 g = 258 ml
    editor.amount_spin.setValue(100)
    assert editor.grams() == pytest.approx(50)

    editor.set_food(food(portions=()))
    assert editor.unit() == "g"
    assert editor.amount_spin.value() == 100

    editor.amount_spin.setValue(0)
    with pytest.raises(ValidationError):
        editor.grams()
    assert editor.preview() == ""
