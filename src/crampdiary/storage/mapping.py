"""Storage layer: convert between domain records and table rows (lists as JSON text)."""

from __future__ import annotations

import json
from typing import Any

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


def food_entry_row(entry: rec.FoodEntry) -> t.FoodEntry:
    return t.FoodEntry(
        id=entry.id, day=entry.date, food=entry.food, grams=entry.grams, meal=entry.meal
    )


def food_entry_record(row: t.FoodEntry) -> rec.FoodEntry:
    return rec.FoodEntry(id=row.id, date=row.day, food=row.food, grams=row.grams, meal=row.meal)


def dump_portions(portions: tuple[tuple[str, float], ...]) -> str:
    return json.dumps([[text, grams] for text, grams in portions], ensure_ascii=False)


def load_portions(text: str) -> tuple[tuple[str, float], ...]:
    return tuple((str(item[0]), float(item[1])) for item in json.loads(text or "[]"))


def custom_food_row(food: rec.CustomFood) -> t.CustomFood:
    return t.CustomFood(
        id=food.id,
        name=food.name,
        magnesium_mg=food.magnesium_mg,
        calcium_mg=food.calcium_mg,
        vitamin_d_ug=food.vitamin_d_ug,
        potassium_mg=food.potassium_mg,
        sodium_mg=food.sodium_mg,
        water_g=food.water_g,
        kcal=food.kcal,
        portions=dump_portions(food.portions),
        density_g_per_ml=food.density_g_per_ml,
    )


def custom_food_record(row: t.CustomFood) -> rec.CustomFood:
    return rec.CustomFood(
        id=row.id,
        name=row.name,
        magnesium_mg=row.magnesium_mg,
        calcium_mg=row.calcium_mg,
        vitamin_d_ug=row.vitamin_d_ug,
        potassium_mg=row.potassium_mg,
        sodium_mg=row.sodium_mg,
        water_g=row.water_g,
        kcal=row.kcal,
        portions=load_portions(row.portions),
        density_g_per_ml=row.density_g_per_ml,
    )


def favourite_food_row(fav: rec.FavouriteFood) -> t.FavouriteFood:
    return t.FavouriteFood(id=fav.id, food=fav.food, grams=fav.grams)


def favourite_food_record(row: t.FavouriteFood) -> rec.FavouriteFood:
    return rec.FavouriteFood(id=row.id, food=row.food, grams=row.grams)


def supplement_product_row(product: rec.SupplementProduct) -> t.SupplementProduct:
    return t.SupplementProduct(
        id=product.id,
        name=product.name,
        nutrient=product.nutrient,
        amount_per_unit=product.amount_per_unit,
        unit=product.unit,
        units_per_dose=product.units_per_dose,
    )


def supplement_product_record(row: t.SupplementProduct) -> rec.SupplementProduct:
    return rec.SupplementProduct(
        id=row.id,
        name=row.name,
        nutrient=row.nutrient,
        amount_per_unit=row.amount_per_unit,
        unit=row.unit,
        units_per_dose=row.units_per_dose,
    )


def supplement_intake_row(intake: rec.SupplementIntake) -> t.SupplementIntake:
    return t.SupplementIntake(
        id=intake.id,
        day=intake.date,
        nutrient=intake.nutrient,
        amount=intake.amount,
        unit=intake.unit,
        product=intake.product,
    )


def supplement_intake_record(row: t.SupplementIntake) -> rec.SupplementIntake:
    return rec.SupplementIntake(
        id=row.id,
        date=row.day,
        nutrient=row.nutrient,
        amount=row.amount,
        unit=row.unit,
        product=row.product,
    )


def drink_row(drink: rec.Drink) -> t.Drink:
    return t.Drink(id=drink.id, day=drink.date, ml=drink.ml, kind=drink.kind)


def drink_record(row: t.Drink) -> rec.Drink:
    return rec.Drink(id=row.id, date=row.day, ml=row.ml, kind=row.kind)


def dump_days(days: tuple[int, ...]) -> str:
    return json.dumps(list(days))


def load_days(text: str) -> tuple[int, ...]:
    return tuple(int(d) for d in json.loads(text or "[]"))


def routine_version_row(item: rec.RoutineItem) -> t.RoutineItemVersion:
    if item.valid_from is None:
        raise ValueError("a stored routine item version needs valid_from")
    return t.RoutineItemVersion(**routine_version_values(item))


def routine_version_record(row: t.RoutineItemVersion) -> rec.RoutineItem:
    return rec.RoutineItem(
        id=row.id,
        key=row.item,
        valid_from=row.valid_from,
        title=row.title,
        instructions=row.instructions,
        line=row.line,
        days=load_days(row.days),
        active=row.active,
        position=row.position,
        hold_s=row.hold_s,
        reps=row.reps,
        rest_s=row.rest_s,
        per_leg=row.per_leg,
        removed=row.removed,
    )


def apply_routine_version(row: t.RoutineItemVersion, item: rec.RoutineItem) -> None:
    """Give a stored version another version's content (its id and start stay)."""
    for key, value in routine_version_values(item).items():
        if key not in ("id", "item", "valid_from"):
            setattr(row, key, value)


def routine_check_row(check: rec.RoutineCheck) -> t.RoutineCheck:
    return t.RoutineCheck(**routine_check_values(check))


def routine_check_record(row: t.RoutineCheck) -> rec.RoutineCheck:
    return rec.RoutineCheck(
        id=row.id,
        night_of=row.night_of,
        item=row.item,
        state=row.state,
        reason=row.reason,
        note=row.note,
        title=row.title,
    )


def paper_tally_row(tally: rec.PaperTally) -> t.PaperTally:
    return t.PaperTally(
        id=tally.id,
        night_of=tally.night_of,
        cramps=tally.cramps,
        worst_severity=tally.worst_severity,
    )


def paper_tally_record(row: t.PaperTally) -> rec.PaperTally:
    return rec.PaperTally(
        id=row.id, night_of=row.night_of, cramps=row.cramps, worst_severity=row.worst_severity
    )


# Column values for bulk INSERTs of many rows (an import of years of meals): building a model
# object per row costs far more than the INSERT itself.


def food_entry_values(entry: rec.FoodEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "day": entry.date,
        "food": entry.food,
        "grams": entry.grams,
        "meal": entry.meal,
    }


def supplement_intake_values(intake: rec.SupplementIntake) -> dict[str, Any]:
    return {
        "id": intake.id,
        "day": intake.date,
        "nutrient": intake.nutrient,
        "amount": intake.amount,
        "unit": intake.unit,
        "product": intake.product,
    }


def drink_values(drink: rec.Drink) -> dict[str, Any]:
    return {"id": drink.id, "day": drink.date, "ml": drink.ml, "kind": drink.kind}


def routine_version_values(item: rec.RoutineItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "item": item.key,
        "valid_from": item.valid_from,
        "title": item.title,
        "instructions": item.instructions,
        "line": item.line,
        "days": dump_days(item.days),
        "active": item.active,
        "position": item.position,
        "hold_s": item.hold_s,
        "reps": item.reps,
        "rest_s": item.rest_s,
        "per_leg": item.per_leg,
        "removed": item.removed,
    }


def routine_check_values(check: rec.RoutineCheck) -> dict[str, Any]:
    return {
        "id": check.id,
        "night_of": check.night_of,
        "item": check.item,
        "state": check.state,
        "reason": check.reason,
        "note": check.note,
        "title": check.title,
    }
