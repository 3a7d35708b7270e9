"""The sqlite3 reads return exactly what the ORM reads return, and hold nothing open between calls.

The ``orm_*`` functions are the ORM reads the service used before storage.queries; each query
function is checked against them on a demo diary and on hand-made edge values.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from crampdiary.domain import records as rec
from crampdiary.domain.nights import night_bounds
from crampdiary.paths import AppPaths
from crampdiary.services.demo import generate_demo
from crampdiary.services.diary import DiaryService
from crampdiary.services.transfer import read_all
from crampdiary.storage import mapping, queries
from crampdiary.storage import tables as t
from crampdiary.storage.database import open_database

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()


# --- the ORM reads, as the service did them -------------------------------------------------


def orm_episodes_between(s: Session, start: datetime, end: datetime) -> list[rec.Episode]:
    rows = s.exec(
        select(t.CrampEpisode)
        .where(t.CrampEpisode.started_at >= start)
        .where(t.CrampEpisode.started_at < end)
        .order_by(col(t.CrampEpisode.started_at))
    ).all()
    return [mapping.episode_record(r) for r in rows]


def orm_episode(s: Session, episode_id: str) -> rec.Episode | None:
    row = s.get(t.CrampEpisode, episode_id)
    return None if row is None else mapping.episode_record(row)


def orm_last_muscle_side(s: Session) -> tuple[str, str] | None:
    row = s.exec(
        select(t.CrampEpisode).order_by(col(t.CrampEpisode.started_at).desc()).limit(1)
    ).first()
    return (row.muscle, row.side) if row else None


def orm_night(s: Session, night_of: date) -> rec.Night | None:
    row = s.exec(select(t.NightRecord).where(t.NightRecord.night_of == night_of)).first()
    return None if row is None else mapping.night_record(row)


def orm_nights_between(s: Session, first: date, last: date) -> list[rec.Night]:
    rows = s.exec(
        select(t.NightRecord)
        .where(t.NightRecord.night_of >= first)
        .where(t.NightRecord.night_of <= last)
    ).all()
    return [mapping.night_record(r) for r in rows]


def orm_day(s: Session, on: date) -> rec.Day | None:
    row = s.exec(select(t.DayContext).where(t.DayContext.day == on)).first()
    return None if row is None else mapping.day_record(row)


def orm_all_tags(s: Session) -> list[tuple[str, ...]]:
    return [mapping._load(text) for text in s.exec(select(t.DayContext.tags)).all()]


def orm_medications(s: Session) -> list[rec.Medication]:
    rows = s.exec(
        select(t.Medication).order_by(col(t.Medication.started_on), col(t.Medication.name))
    ).all()
    return [mapping.medication_record(r) for r in rows]


def orm_profile(s: Session) -> rec.Profile:
    return mapping.profile_record(s.get(t.Profile, 1))


def orm_onboarding_state(s: Session) -> tuple[date | None, date | None]:
    row = s.get(t.Profile, 1)
    return (None, None) if row is None else (row.disclaimer_seen_on, row.profile_asked_on)


def orm_setting(s: Session, key: str, default: str = "") -> str:
    row = s.get(t.Setting, key)
    return default if row is None else row.value


def orm_has_records(s: Session) -> bool:
    return any(
        s.exec(select(table).limit(1)).first() is not None
        for table in (t.CrampEpisode, t.NightRecord, t.DayContext, t.Medication)
    )


def in_start_order(episodes: list[rec.Episode]) -> list[rec.Episode]:
    return sorted(episodes, key=lambda e: (e.started_at, e.id))


# --- fixtures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    diary: DiaryService
    reader: sqlite3.Connection
    first: date
    last: date


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """A 400-night demo diary, with a sqlite3 reader beside the ORM engine."""
    paths = AppPaths(tmp_path_factory.mktemp("demo") / "data")
    engine = open_database(paths, now=NOW)
    diary = DiaryService(engine)
    generate_demo(diary, days=400, seed=5, now=NOW)
    diary.set_setting("last_card", "2026-11-24")
    contents = read_all(diary)
    nights = [ep.night_of for ep in contents.episodes] + [n.night_of for n in contents.nights]
    with closing(queries.open_reader(paths.database)) as reader:
        yield Demo(diary, reader, min(nights), max(nights))
    diary.close()
    engine.dispose()


@pytest.fixture
def reader(diary: DiaryService) -> Iterator[sqlite3.Connection]:
    with closing(queries.open_reader(diary.path)) as con:
        yield con


def every_day(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# --- the demo diary: every query against the ORM ---------------------------------------------


def test_the_demo_is_large_enough_to_mean_something(demo: Demo) -> None:
    contents = read_all(demo.diary)
    assert len(contents.episodes) > 100
    assert len(contents.nights) > 100
    assert len(contents.days) > 100
    assert contents.medications
    assert (demo.last - demo.first).days >= 390


def test_episode_windows_match_the_orm(demo: Demo) -> None:
    with demo.diary.session() as s:
        week = demo.first - timedelta(days=3)
        while week <= demo.last + timedelta(days=7):
            start, _ = night_bounds(week)
            _, end = night_bounds(week + timedelta(days=6))
            got = queries.episodes_between(demo.reader, start, end)
            assert got == in_start_order(orm_episodes_between(s, start, end))
            week += timedelta(days=7)
        start, end = datetime(1900, 1, 1), datetime(2100, 1, 1)
        everything = queries.episodes_between(demo.reader, start, end)
        assert everything == in_start_order(orm_episodes_between(s, start, end))
    assert everything == read_all(demo.diary).episodes


def test_each_episode_by_id_matches_the_orm(demo: Demo) -> None:
    episodes = read_all(demo.diary).episodes
    with demo.diary.session() as s:
        for ep in episodes:
            assert queries.episode(demo.reader, ep.id) == orm_episode(s, ep.id) == ep
    assert queries.episode(demo.reader, "no such id") is None


def test_last_muscle_and_side_matches_the_orm(demo: Demo) -> None:
    with demo.diary.session() as s:
        assert queries.last_episode_muscle_side(demo.reader) == orm_last_muscle_side(s)


def test_nights_and_days_match_the_orm(demo: Demo) -> None:
    first, last = demo.first - timedelta(days=2), demo.last + timedelta(days=2)
    with demo.diary.session() as s:
        for day in every_day(first, last):
            assert queries.night(demo.reader, day) == orm_night(s, day)
            assert queries.day(demo.reader, day) == orm_day(s, day)
        got = queries.nights_between(demo.reader, first, last)
        assert got == sorted(orm_nights_between(s, first, last), key=lambda n: n.night_of)
        week = queries.nights_between(demo.reader, demo.last - timedelta(days=6), demo.last)
        assert week == sorted(
            orm_nights_between(s, demo.last - timedelta(days=6), demo.last),
            key=lambda n: n.night_of,
        )
    contents = read_all(demo.diary)
    assert got == contents.nights
    assert [d for d in every_day(first, last) if queries.day(demo.reader, d)] == [
        d.date for d in contents.days
    ]


def test_tags_medications_profile_and_settings_match_the_orm(demo: Demo) -> None:
    with demo.diary.session() as s:
        assert queries.all_tags(demo.reader) == orm_all_tags(s)
        assert queries.medications(demo.reader) == orm_medications(s)
        assert queries.profile(demo.reader) == orm_profile(s)
        assert queries.onboarding_state(demo.reader) == orm_onboarding_state(s)
        assert queries.onboarding_state(demo.reader) == (TODAY, TODAY)
        for key in ("last_card", "missing"):
            assert queries.setting(demo.reader, key, "dflt") == orm_setting(s, key, "dflt")
        assert queries.has_records(demo.reader) is orm_has_records(s) is True
    assert any(queries.all_tags(demo.reader))
    assert queries.setting(demo.reader, "last_card") == "2026-11-24"


def test_the_service_overview_matches_one_built_from_the_orm(demo: Demo) -> None:
    from crampdiary.domain.summaries import summarise_nights

    first, last = demo.last - timedelta(days=60), demo.last
    start, _ = night_bounds(first)
    _, end = night_bounds(last)
    with demo.diary.session() as s:
        expected = summarise_nights(
            first, last, orm_episodes_between(s, start, end), orm_nights_between(s, first, last)
        )
    assert demo.diary.overview(first, last) == expected


# --- edge values round trip --------------------------------------------------------------------


def test_episode_edge_values_round_trip(diary: DiaryService, reader: sqlite3.Connection) -> None:
    bare = rec.Episode(
        started_at=datetime(2026, 11, 23, 12, 0),
        duration_s=1,
        muscle="calf",
        side="left",
        severity=0,
    )
    full = rec.Episode(
        started_at=datetime(2026, 11, 24, 11, 59),
        duration_s=3600,
        muscle="thigh_back",
        side="both",
        severity=10,
        woke_from_sleep=True,
        relief=("stretched", "walked", "heat"),
        relief_helped=False,
        soreness_after=0,
        notes="Ünïcødé — 足がつる 🦵\nsecond line\r\n\ttabbed \"quoted\" 'single' \\ back",
        utc_offset_min=-570,
    )
    helped = rec.Episode(
        started_at=datetime(2026, 11, 24, 12, 0),
        duration_s=30,
        muscle="toes",
        side="right",
        severity=5,
        relief=("other",),
        relief_helped=True,
        soreness_after=10,
        utc_offset_min=840,
    )
    for ep in (bare, full, helped):
        diary.add_episode(ep, now=NOW)
    with diary.session() as s:
        for ep in (bare, full, helped):
            assert queries.episode(reader, ep.id) == orm_episode(s, ep.id) == ep
        # Night of the 23rd: 12:00 on the 23rd up to, not including, 12:00 on the 24th.
        start, end = night_bounds(date(2026, 11, 23))
        assert queries.episodes_between(reader, start, end) == [bare, full]
        assert orm_episodes_between(s, start, end) == [bare, full]
        start, end = night_bounds(date(2026, 11, 24))
        assert queries.episodes_between(reader, start, end) == [helped]
        start, end = night_bounds(date(2026, 11, 22))
        assert queries.episodes_between(reader, start, end) == []
        assert queries.last_episode_muscle_side(reader) == orm_last_muscle_side(s)
    assert queries.last_episode_muscle_side(reader) == ("toes", "right")
    assert [ep.night_of for ep in (bare, full, helped)] == [
        date(2026, 11, 23),
        date(2026, 11, 23),
        date(2026, 11, 24),
    ]


def test_episodes_starting_together_come_in_id_order(
    diary: DiaryService, reader: sqlite3.Connection
) -> None:
    at = datetime(2026, 11, 24, 3, 0)
    for ep_id, side in (("c", "left"), ("a", "right"), ("b", "both")):
        episode = rec.Episode(
            started_at=at, duration_s=10, muscle="foot", side=side, severity=3, id=ep_id
        )
        diary.add_episode(episode, now=NOW)
    start, end = night_bounds(date(2026, 11, 23))
    assert [e.id for e in queries.episodes_between(reader, start, end)] == ["a", "b", "c"]
    # Of equal starts the last one stored counts as the latest, as the ORM query had it.
    with diary.session() as s:
        assert queries.last_episode_muscle_side(reader) == orm_last_muscle_side(s)
    assert queries.last_episode_muscle_side(reader) == ("foot", "both")


def test_night_day_and_medication_edge_values_round_trip(
    diary: DiaryService, reader: sqlite3.Connection
) -> None:
    nights = [
        rec.Night(night_of=date(2026, 11, 20), no_cramps=True, sleep_hours=0.0),
        rec.Night(night_of=date(2026, 11, 21), sleep_hours=1 / 3, sleep_disturbance=0),
        rec.Night(night_of=date(2026, 11, 22), sleep_hours=24, sleep_disturbance=10),
        rec.Night(night_of=date(2026, 11, 23), sleep_hours=7.25, notes="Ça va\nbien 😴"),
        rec.Night(night_of=date(1900, 1, 1)),
    ]
    stored = [diary.save_night(n, today=TODAY)[0] for n in nights]
    days = [
        rec.Day(date=date(2026, 11, 20), alcohol_units=0.5, tags=("hot_weather", "gym")),
        rec.Day(
            date=date(2026, 11, 21),
            activity_min=0,
            sunlight_min=1440,
            alcohol_units=100,
            caffeine_drinks=50,
            symptoms=("weakness", "daytime_cramps"),
            tags=("gym", "long_walk"),
        ),
        rec.Day(date=date(2026, 11, 22), caffeine_drinks=0),
    ]
    stored_days = [diary.save_day(d, today=TODAY)[0] for d in days]
    meds = [
        rec.Medication(name="zinc", started_on=date(2026, 1, 1)),
        rec.Medication(name="Magnesium", dose="300 mg", started_on=date(2026, 1, 1)),
        rec.Medication(name="Quinine", stopped_on=date(2020, 5, 1)),
        rec.Medication(name="Atorvastatin", dose="20 mg ½", started_on=date(2025, 3, 2)),
        rec.Medication(name="Aspirin"),
    ]
    for med in meds:
        diary.save_medication(med, today=TODAY)
    with diary.session() as s:
        for night in stored:
            assert queries.night(reader, night.night_of) == orm_night(s, night.night_of) == night
        assert queries.nights_between(reader, date(1900, 1, 1), TODAY) == stored[-1:] + stored[:-1]
        assert queries.nights_between(reader, date(2026, 11, 21), date(2026, 11, 22)) == [
            stored[1],
            stored[2],
        ]
        for day in stored_days:
            assert day is not None
            assert queries.day(reader, day.date) == orm_day(s, day.date) == day
        assert queries.all_tags(reader) == orm_all_tags(s)
        got = queries.medications(reader)
        assert got == orm_medications(s)
    assert isinstance(stored[2].sleep_hours, float)
    assert queries.night(reader, date(2026, 11, 21)) == stored[1]  # 1/3 exactly
    assert [m.name for m in got] == ["Aspirin", "Quinine", "Atorvastatin", "Magnesium", "zinc"]
    assert queries.all_tags(reader) == [("hot_weather", "gym"), ("gym", "long_walk"), ()]
    assert diary.known_tags()[-2:] == ["gym", "long_walk"]


def test_profile_onboarding_and_settings_round_trip(
    diary: DiaryService, reader: sqlite3.Connection
) -> None:
    assert queries.profile(reader) == rec.Profile()
    assert queries.onboarding_state(reader) == (None, None)
    assert queries.has_records(reader) is False
    assert queries.setting(reader, "k") == ""
    assert queries.setting(reader, "k", "fallback") == "fallback"

    diary.mark_onboarding(disclaimer=True, today=date(2026, 11, 1))
    assert queries.onboarding_state(reader) == (date(2026, 11, 1), None)
    assert queries.profile(reader) == rec.Profile()
    profile = rec.Profile(
        name="Zoë O'Brien",
        birth_year=1950,
        sex="female",
        pregnancy="none",
        conditions=("diabetes", "kidney_disease"),
        units="us",
    )
    diary.save_profile(profile, today=TODAY)
    diary.set_setting("k", "é\n0")
    diary.set_setting("empty", "")
    with diary.session() as s:
        assert queries.profile(reader) == orm_profile(s) == profile
        assert queries.onboarding_state(reader) == orm_onboarding_state(s)
        assert queries.setting(reader, "k") == orm_setting(s, "k") == "é\n0"
        assert queries.setting(reader, "empty", "x") == orm_setting(s, "empty", "x") == ""
    assert queries.onboarding_state(reader) == (date(2026, 11, 1), TODAY)


@pytest.mark.parametrize("kind", ["episode", "night", "day", "medication"])
def test_has_records_sees_any_kind_of_record(
    diary: DiaryService, reader: sqlite3.Connection, kind: str
) -> None:
    assert queries.has_records(reader) is False
    if kind == "episode":
        diary.add_episode(
            rec.Episode(
                started_at=datetime(2026, 11, 24, 3),
                duration_s=5,
                muscle="calf",
                side="left",
                severity=1,
            ),
            now=NOW,
        )
    elif kind == "night":
        diary.save_night(rec.Night(night_of=date(2026, 11, 24), no_cramps=True), today=TODAY)
    elif kind == "day":
        diary.save_day(rec.Day(date=date(2026, 11, 24), activity_min=5), today=TODAY)
    else:
        diary.save_medication(rec.Medication(name="Magnesium"), today=TODAY)
    diary.set_setting("x", "y")  # a setting is not a record
    with diary.session() as s:
        assert queries.has_records(reader) is orm_has_records(s) is True


# --- values and the reader connection ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2026-11-24 03:12:00.000000", "2026-11-24 03:12:00", "2026-11-24 03:12:00.5", "2026-11-24"],
)
def test_datetimes_parse_as_sqlalchemy_parses_them(text: str) -> None:
    from sqlalchemy.engine import processors

    assert queries.parse_datetime(text) == processors.str_to_datetime(text)


def test_bound_values_are_the_orms_storage_format(diary: DiaryService) -> None:
    from sqlalchemy import Date, DateTime
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    to_datetime = DateTime().dialect_impl(dialect).bind_processor(dialect)
    to_date = Date().dialect_impl(dialect).bind_processor(dialect)
    assert to_datetime is not None and to_date is not None
    for value in (datetime(2026, 11, 24, 3, 12), datetime(1900, 1, 1, 0, 0, 0, 7)):
        assert queries.bind_datetime(value) == to_datetime(value)
    for day in (date(2026, 11, 24), date(1900, 1, 1)):
        assert queries.bind_date(day) == to_date(day)
    assert queries.bind_datetime(datetime(2026, 11, 24, 3, 12)) == "2026-11-24 03:12:00.000000"


def test_the_reader_refuses_writes_and_never_creates_a_file(
    diary: DiaryService, reader: sqlite3.Connection, tmp_path: Path
) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("INSERT INTO setting (key, value) VALUES ('a', 'b')")
    assert reader.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert reader.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    missing = tmp_path / "nowhere" / "diary.sqlite3"
    with pytest.raises(sqlite3.OperationalError):
        queries.open_reader(missing)
    assert not missing.exists()
    missing = tmp_path / "absent.sqlite3"
    with pytest.raises(sqlite3.OperationalError):
        queries.open_reader(missing)
    assert not missing.exists()


def test_reads_leave_no_transaction_open(diary: DiaryService, reader: sqlite3.Connection) -> None:
    """Each read ends its statements: a checkpoint from the ORM is never held back by it."""
    diary.add_episode(
        rec.Episode(
            started_at=datetime(2026, 11, 24, 3),
            duration_s=5,
            muscle="calf",
            side="left",
            severity=1,
        ),
        now=NOW,
    )
    diary.save_day(rec.Day(date=date(2026, 11, 24), tags=("gym",)), today=TODAY)
    reads = [
        lambda: queries.episodes_between(reader, datetime(2000, 1, 1), datetime(2100, 1, 1)),
        lambda: queries.last_episode_muscle_side(reader),
        lambda: queries.nights_between(reader, date(2000, 1, 1), TODAY),
        lambda: queries.all_tags(reader),
        lambda: queries.medications(reader),
        lambda: queries.profile(reader),
        lambda: queries.has_records(reader),
    ]
    for read in reads:
        read()
        assert not reader.in_transaction
        with diary.engine.connect() as conn:
            busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        assert busy == 0


def test_a_snapshot_sees_one_commit(diary: DiaryService, reader: sqlite3.Connection) -> None:
    with queries.snapshot(reader):
        assert queries.setting(reader, "k") == ""
        diary.set_setting("k", "v")
        assert queries.setting(reader, "k") == ""
    assert not reader.in_transaction
    assert queries.setting(reader, "k") == "v"
    with pytest.raises(RuntimeError), queries.snapshot(reader):
        raise RuntimeError
    assert not reader.in_transaction


@pytest.mark.slow
def test_this_module_imports_no_orm() -> None:
    import subprocess
    import sys

    code = (
        "import sys, crampdiary.storage.queries;"
        "print([m for m in ('sqlmodel', 'sqlalchemy') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
