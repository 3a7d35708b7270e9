"""Storage layer: the diary's reads through plain sqlite3, so opening and showing it needs no ORM.

The ORM (SQLModel/SQLAlchemy, about 300 ms to import) still does every write; these functions
decode exactly what it stores in SQLite: DateTime as ``YYYY-MM-DD HH:MM:SS.ffffff``, Date as
``YYYY-MM-DD``, Boolean as 0/1, lists as JSON text. Nothing here may import sqlmodel or sqlalchemy.

Each function takes a connection from ``open_reader`` (autocommit) and runs its statements to the
end, so no read transaction outlives the call: every read sees the latest committed write and none
holds back a WAL checkpoint.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crampdiary.domain import records as rec
from crampdiary.storage.database import BUSY_TIMEOUT_MS

_EPISODE_COLUMNS = (
    "id, started_at, utc_offset_min, duration_s, muscle, side, severity, woke_from_sleep, "
    "relief, relief_helped, soreness_after, notes"
)
_NIGHT_COLUMNS = "id, night_of, no_cramps, sleep_hours, sleep_disturbance, notes"
_DAY_COLUMNS = "id, day, activity_min, sunlight_min, alcohol_units, caffeine_drinks, tags, symptoms"
_MEDICATION_COLUMNS = "id, name, dose, started_on, stopped_on"


def open_reader(path: Path) -> sqlite3.Connection:
    """A connection for reads: autocommit, busy timeout, foreign keys, refuses writes.

    The file must exist (it is never created here). ``query_only`` refuses writes through this
    connection but still lets SQLite checkpoint the WAL when it closes.
    """
    uri = f"{Path(path).absolute().as_uri()}?mode=rw"
    con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA query_only=ON")
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def snapshot(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction around several queries, so that they all see the same commit."""
    con.execute("BEGIN")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# --- values as the ORM writes them -----------------------------------------------------------


def bind_datetime(value: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite DateTime stores (and compares) it."""
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def bind_date(value: date) -> str:
    """A date as SQLAlchemy's SQLite Date stores (and compares) it."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def parse_datetime(text: str) -> datetime:
    # SQLAlchemy 2's SQLite DateTime reads values back with fromisoformat too.
    return datetime.fromisoformat(text)


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


def _opt_date(text: str | None) -> date | None:
    return None if text is None else parse_date(text)


def _opt_bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _strings(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


def _rows(con: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    cur = con.execute(sql, params)
    try:
        return cur.fetchall()
    finally:
        cur.close()


def _first(con: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    rows = _rows(con, sql, params)
    return rows[0] if rows else None


# --- rows as records ---------------------------------------------------------------------------


def _episode(row: Any) -> rec.Episode:
    return rec.Episode(
        id=row[0],
        started_at=parse_datetime(row[1]),
        utc_offset_min=row[2],
        duration_s=row[3],
        muscle=row[4],
        side=row[5],
        severity=row[6],
        woke_from_sleep=bool(row[7]),
        relief=_strings(row[8]),
        relief_helped=_opt_bool(row[9]),
        soreness_after=row[10],
        notes=row[11],
    )


def _night(row: Any) -> rec.Night:
    return rec.Night(
        id=row[0],
        night_of=parse_date(row[1]),
        no_cramps=bool(row[2]),
        sleep_hours=row[3],
        sleep_disturbance=row[4],
        notes=row[5],
    )


def _day(row: Any) -> rec.Day:
    return rec.Day(
        id=row[0],
        date=parse_date(row[1]),
        activity_min=row[2],
        sunlight_min=row[3],
        alcohol_units=row[4],
        caffeine_drinks=row[5],
        tags=_strings(row[6]),
        symptoms=_strings(row[7]),
    )


def _medication(row: Any) -> rec.Medication:
    return rec.Medication(
        id=row[0],
        name=row[1],
        dose=row[2],
        started_on=_opt_date(row[3]),
        stopped_on=_opt_date(row[4]),
    )


# --- episodes ----------------------------------------------------------------------------------


def episodes_between(con: sqlite3.Connection, start: datetime, end: datetime) -> list[rec.Episode]:
    """Episodes with start <= started_at < end, in start order (id breaks ties)."""
    rows = _rows(
        con,
        f"SELECT {_EPISODE_COLUMNS} FROM cramp_episode "
        "WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id",
        (bind_datetime(start), bind_datetime(end)),
    )
    return [_episode(r) for r in rows]


def episode(con: sqlite3.Connection, episode_id: str) -> rec.Episode | None:
    row = _first(con, f"SELECT {_EPISODE_COLUMNS} FROM cramp_episode WHERE id = ?", (episode_id,))
    return None if row is None else _episode(row)


def last_episode_muscle_side(con: sqlite3.Connection) -> tuple[str, str] | None:
    """(muscle, side) of the latest-starting episode; of equal starts, the one stored last."""
    # rowid DESC is the order the ORM's "started_at DESC LIMIT 1" got from the index for ties.
    row = _first(
        con, "SELECT muscle, side FROM cramp_episode ORDER BY started_at DESC, rowid DESC LIMIT 1"
    )
    return None if row is None else (row[0], row[1])


# --- nights and days ---------------------------------------------------------------------------


def night(con: sqlite3.Connection, night_of: date) -> rec.Night | None:
    row = _first(
        con, f"SELECT {_NIGHT_COLUMNS} FROM night_record WHERE night_of = ?", (bind_date(night_of),)
    )
    return None if row is None else _night(row)


def nights_between(con: sqlite3.Connection, first: date, last: date) -> list[rec.Night]:
    """Night records of first..last inclusive, in date order."""
    rows = _rows(
        con,
        f"SELECT {_NIGHT_COLUMNS} FROM night_record "
        "WHERE night_of >= ? AND night_of <= ? ORDER BY night_of",
        (bind_date(first), bind_date(last)),
    )
    return [_night(r) for r in rows]


def day(con: sqlite3.Connection, on: date) -> rec.Day | None:
    row = _first(con, f"SELECT {_DAY_COLUMNS} FROM day_context WHERE day = ?", (bind_date(on),))
    return None if row is None else _day(row)


def all_tags(con: sqlite3.Connection) -> list[tuple[str, ...]]:
    """Each stored day's tags, in the order the days were stored."""
    # rowid order: what the ORM's unordered full-table scan returned.
    return [_strings(r[0]) for r in _rows(con, "SELECT tags FROM day_context ORDER BY rowid")]


# --- medications, profile, settings ------------------------------------------------------------


def medications(con: sqlite3.Connection) -> list[rec.Medication]:
    """Every medication by start date (undated first: SQLite sorts NULL first), then name."""
    rows = _rows(con, f"SELECT {_MEDICATION_COLUMNS} FROM medication ORDER BY started_on, name")
    return [_medication(r) for r in rows]


def profile(con: sqlite3.Connection) -> rec.Profile:
    """The diary's profile; the defaults when none was saved yet."""
    row = _first(
        con,
        "SELECT name, birth_year, sex, pregnancy, conditions, units FROM profile WHERE id = 1",
    )
    if row is None:
        return rec.Profile()
    return rec.Profile(
        name=row[0],
        birth_year=row[1],
        sex=row[2],
        pregnancy=row[3],
        conditions=_strings(row[4]),
        units=row[5],
    )


def onboarding_state(con: sqlite3.Connection) -> tuple[date | None, date | None]:
    """(disclaimer seen on, profile asked on); None where that first-run step is still due."""
    row = _first(con, "SELECT disclaimer_seen_on, profile_asked_on FROM profile WHERE id = 1")
    return (None, None) if row is None else (_opt_date(row[0]), _opt_date(row[1]))


def setting(con: sqlite3.Connection, key: str, default: str = "") -> str:
    row = _first(con, "SELECT value FROM setting WHERE key = ?", (key,))
    return default if row is None else row[0]


def has_records(con: sqlite3.Connection) -> bool:
    """True once the diary holds any episode, night, day or medication."""
    row = _first(
        con,
        "SELECT EXISTS (SELECT 1 FROM cramp_episode) OR EXISTS (SELECT 1 FROM night_record) "
        "OR EXISTS (SELECT 1 FROM day_context) OR EXISTS (SELECT 1 FROM medication)",
    )
    return bool(row[0])


# --- nutrition ---------------------------------------------------------------------------------

_CUSTOM_FOOD_COLUMNS = (
    "id, name, magnesium_mg, calcium_mg, vitamin_d_ug, potassium_mg, sodium_mg, water_g, kcal, "
    "portions, density_g_per_ml"
)


def _portions(text: str | None) -> tuple[tuple[str, float], ...]:
    return tuple((str(item[0]), float(item[1])) for item in json.loads(text or "[]"))


def food_entries_between(con: sqlite3.Connection, first: date, last: date) -> list[rec.FoodEntry]:
    """Food entries of first..last inclusive, by date and then in the order they were stored."""
    rows = _rows(
        con,
        "SELECT id, day, food, grams, meal FROM food_entry "
        "WHERE day >= ? AND day <= ? ORDER BY day, rowid",
        (bind_date(first), bind_date(last)),
    )
    return [
        rec.FoodEntry(id=r[0], date=parse_date(r[1]), food=r[2], grams=r[3], meal=r[4])
        for r in rows
    ]


def food_entry(con: sqlite3.Connection, entry_id: str) -> rec.FoodEntry | None:
    r = _first(con, "SELECT id, day, food, grams, meal FROM food_entry WHERE id = ?", (entry_id,))
    if r is None:
        return None
    return rec.FoodEntry(id=r[0], date=parse_date(r[1]), food=r[2], grams=r[3], meal=r[4])


def food_use(con: sqlite3.Connection) -> list[tuple[str, int, date, int]]:
    """(food key, entries, last date eaten, rowid of the latest entry) for every food logged."""
    rows = _rows(
        con,
        "SELECT food, COUNT(*), MAX(day), MAX(rowid) FROM food_entry GROUP BY food",
    )
    return [(r[0], r[1], parse_date(r[2]), r[3]) for r in rows]


def recent_food_keys(con: sqlite3.Connection, limit: int) -> list[str]:
    """The foods of the latest entries (latest date first, then latest stored), each once."""
    rows = _rows(
        con,
        "SELECT food FROM food_entry GROUP BY food ORDER BY MAX(day) DESC, MAX(rowid) DESC LIMIT ?",
        (limit,),
    )
    return [r[0] for r in rows]


def custom_foods(con: sqlite3.Connection) -> list[rec.CustomFood]:
    """Every custom food, by name (code point order)."""
    rows = _rows(con, f"SELECT {_CUSTOM_FOOD_COLUMNS} FROM custom_food ORDER BY name, id")
    return [
        rec.CustomFood(
            id=r[0],
            name=r[1],
            magnesium_mg=r[2],
            calcium_mg=r[3],
            vitamin_d_ug=r[4],
            potassium_mg=r[5],
            sodium_mg=r[6],
            water_g=r[7],
            kcal=r[8],
            portions=_portions(r[9]),
            density_g_per_ml=r[10],
        )
        for r in rows
    ]


def favourite_foods(con: sqlite3.Connection) -> list[rec.FavouriteFood]:
    """Every favourite, in the order they were starred."""
    rows = _rows(con, "SELECT id, food, grams FROM favourite_food ORDER BY rowid")
    return [rec.FavouriteFood(id=r[0], food=r[1], grams=r[2]) for r in rows]


def supplement_products(con: sqlite3.Connection) -> list[rec.SupplementProduct]:
    """Every saved supplement product, by name."""
    rows = _rows(
        con,
        "SELECT id, name, nutrient, amount_per_unit, unit, units_per_dose "
        "FROM supplement_product ORDER BY name, id",
    )
    return [
        rec.SupplementProduct(
            id=r[0],
            name=r[1],
            nutrient=r[2],
            amount_per_unit=r[3],
            unit=r[4],
            units_per_dose=r[5],
        )
        for r in rows
    ]


def supplement_intakes_between(
    con: sqlite3.Connection, first: date, last: date
) -> list[rec.SupplementIntake]:
    """Supplement intakes of first..last inclusive, by date and then in the order stored."""
    rows = _rows(
        con,
        "SELECT id, day, nutrient, amount, unit, product FROM supplement_intake "
        "WHERE day >= ? AND day <= ? ORDER BY day, rowid",
        (bind_date(first), bind_date(last)),
    )
    return [
        rec.SupplementIntake(
            id=r[0], date=parse_date(r[1]), nutrient=r[2], amount=r[3], unit=r[4], product=r[5]
        )
        for r in rows
    ]


def drinks_between(con: sqlite3.Connection, first: date, last: date) -> list[rec.Drink]:
    """Drinks of first..last inclusive, by date and then in the order stored."""
    rows = _rows(
        con,
        "SELECT id, day, ml, kind FROM drink WHERE day >= ? AND day <= ? ORDER BY day, rowid",
        (bind_date(first), bind_date(last)),
    )
    return [rec.Drink(id=r[0], date=parse_date(r[1]), ml=r[2], kind=r[3]) for r in rows]


def has_nutrition_records(con: sqlite3.Connection) -> bool:
    """True once the diary holds any food entry, custom food, supplement or drink."""
    row = _first(
        con,
        "SELECT EXISTS (SELECT 1 FROM food_entry) OR EXISTS (SELECT 1 FROM custom_food) "
        "OR EXISTS (SELECT 1 FROM favourite_food) OR EXISTS (SELECT 1 FROM supplement_product) "
        "OR EXISTS (SELECT 1 FROM supplement_intake) OR EXISTS (SELECT 1 FROM drink)",
    )
    return bool(row[0])


# --- the bedtime routine -----------------------------------------------------------------------

_ROUTINE_VERSION_COLUMNS = (
    "id, item, valid_from, title, instructions, line, days, active, position, hold_s, reps, "
    "rest_s, per_leg, removed"
)
_ROUTINE_CHECK_COLUMNS = "id, night_of, item, state, reason, note, title"


def _days(text: str | None) -> tuple[int, ...]:
    return tuple(int(d) for d in json.loads(text or "[]"))


def routine_versions(con: sqlite3.Connection) -> list[rec.RoutineItem]:
    """Every version of every routine item, by item key and then start night."""
    rows = _rows(
        con,
        f"SELECT {_ROUTINE_VERSION_COLUMNS} FROM routine_item_version ORDER BY item, valid_from",
    )
    return [
        rec.RoutineItem(
            id=r[0],
            key=r[1],
            valid_from=parse_date(r[2]),
            title=r[3],
            instructions=r[4],
            line=r[5],
            days=_days(r[6]),
            active=bool(r[7]),
            position=r[8],
            hold_s=r[9],
            reps=r[10],
            rest_s=r[11],
            per_leg=bool(r[12]),
            removed=bool(r[13]),
        )
        for r in rows
    ]


def routine_checks_between(
    con: sqlite3.Connection, first: date, last: date
) -> list[rec.RoutineCheck]:
    """Routine checks of the nights first..last inclusive, by night and then item key."""
    rows = _rows(
        con,
        f"SELECT {_ROUTINE_CHECK_COLUMNS} FROM routine_check "
        "WHERE night_of >= ? AND night_of <= ? ORDER BY night_of, item",
        (bind_date(first), bind_date(last)),
    )
    return [
        rec.RoutineCheck(
            id=r[0],
            night_of=parse_date(r[1]),
            item=r[2],
            state=r[3],
            reason=r[4],
            note=r[5],
            title=r[6],
        )
        for r in rows
    ]


def paper_tallies_between(con: sqlite3.Connection, first: date, last: date) -> list[rec.PaperTally]:
    """Paper tallies of the nights first..last inclusive, by night."""
    rows = _rows(
        con,
        "SELECT id, night_of, cramps, worst_severity FROM paper_tally "
        "WHERE night_of >= ? AND night_of <= ? ORDER BY night_of",
        (bind_date(first), bind_date(last)),
    )
    return [
        rec.PaperTally(id=r[0], night_of=parse_date(r[1]), cramps=r[2], worst_severity=r[3])
        for r in rows
    ]


def logged_nights_between(con: sqlite3.Connection, first: date, last: date) -> set[date]:
    """The nights first..last with a diary entry: a night record, a cramp or a paper tally."""
    params = (bind_date(first), bind_date(last))
    rows = _rows(
        con,
        "SELECT night_of FROM night_record WHERE night_of >= ? AND night_of <= ? "
        "UNION SELECT night_of FROM cramp_episode WHERE night_of >= ? AND night_of <= ? "
        "UNION SELECT night_of FROM paper_tally WHERE night_of >= ? AND night_of <= ?",
        params * 3,
    )
    return {parse_date(r[0]) for r in rows}


def has_routine_records(con: sqlite3.Connection) -> bool:
    """True once the diary holds a routine check or a paper tally (items alone do not count)."""
    row = _first(
        con,
        "SELECT EXISTS (SELECT 1 FROM routine_check) OR EXISTS (SELECT 1 FROM paper_tally)",
    )
    return bool(row[0])
