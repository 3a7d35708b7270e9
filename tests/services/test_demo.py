"""The demo diary: deterministic per seed, never in the future, realistic in shape, and fast."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from crampdiary.domain.errors import CrampDiaryError, ValidationError
from crampdiary.domain.nights import last_night, night_of
from crampdiary.paths import AppPaths
from crampdiary.services.demo import demo_document, generate_demo
from crampdiary.services.diary import DiaryService
from crampdiary.services.transfer import check_document, export_document, import_document
from crampdiary.storage.database import open_database

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()

NewDiary = Callable[[], DiaryService]


@pytest.fixture
def new_diary(tmp_path: Any) -> Iterator[NewDiary]:
    engines: list[Any] = []

    def make() -> DiaryService:
        engine = open_database(AppPaths(tmp_path / f"diary{len(engines)}"), now=NOW)
        engines.append(engine)
        return DiaryService(engine)

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture(scope="module")
def year() -> dict[str, Any]:
    return demo_document(days=365, seed=3, now=NOW)


@pytest.fixture(scope="module")
def decade() -> dict[str, Any]:
    return demo_document(days=3650, seed=11, now=NOW)


def without_time(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "exported_at"}


def started(ep: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(ep["started_at"])


def logged_nights(doc: dict[str, Any]) -> set[date]:
    nights = {date.fromisoformat(n["night_of"]) for n in doc["nights"]}
    return nights | {night_of(started(e)) for e in doc["episodes"]}


@pytest.mark.parametrize("days", [0, -1, 36501, True, 1.5, "30"])
def test_days_out_of_range_are_refused(diary: DiaryService, days: Any) -> None:
    with pytest.raises(ValidationError) as info:
        generate_demo(diary, days=days, seed=1, now=NOW)
    assert info.value.field == "days"
    assert "from 1 to 36500" in str(info.value)
    assert export_document(diary, now=NOW)["episodes"] == []


def test_generate_fills_an_empty_diary_ready_for_use(diary: DiaryService) -> None:
    result = generate_demo(diary, days=60, seed=5, now=NOW)
    doc = export_document(diary, now=NOW)
    assert result.added == {name: len(doc[name]) for name in result.added if name != "profile"} | {
        "profile": 1
    }
    assert result.total_skipped == 0
    assert diary.profile().name == "Alex Demo"
    assert diary.onboarding_state() == (TODAY, TODAY)
    assert doc["nights"][-1]["night_of"] == last_night(NOW).isoformat()


def test_a_diary_with_records_is_refused_and_unchanged(diary: DiaryService) -> None:
    generate_demo(diary, days=10, seed=1, now=NOW)
    before = export_document(diary, now=NOW)
    with pytest.raises(CrampDiaryError, match="empty diary"):
        generate_demo(diary, days=10, seed=2, now=NOW)
    assert export_document(diary, now=NOW) == before


def test_same_seed_same_diary(new_diary: NewDiary) -> None:
    first, second, third = new_diary(), new_diary(), new_diary()
    generate_demo(first, days=200, seed=42, now=NOW)
    generate_demo(second, days=200, seed=42, now=NOW)
    generate_demo(third, days=200, seed=43, now=NOW)
    a = export_document(first, now=NOW)
    b = export_document(second, now=NOW + timedelta(hours=2))
    assert a["exported_at"] != b["exported_at"]
    assert without_time(a) == without_time(b)
    assert without_time(a) != without_time(export_document(third, now=NOW))


@pytest.mark.parametrize(
    "now",
    [
        NOW,
        datetime(2026, 11, 25, 0, 30),
        datetime(2026, 11, 25, 2, 0),
        datetime(2026, 11, 25, 13, 0),
        datetime(2026, 11, 25, 23, 59),
        datetime(2026, 3, 29, 1, 30),
    ],
)
def test_nothing_is_in_the_future(now: datetime) -> None:
    doc = demo_document(days=120, seed=9, now=now)
    check_document(doc, now=now)  # the importer refuses anything in the future
    today = now.date()
    assert all(started(e) <= now for e in doc["episodes"])
    assert all(date.fromisoformat(n["night_of"]) <= last_night(now) for n in doc["nights"])
    assert all(date.fromisoformat(d["date"]) <= today for d in doc["days"])
    for med in doc["medications"]:
        for key in ("started_on", "stopped_on"):
            assert med[key] is None or date.fromisoformat(med[key]) <= today


@pytest.mark.parametrize("days", [1, 2, 7, 30])
def test_short_diaries(days: int, new_diary: NewDiary) -> None:
    diary = new_diary()
    generate_demo(diary, days=days, seed=1, now=NOW)
    doc = export_document(diary, now=NOW)
    nights = logged_nights(doc)
    first = last_night(NOW) - timedelta(days=days - 1)
    assert all(first <= n <= last_night(NOW) for n in nights)
    assert last_night(NOW) in nights
    assert len(doc["medications"]) == 4


@pytest.mark.parametrize("fixture", ["year", "decade"])
def test_about_one_night_in_ten_is_unlogged(fixture: str, request: pytest.FixtureRequest) -> None:
    doc = request.getfixturevalue(fixture)
    days = 365 if fixture == "year" else 3650
    last = last_night(NOW)
    first = last - timedelta(days=days - 1)
    logged = logged_nights(doc)
    assert min(logged) >= first and max(logged) == last
    unlogged = days - len(logged)
    assert 0.08 <= unlogged / days <= 0.12
    # In gaps from a single night to about two weeks.
    gaps: list[int] = []
    run = 0
    for i in range(days):
        if first + timedelta(days=i) in logged:
            if run:
                gaps.append(run)
            run = 0
        else:
            run += 1
    assert 3 <= max(gaps) <= 14
    if days == 3650:
        assert 1 in gaps and max(gaps) >= 10
    # The last week is logged: the diary opens as one in daily use.
    assert all(last - timedelta(days=i) in logged for i in range(7))


def test_episodes_look_like_night_cramps(decade: dict[str, Any]) -> None:
    episodes = decade["episodes"]
    n = len(episodes)
    assert 2000 < n < 6000
    muscles = Counter(e["muscle"] for e in episodes)
    assert muscles.most_common(1)[0][0] == "calf" and muscles["calf"] > 0.6 * n
    assert set(muscles) >= {"calf", "foot", "toes", "thigh_back"}
    sides = Counter(e["side"] for e in episodes)
    assert set(sides) == {"left", "right", "both"}
    small_hours = sum(1 <= started(e).hour < 5 for e in episodes)
    assert small_hours > 0.55 * n
    severities = [e["severity"] for e in episodes]
    assert sum(3 <= s <= 8 for s in severities) > 0.8 * n
    assert max(severities) >= 9
    durations = [e["duration_s"] for e in episodes]
    assert sum(30 <= d <= 300 for d in durations) > 0.6 * n
    over_ten = sum(d > 600 for d in durations)
    assert 0 < over_ten < 0.05 * n
    assert max(durations) > 900
    assert sum(e["woke_from_sleep"] for e in episodes) > 0.6 * n
    assert sum(bool(e["notes"]) for e in episodes) > 0
    assert {e["utc_offset_min"] for e in episodes} == {0, 60}


def test_nights_days_and_medicines(decade: dict[str, Any]) -> None:
    nights = decade["nights"]
    quiet = [n for n in nights if n["no_cramps"]]
    assert len(quiet) > 0.3 * len(nights)
    assert all(n["sleep_hours"] is not None and n["sleep_disturbance"] is not None for n in quiet)
    cramp_nights = {night_of(started(e)) for e in decade["episodes"]}
    assert not any(date.fromisoformat(n["night_of"]) in cramp_nights for n in quiet)

    days = decade["days"]
    by_month: dict[int, list[int]] = {}
    for d in days:
        by_month.setdefault(date.fromisoformat(d["date"]).month, []).append(d["sunlight_min"])
    assert statistics.mean(by_month[7]) > 2 * statistics.mean(by_month[1])
    tags = Counter(tag for d in days for tag in d["tags"])
    assert tags["long_standing"] > 0.3 * len(days)
    assert {"hot_weather", "long_sitting", "long_walk", "gardening"} <= set(tags)
    flagged = [d for d in days if d["symptoms"]]
    assert 0 < len(flagged) < 0.02 * len(days)
    assert any(d["alcohol_units"] for d in days) and any(d["caffeine_drinks"] for d in days)

    meds = {m["name"]: m for m in decade["medications"]}
    assert set(meds) == {"Atorvastatin", "Bendroflumethiazide", "Magnesium citrate", "Vitamin D3"}
    assert meds["Magnesium citrate"]["stopped_on"] is not None
    assert meds["Atorvastatin"]["stopped_on"] is None
    assert meds["Vitamin D3"]["started_on"] is None
    assert decade["profile"]["name"] == "Alex Demo"


def test_weekly_rhythm_and_spells(decade: dict[str, Any]) -> None:
    """More cramps after long-standing days and at weekends; bad spells stand out."""
    per_night = Counter(night_of(started(e)) for e in decade["episodes"])
    logged = logged_nights(decade)
    standing = {
        date.fromisoformat(d["date"]) for d in decade["days"] if "long_standing" in d["tags"]
    }

    def rate(nights: set[date]) -> float:
        return sum(per_night[n] for n in nights) / len(nights)

    weekdays = {n for n in logged if n.weekday() < 5}
    assert rate(logged & standing) > 1.3 * rate(weekdays - standing)
    assert rate({n for n in logged if n.weekday() >= 5}) > rate(weekdays - standing)
    # Four-week windows differ far more than chance alone would make them.
    first = min(logged)
    windows = [
        rate(w)
        for k in range(0, 3640, 28)
        if (w := {first + timedelta(days=k + i) for i in range(28)} & logged)
    ]
    assert max(windows) > 3 * min(windows)


def test_round_trip_of_a_year(new_diary: NewDiary, year: dict[str, Any]) -> None:
    source, copy = new_diary(), new_diary()
    import_document(source, year, now=NOW)
    exported = export_document(source, now=NOW)
    assert without_time(exported) == without_time(year)
    result = import_document(copy, exported, now=NOW)
    assert result.total_skipped == 0
    assert without_time(export_document(copy, now=NOW)) == without_time(exported)


def test_ten_years_in_a_few_seconds(diary: DiaryService) -> None:
    start = time.perf_counter()
    result = generate_demo(diary, days=3650, seed=1, now=NOW)
    took = time.perf_counter() - start
    assert result.added["nights"] > 2500 and result.added["days"] > 2500
    assert result.total_added > 8000
    assert took < 10, f"10 years of demo data took {took:.1f} s"
