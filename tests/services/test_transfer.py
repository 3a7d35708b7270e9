"""Export and import: the JSON/CSV format, round trips, all-or-nothing refusals, crash safety."""

from __future__ import annotations

import copy
import csv
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampdiary.domain import records as rec
from crampdiary.domain.errors import ImportFormatError, StorageError, ValidationError
from crampdiary.paths import AppPaths
from crampdiary.services import transfer
from crampdiary.services.demo import generate_demo
from crampdiary.services.diary import DiaryService
from crampdiary.services.transfer import (
    ImportResult,
    check_document,
    document_text,
    export_document,
    import_document,
    import_file,
    read_document,
    write_export,
)
from crampdiary.storage.database import open_database

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()

NewDiary = Callable[[], DiaryService]
# What a diary or file without nutrition or routine records adds (and skips) of those arrays.
NO_NUTRITION = dict.fromkeys(transfer.NUTRITION_ARRAYS + transfer.ROUTINE_ARRAYS, 0)


@pytest.fixture
def new_diary(tmp_path: Path) -> Iterator[NewDiary]:
    """Fresh, empty diaries in their own data dirs, built as the app builds them."""
    engines: list[Any] = []

    def make() -> DiaryService:
        engine = open_database(AppPaths(tmp_path / f"diary{len(engines)}"), now=NOW)
        engines.append(engine)
        return DiaryService(engine)

    yield make
    for engine in engines:
        engine.dispose()


def without_time(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "exported_at"}


def fill(diary: DiaryService) -> None:
    """A small diary with every kind of record, entered out of order."""
    diary.save_profile(
        rec.Profile(name="Ana Ñúñez", birth_year=1958, sex="female", conditions=("diabetes",)),
        today=TODAY,
    )
    diary.add_episode(
        rec.Episode(
            started_at=datetime(2026, 11, 24, 3, 12),
            duration_s=120,
            muscle="calf",
            side="left",
            severity=7,
            woke_from_sleep=True,
            relief=("stretched", "walked"),
            relief_helped=True,
            soreness_after=3,
            notes="Woke up; «ouch», 1,2\nnext line",
            utc_offset_min=60,
            id="ep-b",
        ),
        now=NOW,
    )
    diary.add_episode(
        rec.Episode(
            started_at=datetime(2026, 11, 20, 23, 50),
            duration_s=30,
            muscle="foot",
            side="both",
            severity=4,
            id="ep-a",
        ),
        now=NOW,
    )
    diary.add_episode(
        rec.Episode(
            started_at=datetime(2026, 11, 24, 3, 12),
            duration_s=45,
            muscle="toes",
            side="right",
            severity=2,
            id="ep-a2",
        ),
        now=NOW,
    )
    diary.save_night(
        rec.Night(
            night_of=date(2026, 11, 22),
            no_cramps=True,
            sleep_hours=7.5,
            sleep_disturbance=0,
            id="n2",
        ),
        today=TODAY,
    )
    diary.save_night(
        rec.Night(
            night_of=date(2026, 11, 20),
            sleep_hours=6.0,
            sleep_disturbance=5,
            notes="bad night",
            id="n1",
        ),
        today=TODAY,
    )
    diary.save_day(
        rec.Day(
            date=date(2026, 11, 24),
            activity_min=45,
            sunlight_min=20,
            alcohol_units=1.5,
            caffeine_drinks=2,
            tags=("long_standing",),
            symptoms=("numbness_tingling",),
            id="d2",
        ),
        today=TODAY,
    )
    diary.save_day(
        rec.Day(date=date(2026, 11, 20), tags=("long_walk", "hot_weather"), id="d1"), today=TODAY
    )
    diary.save_medication(
        rec.Medication(
            name="Magnesium",
            dose="300 mg",
            started_on=date(2026, 1, 5),
            stopped_on=date(2026, 3, 1),
            id="m3",
        ),
        today=TODAY,
    )
    diary.save_medication(rec.Medication(name="Vitamin D", id="m2"), today=TODAY)
    diary.save_medication(
        rec.Medication(name="Atorvastatin", dose="20 mg", started_on=date(2025, 6, 1), id="m1"),
        today=TODAY,
    )
    diary.save_medication(rec.Medication(name="Aspirin", id="m0"), today=TODAY)


def episode_doc(i: int = 0, **changes: Any) -> dict[str, Any]:
    base = {
        "id": f"e{i}",
        "started_at": (datetime(2026, 1, 1, 3, 0) + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M"),
        "utc_offset_min": 0,
        "duration_s": 60,
        "muscle": "calf",
        "side": "left",
        "severity": 5,
        "woke_from_sleep": True,
        "relief": ["stretched"],
        "relief_helped": True,
        "soreness_after": None,
        "notes": "",
    }
    base.update(changes)
    return base


def good_doc(episodes: int = 5) -> dict[str, Any]:
    return {
        "format": "crampdiary",
        "version": 1,
        "exported_at": "2026-11-25T08:30:00+01:00",
        "profile": {
            "name": "",
            "birth_year": None,
            "sex": None,
            "pregnancy": "none",
            "conditions": [],
            "units": "metric",
        },
        "episodes": [episode_doc(i) for i in range(episodes)],
        "nights": [
            {
                "id": "n0",
                "night_of": "2026-02-01",
                "no_cramps": True,
                "sleep_hours": 7.0,
                "sleep_disturbance": 0,
                "notes": "",
            },
        ],
        "days": [
            {
                "id": "d0",
                "date": "2026-02-01",
                "activity_min": 30,
                "sunlight_min": None,
                "alcohol_units": None,
                "caffeine_drinks": 1,
                "tags": [],
                "symptoms": [],
            },
        ],
        "medications": [
            {
                "id": "m0",
                "name": "Atorvastatin",
                "dose": "",
                "started_on": None,
                "stopped_on": None,
            },
        ],
    }


def counts(diary: DiaryService) -> dict[str, int]:
    doc = export_document(diary, now=NOW)
    return {name: len(doc[name]) for name in transfer.ARRAYS}


# --- export ----------------------------------------------------------------------------------


def test_export_of_an_empty_diary(diary: DiaryService) -> None:
    doc = export_document(diary, now=NOW)
    assert list(doc) == list(transfer.TOP_FIELDS)
    assert doc["format"] == "crampdiary" and doc["version"] == 3
    exported = datetime.fromisoformat(doc["exported_at"])
    assert exported.utcoffset() is not None
    assert exported.replace(tzinfo=None) == NOW
    assert doc["profile"] == {
        "name": "",
        "birth_year": None,
        "sex": None,
        "pregnancy": "none",
        "conditions": [],
        "units": "metric",
    }
    assert all(doc[name] == [] for name in transfer.ARRAYS)


def test_exported_at_keeps_an_aware_now() -> None:
    aware = datetime(2026, 7, 1, 9, 0, 5, 999, tzinfo=datetime.now().astimezone().tzinfo)
    assert transfer.exported_at_text(aware) == aware.isoformat(timespec="seconds")


def test_export_order_and_fields(diary: DiaryService) -> None:
    fill(diary)
    doc = export_document(diary, now=NOW)
    assert [e["id"] for e in doc["episodes"]] == ["ep-a", "ep-a2", "ep-b"]
    assert [n["night_of"] for n in doc["nights"]] == ["2026-11-20", "2026-11-22"]
    assert [d["date"] for d in doc["days"]] == ["2026-11-20", "2026-11-24"]
    # No start date first (by name), then by start date.
    assert [m["id"] for m in doc["medications"]] == ["m0", "m2", "m1", "m3"]
    assert list(doc["episodes"][0]) == list(transfer.EPISODE_FIELDS)
    assert list(doc["nights"][0]) == list(transfer.NIGHT_FIELDS)
    assert list(doc["days"][0]) == list(transfer.DAY_FIELDS)
    assert list(doc["medications"][0]) == list(transfer.MEDICATION_FIELDS)
    assert list(doc["profile"]) == list(transfer.PROFILE_FIELDS)
    assert doc["episodes"][2] == {
        "id": "ep-b",
        "started_at": "2026-11-24T03:12",
        "utc_offset_min": 60,
        "duration_s": 120,
        "muscle": "calf",
        "side": "left",
        "severity": 7,
        "woke_from_sleep": True,
        "relief": ["stretched", "walked"],
        "relief_helped": True,
        "soreness_after": 3,
        "notes": "Woke up; «ouch», 1,2\nnext line",
    }
    assert doc["nights"][1] == {
        "id": "n2",
        "night_of": "2026-11-22",
        "no_cramps": True,
        "sleep_hours": 7.5,
        "sleep_disturbance": 0,
        "notes": "",
    }
    assert doc["days"][1]["alcohol_units"] == 1.5
    assert doc["medications"][3] == {
        "id": "m3",
        "name": "Magnesium",
        "dose": "300 mg",
        "started_on": "2026-01-05",
        "stopped_on": "2026-03-01",
    }


def test_json_text_is_deterministic_and_keeps_unicode(diary: DiaryService) -> None:
    fill(diary)
    first = document_text(export_document(diary, now=NOW))
    second = document_text(export_document(diary, now=NOW))
    assert first == second
    assert "Ana Ñúñez" in first and "«ouch»" in first
    assert first.startswith('{\n  "format": "crampdiary",\n  "version": 3,\n')
    assert first.endswith("}\n")


def test_write_json_is_private_and_atomic(diary: DiaryService, tmp_path: Path) -> None:
    fill(diary)
    out = tmp_path / "export.json"
    out.write_text("old contents")
    assert write_export(diary, "json", out, now=NOW) == [out]
    assert out.read_text(encoding="utf-8") == document_text(export_document(diary, now=NOW))
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "export.json"]


def test_write_csv_folder(diary: DiaryService, tmp_path: Path) -> None:
    fill(diary)
    out = tmp_path / "csv" / "export"
    written = write_export(diary, "csv", out, now=NOW)
    names = [f"{name}.csv" for name in transfer.CSV_FILES]
    assert names[:4] == ["episodes.csv", "nights.csv", "days.csv", "medications.csv"]
    assert names[-1] == "profile.csv" and len(names) == 14
    assert [p.name for p in written] == names
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o700
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)

    def rows(name: str) -> list[dict[str, str]]:
        with (out / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    episodes = rows("episodes.csv")
    assert list(episodes[0]) == list(transfer.EPISODE_FIELDS)
    assert [e["id"] for e in episodes] == ["ep-a", "ep-a2", "ep-b"]
    assert episodes[2]["relief"] == "stretched;walked"
    assert episodes[2]["woke_from_sleep"] == "true"
    assert episodes[0]["woke_from_sleep"] == "false"
    assert episodes[0]["relief_helped"] == "" and episodes[0]["relief"] == ""
    assert episodes[2]["notes"] == "Woke up; «ouch», 1,2\nnext line"
    assert rows("nights.csv")[1]["sleep_hours"] == "7.5"
    assert rows("days.csv")[0]["tags"] == "long_walk;hot_weather"
    assert rows("medications.csv")[0] == {
        "id": "m0",
        "name": "Aspirin",
        "dose": "",
        "started_on": "",
        "stopped_on": "",
    }
    assert rows("profile.csv") == [
        {
            "name": "Ana Ñúñez",
            "birth_year": "1958",
            "sex": "female",
            "pregnancy": "none",
            "conditions": "diabetes",
            "units": "metric",
        }
    ]
    # Written again into the existing folder: replaced, nothing left behind.
    write_export(diary, "csv", out, now=NOW)
    assert sorted(p.name for p in out.iterdir()) == sorted(names)


def test_write_export_refusals(diary: DiaryService, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="format: must be one of json, csv"):
        write_export(diary, "xml", tmp_path / "x.xml", now=NOW)
    with pytest.raises(StorageError, match="it is a folder"):
        write_export(diary, "json", tmp_path, now=NOW)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(StorageError, match="not a folder"):
        write_export(diary, "csv", a_file, now=NOW)
    with pytest.raises(StorageError, match="could not be written"):
        write_export(diary, "json", tmp_path / "missing" / "x.json", now=NOW)


# --- import ----------------------------------------------------------------------------------


def test_round_trip_through_a_json_file(
    diary: DiaryService, new_diary: NewDiary, tmp_path: Path
) -> None:
    fill(diary)
    [path] = write_export(diary, "json", tmp_path / "diary.json", now=NOW)
    other = new_diary()
    result = import_file(other, path, now=NOW + timedelta(hours=1))
    assert result.added == {
        "episodes": 3,
        "nights": 2,
        "days": 2,
        "medications": 4,
        **NO_NUTRITION,
        "profile": 1,
    }
    assert result.total_skipped == 0
    assert without_time(export_document(other, now=NOW)) == without_time(
        export_document(diary, now=NOW)
    )
    assert other.onboarding_state()[1] == TODAY  # the profile question counts as asked


def test_importing_twice_adds_nothing(diary: DiaryService) -> None:
    doc = good_doc()
    first = import_document(diary, doc, now=NOW)
    assert first == ImportResult(
        added={"episodes": 5, "nights": 1, "days": 1, "medications": 1, **NO_NUTRITION}
        | {"profile": 0},
        skipped={"episodes": 0, "nights": 0, "days": 0, "medications": 0, **NO_NUTRITION}
        | {"profile": 0},
    )
    before = export_document(diary, now=NOW)
    second = import_document(diary, doc, now=NOW)
    assert second.total_added == 0
    assert second.skipped == {
        "episodes": 5,
        "nights": 1,
        "days": 1,
        "medications": 1,
        **NO_NUTRITION,
        "profile": 0,
    }
    assert export_document(diary, now=NOW) == before


def test_existing_records_win(diary: DiaryService) -> None:
    fill(diary)
    before = export_document(diary, now=NOW)
    doc = copy.deepcopy(before)
    doc["episodes"][0]["severity"] = 10  # same id, other values
    doc["nights"][0]["id"] = "another-id"  # same night, other id
    doc["nights"][0]["notes"] = "imported"
    doc["days"][0]["id"] = "another-day"
    doc["days"][0]["activity_min"] = 999
    doc["profile"]["name"] = "Somebody else"
    result = import_document(diary, doc, now=NOW)
    assert result.total_added == 0
    assert result.skipped == {
        "episodes": 3,
        "nights": 2,
        "days": 2,
        "medications": 4,
        **NO_NUTRITION,
        "profile": 1,
    }
    assert export_document(diary, now=NOW) == before


def test_records_without_ids_get_new_ones(diary: DiaryService) -> None:
    doc = good_doc(episodes=2)
    del doc["episodes"][0]["id"]
    doc["episodes"][1]["id"] = None
    for name in ("nights", "days", "medications"):
        del doc[name][0]["id"]
    result = import_document(diary, doc, now=NOW)
    assert result.total_added == 5
    exported = export_document(diary, now=NOW)
    ids = [r["id"] for name in transfer.ARRAYS for r in exported[name]]
    assert len(set(ids)) == 5 and all(len(i) == 32 for i in ids)


def test_missing_arrays_and_fields_take_the_defaults(diary: DiaryService) -> None:
    doc = {
        "format": "crampdiary",
        "version": 1,
        "episodes": [
            {
                "started_at": "2026-11-24T02:05:00",
                "duration_s": 30,
                "muscle": "calf",
                "side": "right",
                "severity": 3,
            }
        ],
        "nights": [{"night_of": "2026-11-22"}],
        "days": [{"date": "2026-11-22"}],
        "medications": [{"name": "Quinine"}],
    }
    result = import_document(diary, doc, now=NOW)
    assert result.total_added == 4 and result.added["profile"] == 0
    out = export_document(diary, now=NOW)
    ep = out["episodes"][0]
    assert (
        ep["started_at"],
        ep["woke_from_sleep"],
        ep["relief"],
        ep["relief_helped"],
        ep["soreness_after"],
        ep["notes"],
        ep["utc_offset_min"],
    ) == ("2026-11-24T02:05", False, [], None, None, "", None)
    assert out["nights"][0] == {
        "id": out["nights"][0]["id"],
        "night_of": "2026-11-22",
        "no_cramps": False,
        "sleep_hours": None,
        "sleep_disturbance": None,
        "notes": "",
    }
    assert out["medications"][0]["dose"] == ""
    assert out["profile"] == transfer.profile_json(rec.Profile())


def test_profile_is_taken_only_by_an_empty_diary(diary: DiaryService) -> None:
    doc = good_doc(episodes=0)
    doc["profile"] = {"name": "Alex", "birth_year": 1950, "sex": "male", "units": "us"}
    result = import_document(diary, doc, now=NOW)
    assert result.added["profile"] == 1
    assert diary.profile() == rec.Profile(name="Alex", birth_year=1950, sex="male", units="us")
    doc["profile"] = {"name": "Other"}
    result = import_document(diary, doc, now=NOW)
    assert result.added["profile"] == 0 and result.skipped["profile"] == 1
    assert diary.profile().name == "Alex"


def test_an_imported_cramp_clears_a_no_cramps_night(diary: DiaryService) -> None:
    diary.save_night(rec.Night(night_of=date(2026, 11, 23), no_cramps=True), today=TODAY)
    doc = good_doc(episodes=0)
    doc["episodes"] = [episode_doc(0, started_at="2026-11-24T04:00")]
    doc["nights"].append({"id": "n-other", "night_of": "2026-11-24", "no_cramps": True})
    doc["episodes"].append(episode_doc(1, started_at="2026-11-25T01:00"))
    import_document(diary, doc, now=NOW)
    nights = {n["night_of"]: n for n in export_document(diary, now=NOW)["nights"]}
    assert nights["2026-11-23"]["no_cramps"] is False
    assert nights["2026-11-24"]["no_cramps"] is False
    assert nights["2026-02-01"]["no_cramps"] is True


def test_started_at_with_zero_seconds_is_accepted(diary: DiaryService) -> None:
    doc = good_doc(episodes=1)
    doc["episodes"][0]["started_at"] = "2026-01-01T03:00:00"
    import_document(diary, doc, now=NOW)
    assert export_document(diary, now=NOW)["episodes"][0]["started_at"] == "2026-01-01T03:00"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to a document: set the value at a path such as "episodes.3.severity"."""

    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return change


def _append(array: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc[array].append(value)


BAD_DOCUMENTS: list[tuple[Callable[[dict[str, Any]], None], str]] = [
    (_set("episodes.3.severity", 14), "episodes[3].severity: must be from 0 to 10 (got 14)"),
    (_set("episodes.0.severity", "5"), "episodes[0].severity: must be a whole number from 0"),
    (_set("episodes.0.severity", 5.0), "episodes[0].severity: must be a whole number from 0"),
    (_set("episodes.1.duration_s", True), "episodes[1].duration_s: must be a whole number"),
    (_set("episodes.0.woke_from_sleep", 1), "episodes[0].woke_from_sleep: must be true or"),
    (_set("episodes.0.relief_helped", "yes"), "episodes[0].relief_helped: must be true or"),
    (_set("episodes.0.relief", "stretched"), "episodes[0].relief: must be an array (got text)"),
    (_set("episodes.0.relief", ["yoga"]), "episodes[0].relief: must be one of"),
    (_set("episodes.0.muscle", ["calf"]), "episodes[0].muscle: must be one of"),
    (
        _set("episodes.0.notes", "x" * 2001),
        "episodes[0].notes: must be at most 2000 characters (got 2001)",
    ),
    (_set("episodes.0.notes", None), "episodes[0].notes: must be text"),
    (
        _set("episodes.0.started_at", "2026-11-25T08:40"),
        "episodes[0].started_at: must not be in the future",
    ),
    (
        _set("episodes.0.started_at", "2026-02-30T03:00"),
        'episodes[0].started_at: is not a real date and time (got "2026-02-30T03:00")',
    ),
    (
        _set("episodes.0.started_at", "2026-01-01T03:00:30"),
        "episodes[0].started_at: must be a local date and time as YYYY-MM-DDTHH:MM",
    ),
    (_set("episodes.0.started_at", "2026-01-01T03:00+01:00"), "episodes[0].started_at: must"),
    (_set("episodes.0.started_at", "2026-01-01 03:00"), "episodes[0].started_at: must"),
    (_set("episodes.0.started_at", 1767236400), "episodes[0].started_at: must"),
    (_set("episodes.0.utc_offset_min", 1000), "episodes[0].utc_offset_min: must be from"),
    (_delete("episodes.2.severity"), "episodes[2].severity: is required"),
    (_set("episodes.0.mood", "bad"), 'episodes[0]: unknown field "mood"'),
    (
        _set("episodes.4.id", "e1"),
        'episodes[4].id: "e1" appears twice in the file (also at episodes[1])',
    ),
    (_set("episodes.0.id", ""), "episodes[0].id: must be text of 1 to 64"),
    (_set("episodes.0.id", 7), "episodes[0].id: must be text of 1 to 64"),
    (_set("episodes.2", "not an object"), "episodes[2]: must be an object (got text)"),
    (_set("episodes", {"0": {}}), "episodes: must be an array (got an object)"),
    (
        _set("nights.0.night_of", "2026-02-30"),
        'nights[0].night_of: is not a real date (got "2026-02-30")',
    ),
    (_set("nights.0.night_of", "2026-2-3"), "nights[0].night_of: must be a date as YYYY-MM-DD"),
    (_set("nights.0.night_of", "20260203"), "nights[0].night_of: must be a date as YYYY-MM-DD"),
    (_set("nights.0.night_of", "2026-11-26"), "nights[0].night_of: must not be in the future"),
    (_set("nights.0.no_cramps", None), "nights[0].no_cramps: must be true or false"),
    (_set("nights.0.sleep_hours", "7"), "nights[0].sleep_hours: must be a number"),
    (_set("nights.0.sleep_hours", float("nan")), "nights[0].sleep_hours: must be a number"),
    (
        _append("nights", {"night_of": "2026-02-01"}),
        'nights[1].night_of: "2026-02-01" appears twice',
    ),
    (_set("days.0.tags", ["Long walk"]), "days[0].tags: each tag must be"),
    (_set("days.0.symptoms", ["fever"]), "days[0].symptoms: must be one of"),
    (_set("days.0.activity_min", 1441), "days[0].activity_min: must be from 0 to 1440"),
    (_append("days", {"id": "d0", "date": "2026-02-02"}), 'days[1].id: "d0" appears twice'),
    (_set("medications.0.name", " "), "medications[0].name: must not be empty"),
    (
        lambda d: d["medications"][0].update(started_on="2026-05-02", stopped_on="2026-05-01"),
        "medications[0].stopped_on: must be on or after the start date",
    ),
    (_set("medications.0.started_on", 20260101), "medications[0].started_on: must be a date"),
    (_set("profile.sex", "x"), "profile.sex: must be one of female, male"),
    (_set("profile.pregnancy", "pregnant"), "profile.pregnancy: can be pregnant"),
    (_set("profile.conditions", "diabetes"), "profile.conditions: must be an array"),
    (_set("profile.age", 70), 'profile: unknown field "age"'),
    (_set("profile", []), "profile: must be an object (got an array)"),
    (_set("extras", []), 'The file has unknown top-level keys for format version 1: "extras"'),
    (_set("exported_at", "yesterday"), "exported_at: must be an ISO 8601 date and time"),
    (_set("format", "other"), 'Not a Cramp Diary export: "format" must be "crampdiary"'),
    (_delete("format"), 'Not a Cramp Diary export: "format" must be "crampdiary" (got null)'),
    (_delete("version"), "version: is required"),
    (_set("version", "1"), "version: must be a whole number from 1"),
    (_set("version", True), "version: must be a whole number from 1"),
    (_set("version", 1.0), "version: must be a whole number from 1"),
    (_set("version", 0), "version: must be a whole number from 1"),
    (_set("version", 4), "This file uses data format version 4, written by a newer Cramp Diary"),
    (
        _set("drinks", []),
        'The file has unknown top-level keys for format version 1: "drinks"',
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_DOCUMENTS)
def test_a_bad_record_refuses_the_whole_file(
    diary: DiaryService, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    fill(diary)
    before = export_document(diary, now=NOW)
    doc = good_doc()
    change(doc)
    with pytest.raises(ImportFormatError) as info:
        import_document(diary, doc, now=NOW)
    assert str(info.value).startswith(message)
    assert export_document(diary, now=NOW) == before


def test_error_names_array_index_and_field(diary: DiaryService) -> None:
    doc = good_doc()
    doc["episodes"][3]["severity"] = 14
    with pytest.raises(ImportFormatError) as info:
        import_document(diary, doc, now=NOW)
    assert str(info.value) == "episodes[3].severity: must be from 0 to 10 (got 14)"
    assert (info.value.array, info.value.index, info.value.field) == ("episodes", 3, "severity")


def test_a_bad_last_record_of_a_large_file_leaves_nothing(diary: DiaryService) -> None:
    doc = good_doc(episodes=2000)
    doc["medications"].append({"id": "m1", "name": ""})
    with pytest.raises(ImportFormatError, match=r"medications\[1\]\.name"):
        import_document(diary, doc, now=NOW)
    assert counts(diary) == dict.fromkeys(transfer.ARRAYS, 0)


def test_a_failure_while_writing_rolls_everything_back(
    diary: DiaryService, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_med: rec.Medication) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(transfer.mapping, "medication_row", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_document(diary, good_doc(), now=NOW)
    monkeypatch.undo()
    assert counts(diary) == dict.fromkeys(transfer.ARRAYS, 0)


def test_refuses_something_that_is_not_a_dict(diary: DiaryService) -> None:
    with pytest.raises(ImportFormatError, match="Not a Cramp Diary export"):
        import_document(diary, [], now=NOW)  # type: ignore[arg-type]


# --- reading files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is not a JSON file (line 1, column 1"),
        (b'{"format": ', "is not a JSON file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is not a JSON file (it is not UTF-8 text)"),
        (b"[1, 2]", "is not a Cramp Diary export (the JSON is an array, not an object)"),
        (b'"text"', "is not a Cramp Diary export (the JSON is text, not an object)"),
        (b'{"a": NaN}', "NaN is not a number JSON allows"),
        (b'{"a": 1, "a": 2}', 'the key "a" appears twice in one object'),
        (b"[" * 100_000, "is not a JSON file"),
    ],
)
def test_read_document_refuses(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError) as info:
        read_document(path)
    assert message in str(info.value)


def test_read_document_refuses_missing_files_and_folders(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="cannot be read"):
        read_document(tmp_path / "nope.json")
    with pytest.raises(ImportFormatError, match="is a folder"):
        read_document(tmp_path)


def test_read_document_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(good_doc()).encode())
    assert read_document(path) == good_doc()


def test_import_file_refuses_a_file_with_a_bad_record(diary: DiaryService, tmp_path: Path) -> None:
    doc = good_doc()
    doc["nights"][0]["night_of"] = "2026-02-30"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportFormatError, match=r"^nights\[0\]\.night_of: is not a real date"):
        import_file(diary, path, now=NOW)
    assert counts(diary)["episodes"] == 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=5,
)
PATHS = st.sampled_from(
    [f"episodes.0.{f}" for f in transfer.EPISODE_FIELDS]
    + [f"nights.0.{f}" for f in transfer.NIGHT_FIELDS]
    + [f"days.0.{f}" for f in transfer.DAY_FIELDS]
    + [f"medications.0.{f}" for f in transfer.MEDICATION_FIELDS]
    + [f"profile.{f}" for f in transfer.PROFILE_FIELDS]
    + list(transfer.TOP_FIELDS)
    + ["episodes.0", "nights.0", "episodes.0.extra", "extra"]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PATHS, JSON_VALUES), min_size=1, max_size=3))
def test_any_damaged_document_is_checked_or_refused_cleanly(
    damage: list[tuple[str, Any]],
) -> None:
    doc = good_doc(episodes=1)
    for path, value in damage:
        try:
            _set(path, value)(doc)
        except (KeyError, IndexError, TypeError, ValueError):
            continue  # the path no longer exists after an earlier change
    try:
        checked = check_document(doc, now=NOW)
    except ImportFormatError as exc:
        assert str(exc)
    else:
        assert len(checked.episodes) <= 1


# --- size and crash safety -------------------------------------------------------------------


@pytest.fixture(scope="module")
def ten_year_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10-year demo diary exported to a JSON file (made once for this module)."""
    root = tmp_path_factory.mktemp("tenyears")
    engine = open_database(AppPaths(root / "source"), now=NOW)
    try:
        diary = DiaryService(engine)
        generate_demo(diary, days=3650, seed=7, now=NOW)
        [path] = write_export(diary, "json", root / "ten-years.json", now=NOW)
    finally:
        engine.dispose()
    return path


def test_a_ten_year_file_imports_in_seconds(ten_year_export: Path, new_diary: NewDiary) -> None:
    diary = new_diary()
    started = time.perf_counter()
    result = import_file(diary, ten_year_export, now=NOW)
    took = time.perf_counter() - started
    assert result.total_added > 8000
    assert took < 10, f"import of {result.total_added} records took {took:.1f} s"
    original = read_document(ten_year_export)
    assert without_time(export_document(diary, now=NOW)) == without_time(original)


# The app's own import path; only the page cache is made tiny, so that SQLite spills uncommitted
# pages into the -wal file during the write and a kill can land while they sit there.
IMPORT_SCRIPT = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from pathlib import Path

    from sqlalchemy import event

    from crampdiary.paths import AppPaths
    from crampdiary.services.diary import DiaryService
    from crampdiary.services.transfer import import_file
    from crampdiary.storage.database import open_database


    def small_cache(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA cache_size=16")


    now = datetime.fromisoformat(sys.argv[3])
    engine = open_database(AppPaths(Path(sys.argv[1])), now=now)
    engine.dispose()
    event.listen(engine, "connect", small_cache)
    print("ready", flush=True)
    import_file(DiaryService(engine), Path(sys.argv[2]), now=now)
    engine.dispose()
    print("done", flush=True)
    """
)


def _wal_size(data_dir: Path) -> int:
    try:
        return (data_dir / "diary.sqlite3-wal").stat().st_size
    except FileNotFoundError:
        return 0


def _episode_count(data_dir: Path) -> int:
    con = sqlite3.connect(data_dir / "diary.sqlite3")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(con.execute("SELECT count(*) FROM cramp_episode").fetchone()[0])
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killing_an_import_leaves_none_or_all_of_it(ten_year_export: Path, tmp_path: Path) -> None:
    full = len(read_document(ten_year_export)["episodes"])
    # (wait for the write to start?, seconds to wait then): the first kill lands while the file
    # is parsed and checked, the others at points of the write and the commit.
    plan = [
        (False, 0.1),
        (True, 0.0),
        (True, 0.005),
        (True, 0.02),
        (True, 0.05),
        (True, 0.1),
        (True, 0.2),
        (True, 0.4),
    ]
    outcomes: list[tuple[bool, float, int, int, int]] = []
    for n, (wait_for_write, delay) in enumerate(plan):
        data_dir = tmp_path / f"run{n}"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                IMPORT_SCRIPT,
                str(data_dir),
                str(ten_year_export),
                NOW.isoformat(),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        try:
            assert proc.stdout.readline().strip() == "ready"
            deadline = time.monotonic() + 20
            while wait_for_write and _wal_size(data_dir) == 0 and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(delay)
            wal = _wal_size(data_dir)
            os.kill(proc.pid, signal.SIGKILL)
            returncode = proc.wait(timeout=30)
        finally:
            proc.stdout.close()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        found = _episode_count(data_dir)
        outcomes.append((wait_for_write, delay, returncode, wal, found))
        assert found in (0, full), outcomes
    # Evidence that kills landed mid-write: uncommitted pages in the WAL, and nothing kept.
    mid_write = [o for o in outcomes if o[2] == -signal.SIGKILL and o[3] > 0 and o[4] == 0]
    assert len(mid_write) >= 2, outcomes
    # And the diary stays usable: the app opens it and the same import then completes.
    survivor = tmp_path / f"run{outcomes.index(mid_write[-1])}"
    engine = open_database(AppPaths(survivor), now=NOW)
    try:
        result = import_file(DiaryService(engine), ten_year_export, now=NOW)
    finally:
        engine.dispose()
    assert result.added["episodes"] == full
    assert _episode_count(survivor) == full


def _doc_examples() -> list[dict[str, Any]]:
    text = (Path(__file__).parents[2] / "docs" / "data-format.md").read_text(encoding="utf-8")
    blocks = text.split("```json\n")[1:]
    return [json.loads(block.split("```")[0]) for block in blocks]


def test_the_documented_example_is_what_the_app_writes(new_diary: NewDiary) -> None:
    example, hand_written, _intake = _doc_examples()  # the third: section 6
    diary = new_diary()
    result = import_document(diary, example, now=NOW)
    assert result.total_added == 22
    written = export_document(diary, now=NOW)
    written["exported_at"] = example["exported_at"]
    assert document_text(written) == document_text(example)
    other = new_diary()
    assert import_document(other, hand_written, now=NOW).total_added == 3
    assert import_document(other, {"format": "crampdiary", "version": 2}, now=NOW).total_added == 0
    assert import_document(other, {"format": "crampdiary", "version": 1}, now=NOW).total_added == 0
