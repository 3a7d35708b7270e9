"""Storage layer: backups through the SQLite backup API, their retention, checks and restore.

A backup is ``backups/diary-YYYY-MM-DD_HHMMSS-<kind>.sqlite3``, written to a temp file in the same
folder, fsynced and moved into place, readable by the user alone. A plain file copy of a live
database can be torn, so every copy of a database goes through ``Connection.backup``; the one
exception is a damaged database, which is copied byte for byte and never opened.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from crampdiary.domain.errors import DatabaseUnusableError, StorageError
from crampdiary.paths import AppPaths, make_private
from crampdiary.storage.database import SQLITE_HEADER, check_file
from crampdiary.storage.files import fsync_dir
from crampdiary.storage.schema import KNOWN_REVISIONS

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = ("daily", "manual", "pre-migration", "pre-restore", "pre-import")
KEEP_DAYS = 14
KEEP_WEEKS = 8
REQUIRED_TABLES: tuple[str, ...] = ("cramp_episode", "night_record", "profile")
# Files SQLite reads together with a database: a stale one must never meet a restored file.
COMPANION_SUFFIXES: tuple[str, ...] = ("-wal", "-shm", "-journal")

_STAMP = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(
    r"diary-(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})-(?P<kind>" + "|".join(map(re.escape, KINDS)) + r")"
    r"\.sqlite3"
)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file found in the backups folder."""

    path: Path
    kind: str  # "daily" | "manual" | "pre-migration" | "pre-restore"
    taken_at: datetime  # local wall-clock, parsed from the file name
    size: int


def backup_name(kind: str, taken_at: datetime) -> str:
    return f"diary-{taken_at:{_STAMP}}-{kind}.sqlite3"


def make_backup(paths: AppPaths, *, kind: str, now: datetime) -> Path:
    """Copy the diary into the backups folder through the backup API; return the new file."""
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    source = paths.database
    if not source.exists():
        raise StorageError("There is no diary to back up yet.")
    action = "make a backup"
    try:
        _ensure_private_dir(paths.backups)
        target = paths.backups / backup_name(kind, _free_time(now, paths.backups, kind))
        with closing(_connect_live_readonly(source)) as src:
            _copy_through_backup_api(src, target)
    except sqlite3.Error as exc:
        raise _storage_error(exc, action, paths.backups) from exc
    except OSError as exc:
        raise _storage_error(exc, action, paths.backups) from exc
    logger.info("made %s backup %s", kind, target.name)
    return target


def daily_backup_if_due(paths: AppPaths, *, now: datetime) -> Path | None:
    """Make today's daily backup unless there is one, then prune; return the new file or None.

    Returns None as well when there is no diary yet: there is nothing to keep.
    """
    if not paths.database.exists():
        return None
    today = now.date()
    done = any(b.kind == "daily" and b.taken_at.date() == today for b in list_backups(paths))
    made = None if done else make_backup(paths, kind="daily", now=now)
    prune_backups(paths, today=today)
    return made


def prune_backups(paths: AppPaths, *, today: date) -> list[Path]:
    """Delete the daily backups retention no longer keeps; return the deleted files.

    Kept: every daily backup of the 14 most recent days that have one, and the newest daily
    backup of each of the 8 most recent ISO weeks that have one older than those days. Backups
    dated after ``today`` (a clock set wrong once) are left alone and take no place. Manual,
    pre-migration and pre-restore backups are never deleted.
    """
    dailies = [
        b for b in list_backups(paths) if b.kind == "daily" and b.taken_at.date() <= today
    ]  # newest first
    recent_days = sorted({b.taken_at.date() for b in dailies}, reverse=True)[:KEEP_DAYS]
    keep = {b.path for b in dailies if b.taken_at.date() in recent_days}
    weeks_seen: set[tuple[int, int]] = set()
    for b in dailies:
        if b.path in keep:
            continue
        iso = b.taken_at.date().isocalendar()
        week = (iso.year, iso.week)
        if week not in weeks_seen and len(weeks_seen) < KEEP_WEEKS:
            weeks_seen.add(week)
            keep.add(b.path)
    deleted: list[Path] = []
    for b in dailies:
        if b.path in keep:
            continue
        try:
            b.path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            logger.warning("could not delete old backup %s: %s", b.path.name, exc)
            continue
        deleted.append(b.path)
    if deleted:
        logger.info("pruned %d old daily backups", len(deleted))
    return deleted


def list_backups(paths: AppPaths) -> list[BackupInfo]:
    """The backups in the backups folder, newest first; other files are ignored."""
    try:
        entries = list(paths.backups.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise _storage_error(exc, "list the backups", paths.backups) from exc
    found: list[BackupInfo] = []
    for entry in entries:
        match = _NAME.fullmatch(entry.name)
        if not match:
            continue
        try:
            taken_at = datetime.strptime(match["stamp"], _STAMP)
            stat = entry.stat()
        except (ValueError, OSError):
            continue
        if not entry.is_file():
            continue
        found.append(BackupInfo(entry, match["kind"], taken_at, stat.st_size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def verify_backup(file: Path) -> str:
    """Check that a file is a whole, undamaged diary this version can read; return its revision.

    The file is opened read-only and never changed.
    """
    file = Path(file)
    name = file.name
    try:
        size = file.stat().st_size
        with file.open("rb") as fh:
            header = fh.read(100)
    except FileNotFoundError as exc:
        raise StorageError(f"The backup {name} does not exist.") from exc
    except OSError as exc:
        raise StorageError(f"The backup {name} cannot be read: {exc.strerror or exc}.") from exc
    if size == 0:
        raise StorageError(f"The backup {name} is empty (zero bytes); it cannot be restored.")
    if not header.startswith(SQLITE_HEADER):
        raise StorageError(f"The backup {name} is not an SQLite file; it cannot be restored.")
    if len(header) < 100 or (
        _expected_size(header) > size and not _companion(file, "-wal").exists()
    ):
        raise StorageError(f"The backup {name} is incomplete (truncated); it cannot be restored.")
    try:
        with closing(_connect_file_readonly(file)) as con:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            if [tuple(r) for r in rows] != [("ok",)]:
                raise StorageError(
                    f"The backup {name} is damaged (integrity check failed); it cannot be restored."
                )
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            row = (
                con.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "not a database" in text:
            raise StorageError(
                f"The backup {name} is not an SQLite file; it cannot be restored."
            ) from exc
        if "locked" in text or "busy" in text:
            raise StorageError(
                f"The backup {name} is locked by another program; close it and try again."
            ) from exc
        raise StorageError(f"The backup {name} is damaged ({exc}); it cannot be restored.") from exc
    except OSError as exc:
        raise StorageError(f"The backup {name} cannot be read: {exc.strerror or exc}.") from exc
    if row is None:
        raise StorageError(
            f"The backup {name} is not a Cramp Diary database (it has no schema version)."
        )
    revision = str(row[0])
    if revision not in KNOWN_REVISIONS:
        raise StorageError(
            f"The backup {name} is from a newer version of Cramp Diary (schema {revision}); "
            "update Cramp Diary to restore it."
        )
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise StorageError(
            f"The backup {name} is not a Cramp Diary database (missing tables: "
            f"{', '.join(missing)})."
        )
    return revision


def newest_good_backup(paths: AppPaths) -> Path | None:
    """The newest backup that passes ``verify_backup``, or None."""
    for info in list_backups(paths):
        try:
            verify_backup(info.path)
        except StorageError as exc:
            logger.warning("skipping backup %s: %s", info.path.name, exc)
            continue
        return info.path
    return None


def restore_backup(paths: AppPaths, file: Path, *, now: datetime) -> Path | None:
    """Replace the diary with a checked backup, keeping the current file first.

    Returns where the current diary was kept: a pre-restore backup if it opened fine, else a
    byte-for-byte copy in the damaged folder; None if there was no diary. A diary locked by
    another program is not replaced. The caller guarantees no engine is open on the database.
    """
    file = Path(file)
    db = paths.database
    if db.exists() and file.exists() and os.path.samefile(file, db):
        raise StorageError("That file is the diary itself; choose a backup to restore.")
    verify_backup(file)
    action = "restore the backup"
    try:
        paths.ensure()
        kept, damaged = _keep_current(paths, now)
        with closing(_connect_file_readonly(file)) as src:
            temp = _copy_through_backup_api(src, None, folder=db.parent)
        try:
            verify_backup(temp)
            _put_companions_aside(paths, now, beside=kept if damaged else None)
            os.replace(temp, db)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        make_private(db)
        fsync_dir(db.parent)
    except sqlite3.Error as exc:
        raise _storage_error(exc, action, db.parent) from exc
    except OSError as exc:
        raise _storage_error(exc, action, db.parent) from exc
    logger.info("restored backup %s", file.name)
    return kept


def _keep_current(paths: AppPaths, now: datetime) -> tuple[Path | None, bool]:
    """Keep the current diary; return where it went and whether it was unusable."""
    db = paths.database
    if not db.exists():
        return None, False
    try:
        check_file(db, for_writing=False)
    except DatabaseUnusableError as exc:
        if exc.reason == "locked":
            # A live program holds it (SQLite's locks die with their process): replacing the
            # file under it could mix its writes with the restored diary.
            raise StorageError(
                "The diary is in use by another program, so it cannot be replaced now. "
                "Close that program and try again."
            ) from exc
        logger.warning("keeping the unusable diary (%s) byte for byte", exc.reason)
        return _copy_damaged(paths, now), True
    return make_backup(paths, kind="pre-restore", now=now), False


def _put_companions_aside(paths: AppPaths, now: datetime, *, beside: Path | None) -> None:
    """Move the old diary's companion files away: none may ever be read with the restored file.

    With ``beside`` (the damaged copy) they join it, replacing their copies. Otherwise the old
    diary opened fine and its pre-restore backup holds all they held: a WAL with no frames (and
    its index) is deleted, anything else goes to the damaged folder, never next to a backup,
    where SQLite would read it.
    """
    db = paths.database
    present = [s for s in COMPANION_SUFFIXES if _companion(db, s).exists()]
    if not present:
        return
    if beside is None:
        wal = _companion(db, "-wal")
        if not wal.exists() or wal.stat().st_size == 0:
            for suffix in ("-wal", "-shm"):
                if suffix in present:
                    _companion(db, suffix).unlink()
                    present.remove(suffix)
        if not present:
            fsync_dir(db.parent)
            return
        _ensure_private_dir(paths.damaged)
        beside = _free_path(
            now,
            lambda t: paths.damaged / f"diary-{t:{_STAMP}}-replaced.sqlite3",
            COMPANION_SUFFIXES,
        )
    for suffix in present:
        target = _companion(beside, suffix)
        os.replace(_companion(db, suffix), target)
        make_private(target)
    fsync_dir(db.parent)
    fsync_dir(beside.parent)


def _copy_damaged(paths: AppPaths, now: datetime) -> Path:
    """Copy the database and its companions, unopened and unchanged, into the damaged folder."""
    db = paths.database
    _ensure_private_dir(paths.damaged)
    kept = _free_path(
        now, lambda t: paths.damaged / f"diary-{t:{_STAMP}}.sqlite3", COMPANION_SUFFIXES
    )
    _copy_bytes(db, kept)
    for suffix in COMPANION_SUFFIXES:
        companion = _companion(db, suffix)
        if companion.exists():
            _copy_bytes(companion, _companion(kept, suffix))
    fsync_dir(paths.damaged)
    return kept


def _copy_bytes(source: Path, target: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=".diary-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        shutil.copy2(source, temp)
        make_private(temp)
        _fsync_file(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _copy_through_backup_api(
    src: sqlite3.Connection, target: Path | None, *, folder: Path | None = None
) -> Path:
    """Copy ``src`` into a fresh file: temp file, backup API, fsync, then move to ``target``.

    With ``target`` None the fsynced temp file (in ``folder``) is returned for the caller to move.
    """
    where = target.parent if target is not None else folder
    if where is None:
        raise ValueError("a target or a folder is needed")
    fd, name = tempfile.mkstemp(prefix=".diary-", suffix=".tmp", dir=where)
    os.close(fd)
    temp = Path(name)
    try:
        make_private(temp)
        with closing(sqlite3.connect(temp)) as dst:
            src.backup(dst)
            # The copy takes the source's WAL flag; a backup must open without companion files.
            dst.execute("PRAGMA journal_mode=DELETE").fetchall()
        _fsync_file(temp)
        if target is None:
            return temp
        os.replace(temp, target)
    except BaseException:
        for leftover in (temp, *(_companion(temp, s) for s in COMPANION_SUFFIXES)):
            leftover.unlink(missing_ok=True)
        raise
    make_private(target)
    fsync_dir(target.parent)
    return target


def _connect_live_readonly(db: Path) -> sqlite3.Connection:
    """A read-only connection to the diary, which the app may have open (so it takes locks)."""
    return _connect_probed([f"{db.absolute().as_uri()}?mode=ro", _immutable_uri(db)])


def _connect_file_readonly(file: Path) -> sqlite3.Connection:
    """A read-only connection to a backup file, which nothing else writes.

    A file in WAL mode without a -wal file holds all its data in itself: open it immutable, so
    that SQLite leaves no -wal/-shm files beside it.
    """
    uris = [f"{file.absolute().as_uri()}?mode=ro", _immutable_uri(file)]
    with file.open("rb") as fh:
        header = fh.read(20)
    if header[18:19] == b"\x02" and not _companion(file, "-wal").exists():
        uris.reverse()
    return _connect_probed(uris)


def _immutable_uri(path: Path) -> str:
    return f"{path.absolute().as_uri()}?immutable=1"


def _connect_probed(uris: list[str]) -> sqlite3.Connection:
    """Connect with the first URI that can actually read (read-only WAL may need -shm)."""
    last: sqlite3.Error | None = None
    for uri in uris:
        try:
            con = sqlite3.connect(uri, uri=True, timeout=2.0)
        except sqlite3.OperationalError as exc:
            last = exc
            continue
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            con.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            last = exc
            continue
        except BaseException:
            con.close()
            raise
        return con
    assert last is not None
    raise last


def _storage_error(exc: BaseException, action: str, folder: Path) -> StorageError:
    """A StorageError a user can act on, for a failed backup or restore."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)) or "disk is full" in text:
        return StorageError(
            f"Cannot {action}: the disk is full. Free some space and try again; "
            "the diary itself is unchanged."
        )
    if (
        isinstance(exc, PermissionError)
        or code in (errno.EROFS, errno.EACCES, errno.EPERM)
        or "readonly" in text
        or "read-only" in text
    ):
        return StorageError(
            f"Cannot {action}: the folder {folder} is read-only or not yours. "
            "Check its permissions and try again."
        )
    if "locked" in text or "busy" in text:
        return StorageError(
            f"Cannot {action}: the diary is locked by another program. Close it and try again."
        )
    return StorageError(f"Cannot {action}: {exc}")


def _expected_size(header: bytes) -> int:
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    return page_size * int.from_bytes(header[28:32], "big")


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _free_time(now: datetime, folder: Path, kind: str) -> datetime:
    """``now`` to the second, moved on a second while a backup of that name exists already."""
    taken = now.replace(microsecond=0)
    while (folder / backup_name(kind, taken)).exists():
        taken += timedelta(seconds=1)
    return taken


def _free_path(
    now: datetime, name_for: Callable[[datetime], Path], suffixes: tuple[str, ...]
) -> Path:
    """A path from ``name_for`` that exists neither alone nor with any of ``suffixes``."""
    taken = now.replace(microsecond=0)
    while True:
        path = name_for(taken)
        if not path.exists() and not any(_companion(path, s).exists() for s in suffixes):
            return path
        taken += timedelta(seconds=1)


def _ensure_private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    make_private(folder, directory=True)


def _fsync_file(path: Path) -> None:
    with path.open("r+b") as fh:
        os.fsync(fh.fileno())
