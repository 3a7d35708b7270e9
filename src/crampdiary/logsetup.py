"""Logging to a private file in the data dir, rotated at start-up; events only, never diary text."""

from __future__ import annotations

import logging
import os

from crampdiary.paths import AppPaths, make_private

MAX_BYTES = 512_000
KEEP = 3


def rotate(path: os.PathLike[str] | str, *, max_bytes: int = MAX_BYTES, keep: int = KEEP) -> None:
    """Shift log -> log.1 -> ... -> log.KEEP when the log has grown past max_bytes."""
    path = os.fspath(path)
    try:
        if os.path.getsize(path) < max_bytes:
            return
    except OSError:
        return
    for n in range(keep - 1, 0, -1):
        if os.path.exists(f"{path}.{n}"):
            os.replace(f"{path}.{n}", f"{path}.{n + 1}")
    os.replace(path, f"{path}.1")


def setup_logging(paths: AppPaths, *, level: int = logging.INFO) -> None:
    # A plain FileHandler: logging.handlers (sockets, queues, pickle) is not worth its start-up.
    paths.logs.mkdir(parents=True, exist_ok=True)
    rotate(paths.log_file)
    handler = logging.FileHandler(paths.log_file, encoding="utf-8")
    make_private(paths.log_file)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_crampdiary", False):
            root.removeHandler(old)
            old.close()
    handler._crampdiary = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for chatty in ("alembic", "sqlalchemy"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
