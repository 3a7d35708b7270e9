"""Domain layer: food and supplement arithmetic, the dietary reference intakes and the day's totals.

Pure Python, no Qt and no database. Food values are per 100 g as in USDA SR28
(``resources/food/foods.csv``); an empty cell is unknown (``None``), never zero, and stays unknown
through every sum (the total counts the known part and says how many entries had no value).
Reference values come from ``resources/food/dri.csv``; section 2.6 of the clinical GUIDE decides
when a reference is not shown (potassium with kidney disease or a potassium-raising medicine,
water with a fluid restriction) and the wording: "above/below the reference value", never
"deficient".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from crampdiary.domain.errors import ValidationError
from crampdiary.domain.records import Medication, Profile

NUTRIENTS: tuple[str, ...] = (
    "magnesium",
    "calcium",
    "vitamin_d",
    "potassium",
    "sodium",
    "water",
)
UNIT: dict[str, str] = {
    "magnesium": "mg",
    "calcium": "mg",
    "vitamin_d": "ug",
    "potassium": "mg",
    "sodium": "mg",
    "water": "ml",
}
LABEL: Final[dict[str, str]] = {
    "magnesium": "Magnesium",
    "calcium": "Calcium",
    "vitamin_d": "Vitamin D",
    "potassium": "Potassium",
    "sodium": "Sodium",
    "water": "Water",
}
# The unit as shown in sentences (UNIT holds the ASCII keys used in files and JSON).
UNIT_TEXT: Final[dict[str, str]] = {"mg": "mg", "ug": "µg", "ml": "ml"}
IU_PER_UG = 40
GRAMS_PER_OZ = 28.349523125

# Supplements can carry every nutrient but water (fluids are drinks).
SUPPLEMENT_NUTRIENTS: Final[tuple[str, ...]] = tuple(n for n in NUTRIENTS if n != "water")

# One food entry or drink may be at most this much; more is a typing slip.
MAX_GRAMS: Final = 10_000.0  # the largest USDA portion is a 5.7 kg turkey
MAX_DRINK_ML: Final = 5000.0
MAX_SUPPLEMENT: Final = 1e9  # per entry in UNIT[nutrient] (1,000,000 mg as µg fits)
MAX_PER_100G: Final[dict[str, float]] = {
    # Physical limits for a custom food: 100 g cannot hold more than 100 g of anything.
    "magnesium": 100_000.0,
    "calcium": 100_000.0,
    "vitamin_d": 100_000_000.0,
    "potassium": 100_000.0,
    "sodium": 100_000.0,
    "water": 100.0,
}
MAX_FOOD_NAME: Final = 120
MAX_PORTION_TEXT: Final = 80

# --- foods ---------------------------------------------------------------------------------

USDA_PREFIX: Final = "usda:"
CUSTOM_PREFIX: Final = "custom:"

# Household volume measures in ml (US customary, exact by definition).
ML_PER_CUP: Final = 236.5882365
ML_PER_TBSP: Final = 14.78676478125
ML_PER_TSP: Final = 4.92892159375
ML_PER_FL_OZ: Final = 29.5735295625
ML_PER_UNIT: Final[dict[str, float]] = {
    "cup": ML_PER_CUP,
    "tbsp": ML_PER_TBSP,
    "tsp": ML_PER_TSP,
    "fl oz": ML_PER_FL_OZ,
    "ml": 1.0,
    "l": 1000.0,
}
# A measure names a volume when it starts with one of these words ("cup, chopped", "Tbsp",
# "fl oz (1 serving)", "tablespoon"); "oz" alone is a weight and "large" or "lb" are not volumes.
_VOLUME_RE: Final = re.compile(
    r"^(?:(?P<floz>fl\.?\s*oz|fluid\s+ounces?)"
    r"|(?P<cup>cups?)"
    r"|(?P<tbsp>tbsp|tbs|tablespoons?)"
    r"|(?P<tsp>tsp|teaspoons?)"
    r"|(?P<ml>ml|millilit(?:er|re)s?)"
    r"|(?P<l>l|lit(?:er|re)s?))\b",
    re.IGNORECASE,
)
_GROUP_UNIT: Final[dict[str, str]] = {
    "floz": "fl oz",
    "cup": "cup",
    "tbsp": "tbsp",
    "tsp": "tsp",
    "ml": "ml",
    "l": "l",
}
_AMOUNT_RE: Final = re.compile(
    r"^\s*(?:(?P<whole>\d+)\s+(?P<fnum>\d+)/(?P<fden>\d+)"  # "1 1/2"
    r"|(?P<num>\d+)/(?P<den>\d+)"  # "1/2"
    r"|(?P<dec>\d+(?:\.\d*)?|\.\d+))"  # "1", "1.5", ".5"
    r"(?:\s+|$)"
)


@dataclass(frozen=True)
class Portion:
    """A household measure of a food: its text as in the table ("1 cup, chopped") and grams."""

    description: str  # custom foods: the user's own text
    grams: float


@dataclass(frozen=True)
class Food:
    """A food from the USDA table or the user's own, with values per 100 g (None = unknown)."""

    key: str  # "usda:01001" (NDB with leading zeros) or "custom:<name>"
    name: str
    group: str  # USDA food group, "" for custom foods
    per_100g: Mapping[str, float | None]  # every key of NUTRIENTS; None = unknown
    kcal: float | None
    portions: tuple[Portion, ...]
    density_g_per_ml: float | None  # from the first volume portion; None if none

    def __post_init__(self) -> None:
        if set(self.per_100g) != set(NUTRIENTS):
            raise ValidationError(
                "per_100g", "must hold a value or None for each of " + ", ".join(NUTRIENTS)
            )

    # Foods are equal when every field is; hashing by key keeps that consistent and lets foods
    # sit in sets and dict keys although per_100g is a dict.
    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def is_custom(self) -> bool:
        return self.key.startswith(CUSTOM_PREFIX)

    def portion(self, description: str) -> Portion | None:
        """The portion with this description (exact, else ignoring case and spaces), or None."""
        for p in self.portions:
            if p.description == description:
                return p
        wanted = _squash(description)
        for p in self.portions:
            if _squash(p.description) == wanted:
                return p
        return None


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def usda_key(ndb: str) -> str:
    """The key of a USDA food from its NDB number (5 characters, leading zeros kept)."""
    return USDA_PREFIX + ndb


def custom_key(name: str) -> str:
    """The key of a custom food: "custom:" and the name as the user wrote it (trimmed)."""
    return CUSTOM_PREFIX + name.strip()


def parse_amount(text: str) -> tuple[float, str] | None:
    """Split "1 cup, chopped", ".5 cup" or "1 1/2 tbsp" into (amount, measure text), or None."""
    m = _AMOUNT_RE.match(text)
    if m is None:
        return None
    if m.group("whole") is not None:
        den = int(m.group("fden"))
        if den == 0:
            return None
        amount = int(m.group("whole")) + int(m.group("fnum")) / den
    elif m.group("num") is not None:
        den = int(m.group("den"))
        if den == 0:
            return None
        amount = int(m.group("num")) / den
    else:
        amount = float(m.group("dec"))
    return amount, text[m.end() :].strip()


def volume_unit(measure: str) -> str | None:
    """The volume unit a measure starts with ("cup, chopped" -> "cup"), or None for others."""
    m = _VOLUME_RE.match(measure.strip())
    if m is None or m.lastgroup is None:
        return None
    return _GROUP_UNIT[m.lastgroup]


def volume_ml(amount: float, measure: str) -> float | None:
    """The volume of ``amount`` x ``measure`` in ml, or None when the measure is not a volume."""
    unit = volume_unit(measure)
    if unit is None or not math.isfinite(amount) or amount <= 0:
        return None
    return amount * ML_PER_UNIT[unit]


def portion_volume_ml(description: str) -> float | None:
    """The volume a portion text stands for ("1 cup, chopped" -> 236.6 ml), or None."""
    parsed = parse_amount(description)
    if parsed is None:
        return None
    return volume_ml(*parsed)


def density_from_portions(portions: Iterable[Portion]) -> float | None:
    """g/ml from the first portion that is a volume (cup, tbsp, tsp, fl oz, ml, l), or None."""
    for p in portions:
        ml = portion_volume_ml(p.description)
        if ml is not None and p.grams > 0:
            return p.grams / ml
    return None


def _cell(row: Mapping[str, str], column: str) -> float | None:
    text = (row.get(column) or "").strip()
    return None if text == "" else float(text)


def food_from_row(row: Mapping[str, str], portion_rows: Sequence[Mapping[str, str]]) -> Food:
    """A USDA food from its foods.csv row and its food_portions.csv rows (in Seq order).

    Values are taken as they are. Vitamin D is the µg column; when only the IU column has a
    value (51 foods, all 0 to 10 IU) it is converted at 40 IU = 1 µg rather than left unknown.
    Density comes from the first portion whose ``measure`` column is a volume, with the
    ``amount`` column as its count.
    """
    vitamin_d = _cell(row, "vitamin_d_ug")
    if vitamin_d is None:
        iu = _cell(row, "vitamin_d_iu")
        vitamin_d = None if iu is None else iu / IU_PER_UG
    per_100g: dict[str, float | None] = {
        "magnesium": _cell(row, "magnesium_mg"),
        "calcium": _cell(row, "calcium_mg"),
        "vitamin_d": vitamin_d,
        "potassium": _cell(row, "potassium_mg"),
        "sodium": _cell(row, "sodium_mg"),
        "water": _cell(row, "water_g"),  # 1 g of water = 1 ml
    }
    portions = tuple(Portion(p["description"], float(p["grams"])) for p in portion_rows)
    density: float | None = None
    for p in portion_rows:
        try:
            amount = float(p["amount"])
        except ValueError:
            continue
        ml = volume_ml(amount, p["measure"])
        grams = float(p["grams"])
        if ml is not None and grams > 0:
            density = grams / ml
            break
    return Food(
        key=usda_key(row["source_id"]),
        name=row["name"],
        group=row.get("food_group") or "",
        per_100g=per_100g,
        kcal=_cell(row, "kcal"),
        portions=portions,
        density_g_per_ml=density,
    )


def _number(value: Any, fld: str, lo: float, hi: float, *, above_lo: bool = False) -> float:
    """A finite number in range (lo excluded when ``above_lo``), else ValidationError."""
    low = "above" if above_lo else "from"
    what = f"a number {low} {lo:g} to {hi:g}"
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise ValidationError(fld, f"must be {what}")
    if value > hi or value < lo or (above_lo and value == lo):
        raise ValidationError(fld, f"must be {what} (got {value:g})")
    return float(value)


def make_custom_food(
    name: str,
    per_100g: Mapping[str, float | None],
    portions: Iterable[Portion] = (),
    *,
    kcal: float | None = None,
) -> Food:
    """A validated custom food: name 1-120 characters, values per 100 g within physical limits,
    portions with text and 0 < grams <= MAX_GRAMS; density from its first volume portion."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name", f"must be text of 1 to {MAX_FOOD_NAME} characters")
    clean = name.strip()
    if len(clean) > MAX_FOOD_NAME or "\x00" in clean:
        raise ValidationError("name", f"must be text of 1 to {MAX_FOOD_NAME} characters")
    unknown = set(per_100g) - set(NUTRIENTS)
    if unknown:
        raise ValidationError("per_100g", "unknown nutrient " + ", ".join(sorted(unknown)))
    values: dict[str, float | None] = {}
    for n in NUTRIENTS:
        v = per_100g.get(n)
        values[n] = None if v is None else _number(v, n, 0, MAX_PER_100G[n])
    kept: list[Portion] = []
    for p in portions:
        text = p.description.strip() if isinstance(p.description, str) else ""
        if not text or len(text) > MAX_PORTION_TEXT:
            raise ValidationError(
                "portions", f"each portion needs a text of 1 to {MAX_PORTION_TEXT} characters"
            )
        grams = _number(p.grams, "portions", 0, MAX_GRAMS, above_lo=True)
        kept.append(Portion(text, grams))
    energy = None if kcal is None else _number(kcal, "kcal", 0, 1000)
    return Food(
        key=custom_key(clean),
        name=clean,
        group="",
        per_100g=values,
        kcal=energy,
        portions=tuple(kept),
        density_g_per_ml=density_from_portions(kept),
    )


def nutrients_for(food: Food, grams: float) -> dict[str, float | None]:
    """The food's nutrients in ``grams`` of it: value x grams / 100; unknown stays None."""
    return _scaled(food, _number(grams, "grams", 0, MAX_GRAMS))


def _scaled(food: Food, grams: float) -> dict[str, float | None]:
    return {n: (None if (v := food.per_100g[n]) is None else v * grams / 100) for n in NUTRIENTS}


def grams_for(food: Food, amount: float, unit: str) -> float:
    """Grams of ``amount`` ``unit`` of the food.

    ``unit`` is "g", "oz" (28.349523125 g), "ml" (needs the food's density) or the description
    of one of the food's portions ("1 cup, chopped": ``amount`` counts portions). SR28 has 15
    foods with one description at two weights (01048 "1 jar (5 oz)": 128 g and 142 g); a
    description means the first of them, so a picker that lists portions should multiply the
    chosen ``Portion.grams`` itself.
    """
    n = _number(amount, "amount", 0, MAX_GRAMS, above_lo=True)
    if unit == "g":
        grams = n
    elif unit == "oz":
        grams = n * GRAMS_PER_OZ
    elif unit == "ml":
        if food.density_g_per_ml is None:
            raise ValidationError(
                "unit",
                "ml needs a food with a volume portion (cup, tbsp, tsp, fl oz); "
                "use g, oz or one of its portions",
            )
        grams = n * food.density_g_per_ml
    else:
        portion = food.portion(unit) if isinstance(unit, str) else None
        if portion is None:
            choices = ", ".join(["g", "oz", *(["ml"] if food.density_g_per_ml else [])])
            raise ValidationError(
                "unit", f"must be {choices} or one of the food's portions (got {unit!r})"
            )
        grams = n * portion.grams
    if grams > MAX_GRAMS:
        raise ValidationError("amount", f"must come to at most {MAX_GRAMS:g} g (got {grams:.0f} g)")
    return grams


# --- dietary reference intakes -------------------------------------------------------------

PREGNANCY_STATES: Final = ("none", "pregnant", "lactating")
SEX_VALUES: Final = ("female", "male")
MAX_AGE: Final = 150

# dri.csv's nutrient names -> ours; vitamin_d_iu rows only give the IU figure for the text.
_DRI_NUTRIENT: Final[dict[str, str]] = {
    "magnesium": "magnesium",
    "calcium": "calcium",
    "vitamin_d": "vitamin_d",
    "potassium": "potassium",
    "sodium": "sodium",
    "total_water": "water",
}
# dri.csv units -> factor to UNIT[nutrient].
_UNIT_FACTOR: Final[dict[str, tuple[str, Decimal]]] = {
    "mg/d": ("mg", Decimal(1)),
    "µg/d": ("ug", Decimal(1)),
    "ug/d": ("ug", Decimal(1)),
    "L/d": ("ml", Decimal(1000)),
    "ml/d": ("ml", Decimal(1)),
}
# Short human names of dri.csv's source ids (SOURCES.md lists them in full).
SOURCE_NAMES: Final[dict[str, str]] = {
    "NASEM2019_ELEM": "NASEM 2019",
    "IOM2000_UL": "IOM 2000",
    "IOM2011_CH6": "IOM 2011",
    "NASEM_UL_ELEM_COPY": "NASEM UL table",
    "HC_VIT": "Health Canada DRI tables",
    "NASEM_VIT_COPY": "NASEM 2011 vitamin table",
    "IOM2011_WATER": "IOM 2005",
    "NASEM_WATER_COPY": "IOM 2005",
    "SODIUM_CDRR": "NASEM 2019",
}

_ADULT_BANDS: Final[tuple[tuple[int, int, str], ...]] = (
    (1, 3, "1-3"),
    (4, 8, "4-8"),
    (9, 13, "9-13"),
    (14, 18, "14-18"),
    (19, 30, "19-30"),
    (31, 50, "31-50"),
    (51, 70, "51-70"),
    (71, MAX_AGE, ">70"),
)
_PREGNANCY_BANDS: Final[tuple[str, ...]] = ("14-18", "19-30", "31-50")
_PREGNANCY_WORD: Final[dict[str, str]] = {"pregnant": "pregnancy", "lactating": "lactation"}


@dataclass(frozen=True)
class Reference:
    """A reference intake for one nutrient and life stage, in UNIT[nutrient]."""

    nutrient: str  # one of NUTRIENTS ("water" is total water, converted to ml)
    life_stage: str  # as in dri.csv: "31-50", "pregnancy 19-30", ">70", "0-6 mo"
    sex: str  # "any" | "male" | "female"
    value: float  # vitamin_d in ug, water in ml
    kind: str  # "RDA" | "AI"
    upper_limit: float | None
    upper_limit_scope: str | None  # "supplements" (magnesium) | "total"
    source: str  # human text naming the source ids
    # Added beyond the shared contract:
    upper_limit_source: str | None = None  # short citation for the warning, e.g. "IOM 2000"
    note: str = ""  # dri.csv's notes, plus why a band other than the profile's is used
    upper_limit_iu: float | None = None  # vitamin D only: the UL as dri.csv gives it in IU


def _sources(ids: str) -> str:
    names: list[str] = []
    for sid in (s.strip() for s in ids.split(";")):
        if sid:
            name = SOURCE_NAMES.get(sid, sid)
            if name not in names:
                names.append(name)
    return "; ".join(names)


def _convert(text: str, unit: str, nutrient: str, fld: str) -> float:
    if unit not in _UNIT_FACTOR or _UNIT_FACTOR[unit][0] != UNIT[nutrient]:
        raise ValidationError(fld, f"unit {unit!r} does not fit {nutrient} ({UNIT[nutrient]})")
    try:
        # Decimal keeps 3.7 L as exactly 3700 ml (3.7 * 1000 in floats is 3700.0000000000005).
        return float(Decimal(text.strip()) * _UNIT_FACTOR[unit][1])
    except InvalidOperation as exc:
        raise ValidationError(fld, f"must be a number (got {text!r})") from exc


def _scope(text: str) -> str | None:
    t = text.strip().lower()
    if not t:
        return None
    return "supplements" if t.startswith("supplement") else "total"


@dataclass(frozen=True)
class LifeStage:
    """Where an age, sex and pregnancy fall in dri.csv (added beyond the contract)."""

    life_stage: str
    sex: str  # "any" under 9 years, else the profile's sex
    note: str = ""  # set when a pregnant/lactating profile falls outside 14-50


def life_stage(
    age: int, sex: str | None, pregnancy: str = "none", *, age_months: int | None = None
) -> LifeStage | None:
    """The dri.csv life stage for an age in whole years (None when sex is needed and unknown).

    Age 0: the profile holds a birth year only, so "age 0" means born in the same calendar
    year, somewhere from 0 to 11 months old. Without ``age_months`` it is taken as "0-6 mo":
    that is the likelier half (3 in 4 of such days fall in the first 6 months of life) and its
    upper limits are the lower, more careful ones. ``age_months`` (0-11, completed months)
    picks "0-6 mo" for 0-5 and "7-12 mo" for 6-11.

    Pregnancy and lactation have bands for 14-18, 19-30 and 31-50 only; a pregnant or
    lactating person younger or older gets the values for her own age and a note saying so.
    """
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE:
        raise ValidationError("age", f"must be a whole number from 0 to {MAX_AGE}")
    if pregnancy not in PREGNANCY_STATES:
        raise ValidationError("pregnancy", "must be one of " + ", ".join(PREGNANCY_STATES))
    if sex is not None and sex not in SEX_VALUES:
        raise ValidationError("sex", "must be female, male or unknown")
    if pregnancy != "none" and sex != "female":
        raise ValidationError("pregnancy", "can be pregnant or lactating only with sex female")
    if age_months is not None and (
        isinstance(age_months, bool) or not isinstance(age_months, int) or not 0 <= age_months <= 11
    ):
        raise ValidationError("age_months", "must be a whole number from 0 to 11")
    if age == 0:
        return LifeStage(
            "7-12 mo" if age_months is not None and age_months >= 6 else "0-6 mo", "any"
        )
    band = next(name for lo, hi, name in _ADULT_BANDS if lo <= age <= hi)
    if age < 9:
        return LifeStage(band, "any")
    if sex is None:
        return None
    if pregnancy == "none":
        return LifeStage(band, sex)
    word = _PREGNANCY_WORD[pregnancy]
    if band in _PREGNANCY_BANDS:
        return LifeStage(f"{word} {band}", "female")
    note = (
        f"Reference values for {word} are set for ages 14 to 50 only; "
        f"the values for females aged {band.replace('>70', 'over 70')} are shown."
    )
    return LifeStage(band, "female", note)


class DriTable:
    """dri.csv as references by (nutrient, life stage, sex); build it with ``load_dri``."""

    def __init__(self, references: Mapping[tuple[str, str, str], Reference]) -> None:
        self._refs = dict(references)

    def __len__(self) -> int:
        return len(self._refs)

    def references(self) -> tuple[Reference, ...]:
        """Every reference in the table, in file order."""
        return tuple(self._refs.values())

    def get(self, nutrient: str, life_stage: str, sex: str) -> Reference | None:
        """The row for exactly this life stage and sex ("any", "male", "female"), or None."""
        return self._refs.get((nutrient, life_stage, sex))

    def reference(
        self,
        nutrient: str,
        *,
        age: int | None,
        sex: str | None,
        pregnancy: str,
        age_months: int | None = None,
    ) -> Reference | None:
        """The reference for a person; None when age, or sex from 9 years, is unknown."""
        if nutrient not in NUTRIENTS:
            raise ValidationError("nutrient", "must be one of " + ", ".join(NUTRIENTS))
        if age is None:
            return None
        stage = life_stage(age, sex, pregnancy, age_months=age_months)
        if stage is None:
            return None
        ref = self._refs.get((nutrient, stage.life_stage, stage.sex))
        if ref is None or not stage.note:
            return ref
        extra = ref.note[:1].upper() + ref.note[1:]
        return replace(ref, note=f"{stage.note} {extra}".strip())

    def lowest_upper_limit(self, nutrient: str, *, age: int | None) -> Reference | None:
        """The row with the lowest UL for an age whose sex (or age) is unknown.

        With the age known, the lowest over both sexes of that age's band; with no age, the
        lowest over every life stage from 9 years up (adults, pregnancy and lactation). Used to
        warn about upper limits before the profile is complete; None if no row has a UL.
        """
        if age is not None:
            stage = life_stage(age, "female")
            bands: set[str] = {stage.life_stage} if stage else set()
            rows = [r for (n, ls, _), r in self._refs.items() if n == nutrient and ls in bands]
        else:
            rows = [
                r
                for (n, _, sx), r in self._refs.items()
                if n == nutrient and sx != "any"  # sex-specific rows start at 9 years
            ]
        with_ul = [r for r in rows if r.upper_limit is not None]
        if not with_ul:
            return None
        return min(with_ul, key=lambda r: r.upper_limit or 0.0)


def load_dri(rows: Iterable[Mapping[str, str]]) -> DriTable:
    """The reference table from dri.csv's rows (as csv.DictReader gives them).

    Units are converted to UNIT: total water from L to ml, vitamin D stays in µg (its
    vitamin_d_iu rows only supply the IU figure of the UL for the warning text).
    """
    refs: dict[tuple[str, str, str], Reference] = {}
    iu_ul: dict[tuple[str, str], float] = {}
    for i, row in enumerate(rows, start=2):  # line numbers as in the file (header is 1)
        raw = row.get("nutrient", "")
        if raw == "vitamin_d_iu":
            if (row.get("ul") or "").strip():
                iu_ul[(row["life_stage"], row["sex"])] = float(row["ul"])
            continue
        if raw not in _DRI_NUTRIENT:
            raise ValidationError(f"dri.csv line {i}", f"unknown nutrient {raw!r}")
        nutrient = _DRI_NUTRIENT[raw]
        value = _convert(row["value"], row["unit"], nutrient, f"dri.csv line {i}")
        kind = row["kind"].strip()
        if kind not in ("RDA", "AI"):
            raise ValidationError(f"dri.csv line {i}", f"kind must be RDA or AI (got {kind!r})")
        ul: float | None = None
        scope: str | None = None
        if (row.get("ul") or "").strip():
            ul = _convert(row["ul"], row["ul_unit"], nutrient, f"dri.csv line {i}")
            scope = _scope(row.get("ul_scope") or "")
        value_src = _sources(row.get("value_source") or "")
        ul_src = _sources(row.get("ul_source") or "") or None
        source = f"{kind}: {value_src} ({row.get('value_source', '').strip()})"
        if ul is not None:
            source += f"; upper limit: {ul_src} ({(row.get('ul_source') or '').strip()})"
        key = (nutrient, row["life_stage"].strip(), row["sex"].strip())
        if key in refs:
            raise ValidationError(f"dri.csv line {i}", f"repeats {key}")
        refs[key] = Reference(
            nutrient=nutrient,
            life_stage=key[1],
            sex=key[2],
            value=value,
            kind=kind,
            upper_limit=ul,
            upper_limit_scope=scope,
            source=source,
            upper_limit_source=ul_src if ul is not None else None,
            note=(row.get("notes") or "").strip(),
        )
    for (nutrient, stage, sex), ref in list(refs.items()):
        if nutrient == "vitamin_d" and (stage, sex) in iu_ul:
            refs[(nutrient, stage, sex)] = replace(ref, upper_limit_iu=iu_ul[(stage, sex)])
    return DriTable(refs)


def age_on(birth_year: int | None, day: date) -> int | None:
    """Age on ``day`` as the data format defines it: the day's year minus the birth year.

    May be negative for a day before the birth year; ``DriTable.reference`` refuses that.
    """
    return None if birth_year is None else day.year - birth_year


# --- supplements ---------------------------------------------------------------------------

# Standard atomic weights (IUPAC, conventional values), g/mol.
ATOMIC_MASS: Final[dict[str, float]] = {
    "H": 1.008,
    "C": 12.011,
    "N": 14.007,
    "O": 15.999,
    "Mg": 24.305,
    "Cl": 35.45,
    "Ca": 40.078,
}
_WATER: Final = {"H": 2, "O": 1}


@dataclass(frozen=True)
class Compound:
    """A supplement form: which nutrient, its formula and the elemental fraction of its mass."""

    name: str
    nutrient: str
    formula: str
    atoms: Mapping[str, int]  # atoms per formula unit, water of crystallisation included

    @property
    def molar_mass(self) -> float:
        return sum(ATOMIC_MASS[el] * n for el, n in self.atoms.items())

    @property
    def fraction(self) -> float:
        element = "Mg" if self.nutrient == "magnesium" else "Ca"
        return ATOMIC_MASS[element] * self.atoms[element] / self.molar_mass


def _atoms(*parts: tuple[Mapping[str, int], int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for formula, times in parts:
        for el, n in formula.items():
            out[el] = out.get(el, 0) + n * times
    return out


_CITRATE: Final = {"C": 6, "H": 5, "O": 7}  # C6H5O7 (3-)
_GLYCINATE: Final = {"C": 2, "H": 4, "N": 1, "O": 2}  # C2H4NO2 (-)
_LACTATE: Final = {"C": 3, "H": 5, "O": 3}  # C3H5O3 (-)

# The forms the supplement helper offers. Which hydrate: the one the label weight usually means.
COMPOUNDS: Final[dict[str, Compound]] = {
    c.name: c
    for c in (
        # MgO, 40.30 g/mol -> 0.603
        Compound("magnesium oxide", "magnesium", "MgO", {"Mg": 1, "O": 1}),
        # Trimagnesium dicitrate, anhydrous, Mg3(C6H5O7)2, 451.1 g/mol -> 0.162. (The
        # nonahydrate, 613.3 g/mol, would give 0.119; labels quoting "magnesium citrate" mostly
        # mean the anhydrous salt's weight.)
        Compound(
            "magnesium citrate",
            "magnesium",
            "Mg3(C6H5O7)2",
            _atoms(({"Mg": 1}, 3), (_CITRATE, 2)),
        ),
        # Magnesium bisglycinate, Mg(C2H4NO2)2, 172.4 g/mol -> 0.141
        Compound(
            "magnesium glycinate",
            "magnesium",
            "Mg(C2H4NO2)2",
            _atoms(({"Mg": 1}, 1), (_GLYCINATE, 2)),
        ),
        # Magnesium chloride HEXAHYDRATE, MgCl2·6H2O, 203.3 g/mol -> 0.120. The hexahydrate is
        # the form sold (flakes, tablets such as Slow-Mag: 535 mg -> 64 mg Mg); anhydrous MgCl2
        # (95.21 g/mol -> 0.255) is too hygroscopic for tablets. Choosing the anhydrous factor
        # would double the elemental amount of a hexahydrate label.
        Compound(
            "magnesium chloride",
            "magnesium",
            "MgCl2·6H2O",
            _atoms(({"Mg": 1, "Cl": 2}, 1), (_WATER, 6)),
        ),
        # Magnesium lactate, anhydrous, Mg(C3H5O3)2, 202.4 g/mol -> 0.120
        Compound(
            "magnesium lactate",
            "magnesium",
            "Mg(C3H5O3)2",
            _atoms(({"Mg": 1}, 1), (_LACTATE, 2)),
        ),
        # CaCO3, 100.09 g/mol -> 0.400
        Compound("calcium carbonate", "calcium", "CaCO3", {"Ca": 1, "C": 1, "O": 3}),
        # Tricalcium dicitrate tetrahydrate, Ca3(C6H5O7)2·4H2O, 570.5 g/mol -> 0.211 (the
        # form in supplements; USP "calcium citrate" is the tetrahydrate)
        Compound(
            "calcium citrate",
            "calcium",
            "Ca3(C6H5O7)2·4H2O",
            _atoms(({"Ca": 1}, 3), (_CITRATE, 2), (_WATER, 4)),
        ),
    )
}
ELEMENTAL_FRACTION: dict[str, tuple[str, float]] = {
    name: (c.nutrient, c.fraction) for name, c in COMPOUNDS.items()
}
MAX_COMPOUND_MG: Final = 100_000.0


def elemental_amount(compound: str, compound_mg: float) -> float:
    """Elemental mg in ``compound_mg`` mg of a compound ("magnesium oxide", 500 -> 301.5)."""
    if compound not in ELEMENTAL_FRACTION:
        raise ValidationError("compound", "must be one of " + ", ".join(ELEMENTAL_FRACTION))
    mg = _number(compound_mg, "compound_mg", 0, MAX_COMPOUND_MG)
    return mg * ELEMENTAL_FRACTION[compound][1]


# --- medicines that raise potassium (GUIDE 2.6) --------------------------------------------

# Fragments of medicine names, matched case- and accent-insensitively anywhere in the name,
# and endings of generic names (POTASSIUM_RAISING_ENDINGS), matched only where a word ends.
# GUIDE 2.6 (from the IOM 2005 text and NASEM 2019's table note): potassium AIs do not apply to
# people taking medicines that raise potassium, e.g. ACE inhibitors, potassium-sparing
# diuretics, NSAIDs / COX-2 inhibitors. ARBs, the renin inhibitor and finerenone act on the same
# system as ACE inhibitors and spironolactone. Aspirin is left out: low-dose aspirin is common
# and not what the sources mean by NSAIDs here.
POTASSIUM_RAISING: tuple[str, ...] = (
    # ACE inhibitors (generic names: POTASSIUM_RAISING_ENDINGS)
    "zestril",
    "prinivil",
    "vasotec",
    "altace",
    "tritace",
    "coversyl",
    "lotensin",
    # Angiotensin receptor blockers (generic names: POTASSIUM_RAISING_ENDINGS)
    "cozaar",
    "diovan",
    "atacand",
    "micardis",
    "benicar",
    "entresto",
    # Renin inhibitor
    "aliskiren",
    # Potassium-sparing diuretics and mineralocorticoid receptor antagonists
    "spironolactone",
    "aldactone",
    "eplerenone",
    "inspra",
    "finerenone",
    "amiloride",
    "midamor",
    "moduretic",
    "triamterene",
    "dyazide",
    "maxzide",
    # NSAIDs and COX-2 inhibitors
    "ibuprofen",
    "advil",
    "motrin",
    "nurofen",
    "naproxen",
    "aleve",
    "naprosyn",
    "diclofenac",
    "voltaren",
    "coxib",  # celecoxib, etoricoxib, parecoxib
    "celebrex",
    "arcoxia",
    "meloxicam",
    "mobic",
    "indomethacin",
    "indometacin",
    "ketoprofen",
    "ketorolac",
    "piroxicam",
    "etodolac",
    "nabumetone",
    "aceclofenac",
    "mefenamic",
)
# Endings of generic names, matched only at the end of a word with 2+ letters before them:
# ACE inhibitors -pril (lisinopril, ramipril, enalapril, perindopril...) and angiotensin
# receptor blockers -sartan (losartan, valsartan, candesartan, irbesartan...). Anywhere in the
# name, "pril" would also take Prilosec (omeprazole) and prilocaine (a local anaesthetic, as in
# "EMLA (lidocaine/prilocaine)") for ACE inhibitors.
POTASSIUM_RAISING_ENDINGS: tuple[str, ...] = ("pril", "sartan")
_LETTER: Final = r"[^\W\d_]"
_POTASSIUM_ENDING_RE: Final = re.compile(
    "|".join(rf"{_LETTER}{{2}}{re.escape(end)}(?!{_LETTER})" for end in POTASSIUM_RAISING_ENDINGS)
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def raises_potassium(medicine_name: str) -> bool:
    """True when the name contains one of POTASSIUM_RAISING, or has a word ending in one of
    POTASSIUM_RAISING_ENDINGS ("Lisinopril 10 mg", "valsartan/HCT"; not "Prilosec")."""
    name = _fold(medicine_name)
    if any(fragment in name for fragment in POTASSIUM_RAISING):
        return True
    return _POTASSIUM_ENDING_RE.search(name) is not None


def potassium_raising_medicines(medications: Iterable[Medication], day: date) -> tuple[str, ...]:
    """Names of the medicines active on ``day`` that can raise potassium."""
    return tuple(m.name for m in medications if m.active_on(day) and raises_potassium(m.name))


# --- the day's totals ----------------------------------------------------------------------

DRINK_KINDS: Final[tuple[str, ...]] = (
    "water",
    "tea",
    "coffee",
    "milk",
    "juice",
    "alcohol",
    "other",
)
# Drinks whose nutrients count too, and the USDA food that stands for each: 01077 "Milk, whole,
# 3.25% milkfat, with added vitamin D" and 09206 "Orange juice, raw".
DRINK_FOODS: Final[dict[str, str]] = {"milk": "usda:01077", "juice": "usda:09206"}
# Density when the drink's food has no volume portion (whole milk ~1.03 g/ml, orange juice
# ~1.04 g/ml); both USDA foods above do have a cup portion, which is used first.
DRINK_DENSITY: Final[dict[str, float]] = {"milk": 1.03, "juice": 1.04}


@dataclass(frozen=True)
class NutrientTotal:
    """One nutrient on one day (or a weekly average): food, supplements, total and reference."""

    nutrient: str
    food: float  # known part from food (for water: water in food)
    supplements: float  # for water: drinks (ml)
    total: float
    unit: str
    foods_without_data: int  # entries whose food has no value for this nutrient
    reference: Reference | None  # None when not applicable or the profile is unknown
    reference_note: str | None  # why there is no reference, in plain words (GUIDE 2.6)
    warnings: tuple[str, ...]  # UL warnings naming the limit and its source
    # Added beyond the shared contract: the row whose upper limit the warnings use (the lowest
    # limit that could apply while the profile has no birth year or sex), and the note the
    # warnings then add, so that the weekly average warns at the same limit as the days.
    upper_limit_reference: Reference | None = None
    upper_limit_note: str = ""

    @property
    def percent_of_reference(self) -> float | None:
        if self.reference is None or self.reference.value <= 0:
            return None
        return self.total / self.reference.value * 100


@dataclass(frozen=True)
class DailyIntake:
    """Everything eaten, taken and drunk on one day, against the profile's references."""

    day: date
    food_entries: int
    drinks_ml: float
    totals: Mapping[str, NutrientTotal]  # every key of NUTRIENTS
    # Added beyond the shared contract:
    drink_entries: int = 0
    supplement_entries: int = 0
    kidney_disease: bool = False  # the profile says so: supplements need a clinician's word


@dataclass(frozen=True)
class WeeklyAverage:
    """Daily averages over a run of days (the shared contract names it; the fields are ours).

    Nutrients are averaged over the days with at least one food entry (``food_days``),
    supplements included on those days only. Water from drinks and ``drinks_ml`` are averaged
    over the days with at least one drink (``drink_days``); water from food over the food
    days; the water total is the sum of the two averages. With no counted day the averages are
    0: check ``food_days`` / ``drink_days`` before showing them.
    """

    first_day: date | None
    last_day: date | None
    days: int  # days given
    food_days: int
    drink_days: int
    drinks_ml: float
    totals: Mapping[str, NutrientTotal]  # every key of NUTRIENTS; reference from the last day
    days_above_upper_limit: Mapping[str, int]  # days with a UL warning (any day), per nutrient


_POTASSIUM_WHY: Final = "Follow your clinician's advice on potassium (NASEM 2019; IOM 2005)."


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == round(value) else f"{value:,.1f}"


def upper_limit_warnings(
    nutrient: str,
    supplements: float,
    total: float,
    ref: Reference | None,
    *,
    average: bool = False,
    fallback_note: str = "",
) -> tuple[str, ...]:
    """A warning when the amount the UL applies to is strictly above it (at the limit: none).

    Magnesium's UL counts supplements only; calcium's and vitamin D's count the total.
    Vitamin D is compared in IU where the reference gives the limit in IU: dri.csv rounds the
    µg figure of the young children's limits (2,500 IU is 62.5 µg, written 63 µg).
    """
    if ref is None or ref.upper_limit is None:
        return ()
    amount = supplements if ref.upper_limit_scope == "supplements" else total
    limit_value = ref.upper_limit
    if ref.upper_limit_iu is not None:
        amount, limit_value = amount * IU_PER_UG, ref.upper_limit_iu
    # Sums of floats can land a hair above a limit the entries only reach (2,500.0000000001).
    if amount <= limit_value * (1 + 1e-9):
        return ()
    what = "from supplements" if ref.upper_limit_scope == "supplements" else "from all sources"
    unit = UNIT_TEXT[UNIT[nutrient]]
    limit = f"{_fmt(ref.upper_limit)} {unit}"
    if ref.upper_limit_iu is not None:
        limit = f"{_fmt(ref.upper_limit_iu / IU_PER_UG)} {unit} ({_fmt(ref.upper_limit_iu)} IU)"
    scope = " for supplements" if ref.upper_limit_scope == "supplements" else ""
    cite = ref.upper_limit_source or ""
    if fallback_note:
        cite = f"{cite}; {fallback_note}" if cite else fallback_note
    lead = LABEL[nutrient]
    if average:
        lead = "On average, " + (lead if nutrient == "vitamin_d" else lead.lower())
    text = f"{lead} {what} is above the tolerable upper intake level of {limit} a day{scope}"
    return (f"{text} ({cite})." if cite else f"{text}.",)


@dataclass
class _Sums:
    food: dict[str, float] = field(default_factory=lambda: dict.fromkeys(NUTRIENTS, 0.0))
    missing: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NUTRIENTS, 0))

    def add(self, values: Mapping[str, float | None], *, count_water: bool = True) -> None:
        for n in NUTRIENTS:
            if n == "water" and not count_water:
                continue
            v = values[n]
            if v is None:
                self.missing[n] += 1
            else:
                self.food[n] += v


@dataclass(frozen=True)
class _DayReferences:
    refs: dict[str, Reference | None]
    notes: dict[str, str | None]
    ul_refs: dict[str, Reference | None]  # the row whose UL the warnings use
    ul_note: str  # set when the UL comes from the lowest-limit fallback


def _profile_references(
    day: date, profile: Profile, medications: Sequence[Medication], dri: DriTable
) -> _DayReferences:
    """References, notes and UL rows per nutrient for the profile on ``day``.

    With no birth year (or no sex from 9 years) there is no reference, but the upper limits
    still warn, at the lowest limit that could apply (see DriTable.lowest_upper_limit).
    """
    refs: dict[str, Reference | None] = dict.fromkeys(NUTRIENTS)
    notes: dict[str, str | None] = dict.fromkeys(NUTRIENTS)
    ul_refs: dict[str, Reference | None] = dict.fromkeys(NUTRIENTS)
    age = age_on(profile.birth_year, day)
    if age is not None and not 0 <= age <= MAX_AGE:
        note = "The day is before the birth year in the profile, so no reference is shown."
        return _DayReferences(refs, dict.fromkeys(NUTRIENTS, note), ul_refs, "")
    ul_note = ""
    for n in NUTRIENTS:
        refs[n] = ul_refs[n] = dri.reference(
            n, age=age, sex=profile.sex, pregnancy=profile.pregnancy
        )
        if refs[n] is None:
            if age is None:
                notes[n] = "Set your birth year and sex in the profile to see reference values."
                ul_note = "the lowest limit from 9 years of age, as the profile has no birth year"
            else:
                notes[n] = "Set your sex in the profile to see reference values."
            ul_refs[n] = dri.lowest_upper_limit(n, age=age)
    conditions = set(profile.conditions)
    raising = potassium_raising_medicines(medications, day)
    if "kidney_disease" in conditions:
        refs["potassium"] = None
        notes["potassium"] = (
            "No potassium reference value is shown: the reference intakes do not apply to "
            f"people with kidney disease. {_POTASSIUM_WHY}"
        )
    elif raising:
        refs["potassium"] = None
        notes["potassium"] = (
            "No potassium reference value is shown: the reference intakes do not apply to "
            f"people taking a medicine that can raise potassium ({', '.join(raising)}). "
            f"{_POTASSIUM_WHY}"
        )
    if "fluid_restriction" in conditions:
        refs["water"] = None
        notes["water"] = (
            "No fluid reference value is shown because the profile says you were told to "
            "limit fluids. Follow the amount your clinician gave you."
        )
    return _DayReferences(refs, notes, ul_refs, ul_note)


def daily_intake(
    day: date,
    *,
    foods: Sequence[tuple[Food, float]],
    supplements: Sequence[tuple[str, float]],
    drinks: Sequence[tuple[str, float, Food | None]],
    profile: Profile,
    medications: Sequence[Medication],
    dri: DriTable,
) -> DailyIntake:
    """The day's totals per nutrient against the profile's references.

    ``foods``: (food, grams) eaten. ``supplements``: (nutrient, amount in UNIT[nutrient]).
    ``drinks``: (kind, ml, food or None). Every drink's ml counts as water from drinks, whatever
    the kind. Milk and juice with a food also add that food's nutrients (into "food") for
    ml x the food's density (DRINK_DENSITY when the food has none); the water in them is
    already counted as drinks, so their food water is not added again.
    """
    sums = _Sums()
    for food, grams in foods:
        sums.add(nutrients_for(food, _number(grams, "grams", 0, MAX_GRAMS)))
    supp = dict.fromkeys(NUTRIENTS, 0.0)
    for nutrient, amount in supplements:
        if nutrient not in SUPPLEMENT_NUTRIENTS:
            raise ValidationError(
                "supplements", "nutrient must be one of " + ", ".join(SUPPLEMENT_NUTRIENTS)
            )
        supp[nutrient] += _number(amount, "supplements", 0, MAX_SUPPLEMENT)
    drinks_ml = 0.0
    for kind, ml, drink_food in drinks:
        if kind not in DRINK_KINDS:
            raise ValidationError("kind", "must be one of " + ", ".join(DRINK_KINDS))
        volume = _number(ml, "ml", 0, MAX_DRINK_ML)
        drinks_ml += volume
        if drink_food is not None:
            density = drink_food.density_g_per_ml or DRINK_DENSITY.get(kind, 1.0)
            sums.add(_scaled(drink_food, volume * density), count_water=False)
    supp["water"] = drinks_ml

    ctx = _profile_references(day, profile, medications, dri)
    totals: dict[str, NutrientTotal] = {}
    for n in NUTRIENTS:
        food_part = sums.food[n]
        total = food_part + supp[n]
        ul_note = ctx.ul_note if ctx.refs[n] is None else ""
        totals[n] = NutrientTotal(
            nutrient=n,
            food=food_part,
            supplements=supp[n],
            total=total,
            unit=UNIT[n],
            foods_without_data=sums.missing[n],
            reference=ctx.refs[n],
            reference_note=ctx.notes[n],
            warnings=upper_limit_warnings(n, supp[n], total, ctx.ul_refs[n], fallback_note=ul_note),
            upper_limit_reference=ctx.ul_refs[n],
            upper_limit_note=ul_note,
        )
    return DailyIntake(
        day=day,
        food_entries=len(foods),
        drinks_ml=drinks_ml,
        totals=totals,
        drink_entries=len(drinks),
        supplement_entries=len(supplements),
        kidney_disease="kidney_disease" in profile.conditions,
    )


def _has_drinks(day: DailyIntake) -> bool:
    return day.drink_entries > 0 or day.drinks_ml > 0


def weekly_average(days: Sequence[DailyIntake]) -> WeeklyAverage:
    """Daily averages over ``days`` (see WeeklyAverage for which days count for what)."""
    ordered = sorted(days, key=lambda d: d.day)
    food_days = [d for d in ordered if d.food_entries > 0]
    drink_days = [d for d in ordered if _has_drinks(d)]
    nf, nd = len(food_days), len(drink_days)

    def mean(values: Iterable[float], count: int) -> float:
        return sum(values) / count if count else 0.0

    totals: dict[str, NutrientTotal] = {}
    above: dict[str, int] = {}
    for n in NUTRIENTS:
        if n == "water":
            food_part = mean((d.totals[n].food for d in food_days), nf)
            supp_part = mean((d.totals[n].supplements for d in drink_days), nd)
            counted = [d for d in ordered if d.food_entries > 0 or _has_drinks(d)]
        else:
            food_part = mean((d.totals[n].food for d in food_days), nf)
            supp_part = mean((d.totals[n].supplements for d in food_days), nf)
            counted = food_days
        pool = counted or ordered
        last_total = pool[-1].totals[n] if pool else None
        ref = last_total.reference if last_total else None
        note = last_total.reference_note if last_total else "No days logged."
        total = food_part + supp_part
        # Every day above a limit counts, food logged or not (supplements alone can do it).
        above[n] = sum(1 for d in ordered if d.totals[n].warnings)
        warnings: tuple[str, ...] = ()
        if counted and last_total is not None:
            # The days' limit: with no birth year that is the lowest that could apply.
            warnings = upper_limit_warnings(
                n,
                supp_part,
                total,
                last_total.upper_limit_reference,
                average=True,
                fallback_note=last_total.upper_limit_note,
            )
        totals[n] = NutrientTotal(
            nutrient=n,
            food=food_part,
            supplements=supp_part,
            total=total,
            unit=UNIT[n],
            foods_without_data=sum(d.totals[n].foods_without_data for d in food_days),
            reference=ref,
            reference_note=note,
            warnings=warnings,
            upper_limit_reference=last_total.upper_limit_reference if last_total else None,
            upper_limit_note=last_total.upper_limit_note if last_total else "",
        )
    return WeeklyAverage(
        first_day=ordered[0].day if ordered else None,
        last_day=ordered[-1].day if ordered else None,
        days=len(ordered),
        food_days=nf,
        drink_days=nd,
        drinks_ml=mean((d.drinks_ml for d in drink_days), nd),
        totals=totals,
        days_above_upper_limit=above,
    )
