"""Data format version 2: the nutrition arrays export, import and round-trip; version 1 files (as
the previous app version wrote them) still import; food keys are checked against the food table
and the custom foods, all or nothing."""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampdiary.domain import records as rec
from crampdiary.domain.errors import ImportFormatError
from crampdiary.domain.nutrition import DriTable
from crampdiary.paths import AppPaths
from crampdiary.services import transfer
from crampdiary.services.demo import generate_demo
from crampdiary.services.diary import DiaryService
from crampdiary.services.nutrition import NutritionService, load_reference_data
from crampdiary.services.transfer import (
    check_document,
    export_document,
    import_document,
    import_file,
    write_export,
)
from crampdiary.storage.database import open_database
from crampdiary.storage.foods import FoodIndex

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()
VERSION_1_FILE = Path(__file__).with_name("data") / "version-1-export.json"

NewDiary = Callable[[], DiaryService]


@pytest.fixture(scope="module")
def reference() -> tuple[FoodIndex, DriTable]:
    return load_reference_data()


@pytest.fixture
def foods(reference: tuple[FoodIndex, DriTable]) -> FoodIndex:
    return reference[0]


@pytest.fixture
def new_diary(tmp_path: Path) -> Iterator[NewDiary]:
    engines: list[Any] = []

    def make() -> DiaryService:
        engine = open_database(AppPaths(tmp_path / f"diary{len(engines)}"), now=NOW)
        engines.append(engine)
        return DiaryService(engine)

    yield make
    for engine in engines:
        engine.dispose()


def without_time(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "exported_at"}


def nutrition_doc() -> dict[str, Any]:
    """A small version 2 file with one record of each nutrition array."""
    return {
        "format": "crampdiary",
        "version": 2,
        "food_entries": [
            {"id": "f0", "date": "2026-11-24", "food": "usda:12014", "grams": 100, "meal": "snack"},
            {
                "id": "f1",
                "date": "2026-11-24",
                "food": "custom:Lentil soup",
                "grams": 300.0,
                "meal": "lunch",
            },
        ],
        "custom_foods": [
            {
                "id": "c0",
                "name": "Lentil soup",
                "magnesium_mg": 24,
                "water_g": 82.0,
                "portions": [{"description": "1 bowl", "grams": 300}],
            }
        ],
        "favourite_foods": [{"id": "v0", "food": "custom:Lentil soup", "grams": 300}],
        "supplement_products": [
            {
                "id": "p0",
                "name": "Magnesium citrate 150 mg",
                "nutrient": "magnesium",
                "amount_per_unit": 150,
                "unit": "mg",
                "units_per_dose": 2,
            }
        ],
        "supplement_intakes": [
            {
                "id": "i0",
                "date": "2026-11-24",
                "nutrient": "vitamin_d",
                "amount": 1000,
                "unit": "IU",
                "product": "Vitamin D3 (not saved)",
            }
        ],
        "drinks": [{"id": "k0", "date": "2026-11-24", "ml": 250, "kind": "milk"}],
    }


# --- round trips -------------------------------------------------------------------------------


def test_a_demo_diary_round_trips_with_the_nutrition_arrays(
    new_diary: NewDiary, foods: FoodIndex, tmp_path: Path
) -> None:
    source, copy_ = new_diary(), new_diary()
    generate_demo(source, days=120, seed=8, now=NOW, foods=foods)
    [path] = write_export(source, "json", tmp_path / "a.json", now=NOW)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["version"] == 3 and list(exported) == list(transfer.TOP_FIELDS)
    for name in transfer.NUTRITION_ARRAYS:
        assert exported[name], name
    result = import_file(copy_, path, now=NOW + timedelta(hours=1), foods=foods)
    assert result.total_skipped == 0
    assert {name: result.added[name] for name in transfer.ARRAYS} == {
        name: len(exported[name]) for name in transfer.ARRAYS
    }
    again = export_document(copy_, now=NOW + timedelta(hours=2))
    assert without_time(again) == without_time(exported)
    # The same file again adds nothing.
    second = import_file(copy_, path, now=NOW, foods=foods)
    assert second.total_added == 0
    assert without_time(export_document(copy_, now=NOW)) == without_time(exported)


def test_the_export_order_is_deterministic(diary: DiaryService, foods: FoodIndex) -> None:
    doc = nutrition_doc()
    doc["food_entries"] = [
        {"id": "b", "date": "2026-11-24", "food": "usda:09040", "grams": 1, "meal": "snack"},
        {"id": "z", "date": "2026-11-24", "food": "usda:09040", "grams": 1, "meal": "breakfast"},
        {"id": "a", "date": "2026-11-24", "food": "usda:09040", "grams": 1, "meal": "snack"},
        {"id": "y", "date": "2026-11-23", "food": "usda:09040", "grams": 1, "meal": "dinner"},
        {"id": "x", "date": "2026-11-24", "food": "usda:09040", "grams": 1, "meal": "lunch"},
    ]
    doc["drinks"] = [
        {"id": "k2", "date": "2026-11-24", "ml": 1, "kind": "tea"},
        {"id": "k1", "date": "2026-11-24", "ml": 1, "kind": "tea"},
        {"id": "k3", "date": "2026-11-20", "ml": 1, "kind": "tea"},
    ]
    doc["custom_foods"].append({"id": "c1", "name": "Apple pie"})
    import_document(diary, doc, now=NOW, foods=foods)
    exported = export_document(diary, now=NOW)
    assert [f["id"] for f in exported["food_entries"]] == ["y", "z", "x", "a", "b"]
    assert [d["id"] for d in exported["drinks"]] == ["k3", "k1", "k2"]
    assert [c["name"] for c in exported["custom_foods"]] == ["Apple pie", "Lentil soup"]
    assert exported["custom_foods"][1] == {
        "id": "c0",
        "name": "Lentil soup",
        "magnesium_mg": 24.0,
        "calcium_mg": None,
        "vitamin_d_ug": None,
        "potassium_mg": None,
        "sodium_mg": None,
        "water_g": 82.0,
        "kcal": None,
        "portions": [{"description": "1 bowl", "grams": 300.0}],
        "density_g_per_ml": None,
    }
    assert exported["supplement_products"][0]["units_per_dose"] == 2.0
    assert exported["supplement_intakes"][0] == {
        "id": "i0",
        "date": "2026-11-24",
        "nutrient": "vitamin_d",
        "amount": 1000.0,
        "unit": "IU",
        "product": "Vitamin D3 (not saved)",
    }


def test_imported_records_count_in_the_totals(
    diary: DiaryService, reference: tuple[FoodIndex, DriTable]
) -> None:
    import_document(diary, nutrition_doc(), now=NOW, foods=reference[0])
    service = NutritionService(diary, *reference)
    totals = service.day_intake(date(2026, 11, 24)).totals
    milk = service.food("usda:01077")
    assert milk is not None and milk.density_g_per_ml is not None
    milk_mg = 10 * 250 * milk.density_g_per_ml / 100
    assert totals["magnesium"].food == pytest.approx(592 + 72 + milk_mg)
    assert totals["vitamin_d"].supplements == pytest.approx(25)
    assert totals["water"].supplements == 250
    assert [f.food for f in service.favourite_foods()] == ["custom:Lentil soup"]


# --- version 1 ---------------------------------------------------------------------------------


def test_a_version_1_file_from_the_previous_version_still_imports(
    new_diary: NewDiary, tmp_path: Path
) -> None:
    original = json.loads(VERSION_1_FILE.read_text(encoding="utf-8"))
    assert original["version"] == 1 and "food_entries" not in original
    diary = new_diary()
    result = import_file(diary, VERSION_1_FILE, now=NOW)
    assert result.total_skipped == 0
    assert all(result.added[name] == 0 for name in transfer.NUTRITION_ARRAYS)
    for name in transfer.V1_ARRAYS:
        assert result.added[name] == len(original[name]) > 0
    exported = export_document(diary, now=NOW)
    assert exported["version"] == 3
    assert {
        k: exported[k] for k in transfer.V1_TOP_FIELDS if k not in ("version", "exported_at")
    } == {k: original[k] for k in transfer.V1_TOP_FIELDS if k not in ("version", "exported_at")}
    assert all(exported[name] == [] for name in transfer.NUTRITION_ARRAYS)
    # And the re-export (version 2) imports into another diary as the same diary.
    [path] = write_export(diary, "json", tmp_path / "v2.json", now=NOW)
    other = new_diary()
    import_file(other, path, now=NOW)
    assert without_time(export_document(other, now=NOW)) == without_time(exported)


def test_check_loads_the_food_table_only_when_a_usda_key_is_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_loading() -> FoodIndex:
        raise AssertionError("the food table was loaded")

    monkeypatch.setattr(FoodIndex, "load", staticmethod(no_loading))
    check_document(json.loads(VERSION_1_FILE.read_text(encoding="utf-8")), now=NOW)
    doc = nutrition_doc()
    doc["food_entries"] = doc["food_entries"][1:]
    check_document(doc, now=NOW)
    with pytest.raises(AssertionError, match="the food table was loaded"):
        check_document(nutrition_doc(), now=NOW)


# --- refusals ----------------------------------------------------------------------------------


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _append(array: str, record: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc[array].append(record)


BAD = [
    (
        _set("food_entries.0.food", "usda:99999"),
        'food_entries[0].food: "usda:99999" is not in the food table (USDA SR28)',
    ),
    (
        _set("food_entries.1.food", "custom:Pea soup"),
        'food_entries[1].food: the custom food "Pea soup" is neither in the diary nor in this '
        "file's custom_foods",
    ),
    (
        _set("favourite_foods.0.food", "usda:00000"),
        'favourite_foods[0].food: "usda:00000" is not in the food table',
    ),
    (
        _set("favourite_foods.0.food", "custom:Pea soup"),
        'favourite_foods[0].food: the custom food "Pea soup" is neither in the diary',
    ),
    (_set("food_entries.0.food", "banana"), 'food_entries[0].food: must be "usda:"'),
    (_set("food_entries.0.grams", 0), "food_entries[0].grams: must be more than 0 and at most"),
    (_set("food_entries.0.grams", "100"), "food_entries[0].grams: must be a number"),
    (_set("food_entries.0.meal", "tea"), "food_entries[0].meal: must be one of breakfast"),
    (_set("food_entries.0.date", "2026-11-26"), "food_entries[0].date: must not be in the future"),
    (_set("food_entries.0.date", "2026-02-30"), "food_entries[0].date: is not a real date"),
    (_set("food_entries.0.calories", 5), 'food_entries[0]: unknown field "calories"'),
    (_set("food_entries", {}), "food_entries: must be an array (got an object)"),
    (_set("food_entries.0", []), "food_entries[0]: must be an object (got an array)"),
    (
        _append(
            "food_entries",
            {
                "id": "f0-new",
                "date": "2026-11-20",
                "food": "usda:09040",
                "grams": 1,
                "meal": "lunch",
            },
        ),
        'food_entries[2].id: "f0-new" appears twice in the file (also at food_entries[0])',
    ),
    (lambda d: d["food_entries"][0].pop("grams"), "food_entries[0].grams: is required"),
    (_set("custom_foods.0.magnesium_mg", -1), "custom_foods[0].magnesium_mg: must be from 0"),
    (_set("custom_foods.0.water_g", 101), "custom_foods[0].water_g: must be from 0 to 100"),
    (_set("custom_foods.0.portions", {}), "custom_foods[0].portions: must be an array"),
    (
        _set("custom_foods.0.portions", [["1 bowl", 300]]),
        "custom_foods[0].portions[0]: must be an object (got an array)",
    ),
    (
        _set("custom_foods.0.portions", [{"description": "1 bowl"}]),
        "custom_foods[0].portions[0].grams: is required",
    ),
    (
        _set("custom_foods.0.portions", [{"description": "1 bowl", "grams": 1, "oz": 2}]),
        'custom_foods[0].portions[0]: unknown field "oz" (known: description, grams)',
    ),
    (
        _set("custom_foods.0.portions", [{"description": "1 bowl", "grams": -1}]),
        "custom_foods[0].portions: must be more than 0",
    ),
    (
        _append("custom_foods", {"id": "c9", "name": "Lentil soup"}),
        'custom_foods[1].name: "Lentil soup" appears twice in the file',
    ),
    (
        _append("favourite_foods", {"food": "custom:Lentil soup", "grams": 1}),
        'favourite_foods[1].food: "custom:Lentil soup" appears twice in the file',
    ),
    (_set("supplement_products.0.unit", "IU"), "supplement_products[0].unit: IU is allowed only"),
    (
        _set("supplement_products.0.nutrient", "iron"),
        "supplement_products[0].nutrient: must be one of magnesium, calcium",
    ),
    (
        _append(
            "supplement_products",
            {
                "name": "Magnesium citrate 150 mg",
                "nutrient": "calcium",
                "amount_per_unit": 1,
                "unit": "mg",
            },
        ),
        'supplement_products[1].name: "Magnesium citrate 150 mg" appears twice in the file',
    ),
    (_set("supplement_intakes.0.unit", "g"), "supplement_intakes[0].unit: must be one of mg"),
    (_set("supplement_intakes.0.amount", 0), "supplement_intakes[0].amount: must be more than 0"),
    (
        lambda d: d["supplement_intakes"][0].pop("nutrient"),
        "supplement_intakes[0].nutrient: is required",
    ),
    (_set("drinks.0.ml", 0), "drinks[0].ml: must be from 1 to 5000 (got 0)"),
    (_set("drinks.0.ml", 250.5), "drinks[0].ml: must be a whole number of millilitres"),
    (_set("drinks.0.kind", "soda"), "drinks[0].kind: must be one of water, tea"),
    (
        _set("version", 1),
        'The file has unknown top-level keys for format version 1: "food_entries"',
    ),
    (_set("version", 4), "This file uses data format version 4, written by a newer Cramp Diary"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_a_bad_nutrition_record_refuses_the_whole_file(
    diary: DiaryService, foods: FoodIndex, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    import_document(diary, nutrition_doc(), now=NOW, foods=foods)
    before = export_document(diary, now=NOW)
    doc = nutrition_doc()
    for name in transfer.NUTRITION_ARRAYS:  # all new records, so that a partial import shows
        for record in doc[name]:
            record["id"] += "-new"
    doc["custom_foods"][0]["name"] = doc["custom_foods"][0]["name"]
    doc["episodes"] = [
        {
            "started_at": "2026-11-24T03:00",
            "duration_s": 60,
            "muscle": "calf",
            "side": "left",
            "severity": 5,
        }
    ]
    change(doc)
    with pytest.raises(ImportFormatError) as info:
        import_document(diary, doc, now=NOW, foods=foods)
    assert str(info.value).startswith(message), str(info.value)
    assert export_document(diary, now=NOW) == before


def test_the_error_names_array_index_and_field(diary: DiaryService, foods: FoodIndex) -> None:
    doc = nutrition_doc()
    doc["food_entries"][1]["food"] = "usda:99999"
    with pytest.raises(ImportFormatError) as info:
        import_document(diary, doc, now=NOW, foods=foods)
    assert (info.value.array, info.value.index, info.value.field) == ("food_entries", 1, "food")


def test_custom_foods_named_by_entries_may_be_in_the_diary(
    diary: DiaryService, reference: tuple[FoodIndex, DriTable]
) -> None:
    service = NutritionService(diary, *reference)
    service.save_custom_food(rec.CustomFood(name="Pea soup", magnesium_mg=30.0))
    doc = nutrition_doc()
    doc["food_entries"][1]["food"] = "custom:Pea soup"
    result = import_document(diary, doc, now=NOW, foods=reference[0])
    assert result.added["food_entries"] == 2 and result.added["custom_foods"] == 1


def test_existing_names_win_and_skipped_foods_are_checked(
    diary: DiaryService, reference: tuple[FoodIndex, DriTable]
) -> None:
    foods = reference[0]
    service = NutritionService(diary, *reference)
    mine, _ = service.save_custom_food(rec.CustomFood(name="Lentil soup", magnesium_mg=50.0))
    product, _ = service.save_supplement_product(
        rec.SupplementProduct(
            name="Magnesium citrate 150 mg", nutrient="magnesium", amount_per_unit=1, unit="mg"
        )
    )
    service.save_favourite(rec.FavouriteFood(food="custom:Lentil soup", grams=1.0, id="mine"))
    result = import_document(diary, nutrition_doc(), now=NOW, foods=foods)
    assert result.skipped["custom_foods"] == 1 and result.skipped["supplement_products"] == 1
    assert result.skipped["favourite_foods"] == 1
    assert result.added["food_entries"] == 2
    assert service.custom_foods() == [mine] and service.supplement_products() == [product]
    # The file's soup entry counts with the diary's soup.
    assert service.day_intake(date(2026, 11, 24)).totals["magnesium"].food > 592 + 149

    # A file whose custom food is skipped by id (the diary's food of that id has another name)
    # cannot bring entries of a name the diary does not have.
    doc = nutrition_doc()
    doc["custom_foods"][0]["id"] = mine.id
    doc["custom_foods"][0]["name"] = "Soup of the day"
    doc["food_entries"][1] = dict(doc["food_entries"][1], id="f9", food="custom:Soup of the day")
    doc["favourite_foods"] = []
    with pytest.raises(ImportFormatError, match='the custom food "Soup of the day" is neither'):
        import_document(diary, doc, now=NOW, foods=foods)


def test_csv_export_has_the_nutrition_files(
    diary: DiaryService, foods: FoodIndex, tmp_path: Path
) -> None:
    import_document(diary, nutrition_doc(), now=NOW, foods=foods)
    written = write_export(diary, "csv", tmp_path / "csv", now=NOW)
    names = [p.name for p in written]
    assert names == [f"{name}.csv" for name in transfer.CSV_FILES]

    def rows(name: str) -> list[dict[str, str]]:
        with (tmp_path / "csv" / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    [soup] = rows("custom_foods.csv")
    assert list(soup) == list(transfer.CUSTOM_FOOD_FIELDS)
    assert json.loads(soup["portions"]) == [{"description": "1 bowl", "grams": 300.0}]
    assert soup["calcium_mg"] == "" and soup["magnesium_mg"] == "24.0"
    assert rows("drinks.csv") == [{"id": "k0", "date": "2026-11-24", "ml": "250", "kind": "milk"}]
    assert [r["food"] for r in rows("food_entries.csv")] == ["custom:Lentil soup", "usda:12014"]
    assert rows("supplement_intakes.csv")[0]["unit"] == "IU"


def test_demo_food_entries_all_resolve(
    diary: DiaryService, reference: tuple[FoodIndex, DriTable]
) -> None:
    foods = reference[0]
    generate_demo(diary, days=30, seed=2, now=NOW, foods=foods)
    doc = export_document(diary, now=NOW)
    custom = {c["name"] for c in doc["custom_foods"]}
    for entry in doc["food_entries"]:
        key = entry["food"]
        if key.startswith("custom:"):
            assert key.removeprefix("custom:") in custom
        else:
            assert foods.food(key) is not None, key
    # Ids stay unique across a re-import into a copy with ids changed: nothing merges by value.
    doc2 = copy.deepcopy(doc)
    for entry in doc2["food_entries"]:
        entry["id"] += "-2"
    result = import_document(diary, doc2, now=NOW, foods=foods)
    assert result.added["food_entries"] == len(doc["food_entries"])
    assert result.skipped["custom_foods"] == 1
    assert max(date.fromisoformat(e["date"]) for e in doc["food_entries"]) <= TODAY


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=5,
)
NUTRITION_PATHS = st.sampled_from(
    [f"food_entries.0.{f}" for f in transfer.FOOD_ENTRY_FIELDS]
    + [f"custom_foods.0.{f}" for f in transfer.CUSTOM_FOOD_FIELDS]
    + ["custom_foods.0.portions.0.description", "custom_foods.0.portions.0.grams"]
    + [f"favourite_foods.0.{f}" for f in transfer.FAVOURITE_FOOD_FIELDS]
    + [f"supplement_products.0.{f}" for f in transfer.SUPPLEMENT_PRODUCT_FIELDS]
    + [f"supplement_intakes.0.{f}" for f in transfer.SUPPLEMENT_INTAKE_FIELDS]
    + [f"drinks.0.{f}" for f in transfer.DRINK_FIELDS]
    + list(transfer.NUTRITION_ARRAYS)
    + ["food_entries.0", "custom_foods.0.portions.0", "drinks.0.extra"]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(damage=st.lists(st.tuples(NUTRITION_PATHS, JSON_VALUES), min_size=1, max_size=3))
def test_any_damaged_nutrition_record_is_checked_or_refused_cleanly(
    reference: tuple[FoodIndex, DriTable], damage: list[tuple[str, Any]]
) -> None:
    doc = nutrition_doc()
    for path, value in damage:
        try:
            _set(path, value)(doc)
        except (KeyError, IndexError, TypeError, ValueError):
            continue  # the path no longer exists after an earlier change
    try:
        checked = check_document(doc, now=NOW, foods=reference[0])
    except ImportFormatError as exc:
        assert str(exc)
    else:
        assert len(checked.food_entries) <= 2 and len(checked.drinks) <= 1
