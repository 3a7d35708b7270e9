"""Storage layer: one writer per data folder, through an OS lock that dies with its process."""

from __future__ import annotations

import logging
import os
import sys
from types import TracebackType

from crampdiary.domain.errors import AlreadyRunningError, StorageError
from crampdiary.paths import PRIVATE_FILE_MODE, AppPaths, make_private

logger = logging.getLogger(__name__)


class InstanceLock:
    """One writer per data dir. OS-level lock (fcntl.flock on POSIX, msvcrt.locking on Windows)
    on paths.lock_file, so a crashed process's lock is released by the OS (stale lock recovered).

    The lock file is never deleted: removing a flock'ed file lets a second process lock a new
    file of the same name while a third still holds the old one.
    """

    def __init__(self, paths: AppPaths) -> None:
        self._paths = paths
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunningError; write our pid into the lock file."""
        if self._fd is not None:
            return
        path = self._paths.lock_file
        try:
            self._paths.data_dir.mkdir(parents=True, exist_ok=True)
            make_private(self._paths.data_dir, directory=True)
            fd = os.open(
                path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), PRIVATE_FILE_MODE
            )
        except OSError as exc:
            raise StorageError(
                f"Cannot create the lock file {path}: {exc.strerror or exc}. "
                "Check that the data folder is yours and writable."
            ) from exc
        make_private(path)
        try:
            _lock(fd)
        except BlockingIOError as exc:
            os.close(fd)
            logger.info("data folder already locked by pid %s", _read_pid(path))
            raise AlreadyRunningError(
                f"Cramp Diary is already open with this diary (data folder "
                f"{self._paths.data_dir}). Close it first, or use that window."
            ) from exc
        except OSError as exc:
            os.close(fd)
            raise StorageError(
                f"Cannot lock the data folder {self._paths.data_dir}: {exc.strerror or exc}."
            ) from exc
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except OSError as exc:
            # The pid is for people reading the file; the lock itself is what counts.
            logger.warning("could not write the pid into %s: %s", path, exc)
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (a no-op if not held)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        except OSError as exc:
            logger.warning("could not unlock %s: %s", self._paths.lock_file, exc)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_pid(path: os.PathLike[str]) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read(32).strip() or "?"
    except OSError:
        return "?"


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        # One byte at offset 0, locked without waiting; a lock held elsewhere raises OSError,
        # reported as BlockingIOError so both platforms read the same.
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError as exc:
            raise BlockingIOError(*exc.args) from exc
        except OSError as exc:
            if exc.errno in (13, 36):  # EACCES, EDEADLOCK: held by another process
                raise BlockingIOError(*exc.args) from exc
            raise

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
