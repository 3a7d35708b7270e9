"""The record validators: every field's range and type, and that bad input only ever raises
ValidationError (never TypeError or OverflowError), checked by example and with hypothesis."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crampdiary.domain import records as rec
from crampdiary.domain import vocab
from crampdiary.domain.errors import ValidationError

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()

# Any value JSON (or a careless caller) could put in a field.
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.dates()
    | st.datetimes(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def episode(**changes: Any) -> rec.Episode:
    base = rec.Episode(
        started_at=datetime(2026, 11, 25, 3, 12),
        duration_s=90,
        muscle="calf",
        side="left",
        severity=6,
    )
    return replace(base, **changes)


def night(**changes: Any) -> rec.Night:
    return replace(rec.Night(night_of=date(2026, 11, 24)), **changes)


def day(**changes: Any) -> rec.Day:
    return replace(rec.Day(date=date(2026, 11, 24)), **changes)


def medication(**changes: Any) -> rec.Medication:
    return replace(rec.Medication(name="Atorvastatin"), **changes)


def profile(**changes: Any) -> rec.Profile:
    return replace(rec.Profile(), **changes)


def refused(fn: Any, fld: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        fn()
    assert info.value.field == fld
    assert str(info.value).startswith(f"{fld}: ")
    return info.value


# --- ids -------------------------------------------------------------------------------------


def test_new_id_is_unique_hex() -> None:
    ids = {rec.new_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


@pytest.mark.parametrize("bad", ["", "x" * 65, "a\nb", "tab\there", 5, None, b"bytes"])
def test_bad_ids_are_refused(bad: Any) -> None:
    refused(lambda: rec.validate_episode(episode(id=bad), now=NOW), "id")
    refused(lambda: rec.validate_night(night(id=bad), today=TODAY), "id")
    refused(lambda: rec.validate_day(day(id=bad), today=TODAY), "id")
    refused(lambda: rec.validate_medication(medication(id=bad), today=TODAY), "id")


@pytest.mark.parametrize("good", ["a", "x" * 64, "0123-abcd", "ünïcode id"])
def test_good_ids_are_kept(good: str) -> None:
    assert rec.validate_episode(episode(id=good), now=NOW).id == good


# --- episodes --------------------------------------------------------------------------------


def test_episode_start_is_truncated_to_the_minute_and_made_naive() -> None:
    aware = datetime(2026, 11, 25, 3, 12, 45, 123, tzinfo=timezone(timedelta(hours=1)))
    ep = rec.validate_episode(episode(started_at=aware), now=NOW)
    assert ep.started_at == datetime(2026, 11, 25, 3, 12)
    assert ep.started_at.tzinfo is None
    assert ep.night_of == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("started_at", "ok"),
    [
        (NOW, True),
        (NOW + timedelta(minutes=1), True),  # a clock a minute ahead is tolerated
        (NOW + timedelta(minutes=2), False),
        (NOW + timedelta(days=400), False),
        (datetime(1900, 1, 1, 0, 0), True),
        (datetime(1899, 12, 31, 23, 59), False),
    ],
)
def test_episode_start_range(started_at: datetime, ok: bool) -> None:
    if ok:
        rec.validate_episode(episode(started_at=started_at), now=NOW)
    else:
        refused(lambda: rec.validate_episode(episode(started_at=started_at), now=NOW), "started_at")


@pytest.mark.parametrize("bad", [date(2026, 11, 24), "2026-11-24T03:00", None, 0])
def test_episode_start_must_be_a_datetime(bad: Any) -> None:
    refused(lambda: rec.validate_episode(episode(started_at=bad), now=NOW), "started_at")


@pytest.mark.parametrize(
    ("fld", "value", "message"),
    [
        ("severity", 14, "must be from 0 to 10 (got 14)"),
        ("severity", -1, "must be from 0 to 10 (got -1)"),
        ("severity", True, "must be a whole number from 0 to 10"),
        ("severity", 5.0, "must be a whole number from 0 to 10"),
        ("severity", "5", "must be a whole number from 0 to 10"),
        ("duration_s", 0, "must be from 1 to 86400 (got 0)"),
        ("duration_s", 86401, "must be from 1 to 86400 (got 86401)"),
        ("duration_s", False, "must be a whole number of seconds from 1 to 86400"),
        ("soreness_after", 11, "must be from 0 to 10 (got 11)"),
        ("soreness_after", "3", "must be a whole number from 0 to 10"),
        ("utc_offset_min", 16 * 60 + 1, "must be from -960 to 960 (got 961)"),
        ("muscle", "neck", "must be one of " + ", ".join(vocab.MUSCLES)),
        ("muscle", ["calf"], "must be one of " + ", ".join(vocab.MUSCLES)),
        ("side", None, "must be one of left, right, both"),
        ("side", {"left": 1}, "must be one of left, right, both"),
        ("woke_from_sleep", 1, "must be true or false"),
        ("woke_from_sleep", None, "must be true or false"),
        ("relief_helped", "yes", "must be true or false"),
        ("relief", "stretched", "must be a list drawn from " + ", ".join(vocab.RELIEFS)),
        ("relief", ["yoga"], "must be one of " + ", ".join(vocab.RELIEFS)),
        ("relief", [["stretched"]], "must be one of " + ", ".join(vocab.RELIEFS)),
        ("relief", 3, "must be a list drawn from " + ", ".join(vocab.RELIEFS)),
        ("notes", "x" * 2001, "must be at most 2000 characters (got 2001)"),
        ("notes", "a\x00b", "must not contain NUL characters"),
        ("notes", None, "must be text of at most 2000 characters"),
    ],
)
def test_episode_field_errors(fld: str, value: Any, message: str) -> None:
    error = refused(lambda: rec.validate_episode(episode(**{fld: value}), now=NOW), fld)
    assert error.detail == message


@pytest.mark.parametrize(
    ("fld", "value"),
    [
        ("severity", 0),
        ("severity", 10),
        ("duration_s", 1),
        ("duration_s", 86400),
        ("soreness_after", None),
        ("soreness_after", 0),
        ("utc_offset_min", -960),
        ("utc_offset_min", None),
        ("relief_helped", None),
        ("relief_helped", False),
        ("notes", "x" * 2000),
        ("notes", "Crampe très forte — 😖"),
    ],
)
def test_episode_field_limits_are_accepted(fld: str, value: Any) -> None:
    assert getattr(rec.validate_episode(episode(**{fld: value}), now=NOW), fld) == value


def test_relief_is_deduplicated_in_order() -> None:
    ep = rec.validate_episode(episode(relief=["walked", "stretched", "walked"]), now=NOW)
    assert ep.relief == ("walked", "stretched")


# --- nights ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fld", "value", "message"),
    [
        ("no_cramps", None, "must be true or false"),
        ("no_cramps", 0, "must be true or false"),
        ("night_of", TODAY + timedelta(days=1), "must not be in the future (after 2026-11-25)"),
        ("night_of", date(1899, 12, 31), "must be on or after 1900-01-01"),
        ("night_of", datetime(2026, 11, 24, 0, 0), "must be a date (YYYY-MM-DD)"),
        ("night_of", "2026-11-24", "must be a date (YYYY-MM-DD)"),
        ("sleep_hours", 24.5, "must be from 0 to 24 (got 24.5)"),
        ("sleep_hours", -1, "must be from 0 to 24 (got -1)"),
        ("sleep_hours", 10**400, f"must be from 0 to 24 (got {10**400})"),
        ("sleep_hours", float("nan"), "must be a number from 0 to 24"),
        ("sleep_hours", float("inf"), "must be a number from 0 to 24"),
        ("sleep_hours", True, "must be a number from 0 to 24"),
        ("sleep_hours", "7", "must be a number from 0 to 24"),
        ("sleep_disturbance", 11, "must be from 0 to 10 (got 11)"),
    ],
)
def test_night_field_errors(fld: str, value: Any, message: str) -> None:
    error = refused(lambda: rec.validate_night(night(**{fld: value}), today=TODAY), fld)
    assert error.detail == message


def test_night_values_are_normalised() -> None:
    n = rec.validate_night(night(sleep_hours=7, night_of=TODAY), today=TODAY)
    assert n.sleep_hours == 7.0 and isinstance(n.sleep_hours, float)


# --- days ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fld", "value", "message"),
    [
        ("date", TODAY + timedelta(days=1), "must not be in the future (after 2026-11-25)"),
        ("activity_min", 1441, "must be from 0 to 1440 (got 1441)"),
        ("sunlight_min", -5, "must be from 0 to 1440 (got -5)"),
        ("alcohol_units", 100.5, "must be from 0 to 100 (got 100.5)"),
        ("alcohol_units", "2", "must be a number from 0 to 100"),
        ("caffeine_drinks", 51, "must be from 0 to 50 (got 51)"),
        ("symptoms", ["fever"], "must be one of " + ", ".join(vocab.SYMPTOMS)),
        ("symptoms", "weakness", "must be a list drawn from " + ", ".join(vocab.SYMPTOMS)),
        ("tags", "long_walk", "must be a list of tags"),
    ],
)
def test_day_field_errors(fld: str, value: Any, message: str) -> None:
    error = refused(lambda: rec.validate_day(day(**{fld: value}), today=TODAY), fld)
    assert error.detail == message


@pytest.mark.parametrize(
    "bad_tag", ["Long walk", "", "_x", "a" * 41, "ü", 5, None, ["x"], "tag-with-dash"]
)
def test_bad_tags_are_refused(bad_tag: Any) -> None:
    refused(lambda: rec.validate_day(day(tags=[bad_tag]), today=TODAY), "tags")


def test_tags_are_deduplicated_and_symptoms_kept() -> None:
    d = rec.validate_day(
        day(tags=["long_walk", "x1", "long_walk"], symptoms=["weakness", "weakness"]),
        today=TODAY,
    )
    assert d.tags == ("long_walk", "x1")
    assert d.symptoms == ("weakness",)
    assert not d.is_empty
    assert rec.validate_day(day(), today=TODAY).is_empty


@pytest.mark.parametrize(
    ("text", "key"),
    [("Long walk", "long_walk"), ("  New   Shoes! ", "new_shoes"), ("A" * 50, "a" * 40)],
)
def test_tag_key(text: str, key: str) -> None:
    assert rec.tag_key(text) == key


@pytest.mark.parametrize("text", ["", "!!!", "ü"])
def test_tag_key_refuses_text_without_letters_or_digits(text: str) -> None:
    refused(lambda: rec.tag_key(text), "tags")


# --- medications -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fld", "message"),
    [
        ({"name": "   "}, "name", "must not be empty"),
        ({"name": "x" * 121}, "name", "must be at most 120 characters (got 121)"),
        ({"dose": "x" * 121}, "dose", "must be at most 120 characters (got 121)"),
        ({"started_on": "2026-01-01"}, "started_on", "must be a date (YYYY-MM-DD) or empty"),
        (
            {"started_on": TODAY + timedelta(days=367)},
            "started_on",
            "must be within a year from today",
        ),
        (
            {"started_on": date(2026, 5, 2), "stopped_on": date(2026, 5, 1)},
            "stopped_on",
            "must be on or after the start date",
        ),
        ({"stopped_on": date(1800, 1, 1)}, "stopped_on", "must be on or after 1900-01-01"),
    ],
)
def test_medication_errors(changes: dict[str, Any], fld: str, message: str) -> None:
    error = refused(lambda: rec.validate_medication(medication(**changes), today=TODAY), fld)
    assert error.detail == message


def test_medication_is_stripped_and_active_range() -> None:
    med = rec.validate_medication(
        medication(
            name="  Atorvastatin ",
            dose=" 20 mg ",
            started_on=date(2026, 5, 1),
            stopped_on=date(2026, 5, 1),
        ),
        today=TODAY,
    )
    assert (med.name, med.dose) == ("Atorvastatin", "20 mg")
    assert med.active_on(date(2026, 5, 1))
    assert not med.active_on(date(2026, 4, 30))
    assert not med.active_on(date(2026, 5, 2))
    assert medication().active_on(date(1900, 1, 1))


# --- profile ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fld"),
    [
        ({"birth_year": 1899}, "birth_year"),
        ({"birth_year": TODAY.year + 1}, "birth_year"),
        ({"birth_year": "1960"}, "birth_year"),
        ({"sex": "other"}, "sex"),
        ({"sex": ["female"]}, "sex"),
        ({"pregnancy": "pregnant"}, "pregnancy"),
        ({"pregnancy": "lactating", "sex": "male"}, "pregnancy"),
        ({"pregnancy": None}, "pregnancy"),
        ({"conditions": ["gout"]}, "conditions"),
        ({"conditions": "diabetes"}, "conditions"),
        ({"units": "imperial"}, "units"),
        ({"name": "x" * 81}, "name"),
    ],
)
def test_profile_errors(changes: dict[str, Any], fld: str) -> None:
    refused(lambda: rec.validate_profile(profile(**changes), today=TODAY), fld)


def test_profile_accepts_a_full_profile() -> None:
    p = rec.validate_profile(
        profile(
            name=" Alex ",
            birth_year=1960,
            sex="female",
            pregnancy="lactating",
            conditions=["diabetes", "diabetes"],
            units="us",
        ),
        today=TODAY,
    )
    assert p == rec.Profile("Alex", 1960, "female", "lactating", ("diabetes",), "us")
    assert rec.validate_profile(rec.Profile(), today=TODAY) == rec.Profile()


# --- properties ------------------------------------------------------------------------------

VALID_EPISODES = st.builds(
    rec.Episode,
    started_at=st.datetimes(min_value=datetime(1900, 1, 1), max_value=NOW),
    duration_s=st.integers(1, vocab.MAX_DURATION_S),
    muscle=st.sampled_from(list(vocab.MUSCLES)),
    side=st.sampled_from(list(vocab.SIDES)),
    severity=st.integers(vocab.NRS_MIN, vocab.NRS_MAX),
    woke_from_sleep=st.booleans(),
    relief=st.lists(st.sampled_from(list(vocab.RELIEFS))).map(tuple),
    relief_helped=st.none() | st.booleans(),
    soreness_after=st.none() | st.integers(0, 10),
    notes=st.text(
        alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        max_size=50,
    ),
    utc_offset_min=st.none() | st.integers(-960, 960),
    id=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=64
    ),
)


@given(VALID_EPISODES)
def test_valid_episodes_pass_and_validation_is_idempotent(ep: rec.Episode) -> None:
    once = rec.validate_episode(ep, now=NOW)
    assert rec.validate_episode(once, now=NOW) == once
    assert once.started_at.second == 0 and once.started_at <= NOW
    assert len(set(once.relief)) == len(once.relief)


@given(st.integers())
def test_severity_is_accepted_exactly_in_range(value: int) -> None:
    if vocab.NRS_MIN <= value <= vocab.NRS_MAX:
        assert rec.validate_episode(episode(severity=value), now=NOW).severity == value
    else:
        error = refused(lambda: rec.validate_episode(episode(severity=value), now=NOW), "severity")
        assert error.detail == f"must be from 0 to 10 (got {value})"


@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**30), 10**30))
def test_sleep_hours_number_range(value: float) -> None:
    try:
        n = rec.validate_night(night(sleep_hours=value), today=TODAY)
    except ValidationError as exc:
        assert exc.field == "sleep_hours"
        assert not 0 <= value <= 24
    else:
        assert n.sleep_hours == float(value) and 0 <= value <= 24


EPISODE_FIELDS = [f for f in rec.Episode.__dataclass_fields__ if f != "started_at"]


@given(st.sampled_from(EPISODE_FIELDS), ANY_VALUE)
def test_any_episode_value_is_kept_or_refused_with_validation_error(fld: str, value: Any) -> None:
    try:
        rec.validate_episode(episode(**{fld: value}), now=NOW)
    except ValidationError as exc:
        assert exc.field == fld


@given(st.sampled_from(list(rec.Night.__dataclass_fields__)), ANY_VALUE)
def test_any_night_value_is_kept_or_refused(fld: str, value: Any) -> None:
    try:
        rec.validate_night(night(**{fld: value}), today=TODAY)
    except ValidationError as exc:
        assert exc.field == fld


@given(st.sampled_from(list(rec.Day.__dataclass_fields__)), ANY_VALUE)
def test_any_day_value_is_kept_or_refused(fld: str, value: Any) -> None:
    try:
        rec.validate_day(day(**{fld: value}), today=TODAY)
    except ValidationError as exc:
        assert exc.field == fld


@given(st.sampled_from(list(rec.Medication.__dataclass_fields__)), ANY_VALUE)
def test_any_medication_value_is_kept_or_refused(fld: str, value: Any) -> None:
    try:
        rec.validate_medication(medication(**{fld: value}), today=TODAY)
    except ValidationError as exc:
        assert exc.field == fld


@given(st.sampled_from(list(rec.Profile.__dataclass_fields__)), ANY_VALUE)
def test_any_profile_value_is_kept_or_refused(fld: str, value: Any) -> None:
    try:
        rec.validate_profile(profile(**{fld: value}), today=TODAY)
    except ValidationError as exc:
        assert exc.field in (fld, "pregnancy")


@given(st.text(max_size=60))
def test_tag_key_gives_a_valid_tag_or_refuses(text: str) -> None:
    try:
        key = rec.tag_key(text)
    except ValidationError as exc:
        assert exc.field == "tags"
    else:
        assert rec.validate_tag(key) == key
        assert rec.tag_key(key) == key
