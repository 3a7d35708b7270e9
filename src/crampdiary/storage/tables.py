"""Storage layer: the SQLModel tables. Lists are JSON text; datetimes are local wall-clock."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime
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
