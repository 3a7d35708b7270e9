"""Services layer: export the diary as JSON or CSV, and import a JSON export in one transaction.

The JSON document is the app's public data format (docs/data-format.md). Import is all or
nothing: every record is checked first, a single bad one refuses the whole file with an
``ImportFormatError`` naming the array, the index and the field, and the rows are written in one
transaction. Records carry stable ids, so importing the same file twice adds nothing.

Version 2 adds the nutrition arrays, version 3 the routine arrays; version 1 and 2 files still
import (``_CHECKERS``).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from crampdiary.domain import records as rec
from crampdiary.domain.errors import ImportFormatError, StorageError, ValidationError
from crampdiary.domain.routine import RoutineHistory, is_untouched_default
from crampdiary.paths import make_private
from crampdiary.services.diary import DiaryService
from crampdiary.storage import mapping
from crampdiary.storage import tables as t
from crampdiary.storage.files import write_private_atomic

if TYPE_CHECKING:
    from crampdiary.storage.foods import FoodIndex

logger = logging.getLogger(__name__)

FORMAT_NAME = "crampdiary"
FORMAT_VERSION = 3
EXPORT_FORMATS = ("json", "csv")
MAX_FILE_BYTES = 256 * 1024 * 1024

# Key order in the written JSON and column order in the CSV files: part of the public format.
V1_TOP_FIELDS = (
    "format",
    "version",
    "exported_at",
    "profile",
    "episodes",
    "nights",
    "days",
    "medications",
)
V1_ARRAYS = ("episodes", "nights", "days", "medications")
NUTRITION_ARRAYS = (
    "food_entries",
    "custom_foods",
    "favourite_foods",
    "supplement_products",
    "supplement_intakes",
    "drinks",
)
V2_TOP_FIELDS = V1_TOP_FIELDS + NUTRITION_ARRAYS
ROUTINE_ARRAYS = ("routine_items", "routine_checks", "paper_tallies")
TOP_FIELDS = V2_TOP_FIELDS + ROUTINE_ARRAYS
ARRAYS = V1_ARRAYS + NUTRITION_ARRAYS + ROUTINE_ARRAYS
PROFILE_FIELDS = ("name", "birth_year", "sex", "pregnancy", "conditions", "units")
EPISODE_FIELDS = (
    "id",
    "started_at",
    "utc_offset_min",
    "duration_s",
    "muscle",
    "side",
    "severity",
    "woke_from_sleep",
    "relief",
    "relief_helped",
    "soreness_after",
    "notes",
)
NIGHT_FIELDS = ("id", "night_of", "no_cramps", "sleep_hours", "sleep_disturbance", "notes")
DAY_FIELDS = (
    "id",
    "date",
    "activity_min",
    "sunlight_min",
    "alcohol_units",
    "caffeine_drinks",
    "tags",
    "symptoms",
)
MEDICATION_FIELDS = ("id", "name", "dose", "started_on", "stopped_on")
FOOD_ENTRY_FIELDS = ("id", "date", "food", "grams", "meal")
CUSTOM_FOOD_FIELDS = (
    "id",
    "name",
    "magnesium_mg",
    "calcium_mg",
    "vitamin_d_ug",
    "potassium_mg",
    "sodium_mg",
    "water_g",
    "kcal",
    "portions",
    "density_g_per_ml",
)
PORTION_FIELDS = ("description", "grams")
FAVOURITE_FOOD_FIELDS = ("id", "food", "grams")
SUPPLEMENT_PRODUCT_FIELDS = ("id", "name", "nutrient", "amount_per_unit", "unit", "units_per_dose")
SUPPLEMENT_INTAKE_FIELDS = ("id", "date", "nutrient", "amount", "unit", "product")
DRINK_FIELDS = ("id", "date", "ml", "kind")
ROUTINE_ITEM_FIELDS = (
    "id",
    "key",
    "valid_from",
    "title",
    "instructions",
    "line",
    "days",
    "active",
    "position",
    "hold_s",
    "reps",
    "rest_s",
    "per_leg",
    "removed",
)
ROUTINE_CHECK_FIELDS = ("id", "night_of", "item", "state", "reason", "note", "title")
PAPER_TALLY_FIELDS = ("id", "night_of", "cramps", "worst_severity")
CSV_FILES = {
    "episodes": EPISODE_FIELDS,
    "nights": NIGHT_FIELDS,
    "days": DAY_FIELDS,
    "medications": MEDICATION_FIELDS,
    "food_entries": FOOD_ENTRY_FIELDS,
    "custom_foods": CUSTOM_FOOD_FIELDS,
    "favourite_foods": FAVOURITE_FOOD_FIELDS,
    "supplement_products": SUPPLEMENT_PRODUCT_FIELDS,
    "supplement_intakes": SUPPLEMENT_INTAKE_FIELDS,
    "drinks": DRINK_FIELDS,
    "routine_items": ROUTINE_ITEM_FIELDS,
    "routine_checks": ROUTINE_CHECK_FIELDS,
    "paper_tallies": PAPER_TALLY_FIELDS,
    "profile": PROFILE_FIELDS,
}
MEAL_ORDER = {meal: index for index, meal in enumerate(rec.MEALS)}

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:00)?")
R = TypeVar("R")


@dataclass(frozen=True)
class ImportResult:
    """What an import did: records added and records skipped (already present), per array.

    The keys are the array names plus "profile" (1 when the file's profile was taken, or
    skipped because the diary already had one).
    """

    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())


@dataclass(frozen=True)
class DiaryContents:
    """Every record of a diary (export order), or of a document that passed every check."""

    profile: rec.Profile
    episodes: list[rec.Episode]
    nights: list[rec.Night]
    days: list[rec.Day]
    medications: list[rec.Medication]
    food_entries: list[rec.FoodEntry] = field(default_factory=list)
    custom_foods: list[rec.CustomFood] = field(default_factory=list)
    favourite_foods: list[rec.FavouriteFood] = field(default_factory=list)
    supplement_products: list[rec.SupplementProduct] = field(default_factory=list)
    supplement_intakes: list[rec.SupplementIntake] = field(default_factory=list)
    drinks: list[rec.Drink] = field(default_factory=list)
    routine_items: list[rec.RoutineItem] = field(default_factory=list)
    routine_checks: list[rec.RoutineCheck] = field(default_factory=list)
    paper_tallies: list[rec.PaperTally] = field(default_factory=list)


# --- reading the whole diary -----------------------------------------------------------------


def read_all(diary: DiaryService) -> DiaryContents:
    """The whole diary in one read transaction, sorted in the documented export order."""
    with diary.session() as s:
        profile = mapping.profile_record(s.get(t.Profile, 1))
        episodes = [mapping.episode_record(r) for r in s.exec(select(t.CrampEpisode)).all()]
        nights = [mapping.night_record(r) for r in s.exec(select(t.NightRecord)).all()]
        days = [mapping.day_record(r) for r in s.exec(select(t.DayContext)).all()]
        meds = [mapping.medication_record(r) for r in s.exec(select(t.Medication)).all()]
        contents = DiaryContents(
            profile,
            episodes,
            nights,
            days,
            meds,
            food_entries=[mapping.food_entry_record(r) for r in s.exec(select(t.FoodEntry))],
            custom_foods=[mapping.custom_food_record(r) for r in s.exec(select(t.CustomFood))],
            favourite_foods=[
                mapping.favourite_food_record(r) for r in s.exec(select(t.FavouriteFood))
            ],
            supplement_products=[
                mapping.supplement_product_record(r) for r in s.exec(select(t.SupplementProduct))
            ],
            supplement_intakes=[
                mapping.supplement_intake_record(r) for r in s.exec(select(t.SupplementIntake))
            ],
            drinks=[mapping.drink_record(r) for r in s.exec(select(t.Drink))],
            routine_items=[
                mapping.routine_version_record(r) for r in s.exec(select(t.RoutineItemVersion))
            ],
            routine_checks=[
                mapping.routine_check_record(r) for r in s.exec(select(t.RoutineCheck))
            ],
            paper_tallies=[mapping.paper_tally_record(r) for r in s.exec(select(t.PaperTally))],
        )
    return in_export_order(contents)


def in_export_order(contents: DiaryContents) -> DiaryContents:
    """The records sorted as the format documents (in Python, never by SQL collation rules)."""
    return DiaryContents(
        profile=contents.profile,
        episodes=sorted(contents.episodes, key=lambda e: (e.started_at, e.id)),
        nights=sorted(contents.nights, key=lambda n: (n.night_of, n.id)),
        days=sorted(contents.days, key=lambda d: (d.date, d.id)),
        medications=sorted(
            contents.medications,
            key=lambda m: (m.started_on is not None, m.started_on or date.min, m.name, m.id),
        ),
        food_entries=sorted(
            contents.food_entries, key=lambda f: (f.date, MEAL_ORDER.get(f.meal, 99), f.id)
        ),
        custom_foods=sorted(contents.custom_foods, key=lambda c: (c.name, c.id)),
        favourite_foods=sorted(contents.favourite_foods, key=lambda f: (f.food, f.id)),
        supplement_products=sorted(contents.supplement_products, key=lambda p: (p.name, p.id)),
        supplement_intakes=sorted(contents.supplement_intakes, key=lambda i: (i.date, i.id)),
        drinks=sorted(contents.drinks, key=lambda d: (d.date, d.id)),
        routine_items=sorted(
            contents.routine_items, key=lambda i: (i.key, i.valid_from or date.min, i.id)
        ),
        routine_checks=sorted(contents.routine_checks, key=lambda c: (c.night_of, c.item, c.id)),
        paper_tallies=sorted(contents.paper_tallies, key=lambda p: (p.night_of, p.id)),
    )


# --- records as JSON values ------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def profile_json(profile: rec.Profile) -> dict[str, Any]:
    return {
        "name": profile.name,
        "birth_year": profile.birth_year,
        "sex": profile.sex,
        "pregnancy": profile.pregnancy,
        "conditions": list(profile.conditions),
        "units": profile.units,
    }


def episode_json(ep: rec.Episode) -> dict[str, Any]:
    return {
        "id": ep.id,
        "started_at": ep.started_at.replace(second=0, microsecond=0).isoformat(timespec="minutes"),
        "utc_offset_min": ep.utc_offset_min,
        "duration_s": ep.duration_s,
        "muscle": ep.muscle,
        "side": ep.side,
        "severity": ep.severity,
        "woke_from_sleep": ep.woke_from_sleep,
        "relief": list(ep.relief),
        "relief_helped": ep.relief_helped,
        "soreness_after": ep.soreness_after,
        "notes": ep.notes,
    }


def night_json(night: rec.Night) -> dict[str, Any]:
    return {
        "id": night.id,
        "night_of": night.night_of.isoformat(),
        "no_cramps": night.no_cramps,
        "sleep_hours": night.sleep_hours,
        "sleep_disturbance": night.sleep_disturbance,
        "notes": night.notes,
    }


def day_json(day: rec.Day) -> dict[str, Any]:
    return {
        "id": day.id,
        "date": day.date.isoformat(),
        "activity_min": day.activity_min,
        "sunlight_min": day.sunlight_min,
        "alcohol_units": day.alcohol_units,
        "caffeine_drinks": day.caffeine_drinks,
        "tags": list(day.tags),
        "symptoms": list(day.symptoms),
    }


def medication_json(med: rec.Medication) -> dict[str, Any]:
    return {
        "id": med.id,
        "name": med.name,
        "dose": med.dose,
        "started_on": _iso(med.started_on),
        "stopped_on": _iso(med.stopped_on),
    }


def food_entry_json(entry: rec.FoodEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "date": entry.date.isoformat(),
        "food": entry.food,
        "grams": entry.grams,
        "meal": entry.meal,
    }


def custom_food_json(food: rec.CustomFood) -> dict[str, Any]:
    return {
        "id": food.id,
        "name": food.name,
        "magnesium_mg": food.magnesium_mg,
        "calcium_mg": food.calcium_mg,
        "vitamin_d_ug": food.vitamin_d_ug,
        "potassium_mg": food.potassium_mg,
        "sodium_mg": food.sodium_mg,
        "water_g": food.water_g,
        "kcal": food.kcal,
        "portions": [{"description": text, "grams": grams} for text, grams in food.portions],
        "density_g_per_ml": food.density_g_per_ml,
    }


def favourite_food_json(fav: rec.FavouriteFood) -> dict[str, Any]:
    return {"id": fav.id, "food": fav.food, "grams": fav.grams}


def supplement_product_json(product: rec.SupplementProduct) -> dict[str, Any]:
    return {
        "id": product.id,
        "name": product.name,
        "nutrient": product.nutrient,
        "amount_per_unit": product.amount_per_unit,
        "unit": product.unit,
        "units_per_dose": product.units_per_dose,
    }


def supplement_intake_json(intake: rec.SupplementIntake) -> dict[str, Any]:
    return {
        "id": intake.id,
        "date": intake.date.isoformat(),
        "nutrient": intake.nutrient,
        "amount": intake.amount,
        "unit": intake.unit,
        "product": intake.product,
    }


def drink_json(drink: rec.Drink) -> dict[str, Any]:
    return {"id": drink.id, "date": drink.date.isoformat(), "ml": drink.ml, "kind": drink.kind}


def routine_item_json(item: rec.RoutineItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "key": item.key,
        "valid_from": _iso(item.valid_from),
        "title": item.title,
        "instructions": item.instructions,
        "line": item.line,
        "days": list(item.days),
        "active": item.active,
        "position": item.position,
        "hold_s": item.hold_s,
        "reps": item.reps,
        "rest_s": item.rest_s,
        "per_leg": item.per_leg,
        "removed": item.removed,
    }


def routine_check_json(check: rec.RoutineCheck) -> dict[str, Any]:
    return {
        "id": check.id,
        "night_of": check.night_of.isoformat(),
        "item": check.item,
        "state": check.state,
        "reason": check.reason,
        "note": check.note,
        "title": check.title,
    }


def paper_tally_json(tally: rec.PaperTally) -> dict[str, Any]:
    return {
        "id": tally.id,
        "night_of": tally.night_of.isoformat(),
        "cramps": tally.cramps,
        "worst_severity": tally.worst_severity,
    }


def exported_at_text(now: datetime) -> str:
    """Local date and time with its UTC offset; a naive ``now`` is taken as the machine's zone."""
    aware = now if now.tzinfo is not None else now.astimezone()
    return aware.isoformat(timespec="seconds")


def build_document(contents: DiaryContents, *, now: datetime) -> dict[str, Any]:
    """The current version's document for these records (in the order given)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": exported_at_text(now),
        "profile": profile_json(contents.profile),
        "episodes": [episode_json(e) for e in contents.episodes],
        "nights": [night_json(n) for n in contents.nights],
        "days": [day_json(d) for d in contents.days],
        "medications": [medication_json(m) for m in contents.medications],
        "food_entries": [food_entry_json(f) for f in contents.food_entries],
        "custom_foods": [custom_food_json(c) for c in contents.custom_foods],
        "favourite_foods": [favourite_food_json(f) for f in contents.favourite_foods],
        "supplement_products": [supplement_product_json(p) for p in contents.supplement_products],
        "supplement_intakes": [supplement_intake_json(i) for i in contents.supplement_intakes],
        "drinks": [drink_json(d) for d in contents.drinks],
        "routine_items": [routine_item_json(i) for i in contents.routine_items],
        "routine_checks": [routine_check_json(c) for c in contents.routine_checks],
        "paper_tallies": [paper_tally_json(p) for p in contents.paper_tallies],
    }


def export_document(diary: DiaryService, *, now: datetime) -> dict[str, Any]:
    """The whole diary as a current-version document, in the documented, deterministic order."""
    return build_document(read_all(diary), now=now)


def document_text(doc: dict[str, Any]) -> str:
    """The JSON text of a document exactly as the app writes it."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# --- writing files ---------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        if any(isinstance(v, dict) for v in value):  # custom food portions: JSON text
            return json.dumps(value, ensure_ascii=False)
        return ";".join(str(v) for v in value)
    return str(value)


def _csv_bytes(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row[c]) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _export_error(path: Path, exc: OSError) -> StorageError:
    reason = exc.strerror or str(exc)
    return StorageError(f"The export could not be written to {path}: {reason}.")


def write_export(diary: DiaryService, fmt: str, out: Path, *, now: datetime) -> list[Path]:
    """Write the diary to ``out``: a JSON file, or a folder of CSV files; returns the files.

    Every file is written atomically and readable by the user alone (0600); a CSV folder this
    creates is 0700 (an existing folder keeps its mode).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValidationError("format", "must be one of " + ", ".join(EXPORT_FORMATS))
    doc = export_document(diary, now=now)
    out = Path(out)
    if fmt == "json":
        if out.is_dir():
            raise StorageError(f"The export could not be written to {out}: it is a folder.")
        try:
            write_private_atomic(out, document_text(doc).encode("utf-8"))
        except OSError as exc:
            raise _export_error(out, exc) from exc
        logger.info("exported the diary as JSON")
        return [out]
    if out.exists() and not out.is_dir():
        raise StorageError(f"The export could not be written to {out}: it is a file, not a folder.")
    written: list[Path] = []
    try:
        if not out.exists():
            out.mkdir(parents=True)
            make_private(out, directory=True)
        for name, columns in CSV_FILES.items():
            rows = [doc["profile"]] if name == "profile" else doc[name]
            path = out / f"{name}.csv"
            write_private_atomic(path, _csv_bytes(columns, rows))
            written.append(path)
    except OSError as exc:
        raise _export_error(out, exc) from exc
    logger.info("exported the diary as CSV")
    return written


# --- reading a file --------------------------------------------------------------------------


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_document(path: Path) -> dict[str, Any]:
    """The JSON object in a file; ImportFormatError if it cannot be read or is not JSON."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ImportFormatError(f"{path.name} is a folder, not an export file.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFormatError(
                f"{path.name} is too large to be a Cramp Diary export "
                f"(more than {MAX_FILE_BYTES // (1024 * 1024)} MB)."
            )
        with path.open("rb") as fh:
            # Read at most one byte past the limit: a device or pipe has no size to check.
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ImportFormatError(
                f"{path.name} is too large to be a Cramp Diary export "
                f"(more than {MAX_FILE_BYTES // (1024 * 1024)} MB)."
            )
    except OSError as exc:
        raise ImportFormatError(
            f"The file {path.name} cannot be read: {exc.strerror or exc}."
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path.name} is not a JSON file (it is not UTF-8 text).") from exc
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{path.name} is not a JSON file (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from exc
    except _DuplicateKeyError as exc:
        raise ImportFormatError(
            f'{path.name} is refused: the key "{exc}" appears twice in one object.'
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ImportFormatError(
            f"{path.name} is not a JSON file this app can read ({exc})."
        ) from exc
    if not isinstance(doc, dict):
        raise ImportFormatError(
            f"{path.name} is not a Cramp Diary export (the JSON is {_kind(doc)}, not an object)."
        )
    return doc


def import_file(
    diary: DiaryService, path: Path, *, now: datetime, foods: FoodIndex | None = None
) -> ImportResult:
    """Read and import a JSON export; all or nothing (``foods``: see ``check_document``)."""
    return import_document(diary, read_document(path), now=now, foods=foods)


# --- checking a document ---------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


@dataclass(frozen=True)
class _Where:
    """Where in the document a value is, for messages: ``episodes[3]`` or ``profile``."""

    array: str
    index: int | None = None

    @property
    def label(self) -> str:
        return self.array if self.index is None else f"{self.array}[{self.index}]"

    def error(self, fld: str | None, message: str) -> ImportFormatError:
        place = self.label if fld is None else f"{self.label}.{fld}"
        return ImportFormatError(
            f"{place}: {message}", array=self.array, index=self.index, field=fld
        )


def _fields(
    obj: Any, allowed: Sequence[str], required: Sequence[str], where: _Where
) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise where.error(None, f"must be an object (got {_kind(obj)})")
    unknown = [key for key in obj if key not in allowed]
    if unknown:
        names = ", ".join(f'"{key}"' for key in unknown)
        word = "field" if len(unknown) == 1 else "fields"
        raise ImportFormatError(
            f"{where.label}: unknown {word} {names} (known: {', '.join(allowed)})",
            array=where.array,
            index=where.index,
            field=str(unknown[0]),
        )
    for key in required:
        if key not in obj:
            raise where.error(key, "is required")
    return dict(obj)


def _parse_date(value: Any, fld: str, where: _Where) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise where.error(fld, f"must be a date as YYYY-MM-DD (got {_shown(value)})")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise where.error(fld, f"is not a real date (got {_shown(value)})") from None


def _parse_opt_date(value: Any, fld: str, where: _Where) -> date | None:
    return None if value is None else _parse_date(value, fld, where)


def _parse_datetime(value: Any, fld: str, where: _Where) -> datetime:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise where.error(
            fld, f"must be a local date and time as YYYY-MM-DDTHH:MM (got {_shown(value)})"
        )
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise where.error(fld, f"is not a real date and time (got {_shown(value)})") from None


def _parse_list(value: Any, fld: str, where: _Where) -> tuple[Any, ...]:
    if not isinstance(value, list):
        raise where.error(fld, f"must be an array (got {_kind(value)})")
    return tuple(value)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(text, ensure_ascii=False)
    return _kind(value)


def _take_id(obj: dict[str, Any]) -> None:
    """A record without an id (absent or null) gets a new one from the dataclass default."""
    if obj.get("id", "") is None:
        del obj["id"]


def _checked(where: _Where, check: Callable[[], R]) -> R:
    try:
        return check()
    except ValidationError as exc:
        raise where.error(exc.field, exc.detail) from None


def _episode(obj: Any, where: _Where, now: datetime) -> rec.Episode:
    values = _fields(
        obj, EPISODE_FIELDS, ("started_at", "duration_s", "muscle", "side", "severity"), where
    )
    _take_id(values)
    values["started_at"] = _parse_datetime(values["started_at"], "started_at", where)
    if "relief" in values:
        values["relief"] = _parse_list(values["relief"], "relief", where)
    return _checked(where, lambda: rec.validate_episode(rec.Episode(**values), now=now))


def _night(obj: Any, where: _Where, today: date) -> rec.Night:
    values = _fields(obj, NIGHT_FIELDS, ("night_of",), where)
    _take_id(values)
    values["night_of"] = _parse_date(values["night_of"], "night_of", where)
    return _checked(where, lambda: rec.validate_night(rec.Night(**values), today=today))


def _day(obj: Any, where: _Where, today: date) -> rec.Day:
    values = _fields(obj, DAY_FIELDS, ("date",), where)
    _take_id(values)
    values["date"] = _parse_date(values["date"], "date", where)
    for key in ("tags", "symptoms"):
        if key in values:
            values[key] = _parse_list(values[key], key, where)
    return _checked(where, lambda: rec.validate_day(rec.Day(**values), today=today))


def _medication(obj: Any, where: _Where, today: date) -> rec.Medication:
    values = _fields(obj, MEDICATION_FIELDS, ("name",), where)
    _take_id(values)
    for key in ("started_on", "stopped_on"):
        if key in values:
            values[key] = _parse_opt_date(values[key], key, where)
    return _checked(where, lambda: rec.validate_medication(rec.Medication(**values), today=today))


def _food_entry(obj: Any, where: _Where, today: date) -> rec.FoodEntry:
    values = _fields(obj, FOOD_ENTRY_FIELDS, ("date", "food", "grams", "meal"), where)
    _take_id(values)
    values["date"] = _parse_date(values["date"], "date", where)
    return _checked(where, lambda: rec.validate_food_entry(rec.FoodEntry(**values), today=today))


def _portion(obj: Any, index: int, where: _Where) -> tuple[Any, Any]:
    fld = f"portions[{index}]"
    if not isinstance(obj, dict):
        raise where.error(fld, f"must be an object (got {_kind(obj)})")
    unknown = [key for key in obj if key not in PORTION_FIELDS]
    if unknown:
        raise where.error(fld, f'unknown field "{unknown[0]}" (known: {", ".join(PORTION_FIELDS)})')
    for key in PORTION_FIELDS:
        if key not in obj:
            raise where.error(f"{fld}.{key}", "is required")
    return obj["description"], obj["grams"]


def _custom_food(obj: Any, where: _Where) -> rec.CustomFood:
    values = _fields(obj, CUSTOM_FOOD_FIELDS, ("name",), where)
    _take_id(values)
    if "portions" in values:
        values["portions"] = tuple(
            _portion(p, i, where)
            for i, p in enumerate(_parse_list(values["portions"], "portions", where))
        )
    return _checked(where, lambda: rec.validate_custom_food(rec.CustomFood(**values)))


def _favourite_food(obj: Any, where: _Where) -> rec.FavouriteFood:
    values = _fields(obj, FAVOURITE_FOOD_FIELDS, ("food", "grams"), where)
    _take_id(values)
    return _checked(where, lambda: rec.validate_favourite_food(rec.FavouriteFood(**values)))


def _supplement_product(obj: Any, where: _Where) -> rec.SupplementProduct:
    values = _fields(
        obj, SUPPLEMENT_PRODUCT_FIELDS, ("name", "nutrient", "amount_per_unit", "unit"), where
    )
    _take_id(values)
    return _checked(where, lambda: rec.validate_supplement_product(rec.SupplementProduct(**values)))


def _supplement_intake(obj: Any, where: _Where, today: date) -> rec.SupplementIntake:
    values = _fields(obj, SUPPLEMENT_INTAKE_FIELDS, ("date", "nutrient", "amount", "unit"), where)
    _take_id(values)
    values["date"] = _parse_date(values["date"], "date", where)
    return _checked(
        where,
        lambda: rec.validate_supplement_intake(rec.SupplementIntake(**values), today=today),
    )


def _drink(obj: Any, where: _Where, today: date) -> rec.Drink:
    values = _fields(obj, DRINK_FIELDS, ("date", "ml", "kind"), where)
    _take_id(values)
    values["date"] = _parse_date(values["date"], "date", where)
    return _checked(where, lambda: rec.validate_drink(rec.Drink(**values), today=today))


def _routine_item(obj: Any, where: _Where, today: date) -> rec.RoutineItem:
    values = _fields(obj, ROUTINE_ITEM_FIELDS, ("key", "title"), where)
    _take_id(values)
    # Without a start, an item starts with its first check in the file (or today): _check_v3.
    values["valid_from"] = _parse_opt_date(values.get("valid_from"), "valid_from", where)
    if "days" in values:
        values["days"] = _parse_list(values["days"], "days", where)
    start = values["valid_from"]
    item = _checked(
        where,
        lambda: rec.validate_routine_item(
            rec.RoutineItem(**{**values, "valid_from": start or today}), today=today
        ),
    )
    return item if start is not None else replace(item, valid_from=None)


def _routine_check(obj: Any, where: _Where, today: date) -> rec.RoutineCheck:
    values = _fields(obj, ROUTINE_CHECK_FIELDS, ("night_of", "item", "state"), where)
    _take_id(values)
    values["night_of"] = _parse_date(values["night_of"], "night_of", where)
    return _checked(
        where, lambda: rec.validate_routine_check(rec.RoutineCheck(**values), today=today)
    )


def _paper_tally(obj: Any, where: _Where, today: date) -> rec.PaperTally:
    values = _fields(obj, PAPER_TALLY_FIELDS, ("night_of", "cramps"), where)
    _take_id(values)
    values["night_of"] = _parse_date(values["night_of"], "night_of", where)
    return _checked(where, lambda: rec.validate_paper_tally(rec.PaperTally(**values), today=today))


def _profile(obj: Any, today: date) -> rec.Profile:
    where = _Where("profile")
    values = _fields(obj, PROFILE_FIELDS, (), where)
    if "conditions" in values:
        values["conditions"] = _parse_list(values["conditions"], "conditions", where)
    return _checked(where, lambda: rec.validate_profile(rec.Profile(**values), today=today))


def _array(doc: dict[str, Any], name: str) -> list[Any]:
    value = doc.get(name, [])
    if not isinstance(value, list):
        raise ImportFormatError(f"{name}: must be an array (got {_kind(value)})", array=name)
    return value


def _unique(items: Sequence[R], array: str, fld: str, key: Callable[[R], Any]) -> None:
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            parts = value if isinstance(value, tuple) else (value,)
            shown = " ".join(p.isoformat() if isinstance(p, date) else str(p) for p in parts)
            raise _Where(array, index).error(
                fld, f'"{shown}" appears twice in the file (also at {array}[{seen[value]}])'
            )
        seen[value] = index


def _check_top(doc: dict[str, Any], version: int, allowed: Sequence[str]) -> None:
    unknown = [key for key in doc if key not in allowed]
    if unknown:
        names = ", ".join(f'"{key}"' for key in unknown)
        raise ImportFormatError(
            f"The file has unknown top-level keys for format version {version}: {names} "
            f"(known: {', '.join(allowed)})",
            field=str(unknown[0]),
        )
    exported_at = doc.get("exported_at")
    if exported_at is not None:
        try:
            if not isinstance(exported_at, str):
                raise ValueError
            datetime.fromisoformat(exported_at)
        except ValueError:
            raise ImportFormatError(
                f"exported_at: must be an ISO 8601 date and time (got {_shown(exported_at)})",
                field="exported_at",
            ) from None


def _check_v1_arrays(doc: dict[str, Any], now: datetime) -> DiaryContents:
    today = now.date()
    profile = _profile(doc.get("profile", {}), today)
    episodes = [
        _episode(o, _Where("episodes", i), now) for i, o in enumerate(_array(doc, "episodes"))
    ]
    nights = [_night(o, _Where("nights", i), today) for i, o in enumerate(_array(doc, "nights"))]
    days = [_day(o, _Where("days", i), today) for i, o in enumerate(_array(doc, "days"))]
    meds = [
        _medication(o, _Where("medications", i), today)
        for i, o in enumerate(_array(doc, "medications"))
    ]
    _unique(episodes, "episodes", "id", lambda e: e.id)
    _unique(nights, "nights", "id", lambda n: n.id)
    _unique(nights, "nights", "night_of", lambda n: n.night_of)
    _unique(days, "days", "id", lambda d: d.id)
    _unique(days, "days", "date", lambda d: d.date)
    _unique(meds, "medications", "id", lambda m: m.id)
    return DiaryContents(profile, episodes, nights, days, meds)


def _check_v1(doc: dict[str, Any], now: datetime) -> DiaryContents:
    _check_top(doc, 1, V1_TOP_FIELDS)
    return _check_v1_arrays(doc, now)


def _check_v2(doc: dict[str, Any], now: datetime) -> DiaryContents:
    _check_top(doc, 2, V2_TOP_FIELDS)
    return _check_v2_arrays(doc, now)


def _check_v2_arrays(doc: dict[str, Any], now: datetime) -> DiaryContents:
    base = _check_v1_arrays(doc, now)
    today = now.date()

    def each(name: str) -> list[tuple[Any, _Where]]:
        return [(o, _Where(name, i)) for i, o in enumerate(_array(doc, name))]

    entries = [_food_entry(o, w, today) for o, w in each("food_entries")]
    custom = [_custom_food(o, w) for o, w in each("custom_foods")]
    favourites = [_favourite_food(o, w) for o, w in each("favourite_foods")]
    products = [_supplement_product(o, w) for o, w in each("supplement_products")]
    intakes = [_supplement_intake(o, w, today) for o, w in each("supplement_intakes")]
    drinks = [_drink(o, w, today) for o, w in each("drinks")]
    _unique(entries, "food_entries", "id", lambda f: f.id)
    _unique(custom, "custom_foods", "id", lambda c: c.id)
    _unique(custom, "custom_foods", "name", lambda c: c.name)
    _unique(favourites, "favourite_foods", "id", lambda f: f.id)
    _unique(favourites, "favourite_foods", "food", lambda f: f.food)
    _unique(products, "supplement_products", "id", lambda p: p.id)
    _unique(products, "supplement_products", "name", lambda p: p.name)
    _unique(intakes, "supplement_intakes", "id", lambda i: i.id)
    _unique(drinks, "drinks", "id", lambda d: d.id)
    return replace(
        base,
        food_entries=entries,
        custom_foods=custom,
        favourite_foods=favourites,
        supplement_products=products,
        supplement_intakes=intakes,
        drinks=drinks,
    )


def _check_v3(doc: dict[str, Any], now: datetime) -> DiaryContents:
    _check_top(doc, 3, TOP_FIELDS)
    base = _check_v2_arrays(doc, now)
    today = now.date()

    def each(name: str) -> list[tuple[Any, _Where]]:
        return [(o, _Where(name, i)) for i, o in enumerate(_array(doc, name))]

    items = [_routine_item(o, w, today) for o, w in each("routine_items")]
    checks = [_routine_check(o, w, today) for o, w in each("routine_checks")]
    tallies = [_paper_tally(o, w, today) for o, w in each("paper_tallies")]
    first_check: dict[str, date] = {}
    for check in checks:
        first_check[check.item] = min(first_check.get(check.item, check.night_of), check.night_of)
    items = [
        i if i.valid_from is not None else replace(i, valid_from=first_check.get(i.key, today))
        for i in items
    ]
    _unique(items, "routine_items", "id", lambda i: i.id)
    _unique(items, "routine_items", "valid_from", lambda i: (i.key, i.valid_from))
    _unique(checks, "routine_checks", "id", lambda c: c.id)
    _unique(checks, "routine_checks", "item", lambda c: (c.night_of, c.item))
    _unique(tallies, "paper_tallies", "id", lambda p: p.id)
    _unique(tallies, "paper_tallies", "night_of", lambda p: p.night_of)
    return replace(base, routine_items=items, routine_checks=checks, paper_tallies=tallies)


# Each known version: a function from the document to checked records. A new version adds an
# entry; older entries stay so that every older file remains importable.
_CHECKERS: dict[int, Callable[[dict[str, Any], datetime], DiaryContents]] = {
    1: _check_v1,
    2: _check_v2,
    3: _check_v3,
}


def _food_references(contents: DiaryContents) -> list[tuple[str, int, str]]:
    """(array, index, food key) of every record that names a food."""
    refs = [("food_entries", i, f.food) for i, f in enumerate(contents.food_entries)]
    refs += [("favourite_foods", i, f.food) for i, f in enumerate(contents.favourite_foods)]
    return refs


def _check_usda_foods(contents: DiaryContents, foods: FoodIndex | None) -> None:
    """Every "usda:" key names a food of the food table (loaded here only when needed)."""
    refs = [r for r in _food_references(contents) if r[2].startswith(rec.USDA_PREFIX)]
    if not refs:
        return
    if foods is None:
        from crampdiary.storage.foods import FoodIndex

        foods = FoodIndex.load()
    known: dict[str, bool] = {}
    for array, index, key in refs:
        if key not in known:
            known[key] = foods.food(key) is not None
        if not known[key]:
            raise _Where(array, index).error(
                "food", f'"{key}" is not in the food table (USDA SR28)'
            )


def check_document(
    doc: dict[str, Any], *, now: datetime, foods: FoodIndex | None = None
) -> DiaryContents:
    """Every record of a document, checked; ImportFormatError at the first problem.

    "usda:" food keys are checked against ``foods`` (the food table, loaded when not given and
    needed). "custom:" keys are checked on import, against the diary's and the file's foods.
    """
    if not isinstance(doc, dict):
        raise ImportFormatError(f"Not a Cramp Diary export (the JSON is {_kind(doc)}).")
    if doc.get("format") != FORMAT_NAME:
        raise ImportFormatError(
            f'Not a Cramp Diary export: "format" must be "{FORMAT_NAME}" '
            f"(got {_shown(doc.get('format'))})",
            field="format",
        )
    if "version" not in doc:
        raise ImportFormatError("version: is required (the data format version)", field="version")
    version = doc["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFormatError(
            f"version: must be a whole number from 1 (got {_shown(version)})", field="version"
        )
    if version not in _CHECKERS:
        raise ImportFormatError(
            f"This file uses data format version {version}, written by a newer Cramp Diary; "
            f"this version reads versions up to {max(_CHECKERS)}. Update Cramp Diary to "
            f"import it.",
            field="version",
        )
    contents = _CHECKERS[version](doc, now)
    _check_usda_foods(contents, foods)
    return contents


# --- storing ---------------------------------------------------------------------------------


def _store(s: Session, checked: DiaryContents, today: date) -> ImportResult:
    added: dict[str, int] = {}
    skipped: dict[str, int] = {}

    episode_ids = set(s.exec(select(t.CrampEpisode.id)).all())
    new_episodes = [e for e in checked.episodes if e.id not in episode_ids]
    cramp_nights = {e.night_of for e in new_episodes}
    cramp_nights.update(s.exec(select(col(t.CrampEpisode.night_of)).distinct()).all())

    night_ids = set(s.exec(select(t.NightRecord.id)).all())
    night_dates = set(s.exec(select(col(t.NightRecord.night_of))).all())
    new_nights = [
        # As when an episode is added by hand: a night with cramps is not a "no cramps" night.
        replace(n, no_cramps=False) if n.no_cramps and n.night_of in cramp_nights else n
        for n in checked.nights
        if n.id not in night_ids and n.night_of not in night_dates
    ]
    for night_row in s.exec(select(t.NightRecord).where(col(t.NightRecord.no_cramps))).all():
        if night_row.night_of in cramp_nights:
            night_row.no_cramps = False

    day_ids = set(s.exec(select(t.DayContext.id)).all())
    day_dates = set(s.exec(select(col(t.DayContext.day))).all())
    new_days = [d for d in checked.days if d.id not in day_ids and d.date not in day_dates]

    med_ids = set(s.exec(select(t.Medication.id)).all())
    new_meds = [m for m in checked.medications if m.id not in med_ids]

    s.add_all([mapping.episode_row(e) for e in new_episodes])
    s.add_all([mapping.night_row(n) for n in new_nights])
    s.add_all([mapping.day_row(d) for d in new_days])
    s.add_all([mapping.medication_row(m) for m in new_meds])
    nutrition = _store_nutrition(s, checked)
    nutrition.update(_store_routine(s, checked))
    counted: list[tuple[str, Sequence[Any], Sequence[Any]]] = [
        ("episodes", checked.episodes, new_episodes),
        ("nights", checked.nights, new_nights),
        ("days", checked.days, new_days),
        ("medications", checked.medications, new_meds),
    ]
    counted += [
        (name, getattr(checked, name), nutrition[name])
        for name in NUTRITION_ARRAYS + ROUTINE_ARRAYS
    ]
    for name, total, new in counted:
        added[name] = len(new)
        skipped[name] = len(total) - len(new)

    added["profile"] = skipped["profile"] = 0
    if checked.profile != rec.Profile():
        row = s.get(t.Profile, 1)
        if mapping.profile_record(row) == rec.Profile():
            row = row or t.Profile(id=1)
            mapping.apply_profile(row, checked.profile)
            if row.profile_asked_on is None:
                row.profile_asked_on = today
            s.add(row)
            added["profile"] = 1
        else:
            skipped["profile"] = 1
    return ImportResult(added=added, skipped=skipped)


def _store_nutrition(s: Session, checked: DiaryContents) -> dict[str, list[Any]]:
    """Add the nutrition records not yet in the diary; returns the added ones per array.

    Custom foods and supplement products are skipped when their id or their name is taken,
    favourites when their id or their food is; the diary's record wins. Every "custom:" food a
    record names must then be in the diary.
    """
    if not any(getattr(checked, name) for name in NUTRITION_ARRAYS):
        return {name: [] for name in NUTRITION_ARRAYS}

    def taken(*columns: Any) -> set[Any]:
        out: set[Any] = set()
        for column in columns:
            out.update(s.exec(select(column)).all())
        return out

    custom_ids, custom_names = taken(t.CustomFood.id), taken(t.CustomFood.name)
    new_custom = [
        c for c in checked.custom_foods if c.id not in custom_ids and c.name not in custom_names
    ]
    known_custom = {rec.custom_food_key(name) for name in custom_names}
    known_custom.update(c.key for c in new_custom)
    for array, index, key in _food_references(checked):
        if key.startswith(rec.CUSTOM_PREFIX) and key not in known_custom:
            name = key[len(rec.CUSTOM_PREFIX) :]
            raise _Where(array, index).error(
                "food",
                f'the custom food "{name}" is neither in the diary nor in this file\'s '
                "custom_foods",
            )
    fav_taken = taken(t.FavouriteFood.id, t.FavouriteFood.food)
    product_ids, product_names = taken(t.SupplementProduct.id), taken(t.SupplementProduct.name)
    entry_ids = taken(t.FoodEntry.id)
    intake_ids = taken(t.SupplementIntake.id)
    drink_ids = taken(t.Drink.id)
    new: dict[str, list[Any]] = {
        "food_entries": [f for f in checked.food_entries if f.id not in entry_ids],
        "custom_foods": new_custom,
        "favourite_foods": [
            f for f in checked.favourite_foods if f.id not in fav_taken and f.food not in fav_taken
        ],
        "supplement_products": [
            p
            for p in checked.supplement_products
            if p.id not in product_ids and p.name not in product_names
        ],
        "supplement_intakes": [i for i in checked.supplement_intakes if i.id not in intake_ids],
        "drinks": [d for d in checked.drinks if d.id not in drink_ids],
    }
    s.add_all([mapping.custom_food_row(c) for c in new["custom_foods"]])
    s.add_all([mapping.favourite_food_row(f) for f in new["favourite_foods"]])
    s.add_all([mapping.supplement_product_row(p) for p in new["supplement_products"]])
    # Many rows (ten years of meals): plain bulk INSERTs, in the same transaction.
    connection = s.connection()
    for table, rows in (
        (t.FoodEntry, [mapping.food_entry_values(f) for f in new["food_entries"]]),
        (
            t.SupplementIntake,
            [mapping.supplement_intake_values(i) for i in new["supplement_intakes"]],
        ),
        (t.Drink, [mapping.drink_values(d) for d in new["drinks"]]),
    ):
        if rows:
            connection.execute(insert(table), rows)
    return new


def _store_routine(s: Session, checked: DiaryContents) -> dict[str, list[Any]]:
    """Add the routine records not yet in the diary; returns the added ones per array.

    An item version is skipped when its id, or its item and start night, is taken; a check when
    its id, or its night and item, is; a tally when its id or its night is: the diary's record
    wins. Every check must name an item of the diary or of the file. A check without a title
    gets the title its item had that night.

    A diary whose routine is still the untouched default one the app stored on first use (no
    check, no edit) takes the file's routine instead: the defaults go, in this transaction.
    """
    if not any(getattr(checked, name) for name in ROUTINE_ARRAYS):
        return {name: [] for name in ROUTINE_ARRAYS}
    keys = set(s.exec(select(t.RoutineItem.key)).all())
    diary_versions = [
        mapping.routine_version_record(r) for r in s.exec(select(t.RoutineItemVersion))
    ]
    if (
        checked.routine_items
        and s.exec(select(t.RoutineCheck.id).limit(1)).first() is None
        and is_untouched_default(diary_versions)
    ):
        connection = s.connection()
        connection.execute(delete(t.RoutineItemVersion))
        connection.execute(delete(t.RoutineItem))
        keys, diary_versions = set(), []
    version_ids = {v.id for v in diary_versions}
    version_starts = {(v.key, v.valid_from) for v in diary_versions}
    new_versions = [
        i
        for i in checked.routine_items
        if i.id not in version_ids and (i.key, i.valid_from) not in version_starts
    ]
    known = keys | {i.key for i in checked.routine_items}
    for index, check in enumerate(checked.routine_checks):
        if check.item not in known:
            raise _Where("routine_checks", index).error(
                "item",
                f'the routine item "{check.item}" is neither in the diary nor in this file\'s '
                "routine_items",
            )
    check_ids = set(s.exec(select(t.RoutineCheck.id)).all())
    check_places = {
        (r[0], r[1])
        for r in s.exec(select(col(t.RoutineCheck.night_of), col(t.RoutineCheck.item))).all()
    }
    history = RoutineHistory([*diary_versions, *new_versions])

    def titled(check: rec.RoutineCheck) -> rec.RoutineCheck:
        if check.title:
            return check
        version = history.version_on(check.item, check.night_of) or history.latest(check.item)
        return replace(check, title=version.title if version is not None else check.item)

    new_checks = [
        titled(c)
        for c in checked.routine_checks
        if c.id not in check_ids and (c.night_of, c.item) not in check_places
    ]
    tally_ids = set(s.exec(select(t.PaperTally.id)).all())
    tally_nights = set(s.exec(select(col(t.PaperTally.night_of))).all())
    new_tallies = [
        p for p in checked.paper_tallies if p.id not in tally_ids and p.night_of not in tally_nights
    ]
    # Every key of the file gets its row, even one whose versions were all skipped (an id
    # taken by another item): its checks then still have their item.
    new_keys = sorted({i.key for i in checked.routine_items} - keys)
    connection = s.connection()
    if new_keys:
        connection.execute(insert(t.RoutineItem), [{"key": key} for key in new_keys])
    for table, rows in (
        (t.RoutineItemVersion, [mapping.routine_version_values(i) for i in new_versions]),
        (t.RoutineCheck, [mapping.routine_check_values(c) for c in new_checks]),
    ):
        if rows:
            connection.execute(insert(table), rows)
    s.add_all([mapping.paper_tally_row(p) for p in new_tallies])
    return {
        "routine_items": new_versions,
        "routine_checks": new_checks,
        "paper_tallies": new_tallies,
    }


def import_document(
    diary: DiaryService, doc: dict[str, Any], *, now: datetime, foods: FoodIndex | None = None
) -> ImportResult:
    """Import a parsed document in one transaction; a bad record refuses the whole document.

    Records whose id is already in the diary, and nights or days whose date already has a
    record, are skipped (the diary's data wins). The profile is taken only by an empty diary.
    """
    checked = check_document(doc, now=now, foods=foods)
    with diary.session() as s:
        result = _store(s, checked, now.date())
    logger.info("imported %d records, skipped %d", result.total_added, result.total_skipped)
    return result
