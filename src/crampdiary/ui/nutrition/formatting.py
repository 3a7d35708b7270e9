"""UI layer: the words and numbers the Nutrition tab shows (no Qt; plain functions, easy to test).

Unknown values are "?", never 0 (an empty USDA cell is unknown). Comparisons with a reference
say "below/above the reference value" (GUIDE 2.6), never a judgement.
"""

from __future__ import annotations

import math
from datetime import date, time

from crampdiary.domain.errors import CrampDiaryError, ValidationError
from crampdiary.domain.nutrition import (
    IU_PER_UG,
    LABEL,
    UNIT,
    UNIT_TEXT,
    Food,
    Reference,
    parse_amount,
    volume_unit,
)
from crampdiary.domain.records import DRINK_KINDS, MEALS, SUPPLEMENT_NUTRIENTS, SUPPLEMENT_UNITS
from crampdiary.ui.diary import formatting as diary_fmt

ATTRIBUTION = (
    "Source: USDA, Agricultural Research Service, National Nutrient Database for Standard "
    "Reference, Release 28 (also in FoodData Central as SR Legacy)."
)
# GUIDE 2.6: caveats shown as text under the totals (not only in a tooltip).
CAVEAT = (
    "Reference intakes are targets for populations, not personal requirements: an intake "
    "below the reference value is not a diagnosis."
)
WELLNESS_CAVEAT = (
    "Tracking these nutrients is general wellness: none of them has been shown to help "
    "night-time leg cramps."
)
WATER_CAVEAT = "Water needs vary with activity and climate."
KIDNEY_CAVEAT = "With kidney disease, ask a clinician before taking any supplement."
PROFILE_PLACE = "Diary > Profile…"

# Default meal by the time of day (the first boundary the time is before).
MEAL_TIMES: tuple[tuple[time, str], ...] = (
    (time(10, 30), "breakfast"),
    (time(15, 0), "lunch"),
    (time(17, 0), "snack"),
    (time(21, 0), "dinner"),
)
GRAM_UNIT, OZ_UNIT, ML_UNIT = "g", "oz", "ml"


def number(value: float) -> str:
    """1,234 / 59 / 2.5 / 0.4: whole numbers from 10 up, one decimal below (no trailing .0)."""
    if abs(value) >= 10:
        return f"{round(value):,}"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def decimal(value: float) -> str:
    """One decimal without a trailing ".0": 301.5, 1,200."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def amount(value: float | None, unit: str) -> str:
    """ "764 mg", "2.5 µg", "? mg" for an unknown value (never 0)."""
    shown = UNIT_TEXT.get(unit, unit)
    return f"? {shown}" if value is None else f"{number(value)} {shown}"


def vitamin_d_amount(ug: float | None) -> str:
    """ "15 µg (600 IU)": totals carry µg; labels often print IU (40 IU = 1 µg)."""
    if ug is None:
        return "? µg"
    return f"{number(ug)} µg ({number(ug * IU_PER_UG)} IU)"


def nutrient_amount(nutrient: str, value: float | None) -> str:
    if nutrient == "vitamin_d":
        return vitamin_d_amount(value)
    return amount(value, UNIT[nutrient])


def grams(value: float) -> str:
    """ "129 g", "28.4 g"."""
    text = f"{value:,.1f}"
    return (text[:-2] if text.endswith(".0") else text) + " g"


def portion_text(description: str) -> str:
    """A USDA portion as people write it: ".5 cup" -> "0.5 cup"."""
    return "0" + description if description.startswith(".") else description


def default_portion(food: Food) -> tuple[str, float]:
    """The food's first household portion, else 100 g: (text, grams)."""
    if food.portions:
        first = food.portions[0]
        return portion_text(first.description), first.grams
    return "100 g", 100.0


def per_portion_text(food: Food) -> str:
    """ "1 cup: 764 mg Mg, 59 mg Ca" for the default portion; unknown values as "? mg"."""
    text, weight = default_portion(food)
    values = [food.per_100g[n] for n in ("magnesium", "calcium")]
    mg, ca = (None if v is None else v * weight / 100 for v in values)
    return f"{text}: {amount(mg, 'mg')} Mg, {amount(ca, 'mg')} Ca"


def hit_text(food: Food) -> str:
    """A search result: "Seeds, pumpkin …, dried — 1 cup: 764 mg Mg, 59 mg Ca"."""
    return f"{food.name} — {per_portion_text(food)}"


def portion_count_text(count: float, description: str) -> str:
    """A number of portions in words: 2 x ".5 cup, chopped" is "1 cup, chopped", 1.5 x "1 cup"
    is "1.5 cup", 2 x "1 container (6 oz)" stays "2 × 1 container (6 oz)"."""
    parsed = parse_amount(description)
    # "1 oz (85 seeds)" twice is not "2 oz (85 seeds)": a count in brackets keeps the "×".
    if parsed is not None and parsed[1] and (count == 1 or "(" not in parsed[1]):
        each, measure = parsed
        weighed = measure.split()[0].strip(",").lower() in ("oz", "lb", "g")
        if count == 1 or each != 1 or weighed or volume_unit(measure) is not None:
            total = count * each
            if total > 1 and measure.startswith("cup") and not measure.startswith("cups"):
                measure = "cups" + measure[3:]
            return f"{number(total)} {measure}"
    text = portion_text(description)
    return text if count == 1 else f"{number(count)} × {text}"


def entry_amount(food: Food, weight: float) -> str:
    """An entry's amount as a portion when it is a whole or quarter number of one, else grams."""
    for p in food.portions:
        if p.grams <= 0:
            continue
        count = weight / p.grams
        quarters = round(count * 4)
        if quarters > 0 and abs(count * 4 - quarters) < 1e-6 and count <= 100:
            return f"{portion_count_text(quarters / 4, p.description)} ({grams(weight)})"
    return grams(weight)


def default_meal(at: time) -> str:
    """Breakfast before 10:30, lunch before 15:00, a snack in the afternoon, dinner before
    21:00, a snack after that."""
    for boundary, meal in MEAL_TIMES:
        if at < boundary:
            return meal
    return "snack"


def meal_label(meal: str) -> str:
    return MEALS.get(meal, meal.capitalize())


def drink_label(kind: str) -> str:
    return DRINK_KINDS.get(kind, kind.capitalize())


def nutrient_label(nutrient: str) -> str:
    return LABEL.get(nutrient, SUPPLEMENT_NUTRIENTS.get(nutrient, nutrient))


def supplement_amount(value: float, unit: str) -> str:
    return f"{decimal(value)} {SUPPLEMENT_UNITS.get(unit, unit)}"


def reference_text(ref: Reference) -> str:
    """ "RDA 320 mg", "AI 2,600 mg", "RDA 15 µg (600 IU)"."""
    return f"{ref.kind} {nutrient_amount(ref.nutrient, ref.value)}"


def percent(total: float, ref: Reference) -> int | None:
    """The share of the reference in whole percent, halves rounded up (92.5 -> 93)."""
    if ref.value <= 0 or total < 0:
        return None
    return math.floor(total / ref.value * 100 + 0.5)


def comparison(total: float, ref: Reference) -> str:
    """ "below the reference value" / "at" / "above" (never a judgement)."""
    if total < ref.value:
        return "below the reference value"
    if total > ref.value:
        return "above the reference value"
    return "at the reference value"


def profile_note(note: str) -> str:
    """The domain's "set ... in the profile" note pointing at the menu that has it."""
    return note.replace("in the profile", f"in {PROFILE_PLACE}")


def day_title(day: date, today: date) -> str:
    """ "Today, Wednesday 25 November", "Yesterday, …", or the date with the year when not
    this year."""
    text = diary_fmt.long_date(day, year=day.year != today.year)
    if day == today:
        return f"Today, {text}"
    if (today - day).days == 1:
        return f"Yesterday, {text}"
    return text


def foods_count(count: int) -> str:
    return "1 food" if count == 1 else f"{count} foods"


def days_count(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


FIELD_LABELS = {
    "amount": "Amount",
    "grams": "Amount",
    "unit": "Unit",
    "meal": "Meal",
    "ml": "Amount",
    "kind": "Kind of drink",
    "date": "Date",
    "food": "Food",
    "name": "Name",
    "product": "Supplement",
}


def problem(exc: CrampDiaryError) -> str:
    """An error as a sentence for the place the user acted: "Amount: must be more than 0"."""
    if isinstance(exc, ValidationError):
        label = FIELD_LABELS.get(exc.field)
        if label is None:
            return exc.detail[:1].upper() + exc.detail[1:]
        return f"{label}: {exc.detail}"
    return str(exc)
