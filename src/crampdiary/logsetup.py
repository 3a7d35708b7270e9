"""Logging to a private rotating file in the data dir. Logs name events, never diary text."""

from __future__ import annotations

import logging
import logging.handlers

from crampdiary.paths import AppPaths, make_private


def setup_logging(paths: AppPaths, *, level: int = logging.INFO) -> None:
    paths.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        paths.log_file, maxBytes=512_000, backupCount=3, encoding="utf-8", delay=False
    )
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
