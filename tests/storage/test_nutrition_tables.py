"""The nutrition tables: revision 0002 upgrades a version-1 diary without losing a row (after a
backup), the tables have their date indexes, and the fast reads decode what the ORM wrote."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from crampdiary.domain import records as rec
from crampdiary.paths import AppPaths
from crampdiary.services import transfer
from crampdiary.services.demo import demo_document
from crampdiary.services.diary import DiaryService
from crampdiary.storage import mapping, queries, schema
from crampdiary.storage.backup import list_backups
from crampdiary.storage.database import check_file, open_database
from crampdiary.storage.migrate import alembic_config

NOW = datetime(2026, 11, 25, 9, 0)
V1_TABLES = ("profile", "cramp_episode", "night_record", "day_context", "medication", "setting")
NUTRITION_TABLES = (
    "food_entry",
    "custom_food",
    "favourite_food",
    "supplement_product",
    "supplement_intake",
    "drink",
)


def version_1_document() -> dict[str, Any]:
    """A demo diary as the previous app version exported it (format version 1)."""
    doc = demo_document(days=400, seed=5, now=NOW)
    doc = {key: value for key, value in doc.items() if key in transfer.V1_TOP_FIELDS}
    doc["version"] = 1
    return doc


def rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        con.close()


def tables(db: Path) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def make_revision_1_diary(target: AppPaths, source_db: Path) -> None:
    """A diary file at revision 0001 holding the version-1 rows of ``source_db``."""
    from alembic import command

    target.ensure()
    command.upgrade(alembic_config(target.database), "0001_initial")  # type: ignore[arg-type]
    con = sqlite3.connect(target.database)
    try:
        con.execute("ATTACH DATABASE ? AS source", (str(source_db),))
        with con:
            for table in V1_TABLES:
                con.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table}")
        con.execute("DETACH DATABASE source")
    finally:
        con.close()


def test_a_version_1_diary_is_upgraded_with_every_row_kept(tmp_path: Path) -> None:
    # The rows as the version-1 app stored them: imported into a diary, then copied into a file
    # whose schema is revision 0001 (the nutrition tables do not exist there yet).
    source_paths = AppPaths(tmp_path / "source")
    engine = open_database(source_paths, now=NOW)
    try:
        diary = DiaryService(engine)
        result = transfer.import_document(diary, version_1_document(), now=NOW)
        assert result.added["episodes"] > 100 and result.added["nights"] > 300
        expected_export = transfer.export_document(diary, now=NOW)
    finally:
        engine.dispose()
    old = AppPaths(tmp_path / "old")
    make_revision_1_diary(old, source_paths.database)
    assert check_file(old.database).revision == "0001_initial"
    assert not tables(old.database) & set(NUTRITION_TABLES)
    before = {table: rows(old.database, table) for table in V1_TABLES}
    assert len(before["cramp_episode"]) == result.added["episodes"]
    assert len(before["profile"]) == 1

    later = datetime(2026, 11, 26, 7, 0)
    engine = open_database(old, now=later)
    try:
        upgraded = DiaryService(engine)
        exported = transfer.export_document(upgraded, now=NOW)
    finally:
        engine.dispose()

    assert check_file(old.database).revision == schema.HEAD_REVISION
    assert {table: rows(old.database, table) for table in V1_TABLES} == before
    assert set(NUTRITION_TABLES) <= tables(old.database)
    assert all(rows(old.database, table) == [] for table in NUTRITION_TABLES)
    assert exported == expected_export
    # The file as it was before the migration was kept first.
    [backup] = [b for b in list_backups(old) if b.kind == "pre-migration"]
    assert backup.taken_at == later
    assert check_file(backup.path, for_writing=False).revision == "0001_initial"
    assert {table: rows(backup.path, table) for table in V1_TABLES} == before


def test_the_dated_tables_are_indexed_by_date(paths: AppPaths) -> None:
    open_database(paths, now=NOW).dispose()
    con = sqlite3.connect(paths.database)
    indexed: set[tuple[str, str]] = set()
    try:
        for table in NUTRITION_TABLES:
            for index in con.execute(f"PRAGMA index_list({table})").fetchall():
                for column in con.execute(f"PRAGMA index_info('{index[1]}')").fetchall():
                    indexed.add((table, column[2]))
    finally:
        con.close()
    assert {
        ("food_entry", "day"),
        ("supplement_intake", "day"),
        ("drink", "day"),
        ("custom_food", "name"),
        ("supplement_product", "name"),
        ("favourite_food", "food"),
    } <= indexed


def test_unique_names_are_enforced_by_the_database(diary: DiaryService) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), diary.engine.begin() as conn:
        for food_id in ("a", "b"):
            conn.exec_driver_sql(
                "INSERT INTO custom_food (id, name, portions) VALUES (?, 'Soup', '[]')",
                (food_id,),
            )


# --- what the ORM writes, the fast reads give back --------------------------------------------


@pytest.fixture
def reader(diary: DiaryService) -> Iterator[sqlite3.Connection]:
    con = queries.open_reader(diary.path)
    yield con
    con.close()


def store(diary: DiaryService, *records: Any) -> None:
    makers = {
        rec.FoodEntry: mapping.food_entry_row,
        rec.CustomFood: mapping.custom_food_row,
        rec.FavouriteFood: mapping.favourite_food_row,
        rec.SupplementProduct: mapping.supplement_product_row,
        rec.SupplementIntake: mapping.supplement_intake_row,
        rec.Drink: mapping.drink_row,
    }
    with diary.session() as s:
        for record in records:
            s.add(makers[type(record)](record))  # type: ignore[operator]
            s.flush()  # rowid order = the order given


def test_food_entries_read_back_by_date_then_as_stored(
    diary: DiaryService, reader: sqlite3.Connection
) -> None:
    d1, d2, d3 = date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)
    entries = [
        rec.FoodEntry(date=d2, food="usda:09040", grams=101.0, meal="snack", id="z"),
        rec.FoodEntry(date=d1, food="custom:Soup ñ", grams=300.5, meal="lunch", id="y"),
        rec.FoodEntry(date=d2, food="usda:08120", grams=40.5, meal="breakfast", id="a"),
        rec.FoodEntry(date=d3, food="usda:09040", grams=50.0, meal="dinner", id="b"),
    ]
    store(diary, *entries)
    assert queries.food_entries_between(reader, d1, d2) == [entries[1], entries[0], entries[2]]
    assert queries.food_entries_between(reader, d3, d3) == [entries[3]]
    assert queries.food_entry(reader, "y") == entries[1]
    assert queries.food_entry(reader, "nope") is None
    assert queries.recent_food_keys(reader, 10) == ["usda:09040", "usda:08120", "custom:Soup ñ"]
    assert queries.recent_food_keys(reader, 1) == ["usda:09040"]
    use = {key: (count, last) for key, count, last, _ in queries.food_use(reader)}
    assert use == {"usda:09040": (2, d3), "usda:08120": (1, d2), "custom:Soup ñ": (1, d1)}


def test_custom_foods_products_favourites_read_back(
    diary: DiaryService, reader: sqlite3.Connection
) -> None:
    soup = rec.CustomFood(
        name="Soup «ñ»",
        magnesium_mg=24.5,
        water_g=82.0,
        kcal=75.0,
        portions=(("1 bowl", 300.0), ("1 cup, «big»", 245.5)),
        density_g_per_ml=1.04,
        id="c2",
    )
    apple = rec.CustomFood(name="Apple pie", id="c1")
    magnesium = rec.SupplementProduct(
        name="Mg", nutrient="magnesium", amount_per_unit=150.0, unit="mg", units_per_dose=2.0
    )
    d3 = rec.SupplementProduct(
        name="D3", nutrient="vitamin_d", amount_per_unit=1000.0, unit="IU", units_per_dose=1.0
    )
    favs = [rec.FavouriteFood(food="usda:12014", grams=28.35), rec.FavouriteFood("custom:x", 1.0)]
    store(diary, soup, apple, magnesium, d3, *favs)
    assert queries.custom_foods(reader) == [apple, soup]
    assert queries.supplement_products(reader) == [d3, magnesium]
    assert queries.favourite_foods(reader) == favs


def test_intakes_and_drinks_read_back(diary: DiaryService, reader: sqlite3.Connection) -> None:
    d1, d2 = date(2026, 11, 20), date(2026, 11, 21)
    intakes = [
        rec.SupplementIntake(date=d2, nutrient="vitamin_d", amount=1000.0, unit="IU", id="i1"),
        rec.SupplementIntake(
            date=d1, nutrient="magnesium", amount=300.0, unit="mg", product="Mg", id="i2"
        ),
    ]
    drinks = [
        rec.Drink(date=d2, ml=300, kind="tea", id="k1"),
        rec.Drink(date=d1, ml=250, kind="water", id="k2"),
        rec.Drink(date=d2, ml=500, kind="water", id="k3"),
    ]
    assert not queries.has_nutrition_records(reader)
    store(diary, *intakes, *drinks)
    assert queries.has_nutrition_records(reader)
    assert queries.supplement_intakes_between(reader, d1, d2) == [intakes[1], intakes[0]]
    assert queries.drinks_between(reader, d2, d2) == [drinks[0], drinks[2]]
    assert queries.drinks_between(reader, date(2026, 1, 1), date(2026, 1, 2)) == []


def test_orm_rows_and_records_round_trip() -> None:
    soup = rec.CustomFood(name="Soup", portions=(("1 bowl", 300.0),), calcium_mg=1.5)
    assert mapping.custom_food_record(mapping.custom_food_row(soup)) == soup
    entry = rec.FoodEntry(date=date(2026, 1, 1), food="usda:01077", grams=244.0, meal="lunch")
    assert mapping.food_entry_record(mapping.food_entry_row(entry)) == entry
    assert mapping.food_entry_values(entry) == mapping.food_entry_row(entry).model_dump()
    intake = rec.SupplementIntake(date=date(2026, 1, 1), nutrient="calcium", amount=1.0, unit="mg")
    assert mapping.supplement_intake_record(mapping.supplement_intake_row(intake)) == intake
    assert (
        mapping.supplement_intake_values(intake)
        == mapping.supplement_intake_row(intake).model_dump()
    )
    drink = rec.Drink(date=date(2026, 1, 1), ml=250, kind="milk")
    assert mapping.drink_record(mapping.drink_row(drink)) == drink
    assert mapping.drink_values(drink) == mapping.drink_row(drink).model_dump()
