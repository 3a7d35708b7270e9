"""`crampdiary checklist`: the printable week from the diary's routine, read back with pypdf."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from crampdiary.cli import EXIT_BAD_INPUT, EXIT_ERROR, EXIT_OK, coming_monday, main


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


@pytest.mark.parametrize(("paper", "width"), [("a4", 841.89), ("letter", 792.0)])
def test_the_week_prints_on_one_page_with_its_dates_and_items(tmp_path, paper, width) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "30", "--seed", "4") == EXIT_OK
    out = tmp_path / f"week-{paper}.pdf"
    assert run(data, "checklist", "--week", "2026-11-16", "--paper", paper, "-o", str(out)) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(width, abs=1)
    text = reader.pages[0].extract_text()
    for label in (
        "Mon 16 Nov",
        "Tue 17 Nov",
        "Wed 18 Nov",
        "Thu 19 Nov",
        "Fri 20 Nov",
        "Sat 21 Nov",
        "Sun 22 Nov",
    ):
        assert label in text
    from datetime import datetime

    from crampdiary.paths import AppPaths
    from crampdiary.services.diary import DiaryService
    from crampdiary.services.routine import RoutineService
    from crampdiary.storage.database import open_database

    engine = open_database(AppPaths(data), now=datetime.now())
    try:
        rows = RoutineService(DiaryService(engine)).checklist_rows(date(2026, 11, 16))
    finally:
        engine.dispose()
    assert rows
    for row in rows:
        assert row.title in text
    assert out.stat().st_mode & 0o777 == 0o600


def test_the_default_week_is_the_coming_monday() -> None:
    assert coming_monday(date(2026, 11, 25)) == date(2026, 11, 30)  # a Wednesday
    assert coming_monday(date(2026, 11, 30)) == date(2026, 11, 30)  # a Monday
    assert coming_monday(date(2026, 11, 29)) == date(2026, 11, 30)  # a Sunday


def test_a_bad_week_or_a_missing_diary_is_refused(tmp_path, capsys) -> None:
    assert run(tmp_path / "none", "checklist", "-o", str(tmp_path / "x.pdf")) == EXIT_ERROR
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "3", "--seed", "1") == EXIT_OK
    capsys.readouterr()
    assert run(data, "checklist", "--week", "2026-02-30", "-o", str(tmp_path / "x.pdf")) == (
        EXIT_BAD_INPUT
    )
    assert "--week" in capsys.readouterr().err


def test_an_unwritable_output_is_a_message_not_a_traceback(tmp_path, capsys) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "3", "--seed", "1") == EXIT_OK
    capsys.readouterr()
    out = tmp_path / "missing-folder" / "x.pdf"
    assert run(data, "checklist", "--week", "2026-01-05", "-o", str(out)) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("crampdiary: ") and "Traceback" not in err
