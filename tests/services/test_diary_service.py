"""DiaryService: reads without the ORM, writes through it, and every write seen by the next read."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from crampdiary.domain import records as rec
from crampdiary.domain.errors import StorageError
from crampdiary.paths import AppPaths
from crampdiary.services.diary import DiaryService
from crampdiary.services.transfer import export_document, read_all
from crampdiary.storage.database import open_database

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()
ROOT = Path(__file__).resolve().parents[2]


def episode(hour: int = 3, **kw: Any) -> rec.Episode:
    values: dict[str, Any] = {
        "started_at": datetime(2026, 11, 24, hour, 10),
        "duration_s": 60,
        "muscle": "calf",
        "side": "left",
        "severity": 6,
    }
    values.update(kw)
    return rec.Episode(**values)


def wal(db: Path) -> Path:
    return db.with_name(db.name + "-wal")


@pytest.fixture
def db(paths: AppPaths) -> Path:
    """A checked, migrated diary file with no connection left open on it."""
    open_database(paths, now=NOW).dispose()
    return paths.database


@pytest.fixture
def fast(db: Path) -> Iterator[DiaryService]:
    """A service built from the file, as the app's fast start builds it."""
    with DiaryService(db) as diary:
        yield diary


# --- the fast path -----------------------------------------------------------------------------

FAST_READS = """
import json, sys
from datetime import date
from pathlib import Path
from crampdiary.services.diary import DiaryService

diary = DiaryService(Path(sys.argv[1]))
first, last = date(2026, 11, 18), date(2026, 11, 24)
diary.overview(first, last)
diary.profile()
diary.setting("morning_card", "")
eps = diary.episodes_for_nights(first, last)
diary.episode(eps[0].id)
diary.last_muscle_and_side()
diary.night(last)
diary.day(last)
diary.known_tags()
diary.medications()
diary.onboarding_state()
diary.has_records()
heavy = lambda: [m for m in ("sqlmodel", "sqlalchemy") if m in sys.modules]
before = heavy()
diary.warm_up()
print(json.dumps({"before": before, "cramps": len(eps), "after": heavy()}))
diary.close()
"""


@pytest.mark.slow
def test_opening_and_reading_imports_no_orm(db: Path) -> None:
    with DiaryService(db) as diary:
        diary.add_episode(episode(), now=NOW)
    result = subprocess.run(
        [sys.executable, "-c", FAST_READS, str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "before": [],
        "cramps": 1,
        "after": ["sqlmodel", "sqlalchemy"],
    }


def test_the_engine_is_made_on_the_first_write(fast: DiaryService) -> None:
    assert fast._engine is None
    assert fast.overview(date(2026, 11, 20), date(2026, 11, 24))[0].state == "unlogged"
    assert fast._engine is None
    fast.set_setting("k", "v")
    assert fast._engine is not None
    assert fast.engine is fast._engine


def test_warm_up_makes_the_engine_once(fast: DiaryService) -> None:
    fast.warm_up()
    engine = fast.engine
    fast.warm_up()
    assert fast.engine is engine


# --- reads see writes ----------------------------------------------------------------------------


def test_a_write_after_a_read_is_seen_by_the_next_read(fast: DiaryService) -> None:
    night = date(2026, 11, 23)
    assert fast.episodes_for_nights(night, night) == []
    assert fast.overview(night, night)[0].state == "unlogged"

    ep = fast.add_episode(episode(), now=NOW)
    assert fast.episodes_for_nights(night, night) == [ep]
    assert fast.episode(ep.id) == ep
    assert fast.overview(night, night)[0].cramps == 1
    assert fast.has_records()

    changed = fast.update_episode(rec.Episode(**{**ep.__dict__, "severity": 9}), now=NOW)
    assert fast.episode(ep.id) == changed
    assert fast.overview(night, night)[0].worst_severity == 9

    fast.delete_episode(ep.id)
    assert fast.episode(ep.id) is None
    assert fast.overview(night, night)[0].state == "unlogged"

    saved, _ = fast.save_night(rec.Night(night_of=night, no_cramps=True), today=TODAY)
    assert fast.night(night) == saved
    assert fast.overview(night, night)[0].state == "no_cramps"

    fast.save_day(rec.Day(date=night, tags=("gym",)), today=TODAY)
    assert "gym" in fast.known_tags()
    med, _ = fast.save_medication(rec.Medication(name="Magnesium"), today=TODAY)
    assert fast.medications() == [med]
    fast.save_profile(rec.Profile(name="Ana"), today=TODAY)
    assert fast.profile().name == "Ana"
    assert fast.onboarding_state() == (None, TODAY)
    fast.set_setting("k", "v")
    assert fast.setting("k") == "v"


def test_a_write_by_another_service_is_seen(db: Path) -> None:
    with DiaryService(db) as reader, DiaryService(db) as writer:
        night = date(2026, 11, 23)
        assert reader.episodes_for_nights(night, night) == []
        assert reader.setting("k", "none") == "none"
        ep = writer.add_episode(episode(), now=NOW)
        writer.set_setting("k", "v")
        assert reader.episodes_for_nights(night, night) == [ep]
        assert reader.setting("k") == "v"
        writer.delete_episode(ep.id)
        assert reader.episode(ep.id) is None
        # ...and the other way round, once the reader has written.
        reader.set_setting("k", "w")
        assert writer.setting("k") == "w"


def test_session_still_serves_export_and_import(fast: DiaryService) -> None:
    ep = fast.add_episode(episode(), now=NOW)
    assert read_all(fast).episodes == [ep]
    assert export_document(fast, now=NOW)["episodes"][0]["id"] == ep.id


# --- built from an engine ------------------------------------------------------------------------


def test_an_engine_still_works_and_stays_its_owners(engine: Any) -> None:
    diary = DiaryService(engine)
    assert diary.engine is engine
    assert diary.path == Path(engine.url.database)
    ep = diary.add_episode(episode(), now=NOW)
    assert diary.episode(ep.id) == ep
    assert diary.last_muscle_and_side() == ("calf", "left")
    diary.close()
    with engine.connect() as conn:  # the caller's engine was not disposed
        assert conn.exec_driver_sql("SELECT count(*) FROM cramp_episode").scalar() == 1


def test_the_diary_fixture_reads_and_writes(diary: DiaryService) -> None:
    assert diary.last_muscle_and_side() == ("calf", "left")
    diary.add_episode(episode(muscle="foot", side="right"), now=NOW)
    assert diary.last_muscle_and_side() == ("foot", "right")


def test_an_engine_without_a_file_is_refused() -> None:
    from sqlalchemy import create_engine

    memory = create_engine("sqlite://")
    try:
        with pytest.raises(ValueError, match="file"):
            DiaryService(memory)
    finally:
        memory.dispose()


# --- closing and errors --------------------------------------------------------------------------


def test_close_releases_every_connection(db: Path) -> None:
    diary = DiaryService(db)
    diary.add_episode(episode(), now=NOW)
    diary.warm_up()
    assert diary.has_records()
    assert wal(db).exists()
    diary.close()
    # SQLite removes the WAL when its last connection closes: nothing is left open.
    assert not wal(db).exists()
    diary.close()
    with pytest.raises(StorageError, match="closed"):
        diary.has_records()
    with pytest.raises(StorageError, match="closed"):
        diary.set_setting("k", "v")


def test_a_service_dropped_without_close_still_lets_go(db: Path) -> None:
    diary = DiaryService(db)
    diary.set_setting("k", "v")
    assert diary.setting("k") == "v"
    del diary
    gc.collect()
    assert not wal(db).exists()


def test_a_missing_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        DiaryService(tmp_path / "missing.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()


def test_a_read_failure_is_a_storage_error(tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    empty = tmp_path / "not-a-diary.sqlite3"
    with closing(sqlite3.connect(empty)) as con:
        con.execute("CREATE TABLE other (x)")
    with DiaryService(empty) as diary, pytest.raises(StorageError, match="no such table"):
        diary.overview(date(2026, 11, 20), date(2026, 11, 24))
