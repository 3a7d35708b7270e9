"""The demo diary's diet: meals from USDA household portions with realistic magnesium, days without
food, drinks that match the day, and supplements that follow the medicines' dates."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crampdiary.domain.nutrition import DriTable
from crampdiary.services.demo import demo_document, generate_demo
from crampdiary.services.diary import DiaryService
from crampdiary.services.nutrition import NutritionService, load_reference_data
from crampdiary.storage.foods import FoodIndex

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()
VERSION_1_FILE = Path(__file__).with_name("data") / "version-1-export.json"


@pytest.fixture(scope="module")
def reference() -> tuple[FoodIndex, DriTable]:
    return load_reference_data()


@pytest.fixture(scope="module")
def year() -> dict[str, Any]:
    return demo_document(days=365, seed=3, now=NOW)


def dates(records: list[dict[str, Any]]) -> set[date]:
    return {date.fromisoformat(r["date"]) for r in records}


def test_the_diet_is_real_usda_foods_in_household_portions(
    year: dict[str, Any], reference: tuple[FoodIndex, DriTable]
) -> None:
    foods, _ = reference
    custom = {c["name"]: c for c in year["custom_foods"]}
    assert list(custom) == ["Lentil soup (home-made)"]
    assert custom["Lentil soup (home-made)"]["vitamin_d_ug"] is None  # unknown, not zero
    factors = {0.1, 0.2, 0.5, 0.75, 1.0, 1.5, 2.0}
    used = Counter(e["food"] for e in year["food_entries"])
    assert len(used) >= 20
    for entry in year["food_entries"]:
        key = entry["food"]
        if key.startswith("custom:"):
            portions = [p["grams"] for p in custom[key.removeprefix("custom:")]["portions"]]
        else:
            food = foods.food(key)
            assert food is not None, key
            portions = [p.grams for p in food.portions]
        assert any(
            entry["grams"] == pytest.approx(round(g * f, 1)) for g in portions for f in factors
        ), entry


def test_three_meals_and_snacks_on_most_days(year: dict[str, Any]) -> None:
    meals: dict[date, set[str]] = defaultdict(set)
    for entry in year["food_entries"]:
        meals[date.fromisoformat(entry["date"])].add(entry["meal"])
    days = len(meals)
    assert 0.75 * 365 < days < 0.95 * 365  # some days have no food logged
    counts = Counter(meal for day in meals.values() for meal in day)
    assert counts["breakfast"] > 0.9 * days and counts["dinner"] > 0.9 * days
    assert 0.8 * days < counts["lunch"] and 0.5 * days < counts["snack"] < days
    last = max(meals)
    assert all(last - timedelta(days=i) in meals for i in range(7))
    assert last <= TODAY


def test_magnesium_is_realistic(diary: DiaryService, reference: tuple[FoodIndex, DriTable]) -> None:
    generate_demo(diary, days=120, seed=3, now=NOW, foods=reference[0])
    service = NutritionService(diary, *reference)
    last = TODAY - timedelta(days=1)
    days = [d for d in service.days_intake(last - timedelta(days=119), last) if d.food_entries]
    food_mg = [d.totals["magnesium"].food for d in days]
    assert 250 <= statistics.mean(food_mg) <= 400
    assert statistics.median(food_mg) > 200 and max(food_mg) < 900
    # Vitamin D is mostly the supplement (1000 IU = 25 µg) and some foods have no value.
    assert statistics.mean(d.totals["vitamin_d"].supplements for d in days) > 15
    assert any(d.totals["vitamin_d"].foods_without_data for d in days)
    week = service.week_average(last)
    assert week.food_days == 7 and week.drink_days == 7


def test_drinks_follow_the_days(year: dict[str, Any]) -> None:
    drinks: dict[date, Counter[str]] = defaultdict(Counter)
    for d in year["drinks"]:
        drinks[date.fromisoformat(d["date"])][d["kind"]] += 1
    assert {d["ml"] for d in year["drinks"]} <= {175, 250, 300, 500}
    assert dates(year["food_entries"]) <= set(drinks)
    assert all(kinds["water"] >= 1 for kinds in drinks.values())
    context = {date.fromisoformat(d["date"]): d for d in year["days"]}
    checked = 0
    for day, kinds in drinks.items():
        if day in context and context[day]["caffeine_drinks"]:
            assert kinds["coffee"] + kinds["tea"] == context[day]["caffeine_drinks"]
            checked += 1
        units = context[day]["alcohol_units"] if day in context else 0
        assert (kinds["alcohol"] > 0) == bool(units), day
    assert checked > 200
    assert {"milk", "juice"} <= {d["kind"] for d in year["drinks"]}


def test_supplements_follow_the_medicines(year: dict[str, Any]) -> None:
    products = {p["name"]: p for p in year["supplement_products"]}
    assert products["Vitamin D3 1000 IU"]["unit"] == "IU"
    assert products["Magnesium citrate 150 mg"]["amount_per_unit"] == 150.0
    magnesium = next(m for m in year["medications"] if m["name"] == "Magnesium citrate")
    start = date.fromisoformat(magnesium["started_on"])
    stop = date.fromisoformat(magnesium["stopped_on"])
    taken = [i for i in year["supplement_intakes"] if i["nutrient"] == "magnesium"]
    assert len(taken) > 30
    assert all(start <= date.fromisoformat(i["date"]) <= stop for i in taken)
    assert {(i["amount"], i["unit"], i["product"]) for i in taken} == {
        (300.0, "mg", "Magnesium citrate 150 mg")
    }
    vitamin_d = [i for i in year["supplement_intakes"] if i["nutrient"] == "vitamin_d"]
    assert {(i["amount"], i["unit"]) for i in vitamin_d} == {(1000.0, "IU")}
    assert len(vitamin_d) > 0.6 * 365


def test_the_diet_leaves_the_cramps_of_a_seed_alone() -> None:
    # The file the previous app version (no diet) wrote for this demo diary.
    before = json.loads(VERSION_1_FILE.read_text(encoding="utf-8"))
    now = demo_document(days=45, seed=4, now=NOW)
    for key in ("profile", "episodes", "nights", "days", "medications"):
        assert now[key] == before[key], key
    assert now["food_entries"] and now == demo_document(days=45, seed=4, now=NOW)
