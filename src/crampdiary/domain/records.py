"""Domain layer: the diary's records as plain values, and the rules every value must meet.

Every rule lives here, not in widgets: the form, the quick log, the importer and the CLI all call
``validate_*`` and get a ``ValidationError`` naming the field and the allowed range.
"""

from __future__ import annotations

import math
import re
import unicodedata
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
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate ("\ud800") cannot be stored
        raise ValidationError(fld, "must be valid text (it holds an unpaired surrogate)") from exc
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


# --- nutrition: food entries, custom foods, supplements, drinks ---------------------------------

MEALS: dict[str, str] = {
    "breakfast": "Breakfast",
    "lunch": "Lunch",
    "dinner": "Dinner",
    "snack": "Snack",
}
DRINK_KINDS: dict[str, str] = {
    "water": "Water",
    "tea": "Tea",
    "coffee": "Coffee",
    "milk": "Milk",
    "juice": "Juice",
    "alcohol": "Alcohol",
    "other": "Other",
}
# The nutrients a supplement can supply (the food nutrients without water).
SUPPLEMENT_NUTRIENTS: dict[str, str] = {
    "magnesium": "Magnesium",
    "calcium": "Calcium",
    "vitamin_d": "Vitamin D",
    "potassium": "Potassium",
    "sodium": "Sodium",
}
SUPPLEMENT_UNITS: dict[str, str] = {"mg": "mg", "ug": "µg", "IU": "IU"}

MAX_FOOD_GRAMS = 5000
MAX_DRINK_ML = 5000
MAX_PER_100G = 100_000  # mg or µg in 100 g: at most the whole 100 g
MAX_WATER_PER_100G = 100  # g of water in 100 g of food
MAX_KCAL_PER_100G = 1000  # pure fat is about 900
MAX_DENSITY = 5.0  # g/ml
MAX_PORTIONS = 30
MAX_PORTION_TEXT = 80
MAX_AMOUNT_PER_UNIT = 100_000
MAX_UNITS_PER_DOSE = 100
MAX_SUPPLEMENT_AMOUNT = 1_000_000
USDA_PREFIX = "usda:"
CUSTOM_PREFIX = "custom:"
USDA_KEY = re.compile(r"usda:[0-9]{5}")


def custom_food_key(name: str) -> str:
    """The food key of a custom food: ``custom:`` and its name."""
    return CUSTOM_PREFIX + name


@dataclass(frozen=True)
class FoodEntry:
    """An amount of one food eaten at one meal; ``food`` is "usda:NDB" or "custom:NAME"."""

    date: date
    food: str
    grams: float
    meal: str
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class CustomFood:
    """A food the user described: values per 100 g (None: unknown, never zero) and portions."""

    name: str
    magnesium_mg: float | None = None
    calcium_mg: float | None = None
    vitamin_d_ug: float | None = None
    potassium_mg: float | None = None
    sodium_mg: float | None = None
    water_g: float | None = None
    kcal: float | None = None
    portions: tuple[tuple[str, float], ...] = ()
    density_g_per_ml: float | None = None
    id: str = field(default_factory=new_id)

    @property
    def key(self) -> str:
        return custom_food_key(self.name)


# CustomFood's per-100 g fields, by nutrient key (the order of the nutrition tab).
CUSTOM_FOOD_VALUES: dict[str, str] = {
    "magnesium": "magnesium_mg",
    "calcium": "calcium_mg",
    "vitamin_d": "vitamin_d_ug",
    "potassium": "potassium_mg",
    "sodium": "sodium_mg",
    "water": "water_g",
}


@dataclass(frozen=True)
class FavouriteFood:
    """A food the user starred, with the amount one click logs."""

    food: str
    grams: float
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class SupplementProduct:
    """A saved supplement: elemental amount per unit as printed on the label, units per dose."""

    name: str
    nutrient: str
    amount_per_unit: float
    unit: str
    units_per_dose: float = 1.0
    id: str = field(default_factory=new_id)

    @property
    def dose_amount(self) -> float:
        """One dose, in ``unit``."""
        return self.amount_per_unit * self.units_per_dose


@dataclass(frozen=True)
class SupplementIntake:
    """An amount of one nutrient taken as a supplement on a day; ``product`` is a name or text."""

    date: date
    nutrient: str
    amount: float
    unit: str
    product: str = ""
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class Drink:
    """A drink: its volume and kind (milk and juice also count their nutrients)."""

    date: date
    ml: int
    kind: str
    id: str = field(default_factory=new_id)


def _positive(value: Any, fld: str, hi: float) -> float:
    """A number more than 0 and at most ``hi``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise ValidationError(fld, f"must be a number more than 0 and at most {hi:.10g}")
    if not 0 < value <= hi:
        got = value if isinstance(value, int) else f"{value:g}"
        raise ValidationError(fld, f"must be more than 0 and at most {hi:.10g} (got {got})")
    return float(value)


def _name(value: Any, fld: str = "name") -> str:
    return _text(value, fld, MAX_NAME, required=True).strip()


def validate_food_key(value: Any, fld: str = "food") -> str:
    """A food key: "usda:" and a five-digit NDB number, or "custom:" and a custom food's name."""
    if isinstance(value, str):
        if USDA_KEY.fullmatch(value):
            return value
        if value.startswith(CUSTOM_PREFIX):
            name = value[len(CUSTOM_PREFIX) :]
            if name and name == name.strip() and len(name) <= MAX_NAME and "\x00" not in name:
                return value
    raise ValidationError(
        fld,
        'must be "usda:" and a 5-digit NDB number (usda:01077), or "custom:" and the name '
        f"of a custom food (1 to {MAX_NAME} characters)",
    )


def _unit(value: Any, nutrient: str) -> str:
    unit = _choice(value, "unit", SUPPLEMENT_UNITS)
    if unit == "IU" and nutrient != "vitamin_d":
        raise ValidationError("unit", "IU is allowed only for vitamin_d; use mg or ug")
    return unit


def validate_food_entry(entry: FoodEntry, *, today: date) -> FoodEntry:
    return replace(
        entry,
        id=_id(entry.id),
        date=_date(entry.date, "date", today),
        food=validate_food_key(entry.food),
        grams=_positive(entry.grams, "grams", MAX_FOOD_GRAMS),
        meal=_choice(entry.meal, "meal", MEALS),
    )


def _portions(values: Any) -> tuple[tuple[str, float], ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValidationError("portions", "must be a list of (description, grams) pairs")
    out: list[tuple[str, float]] = []
    for item in values:
        if isinstance(item, str) or not isinstance(item, tuple | list) or len(item) != 2:
            raise ValidationError("portions", "each portion must be a (description, grams) pair")
        text = _text(item[0], "portions", MAX_PORTION_TEXT, required=True).strip()
        grams = _positive(item[1], "portions", MAX_FOOD_GRAMS)
        if any(text == seen for seen, _ in out):
            raise ValidationError("portions", f'"{text}" is listed twice')
        out.append((text, grams))
    if len(out) > MAX_PORTIONS:
        raise ValidationError("portions", f"must be at most {MAX_PORTIONS} (got {len(out)})")
    return tuple(out)


def validate_custom_food(food: CustomFood) -> CustomFood:
    values = {
        fld: _opt_float(
            getattr(food, fld),
            fld,
            0,
            MAX_WATER_PER_100G if fld == "water_g" else MAX_PER_100G,
        )
        for fld in CUSTOM_FOOD_VALUES.values()
    }
    density = food.density_g_per_ml
    return replace(
        food,
        id=_id(food.id),
        name=_name(food.name),
        kcal=_opt_float(food.kcal, "kcal", 0, MAX_KCAL_PER_100G),
        portions=_portions(food.portions),
        density_g_per_ml=(
            None if density is None else _positive(density, "density_g_per_ml", MAX_DENSITY)
        ),
        **values,
    )


def validate_favourite_food(fav: FavouriteFood) -> FavouriteFood:
    return replace(
        fav,
        id=_id(fav.id),
        food=validate_food_key(fav.food),
        grams=_positive(fav.grams, "grams", MAX_FOOD_GRAMS),
    )


def validate_supplement_product(product: SupplementProduct) -> SupplementProduct:
    nutrient = _choice(product.nutrient, "nutrient", SUPPLEMENT_NUTRIENTS)
    return replace(
        product,
        id=_id(product.id),
        name=_name(product.name),
        nutrient=nutrient,
        amount_per_unit=_positive(product.amount_per_unit, "amount_per_unit", MAX_AMOUNT_PER_UNIT),
        unit=_unit(product.unit, nutrient),
        units_per_dose=_positive(product.units_per_dose, "units_per_dose", MAX_UNITS_PER_DOSE),
    )


def validate_supplement_intake(intake: SupplementIntake, *, today: date) -> SupplementIntake:
    nutrient = _choice(intake.nutrient, "nutrient", SUPPLEMENT_NUTRIENTS)
    unit = _unit(intake.unit, nutrient)
    # Totals count vitamin D in µg: keep every amount within the same bound once converted.
    most = MAX_SUPPLEMENT_AMOUNT / 1000 if (nutrient, unit) == ("vitamin_d", "mg") else None
    return replace(
        intake,
        id=_id(intake.id),
        date=_date(intake.date, "date", today),
        nutrient=nutrient,
        amount=_positive(intake.amount, "amount", most or MAX_SUPPLEMENT_AMOUNT),
        unit=unit,
        product=_text(intake.product, "product", MAX_NAME).strip(),
    )


def validate_drink(drink: Drink, *, today: date) -> Drink:
    return replace(
        drink,
        id=_id(drink.id),
        date=_date(drink.date, "date", today),
        ml=_int(drink.ml, "ml", 1, MAX_DRINK_ML, "a whole number of millilitres"),
        kind=_choice(drink.kind, "kind", DRINK_KINDS),
    )


# --- the bedtime routine: items (as versions), checks, paper tallies ----------------------------

CHECK_STATES: dict[str, str] = {"done": "Done", "skipped": "Skipped", "undone": "Not done"}
SKIP_REASONS: dict[str, str] = {"ill": "Ill", "travelling": "Travelling", "other": "Other"}
ISO_WEEKDAYS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)  # 1 = Monday .. 7 = Sunday
ROUTINE_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_ROUTINE_TITLE = 80
MAX_ROUTINE_INSTRUCTIONS = 2000
MAX_ROUTINE_LINE = 120
MAX_ROUTINE_NOTE = 500
MAX_ROUTINE_POSITION = 9999
MAX_HOLD_S = 600
MAX_REPS = 20
MAX_REST_S = 600
MAX_PAPER_CRAMPS = 50


@dataclass(frozen=True)
class RoutineItem:
    """One version of a routine item: what it was from the night ``valid_from`` on.

    An item is its ``key``; editing it (title, days, pause, order, removal) stores a new version
    from a night on, so a past night's schedule uses the version in force that night.
    ``active`` False: paused (kept in the list, not scheduled). ``removed``: gone from the list.
    """

    key: str
    title: str
    instructions: str = ""
    line: str = ""
    days: tuple[int, ...] = ISO_WEEKDAYS
    active: bool = True
    position: int = 0
    hold_s: int | None = None
    reps: int | None = None
    rest_s: int | None = None
    per_leg: bool = False
    removed: bool = False
    valid_from: date | None = None
    id: str = field(default_factory=new_id)

    @property
    def is_timed(self) -> bool:
        """A stretch the timer can count: a hold time and repetitions."""
        return self.hold_s is not None and self.reps is not None

    def scheduled_on(self, night: date) -> bool:
        """Due on this night (the night of D uses D's weekday): active, not removed, the day."""
        return self.active and not self.removed and night.isoweekday() in self.days

    def content(self) -> tuple[Any, ...]:
        """Everything a version says, without its id and start: equal content, same item."""
        return (
            self.key,
            self.title,
            self.instructions,
            self.line,
            self.days,
            self.active,
            self.position,
            self.hold_s,
            self.reps,
            self.rest_s,
            self.per_leg,
            self.removed,
        )


@dataclass(frozen=True)
class RoutineCheck:
    """What became of one routine item on one night; ``title`` is the item's title then."""

    night_of: date
    item: str
    state: str
    reason: str | None = None
    note: str = ""
    title: str = ""
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class PaperTally:
    """A night's cramps as counted on the printed checklist: how many and the worst (0-10)."""

    night_of: date
    cramps: int
    worst_severity: int | None = None
    id: str = field(default_factory=new_id)


def validate_routine_key(value: Any, fld: str = "key") -> str:
    if not isinstance(value, str) or not ROUTINE_KEY.fullmatch(value):
        raise ValidationError(
            fld,
            "must be 1 to 40 lowercase letters, digits or underscores, starting with a letter",
        )
    return value


def routine_key(title: str, taken: Iterable[str] = ()) -> str:
    """A new item's key from its title ("Calf stretch" -> "calf_stretch"), unique among taken."""
    used = set(taken)
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "_", folded.strip().lower()).strip("_")
    base = base.lstrip("0123456789_") or "item"
    base = base[:40]
    key, n = base, 1
    while key in used:
        n += 1
        suffix = f"_{n}"
        key = base[: 40 - len(suffix)].rstrip("_") + suffix
    return validate_routine_key(key)


def _weekdays(values: Any) -> tuple[int, ...]:
    what = "must be a list of ISO weekdays, 1 (Monday) to 7 (Sunday), at least one"
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValidationError("days", what)
    days: set[int] = set()
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 7:
            raise ValidationError("days", what)
        days.add(value)
    if not days:
        raise ValidationError("days", what)
    return tuple(sorted(days))


def validate_routine_item(item: RoutineItem, *, today: date) -> RoutineItem:
    """The version as it will be stored; ``valid_from`` may be up to a year ahead."""
    valid_from = item.valid_from
    if isinstance(valid_from, datetime) or not isinstance(valid_from, date):
        raise ValidationError("valid_from", "must be a date (YYYY-MM-DD)")
    if valid_from < EARLIEST_DATE:
        raise ValidationError("valid_from", f"must be on or after {EARLIEST_DATE.isoformat()}")
    if valid_from > today + timedelta(days=366):
        raise ValidationError("valid_from", "must be within a year from today")
    hold = _opt_int(item.hold_s, "hold_s", 1, MAX_HOLD_S)
    reps = _opt_int(item.reps, "reps", 1, MAX_REPS)
    rest = _opt_int(item.rest_s, "rest_s", 0, MAX_REST_S)
    if (hold is None) != (reps is None):
        raise ValidationError("reps", "a hold time and repetitions go together: give both or none")
    if rest is not None and hold is None:
        raise ValidationError("rest_s", "a rest time needs a hold time")
    per_leg = _bool(item.per_leg, "per_leg")
    if per_leg and hold is None:
        raise ValidationError("per_leg", "each leg needs a hold time")
    return replace(
        item,
        id=_id(item.id),
        key=validate_routine_key(item.key),
        title=_text(item.title, "title", MAX_ROUTINE_TITLE, required=True).strip(),
        instructions=_text(item.instructions, "instructions", MAX_ROUTINE_INSTRUCTIONS).strip(),
        line=_text(item.line, "line", MAX_ROUTINE_LINE).strip(),
        days=_weekdays(item.days),
        active=_bool(item.active, "active"),
        position=_int(item.position, "position", 0, MAX_ROUTINE_POSITION),
        hold_s=hold,
        reps=reps,
        rest_s=rest,
        per_leg=per_leg,
        removed=_bool(item.removed, "removed"),
        valid_from=valid_from,
    )


def validate_routine_check(check: RoutineCheck, *, today: date) -> RoutineCheck:
    state = _choice(check.state, "state", CHECK_STATES)
    reason = check.reason
    if reason is not None:
        reason = _choice(reason, "reason", SKIP_REASONS)
        if state != "skipped":
            raise ValidationError("reason", "is given only for a skipped item")
    return replace(
        check,
        id=_id(check.id),
        night_of=_date(check.night_of, "night_of", today),
        item=validate_routine_key(check.item, "item"),
        state=state,
        reason=reason,
        note=_text(check.note, "note", MAX_ROUTINE_NOTE),
        title=_text(check.title, "title", MAX_ROUTINE_TITLE).strip(),
    )


def validate_paper_tally(tally: PaperTally, *, today: date) -> PaperTally:
    cramps = _int(tally.cramps, "cramps", 0, MAX_PAPER_CRAMPS)
    worst = _opt_int(tally.worst_severity, "worst_severity", vocab.NRS_MIN, vocab.NRS_MAX)
    if cramps == 0 and worst is not None:
        raise ValidationError("worst_severity", "must be empty when there were no cramps")
    return replace(
        tally,
        id=_id(tally.id),
        night_of=_date(tally.night_of, "night_of", today),
        cramps=cramps,
        worst_severity=worst,
    )
