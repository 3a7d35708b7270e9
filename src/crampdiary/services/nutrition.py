"""Services layer: the nutrition tab's use cases: foods eaten, custom foods, supplements, drinks.

Writes go through the diary's ORM session, one transaction each, and return what Undo needs
(as ``DiaryService`` does). Reads go through the diary's plain sqlite3 reader. The arithmetic
(totals, reference values, upper limits) is ``domain.nutrition``'s; this module only gathers a
day's records and hands them over.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from crampdiary.domain import nutrition
from crampdiary.domain import records as rec
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.nutrition import DailyIntake, DriTable, Food, Portion, WeeklyAverage
from crampdiary.services.diary import DiaryService
from crampdiary.storage import queries

if TYPE_CHECKING:
    from sqlmodel import Session

    from crampdiary.storage.foods import FoodHit, FoodIndex

logger = logging.getLogger(__name__)
T = TypeVar("T")

# One-click drink sizes (ml).
GLASS_ML = 250
MUG_ML = 300
BOTTLE_ML = 500
DRINK_SIZES: dict[str, int] = {"glass": GLASS_ML, "mug": MUG_ML, "bottle": BOTTLE_ML}
# Drinks that also count their nutrients, and the USDA food that stands for each.
DRINK_FOODS = nutrition.DRINK_FOODS
RECENT_LIMIT = 10
WEEK_DAYS = 7
# Search boosts: how often a food was eaten (log scale, up to FREQUENT_WEIGHT) plus a bonus for
# the foods of the latest entries, so that today's usual foods come first.
FREQUENT_WEIGHT = 1.0
RECENT_WEIGHT = 1.0


def load_dri_table() -> DriTable:
    """The reference values shipped in the package (resources/food/dri.csv)."""
    from crampdiary.storage.foods import DRI_CSV, RESOURCE_PACKAGE

    text = resources.files(RESOURCE_PACKAGE).joinpath(DRI_CSV).read_text(encoding="utf-8")
    return nutrition.load_dri(csv.DictReader(io.StringIO(text, newline="")))


def load_reference_data() -> tuple[FoodIndex, DriTable]:
    """The food table (as a search index) and the reference values, from the installed package."""
    from crampdiary.storage.foods import FoodIndex

    return FoodIndex.load(), load_dri_table()


def standard_amount(nutrient: str, amount: float, unit: str) -> float:
    """An amount in mg, µg or IU as the nutrient's unit for totals (vitamin D: µg; 40 IU = 1 µg)."""
    target = nutrition.UNIT[nutrient]
    if unit == "IU":
        if nutrient != "vitamin_d":
            raise ValidationError("unit", "IU is allowed only for vitamin_d; use mg or ug")
        return amount / nutrition.IU_PER_UG
    if unit == target:
        return amount
    if unit == "mg" and target == "ug":
        return amount * 1000
    if unit == "ug" and target == "mg":
        return amount / 1000
    raise ValidationError("unit", "must be one of " + ", ".join(rec.SUPPLEMENT_UNITS))


def as_food(custom: rec.CustomFood) -> Food:
    """A custom food as the food table's ``Food`` (searched, logged and totalled the same way).

    Without a density of its own, the food's first volume portion ("1 cup") gives one.
    """
    portions = tuple(Portion(description=text, grams=grams) for text, grams in custom.portions)
    density = custom.density_g_per_ml
    return Food(
        key=custom.key,
        name=custom.name,
        group="",
        per_100g={n: getattr(custom, fld) for n, fld in rec.CUSTOM_FOOD_VALUES.items()},
        kcal=custom.kcal,
        portions=portions,
        density_g_per_ml=nutrition.density_from_portions(portions) if density is None else density,
    )


def unknown_food(key: str) -> Food:
    """A stand-in for a key the food table no longer has: every value unknown."""
    return Food(
        key=key,
        name=key,
        group="",
        per_100g=dict.fromkeys(nutrition.NUTRIENTS),
        kcal=None,
        portions=(),
        density_g_per_ml=None,
    )


class FoodUse(NamedTuple):
    """How often and how lately a food was eaten (a row of ``queries.food_use``)."""

    key: str
    entries: int
    last_day: date
    last_rowid: int  # of its latest stored entry: orders entries of the same day


def boosts_from_use(use: Iterable[FoodUse]) -> dict[str, float]:
    """Search boosts by food key: how often a food was eaten (log scale, the most eaten food
    FREQUENT_WEIGHT) plus a bonus for the foods of the latest RECENT_LIMIT entries."""
    rows = list(use)
    if not rows:
        return {}
    most = max(u.entries for u in rows)
    boosts = {u.key: FREQUENT_WEIGHT * math.log1p(u.entries) / math.log1p(most) for u in rows}
    latest = sorted(rows, key=lambda u: (u.last_day, u.last_rowid), reverse=True)[:RECENT_LIMIT]
    for rank, u in enumerate(latest):
        boosts[u.key] += RECENT_WEIGHT * (RECENT_LIMIT - rank) / RECENT_LIMIT
    return boosts


def meal_order(entries: Iterable[rec.FoodEntry]) -> list[rec.FoodEntry]:
    """Entries by date, then meal (breakfast to snack), then in the order given (stable)."""
    order = {meal: i for i, meal in enumerate(rec.MEALS)}
    return sorted(entries, key=lambda e: (e.date, order.get(e.meal, len(order))))


class NutritionService:
    """Foods, supplements and drinks of the diary, and the day's totals against the references.

    ``foods`` is the food table's search index; the service keeps its custom foods in step
    with the diary's. ``dri`` is the table of reference values (``load_reference_data``).

    The search runs on every keystroke, so what its boosts come from (how often and how lately
    each food was eaten: a GROUP BY over every food entry) is read once and kept. Logging foods
    through this service adds the new entries to what is kept; every other write of food
    entries or custom foods drops it, to be read again on the next search. Whoever writes the
    diary another way (File > Import) calls ``refresh()`` afterwards.
    """

    def __init__(self, diary: DiaryService, foods: FoodIndex, dri: DriTable) -> None:
        self._diary = diary
        self._foods = foods
        self._dri = dri
        self._use: dict[str, FoodUse] | None = None  # food key -> FoodUse, as last read
        self._boosts: dict[str, float] | None = None  # from self._use
        self._sync_custom_foods()

    @property
    def diary(self) -> DiaryService:
        return self._diary

    @property
    def foods(self) -> FoodIndex:
        return self._foods

    @property
    def dri(self) -> DriTable:
        return self._dri

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        # The diary's reader: it sees every write committed so far, and needs no ORM.
        return self._diary.read(fn)

    def _sync_custom_foods(self) -> None:
        self._foods.set_custom_foods(as_food(c) for c in self.custom_foods())

    def refresh(self) -> None:
        """Catch up with writes made past this service (an import): the custom foods are
        indexed again and the search boosts are read afresh."""
        self._forget_food_use()
        self._sync_custom_foods()

    def has_records(self) -> bool:
        """True once the diary holds any food entry, custom food, supplement or drink."""
        return self._read(queries.has_nutrition_records)

    # --- the food table ------------------------------------------------------------------------

    def food(self, key: str) -> Food | None:
        """A food of the table or a custom food by key; None if there is none."""
        return self._foods.food(key)

    def food_boosts(self) -> dict[str, float]:
        """Search boosts by food key: the foods eaten often and lately rank first."""
        return dict(self._current_boosts())

    def _current_boosts(self) -> dict[str, float]:
        if self._boosts is None:
            if self._use is None:
                self._use = {u.key: u for u in map(FoodUse._make, self._read(queries.food_use))}
            self._boosts = boosts_from_use(self._use.values())
        return self._boosts

    def _forget_food_use(self) -> None:
        self._use = None
        self._boosts = None

    def _note_logged(self, entries: Sequence[rec.FoodEntry]) -> None:
        """Count new entries into the kept food use (they are stored after every other row)."""
        if self._use is None:
            return
        last_row = max((u.last_rowid for u in self._use.values()), default=0)
        for n, entry in enumerate(entries, start=1):
            was = self._use.get(entry.food)
            self._use[entry.food] = FoodUse(
                entry.food,
                1 if was is None else was.entries + 1,
                entry.date if was is None else max(was.last_day, entry.date),
                last_row + n,
            )
        self._boosts = None

    def search(self, text: str, *, limit: int = 30) -> list[FoodHit]:
        """Foods matching the typed text, the user's usual foods first."""
        return self._foods.search(text, limit=limit, boost=self._current_boosts())

    def recent_foods(self, limit: int = RECENT_LIMIT) -> list[Food]:
        """The foods of the latest entries, latest first, each once."""
        keys = self._read(lambda con: queries.recent_food_keys(con, limit))
        return [food for key in keys if (food := self._foods.food(key)) is not None]

    # --- food entries --------------------------------------------------------------------------

    def entries_for(self, day: date) -> list[rec.FoodEntry]:
        """The day's food entries, by meal and then in the order they were logged."""
        return meal_order(self._read(lambda con: queries.food_entries_between(con, day, day)))

    def entries_between(self, first: date, last: date) -> list[rec.FoodEntry]:
        return meal_order(self._read(lambda con: queries.food_entries_between(con, first, last)))

    def food_entry(self, entry_id: str) -> rec.FoodEntry | None:
        return self._read(lambda con: queries.food_entry(con, entry_id))

    @contextmanager
    def _food_entries_written(self) -> Iterator[None]:
        # Dropped however the write ends: a failed commit may still have changed the file.
        try:
            yield
        finally:
            self._forget_food_use()

    def _check_food_known(self, s: Session, key: str, fld: str = "food") -> None:
        from sqlmodel import select

        from crampdiary.storage import tables as t

        if key.startswith(rec.CUSTOM_PREFIX):
            name = key[len(rec.CUSTOM_PREFIX) :]
            found = s.exec(select(t.CustomFood.id).where(t.CustomFood.name == name)).first()
            if found is None:
                raise ValidationError(fld, f'there is no custom food named "{name}"')
        elif self._foods.food(key) is None:
            raise ValidationError(fld, f'"{key}" is not in the food table')

    def log_foods(self, entries: Sequence[rec.FoodEntry], *, today: date) -> list[rec.FoodEntry]:
        """Store new food entries in one transaction (also Undo of a delete); returns them."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        checked = [rec.validate_food_entry(e, today=today) for e in entries]
        try:
            with self._diary.session() as s:
                for key in {e.food for e in checked}:
                    self._check_food_known(s, key)
                for entry in checked:
                    if s.get(t.FoodEntry, entry.id) is not None:
                        raise ValidationError("id", "a food entry with this id already exists")
                    s.add(mapping.food_entry_row(entry))
        except BaseException:
            self._forget_food_use()  # a failed commit may still have changed the file
            raise
        self._note_logged(checked)
        logger.info("%d food entries logged", len(checked))
        return checked

    def log_food(self, entry: rec.FoodEntry, *, today: date) -> rec.FoodEntry:
        """Store a new food entry; returns it as stored."""
        return self.log_foods([entry], today=today)[0]

    def update_food_entry(
        self, entry: rec.FoodEntry, *, today: date
    ) -> tuple[rec.FoodEntry, rec.FoodEntry]:
        """Replace a food entry's values; returns (new, previous) for Undo."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_food_entry(entry, today=today)
        with self._food_entries_written(), self._diary.session() as s:
            row = s.get(t.FoodEntry, new.id)
            if row is None:
                raise ValidationError("id", "this food entry no longer exists")
            previous = mapping.food_entry_record(row)
            if new.food != previous.food:
                self._check_food_known(s, new.food)
            for key, value in mapping.food_entry_row(new).model_dump().items():
                setattr(row, key, value)
        logger.info("food entry updated")
        return new, previous

    def delete_food_entries(self, entry_ids: Sequence[str]) -> list[rec.FoodEntry]:
        """Remove food entries in one transaction; returns them so that Undo can put them back."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        removed: list[rec.FoodEntry] = []
        with self._food_entries_written(), self._diary.session() as s:
            for entry_id in entry_ids:
                row = s.get(t.FoodEntry, entry_id)
                if row is None:
                    raise ValidationError("id", "this food entry no longer exists")
                removed.append(mapping.food_entry_record(row))
                s.delete(row)
        logger.info("%d food entries deleted", len(removed))
        return removed

    def delete_food_entry(self, entry_id: str) -> rec.FoodEntry:
        """Remove a food entry; returns it so that Undo (``log_food``) can put it back."""
        return self.delete_food_entries([entry_id])[0]

    def same_as_meal(
        self, meal: str, from_day: date, to_day: date, *, today: date
    ) -> list[rec.FoodEntry]:
        """Copy one meal of a day (yesterday's breakfast) into another day, in one transaction.

        Returns the new entries (Undo: ``delete_food_entries``); nothing when that meal of
        ``from_day`` has no entries.
        """
        if meal not in rec.MEALS:
            raise ValidationError("meal", "must be one of " + ", ".join(rec.MEALS))
        source = [e for e in self.entries_for(from_day) if e.meal == meal]
        copies = [rec.FoodEntry(date=to_day, food=e.food, grams=e.grams, meal=meal) for e in source]
        return self.log_foods(copies, today=today) if copies else []

    # --- favourites ----------------------------------------------------------------------------

    def favourite_foods(self) -> list[rec.FavouriteFood]:
        """The starred foods, in the order they were starred."""
        return self._read(queries.favourite_foods)

    def save_favourite(
        self, favourite: rec.FavouriteFood
    ) -> tuple[rec.FavouriteFood, rec.FavouriteFood | None]:
        """Star a food with the amount one click logs (a starred food gets the new amount).

        Returns (new, previous) for Undo.
        """
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_favourite_food(favourite)
        with self._diary.session() as s:
            self._check_food_known(s, new.food)
            row = s.exec(select(t.FavouriteFood).where(t.FavouriteFood.food == new.food)).first()
            if row is None:
                row = s.get(t.FavouriteFood, new.id)
            previous = None if row is None else mapping.favourite_food_record(row)
            if row is None:
                s.add(mapping.favourite_food_row(new))
            else:
                new = replace(new, id=row.id)
                row.food, row.grams = new.food, new.grams
        logger.info("favourite saved")
        return new, previous

    def delete_favourite(self, favourite_id: str) -> rec.FavouriteFood:
        """Unstar a food; returns the favourite so that Undo can put it back."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        return self._diary.delete_row(
            t.FavouriteFood, favourite_id, mapping.favourite_food_record, what="favourite"
        )

    # --- custom foods --------------------------------------------------------------------------

    def custom_foods(self) -> list[rec.CustomFood]:
        """The user's own foods, by name."""
        return self._read(queries.custom_foods)

    def save_custom_food(
        self, food: rec.CustomFood
    ) -> tuple[rec.CustomFood, rec.CustomFood | None]:
        """Add or update a custom food by id; returns (new, previous) for Undo.

        A renamed food keeps its entries and its star: they are moved to the new name in the
        same transaction.
        """
        from sqlalchemy import update
        from sqlmodel import col, select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_custom_food(food)
        with self._food_entries_written(), self._diary.session() as s:  # a rename moves entries
            clash = s.exec(
                select(t.CustomFood.id).where(
                    t.CustomFood.name == new.name, t.CustomFood.id != new.id
                )
            ).first()
            if clash is not None:
                raise ValidationError("name", f'there is already a custom food named "{new.name}"')
            row = s.get(t.CustomFood, new.id)
            previous = None if row is None else mapping.custom_food_record(row)
            if row is None:
                s.add(mapping.custom_food_row(new))
            else:
                for key, value in mapping.custom_food_row(new).model_dump().items():
                    setattr(row, key, value)
                if previous is not None and previous.name != new.name:
                    s.execute(
                        update(t.FoodEntry)
                        .where(col(t.FoodEntry.food) == previous.key)
                        .values(food=new.key)
                    )
                    s.execute(
                        update(t.FavouriteFood)
                        .where(col(t.FavouriteFood.food) == previous.key)
                        .values(food=new.key)
                    )
        self._sync_custom_foods()
        logger.info("custom food saved")
        return new, previous

    def delete_custom_food(self, food_id: str) -> tuple[rec.CustomFood, list[rec.FavouriteFood]]:
        """Remove a custom food that no entry uses, and its star; returns both for Undo."""
        from sqlmodel import func, select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        with self._food_entries_written(), self._diary.session() as s:
            row = s.get(t.CustomFood, food_id)
            if row is None:
                raise ValidationError("id", "this custom food no longer exists")
            old = mapping.custom_food_record(row)
            used = s.exec(
                select(func.count()).select_from(t.FoodEntry).where(t.FoodEntry.food == old.key)
            ).one()
            if used:
                word = "entry" if used == 1 else "entries"
                raise ValidationError(
                    "id",
                    f'"{old.name}" is used by {used} food {word}; delete or change them first',
                )
            favourites = s.exec(
                select(t.FavouriteFood).where(t.FavouriteFood.food == old.key)
            ).all()
            removed = [mapping.favourite_food_record(f) for f in favourites]
            for fav in favourites:
                s.delete(fav)
            s.delete(row)
        self._sync_custom_foods()
        logger.info("custom food deleted")
        return old, removed

    def restore_custom_food(
        self, food: rec.CustomFood, favourites: Sequence[rec.FavouriteFood] = ()
    ) -> None:
        """Undo of ``delete_custom_food``: the food and its star come back.

        Refused when a custom food of that name was made in the meantime; a star the food has
        been given again in the meantime is kept as it is.
        """
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_custom_food(food)
        favs = [rec.validate_favourite_food(f) for f in favourites]
        with self._food_entries_written(), self._diary.session() as s:
            if s.exec(select(t.CustomFood.id).where(t.CustomFood.name == new.name)).first():
                raise ValidationError("name", f'there is already a custom food named "{new.name}"')
            s.add(mapping.custom_food_row(new))
            starred = set(s.exec(select(t.FavouriteFood.food)).all())
            taken = set(s.exec(select(t.FavouriteFood.id)).all())
            s.add_all(
                [
                    mapping.favourite_food_row(f)
                    for f in favs
                    if f.food not in starred and f.id not in taken
                ]
            )
        self._sync_custom_foods()

    # --- supplements ---------------------------------------------------------------------------

    def supplement_products(self) -> list[rec.SupplementProduct]:
        """The saved supplement products, by name."""
        return self._read(queries.supplement_products)

    def save_supplement_product(
        self, product: rec.SupplementProduct
    ) -> tuple[rec.SupplementProduct, rec.SupplementProduct | None]:
        """Add or update a supplement product by id; returns (new, previous) for Undo."""
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_supplement_product(product)
        with self._diary.session() as s:
            clash = s.exec(
                select(t.SupplementProduct.id).where(
                    t.SupplementProduct.name == new.name, t.SupplementProduct.id != new.id
                )
            ).first()
            if clash is not None:
                raise ValidationError("name", f'there is already a product named "{new.name}"')
            row = s.get(t.SupplementProduct, new.id)
            previous = None if row is None else mapping.supplement_product_record(row)
            if row is None:
                s.add(mapping.supplement_product_row(new))
            else:
                for key, value in mapping.supplement_product_row(new).model_dump().items():
                    setattr(row, key, value)
        logger.info("supplement product saved")
        return new, previous

    def delete_supplement_product(self, product_id: str) -> rec.SupplementProduct:
        """Remove a product; its logged intakes stay (they carry its name as text)."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        return self._diary.delete_row(
            t.SupplementProduct,
            product_id,
            mapping.supplement_product_record,
            what="supplement product",
        )

    def add_supplement_intake(
        self, intake: rec.SupplementIntake, *, today: date
    ) -> rec.SupplementIntake:
        """Store a supplement intake (also Undo of a delete); returns it as stored."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_supplement_intake(intake, today=today)
        with self._diary.session() as s:
            if s.get(t.SupplementIntake, new.id) is not None:
                raise ValidationError("id", "a supplement intake with this id already exists")
            s.add(mapping.supplement_intake_row(new))
        logger.info("supplement intake logged")
        return new

    def log_supplement_dose(
        self, product_id: str, day: date, *, today: date
    ) -> rec.SupplementIntake:
        """One click: one dose of a saved product (amount per unit x units per dose) on a day."""
        product = next((p for p in self.supplement_products() if p.id == product_id), None)
        if product is None:
            raise ValidationError("product", "this supplement product no longer exists")
        return self.add_supplement_intake(
            rec.SupplementIntake(
                date=day,
                nutrient=product.nutrient,
                amount=product.dose_amount,
                unit=product.unit,
                product=product.name,
            ),
            today=today,
        )

    def supplement_intakes(
        self, first: date, last: date | None = None
    ) -> list[rec.SupplementIntake]:
        """Intakes of first..last (last defaults to first), by date and then as logged."""
        end = first if last is None else last
        return self._read(lambda con: queries.supplement_intakes_between(con, first, end))

    def delete_supplement_intake(self, intake_id: str) -> rec.SupplementIntake:
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        return self._diary.delete_row(
            t.SupplementIntake,
            intake_id,
            mapping.supplement_intake_record,
            what="supplement intake",
        )

    # --- drinks --------------------------------------------------------------------------------

    def add_drink(self, drink: rec.Drink, *, today: date) -> rec.Drink:
        """Store a drink (also Undo of a delete); returns it as stored."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_drink(drink, today=today)
        with self._diary.session() as s:
            if s.get(t.Drink, new.id) is not None:
                raise ValidationError("id", "a drink with this id already exists")
            s.add(mapping.drink_row(new))
        logger.info("drink logged")
        return new

    def log_drink(self, day: date, kind: str, ml: int = GLASS_ML, *, today: date) -> rec.Drink:
        """One click: a glass (or mug, bottle: ``DRINK_SIZES``) of a kind of drink."""
        return self.add_drink(rec.Drink(date=day, ml=ml, kind=kind), today=today)

    def drinks(self, first: date, last: date | None = None) -> list[rec.Drink]:
        """Drinks of first..last (last defaults to first), by date and then as logged."""
        end = first if last is None else last
        return self._read(lambda con: queries.drinks_between(con, first, end))

    def delete_drink(self, drink_id: str) -> rec.Drink:
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        return self._diary.delete_row(t.Drink, drink_id, mapping.drink_record, what="drink")

    # --- totals --------------------------------------------------------------------------------

    def _resolve(self, key: str) -> Food:
        return self._foods.food(key) or unknown_food(key)

    def days_intake(self, first: date, last: date) -> list[DailyIntake]:
        """Every day first..last with its totals against the profile's reference values."""
        if last < first:
            return []

        def read(
            con: sqlite3.Connection,
        ) -> tuple[
            list[rec.FoodEntry],
            list[rec.SupplementIntake],
            list[rec.Drink],
            rec.Profile,
            list[rec.Medication],
        ]:
            # One snapshot: a save landing between the queries cannot half-show.
            with queries.snapshot(con):
                return (
                    queries.food_entries_between(con, first, last),
                    queries.supplement_intakes_between(con, first, last),
                    queries.drinks_between(con, first, last),
                    queries.profile(con),
                    queries.medications(con),
                )

        entries, intakes, drinks, profile, medications = self._read(read)
        eaten: dict[date, list[tuple[Food, float]]] = defaultdict(list)
        for entry in entries:
            eaten[entry.date].append((self._resolve(entry.food), entry.grams))
        taken: dict[date, list[tuple[str, float]]] = defaultdict(list)
        for intake in intakes:
            amount = standard_amount(intake.nutrient, intake.amount, intake.unit)
            taken[intake.date].append((intake.nutrient, amount))
        drunk: dict[date, list[tuple[str, float, Food | None]]] = defaultdict(list)
        for drink in drinks:
            key = DRINK_FOODS.get(drink.kind)
            food = None if key is None else self._resolve(key)
            drunk[drink.date].append((drink.kind, float(drink.ml), food))
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return [
            nutrition.daily_intake(
                day,
                foods=eaten[day],
                supplements=taken[day],
                drinks=drunk[day],
                profile=profile,
                medications=[m for m in medications if m.active_on(day)],
                dri=self._dri,
            )
            for day in days
        ]

    def day_intake(self, day: date) -> DailyIntake:
        """The day's totals (food, supplements, drinks) against the profile's reference values."""
        return self.days_intake(day, day)[0]

    def week_average(self, last_day: date) -> WeeklyAverage:
        """Averages over the days with food logged among the 7 days ending ``last_day``."""
        return nutrition.weekly_average(
            self.days_intake(last_day - timedelta(days=WEEK_DAYS - 1), last_day)
        )
