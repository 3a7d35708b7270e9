"""Shared fixtures: a temp data dir and a migrated diary built by the same code the app uses."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CRAMPDIARY_DATA_DIR", None)

from crampdiary.paths import AppPaths

NOW = datetime(2026, 11, 25, 8, 30)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    p = AppPaths(tmp_path / "data")
    p.ensure()
    return p


@pytest.fixture
def engine(paths: AppPaths) -> Iterator[object]:
    from crampdiary.storage.database import open_database

    eng = open_database(paths, now=NOW)
    yield eng
    eng.dispose()


@pytest.fixture
def diary(engine: object) -> object:
    from crampdiary.services.diary import DiaryService

    return DiaryService(engine)  # type: ignore[arg-type]
