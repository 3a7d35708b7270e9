"""Storage layer: open the diary database safely (check, back up, migrate) and build the engine.

Opening never changes a file it cannot trust: a file that is not SQLite, truncated, damaged, from a
newer app version, read-only or locked raises ``DatabaseUnusableError`` and stays byte for byte.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crampdiary.domain.errors import DatabaseUnusableError, StorageError
from crampdiary.paths import AppPaths, make_private
from crampdiary.storage.schema import HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class FileCheck:
    """What a cheap look at a database file found."""

    exists: bool
    revision: str | None  # None: a new, empty diary


def _unusable(path: Path, reason: str, detail: str) -> DatabaseUnusableError:
    messages = {
        "not_sqlite": "is not a Cramp Diary database (it is not an SQLite file)",
        "truncated": "is incomplete (cut short or empty)",
        "damaged": "is damaged",
        "newer": "was written by a newer version of Cramp Diary",
        "read_only": "cannot be written (it or its folder is read-only)",
        "locked": "is locked by another program",
        "not_diary": "is not a Cramp Diary database",
        "io_error": "could not be read or written: the disk may be full or failing",
    }
    text = f"The diary database {path.name} {messages[reason]}."
    if detail:
        text += f" ({detail})"
    return DatabaseUnusableError(text, reason=reason)


def check_file(path: Path, *, for_writing: bool = True) -> FileCheck:
    """Look at a database file without changing it; raise DatabaseUnusableError if unusable."""
    if not path.exists():
        return FileCheck(exists=False, revision=None)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise _unusable(
            path, "read_only" if isinstance(exc, PermissionError) else "damaged", exc.strerror or ""
        ) from exc
    if size == 0:
        raise _unusable(path, "truncated", "the file is empty")
    if not header.startswith(SQLITE_HEADER):
        raise _unusable(path, "not_sqlite", "")
    if len(header) < 100:
        raise _unusable(path, "truncated", "")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    wal = path.with_name(path.name + "-wal")
    if page_size and page_count and size < page_size * page_count and not wal.exists():
        raise _unusable(path, "truncated", f"{size} of {page_size * page_count} bytes")
    if for_writing and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)):
        raise _unusable(path, "read_only", "")
    revision = _read_revision(path)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise _unusable(path, "newer", f"schema {revision}")
    return FileCheck(exists=True, revision=revision)


def _read_revision(path: Path) -> str | None:
    """The file's Alembic revision after an integrity check, read through a read-only connection."""
    uri = f"{path.as_uri()}?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, timeout=1.0)
    except sqlite3.Error as exc:
        raise _unusable(path, "damaged", str(exc)) from exc
    try:
        con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS // 5}")
        result = con.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            raise _unusable(path, "damaged", "integrity check failed")
        tables = {
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise _unusable(path, "not_diary", "no schema version")
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except sqlite3.OperationalError as exc:
        raise _unusable(path, _reason_for(exc), str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, "damaged", str(exc)) from exc
    finally:
        con.close()


def _reason_for(exc: sqlite3.Error) -> str:
    """Why an SQLite call failed, as a DatabaseUnusableError reason. Only "damaged" (and the
    header checks) ever lead to the offer of a backup: a full disk or a lock is not damage."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "disk i/o" in text or "full" in text or "unable to open" in text:
        return "io_error"
    if "readonly" in text or "read-only" in text:
        return "read_only"
    return "damaged"


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def create_engine_for(path: Path) -> Engine:
    """An engine whose every connection has foreign keys, WAL and synchronous=FULL."""
    from sqlalchemy import event
    from sqlalchemy.engine import URL
    from sqlmodel import create_engine

    # URL.create, not an f-string: a folder name with "?" or "%" must stay part of the path.
    url = URL.create("sqlite", database=str(path))
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _set_pragmas)
    return engine


def prepare_database(paths: AppPaths, *, now: datetime) -> Path:
    """Check the file, back it up and migrate it if its schema is behind; return its path.

    Uses plain sqlite3 (and Alembic only when a migration is pending), so opening a diary that
    is up to date costs a few milliseconds.
    """
    paths.ensure()
    db = paths.database
    check = check_file(db)
    if check.exists and check.revision != HEAD_REVISION:
        from crampdiary.storage.backup import make_backup

        make_backup(paths, kind="pre-migration", now=now)
    if check.revision != HEAD_REVISION:
        from crampdiary.storage.migrate import upgrade_to_head

        upgrade_to_head(db)
    make_private(db)
    try:
        con = sqlite3.connect(db, timeout=1.0, isolation_level=None)
    except sqlite3.Error as exc:
        raise map_storage_error(exc, db) from exc
    try:
        con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS // 5}")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("BEGIN IMMEDIATE")  # can we write? (read-only, locked, ...)
        con.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise map_storage_error(exc, db) from exc
    finally:
        con.close()
    for suffix in ("-wal", "-shm"):
        make_private(db.with_name(db.name + suffix))
    return db


def open_database(paths: AppPaths, *, now: datetime) -> Engine:
    """``prepare_database``, then an SQLAlchemy engine on the file."""
    return create_engine_for(prepare_database(paths, now=now))


def map_storage_error(exc: BaseException, path: Path | None = None) -> StorageError:
    """Turn a database or OS failure into a StorageError with a message a user can act on."""
    text = str(getattr(exc, "orig", None) or exc)
    lowered = text.lower()
    where = f" ({path.name})" if path else ""
    if "locked" in lowered or "busy" in lowered:
        return _unusable(path or Path("diary"), "locked", "")
    if "readonly" in lowered or "read-only" in lowered or isinstance(exc, PermissionError):
        return StorageError(
            f"The diary cannot be saved: the file or its folder is read-only{where}."
        )
    if "full" in lowered or "disk i/o" in lowered or getattr(exc, "errno", None) == 28:
        return StorageError(
            "The diary cannot be saved: the disk is full. Free some space and try "
            "again; nothing already saved was lost."
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return _unusable(path or Path("diary"), "damaged", text)
    return StorageError(f"The diary could not be read or saved{where}: {text}")
