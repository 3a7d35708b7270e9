"""NutritionService on a real diary: food entries with Undo, custom foods kept in the search index,
supplements in one click, drinks, and the day's and week's totals against the reference values."""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from crampdiary.domain import nutrition
from crampdiary.domain import records as rec
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.nutrition import DriTable
from crampdiary.paths import AppPaths
from crampdiary.services import nutrition as nutrition_service
from crampdiary.services.diary import DiaryService
from crampdiary.services.nutrition import (
    BOTTLE_ML,
    GLASS_ML,
    MUG_ML,
    NutritionService,
    load_dri_table,
    load_reference_data,
    standard_amount,
)
from crampdiary.services.transfer import export_document
from crampdiary.storage import queries
from crampdiary.storage.database import open_database
from crampdiary.storage.foods import FoodIndex

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)
ROOT = Path(__file__).resolve().parents[2]
PUMPKIN_SEEDS = "usda:12014"  # Seeds, pumpkin and squash seed kernels, dried: 592 mg Mg / 100 g
BANANA = "usda:09040"
OATS = "usda:08120"
MILK = "usda:01077"
JUICE = "usda:09206"


@pytest.fixture(scope="module")
def reference() -> tuple[FoodIndex, DriTable]:
    return load_reference_data()


@pytest.fixture
def service(diary: DiaryService, reference: tuple[FoodIndex, DriTable]) -> NutritionService:
    # A new service puts the diary's custom foods into the shared index (none from other tests).
    return NutritionService(diary, *reference)


def eat(
    service: NutritionService, key: str, grams: float, *, day: date = YESTERDAY, meal: str = "lunch"
) -> rec.FoodEntry:
    return service.log_food(rec.FoodEntry(date=day, food=key, grams=grams, meal=meal), today=TODAY)


def per_100g(service: NutritionService, key: str) -> dict[str, float | None]:
    food = service.food(key)
    assert food is not None
    return dict(food.per_100g)


# --- food entries ------------------------------------------------------------------------------


def test_100_g_of_pumpkin_seeds_log_592_mg_of_magnesium(service: NutritionService) -> None:
    assert not service.has_records()
    entry = eat(service, PUMPKIN_SEEDS, 100)
    assert service.has_records()
    assert service.entries_for(YESTERDAY) == [entry]
    day = service.day_intake(YESTERDAY)
    magnesium = day.totals["magnesium"]
    assert magnesium.food == pytest.approx(592) and magnesium.total == pytest.approx(592)
    assert magnesium.supplements == 0 and magnesium.foods_without_data == 0
    assert day.food_entries == 1
    assert service.day_intake(TODAY).food_entries == 0


def test_household_portions_of_many_foods_total_grams_times_value(
    service: NutritionService,
) -> None:
    # Every 200th food of the shipped table that has household portions, each on its own day.
    text = resources.files("crampdiary.resources").joinpath("food/foods.csv").read_text("utf-8")
    keys = ["usda:" + row["source_id"] for row in csv.DictReader(io.StringIO(text))][::200]
    chosen = []
    for key in keys:
        food = service.food(key)
        if food is not None and food.portions and food.portions[0].grams <= 5000:
            chosen.append(food)
    assert len(chosen) > 35
    first = TODAY - timedelta(days=len(chosen))
    for i, food in enumerate(chosen):
        grams = nutrition.grams_for(food, 1, food.portions[0].description)
        eat(service, food.key, grams, day=first + timedelta(days=i))
    days = service.days_intake(first, first + timedelta(days=len(chosen) - 1))
    assert [d.food_entries for d in days] == [1] * len(chosen)
    for food, day in zip(chosen, days, strict=True):
        grams = food.portions[0].grams
        for name in nutrition.NUTRIENTS:
            value = food.per_100g[name]
            total = day.totals[name]
            if value is None:
                assert (total.food, total.foods_without_data) == (0, 1), (food.key, name)
            else:
                assert total.food == pytest.approx(grams * value / 100), (food.key, name)
                assert total.foods_without_data == 0


def test_unknown_values_make_totals_at_least(service: NutritionService) -> None:
    chocolate = "usda:19904"  # Chocolate, dark, 70-85%: vitamin D not in the table
    assert per_100g(service, chocolate)["vitamin_d"] is None
    eat(service, chocolate, 28.35)
    eat(service, MILK, 244)
    vitamin_d = service.day_intake(YESTERDAY).totals["vitamin_d"]
    assert vitamin_d.foods_without_data == 1
    assert vitamin_d.food == pytest.approx(1.3 * 2.44)


def test_edit_and_delete_return_what_undo_needs(service: NutritionService) -> None:
    entry = eat(service, BANANA, 101, meal="breakfast")
    new, previous = service.update_food_entry(
        rec.FoodEntry(date=YESTERDAY, food=OATS, grams=40.5, meal="breakfast", id=entry.id),
        today=TODAY,
    )
    assert previous == entry and new.food == OATS and new.grams == 40.5
    assert service.entries_for(YESTERDAY) == [new]
    # Undo of the edit.
    service.update_food_entry(previous, today=TODAY)
    assert service.entries_for(YESTERDAY) == [entry]
    removed = service.delete_food_entry(entry.id)
    assert removed == entry and service.entries_for(YESTERDAY) == []
    # Undo of the delete: the same entry, same id.
    service.log_food(removed, today=TODAY)
    assert service.entries_for(YESTERDAY) == [entry]
    with pytest.raises(ValidationError, match="id: a food entry with this id already exists"):
        service.log_food(removed, today=TODAY)
    with pytest.raises(ValidationError, match="id: this food entry no longer exists"):
        service.delete_food_entry("missing")
    with pytest.raises(ValidationError, match="id: this food entry no longer exists"):
        service.update_food_entry(replace_id(entry, "missing"), today=TODAY)


def replace_id(entry: rec.FoodEntry, new_id: str) -> rec.FoodEntry:
    return rec.FoodEntry(
        date=entry.date, food=entry.food, grams=entry.grams, meal=entry.meal, id=new_id
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"food": "usda:99999"}, 'food: "usda:99999" is not in the food table'),
        ({"food": "custom:Nothing"}, 'food: there is no custom food named "Nothing"'),
        ({"food": "banana"}, 'food: must be "usda:"'),
        ({"grams": 0}, "grams: must be more than 0"),
        ({"meal": "brunch"}, "meal: must be one of"),
        ({"date": TODAY + timedelta(days=1)}, "date: must not be in the future"),
    ],
)
def test_bad_entries_are_refused(
    service: NutritionService, changes: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {"date": YESTERDAY, "food": BANANA, "grams": 100.0, "meal": "snack"}
    values.update(changes)
    with pytest.raises(ValidationError) as info:
        service.log_food(rec.FoodEntry(**values), today=TODAY)
    assert str(info.value).startswith(message)
    assert service.entries_between(YESTERDAY - timedelta(days=3), TODAY + timedelta(days=1)) == []


def test_several_entries_are_one_transaction(service: NutritionService) -> None:
    good = rec.FoodEntry(date=YESTERDAY, food=BANANA, grams=100.0, meal="snack")
    bad = rec.FoodEntry(date=YESTERDAY, food="usda:99999", grams=100.0, meal="snack")
    with pytest.raises(ValidationError):
        service.log_foods([good, bad], today=TODAY)
    assert service.entries_for(YESTERDAY) == []
    stored = service.log_foods([good, replace_id(good, "second")], today=TODAY)
    assert service.entries_for(YESTERDAY) == stored
    assert service.delete_food_entries([good.id, "second"]) == stored
    with pytest.raises(ValidationError):
        service.delete_food_entries([good.id])


def test_entries_come_by_meal_then_as_logged(service: NutritionService) -> None:
    dinner = eat(service, BANANA, 10, meal="dinner")
    snack = eat(service, OATS, 10, meal="snack")
    breakfast_1 = eat(service, OATS, 20, meal="breakfast")
    lunch = eat(service, BANANA, 30, meal="lunch")
    breakfast_2 = eat(service, MILK, 20, meal="breakfast")
    assert service.entries_for(YESTERDAY) == [breakfast_1, breakfast_2, lunch, dinner, snack]


def test_same_as_yesterdays_breakfast(service: NutritionService) -> None:
    oats = eat(service, OATS, 40.5, meal="breakfast")
    milk = eat(service, MILK, 122, meal="breakfast")
    eat(service, BANANA, 101, meal="lunch")
    eat(service, PUMPKIN_SEEDS, 10, day=TODAY, meal="snack")
    copies = service.same_as_meal("breakfast", YESTERDAY, TODAY, today=TODAY)
    assert [(c.food, c.grams, c.meal, c.date) for c in copies] == [
        (OATS, 40.5, "breakfast", TODAY),
        (MILK, 122.0, "breakfast", TODAY),
    ]
    assert {c.id for c in copies}.isdisjoint({oats.id, milk.id})
    assert [e.meal for e in service.entries_for(TODAY)] == ["breakfast", "breakfast", "snack"]
    # Undo: the copies go, in one step.
    service.delete_food_entries([c.id for c in copies])
    assert [e.meal for e in service.entries_for(TODAY)] == ["snack"]
    # Nothing to copy: nothing added.
    assert service.same_as_meal("dinner", YESTERDAY, TODAY, today=TODAY) == []
    with pytest.raises(ValidationError, match="meal: must be one of"):
        service.same_as_meal("brunch", YESTERDAY, TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="date: must not be in the future"):
        service.same_as_meal("breakfast", YESTERDAY, TODAY + timedelta(days=1), today=TODAY)


def test_recent_and_frequent_foods_rank_first(service: NutritionService) -> None:
    assert service.recent_foods() == [] and service.food_boosts() == {}
    eat(service, "usda:09041", 50, day=YESTERDAY - timedelta(days=2))  # Bananas, dehydrated
    for _ in range(3):
        eat(service, BANANA, 100, day=YESTERDAY - timedelta(days=1))
    eat(service, OATS, 40, day=YESTERDAY)
    assert [f.key for f in service.recent_foods()] == [OATS, BANANA, "usda:09041"]
    assert [f.key for f in service.recent_foods(2)] == [OATS, BANANA]
    boosts = service.food_boosts()
    assert set(boosts) == {OATS, BANANA, "usda:09041"}
    # Eaten more often, or more lately: boosted more.
    assert boosts[BANANA] > boosts["usda:09041"] > 0 and boosts[OATS] > boosts["usda:09041"]
    ranked = [hit.food.key for hit in service.search("banana")]
    assert ranked[:2] == [BANANA, "usda:09041"]


def count_boost_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the reads of the food-use GROUP BY behind the search boosts."""
    reads: list[int] = []
    real = queries.food_use

    def counted(con: Any) -> Any:
        reads.append(1)
        return real(con)

    monkeypatch.setattr(queries, "food_use", counted)
    return reads


def test_typing_reads_the_boosts_once(
    service: NutritionService, monkeypatch: pytest.MonkeyPatch
) -> None:
    eat(service, BANANA, 100)
    reads = count_boost_reads(monkeypatch)
    for n in range(1, len("banana raw") + 1):
        service.search("banana raw"[:n])
    assert len(reads) == 1
    assert service.food_boosts().keys() == {BANANA} and len(reads) == 1
    service.food_boosts().clear()  # a copy: the kept boosts stay as they are
    assert service.search("banana")[0].food.key == BANANA


def test_every_food_entry_write_drops_the_kept_boosts(
    service: NutritionService, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = count_boost_reads(monkeypatch)

    def boosted() -> set[str]:
        service.search("b")
        return set(service.food_boosts())

    assert boosted() == set()
    entry = eat(service, BANANA, 100, day=YESTERDAY, meal="breakfast")
    assert boosted() == {BANANA}
    service.log_foods(
        [rec.FoodEntry(date=YESTERDAY, food=OATS, grams=40, meal="lunch")], today=TODAY
    )
    assert boosted() == {BANANA, OATS}
    service.update_food_entry(replace_food(entry, MILK), today=TODAY)
    assert boosted() == {MILK, OATS}
    service.same_as_meal("breakfast", YESTERDAY, TODAY, today=TODAY)
    copies = service.entries_for(TODAY)
    assert boosted() == {MILK, OATS}
    before = service.food_boosts()[MILK]
    service.delete_food_entries([e.id for e in copies])
    assert service.food_boosts()[MILK] < before  # eaten less often now
    service.delete_food_entry(entry.id)
    assert boosted() == {OATS}
    food, _ = service.save_custom_food(soup())
    eat(service, food.key, 300)
    assert boosted() == {OATS, food.key}
    renamed, _ = service.save_custom_food(soup(name="Grandma's soup", id=food.id))
    assert boosted() == {OATS, renamed.key}  # the rename moved the entry
    unused, _ = service.save_custom_food(soup(name="Unused"))
    service.food_boosts()
    n = len(reads)
    removed, stars = service.delete_custom_food(unused.id)
    service.food_boosts()
    service.restore_custom_food(removed, stars)
    service.food_boosts()
    assert len(reads) == n + 2


def test_kept_boosts_follow_logging_exactly_as_a_fresh_read(
    service: NutritionService, diary: DiaryService, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(3)
    keys = [BANANA, OATS, MILK, JUICE, PUMPKIN_SEEDS, "usda:09041"]

    def fresh() -> dict[str, float]:
        return nutrition_service.boosts_from_use(
            nutrition_service.FoodUse._make(u) for u in diary.read(queries.food_use)
        )

    service.search("ba")
    reads = count_boost_reads(monkeypatch)
    for step in range(40):
        day = TODAY - timedelta(days=rng.randint(0, 20))
        if step % 10 == 9:
            logged = service.entries_between(TODAY - timedelta(days=20), TODAY)
            service.delete_food_entry(rng.choice(logged).id)  # read again after this
        elif step % 3 == 0:
            batch = [
                rec.FoodEntry(date=day, food=rng.choice(keys), grams=50, meal="lunch")
                for _ in range(rng.randint(1, 3))
            ]
            service.log_foods(batch, today=TODAY)
        else:
            eat(service, rng.choice(keys), 30, day=day)
        service.search("ba")
        kept = service.food_boosts()
        assert kept == fresh()
    assert len(reads) - 40 == 4  # fresh() reads 40 times; the service only after the deletes


def test_refresh_catches_up_with_writes_made_past_the_service(
    service: NutritionService, diary: DiaryService
) -> None:
    eat(service, OATS, 40)
    assert "custom:Oat bar" not in [hit.food.key for hit in service.search("oat bar")]
    assert set(service.food_boosts()) == {OATS}
    # Another writer on the same diary (as File > Import is): its own index, its own service.
    other = NutritionService(diary, FoodIndex.load(), load_dri_table())
    bar, _ = other.save_custom_food(soup(name="Oat bar", portions=()))
    other.log_food(rec.FoodEntry(date=TODAY, food=bar.key, grams=50, meal="snack"), today=TODAY)
    assert service.food(bar.key) is None  # not seen yet
    assert set(service.food_boosts()) == {OATS}
    service.refresh()
    assert service.food(bar.key) is not None
    assert service.search("oat bar")[0].food.key == bar.key
    assert set(service.food_boosts()) == {OATS, bar.key}
    assert service.day_intake(TODAY).totals["magnesium"].foods_without_data == 0


# --- favourites --------------------------------------------------------------------------------


def test_favourites(service: NutritionService) -> None:
    star, previous = service.save_favourite(rec.FavouriteFood(food=PUMPKIN_SEEDS, grams=28.35))
    assert previous is None and service.favourite_foods() == [star]
    again, previous = service.save_favourite(rec.FavouriteFood(food=PUMPKIN_SEEDS, grams=14.0))
    assert previous == star and again.id == star.id and again.grams == 14.0
    service.save_favourite(rec.FavouriteFood(food=BANANA, grams=101.0))
    assert [f.food for f in service.favourite_foods()] == [PUMPKIN_SEEDS, BANANA]
    assert service.delete_favourite(star.id) == again
    with pytest.raises(ValidationError, match="is not in the food table"):
        service.save_favourite(rec.FavouriteFood(food="usda:99999", grams=1.0))
    with pytest.raises(ValidationError, match="this favourite no longer exists"):
        service.delete_favourite(star.id)


# --- custom foods ------------------------------------------------------------------------------


def soup(**changes: Any) -> rec.CustomFood:
    values: dict[str, Any] = {
        "name": "Lentil soup",
        "magnesium_mg": 24.0,
        "calcium_mg": 18.0,
        "potassium_mg": 220.0,
        "sodium_mg": 290.0,
        "water_g": 82.0,
        "portions": (("1 bowl", 300.0),),
    }
    values.update(changes)
    return rec.CustomFood(**values)


def test_custom_foods_are_searched_logged_and_totalled(service: NutritionService) -> None:
    food, previous = service.save_custom_food(soup())
    assert previous is None and service.custom_foods() == [food]
    assert service.search("lentil sou")[0].food.key == "custom:Lentil soup"
    found = service.food("custom:Lentil soup")
    assert found is not None and found.portions[0].grams == 300.0
    assert found.per_100g["vitamin_d"] is None
    eat(service, food.key, nutrition.grams_for(found, 1, "1 bowl"))
    totals = service.day_intake(YESTERDAY).totals
    assert totals["magnesium"].food == pytest.approx(72)
    assert totals["water"].food == pytest.approx(246)
    assert totals["vitamin_d"].foods_without_data == 1


def test_a_renamed_custom_food_keeps_its_entries_and_star(service: NutritionService) -> None:
    food, _ = service.save_custom_food(soup())
    entry = eat(service, food.key, 300)
    service.save_favourite(rec.FavouriteFood(food=food.key, grams=300.0))
    renamed, previous = service.save_custom_food(soup(name="Grandma's soup", id=food.id))
    assert previous == food
    assert service.entries_for(YESTERDAY) == [replace_food(entry, "custom:Grandma's soup")]
    assert [f.food for f in service.favourite_foods()] == ["custom:Grandma's soup"]
    assert service.food("custom:Lentil soup") is None
    assert service.food("custom:Grandma's soup") is not None
    assert service.day_intake(YESTERDAY).totals["magnesium"].food == pytest.approx(72)
    # Export and import accept the diary as it is now.
    assert export_document(service.diary, now=NOW)["food_entries"][0]["food"] == renamed.key


def replace_food(entry: rec.FoodEntry, key: str) -> rec.FoodEntry:
    return rec.FoodEntry(date=entry.date, food=key, grams=entry.grams, meal=entry.meal, id=entry.id)


def test_custom_food_names_are_unique(service: NutritionService) -> None:
    service.save_custom_food(soup())
    with pytest.raises(
        ValidationError, match='name: there is already a custom food named "Lentil soup"'
    ):
        service.save_custom_food(soup(name=" Lentil soup "))
    assert len(service.custom_foods()) == 1


def test_deleting_a_custom_food(service: NutritionService) -> None:
    food, _ = service.save_custom_food(soup())
    star, _ = service.save_favourite(rec.FavouriteFood(food=food.key, grams=300.0))
    entry = eat(service, food.key, 300)
    with pytest.raises(ValidationError, match='"Lentil soup" is used by 1 food entry'):
        service.delete_custom_food(food.id)
    service.delete_food_entry(entry.id)
    removed, stars = service.delete_custom_food(food.id)
    assert removed == food and stars == [star]
    assert service.custom_foods() == [] and service.favourite_foods() == []
    assert service.food(food.key) is None and service.search("lentil soup")[0].food.key != food.key
    # Undo.
    service.restore_custom_food(removed, stars)
    assert service.custom_foods() == [food] and service.favourite_foods() == [star]
    assert service.food(food.key) is not None
    # Undo again, after a new food took the name: refused, nothing changed.
    service.delete_custom_food(food.id)
    other, _ = service.save_custom_food(soup(magnesium_mg=1.0))
    with pytest.raises(ValidationError, match="there is already a custom food named"):
        service.restore_custom_food(removed, stars)
    assert service.custom_foods() == [other] and service.favourite_foods() == []


def test_a_new_service_finds_the_diarys_custom_foods(diary: DiaryService) -> None:
    first = NutritionService(diary, *load_reference_data())
    first.save_custom_food(soup())
    second = NutritionService(diary, *load_reference_data())
    assert second.food("custom:Lentil soup") is not None


# --- supplements -------------------------------------------------------------------------------


def test_one_click_supplement_doses(service: NutritionService) -> None:
    magnesium, _ = service.save_supplement_product(
        rec.SupplementProduct(
            name="Magnesium citrate 150 mg",
            nutrient="magnesium",
            amount_per_unit=150,
            unit="mg",
            units_per_dose=2,
        )
    )
    vitamin_d, _ = service.save_supplement_product(
        rec.SupplementProduct(name="D3", nutrient="vitamin_d", amount_per_unit=1000, unit="IU")
    )
    assert service.supplement_products() == [vitamin_d, magnesium]
    dose = service.log_supplement_dose(magnesium.id, YESTERDAY, today=TODAY)
    assert (dose.nutrient, dose.amount, dose.unit, dose.product) == (
        "magnesium",
        300.0,
        "mg",
        "Magnesium citrate 150 mg",
    )
    service.log_supplement_dose(vitamin_d.id, YESTERDAY, today=TODAY)
    totals = service.day_intake(YESTERDAY).totals
    assert totals["magnesium"].supplements == 300 and totals["magnesium"].warnings == ()
    assert totals["vitamin_d"].supplements == pytest.approx(25.0)  # 1000 IU = 25 µg
    assert [i.unit for i in service.supplement_intakes(YESTERDAY)] == ["mg", "IU"]
    # A product deleted later leaves its intakes as they were (they carry its name).
    service.delete_supplement_product(magnesium.id)
    assert service.supplement_intakes(YESTERDAY)[0] == dose
    with pytest.raises(ValidationError, match="product: this supplement product no longer"):
        service.log_supplement_dose(magnesium.id, YESTERDAY, today=TODAY)
    assert service.delete_supplement_intake(dose.id) == dose
    assert len(service.supplement_intakes(YESTERDAY, TODAY)) == 1


def test_supplemental_magnesium_above_the_limit_warns(service: NutritionService) -> None:
    service.diary.save_profile(rec.Profile(birth_year=1960, sex="female"), today=TODAY)
    at_limit = rec.SupplementIntake(date=YESTERDAY, nutrient="magnesium", amount=350, unit="mg")
    service.add_supplement_intake(at_limit, today=TODAY)
    eat(service, PUMPKIN_SEEDS, 100)  # food magnesium does not count towards this limit
    assert service.day_intake(YESTERDAY).totals["magnesium"].warnings == ()
    service.add_supplement_intake(
        rec.SupplementIntake(date=YESTERDAY, nutrient="magnesium", amount=1, unit="mg"),
        today=TODAY,
    )
    [warning] = service.day_intake(YESTERDAY).totals["magnesium"].warnings
    assert "350 mg" in warning and "IOM 2000" in warning


def test_product_names_are_unique(service: NutritionService) -> None:
    product = rec.SupplementProduct(name="Mg", nutrient="magnesium", amount_per_unit=100, unit="mg")
    stored, _ = service.save_supplement_product(product)
    changed, previous = service.save_supplement_product(
        rec.SupplementProduct(
            name="Mg", nutrient="magnesium", amount_per_unit=200, unit="mg", id=stored.id
        )
    )
    assert previous == stored and changed.amount_per_unit == 200
    with pytest.raises(ValidationError, match='name: there is already a product named "Mg"'):
        service.save_supplement_product(
            rec.SupplementProduct(name="Mg", nutrient="calcium", amount_per_unit=1, unit="mg")
        )


@pytest.mark.parametrize(
    ("nutrient", "amount", "unit", "expected"),
    [
        ("vitamin_d", 1000, "IU", 25.0),
        ("vitamin_d", 25, "ug", 25.0),
        ("vitamin_d", 0.025, "mg", 25.0),
        ("magnesium", 300, "mg", 300.0),
        ("calcium", 500_000, "ug", 500.0),
    ],
)
def test_standard_amount(nutrient: str, amount: float, unit: str, expected: float) -> None:
    assert standard_amount(nutrient, amount, unit) == pytest.approx(expected)


def test_iu_only_for_vitamin_d() -> None:
    with pytest.raises(ValidationError, match="IU is allowed only for vitamin_d"):
        standard_amount("magnesium", 1, "IU")


# --- drinks ------------------------------------------------------------------------------------


def test_drinks_count_as_water_and_milk_and_juice_as_food(service: NutritionService) -> None:
    assert (GLASS_ML, MUG_ML, BOTTLE_ML) == (250, 300, 500)
    glass = service.log_drink(YESTERDAY, "water", today=TODAY)
    service.log_drink(YESTERDAY, "tea", MUG_ML, today=TODAY)
    service.log_drink(YESTERDAY, "water", BOTTLE_ML, today=TODAY)
    day = service.day_intake(YESTERDAY)
    assert day.drinks_ml == 1050 and day.totals["water"].supplements == 1050
    assert day.totals["calcium"].food == 0
    milk = service.log_drink(YESTERDAY, "milk", today=TODAY)
    service.log_drink(YESTERDAY, "juice", today=TODAY)
    day = service.day_intake(YESTERDAY)
    milk_food = service.food(MILK)
    juice_food = service.food(JUICE)
    assert milk_food is not None and juice_food is not None
    assert milk_food.density_g_per_ml is not None and juice_food.density_g_per_ml is not None
    milk_g = 250 * milk_food.density_g_per_ml
    juice_g = 250 * juice_food.density_g_per_ml
    assert day.totals["calcium"].food == pytest.approx((113 * milk_g + 11 * juice_g) / 100)
    assert day.totals["water"].supplements == 1550
    assert [d.kind for d in service.drinks(YESTERDAY)] == ["water", "tea", "water", "milk", "juice"]
    assert service.delete_drink(glass.id) == glass
    assert service.add_drink(glass, today=TODAY) == glass  # Undo
    service.delete_drink(milk.id)
    assert len(service.drinks(YESTERDAY, TODAY)) == 4
    with pytest.raises(ValidationError, match="kind: must be one of"):
        service.log_drink(YESTERDAY, "soda", today=TODAY)


# --- the day against the profile -----------------------------------------------------------------


def test_references_follow_the_profile_and_the_medicines_of_that_day(
    service: NutritionService,
) -> None:
    diary = service.diary
    first = service.day_intake(YESTERDAY)
    assert all(first.totals[n].reference is None for n in nutrition.NUTRIENTS)
    assert "profile" in (first.totals["magnesium"].reference_note or "")
    diary.save_profile(rec.Profile(birth_year=1958, sex="female"), today=TODAY)
    totals = service.day_intake(YESTERDAY).totals
    magnesium = totals["magnesium"].reference
    assert magnesium is not None and (magnesium.value, magnesium.kind) == (320.0, "RDA")
    potassium = totals["potassium"].reference
    assert potassium is not None and potassium.value == 2600.0
    water = totals["water"].reference
    assert water is not None and water.value == 2700.0
    # A potassium-raising medicine from yesterday on: no potassium reference from that day.
    diary.save_medication(
        rec.Medication(name="Lisinopril", dose="10 mg", started_on=YESTERDAY), today=TODAY
    )
    assert service.day_intake(YESTERDAY - timedelta(days=1)).totals["potassium"].reference
    after = service.day_intake(YESTERDAY).totals["potassium"]
    assert after.reference is None and "Lisinopril" in (after.reference_note or "")
    # Told to limit fluids: no water reference.
    diary.save_profile(
        rec.Profile(birth_year=1958, sex="female", conditions=("fluid_restriction",)), today=TODAY
    )
    assert service.day_intake(YESTERDAY).totals["water"].reference is None


def test_week_average_over_the_days_with_food(service: NutritionService) -> None:
    last = YESTERDAY
    eat(service, PUMPKIN_SEEDS, 100, day=last)  # 592 mg
    eat(service, PUMPKIN_SEEDS, 50, day=last - timedelta(days=3))  # 296 mg
    eat(service, PUMPKIN_SEEDS, 100, day=last - timedelta(days=7))  # outside the week
    service.log_drink(last - timedelta(days=1), "water", BOTTLE_ML, today=TODAY)
    week = service.week_average(last)
    assert (week.first_day, week.last_day, week.days) == (last - timedelta(days=6), last, 7)
    assert week.food_days == 2 and week.drink_days == 1
    assert week.totals["magnesium"].total == pytest.approx((592 + 296) / 2)
    assert week.drinks_ml == 500


def test_days_intake_of_an_empty_range(service: NutritionService) -> None:
    assert service.days_intake(TODAY, YESTERDAY) == []


def test_a_food_gone_from_the_table_counts_as_without_data(
    service: NutritionService, diary: DiaryService
) -> None:
    from crampdiary.storage import tables as t

    with diary.session() as s:  # as a future food table without this food would leave it
        s.add(t.FoodEntry(id="x", day=YESTERDAY, food="usda:99999", grams=10.0, meal="lunch"))
    day = service.day_intake(YESTERDAY)
    assert day.food_entries == 1
    assert all(day.totals[n].foods_without_data == 1 for n in nutrition.NUTRIENTS)


def test_the_days_totals_need_no_orm(db_path: Path) -> None:
    script = f"""
import sys
from datetime import date
from crampdiary.services.diary import DiaryService
from crampdiary.services.nutrition import NutritionService, load_reference_data
diary = DiaryService({str(db_path)!r})
service = NutritionService(diary, *load_reference_data())
day = service.day_intake(date(2026, 11, 24))
service.entries_for(date(2026, 11, 24)); service.week_average(date(2026, 11, 24))
print(day.food_entries, "sqlmodel" in sys.modules, "sqlalchemy" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert out == ["2", "False", "False"]


@pytest.fixture
def db_path(paths: AppPaths, reference: tuple[FoodIndex, DriTable]) -> Path:
    engine = open_database(paths, now=NOW)
    try:
        service = NutritionService(DiaryService(engine), *reference)
        eat(service, BANANA, 100, day=date(2026, 11, 24))
        eat(service, OATS, 40, day=date(2026, 11, 24))
    finally:
        engine.dispose()
    return paths.database


def test_module_is_importable_without_the_orm() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, json; import crampdiary.services.nutrition; "
            "print(json.dumps(['sqlmodel' in sys.modules, 'sqlalchemy' in sys.modules]))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert json.loads(out) == [False, False]
    assert nutrition_service.DRINK_FOODS == {"milk": MILK, "juice": JUICE}


def test_a_custom_food_gets_its_density_from_a_cup(service: NutritionService) -> None:
    service.save_custom_food(soup(portions=(("1 bowl", 300.0), ("1 cup", 245.0))))
    found = service.food("custom:Lentil soup")
    assert found is not None
    assert found.density_g_per_ml == pytest.approx(245 / nutrition.ML_PER_CUP)
    assert nutrition.grams_for(found, 100, "ml") == pytest.approx(100 * 245 / nutrition.ML_PER_CUP)
    service.save_custom_food(soup(name="Thick soup", density_g_per_ml=1.2))
    thick = service.food("custom:Thick soup")
    assert thick is not None and thick.density_g_per_ml == 1.2
