"""The nutrition records' validators (domain.records): every field's range and type, and that any
bad value raises ValidationError naming the field, never another exception."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crampdiary.domain import records as rec
from crampdiary.domain.errors import ValidationError

TODAY = date(2026, 11, 25)

ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.dates()
    | st.datetimes(),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner),
    max_leaves=6,
)


def entry(**changes: Any) -> rec.FoodEntry:
    base = rec.FoodEntry(date=date(2026, 11, 24), food="usda:12014", grams=100, meal="snack")
    return replace(base, **changes)


def custom(**changes: Any) -> rec.CustomFood:
    base = rec.CustomFood(
        name="Lentil soup",
        magnesium_mg=24,
        potassium_mg=220.5,
        portions=(("1 bowl", 300),),
        density_g_per_ml=1.04,
    )
    return replace(base, **changes)


def product(**changes: Any) -> rec.SupplementProduct:
    base = rec.SupplementProduct(
        name="Magnesium citrate 150 mg",
        nutrient="magnesium",
        amount_per_unit=150,
        unit="mg",
        units_per_dose=2,
    )
    return replace(base, **changes)


def intake(**changes: Any) -> rec.SupplementIntake:
    base = rec.SupplementIntake(
        date=date(2026, 11, 24), nutrient="vitamin_d", amount=1000, unit="IU", product="D3"
    )
    return replace(base, **changes)


def drink(**changes: Any) -> rec.Drink:
    return replace(rec.Drink(date=date(2026, 11, 24), ml=250, kind="water"), **changes)


def favourite(**changes: Any) -> rec.FavouriteFood:
    return replace(rec.FavouriteFood(food="usda:09040", grams=101), **changes)


# --- food entries ------------------------------------------------------------------------------


def test_a_food_entry_is_normalised() -> None:
    checked = rec.validate_food_entry(entry(grams=100), today=TODAY)
    assert checked.grams == 100.0 and isinstance(checked.grams, float)
    assert rec.validate_food_entry(checked, today=TODAY) == checked


@pytest.mark.parametrize(
    "key",
    ["usda:01077", "usda:99999", "custom:Lentil soup", "custom:x", "custom:" + "é" * 120],
)
def test_good_food_keys(key: str) -> None:
    assert rec.validate_food_key(key) == key


@pytest.mark.parametrize(
    "key",
    [
        "usda:1077",
        "usda:010770",
        "usda:0107a",
        "USDA:01077",
        "01077",
        "custom:",
        "custom: soup",
        "custom:soup ",
        "custom:" + "x" * 121,
        "custom:a\x00b",
        "other:x",
        "",
        None,
        1077,
        ["usda:01077"],
    ],
)
def test_bad_food_keys(key: Any) -> None:
    with pytest.raises(ValidationError) as info:
        rec.validate_food_entry(entry(food=key), today=TODAY)
    assert info.value.field == "food"
    assert 'must be "usda:" and a 5-digit NDB number' in str(info.value)


@pytest.mark.parametrize(
    ("changes", "fld", "message"),
    [
        ({"grams": 0}, "grams", "must be more than 0 and at most 5000 (got 0)"),
        ({"grams": -1.5}, "grams", "must be more than 0 and at most 5000 (got -1.5)"),
        ({"grams": 5000.01}, "grams", "must be more than 0 and at most 5000 (got 5000.01)"),
        ({"grams": 10**400}, "grams", "must be more than 0 and at most 5000"),
        ({"grams": float("nan")}, "grams", "must be a number more than 0 and at most 5000"),
        ({"grams": "100"}, "grams", "must be a number"),
        ({"grams": True}, "grams", "must be a number"),
        ({"meal": "brunch"}, "meal", "must be one of breakfast, lunch, dinner, snack"),
        ({"meal": None}, "meal", "must be one of"),
        ({"date": TODAY + timedelta(days=1)}, "date", "must not be in the future"),
        ({"date": date(1899, 12, 31)}, "date", "must be on or after 1900-01-01"),
        ({"date": datetime(2026, 1, 1)}, "date", "must be a date"),
        ({"id": ""}, "id", "must be text of 1 to 64 printable characters"),
    ],
)
def test_food_entry_errors(changes: dict[str, Any], fld: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        rec.validate_food_entry(entry(**changes), today=TODAY)
    assert info.value.field == fld
    assert message in str(info.value)


@pytest.mark.parametrize("grams", [0.1, 1, 5000, 4999.9])
def test_food_entry_grams_limits(grams: float) -> None:
    assert rec.validate_food_entry(entry(grams=grams), today=TODAY).grams == grams


# --- custom foods ------------------------------------------------------------------------------


def test_a_custom_food_is_normalised() -> None:
    checked = rec.validate_custom_food(custom(name="  Lentil soup ", portions=[[" 1 bowl ", 300]]))
    assert checked.name == "Lentil soup" and checked.key == "custom:Lentil soup"
    assert checked.portions == (("1 bowl", 300.0),)
    assert checked.magnesium_mg == 24.0 and checked.calcium_mg is None
    assert rec.validate_custom_food(checked) == checked


@pytest.mark.parametrize(
    ("changes", "fld", "message"),
    [
        ({"name": " "}, "name", "must not be empty"),
        ({"name": "x" * 121}, "name", "must be at most 120 characters"),
        ({"name": None}, "name", "must be text"),
        ({"magnesium_mg": -1}, "magnesium_mg", "must be from 0 to 100000 (got -1)"),
        ({"calcium_mg": 100001}, "calcium_mg", "must be from 0 to 100000"),
        ({"vitamin_d_ug": "1"}, "vitamin_d_ug", "must be a number"),
        ({"potassium_mg": float("inf")}, "potassium_mg", "must be a number"),
        ({"sodium_mg": True}, "sodium_mg", "must be a number"),
        ({"water_g": 100.5}, "water_g", "must be from 0 to 100 (got 100.5)"),
        ({"kcal": 1001}, "kcal", "must be from 0 to 1000"),
        ({"density_g_per_ml": 0}, "density_g_per_ml", "must be more than 0 and at most 5"),
        ({"density_g_per_ml": 6}, "density_g_per_ml", "must be more than 0 and at most 5"),
        ({"portions": "1 cup"}, "portions", "must be a list of (description, grams) pairs"),
        ({"portions": [("1 cup",)]}, "portions", "each portion must be a (description, grams)"),
        ({"portions": [("", 10)]}, "portions", "must not be empty"),
        ({"portions": [("1 cup", 0)]}, "portions", "must be more than 0 and at most 5000"),
        ({"portions": [("x" * 81, 10)]}, "portions", "must be at most 80 characters"),
        ({"portions": [("1 cup", 10), ("1 cup ", 12)]}, "portions", '"1 cup" is listed twice'),
        ({"portions": [(f"{i} g", 1) for i in range(31)]}, "portions", "must be at most 30"),
    ],
)
def test_custom_food_errors(changes: dict[str, Any], fld: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        rec.validate_custom_food(custom(**changes))
    assert info.value.field == fld
    assert message in str(info.value)


def test_unknown_values_stay_unknown() -> None:
    checked = rec.validate_custom_food(rec.CustomFood(name="Mystery"))
    assert all(getattr(checked, f) is None for f in rec.CUSTOM_FOOD_VALUES.values())
    assert checked.kcal is None and checked.portions == () and checked.density_g_per_ml is None


# --- supplements -------------------------------------------------------------------------------


def test_a_product_is_normalised_and_gives_its_dose() -> None:
    checked = rec.validate_supplement_product(product(name=" Mg citrate "))
    assert checked.name == "Mg citrate"
    assert checked.amount_per_unit == 150.0 and checked.units_per_dose == 2.0
    assert checked.dose_amount == 300.0


@pytest.mark.parametrize(
    ("changes", "fld", "message"),
    [
        ({"name": ""}, "name", "must not be empty"),
        ({"nutrient": "iron"}, "nutrient", "must be one of magnesium, calcium, vitamin_d"),
        ({"nutrient": "water"}, "nutrient", "must be one of"),
        ({"amount_per_unit": 0}, "amount_per_unit", "must be more than 0 and at most 100000"),
        ({"unit": "g"}, "unit", "must be one of mg, ug, IU"),
        ({"unit": "IU"}, "unit", "IU is allowed only for vitamin_d"),
        ({"units_per_dose": 0}, "units_per_dose", "must be more than 0 and at most 100"),
        ({"units_per_dose": 101}, "units_per_dose", "must be more than 0 and at most 100"),
    ],
)
def test_product_errors(changes: dict[str, Any], fld: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        rec.validate_supplement_product(product(**changes))
    assert info.value.field == fld
    assert message in str(info.value)


def test_vitamin_d_in_iu_is_allowed() -> None:
    checked = rec.validate_supplement_product(
        product(nutrient="vitamin_d", unit="IU", amount_per_unit=1000)
    )
    assert checked.unit == "IU"


@pytest.mark.parametrize(
    ("changes", "fld", "message"),
    [
        ({"amount": 0}, "amount", "must be more than 0 and at most 1000000"),
        ({"nutrient": "magnesium", "unit": "IU"}, "unit", "IU is allowed only for vitamin_d"),
        ({"unit": "mg", "amount": 1001}, "amount", "must be more than 0 and at most 1000 "),
        ({"product": "x" * 121}, "product", "must be at most 120 characters"),
        ({"product": None}, "product", "must be text"),
        ({"date": TODAY + timedelta(days=1)}, "date", "must not be in the future"),
        ({"nutrient": None}, "nutrient", "must be one of"),
    ],
)
def test_intake_errors(changes: dict[str, Any], fld: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        rec.validate_supplement_intake(intake(**changes), today=TODAY)
    assert info.value.field == fld
    assert message in str(info.value)


def test_an_intake_may_name_no_product() -> None:
    checked = rec.validate_supplement_intake(intake(product="  "), today=TODAY)
    assert checked.product == "" and checked.amount == 1000.0


# --- drinks and favourites ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fld", "message"),
    [
        ({"ml": 0}, "ml", "must be from 1 to 5000 (got 0)"),
        ({"ml": 5001}, "ml", "must be from 1 to 5000"),
        ({"ml": 250.0}, "ml", "must be a whole number of millilitres from 1 to 5000"),
        ({"kind": "soda"}, "kind", "must be one of water, tea, coffee, milk, juice, alcohol"),
        ({"date": TODAY + timedelta(days=1)}, "date", "must not be in the future"),
    ],
)
def test_drink_errors(changes: dict[str, Any], fld: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        rec.validate_drink(drink(**changes), today=TODAY)
    assert info.value.field == fld
    assert message in str(info.value)


def test_a_drink_today_is_fine() -> None:
    assert rec.validate_drink(drink(date=TODAY, ml=1), today=TODAY).ml == 1


@pytest.mark.parametrize(
    ("changes", "fld"), [({"food": "banana"}, "food"), ({"grams": 0}, "grams")]
)
def test_favourite_errors(changes: dict[str, Any], fld: str) -> None:
    with pytest.raises(ValidationError) as info:
        rec.validate_favourite_food(favourite(**changes))
    assert info.value.field == fld


# --- anything at all ---------------------------------------------------------------------------

VALIDATORS = {
    "food_entry": (entry, lambda r: rec.validate_food_entry(r, today=TODAY)),
    "custom_food": (custom, rec.validate_custom_food),
    "favourite": (favourite, rec.validate_favourite_food),
    "product": (product, rec.validate_supplement_product),
    "intake": (intake, lambda r: rec.validate_supplement_intake(r, today=TODAY)),
    "drink": (drink, lambda r: rec.validate_drink(r, today=TODAY)),
}
FIELDS = {
    "food_entry": ["date", "food", "grams", "meal", "id"],
    "custom_food": ["name", *rec.CUSTOM_FOOD_VALUES.values(), "kcal", "portions"],
    "favourite": ["food", "grams"],
    "product": ["name", "nutrient", "amount_per_unit", "unit", "units_per_dose"],
    "intake": ["date", "nutrient", "amount", "unit", "product"],
    "drink": ["date", "ml", "kind"],
}


@given(
    kind_field=st.sampled_from([(k, f) for k, fields in FIELDS.items() for f in fields]),
    value=ANY_VALUE,
)
def test_any_value_is_kept_or_refused_with_validation_error(
    kind_field: tuple[str, str], value: Any
) -> None:
    kind, fld = kind_field
    make, validate = VALIDATORS[kind]
    try:
        checked = validate(make(**{fld: value}))
    except ValidationError as exc:
        assert exc.field == fld
    else:
        assert validate(checked) == checked
