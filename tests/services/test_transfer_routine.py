"""Data format version 3: the routine arrays (item versions, checks, paper tallies) export, import
and round-trip; version 2 files (as the previous app version wrote them) and version 1 files still
import; routine records are checked all or nothing, naming the array, the index and the field."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampdiary.domain.errors import ImportFormatError
from crampdiary.paths import AppPaths
from crampdiary.services import transfer
from crampdiary.services.demo import generate_demo
from crampdiary.services.diary import DiaryService
from crampdiary.services.routine import RoutineService
from crampdiary.services.transfer import (
    check_document,
    export_document,
    import_document,
    import_file,
    write_export,
)
from crampdiary.storage.database import open_database

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()
DATA = Path(__file__).with_name("data")
VERSION_1_FILE = DATA / "version-1-export.json"
VERSION_2_FILE = DATA / "version-2-export.json"

NewDiary = Callable[[], DiaryService]


@pytest.fixture
def new_diary(tmp_path: Path) -> Iterator[NewDiary]:
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


def routine_doc() -> dict[str, Any]:
    """A small version 3 file: two items (one edited on the 18th), checks and a tally."""
    return {
        "format": "crampdiary",
        "version": 3,
        "routine_items": [
            {
                "id": "i0",
                "key": "calf",
                "valid_from": "2026-11-01",
                "title": "Calf stretch",
                "days": [7, 1, 2, 3, 4, 5, 6],
                "hold_s": 10,
                "reps": 3,
                "rest_s": 10,
                "per_leg": True,
            },
            {
                "id": "i1",
                "key": "bath",
                "valid_from": "2026-11-01",
                "title": "Bath",
                "active": False,
            },
            {
                "id": "i2",
                "key": "bath",
                "valid_from": "2026-11-18",
                "title": "Warm bath",
                "days": [3, 6, 7],
                "position": 1,
            },
        ],
        "routine_checks": [
            {"id": "c0", "night_of": "2026-11-22", "item": "calf", "state": "done"},
            {
                "id": "c1",
                "night_of": "2026-11-22",
                "item": "bath",
                "state": "skipped",
                "reason": "travelling",
                "note": "Hotel",
            },
            {
                "id": "c2",
                "night_of": "2026-11-10",
                "item": "calf",
                "state": "undone",
                "title": "Old",
            },
        ],
        "paper_tallies": [{"id": "p0", "night_of": "2026-11-20", "cramps": 2, "worst_severity": 6}],
    }


# --- round trips -------------------------------------------------------------------------------


def test_a_demo_diary_round_trips_with_the_routine_arrays(
    new_diary: NewDiary, tmp_path: Path
) -> None:
    source, copy_ = new_diary(), new_diary()
    generate_demo(source, days=90, seed=8, now=NOW)
    [path] = write_export(source, "json", tmp_path / "a.json", now=NOW)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["version"] == 3 and list(exported) == list(transfer.TOP_FIELDS)
    assert exported["routine_items"] and exported["routine_checks"]
    result = import_file(copy_, path, now=NOW + timedelta(hours=1))
    assert result.total_skipped == 0
    assert {name: result.added[name] for name in transfer.ARRAYS} == {
        name: len(exported[name]) for name in transfer.ARRAYS
    }
    assert without_time(export_document(copy_, now=NOW)) == without_time(exported)
    assert import_file(copy_, path, now=NOW).total_added == 0
    # The copy's routine figures are the source's.
    for diary in (source, copy_):
        service = RoutineService(diary)
        assert service.adherence(TODAY, 30) == RoutineService(source).adherence(TODAY, 30)
        assert service.streak(NOW) == RoutineService(source).streak(NOW) > 0


def test_the_export_order_and_fields(diary: DiaryService) -> None:
    import_document(diary, routine_doc(), now=NOW)
    exported = export_document(diary, now=NOW)
    assert [(i["key"], i["valid_from"]) for i in exported["routine_items"]] == [
        ("bath", "2026-11-01"),
        ("bath", "2026-11-18"),
        ("calf", "2026-11-01"),
    ]
    assert exported["routine_items"][2] == {
        "id": "i0",
        "key": "calf",
        "valid_from": "2026-11-01",
        "title": "Calf stretch",
        "instructions": "",
        "line": "",
        "days": [1, 2, 3, 4, 5, 6, 7],
        "active": True,
        "position": 0,
        "hold_s": 10,
        "reps": 3,
        "rest_s": 10,
        "per_leg": True,
        "removed": False,
    }
    assert [c["id"] for c in exported["routine_checks"]] == ["c2", "c1", "c0"]
    # A check without a title gets its item's title of that night; a given title is kept.
    titles = {c["id"]: c["title"] for c in exported["routine_checks"]}
    assert titles == {"c0": "Calf stretch", "c1": "Warm bath", "c2": "Old"}
    assert exported["routine_checks"][1] == {
        "id": "c1",
        "night_of": "2026-11-22",
        "item": "bath",
        "state": "skipped",
        "reason": "travelling",
        "note": "Hotel",
        "title": "Warm bath",
    }
    assert exported["paper_tallies"] == [
        {"id": "p0", "night_of": "2026-11-20", "cramps": 2, "worst_severity": 6}
    ]


def test_imported_history_drives_the_figures(diary: DiaryService) -> None:
    import_document(diary, routine_doc(), now=NOW)
    service = RoutineService(diary)
    # Sun 22: calf done, bath (due Wed/Sat/Sun from the 18th) skipped: complete.
    assert service.routine_night(date(2026, 11, 22)).state == "complete"
    # Tue 10: only the calf stretch was due (the bath was paused), left undone.
    night = service.routine_night(date(2026, 11, 10))
    assert [i.key for i, _ in night.rows] == ["calf"] and night.state == "incomplete"
    week = service.adherence_between(date(2026, 11, 16), date(2026, 11, 22))
    # Counted: 20 (paper tally: calf undone) and 22 (calf done, bath skipped).
    assert (week.nights, week.done, week.undone, week.skipped) == (2, 1, 1, 1)


def test_an_item_without_a_start_starts_with_its_first_check() -> None:
    doc = routine_doc()
    for item in doc["routine_items"]:
        if item["key"] == "calf":
            del item["valid_from"]
    doc["routine_items"].append({"key": "legs", "title": "Legs up"})
    checked = check_document(doc, now=NOW)
    starts = {i.key: i.valid_from for i in checked.routine_items}
    assert starts["calf"] == date(2026, 11, 10) and starts["legs"] == TODAY


# --- older versions ----------------------------------------------------------------------------


def test_a_version_2_file_from_the_previous_version_still_imports(
    new_diary: NewDiary, tmp_path: Path
) -> None:
    original = json.loads(VERSION_2_FILE.read_text(encoding="utf-8"))
    assert original["version"] == 2 and list(original) == list(transfer.V2_TOP_FIELDS)
    diary = new_diary()
    result = import_file(diary, VERSION_2_FILE, now=NOW)
    assert result.total_skipped == 0
    assert all(result.added[name] == 0 for name in transfer.ROUTINE_ARRAYS)
    for name in transfer.V1_ARRAYS + transfer.NUTRITION_ARRAYS:
        assert result.added[name] == len(original[name]) > 0
    exported = export_document(diary, now=NOW)
    assert exported["version"] == 3
    same = [k for k in transfer.V2_TOP_FIELDS if k not in ("version", "exported_at")]
    assert {k: exported[k] for k in same} == {k: original[k] for k in same}
    assert all(exported[name] == [] for name in transfer.ROUTINE_ARRAYS)
    [path] = write_export(diary, "json", tmp_path / "v3.json", now=NOW)
    other = new_diary()
    import_file(other, path, now=NOW)
    assert without_time(export_document(other, now=NOW)) == without_time(exported)


def test_a_version_1_file_still_imports(new_diary: NewDiary) -> None:
    diary = new_diary()
    result = import_file(diary, VERSION_1_FILE, now=NOW)
    assert result.added["episodes"] > 0
    assert all(result.added[name] == 0 for name in transfer.ROUTINE_ARRAYS)


@pytest.mark.parametrize("version", [1, 2])
def test_older_versions_refuse_the_routine_arrays(version: int) -> None:
    doc = {"format": "crampdiary", "version": version, "routine_checks": []}
    with pytest.raises(
        ImportFormatError, match=f"unknown top-level keys for format version {version}"
    ):
        check_document(doc, now=NOW)


# --- merging with a diary ----------------------------------------------------------------------


def test_a_file_merges_with_a_routine_begun_tonight(diary: DiaryService) -> None:
    service = RoutineService(diary)
    service.ensure_default_routine(TODAY)
    service.rename("bed_setup", "Bed ready", night=TODAY)  # edited: no longer the defaults
    doc = routine_doc()
    doc["routine_items"].append(
        {"id": "i3", "key": "calf_stretch", "valid_from": "2026-11-01", "title": "Calf (old)"}
    )
    doc["routine_checks"].append(
        {"id": "c3", "night_of": "2026-11-21", "item": "calf_stretch", "state": "done"}
    )
    result = import_document(diary, doc, now=NOW)
    assert result.added["routine_items"] == 4 and result.added["routine_checks"] == 4
    history = service.history()
    assert [v.valid_from for v in history.versions("calf_stretch")] == [date(2026, 11, 1), TODAY]
    assert history.version_on("calf_stretch", date(2026, 11, 21)).title == "Calf (old)"  # type: ignore[union-attr]
    assert service.item("calf_stretch").title == "Calf stretch at the wall"  # type: ignore[union-attr]
    assert service.checks(date(2026, 11, 21), date(2026, 11, 21))[0].title == "Calf (old)"
    # Again: everything is skipped; a file version at a start the diary has is skipped too.
    doc["routine_items"].append(
        {"id": "new", "key": "calf_stretch", "valid_from": "2026-11-25", "title": "X"}
    )
    again = import_document(diary, doc, now=NOW)
    assert again.added["routine_items"] == again.added["routine_checks"] == 0
    assert again.skipped["routine_items"] == 5


def test_a_file_replaces_the_untouched_default_routine(new_diary: NewDiary) -> None:
    source = RoutineService(new_diary())
    source.ensure_default_routine(date(2026, 11, 1))
    source.rename("calf_stretch", "My calf stretch", night=date(2026, 11, 10))
    source.pause("drinks_spread", night=date(2026, 11, 10))
    source.set_check(date(2026, 11, 20), "calf_stretch", "done", today=TODAY)
    doc = json.loads(json.dumps(export_document(source.diary, now=NOW)))
    # A fresh install: the app stored the default routine (from today) before the import.
    target = RoutineService(new_diary())
    target.ensure_default_routine(TODAY)
    result = import_document(target.diary, doc, now=NOW)
    assert result.added["routine_items"] == len(doc["routine_items"])
    assert target.history().all_versions() == source.history().all_versions()
    assert [(i.title, i.active) for i in target.items()] == [
        (i.title, i.active) for i in source.items()
    ]
    assert target.item("calf_stretch").title == "My calf stretch"  # type: ignore[union-attr]
    assert target.item("drinks_spread").active is False  # type: ignore[union-attr]
    assert export_document(target.diary, now=NOW)["routine_items"] == doc["routine_items"]
    # Once the diary has a check, its routine is the user's: a file merges with it.
    checked = RoutineService(new_diary())
    checked.ensure_default_routine(TODAY)
    checked.set_check(TODAY, "calf_stretch", "done", today=TODAY)
    import_document(checked.diary, doc, now=NOW)
    assert checked.item("calf_stretch").title == "Calf stretch at the wall"  # type: ignore[union-attr]
    assert len(checked.history().versions("calf_stretch")) == 3


def test_the_diarys_checks_and_tallies_win(diary: DiaryService) -> None:
    import_document(diary, routine_doc(), now=NOW)
    doc = routine_doc()
    doc["routine_checks"] = [
        {"id": "other", "night_of": "2026-11-22", "item": "calf", "state": "skipped"}
    ]
    doc["paper_tallies"] = [{"id": "other", "night_of": "2026-11-20", "cramps": 5}]
    result = import_document(diary, doc, now=NOW)
    assert result.added["routine_checks"] == result.added["paper_tallies"] == 0
    assert result.skipped["routine_checks"] == result.skipped["paper_tallies"] == 1
    service = RoutineService(diary)
    assert service.checks(date(2026, 11, 22), date(2026, 11, 22))[1].state == "done"
    assert service.paper_tallies(date(2026, 11, 20), date(2026, 11, 20))[0].cramps == 2


def test_an_item_whose_versions_were_all_skipped_keeps_its_checks(diary: DiaryService) -> None:
    import_document(diary, routine_doc(), now=NOW)
    doc = {
        "format": "crampdiary",
        "version": 3,
        "routine_items": [{"id": "i0", "key": "legs", "valid_from": "2026-11-01", "title": "L"}],
        "routine_checks": [{"id": "x", "night_of": "2026-11-22", "item": "legs", "state": "done"}],
    }
    result = import_document(diary, doc, now=NOW)
    assert result.skipped["routine_items"] == 1 and result.added["routine_checks"] == 1
    checks = RoutineService(diary).checks(date(2026, 11, 22), date(2026, 11, 22))
    # No version of "legs" was stored, so the check is titled with its key.
    assert [(c.item, c.title) for c in checks if c.item == "legs"] == [("legs", "legs")]


# --- refusals ----------------------------------------------------------------------------------


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
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


BAD = [
    (_set("routine_items.0.days", [1, 8]), "routine_items[0].days: must be a list of ISO weekdays"),
    (_set("routine_items.0.days", "1,2"), "routine_items[0].days: must be an array"),
    (_set("routine_items.0.key", "Calf"), "routine_items[0].key: must be 1 to 40 lowercase"),
    (_delete("routine_items.0.key"), "routine_items[0].key: is required"),
    (_set("routine_items.0.title", ""), "routine_items[0].title: must not be empty"),
    (_set("routine_items.0.reps", None), "routine_items[0].reps: a hold time and repetitions"),
    (
        _set("routine_items.0.valid_from", "2026-02-30"),
        "routine_items[0].valid_from: is not a real",
    ),
    (_set("routine_items.0.colour", "red"), 'routine_items[0]: unknown field "colour"'),
    (
        _set("routine_items.2.valid_from", "2026-11-01"),
        'routine_items[2].valid_from: "bath 2026-11-01" appears twice',
    ),
    (_set("routine_checks.0.state", "ticked"), "routine_checks[0].state: must be one of done"),
    (
        _set("routine_checks.0.reason", "ill"),
        "routine_checks[0].reason: is given only for a skipped",
    ),
    (_set("routine_checks.1.reason", "bored"), "routine_checks[1].reason: must be one of ill"),
    (_set("routine_checks.0.night_of", "2026-11-26"), "routine_checks[0].night_of: must not be in"),
    (_set("routine_checks.0.item", "legs"), 'routine_checks[0].item: the routine item "legs" is'),
    (
        _set("routine_checks.0.item", "bath"),
        'routine_checks[1].item: "2026-11-22 bath" appears twice',
    ),
    (_set("routine_checks.2.note", "x" * 501), "routine_checks[2].note: must be at most 500"),
    (_set("paper_tallies.0.worst_severity", 11), "paper_tallies[0].worst_severity: must be from 0"),
    (_set("paper_tallies.0.cramps", -1), "paper_tallies[0].cramps: must be from 0 to 50"),
    (_delete("paper_tallies.0.cramps"), "paper_tallies[0].cramps: is required"),
    (_set("paper_tallies", {}), "paper_tallies: must be an array"),
    (_set("version", 4), "This file uses data format version 4, written by a newer Cramp Diary"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_a_bad_routine_record_refuses_the_whole_file(
    diary: DiaryService, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    doc = routine_doc()
    doc["episodes"] = [
        {
            "started_at": "2026-11-24T03:00",
            "duration_s": 60,
            "muscle": "calf",
            "side": "left",
            "severity": 4,
        }
    ]
    change(doc)
    with pytest.raises(ImportFormatError) as info:
        import_document(diary, doc, now=NOW)
    assert str(info.value).startswith(message), str(info.value)
    exported = export_document(diary, now=NOW)
    assert all(exported[name] == [] for name in transfer.ARRAYS)


def test_csv_export_has_the_routine_files(diary: DiaryService, tmp_path: Path) -> None:
    import_document(diary, routine_doc(), now=NOW)
    write_export(diary, "csv", tmp_path / "csv", now=NOW)
    with (tmp_path / "csv" / "routine_items.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(transfer.ROUTINE_ITEM_FIELDS)
    assert rows[1]["days"] == "3;6;7" and rows[1]["active"] == "true" and rows[0]["hold_s"] == ""
    with (tmp_path / "csv" / "routine_checks.csv").open(encoding="utf-8", newline="") as fh:
        checks = list(csv.DictReader(fh))
    assert [c["reason"] for c in checks] == ["", "travelling", ""]
    text = (tmp_path / "csv" / "paper_tallies.csv").read_text(encoding="utf-8")
    assert text.splitlines() == ["id,night_of,cramps,worst_severity", "p0,2026-11-20,2,6"]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=5,
)
ROUTINE_PATHS = st.sampled_from(
    [f"routine_items.0.{f}" for f in transfer.ROUTINE_ITEM_FIELDS]
    + [f"routine_checks.0.{f}" for f in transfer.ROUTINE_CHECK_FIELDS]
    + [f"paper_tallies.0.{f}" for f in transfer.PAPER_TALLY_FIELDS]
    + list(transfer.ROUTINE_ARRAYS)
    + ["routine_items.0", "routine_checks.1", "paper_tallies.0.extra"]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(damage=st.lists(st.tuples(ROUTINE_PATHS, JSON_VALUES), min_size=1, max_size=3))
def test_any_damaged_routine_record_is_checked_or_refused_cleanly(
    damage: list[tuple[str, Any]],
) -> None:
    doc = routine_doc()
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
        assert len(checked.routine_items) <= 3 and len(checked.routine_checks) <= 3
