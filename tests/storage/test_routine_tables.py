"""The routine tables: revision 0003 upgrades a revision-0002 diary without losing a row (after a
backup), the database enforces one check per item and night and known item keys, and the fast
reads decode what the ORM wrote."""

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
V2_TABLES = (
    "profile",
    "cramp_episode",
    "night_record",
    "day_context",
    "medication",
    "setting",
    "food_entry",
    "custom_food",
    "favourite_food",
    "supplement_product",
    "supplement_intake",
    "drink",
)
ROUTINE_TABLES = ("routine_item", "routine_item_version", "routine_check", "paper_tally")


def version_2_document() -> dict[str, Any]:
    """A demo diary as the previous app version exported it (format version 2)."""
    doc = demo_document(days=200, seed=5, now=NOW)
    doc = {key: value for key, value in doc.items() if key in transfer.V2_TOP_FIELDS}
    doc["version"] = 2
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


def make_revision_2_diary(target: AppPaths, source_db: Path) -> None:
    """A diary file at revision 0002 holding the version-2 rows of ``source_db``."""
    from alembic import command

    target.ensure()
    command.upgrade(alembic_config(target.database), "0002_nutrition")  # type: ignore[arg-type]
    con = sqlite3.connect(target.database)
    try:
        con.execute("ATTACH DATABASE ? AS source", (str(source_db),))
        with con:
            for table in V2_TABLES:
                con.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table}")
        con.execute("DETACH DATABASE source")
    finally:
        con.close()


def test_a_revision_2_diary_is_upgraded_with_every_row_kept(tmp_path: Path) -> None:
    source_paths = AppPaths(tmp_path / "source")
    engine = open_database(source_paths, now=NOW)
    try:
        diary = DiaryService(engine)
        result = transfer.import_document(diary, version_2_document(), now=NOW)
        assert result.added["episodes"] > 50 and result.added["food_entries"] > 1000
        expected_export = transfer.export_document(diary, now=NOW)
    finally:
        engine.dispose()
    old = AppPaths(tmp_path / "old")
    make_revision_2_diary(old, source_paths.database)
    assert check_file(old.database).revision == "0002_nutrition"
    assert not tables(old.database) & set(ROUTINE_TABLES)
    before = {table: rows(old.database, table) for table in V2_TABLES}
    assert len(before["drink"]) == result.added["drinks"] > 0
    assert len(before["profile"]) == 1

    later = datetime(2026, 11, 27, 7, 0)
    engine = open_database(old, now=later)
    try:
        exported = transfer.export_document(DiaryService(engine), now=NOW)
    finally:
        engine.dispose()

    assert check_file(old.database).revision == schema.HEAD_REVISION == "0003_routine"
    assert {table: rows(old.database, table) for table in V2_TABLES} == before
    assert set(ROUTINE_TABLES) <= tables(old.database)
    assert all(rows(old.database, table) == [] for table in ROUTINE_TABLES)
    assert exported == expected_export
    [backup] = [b for b in list_backups(old) if b.kind == "pre-migration"]
    assert backup.taken_at == later
    assert check_file(backup.path, for_writing=False).revision == "0002_nutrition"
    assert {table: rows(backup.path, table) for table in V2_TABLES} == before


def test_the_routine_tables_are_indexed(paths: AppPaths) -> None:
    open_database(paths, now=NOW).dispose()
    con = sqlite3.connect(paths.database)
    try:
        indexes = {
            (table, index[1]): (
                bool(index[2]),
                [c[2] for c in con.execute(f"PRAGMA index_info('{index[1]}')").fetchall()],
            )
            for table in ROUTINE_TABLES
            for index in con.execute(f"PRAGMA index_list({table})").fetchall()
            if not index[1].startswith("sqlite_autoindex")
        }
        foreign = {
            table: [(f[3], f[2], f[4]) for f in con.execute(f"PRAGMA foreign_key_list({table})")]
            for table in ("routine_item_version", "routine_check")
        }
    finally:
        con.close()
    assert indexes == {
        ("routine_item_version", "ix_routine_item_version_item_valid_from"): (
            True,
            ["item", "valid_from"],
        ),
        ("routine_check", "ix_routine_check_night_of_item"): (True, ["night_of", "item"]),
        ("paper_tally", "ix_paper_tally_night_of"): (True, ["night_of"]),
    }
    assert foreign == {
        "routine_item_version": [("item", "routine_item", "key")],
        "routine_check": [("item", "routine_item", "key")],
    }


def insert(diary: DiaryService, sql: str, *params: Any) -> None:
    with diary.engine.begin() as conn:
        conn.exec_driver_sql(sql, params)


def test_one_check_per_item_and_night_and_known_items_only(diary: DiaryService) -> None:
    from sqlalchemy.exc import IntegrityError

    insert(diary, "INSERT INTO routine_item (key) VALUES ('calf')")
    check = (
        "INSERT INTO routine_check (id, night_of, item, state, note, title) "
        "VALUES (?, '2026-11-24', ?, 'done', '', '')"
    )
    insert(diary, check, "a", "calf")
    with pytest.raises(IntegrityError):
        insert(diary, check, "b", "calf")
    with pytest.raises(IntegrityError):
        insert(diary, check, "c", "nope")
    version = (
        "INSERT INTO routine_item_version (id, item, valid_from, title, instructions, line, "
        "days, active, position, per_leg, removed) "
        "VALUES (?, 'calf', '2026-11-01', 'Calf', '', '', '[1]', 1, 0, 0, 0)"
    )
    insert(diary, version, "v1")
    with pytest.raises(IntegrityError):
        insert(diary, version, "v2")


# --- what the ORM writes, the fast reads give back --------------------------------------------


@pytest.fixture
def reader(diary: DiaryService) -> Iterator[sqlite3.Connection]:
    con = queries.open_reader(diary.path)
    yield con
    con.close()


def test_versions_checks_and_tallies_read_back(
    diary: DiaryService, reader: sqlite3.Connection
) -> None:
    from crampdiary.storage import tables as t

    d1, d2, d3 = date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)
    calf = rec.RoutineItem(
        key="calf",
        title="Calf «stretch»",
        instructions="Lean in.\nSwap legs.",
        line="10 s x 3",
        days=(1, 3, 7),
        position=2,
        hold_s=10,
        reps=3,
        rest_s=10,
        per_leg=True,
        valid_from=d1,
    )
    calf_later = rec.RoutineItem(key="calf", title="Calf", active=False, valid_from=d3)
    bath = rec.RoutineItem(key="bath", title="Bath", removed=True, valid_from=d2)
    checks = [
        rec.RoutineCheck(night_of=d2, item="calf", state="skipped", reason="ill", note="flu"),
        rec.RoutineCheck(night_of=d1, item="calf", state="done", title="Calf «stretch»"),
        rec.RoutineCheck(night_of=d2, item="bath", state="undone"),
    ]
    tallies = [rec.PaperTally(d2, 2, 7), rec.PaperTally(d1, 0, None)]
    assert not queries.has_routine_records(reader)
    with diary.session() as s:
        s.add_all([t.RoutineItem(key="calf"), t.RoutineItem(key="bath")])
        s.flush()
        s.add_all([mapping.routine_version_row(v) for v in (calf_later, bath, calf)])
        s.flush()
        s.add_all([mapping.routine_check_row(c) for c in checks])
        s.add_all([mapping.paper_tally_row(p) for p in tallies])
    assert queries.has_routine_records(reader)
    assert queries.routine_versions(reader) == [bath, calf, calf_later]
    assert queries.routine_checks_between(reader, d1, d2) == [checks[1], checks[2], checks[0]]
    assert queries.routine_checks_between(reader, d3, d3) == []
    assert queries.paper_tallies_between(reader, d1, d3) == [tallies[1], tallies[0]]


def test_logged_nights_are_night_records_cramps_and_paper_tallies(
    diary: DiaryService, reader: sqlite3.Connection
) -> None:
    d = [date(2026, 11, n) for n in range(18, 25)]
    diary.save_night(rec.Night(night_of=d[0], no_cramps=True), today=d[-1])
    diary.add_episode(
        rec.Episode(
            started_at=datetime(2026, 11, 21, 3, 0),
            duration_s=60,
            muscle="calf",
            side="left",
            severity=5,
        ),
        now=NOW,
    )
    with diary.session() as s:
        s.add(mapping.paper_tally_row(rec.PaperTally(d[4], 1, 3)))
    assert queries.logged_nights_between(reader, d[0], d[-1]) == {d[0], d[2], d[4]}
    assert queries.logged_nights_between(reader, d[1], d[1]) == set()


def test_orm_rows_and_records_round_trip() -> None:
    item = rec.RoutineItem(
        key="toe", title="Toe", days=(2, 4), hold_s=5, reps=2, valid_from=date(2026, 1, 1)
    )
    assert mapping.routine_version_record(mapping.routine_version_row(item)) == item
    check = rec.RoutineCheck(night_of=date(2026, 1, 1), item="toe", state="skipped", reason="other")
    assert mapping.routine_check_record(mapping.routine_check_row(check)) == check
    assert mapping.routine_check_values(check) == mapping.routine_check_row(check).model_dump()
    assert mapping.routine_version_values(item) == mapping.routine_version_row(item).model_dump()
    tally = rec.PaperTally(date(2026, 1, 1), 3, None)
    assert mapping.paper_tally_record(mapping.paper_tally_row(tally)) == tally
    with pytest.raises(ValueError, match="valid_from"):
        mapping.routine_version_row(rec.RoutineItem(key="toe", title="Toe"))
