"""Storage layer: convert between domain records and table rows (lists as JSON text)."""

from __future__ import annotations

import json

from crampdiary.domain import records as rec
from crampdiary.storage import tables as t


def _dump(values: tuple[str, ...]) -> str:
    return json.dumps(list(values))


def _load(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


def episode_row(ep: rec.Episode) -> t.CrampEpisode:
    return t.CrampEpisode(
        id=ep.id,
        started_at=ep.started_at,
        utc_offset_min=ep.utc_offset_min,
        night_of=ep.night_of,
        duration_s=ep.duration_s,
        muscle=ep.muscle,
        side=ep.side,
        severity=ep.severity,
        woke_from_sleep=ep.woke_from_sleep,
        relief=_dump(ep.relief),
        relief_helped=ep.relief_helped,
        soreness_after=ep.soreness_after,
        notes=ep.notes,
    )


def episode_record(row: t.CrampEpisode) -> rec.Episode:
    return rec.Episode(
        id=row.id,
        started_at=row.started_at,
        utc_offset_min=row.utc_offset_min,
        duration_s=row.duration_s,
        muscle=row.muscle,
        side=row.side,
        severity=row.severity,
        woke_from_sleep=row.woke_from_sleep,
        relief=_load(row.relief),
        relief_helped=row.relief_helped,
        soreness_after=row.soreness_after,
        notes=row.notes,
    )


def night_row(night: rec.Night) -> t.NightRecord:
    return t.NightRecord(
        id=night.id,
        night_of=night.night_of,
        no_cramps=night.no_cramps,
        sleep_hours=night.sleep_hours,
        sleep_disturbance=night.sleep_disturbance,
        notes=night.notes,
    )


def night_record(row: t.NightRecord) -> rec.Night:
    return rec.Night(
        id=row.id,
        night_of=row.night_of,
        no_cramps=row.no_cramps,
        sleep_hours=row.sleep_hours,
        sleep_disturbance=row.sleep_disturbance,
        notes=row.notes,
    )


def day_row(day: rec.Day) -> t.DayContext:
    return t.DayContext(
        id=day.id,
        day=day.date,
        activity_min=day.activity_min,
        sunlight_min=day.sunlight_min,
        alcohol_units=day.alcohol_units,
        caffeine_drinks=day.caffeine_drinks,
        tags=_dump(day.tags),
        symptoms=_dump(day.symptoms),
    )


def day_record(row: t.DayContext) -> rec.Day:
    return rec.Day(
        id=row.id,
        date=row.day,
        activity_min=row.activity_min,
        sunlight_min=row.sunlight_min,
        alcohol_units=row.alcohol_units,
        caffeine_drinks=row.caffeine_drinks,
        tags=_load(row.tags),
        symptoms=_load(row.symptoms),
    )


def medication_row(med: rec.Medication) -> t.Medication:
    return t.Medication(
        id=med.id,
        name=med.name,
        dose=med.dose,
        started_on=med.started_on,
        stopped_on=med.stopped_on,
    )


def medication_record(row: t.Medication) -> rec.Medication:
    return rec.Medication(
        id=row.id,
        name=row.name,
        dose=row.dose,
        started_on=row.started_on,
        stopped_on=row.stopped_on,
    )


def profile_record(row: t.Profile | None) -> rec.Profile:
    if row is None:
        return rec.Profile()
    return rec.Profile(
        name=row.name,
        birth_year=row.birth_year,
        sex=row.sex,
        pregnancy=row.pregnancy,
        conditions=_load(row.conditions),
        units=row.units,
    )


def apply_profile(row: t.Profile, profile: rec.Profile) -> None:
    row.name = profile.name
    row.birth_year = profile.birth_year
    row.sex = profile.sex
    row.pregnancy = profile.pregnancy
    row.conditions = _dump(profile.conditions)
    row.units = profile.units
