"""Opening the diary: unusable files are refused with a reason and left byte for byte."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crampdiary.domain.errors import DatabaseUnusableError
from crampdiary.paths import AppPaths
from crampdiary.storage import database, migrate
from crampdiary.storage.backup import list_backups, verify_backup
from crampdiary.storage.database import check_file, open_database
from crampdiary.storage.schema import HEAD_REVISION

NOW = datetime(2026, 11, 25, 8, 30, 0)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_diary(paths: AppPaths) -> Path:
    """A real, closed diary built by open_database, with one row."""
    engine = open_database(paths, now=NOW)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('k', 'v')")
    engine.dispose()
    return paths.database


def garbage(paths: AppPaths) -> None:
    paths.database.write_bytes(b"PK\x03\x04 a zip file, say " * 500)


def zero_bytes(paths: AppPaths) -> None:
    paths.database.write_bytes(b"")


def truncated(paths: AppPaths) -> None:
    data = make_diary(paths).read_bytes()
    paths.database.write_bytes(data[: len(data) // 2])


def newer(paths: AppPaths) -> None:
    with closing(sqlite3.connect(make_diary(paths))) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
        con.commit()


def not_diary(paths: AppPaths) -> None:
    with closing(sqlite3.connect(paths.database)) as con:
        con.execute("CREATE TABLE cramp_episode (id TEXT PRIMARY KEY)")
        con.commit()


def damaged(paths: AppPaths) -> None:
    data = bytearray(make_diary(paths).read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for start in range(2 * page_size, len(data), page_size):
        data[start : start + 64] = b"\xa5" * 64
    paths.database.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (garbage, "not_sqlite"),
        (zero_bytes, "truncated"),
        (truncated, "truncated"),
        (newer, "newer"),
        (not_diary, "not_diary"),
        (damaged, "damaged"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_unusable_diary_is_refused_and_left_alone(
    paths: AppPaths, spoil: Callable[[AppPaths], None], reason: str
) -> None:
    spoil(paths)
    before = sha256(paths.database)

    with pytest.raises(DatabaseUnusableError) as checked:
        check_file(paths.database)
    with pytest.raises(DatabaseUnusableError) as opened:
        open_database(paths, now=NOW)

    assert checked.value.reason == reason
    assert opened.value.reason == reason
    assert "diary.sqlite3" in str(opened.value)
    assert sha256(paths.database) == before
    assert list_backups(paths) == [], "nothing is backed up or migrated"


def test_newer_diary_names_the_cause(paths: AppPaths) -> None:
    newer(paths)
    with pytest.raises(DatabaseUnusableError, match="newer version of Cramp Diary"):
        open_database(paths, now=NOW)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_read_only_diary_is_refused_and_left_alone(paths: AppPaths) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file modes, so nothing is read-only to it")
    db = make_diary(paths)
    before = sha256(db)
    db.chmod(0o400)
    try:
        with pytest.raises(DatabaseUnusableError) as opened:
            open_database(paths, now=NOW)
        assert opened.value.reason == "read_only"
        assert check_file(db, for_writing=False).revision == HEAD_REVISION
    finally:
        db.chmod(0o600)
    assert sha256(db) == before


def test_read_only_diary_as_seen_by_a_user_is_refused(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal where modes cannot be tested for real (root): os.access says no."""
    db = make_diary(paths)
    before = sha256(db)
    real_access = os.access

    def no_write(path: Any, mode: int, **kwargs: Any) -> bool:
        return False if mode & os.W_OK else real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", no_write)
    with pytest.raises(DatabaseUnusableError) as opened:
        open_database(paths, now=NOW)
    assert opened.value.reason == "read_only"
    assert sha256(db) == before


@contextmanager
def exclusive_lock(db: Path) -> Iterator[None]:
    """Another program holding the diary with an exclusive lock, as in a long write."""
    with closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO setting (key, value) VALUES ('other', 'program')")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")


def test_locked_diary_is_refused_and_left_alone(paths: AppPaths) -> None:
    db = make_diary(paths)
    with closing(sqlite3.connect(db)) as con:  # rollback journal: a writer shuts readers out
        con.execute("PRAGMA journal_mode=DELETE").fetchall()
    before = sha256(db)

    with exclusive_lock(db):
        with pytest.raises(DatabaseUnusableError) as checked:
            check_file(db)
        with pytest.raises(DatabaseUnusableError) as opened:
            open_database(paths, now=NOW)

    assert checked.value.reason == "locked"
    assert opened.value.reason == "locked"
    assert sha256(db) == before
    assert list_backups(paths) == []


def test_new_diary_is_created_at_head_without_a_backup(paths: AppPaths) -> None:
    engine = open_database(paths, now=NOW)
    engine.dispose()
    assert check_file(paths.database).revision == HEAD_REVISION
    assert list_backups(paths) == []


def test_reopening_a_diary_at_head_keeps_its_rows_and_makes_no_backup(paths: AppPaths) -> None:
    make_diary(paths)
    engine = open_database(paths, now=NOW)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT key, value FROM setting").fetchall()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("k", "v")]
    assert list_backups(paths) == []


def test_an_empty_sqlite_file_is_backed_up_before_it_is_migrated(paths: AppPaths) -> None:
    with closing(sqlite3.connect(paths.database)) as con:  # valid SQLite, no tables: revision None
        con.execute("CREATE TABLE scratch (x)")
        con.execute("DROP TABLE scratch")
        con.commit()
    before = paths.database.read_bytes()
    assert check_file(paths.database).revision is None

    engine = open_database(paths, now=NOW)
    engine.dispose()

    [kept] = list_backups(paths)
    assert kept.kind == "pre-migration"
    assert kept.path.name == "diary-2026-11-25_083000-pre-migration.sqlite3"
    with closing(sqlite3.connect(f"{kept.path.as_uri()}?mode=ro", uri=True)) as con:
        assert con.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    assert len(before) > 0
    assert check_file(paths.database).revision == HEAD_REVISION


def test_a_pending_migration_runs_after_a_backup(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A diary at the current head meets an app whose head is a (fake) later revision."""
    make_diary(paths)
    calls: list[str] = []

    def fake_upgrade(db: Path) -> None:
        backups = list_backups(paths)
        assert [b.kind for b in backups] == ["pre-migration"], "backed up before migrating"
        calls.append(verify_backup(backups[0].path))
        with closing(sqlite3.connect(db)) as con:
            con.execute("UPDATE alembic_version SET version_num = '0002_fake'")
            con.commit()

    monkeypatch.setattr(database, "HEAD_REVISION", "0002_fake")
    monkeypatch.setattr(database, "KNOWN_REVISIONS", (HEAD_REVISION, "0002_fake"))
    monkeypatch.setattr(migrate, "upgrade_to_head", fake_upgrade)

    engine: Any = open_database(paths, now=NOW)
    engine.dispose()

    assert calls == [HEAD_REVISION], "the backup holds the diary as it was before migrating"
