"""Domain layer: the diary's records as plain values, and the rules every value must meet.

Every rule lives here, not in widgets: the form, the quick log, the importer and the CLI all call
``validate_*`` and get a ``ValidationError`` naming the field and the allowed range.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from crampdiary.domain import vocab
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.nights import night_of

EARLIEST_DATE = date(1900, 1, 1)
MAX_NAME = 120
MAX_DOSE = 120
MAX_TAG = 40
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")


def new_id() -> str:
    """A stable, globally unique record id."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Episode:
    """One cramp: when it started (local wall-clock, minute precision) and what it was like."""

    started_at: datetime
    duration_s: int
    muscle: str
    side: str
    severity: int
    woke_from_sleep: bool = False
    relief: tuple[str, ...] = ()
    relief_helped: bool | None = None
    soreness_after: int | None = None
    notes: str = ""
    utc_offset_min: int | None = None
    id: str = field(default_factory=new_id)

    @property
    def night_of(self) -> date:
        return night_of(self.started_at)


@dataclass(frozen=True)
class Night:
    """An explicit record of one night: logged even when there was no cramp."""

    night_of: date
    no_cramps: bool = False
    sleep_hours: float | None = None
    sleep_disturbance: int | None = None
    notes: str = ""
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class Day:
    """What the day held: activity, sun, drinks, tags and red-flag symptoms."""

    date: date
    activity_min: int | None = None
    sunlight_min: int | None = None
    alcohol_units: float | None = None
    caffeine_drinks: int | None = None
    tags: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    id: str = field(default_factory=new_id)

    @property
    def is_empty(self) -> bool:
        return (
            self.activity_min is None
            and self.sunlight_min is None
            and self.alcohol_units is None
            and self.caffeine_drinks is None
            and not self.tags
            and not self.symptoms
        )


@dataclass(frozen=True)
class Medication:
    """A medicine or supplement taken regularly, with the dates it started and stopped."""

    name: str
    dose: str = ""
    started_on: date | None = None
    stopped_on: date | None = None
    id: str = field(default_factory=new_id)

    def active_on(self, day: date) -> bool:
        started = self.started_on is None or self.started_on <= day
        not_stopped = self.stopped_on is None or day <= self.stopped_on
        return started and not_stopped


@dataclass(frozen=True)
class Profile:
    """Who the diary is for: used for reference values and the report header; all optional."""

    name: str = ""
    birth_year: int | None = None
    sex: str | None = None
    pregnancy: str = "none"
    conditions: tuple[str, ...] = ()
    units: str = "metric"


# --- validation -------------------------------------------------------------------------------


def _int(value: Any, fld: str, lo: int, hi: int, what: str = "a whole number") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(fld, f"must be {what} from {lo} to {hi}")
    if not lo <= value <= hi:
        raise ValidationError(fld, f"must be from {lo} to {hi} (got {value})")
    return value


def _opt_int(value: Any, fld: str, lo: int, hi: int) -> int | None:
    return None if value is None else _int(value, fld, lo, hi)


def _opt_float(value: Any, fld: str, lo: float, hi: float) -> float | None:
    if value is None:
        return None
    # A huge int has no float value: range-check ints as they are, finiteness for floats only.
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise ValidationError(fld, f"must be a number from {lo:g} to {hi:g}")
    if not lo <= value <= hi:
        got = value if isinstance(value, int) else f"{value:g}"
        raise ValidationError(fld, f"must be from {lo:g} to {hi:g} (got {got})")
    return float(value)


def _bool(value: Any, fld: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(fld, "must be true or false")
    return value


def _text(value: Any, fld: str, limit: int, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError(fld, f"must be text of at most {limit} characters")
    if "\x00" in value:
        raise ValidationError(fld, "must not contain NUL characters")
    if len(value) > limit:
        raise ValidationError(fld, f"must be at most {limit} characters (got {len(value)})")
    if required and not value.strip():
        raise ValidationError(fld, "must not be empty")
    return value


def _choice(value: Any, fld: str, allowed: dict[str, str]) -> str:
    # Check the type first: an unhashable value (a list) would raise TypeError on lookup.
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(fld, "must be one of " + ", ".join(allowed))
    return str(value)


def _choices(values: Any, fld: str, allowed: dict[str, str]) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValidationError(fld, "must be a list drawn from " + ", ".join(allowed))
    out: list[str] = []
    for value in values:
        _choice(value, fld, allowed)
        if value not in out:
            out.append(value)
    return tuple(out)


def _date(value: Any, fld: str, today: date) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(fld, "must be a date (YYYY-MM-DD)")
    if value < EARLIEST_DATE:
        raise ValidationError(fld, f"must be on or after {EARLIEST_DATE.isoformat()}")
    if value > today:
        raise ValidationError(fld, f"must not be in the future (after {today.isoformat()})")
    return value


def _id(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 64 or not value.isprintable():
        raise ValidationError("id", "must be text of 1 to 64 printable characters")
    return value


def validate_episode(ep: Episode, *, now: datetime) -> Episode:
    """The episode as it will be stored (start truncated to the minute), or ValidationError."""
    if not isinstance(ep.started_at, datetime):
        raise ValidationError("started_at", "must be a local date and time")
    started = ep.started_at.replace(second=0, microsecond=0, tzinfo=None)
    if started.date() < EARLIEST_DATE:
        raise ValidationError("started_at", f"must be on or after {EARLIEST_DATE.isoformat()}")
    latest = now.replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
    if started > latest:
        raise ValidationError("started_at", "must not be in the future")
    helped = ep.relief_helped
    if helped is not None:
        _bool(helped, "relief_helped")
    offset = _opt_int(ep.utc_offset_min, "utc_offset_min", -16 * 60, 16 * 60)
    return replace(
        ep,
        id=_id(ep.id),
        started_at=started,
        duration_s=_int(
            ep.duration_s, "duration_s", 1, vocab.MAX_DURATION_S, "a whole number of seconds"
        ),
        muscle=_choice(ep.muscle, "muscle", vocab.MUSCLES),
        side=_choice(ep.side, "side", vocab.SIDES),
        severity=_int(ep.severity, "severity", vocab.NRS_MIN, vocab.NRS_MAX),
        woke_from_sleep=_bool(ep.woke_from_sleep, "woke_from_sleep"),
        relief=_choices(ep.relief, "relief", vocab.RELIEFS),
        relief_helped=helped,
        soreness_after=_opt_int(ep.soreness_after, "soreness_after", vocab.NRS_MIN, vocab.NRS_MAX),
        notes=_text(ep.notes, "notes", vocab.MAX_NOTES),
        utc_offset_min=offset,
    )


def validate_night(night: Night, *, today: date) -> Night:
    return replace(
        night,
        id=_id(night.id),
        no_cramps=_bool(night.no_cramps, "no_cramps"),
        night_of=_date(night.night_of, "night_of", today),
        sleep_hours=_opt_float(night.sleep_hours, "sleep_hours", 0, 24),
        sleep_disturbance=_opt_int(
            night.sleep_disturbance, "sleep_disturbance", vocab.NRS_MIN, vocab.NRS_MAX
        ),
        notes=_text(night.notes, "notes", vocab.MAX_NOTES),
    )


def validate_tag(tag: Any) -> str:
    if not isinstance(tag, str) or not TAG_PATTERN.match(tag):
        raise ValidationError(
            "tags", "each tag must be 1 to 40 lowercase letters, digits or underscores"
        )
    return tag


def tag_key(text: str) -> str:
    """A user's typed tag ("Long walk") as a stored key ("long_walk")."""
    key = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")[:MAX_TAG]
    return validate_tag(key)


def validate_day(day: Day, *, today: date) -> Day:
    if isinstance(day.tags, str) or not isinstance(day.tags, Iterable):
        raise ValidationError("tags", "must be a list of tags")
    tags: list[str] = []
    for tag in day.tags:
        if validate_tag(tag) not in tags:
            tags.append(tag)
    return replace(
        day,
        id=_id(day.id),
        date=_date(day.date, "date", today),
        activity_min=_opt_int(day.activity_min, "activity_min", 0, 1440),
        sunlight_min=_opt_int(day.sunlight_min, "sunlight_min", 0, 1440),
        alcohol_units=_opt_float(day.alcohol_units, "alcohol_units", 0, 100),
        caffeine_drinks=_opt_int(day.caffeine_drinks, "caffeine_drinks", 0, 50),
        tags=tuple(tags),
        symptoms=_choices(day.symptoms, "symptoms", vocab.SYMPTOMS),
    )


def _opt_date(value: Any, fld: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(fld, "must be a date (YYYY-MM-DD) or empty")
    if value < EARLIEST_DATE:
        raise ValidationError(fld, f"must be on or after {EARLIEST_DATE.isoformat()}")
    return value


def validate_medication(med: Medication, *, today: date) -> Medication:
    started = _opt_date(med.started_on, "started_on")
    stopped = _opt_date(med.stopped_on, "stopped_on")
    if started is not None and started > today + timedelta(days=366):
        raise ValidationError("started_on", "must be within a year from today")
    if started is not None and stopped is not None and stopped < started:
        raise ValidationError("stopped_on", "must be on or after the start date")
    return replace(
        med,
        id=_id(med.id),
        name=_text(med.name, "name", MAX_NAME, required=True).strip(),
        dose=_text(med.dose, "dose", MAX_DOSE).strip(),
        started_on=started,
        stopped_on=stopped,
    )


def validate_profile(profile: Profile, *, today: date) -> Profile:
    birth_year = _opt_int(profile.birth_year, "birth_year", 1900, today.year)
    sex = None if profile.sex is None else _choice(profile.sex, "sex", vocab.SEXES)
    pregnancy = _choice(profile.pregnancy, "pregnancy", vocab.PREGNANCY)
    if pregnancy != "none" and sex != "female":
        raise ValidationError("pregnancy", "can be pregnant or lactating only with sex female")
    return replace(
        profile,
        name=_text(profile.name, "name", 80).strip(),
        birth_year=birth_year,
        sex=sex,
        pregnancy=pregnancy,
        conditions=_choices(profile.conditions, "conditions", vocab.CONDITIONS),
        units=_choice(profile.units, "units", vocab.UNITS),
    )
