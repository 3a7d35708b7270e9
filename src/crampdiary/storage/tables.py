"""Storage layer: the SQLModel tables. Lists are JSON text; datetimes are local wall-clock."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, Index
from sqlmodel import Field, SQLModel


class Profile(SQLModel, table=True):
    __tablename__ = "profile"

    id: int = Field(default=1, primary_key=True)
    name: str = ""
    birth_year: int | None = None
    sex: str | None = None
    pregnancy: str = "none"
    conditions: str = "[]"
    units: str = "metric"
    disclaimer_seen_on: date | None = None
    profile_asked_on: date | None = None


class CrampEpisode(SQLModel, table=True):
    __tablename__ = "cramp_episode"

    id: str = Field(primary_key=True, max_length=64)
    # Naive local wall-clock (as the migration's sa.DateTime()): sqlmodel's default for datetime
    # fields is a UTC type that refuses naive values.
    started_at: datetime = Field(index=True, sa_type=DateTime())
    utc_offset_min: int | None = None
    night_of: date = Field(index=True)
    duration_s: int
    muscle: str
    side: str
    severity: int
    woke_from_sleep: bool = False
    relief: str = "[]"
    relief_helped: bool | None = None
    soreness_after: int | None = None
    notes: str = ""


class NightRecord(SQLModel, table=True):
    __tablename__ = "night_record"

    id: str = Field(primary_key=True, max_length=64)
    night_of: date = Field(index=True, unique=True)
    no_cramps: bool = False
    sleep_hours: float | None = None
    sleep_disturbance: int | None = None
    notes: str = ""


class DayContext(SQLModel, table=True):
    __tablename__ = "day_context"

    id: str = Field(primary_key=True, max_length=64)
    day: date = Field(index=True, unique=True)
    activity_min: int | None = None
    sunlight_min: int | None = None
    alcohol_units: float | None = None
    caffeine_drinks: int | None = None
    tags: str = "[]"
    symptoms: str = "[]"


class Medication(SQLModel, table=True):
    __tablename__ = "medication"

    id: str = Field(primary_key=True, max_length=64)
    name: str
    dose: str = ""
    started_on: date | None = None
    stopped_on: date | None = None


class Setting(SQLModel, table=True):
    """Small per-diary facts (the last morning card shown, ...); UI state lives in QSettings."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = ""


class FoodEntry(SQLModel, table=True):
    __tablename__ = "food_entry"

    id: str = Field(primary_key=True, max_length=64)
    day: date = Field(index=True)
    food: str = Field(index=True)  # "usda:NDB" or "custom:NAME"
    grams: float
    meal: str


class CustomFood(SQLModel, table=True):
    __tablename__ = "custom_food"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(index=True, unique=True)
    magnesium_mg: float | None = None
    calcium_mg: float | None = None
    vitamin_d_ug: float | None = None
    potassium_mg: float | None = None
    sodium_mg: float | None = None
    water_g: float | None = None
    kcal: float | None = None
    portions: str = "[]"  # JSON: [[description, grams], ...]
    density_g_per_ml: float | None = None


class FavouriteFood(SQLModel, table=True):
    __tablename__ = "favourite_food"

    id: str = Field(primary_key=True, max_length=64)
    food: str = Field(index=True, unique=True)
    grams: float


class SupplementProduct(SQLModel, table=True):
    __tablename__ = "supplement_product"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(index=True, unique=True)
    nutrient: str
    amount_per_unit: float
    unit: str
    units_per_dose: float = 1.0


class SupplementIntake(SQLModel, table=True):
    __tablename__ = "supplement_intake"

    id: str = Field(primary_key=True, max_length=64)
    day: date = Field(index=True)
    nutrient: str
    amount: float
    unit: str
    product: str = ""


class Drink(SQLModel, table=True):
    __tablename__ = "drink"

    id: str = Field(primary_key=True, max_length=64)
    day: date = Field(index=True)
    ml: int
    kind: str


class RoutineItem(SQLModel, table=True):
    """A routine item's stable key; what it says lives in its versions."""

    __tablename__ = "routine_item"

    key: str = Field(primary_key=True, max_length=40)


class RoutineItemVersion(SQLModel, table=True):
    """A routine item as it was from the night ``valid_from`` on (until its next version)."""

    __tablename__ = "routine_item_version"
    __table_args__ = (
        Index("ix_routine_item_version_item_valid_from", "item", "valid_from", unique=True),
    )

    id: str = Field(primary_key=True, max_length=64)
    item: str = Field(foreign_key="routine_item.key", max_length=40)
    valid_from: date
    title: str
    instructions: str = ""
    line: str = ""
    days: str = "[1, 2, 3, 4, 5, 6, 7]"  # JSON: ISO weekdays, 1 = Monday
    active: bool = True
    position: int = 0
    hold_s: int | None = None
    reps: int | None = None
    rest_s: int | None = None
    per_leg: bool = False
    removed: bool = False


class RoutineCheck(SQLModel, table=True):
    __tablename__ = "routine_check"
    __table_args__ = (Index("ix_routine_check_night_of_item", "night_of", "item", unique=True),)

    id: str = Field(primary_key=True, max_length=64)
    night_of: date
    item: str = Field(foreign_key="routine_item.key", max_length=40)
    state: str  # done | skipped | undone
    reason: str | None = None  # ill | travelling | other, only when skipped
    note: str = ""
    title: str = ""  # the item's title on that night


class PaperTally(SQLModel, table=True):
    """A night's cramps as counted on the printed weekly checklist."""

    __tablename__ = "paper_tally"

    id: str = Field(primary_key=True, max_length=64)
    night_of: date = Field(index=True, unique=True)
    cramps: int
    worst_severity: int | None = None
