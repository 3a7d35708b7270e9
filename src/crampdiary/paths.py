"""Where every file of the app lives: one AppPaths, from platformdirs or --data-dir."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "CRAMPDIARY_DATA_DIR"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class AppPaths:
    """The data directory and the files inside it."""

    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "diary.sqlite3"

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "crampdiary.log"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "crampdiary.lock"

    @property
    def damaged(self) -> Path:
        return self.data_dir / "damaged"

    def ensure(self) -> None:
        """Create the folders, readable by the user alone."""
        for folder in (self.data_dir, self.backups, self.logs):
            # Only folders the app creates are restricted: a folder the user named with
            # --data-dir (say ~/Documents) keeps its own permissions; the files get 0600.
            try:
                folder.mkdir(parents=True)
            except FileExistsError:
                continue
            make_private(folder, directory=True)


def make_private(path: Path, *, directory: bool = False) -> None:
    """Restrict a file (0600) or folder (0700) to the user; a no-op without POSIX modes."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, PRIVATE_DIR_MODE if directory else PRIVATE_FILE_MODE)


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("crampdiary", appauthor=False, roaming=True))


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """--data-dir wins, then $CRAMPDIARY_DATA_DIR, then the platform's user data dir."""
    chosen = data_dir or os.environ.get(ENV_DATA_DIR) or None
    path = Path(chosen).expanduser() if chosen else default_data_dir()
    return AppPaths(path.absolute())
