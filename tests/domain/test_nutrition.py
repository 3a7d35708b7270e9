"""domain/nutrition: food arithmetic on the shipped USDA table, supplements, daily totals."""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampdiary.domain import nutrition as nu
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.records import Medication, Profile

DAY = date(2026, 11, 20)
COLUMN = {
    "magnesium": "magnesium_mg",
    "calcium": "calcium_mg",
    "vitamin_d": "vitamin_d_ug",
    "potassium": "potassium_mg",
    "sodium": "sodium_mg",
    "water": "water_g",
}


def _csv(name: str) -> list[dict[str, str]]:
    text = resources.files("crampdiary.resources").joinpath(f"food/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@cache
def food_rows() -> dict[str, dict[str, str]]:
    return {r["source_id"]: r for r in _csv("foods.csv")}


@cache
def portion_rows() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for r in _csv("food_portions.csv"):
        out.setdefault(r["source_id"], []).append(r)
    return out


@cache
def food(ndb: str) -> nu.Food:
    return nu.food_from_row(food_rows()[ndb], portion_rows().get(ndb, []))


@cache
def dri() -> nu.DriTable:
    return nu.load_dri(_csv("dri.csv"))


def expected_per_100g(row: Mapping[str, str], nutrient: str) -> float | None:
    """The table's value, read here independently of the code under test."""
    cell = row[COLUMN[nutrient]]
    if cell == "":
        if nutrient == "vitamin_d" and row["vitamin_d_iu"] != "":
            return float(row["vitamin_d_iu"]) / 40
        return None
    return float(cell)


def plain_food(**values: float | None) -> nu.Food:
    per = {n: values.get(n) for n in nu.NUTRIENTS}
    return nu.Food("custom:test", "Test", "", per, None, (), None)


# --- foods ---------------------------------------------------------------------------------


def test_100_g_of_pumpkin_seeds_give_592_mg_magnesium() -> None:
    seeds = food("12014")
    assert seeds.name == "Seeds, pumpkin and squash seed kernels, dried"
    assert nu.nutrients_for(seeds, 100)["magnesium"] == 592
    assert nu.nutrients_for(seeds, nu.grams_for(seeds, 100, "g"))["magnesium"] == 592


def test_every_household_portion_gives_grams_times_value_over_100() -> None:
    """All 15,438 portions of all 8,492 foods that have one, every nutrient, exact."""
    wrong: list[str] = []
    checked = 0
    for ndb, portions in portion_rows().items():
        f = food(ndb)
        row = food_rows()[ndb]
        for p in portions:
            first = next(q for q in portions if q["description"] == p["description"])
            assert nu.grams_for(f, 1, p["description"]) == float(first["grams"])
            grams = float(p["grams"])
            got = nu.nutrients_for(f, grams)
            for n in nu.NUTRIENTS:
                per = expected_per_100g(row, n)
                want = None if per is None else per * float(p["grams"]) / 100
                if got[n] != want:
                    wrong.append(f"{ndb} {p['description']!r} {n}: {got[n]} != {want}")
            checked += 1
    assert checked == 15438
    assert not wrong, wrong[:10]


def test_a_description_listed_twice_means_the_first() -> None:
    """SR28 quirk: 15 foods list one description at two weights."""
    baby = food("01048")
    jars = [p for p in baby.portions if p.description == "1 jar (5 oz)"]
    assert [p.grams for p in jars] == [128, 142]
    assert nu.grams_for(baby, 1, "1 jar (5 oz)") == 128


def test_two_and_a_half_portions_scale() -> None:
    seeds = food("12014")
    grams = nu.grams_for(seeds, 2.5, "1 cup")
    assert grams == 2.5 * 129
    assert nu.nutrients_for(seeds, grams)["magnesium"] == 592 * grams / 100


@settings(max_examples=300, deadline=None)
@given(
    index=st.integers(min_value=0, max_value=8789),
    grams=st.floats(min_value=0, max_value=nu.MAX_GRAMS, allow_nan=False),
)
def test_any_food_any_grams(index: int, grams: float) -> None:
    ndb = list(food_rows())[index]
    got = nu.nutrients_for(food(ndb), grams)
    for n in nu.NUTRIENTS:
        per = expected_per_100g(food_rows()[ndb], n)
        assert got[n] == (None if per is None else per * grams / 100)


def test_unknown_stays_unknown_and_zero_stays_zero() -> None:
    rows = food_rows()
    unknown_mg = next(ndb for ndb, r in rows.items() if r["magnesium_mg"] == "")
    assert nu.nutrients_for(food(unknown_mg), 250)["magnesium"] is None
    zero_d = next(ndb for ndb, r in rows.items() if r["vitamin_d_ug"] == "0.0")
    assert nu.nutrients_for(food(zero_d), 250)["vitamin_d"] == 0.0


def test_vitamin_d_from_iu_when_the_ug_cell_is_empty() -> None:
    rows = food_rows()
    only_iu = [ndb for ndb, r in rows.items() if r["vitamin_d_ug"] == "" and r["vitamin_d_iu"]]
    assert len(only_iu) == 51
    for ndb in only_iu:
        assert food(ndb).per_100g["vitamin_d"] == float(rows[ndb]["vitamin_d_iu"]) / 40


def test_food_fields_and_keys() -> None:
    cheddar = food("01009")
    assert cheddar.key == "usda:01009"
    assert cheddar.group == "Dairy and Egg Products"
    assert cheddar.kcal == 404
    assert cheddar.per_100g["calcium"] == 710
    assert not cheddar.is_custom
    assert cheddar.portions[0] == nu.Portion("1 cup, diced", 132)
    assert hash(cheddar) == hash(food("01009"))
    odd = food("33879")  # in ABBREV but not FOOD_DES: no group
    assert odd.group == ""


def test_grams_for_units() -> None:
    milk = food("01077")
    assert nu.grams_for(milk, 2, "oz") == 2 * nu.GRAMS_PER_OZ
    assert milk.density_g_per_ml == 244 / nu.ML_PER_CUP
    assert nu.grams_for(milk, 250, "ml") == pytest.approx(250 * 244 / nu.ML_PER_CUP)
    assert nu.grams_for(milk, 1, "1 fl oz") == 30.5
    assert nu.grams_for(milk, 1, "  1 FL  OZ ") == 30.5  # case and spaces of a portion
    assert nu.grams_for(milk, 0.5, "1 quart") == 488


@pytest.mark.parametrize(
    ("amount", "unit", "field"),
    [
        (0, "g", "amount"),
        (-1, "g", "amount"),
        (math.nan, "g", "amount"),
        (math.inf, "g", "amount"),
        (True, "g", "amount"),
        ("1", "g", "amount"),
        (10_001, "g", "amount"),
        (1, "kg", "unit"),
        (1, "2 cups", "unit"),
        (100, "1 cup", "amount"),  # 100 cups of seeds is 12.9 kg
    ],
)
def test_grams_for_refuses(amount: object, unit: str, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        nu.grams_for(food("12014"), amount, unit)  # type: ignore[arg-type]
    assert err.value.field == field


def test_ml_needs_a_density() -> None:
    seeds_without_volume = food("12014")
    assert seeds_without_volume.density_g_per_ml == 129 / nu.ML_PER_CUP
    butter_pat = nu.Food(
        "custom:x", "x", "", dict.fromkeys(nu.NUTRIENTS), None, (nu.Portion("1 pat", 5),), None
    )
    with pytest.raises(ValidationError) as err:
        nu.grams_for(butter_pat, 10, "ml")
    assert err.value.field == "unit"
    assert "ml" in str(err.value)


@pytest.mark.parametrize(
    ("text", "ml"),
    [
        ("1 cup, chopped", nu.ML_PER_CUP),
        (".5 cup", nu.ML_PER_CUP / 2),
        ("1 fl oz", nu.ML_PER_FL_OZ),
        ("2 tbsp", 2 * nu.ML_PER_TBSP),
        ("1 Tbsp", nu.ML_PER_TBSP),
        ("1 tablespoon (1 NLEA serving)", nu.ML_PER_TBSP),
        ("3 tsp, ground", 3 * nu.ML_PER_TSP),
        ("1 1/2 cups", 1.5 * nu.ML_PER_CUP),
        ("1/4 cup", nu.ML_PER_CUP / 4),
        ("1 cup (8 fl oz)", nu.ML_PER_CUP),
        ("100 ml", 100.0),
        ("1 liter", 1000.0),
        ("1.5 l", 1500.0),
        ("1 oz", None),
        ("1 lb", None),
        ("1 large", None),
        ("1 cubic inch", None),
        ("cup", None),
        ("0 cup", None),
        ("1/0 cup", None),
    ],
)
def test_portion_volume(text: str, ml: float | None) -> None:
    got = nu.portion_volume_ml(text)
    assert got == pytest.approx(ml) if ml is not None else got is None


def test_density_from_the_csv_columns_matches_the_descriptions() -> None:
    """food_from_row reads amount/measure; custom foods parse the text: same densities."""
    with_density = 0
    for ndb in food_rows():
        f = food(ndb)
        assert f.density_g_per_ml == nu.density_from_portions(f.portions), ndb
        with_density += f.density_g_per_ml is not None
    assert with_density == 3535


def test_first_volume_portion_gives_the_density() -> None:
    portions = (nu.Portion("1 slice", 30), nu.Portion("1 cup", 120), nu.Portion("1 tbsp", 99))
    assert nu.density_from_portions(portions) == 120 / nu.ML_PER_CUP


def test_drink_foods_exist_with_a_density() -> None:
    for kind, key in nu.DRINK_FOODS.items():
        f = food(key.removeprefix("usda:"))
        assert f.density_g_per_ml is not None
        assert abs(f.density_g_per_ml - nu.DRINK_DENSITY[kind]) < 0.02
    assert food("01077").name == "Milk, whole, 3.25% milkfat, with added vitamin D"
    assert food("09206").name == "Orange juice, raw"


def test_make_custom_food() -> None:
    f = nu.make_custom_food(
        "  Grandma's soup ",
        {"magnesium": 20, "calcium": 15.5},
        [nu.Portion(" 1 bowl ", 300), nu.Portion("1 cup", 250)],
        kcal=60,
    )
    assert f.key == "custom:Grandma's soup"
    assert f.is_custom
    assert f.per_100g == {
        "magnesium": 20.0,
        "calcium": 15.5,
        "vitamin_d": None,
        "potassium": None,
        "sodium": None,
        "water": None,
    }
    assert f.portions == (nu.Portion("1 bowl", 300), nu.Portion("1 cup", 250))
    assert f.density_g_per_ml == 250 / nu.ML_PER_CUP
    assert nu.grams_for(f, 2, "1 bowl") == 600


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("", {}), "name"),
        (("x" * 121, {}), "name"),
        (("Soup", {"iron": 1}), "per_100g"),
        (("Soup", {"magnesium": -1}), "magnesium"),
        (("Soup", {"water": 101}), "water"),
        (("Soup", {"calcium": math.nan}), "calcium"),
        (("Soup", {}, [nu.Portion("", 10)]), "portions"),
        (("Soup", {}, [nu.Portion("1 bowl", 0)]), "portions"),
    ],
)
def test_make_custom_food_refuses(args: tuple[object, ...], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        nu.make_custom_food(*args)  # type: ignore[arg-type]
    assert err.value.field == field


def test_food_needs_every_nutrient_key() -> None:
    with pytest.raises(ValidationError):
        nu.Food("custom:x", "x", "", {"magnesium": 1.0}, None, (), None)


def test_nutrients_for_refuses_bad_grams() -> None:
    with pytest.raises(ValidationError) as err:
        nu.nutrients_for(food("12014"), -5)
    assert err.value.field == "grams"


# --- supplements ---------------------------------------------------------------------------

# (molar mass as given in the brief, elemental fraction to 3 places)
COMPOUND_FIGURES = {
    "magnesium oxide": (40.30, 0.603),
    "magnesium citrate": (451.1, 0.162),
    "magnesium glycinate": (172.4, 0.141),
    "magnesium chloride": (203.3, 0.120),  # the hexahydrate
    "magnesium lactate": (202.4, 0.120),
    "calcium carbonate": (100.09, 0.400),
    "calcium citrate": (570.5, 0.211),
}


@pytest.mark.parametrize("compound", sorted(COMPOUND_FIGURES))
def test_elemental_fractions(compound: str) -> None:
    molar_mass, fraction = COMPOUND_FIGURES[compound]
    c = nu.COMPOUNDS[compound]
    assert c.molar_mass == pytest.approx(molar_mass, abs=0.05)
    nutrient, factor = nu.ELEMENTAL_FRACTION[compound]
    assert nutrient == c.nutrient == compound.split()[0]
    assert factor == pytest.approx(fraction, abs=0.0006)
    element = 24.305 if nutrient == "magnesium" else 40.078
    atoms = c.atoms["Mg" if nutrient == "magnesium" else "Ca"]
    assert factor == pytest.approx(element * atoms / molar_mass, rel=5e-4)
    assert nu.elemental_amount(compound, 1000) == pytest.approx(1000 * factor)


def test_elemental_table_is_complete() -> None:
    assert set(nu.ELEMENTAL_FRACTION) == set(COMPOUND_FIGURES)
    assert nu.elemental_amount("magnesium oxide", 500) == pytest.approx(301.5, abs=0.1)
    # The anhydrous chloride (95.21 g/mol) would give 0.255: the hexahydrate is chosen.
    assert nu.COMPOUNDS["magnesium chloride"].formula == "MgCl2·6H2O"


@pytest.mark.parametrize(
    ("compound", "mg", "field"),
    [("magnesium sulfate", 100, "compound"), ("magnesium oxide", -1, "compound_mg")],
)
def test_elemental_amount_refuses(compound: str, mg: float, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        nu.elemental_amount(compound, mg)
    assert err.value.field == field


@pytest.mark.parametrize(
    "name",
    [
        "Lisinopril 10 mg",
        "RAMIPRIL",
        "perindopril arginine",
        "Losartan",
        "valsartan/hydrochlorothiazide",
        "Spironolactone",
        "eplerenone",
        "Amiloride",
        "triamterene",
        "Ibuprofen 400",
        "Naproxène",
        "diclofenac gel",
        "Celecoxib",
        "etoricoxib",
        "Entresto",
    ],
)
def test_potassium_raising_names(name: str) -> None:
    assert nu.raises_potassium(name)


@pytest.mark.parametrize(
    "name", ["Metformin", "Paracetamol", "Aspirin 75 mg", "Furosemide", "Magnesium citrate"]
)
def test_not_potassium_raising(name: str) -> None:
    assert not nu.raises_potassium(name)


@pytest.mark.parametrize(
    "name",
    [
        "Prilosec",  # omeprazole
        "Prilosec OTC 20 mg",
        "prilocaine",  # a local anaesthetic
        "EMLA (lidocaine/prilocaine)",
        "Citanest (Prilocaine)",
        "April's vitamins",
        "Sartans list",  # a word that only starts like the ending
    ],
)
def test_pril_and_sartan_match_only_at_the_end_of_a_word(name: str) -> None:
    assert not nu.raises_potassium(name)


@pytest.mark.parametrize(
    "name",
    [
        "lisinopril",
        "ramipril",
        "losartan",
        "Enalapril maleate 10mg",
        "lisinopril10mg",
        "Lisinopril-HCTZ",
        "candesartan/hydrochlorothiazide",
        "Irbésartan",
    ],
)
def test_ace_inhibitors_and_sartans_still_raise_potassium(name: str) -> None:
    assert nu.raises_potassium(name)


# --- the day's totals ----------------------------------------------------------------------

ADULT_MAN = Profile(birth_year=1980, sex="male")  # 46 on DAY: "31-50"


def intake(
    *,
    foods: list[tuple[nu.Food, float]] | None = None,
    supplements: list[tuple[str, float]] | None = None,
    drinks: list[tuple[str, float, nu.Food | None]] | None = None,
    profile: Profile = ADULT_MAN,
    medications: list[Medication] | None = None,
    day: date = DAY,
) -> nu.DailyIntake:
    return nu.daily_intake(
        day,
        foods=foods or [],
        supplements=supplements or [],
        drinks=drinks or [],
        profile=profile,
        medications=medications or [],
        dri=dri(),
    )


def test_daily_totals_food_and_supplements_apart() -> None:
    seeds, cheddar = food("12014"), food("01009")
    day = intake(
        foods=[(seeds, 30), (cheddar, 40)],
        supplements=[("magnesium", 200), ("vitamin_d", 25), ("calcium", 500)],
    )
    mg = day.totals["magnesium"]
    assert mg.food == pytest.approx(592 * 0.3 + 27 * 0.4)
    assert mg.supplements == 200
    assert mg.total == pytest.approx(mg.food + 200)
    assert mg.unit == "mg"
    assert mg.reference is not None and mg.reference.value == 420
    assert mg.percent_of_reference == pytest.approx(mg.total / 420 * 100)
    assert mg.warnings == ()
    assert day.totals["vitamin_d"].unit == "ug"
    assert day.totals["vitamin_d"].total == pytest.approx(0.6 * 0.4 + 25)
    assert day.food_entries == 2
    assert day.supplement_entries == 3
    assert list(day.totals) == list(nu.NUTRIENTS)


def test_unknown_values_are_counted_not_zeroed() -> None:
    known = plain_food(magnesium=100, calcium=None, water=None)
    day = intake(foods=[(known, 100), (known, 50)])
    assert day.totals["magnesium"].foods_without_data == 0
    assert day.totals["calcium"].foods_without_data == 2
    assert day.totals["calcium"].food == 0
    assert day.totals["water"].foods_without_data == 2


def test_drinks_count_as_water_and_milk_adds_its_nutrients() -> None:
    milk, juice, spinach = food("01077"), food("09206"), food("11457")
    day = intake(
        foods=[(spinach, 100)],
        drinks=[
            ("water", 500, None),
            ("milk", 250, milk),
            ("juice", 200, juice),
            ("tea", 300, None),
        ],
    )
    assert day.drinks_ml == 1250
    assert day.drink_entries == 4
    water = day.totals["water"]
    assert water.supplements == 1250  # drinks, whole volume
    assert water.food == pytest.approx(91.40)  # spinach only: milk water is not counted twice
    assert water.total == pytest.approx(1250 + 91.40)
    milk_g = 250 * milk.density_g_per_ml  # type: ignore[operator]
    juice_g = 200 * juice.density_g_per_ml  # type: ignore[operator]
    ca = day.totals["calcium"]
    assert ca.food == pytest.approx(99 + 113 * milk_g / 100 + 11 * juice_g / 100)
    assert ca.supplements == 0
    assert day.food_entries == 1


def test_drink_without_density_uses_the_default() -> None:
    no_portions = nu.Food("usda:x", "milk", "", food("01077").per_100g, None, (), None)
    day = intake(drinks=[("milk", 100, no_portions)])
    assert day.totals["calcium"].food == pytest.approx(113 * 103 / 100)


def test_water_reference_is_total_water_in_ml() -> None:
    water = intake(drinks=[("water", 2000, None)]).totals["water"]
    assert water.reference is not None
    assert water.reference.value == 3700
    assert water.percent_of_reference == pytest.approx(2000 / 3700 * 100)


def test_kidney_disease_hides_the_potassium_reference() -> None:
    day = intake(profile=Profile(birth_year=1980, sex="male", conditions=("kidney_disease",)))
    k = day.totals["potassium"]
    assert k.reference is None
    assert k.reference_note is not None and "kidney disease" in k.reference_note
    assert "clinician" in k.reference_note
    assert day.totals["magnesium"].reference is not None
    assert day.kidney_disease and not intake().kidney_disease


def test_a_potassium_raising_medicine_active_that_day_hides_the_reference() -> None:
    meds = [
        Medication("Ramipril 5 mg", started_on=date(2026, 1, 1)),
        Medication("Ibuprofen", started_on=date(2026, 1, 1), stopped_on=date(2026, 2, 1)),
        Medication("Metformin"),
    ]
    k = intake(medications=meds).totals["potassium"]
    assert k.reference is None
    assert k.reference_note is not None and "Ramipril 5 mg" in k.reference_note
    assert "Ibuprofen" not in k.reference_note  # stopped before the day
    before = intake(medications=meds, day=date(2025, 12, 31)).totals["potassium"]
    assert before.reference is not None and before.reference.value == 3400


def test_fluid_restriction_hides_the_water_reference_only() -> None:
    day = intake(profile=Profile(birth_year=1980, sex="female", conditions=("fluid_restriction",)))
    assert day.totals["water"].reference is None
    note = day.totals["water"].reference_note
    assert note is not None and "limit fluids" in note
    assert day.totals["potassium"].reference is not None


def test_unknown_profile_has_no_reference_but_still_warns_at_the_lowest_limit() -> None:
    day = intake(profile=Profile(), supplements=[("magnesium", 351), ("calcium", 2001)])
    mg = day.totals["magnesium"]
    assert mg.reference is None
    assert mg.reference_note is not None and "birth year" in mg.reference_note
    assert mg.percent_of_reference is None
    assert len(mg.warnings) == 1 and "350 mg" in mg.warnings[0]
    assert "no birth year" in mg.warnings[0]
    assert len(day.totals["calcium"].warnings) == 1  # 2,000 mg: the lowest from 9 years
    assert "2,000 mg" in day.totals["calcium"].warnings[0]


def test_unknown_sex_from_nine_years() -> None:
    day = intake(profile=Profile(birth_year=1980))
    assert day.totals["magnesium"].reference is None
    assert "sex" in (day.totals["magnesium"].reference_note or "")
    child = intake(profile=Profile(birth_year=2020))  # 6: no sex needed
    assert child.totals["magnesium"].reference is not None


def test_day_before_the_birth_year() -> None:
    day = intake(profile=Profile(birth_year=2027, sex="male"))
    assert all(t.reference is None for t in day.totals.values())
    assert "before the birth year" in (day.totals["calcium"].reference_note or "")


def test_warning_text_names_the_limit_and_its_source() -> None:
    day = intake(supplements=[("magnesium", 400), ("vitamin_d", 101), ("calcium", 2600)])
    assert day.totals["magnesium"].warnings == (
        "Magnesium from supplements is above the tolerable upper intake level of 350 mg a day "
        "for supplements (IOM 2000).",
    )
    (vit_d,) = day.totals["vitamin_d"].warnings
    assert "100 µg (4,000 IU)" in vit_d and "IOM 2011" in vit_d
    (ca,) = day.totals["calcium"].warnings
    assert "2,500 mg" in ca and "IOM 2011" in ca


def test_vitamin_d_limit_of_young_children_is_compared_in_iu() -> None:
    toddler = Profile(birth_year=DAY.year - 2)  # "1-3": UL 2,500 IU, written 63 µg in dri.csv
    over = intake(profile=toddler, supplements=[("vitamin_d", 2510 / nu.IU_PER_UG)])
    (warning,) = over.totals["vitamin_d"].warnings
    assert "62.5 µg (2,500 IU)" in warning
    at = intake(profile=toddler, supplements=[("vitamin_d", 2500 / nu.IU_PER_UG)])
    assert at.totals["vitamin_d"].warnings == ()
    infant = dri().get("vitamin_d", "7-12 mo", "any")  # 1,500 IU, written 38 µg
    assert nu.upper_limit_warnings("vitamin_d", 0, 1510 / nu.IU_PER_UG, infant)


def test_magnesium_from_food_never_warns() -> None:
    day = intake(foods=[(food("12014"), 1000)], supplements=[("magnesium", 350)])
    assert day.totals["magnesium"].total > 6000
    assert day.totals["magnesium"].warnings == ()


def test_no_deficiency_wording_anywhere() -> None:
    profiles = [
        Profile(),
        Profile(birth_year=1980),
        Profile(birth_year=1950, sex="female", conditions=("kidney_disease", "fluid_restriction")),
    ]
    for profile in profiles:
        day = intake(profile=profile, supplements=[("magnesium", 999), ("vitamin_d", 999)])
        for t in day.totals.values():
            text = " ".join([t.reference_note or "", *t.warnings]).lower()
            assert "deficien" not in text and "normal" not in text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"supplements": [("water", 100)]}, "supplements"),
        ({"supplements": [("iron", 100)]}, "supplements"),
        ({"supplements": [("magnesium", -1)]}, "supplements"),
        ({"drinks": [("soda", 100, None)]}, "kind"),
        ({"drinks": [("water", -5, None)]}, "ml"),
        ({"drinks": [("water", math.inf, None)]}, "ml"),
    ],
)
def test_daily_intake_refuses(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        intake(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_bad_grams_in_a_day() -> None:
    with pytest.raises(ValidationError) as err:
        intake(foods=[(food("12014"), 10_001)])
    assert err.value.field == "grams"


# --- weekly averages -----------------------------------------------------------------------


def test_weekly_average_over_days_with_food_and_days_with_drinks() -> None:
    mg_food = plain_food(magnesium=100, water=50)
    days = [
        intake(day=date(2026, 11, 16), foods=[(mg_food, 100)], supplements=[("magnesium", 100)]),
        intake(day=date(2026, 11, 17), foods=[(mg_food, 300)], drinks=[("water", 1000, None)]),
        # supplements only, no food: not a food day; its drinks still count
        intake(
            day=date(2026, 11, 18), supplements=[("magnesium", 500)], drinks=[("tea", 500, None)]
        ),
        intake(day=date(2026, 11, 19)),  # nothing logged
    ]
    week = nu.weekly_average(days)
    assert (week.days, week.food_days, week.drink_days) == (4, 2, 2)
    assert (week.first_day, week.last_day) == (date(2026, 11, 16), date(2026, 11, 19))
    mg = week.totals["magnesium"]
    assert mg.food == 200  # (100 + 300) / 2
    assert mg.supplements == 50  # (100 + 0) / 2: the 500 mg day has no food
    assert mg.total == 250
    assert mg.reference is not None and mg.reference.value == 420
    water = week.totals["water"]
    assert water.food == 100  # (50 + 150) / 2
    assert water.supplements == 750  # (1000 + 500) / 2 drink days
    assert water.total == 850
    assert week.drinks_ml == 750
    # The 500 mg day is not a food day (not in the averages), but it was above the limit.
    assert week.days_above_upper_limit["magnesium"] == 1


def test_days_above_the_supplement_limit_count_without_food() -> None:
    days = [
        intake(day=date(2026, 11, 16), supplements=[("magnesium", 400)]),
        intake(
            day=date(2026, 11, 17), supplements=[("magnesium", 400)], drinks=[("tea", 200, None)]
        ),
        intake(day=date(2026, 11, 18), foods=[(plain_food(magnesium=10), 100)]),
    ]
    assert all(d.totals["magnesium"].warnings for d in days[:2])
    week = nu.weekly_average(days)
    assert week.food_days == 1
    assert week.days_above_upper_limit["magnesium"] == 2


def test_weekly_average_without_birth_year_warns_at_the_days_lowest_limit() -> None:
    f = plain_food(magnesium=10)
    days = [
        intake(
            day=date(2026, 11, 16),
            foods=[(f, 100)],
            supplements=[("magnesium", 400)],
            profile=Profile(),
        ),
        intake(
            day=date(2026, 11, 17),
            foods=[(f, 100)],
            supplements=[("magnesium", 400)],
            profile=Profile(),
        ),
    ]
    (daily,) = days[-1].totals["magnesium"].warnings
    week = nu.weekly_average(days)
    mg = week.totals["magnesium"]
    assert mg.reference is None
    (warning,) = mg.warnings
    assert warning.startswith("On average, magnesium from supplements is above")
    assert "350 mg" in warning and "no birth year" in warning and "no birth year" in daily
    assert week.days_above_upper_limit["magnesium"] == 2


def test_weekly_average_warns_on_average_and_counts_days_above() -> None:
    f = plain_food(magnesium=10)
    days = [
        intake(day=date(2026, 11, 16), foods=[(f, 100)], supplements=[("magnesium", 500)]),
        intake(day=date(2026, 11, 17), foods=[(f, 100)], supplements=[("magnesium", 300)]),
    ]
    week = nu.weekly_average(days)
    assert week.days_above_upper_limit["magnesium"] == 1
    (warning,) = week.totals["magnesium"].warnings
    assert warning.startswith("On average, magnesium from supplements is above")


def test_weekly_average_of_nothing() -> None:
    week = nu.weekly_average([])
    assert (week.days, week.food_days, week.drink_days) == (0, 0, 0)
    assert week.first_day is None
    assert all(t.total == 0 and t.reference is None for t in week.totals.values())


def test_random_days_average_is_the_mean_of_food_days() -> None:
    rng = random.Random(7)
    keys = list(food_rows())
    days = []
    for i in range(7):
        foods = [(food(rng.choice(keys)), rng.uniform(10, 300)) for _ in range(rng.randint(0, 4))]
        days.append(intake(day=date(2026, 11, 10 + i), foods=foods))
    week = nu.weekly_average(days)
    food_days = [d for d in days if d.food_entries]
    for n in nu.NUTRIENTS:
        want = sum(d.totals[n].food for d in food_days) / len(food_days)
        assert week.totals[n].food == pytest.approx(want)
