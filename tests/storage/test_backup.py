"""Backups through the SQLite backup API: retention, checks, restore and file modes."""

from __future__ import annotations

import errno
import hashlib
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crampdiary.domain.errors import StorageError
from crampdiary.paths import AppPaths
from crampdiary.storage import backup
from crampdiary.storage.backup import (
    BackupInfo,
    daily_backup_if_due,
    list_backups,
    make_backup,
    newest_good_backup,
    prune_backups,
    restore_backup,
    verify_backup,
)
from crampdiary.storage.database import open_database
from crampdiary.storage.schema import HEAD_REVISION

NOW = datetime(2026, 11, 25, 8, 30, 15)
POSIX = sys.platform != "win32"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def settings(path: Path) -> list[tuple[str, str]]:
    """The rows of the setting table, read through a read-only connection."""
    uri = f"{path.as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as con:
        return [tuple(r) for r in con.execute("SELECT key, value FROM setting ORDER BY key")]


def add_settings(engine: Any, *pairs: tuple[str, str]) -> None:
    with engine.begin() as conn:
        for key, value in pairs:
            conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES (?, ?)", (key, value))


@pytest.fixture
def live(paths: AppPaths) -> Iterator[Any]:
    """A migrated diary with two rows, its engine still open (the rows may sit in the WAL)."""
    engine = open_database(paths, now=NOW)
    add_settings(engine, ("a", "1"), ("b", "2"))
    yield engine
    engine.dispose()


@pytest.fixture
def diary_file(live: Any, paths: AppPaths) -> Path:
    """A closed diary with rows a=1, b=2."""
    live.dispose()
    return paths.database


def write_backup(paths: AppPaths, name: str, content: bytes = b"x") -> Path:
    paths.backups.mkdir(parents=True, exist_ok=True)
    path = paths.backups / name
    path.write_bytes(content)
    return path


def daily_name(day: date, hhmmss: str = "080000") -> str:
    return f"diary-{day:%Y-%m-%d}_{hhmmss}-daily.sqlite3"


# --- make_backup ---------------------------------------------------------------------------------


def test_backup_of_a_live_diary_has_the_same_rows_and_passes_integrity_check(
    live: Any, paths: AppPaths
) -> None:
    wal = paths.database.with_name(paths.database.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the rows should still be in the WAL"

    made = make_backup(paths, kind="manual", now=NOW)

    assert made == paths.backups / "diary-2026-11-25_083015-manual.sqlite3"
    with closing(sqlite3.connect(f"{made.as_uri()}?mode=ro", uri=True)) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert settings(made) == [("a", "1"), ("b", "2")]
    assert verify_backup(made) == HEAD_REVISION
    assert sorted(p.name for p in paths.backups.iterdir()) == [made.name], "no temp files left"


def test_backup_without_a_diary_says_so(paths: AppPaths) -> None:
    with pytest.raises(StorageError, match=r"^There is no diary to back up yet\.$"):
        make_backup(paths, kind="manual", now=NOW)


def test_backups_in_the_same_second_do_not_overwrite_each_other(
    diary_file: Path, paths: AppPaths
) -> None:
    first = make_backup(paths, kind="pre-restore", now=NOW)
    second = make_backup(paths, kind="pre-restore", now=NOW)
    assert first != second
    assert second.name == "diary-2026-11-25_083016-pre-restore.sqlite3"


def test_backup_rejects_an_unknown_kind(diary_file: Path, paths: AppPaths) -> None:
    with pytest.raises(ValueError):
        make_backup(paths, kind="weekly", now=NOW)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (PermissionError(errno.EACCES, "Permission denied"), "read-only"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
    ],
)
def test_backup_failures_give_an_actionable_message(
    diary_file: Path, paths: AppPaths, monkeypatch: pytest.MonkeyPatch, error: OSError, message: str
) -> None:
    def failing_mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        raise error

    monkeypatch.setattr(tempfile, "mkstemp", failing_mkstemp)
    with pytest.raises(StorageError, match=message):
        make_backup(paths, kind="manual", now=NOW)
    assert list(paths.backups.iterdir()) == []


def test_backup_of_a_locked_diary_says_it_is_locked(diary_file: Path, paths: AppPaths) -> None:
    with closing(sqlite3.connect(diary_file, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode=DELETE")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageError, match="locked by another program"):
            make_backup(paths, kind="manual", now=NOW)
        holder.execute("ROLLBACK")


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_backups_are_private(diary_file: Path, paths: AppPaths) -> None:
    paths.backups.rmdir()
    made = make_backup(paths, kind="manual", now=NOW)
    assert mode(paths.backups) == 0o700
    assert mode(made) == 0o600


# --- daily backups and retention -----------------------------------------------------------------


def test_daily_backup_is_made_once_a_day(diary_file: Path, paths: AppPaths) -> None:
    make_backup(paths, kind="manual", now=NOW - timedelta(hours=1))  # does not count as daily

    first = daily_backup_if_due(paths, now=NOW)
    assert first == paths.backups / "diary-2026-11-25_083015-daily.sqlite3"
    assert daily_backup_if_due(paths, now=NOW.replace(hour=23, minute=59)) is None
    next_day = daily_backup_if_due(paths, now=datetime(2026, 11, 26, 0, 0, 1))
    assert next_day == paths.backups / "diary-2026-11-26_000001-daily.sqlite3"
    assert [b.kind for b in list_backups(paths)] == ["daily", "daily", "manual"]


def test_daily_backup_without_a_diary_does_nothing(paths: AppPaths) -> None:
    assert daily_backup_if_due(paths, now=NOW) is None
    assert list(paths.backups.iterdir()) == []


def test_daily_backup_prunes_old_dailies(diary_file: Path, paths: AppPaths) -> None:
    old = [write_backup(paths, daily_name(date(2025, 1, 1) + timedelta(days=i))) for i in range(30)]
    daily_backup_if_due(paths, now=NOW)
    survivors = {b.path for b in list_backups(paths)}
    # The 14 days: today and 2025-01-18..30. Older ones fall in ISO weeks 1-3 of 2025 (weeks start
    # Mondays Dec 30, Jan 6, Jan 13), and the newest of each stays: Jan 17, 12 and 5.
    assert survivors == {
        paths.backups / "diary-2026-11-25_083015-daily.sqlite3",
        *old[17:30],
        old[16],  # Fri 2025-01-17, newest of week 3 left after the 14 days
        old[11],  # Sun 2025-01-12, week 2
        old[4],  # Sun 2025-01-05, week 1
    }


def test_retention_over_four_months(paths: AppPaths) -> None:
    """121 days of daily backups with gaps; survivors worked out by hand from a calendar.

    today is Wed 2026-11-25. No daily on Nov 20, 21, Oct 25 (a Sunday) and the whole ISO week
    Oct 12-18. Two dailies on Nov 23 and on Sun Nov 1.
    """
    today = date(2026, 11, 25)
    missing = {date(2026, 11, 20), date(2026, 11, 21), date(2026, 10, 25)}
    missing |= {date(2026, 10, 12) + timedelta(days=i) for i in range(7)}
    day = date(2026, 7, 28)
    while day <= today:
        if day not in missing:
            write_backup(paths, daily_name(day))
        day += timedelta(days=1)
    write_backup(paths, daily_name(date(2026, 11, 23), "210000"))
    write_backup(paths, daily_name(date(2026, 11, 1), "220000"))
    write_backup(paths, daily_name(date(2026, 12, 1)))  # from a clock set ahead: left alone
    others = {
        "diary-2026-07-30_120000-pre-migration.sqlite3",
        "diary-2026-08-01_120000-manual.sqlite3",
        "diary-2026-09-02_120000-pre-restore.sqlite3",
        "diary-2026-13-01_000000-daily.sqlite3",  # no such month: not a backup
        "diary-2026-08-05_000000-weekly.sqlite3",  # no such kind: not a backup
        "notes.txt",
    }
    for name in others:
        write_backup(paths, name)

    deleted = prune_backups(paths, today=today)

    kept_dailies = {
        # the 14 most recent days with a daily backup (Nov 20 and 21 have none)
        "diary-2026-11-25_080000-daily.sqlite3",
        "diary-2026-11-24_080000-daily.sqlite3",
        "diary-2026-11-23_210000-daily.sqlite3",
        "diary-2026-11-23_080000-daily.sqlite3",
        "diary-2026-11-22_080000-daily.sqlite3",
        "diary-2026-11-19_080000-daily.sqlite3",
        "diary-2026-11-18_080000-daily.sqlite3",
        "diary-2026-11-17_080000-daily.sqlite3",
        "diary-2026-11-16_080000-daily.sqlite3",
        "diary-2026-11-15_080000-daily.sqlite3",
        "diary-2026-11-14_080000-daily.sqlite3",
        "diary-2026-11-13_080000-daily.sqlite3",
        "diary-2026-11-12_080000-daily.sqlite3",
        "diary-2026-11-11_080000-daily.sqlite3",
        "diary-2026-11-10_080000-daily.sqlite3",
        # then the newest of each of 8 ISO weeks, counting only weeks that have one
        "diary-2026-11-09_080000-daily.sqlite3",  # week Nov 9-15: only Mon 9 is older
        "diary-2026-11-08_080000-daily.sqlite3",  # week Nov 2-8
        "diary-2026-11-01_220000-daily.sqlite3",  # week Oct 26-Nov 1: the later of two
        "diary-2026-10-24_080000-daily.sqlite3",  # week Oct 19-25: no Sunday
        # week Oct 12-18 has none and does not count
        "diary-2026-10-11_080000-daily.sqlite3",  # week Oct 5-11
        "diary-2026-10-04_080000-daily.sqlite3",  # week Sep 28-Oct 4
        "diary-2026-09-27_080000-daily.sqlite3",  # week Sep 21-27
        "diary-2026-09-20_080000-daily.sqlite3",  # week Sep 14-20, the 8th
        "diary-2026-12-01_080000-daily.sqlite3",  # dated after today
    }
    assert {p.name for p in paths.backups.iterdir()} == kept_dailies | others
    # 111 days with a daily + 2 second ones + 1 future = 114 files, 24 kept
    assert len(deleted) == 90
    assert not any(p.exists() for p in deleted)
    assert prune_backups(paths, today=today) == []


def test_manual_and_safety_backups_are_never_pruned(paths: AppPaths) -> None:
    names = {
        f"diary-{date(2025, 1, 1) + timedelta(days=i):%Y-%m-%d}_120000-{kind}.sqlite3"
        for i in range(60)
        for kind in ("manual", "pre-migration", "pre-restore")
    }
    for name in names:
        write_backup(paths, name)
    assert prune_backups(paths, today=date(2026, 11, 25)) == []
    assert {p.name for p in paths.backups.iterdir()} == names


def test_list_backups_is_newest_first_and_ignores_other_files(paths: AppPaths) -> None:
    write_backup(paths, "diary-2026-11-01_080000-daily.sqlite3", b"12345")
    write_backup(paths, "diary-2026-11-03_080000-manual.sqlite3")
    write_backup(paths, "diary-2026-11-02_080000-pre-migration.sqlite3")
    write_backup(paths, "diary-2026-11-04_080000-daily.sqlite3-wal")
    write_backup(paths, ".diary-abc.tmp")
    (paths.backups / "diary-2026-11-05_080000-daily.sqlite3").mkdir()

    found = list_backups(paths)

    assert [b.kind for b in found] == ["manual", "pre-migration", "daily"]
    assert found[-1] == BackupInfo(
        paths.backups / "diary-2026-11-01_080000-daily.sqlite3",
        "daily",
        datetime(2026, 11, 1, 8, 0, 0),
        5,
    )


def test_list_backups_without_a_folder_is_empty(tmp_path: Path) -> None:
    assert list_backups(AppPaths(tmp_path / "nowhere")) == []


# --- verify_backup -------------------------------------------------------------------------------


@pytest.fixture
def good_backup(diary_file: Path, paths: AppPaths) -> Path:
    return make_backup(paths, kind="manual", now=NOW)


def test_verify_accepts_a_good_backup_without_touching_it(good_backup: Path) -> None:
    before = sha256(good_backup)
    listing = sorted(good_backup.parent.iterdir())
    assert verify_backup(good_backup) == HEAD_REVISION
    assert sha256(good_backup) == before
    assert sorted(good_backup.parent.iterdir()) == listing


def test_verify_accepts_a_wal_mode_copy_without_leaving_files_beside_it(
    diary_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    copy = folder / "diary.sqlite3"
    copy.write_bytes(diary_file.read_bytes())
    assert copy.read_bytes()[18:20] == b"\x02\x02"  # WAL mode
    assert verify_backup(copy) == HEAD_REVISION
    assert [p.name for p in folder.iterdir()] == ["diary.sqlite3"]


def _truncate(source: Path, target: Path) -> None:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])


def _newer(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())
    with closing(sqlite3.connect(target)) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
        con.commit()


def _corrupt_page(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):
        start = page * page_size
        data[start : start + 64] = b"\xa5" * 64
    target.write_bytes(bytes(data))


def _without_tables(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())
    with closing(sqlite3.connect(target)) as con:
        con.execute("DROP TABLE cramp_episode")
        con.commit()


def _no_version(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(target)) as con:
        con.execute("CREATE TABLE profile (id INTEGER PRIMARY KEY)")
        con.commit()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda src, dst: dst.write_bytes(b"this is not a database\n" * 200), "not an SQLite file"),
        (lambda src, dst: dst.write_bytes(b""), "empty"),
        (_truncate, "incomplete"),
        (_newer, "from a newer version of Cramp Diary"),
        (_corrupt_page, "damaged"),
        (_without_tables, "missing tables: cramp_episode"),
        (_no_version, "no schema version"),
        (lambda src, dst: None, "does not exist"),
    ],
    ids=[
        "garbage",
        "zero-bytes",
        "truncated",
        "newer",
        "damaged",
        "no-tables",
        "no-version",
        "missing",
    ],
)
def test_verify_refuses_bad_files_and_leaves_them_alone(
    good_backup: Path, tmp_path: Path, make: Any, message: str
) -> None:
    bad = tmp_path / "bad.sqlite3"
    make(good_backup, bad)
    before = sha256(bad) if bad.exists() else None
    with pytest.raises(StorageError, match=message):
        verify_backup(bad)
    assert (sha256(bad) if bad.exists() else None) == before


def test_newest_good_backup_skips_bad_ones(good_backup: Path, paths: AppPaths) -> None:
    write_backup(paths, "diary-2026-11-26_080000-daily.sqlite3", b"garbage" * 100)
    write_backup(paths, "diary-2026-11-27_080000-daily.sqlite3", b"")
    older = make_backup(paths, kind="daily", now=NOW - timedelta(days=3))
    assert newest_good_backup(paths) == good_backup
    good_backup.write_bytes(b"")
    assert newest_good_backup(paths) == older


def test_newest_good_backup_is_none_without_backups(paths: AppPaths) -> None:
    assert newest_good_backup(paths) is None


# --- restore_backup ------------------------------------------------------------------------------


def test_restore_keeps_a_pre_restore_copy_and_brings_back_the_rows(
    good_backup: Path, paths: AppPaths
) -> None:
    engine = open_database(paths, now=NOW)
    add_settings(engine, ("c", "3"))
    engine.dispose()

    kept = restore_backup(paths, good_backup, now=NOW + timedelta(minutes=5))

    assert kept == paths.backups / "diary-2026-11-25_083515-pre-restore.sqlite3"
    assert settings(kept) == [("a", "1"), ("b", "2"), ("c", "3")]
    assert settings(paths.database) == [("a", "1"), ("b", "2")]
    assert verify_backup(paths.database) == HEAD_REVISION
    assert sorted(p.name for p in paths.data_dir.iterdir()) == [
        "backups",
        "diary.sqlite3",
        "logs",
    ], "no temp or companion files left beside the diary, no damaged folder"
    engine = open_database(paths, now=NOW)
    engine.dispose()


def test_restore_over_a_garbage_diary_keeps_it_byte_for_byte(
    good_backup: Path, paths: AppPaths
) -> None:
    garbage = b"\x00\x01 not a diary at all " * 1000
    paths.database.write_bytes(garbage)
    wal = paths.database.with_name("diary.sqlite3-wal")
    wal.write_bytes(b"stale wal")

    kept = restore_backup(paths, good_backup, now=NOW)

    assert kept == paths.damaged / "diary-2026-11-25_083015.sqlite3"
    assert kept.read_bytes() == garbage
    assert (paths.damaged / "diary-2026-11-25_083015.sqlite3-wal").read_bytes() == b"stale wal"
    assert not wal.exists()
    assert settings(paths.database) == [("a", "1"), ("b", "2")]
    assert [b.kind for b in list_backups(paths)] == ["manual"], "no backup of the garbage"
    if POSIX:
        assert mode(paths.damaged) == 0o700
        assert mode(kept) == 0o600
        assert mode(paths.database) == 0o600


def test_restore_of_a_bad_file_changes_nothing(
    diary_file: Path, paths: AppPaths, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"nope" * 100)
    before = sha256(diary_file)
    with pytest.raises(StorageError, match="not an SQLite file"):
        restore_backup(paths, bad, now=NOW)
    assert sha256(diary_file) == before
    assert list_backups(paths) == []
    assert not paths.damaged.exists()


def test_restore_over_a_diary_locked_by_another_program_changes_nothing(
    good_backup: Path, paths: AppPaths
) -> None:
    with closing(sqlite3.connect(paths.database, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode=DELETE")
        before = sha256(paths.database)
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageError, match="in use by another program"):
            restore_backup(paths, good_backup, now=NOW + timedelta(minutes=1))
        holder.execute("ROLLBACK")
    assert sha256(paths.database) == before
    assert [b.path for b in list_backups(paths)] == [good_backup]
    assert not paths.damaged.exists()


def test_restore_refuses_the_diary_itself(diary_file: Path, paths: AppPaths) -> None:
    with pytest.raises(StorageError, match="the diary itself"):
        restore_backup(paths, diary_file, now=NOW)


def test_restore_into_an_empty_data_folder(good_backup: Path, tmp_path: Path) -> None:
    fresh = AppPaths(tmp_path / "new-machine")
    assert restore_backup(fresh, good_backup, now=NOW) is None
    assert settings(fresh.database) == [("a", "1"), ("b", "2")]
    if POSIX:
        assert mode(fresh.data_dir) == 0o700
        assert mode(fresh.database) == 0o600


_CRASH_AFTER_WRITE = """
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA journal_mode=WAL")
con.execute("INSERT INTO setting (key, value) VALUES ('crash', 'in the wal')")
con.commit()
os._exit(0)  # no close: the row stays in the -wal file, as after a crash
"""


@pytest.mark.slow
def test_restore_never_replays_a_stale_wal(good_backup: Path, paths: AppPaths) -> None:
    subprocess.run([sys.executable, "-c", _CRASH_AFTER_WRITE, str(paths.database)], check=True)
    wal = paths.database.with_name("diary.sqlite3-wal")
    assert wal.stat().st_size > 0
    wal_bytes = wal.read_bytes()

    kept = restore_backup(paths, good_backup, now=NOW)

    assert kept is not None and kept.name.endswith("-pre-restore.sqlite3")
    assert ("crash", "in the wal") in settings(kept), "the backup API read the WAL"
    assert not wal.exists()
    aside = paths.damaged / "diary-2026-11-25_083015-replaced.sqlite3-wal"
    assert aside.read_bytes() == wal_bytes
    assert settings(paths.database) == [("a", "1"), ("b", "2")]
    engine = open_database(paths, now=NOW)  # opening must not bring the crashed row back
    engine.dispose()
    assert settings(paths.database) == [("a", "1"), ("b", "2")]


def test_restore_failing_for_lack_of_space_leaves_the_diary(
    good_backup: Path, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(paths, now=NOW)
    add_settings(engine, ("c", "3"))
    engine.dispose()
    before = sha256(paths.database)
    real = backup._copy_through_backup_api

    def disk_full(src: sqlite3.Connection, target: Path | None, **kwargs: Any) -> Path:
        if target is None:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, target, **kwargs)

    monkeypatch.setattr(backup, "_copy_through_backup_api", disk_full)
    with pytest.raises(StorageError, match="the disk is full"):
        restore_backup(paths, good_backup, now=NOW + timedelta(minutes=1))
    assert sha256(paths.database) == before
    assert settings(paths.database) == [("a", "1"), ("b", "2"), ("c", "3")]
