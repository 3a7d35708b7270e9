"""Services layer: a realistic synthetic diary for trying the app, deterministic for a seed.

The diary ends with last night, as if it had been kept every morning: mostly calf cramps in the
small hours, more after long-standing days and at weekends, good and bad spells of a few weeks,
gaps where nothing was logged (about one night in ten), "no cramps" nights, day context with
seasonal sunlight, and medicines with start and stop dates (a statin started part-way through
makes cramps a little more frequent, which the medicine-timing view should show).

It also eats and drinks: three meals and snacks a day from common USDA foods in household
portions (about 250-400 mg of magnesium a day), a home-made custom food, some days with no food
logged, drinks that match the day's caffeine and alcohol, a magnesium supplement taken while the
magnesium medicine is active and vitamin D (in IU) every day. The diet comes from a second
random stream, so a seed gives the same cramps as before the diet was added.

It keeps the bedtime routine for the last few months (up to 120 nights): the GUIDE's default
items, with the warm bath taken up on three evenings a week part-way through, ticked on most
nights (adherence about 75-80 %), items skipped now and then with a reason, a few ill nights
with everything skipped, some lapses with nothing ticked, trips where everything was skipped as
travelling, and the last nights all done. The routine has a third random stream, so a seed
gives the same cramps and diet as before it was added; the cramps are not made to depend on it.

It is written through the importer (one transaction), so it meets every rule real data meets.
"""

from __future__ import annotations

import logging
import math
import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from crampdiary.domain import records as rec
from crampdiary.domain import routine
from crampdiary.domain.errors import CrampDiaryError, ValidationError
from crampdiary.domain.nights import last_night
from crampdiary.domain.routine import RoutineHistory
from crampdiary.services.diary import DiaryService
from crampdiary.services.transfer import (
    DiaryContents,
    ImportResult,
    build_document,
    import_document,
    in_export_order,
)

if TYPE_CHECKING:
    from crampdiary.storage.foods import FoodIndex

logger = logging.getLogger(__name__)

MAX_DAYS = 36500
UNLOGGED_SHARE = 0.10
GAP_LENGTHS = (1, 1, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 14)
# Muscles and sides, weighted as the GUIDE describes the typical picture (calf and foot first).
MUSCLE_WEIGHTS = {
    "calf": 70,
    "foot": 12,
    "toes": 6,
    "thigh_back": 5,
    "shin": 3,
    "thigh_front": 3,
    "other": 1,
}
SIDE_WEIGHTS = {"right": 45, "left": 35, "both": 20}
RELIEF_CHANCES = {
    "stretched": 0.65,
    "walked": 0.35,
    "flexed_foot": 0.30,
    "massaged": 0.25,
    "heat": 0.04,
    "other": 0.02,
}
EPISODE_NOTES = (
    "Woke my partner",
    "Pointed my toes in my sleep",
    "Came back twice",
    "Calf still tight at breakfast",
    "After a long shift",
    "Cramp in the arch — hard to walk it off",
    "Had to stand on the cold floor",
)
NIGHT_NOTES = (
    "Hot night, slept badly",
    "Stretched calves before bed",
    "Late dinner",
    "Restless, but no cramp",
)


@dataclass(frozen=True)
class _Plan:
    """The slow-changing parts of the demo: dates, gaps, spells and medicine dates."""

    first: date
    last: date
    unlogged: frozenset[int]
    spell: tuple[float, ...]
    statin_from: date


def _has_nutrition_records(diary: DiaryService) -> bool:
    from sqlmodel import select

    from crampdiary.storage import tables as t

    with diary.session() as s:
        return any(
            s.exec(select(table.id).limit(1)).first() is not None
            for table in (
                t.FoodEntry,
                t.CustomFood,
                t.FavouriteFood,
                t.SupplementProduct,
                t.SupplementIntake,
                t.Drink,
            )
        )


def _has_routine_records(diary: DiaryService) -> bool:
    from crampdiary.storage import queries

    return diary.read(queries.has_routine_records)


def generate_demo(
    diary: DiaryService,
    *,
    days: int,
    seed: int,
    now: datetime,
    foods: FoodIndex | None = None,
) -> ImportResult:
    """Fill an empty diary with ``days`` nights of synthetic data ending last night.

    A diary that holds records already is refused, so made-up cramps never mix with real ones.
    ``foods`` (the food table the entries are checked against) is loaded when not given.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError("days", f"must be a whole number from 1 to {MAX_DAYS} (got {days})")
    if diary.has_records() or _has_nutrition_records(diary) or _has_routine_records(diary):
        raise CrampDiaryError(
            "This diary already has entries; demo data only goes into an empty diary, so that "
            "made-up cramps never mix with real ones. Use a new --data-dir for the demo."
        )
    result = import_document(
        diary, demo_document(days=days, seed=seed, now=now), now=now, foods=foods
    )
    diary.mark_onboarding(disclaimer=True, profile=True, today=now.date())
    logger.info("demo diary of %d nights generated", days)
    return result


def demo_document(*, days: int, seed: int, now: datetime) -> dict[str, Any]:
    """The demo diary as an export document, the same for the same seed and now."""
    diet = random.Random(f"crampdiary-diet-{seed}")
    habits = random.Random(f"crampdiary-routine-{seed}")
    builder = _Builder(random.Random(seed), days, now, diet, habits)
    return build_document(builder.build(), now=now)


def _clamp(value: float, lo: int, hi: int) -> int:
    return max(lo, min(hi, round(value)))


def _eu_summer_time(day: date) -> bool:
    """Whether a date falls in European summer time (last Sunday of March to that of October)."""

    def last_sunday(month: int) -> date:
        end = date(day.year, month, 31)
        return end - timedelta(days=(end.weekday() + 1) % 7)

    return last_sunday(3) <= day < last_sunday(10)


class _Builder:
    """Draws every value from one Random, in a fixed order, so a seed gives one diary."""

    def __init__(
        self,
        rng: random.Random,
        days: int,
        now: datetime,
        diet: random.Random | None = None,
        habits: random.Random | None = None,
    ) -> None:
        self.rng = rng
        self.diet = diet or random.Random(0)
        self.habits = habits or random.Random(1)
        self.days = days
        self.now = now.replace(tzinfo=None)
        self.episodes: list[rec.Episode] = []
        self.nights: list[rec.Night] = []
        self.day_records: list[rec.Day] = []

    def new_id(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    # --- the slow parts ------------------------------------------------------------------------

    def plan(self) -> _Plan:
        last = last_night(self.now)
        first = last - timedelta(days=self.days - 1)
        return _Plan(
            first=first,
            last=last,
            unlogged=self.gaps(),
            spell=self.spells(),
            statin_from=(
                first + timedelta(days=int(self.days * 0.45))
                if self.days >= 120
                else first - timedelta(days=self.rng.randint(60, 400))
            ),
        )

    def gaps(self) -> frozenset[int]:
        """Night indexes left unlogged: about 10%, as single nights and gaps up to two weeks."""
        budget = round(self.days * UNLOGGED_SHARE)
        # Keep the first night and the last week logged: the diary opens as one kept every day.
        protect = 7 if self.days > 60 else 1
        hi = self.days - 1 - protect
        unlogged: set[int] = set()
        attempts = 0
        while budget > 0 and attempts < 10_000:
            attempts += 1
            length = min(budget, self.rng.choice(GAP_LENGTHS))
            if hi - length < 1:
                continue
            start = self.rng.randint(1, hi - length)
            span = range(start, start + length)
            if any(i in unlogged for i in range(start - 1, start + length + 1)):
                continue
            unlogged.update(span)
            budget -= length
        return frozenset(unlogged)

    def spells(self) -> tuple[float, ...]:
        """A multiplier per night: good and bad spells of two to six weeks."""
        levels = (0.35, 0.6, 0.85, 1.0, 1.0, 1.3, 1.7, 2.2)
        out: list[float] = []
        while len(out) < self.days:
            out.extend([self.rng.choice(levels)] * self.rng.randint(14, 42))
        return tuple(out[: self.days])

    # --- one day and its night -----------------------------------------------------------------

    def day_context(self, day: date, summer: float) -> rec.Day:
        rng = self.rng
        weekday = day.weekday()
        weekend = weekday >= 5
        work = weekday in (1, 2, 4) and rng.random() < 0.9
        if work:
            activity = rng.randint(20, 60)
        elif weekend:
            activity = rng.randint(40, 180)
        else:
            activity = rng.randint(5, 60)
        sun = (15 + 90 * summer) * (1.5 if weekend else 1.0) * rng.uniform(0.5, 1.4)
        if weekday in (4, 5):
            alcohol = rng.choice((0.0, 0.0, 1.0, 2.0, 2.0, 3.0, 4.5))
        else:
            alcohol = rng.choice((0.0,) * 8 + (1.0, 2.0))
        tags: list[str] = []
        if work:
            tags.append("long_standing")
        if summer > 0.8 and rng.random() < 0.3:
            tags.append("hot_weather")
        if rng.random() < 0.04:
            tags.append("long_sitting")
        if rng.random() < 0.004:
            tags.append("new_shoes")
        if weekend and summer > 0.4 and rng.random() < 0.3:
            tags.append("gardening")
        if weekend and rng.random() < 0.2:
            tags.append("long_walk")
        symptoms: tuple[str, ...] = ()
        roll = rng.random()
        if roll < 0.0005:
            symptoms = ("one_leg_swelling_redness_warmth",)
        elif roll < 0.005:
            symptoms = (
                rng.choice(
                    ("numbness_tingling", "numbness_tingling", "daytime_cramps", "weakness")
                ),
            )
        return rec.Day(
            date=day,
            activity_min=activity,
            sunlight_min=_clamp(sun / 5, 0, 288) * 5,
            alcohol_units=alcohol,
            caffeine_drinks=rng.randint(1, 4) + (1 if work else 0),
            tags=tuple(tags),
            symptoms=symptoms,
            id=self.new_id(),
        )

    def cramp_rate(self, plan: _Plan, index: int, context: rec.Day, summer: float) -> float:
        rate = 0.4 * plan.spell[index] * (1 + 0.2 * summer)
        if "long_standing" in context.tags:
            rate *= 1.7
        if context.date.weekday() >= 5:
            rate *= 1.3
        if (context.alcohol_units or 0) >= 3:
            rate *= 1.15
        if context.date >= plan.statin_from:
            rate *= 1.35
        return rate

    def poisson(self, rate: float) -> int:
        limit, k, p = math.exp(-rate), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def start_minutes(self) -> float:
        """Minutes after noon on the night's date: most cramps between 01:00 and 05:00."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.72:
            return rng.triangular(13 * 60, 17 * 60, 15 * 60)
        if roll < 0.87:
            return rng.uniform(10.5 * 60, 13 * 60)
        if roll < 0.97:
            return rng.uniform(17 * 60, 19.75 * 60)
        return rng.uniform(7 * 60, 10.5 * 60)

    def episode(self, started_at: datetime) -> rec.Episode:
        rng = self.rng
        if rng.random() < 0.012:
            duration = rng.randint(600, 1800)
        else:
            duration = _clamp(math.exp(rng.gauss(math.log(80), 0.85)) / 5, 2, 720) * 5
        severity = _clamp(rng.gauss(5.2 + 0.6 * math.log(duration / 80), 1.5), 1, 10)
        relief = tuple(r for r, chance in RELIEF_CHANCES.items() if rng.random() < chance)
        helped: bool | None = None
        if relief:
            roll = rng.random()
            helped = True if roll < 0.72 else False if roll < 0.87 else None
        soreness = _clamp(rng.gauss(severity - 3, 1.5), 0, 10) if rng.random() < 0.55 else None
        in_bed = time(23, 30) <= started_at.time() or started_at.time() <= time(6, 30)
        return rec.Episode(
            started_at=started_at,
            duration_s=duration,
            muscle=rng.choices(list(MUSCLE_WEIGHTS), list(MUSCLE_WEIGHTS.values()))[0],
            side=rng.choices(list(SIDE_WEIGHTS), list(SIDE_WEIGHTS.values()))[0],
            severity=severity,
            woke_from_sleep=rng.random() < (0.88 if in_bed else 0.3),
            relief=relief,
            relief_helped=helped,
            soreness_after=soreness,
            notes=rng.choice(EPISODE_NOTES) if rng.random() < 0.04 else "",
            utc_offset_min=60 if _eu_summer_time(started_at.date()) else 0,
            id=self.new_id(),
        )

    def night(self, day: date, count: int) -> None:
        """The night's cramps and its morning record (always kept on a night without cramps)."""
        rng = self.rng
        noon = datetime.combine(day, time(12, 0))
        starts = sorted(self.start_minutes() for _ in range(count))
        episodes: list[rec.Episode] = []
        previous = -math.inf
        for minutes in starts:
            minutes = max(minutes, previous + 8)  # a second cramp comes a little later
            previous = minutes
            started_at = noon + timedelta(minutes=int(minutes))
            episode = self.episode(started_at)
            if started_at <= self.now:
                episodes.append(episode)
        self.episodes.extend(episodes)
        worst = max((e.severity for e in episodes), default=0)
        if episodes and rng.random() >= 0.75:
            return
        sleep = _clamp((rng.gauss(7.1, 0.7) - 0.35 * len(episodes)) * 4, 12, 44) / 4
        if episodes:
            disturbance = _clamp(rng.gauss(1.2 * len(episodes) + 0.4 * worst, 1.2), 0, 10)
        else:
            disturbance = 0 if rng.random() < 0.9 else rng.randint(1, 2)
        self.nights.append(
            rec.Night(
                night_of=day,
                no_cramps=not episodes,
                sleep_hours=sleep,
                sleep_disturbance=disturbance,
                notes=rng.choice(NIGHT_NOTES) if rng.random() < 0.03 else "",
                id=self.new_id(),
            )
        )

    # --- the whole diary -----------------------------------------------------------------------

    def medications(self, plan: _Plan) -> list[rec.Medication]:
        rng = self.rng
        floor = rec.EARLIEST_DATE
        if self.days >= 90:
            magnesium_from = plan.first + timedelta(days=int(self.days * 0.2))
        else:
            magnesium_from = plan.first - timedelta(days=rng.randint(100, 200))
        magnesium_to = min(magnesium_from + timedelta(days=56), plan.last)
        return [
            rec.Medication(
                name="Bendroflumethiazide",
                dose="2.5 mg in the morning",
                started_on=max(floor, plan.first - timedelta(days=rng.randint(400, 900))),
                id=self.new_id(),
            ),
            rec.Medication(
                name="Atorvastatin",
                dose="20 mg at night",
                started_on=max(floor, plan.statin_from),
                id=self.new_id(),
            ),
            rec.Medication(
                name="Magnesium citrate",
                dose="300 mg",
                started_on=max(floor, magnesium_from),
                stopped_on=max(floor, magnesium_to),
                id=self.new_id(),
            ),
            rec.Medication(name="Vitamin D3", dose="1000 IU daily", id=self.new_id()),
        ]

    def build(self) -> DiaryContents:
        plan = self.plan()
        for index in range(self.days):
            day = plan.first + timedelta(days=index)
            # 0 in midwinter, 1 in midsummer (northern hemisphere).
            summer = 0.5 * (1 - math.cos(2 * math.pi * (day.timetuple().tm_yday - 10) / 365.25))
            context = self.day_context(day, summer)
            count = min(6, self.poisson(self.cramp_rate(plan, index, context, summer)))
            if index in plan.unlogged:
                continue
            if self.rng.random() < 0.92:
                self.day_records.append(context)
            self.night(day, count)
        medications = self.medications(plan)
        profile = rec.Profile(
            name="Alex Demo",
            birth_year=max(1900, self.now.year - 67),
            sex="female",
            pregnancy="none",
            conditions=("thyroid_disease",),
            units="metric",
        )
        magnesium = next(m for m in medications if m.name == "Magnesium citrate")
        diet = _DietBuilder(self.diet, plan, self.day_records, magnesium).build()
        items, checks = _RoutineBuilder(self.habits, plan).build()
        return in_export_order(
            replace(
                diet,
                routine_items=items,
                routine_checks=checks,
                profile=profile,
                episodes=self.episodes,
                nights=self.nights,
                days=self.day_records,
                medications=medications,
            )
        )


# --- the diet --------------------------------------------------------------------------------

# Foods by short name: (food key, grams of the household portion named in the comment, as in
# food_portions.csv). Amounts are that portion times a factor drawn for each meal.
DIET_FOODS: dict[str, tuple[str, float]] = {
    "oats": ("usda:08120", 27.0),  # Cereals, oats, regular and quick, dry: .333 cup
    "milk": ("usda:01077", 244.0),  # Milk, whole, 3.25%: 1 cup
    "banana": ("usda:09040", 101.0),  # Bananas, raw: 1 small
    "bread": ("usda:18075", 32.0),  # Bread, whole-wheat: 1 slice
    "butter": ("usda:01001", 5.0),  # Butter, salted: 1 pat
    "egg": ("usda:01132", 61.0),  # Egg, whole, cooked, scrambled: 1 large
    "yogurt": ("usda:01117", 170.0),  # Yogurt, plain, low fat: 1 container (6 oz)
    "apple": ("usda:09003", 182.0),  # Apples, raw, with skin: 1 medium
    "cheddar": ("usda:01009", 28.35),  # Cheese, cheddar: 1 oz
    "tomato": ("usda:11529", 62.0),  # Tomatoes, red, ripe, raw: 1 Italian tomato
    "peanut_butter": ("usda:16098", 32.0),  # Peanut butter, smooth: 2 tbsp
    "chicken": ("usda:05064", 140.0),  # Chicken breast, roasted: 1 cup, chopped or diced
    "spinach": ("usda:11457", 30.0),  # Spinach, raw: 1 cup
    "brown_rice": ("usda:20037", 202.0),  # Rice, brown, long-grain, cooked: 1 cup
    "white_rice": ("usda:20345", 158.0),  # Rice, white, long-grain, cooked: 1 cup
    "black_beans": ("usda:16015", 172.0),  # Beans, black, boiled: 1 cup
    "salmon": ("usda:15237", 178.0),  # Salmon, Atlantic, farmed, cooked: .5 fillet
    "potato": ("usda:11674", 173.0),  # Potatoes, baked, flesh and skin: 1 potato medium
    "broccoli": ("usda:11742", 78.0),  # Broccoli, boiled, with salt: .5 cup, chopped
    "carrots": ("usda:11124", 128.0),  # Carrots, raw: 1 cup chopped
    "pasta": ("usda:20321", 124.0),  # Pasta, cooked, with added salt: 1 cup spaghetti not packed
    "ham": ("usda:07029", 28.0),  # Ham, sliced, regular: 1 slice
    "feta": ("usda:01019", 28.35),  # Cheese, feta: 1 oz
    "almonds": ("usda:12061", 143.0),  # Nuts, almonds: 1 cup, whole
    "pumpkin_seeds": ("usda:12014", 28.35),  # Seeds, pumpkin, dried: 1 oz
    "dark_chocolate": ("usda:19904", 28.35),  # Chocolate, dark, 70-85%: 1 oz
    "orange": ("usda:09200", 131.0),  # Oranges, raw: 1 fruit
    "soup": (rec.custom_food_key("Lentil soup (home-made)"), 300.0),  # custom: 1 bowl
}
Meal = tuple[tuple[str, tuple[float, ...]], ...]
BREAKFASTS: tuple[Meal, ...] = (
    (("oats", (1.5, 2.0)), ("milk", (0.5, 0.75)), ("banana", (1.0,))),
    (("bread", (2.0,)), ("butter", (1.0, 2.0)), ("egg", (1.0, 2.0))),
    (("yogurt", (1.0,)), ("apple", (1.0,)), ("almonds", (0.1,))),
    (("bread", (1.0, 2.0)), ("peanut_butter", (0.5, 1.0)), ("banana", (1.0,))),
)
LUNCHES: tuple[Meal, ...] = (
    (("bread", (2.0,)), ("cheddar", (1.0,)), ("ham", (1.0, 2.0)), ("tomato", (1.0,))),
    (("soup", (1.0,)), ("bread", (1.0,)), ("apple", (1.0,))),
    (("brown_rice", (0.75, 1.0)), ("black_beans", (0.5,)), ("spinach", (1.0,)), ("feta", (1.0,))),
    (("bread", (2.0,)), ("chicken", (0.5,)), ("tomato", (1.0,))),
)
DINNERS: tuple[Meal, ...] = (
    (("salmon", (1.0,)), ("potato", (1.0,)), ("broccoli", (1.0, 2.0))),
    (("chicken", (1.0,)), ("white_rice", (1.0,)), ("carrots", (0.5,))),
    (("pasta", (1.5,)), ("tomato", (2.0,)), ("cheddar", (0.5,)), ("spinach", (1.0,))),
    (("potato", (1.0,)), ("black_beans", (0.5,)), ("broccoli", (1.0,)), ("cheddar", (1.0,))),
)
SNACKS: Meal = (
    ("banana", (1.0,)),
    ("orange", (1.0,)),
    ("almonds", (0.2,)),
    ("dark_chocolate", (0.5,)),
    ("pumpkin_seeds", (1.0,)),
    ("apple", (1.0,)),
    ("yogurt", (1.0,)),
)
UNLOGGED_FOOD_SHARE = 0.06  # days without food on top of the unlogged nights
DEMO_CUSTOM_FOOD = rec.CustomFood(
    name="Lentil soup (home-made)",
    magnesium_mg=24.0,
    calcium_mg=18.0,
    vitamin_d_ug=None,  # not known: the total says "at least"
    potassium_mg=220.0,
    sodium_mg=290.0,
    water_g=82.0,
    kcal=75.0,
    portions=(("1 bowl", 300.0), ("1 cup", 245.0)),
    density_g_per_ml=1.04,
)


class _DietBuilder:
    """Meals, drinks and supplements for the demo's days, from their own random stream."""

    def __init__(
        self,
        rng: random.Random,
        plan: _Plan,
        day_records: list[rec.Day],
        magnesium: rec.Medication,
    ) -> None:
        self.rng = rng
        self.plan = plan
        self.context = {d.date: d for d in day_records}
        self.magnesium = magnesium
        self.entries: list[rec.FoodEntry] = []
        self.drinks: list[rec.Drink] = []
        self.intakes: list[rec.SupplementIntake] = []

    def new_id(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    def meal(self, day: date, meal: str, items: Meal) -> None:
        for name, factors in items:
            key, grams = DIET_FOODS[name]
            self.entries.append(
                rec.FoodEntry(
                    date=day,
                    food=key,
                    grams=round(grams * self.rng.choice(factors), 1),
                    meal=meal,
                    id=self.new_id(),
                )
            )

    def drink(self, day: date, kind: str, ml: int, count: int = 1) -> None:
        for _ in range(count):
            self.drinks.append(rec.Drink(date=day, ml=ml, kind=kind, id=self.new_id()))

    def day(self, day: date, eaten: bool) -> None:
        rng = self.rng
        if eaten:
            if rng.random() < 0.95:
                self.meal(day, "breakfast", rng.choice(BREAKFASTS))
            if rng.random() < 0.9:
                self.meal(day, "lunch", rng.choice(LUNCHES))
            if rng.random() < 0.97:
                self.meal(day, "dinner", rng.choice(DINNERS))
            for _ in range(rng.choice((0, 1, 1, 2))):
                self.meal(day, "snack", (rng.choice(SNACKS),))
        if not eaten and rng.random() > 0.3:
            return
        context = self.context.get(day)
        caffeine = context.caffeine_drinks if context and context.caffeine_drinks else 2
        coffees = rng.randint(0, caffeine)
        self.drink(day, "coffee", 300, coffees)
        self.drink(day, "tea", 300, caffeine - coffees)
        self.drink(day, "water", 250, rng.randint(1, 4))
        if rng.random() < 0.4:
            self.drink(day, "water", 500)
        if rng.random() < 0.2:
            self.drink(day, "milk", 250)
        if rng.random() < 0.15:
            self.drink(day, "juice", 250)
        units = context.alcohol_units if context and context.alcohol_units else 0.0
        self.drink(day, "alcohol", 175, math.ceil(units / 2))

    def supplements(
        self, day: date, vitamin_d: rec.SupplementProduct, magnesium: rec.SupplementProduct
    ) -> None:
        rng = self.rng
        for product, active in (
            (vitamin_d, True),
            (magnesium, self.magnesium.active_on(day)),
        ):
            if active and rng.random() < 0.9:
                self.intakes.append(
                    rec.SupplementIntake(
                        date=day,
                        nutrient=product.nutrient,
                        amount=product.dose_amount,
                        unit=product.unit,
                        product=product.name,
                        id=self.new_id(),
                    )
                )

    def build(self) -> DiaryContents:
        plan = self.plan
        vitamin_d = rec.SupplementProduct(
            name="Vitamin D3 1000 IU",
            nutrient="vitamin_d",
            amount_per_unit=1000.0,
            unit="IU",
            units_per_dose=1.0,
            id=self.new_id(),
        )
        magnesium = rec.SupplementProduct(
            name="Magnesium citrate 150 mg",
            nutrient="magnesium",
            amount_per_unit=150.0,  # elemental, as the label prints it
            unit="mg",
            units_per_dose=2.0,
            id=self.new_id(),
        )
        days = (plan.last - plan.first).days + 1
        for index in range(days):
            day = plan.first + timedelta(days=index)
            recent = index >= days - 7  # the last week is kept: the tab opens full
            away = index in plan.unlogged or self.rng.random() < UNLOGGED_FOOD_SHARE
            eaten = recent or not away
            self.day(day, eaten)
            if eaten:
                self.supplements(day, vitamin_d, magnesium)
        favourites = [
            rec.FavouriteFood(food=DIET_FOODS[name][0], grams=grams, id=self.new_id())
            for name, grams in (("pumpkin_seeds", 28.35), ("banana", 101.0))
        ]
        return DiaryContents(
            profile=rec.Profile(),
            episodes=[],
            nights=[],
            days=[],
            medications=[],
            food_entries=self.entries,
            custom_foods=[replace(DEMO_CUSTOM_FOOD, id=self.new_id())],
            favourite_foods=favourites,
            supplement_products=[vitamin_d, magnesium],
            supplement_intakes=self.intakes,
            drinks=self.drinks,
        )


# --- the bedtime routine ---------------------------------------------------------------------

ROUTINE_NIGHTS = 120  # the routine was taken up this many nights before the end (at most)
PROTECTED_NIGHTS = 4  # the last nights are all done: the tab opens on a streak
# How likely each item is ticked on an ordinary night (the rest: mostly left undone).
DONE_CHANCES = {
    "calf_stretch": 0.88,
    "hamstring_stretch": 0.8,
    "toe_pull": 0.76,
    "warm_bath": 0.6,
    "drinks_spread": 0.66,
    "same_sleep_times": 0.7,
    "bed_setup": 0.9,
}
ILL_SHARE = 0.03  # nights with everything skipped as ill
LAPSE_SHARE = 0.05  # logged nights with nothing ticked
SKIP_NOTES = ("No time tonight", "Knee sore", "Late home", "Forgot until in bed", "")
UNDONE_NOTES = ("Too tired", "Fell asleep on the sofa")


class _RoutineBuilder:
    """The routine's items and nightly checks, from their own random stream."""

    def __init__(self, rng: random.Random, plan: _Plan) -> None:
        self.rng = rng
        self.plan = plan
        self.checks: list[rec.RoutineCheck] = []

    def new_id(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    def items(self, first: date, nights: int) -> list[rec.RoutineItem]:
        items = [replace(i, id=self.new_id()) for i in routine.default_items(first)]
        if nights >= 42:
            # Part-way through, the warm bath is taken up on Wednesday, Saturday and Sunday.
            bath = next(i for i in items if i.key == "warm_bath")
            start = first + timedelta(days=int(nights * 0.4))
            items.append(
                replace(bath, active=True, days=(3, 6, 7), valid_from=start, id=self.new_id())
            )
        return items

    def trips(self, first: date) -> set[date]:
        """The unlogged nights of gaps spent away, with everything skipped as travelling."""
        away: set[date] = set()
        gap: list[date] = []
        night = first
        while night <= self.plan.last + timedelta(days=1):
            index = (night - self.plan.first).days
            if index in self.plan.unlogged:
                gap.append(night)
            else:
                if len(gap) >= 2 and self.rng.random() < 0.5:
                    away.update(gap)
                gap = []
            night += timedelta(days=1)
        return away

    def check(
        self, item: rec.RoutineItem, night: date, state: str, reason: str | None = None
    ) -> None:
        note = ""
        if state == "skipped" and reason == "other":
            note = self.rng.choice(SKIP_NOTES)
        elif state == "undone":
            note = self.rng.choice(UNDONE_NOTES)
        self.checks.append(
            rec.RoutineCheck(
                night_of=night,
                item=item.key,
                state=state,
                reason=reason,
                note=note,
                title=item.title,
                id=self.new_id(),
            )
        )

    def night(self, due: list[rec.RoutineItem], night: date, protected: bool) -> None:
        rng = self.rng
        roll = rng.random()
        if not protected and roll < ILL_SHARE:
            for item in due:
                self.check(item, night, "skipped", "ill")
            return
        if not protected and roll < ILL_SHARE + LAPSE_SHARE:
            return  # a lapse: the night is logged, nothing ticked
        for item in due:
            roll = rng.random()
            if protected or roll < DONE_CHANCES.get(item.key, 0.75):
                self.check(item, night, "done")
            elif roll < DONE_CHANCES.get(item.key, 0.75) + 0.06:
                self.check(item, night, "skipped", "other")
            elif rng.random() < 0.1:
                self.check(item, night, "undone")

    def build(self) -> tuple[list[rec.RoutineItem], list[rec.RoutineCheck]]:
        plan = self.plan
        nights = min(ROUTINE_NIGHTS, (plan.last - plan.first).days + 1)
        first = plan.last - timedelta(days=nights - 1)
        items = self.items(first, nights)
        history = RoutineHistory(items)
        away = self.trips(first)
        for offset in range(nights):
            night = first + timedelta(days=offset)
            due = history.scheduled_on(night)
            if (night - plan.first).days in plan.unlogged:
                if night in away:
                    for item in due:
                        self.check(item, night, "skipped", "travelling")
                continue
            self.night(due, night, protected=offset >= nights - PROTECTED_NIGHTS)
        return items, self.checks
