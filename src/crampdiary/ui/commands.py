"""UI layer: undoable edits. Each function calls the service once, announces, then pushes its undo.

The service call comes first, so a ``ValidationError`` or ``StorageError`` reaches the caller and
nothing is pushed. The pushed command skips its first ``redo()`` (the work is already done); later
undo/redo calls go to the service again and announce what changed on the bus. A failure there is
shown to the user and the command is dropped from the stack rather than left half-applied.

``clock`` (keyword, default ``datetime.now``) is read at undo/redo time for the rules that depend
on it: an episode put back must not start in the future, a night or day must not be after today
(nor a food entry, supplement dose or drink). Nutrition edits announce ``Changes.NUTRITION``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication

from crampdiary.domain.errors import CrampDiaryError, ValidationError
from crampdiary.domain.records import (
    CustomFood,
    Day,
    Drink,
    Episode,
    FavouriteFood,
    FoodEntry,
    Medication,
    Night,
    RoutineCheck,
    SupplementIntake,
    SupplementProduct,
)
from crampdiary.ui import dialogs
from crampdiary.ui.changes import ChangeBus, Changes

if TYPE_CHECKING:
    from crampdiary.services.diary import DiaryService
    from crampdiary.services.nutrition import NutritionService
    from crampdiary.services.routine import RoutineEdit, RoutineService

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class DiaryCommand(QUndoCommand):
    """One undoable service call: ``redo_fn``/``undo_fn`` call the service, then it announces."""

    def __init__(
        self,
        text: str,
        bus: ChangeBus,
        changes: Changes,
        redo_fn: Callable[[], object],
        undo_fn: Callable[[], object],
    ) -> None:
        super().__init__(text)
        self._bus = bus
        self._changes = changes
        self._redo_fn = redo_fn
        self._undo_fn = undo_fn
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push() calls redo(); the caller has already done it
            self._pushed = True
            return
        self._run(self._redo_fn, "redo")

    def undo(self) -> None:
        self._run(self._undo_fn, "undo")

    def _run(self, fn: Callable[[], object], verb: str) -> None:
        try:
            fn()
        except CrampDiaryError as exc:
            # The message may quote a value; the log gets only the step and the kind of failure.
            field = exc.field if isinstance(exc, ValidationError) else "-"
            logger.warning("%s of %r failed: %s (%s)", verb, self.text(), type(exc).__name__, field)
            # Dropped from the stack: the data is as it was before this step, and a second try
            # at a half-known state would only fail in a more confusing way.
            self.setObsolete(True)
            dialogs.show_error(
                QApplication.activeWindow(),
                f"Could not {verb}",
                f"Could not {verb} “{self.text()}”. Nothing was changed.\n\n{exc}",
            )
            return
        self._bus.announce(self._changes)


def _push(
    stack: QUndoStack,
    bus: ChangeBus,
    changes: Changes,
    text: str,
    redo_fn: Callable[[], object],
    undo_fn: Callable[[], object],
) -> None:
    bus.announce(changes)
    stack.push(DiaryCommand(text, bus, changes, redo_fn, undo_fn))


def _restore_no_cramps(diary: DiaryService, before: Night | None, clock: Clock) -> None:
    """Adding an episode clears the night's "no cramps" mark; undoing that puts it back."""
    if before is not None and before.no_cramps:
        diary.restore_night(before, before.night_of, today=clock().date())


def add_episode(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    episode: Episode,
    *,
    now: datetime,
    clock: Clock = datetime.now,
) -> Episode:
    """Store a new cramp ("Add cramp"); undo deletes it, redo adds it again with the same id."""
    before = diary.night(episode.night_of)
    saved = diary.add_episode(episode, now=now)

    def undo() -> None:
        diary.delete_episode(saved.id)
        _restore_no_cramps(diary, before, clock)

    _push(
        stack, bus, Changes.DIARY, "Add cramp", lambda: diary.add_episode(saved, now=clock()), undo
    )
    return saved


def edit_episode(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    episode: Episode,
    *,
    now: datetime,
    clock: Clock = datetime.now,
) -> Episode:
    """Replace a cramp's values ("Edit cramp"); undo restores the previous values."""
    previous = diary.episode(episode.id)
    if previous is None:
        raise ValidationError("id", "this episode no longer exists")
    before = diary.night(episode.night_of) if episode.night_of != previous.night_of else None
    saved = diary.update_episode(episode, now=now)

    def undo() -> None:
        diary.update_episode(previous, now=clock())
        _restore_no_cramps(diary, before, clock)

    _push(
        stack,
        bus,
        Changes.DIARY,
        "Edit cramp",
        lambda: diary.update_episode(saved, now=clock()),
        undo,
    )
    return saved


def delete_episode(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    episode_id: str,
    *,
    clock: Clock = datetime.now,
) -> Episode:
    """Remove a cramp ("Delete cramp"); undo adds it back with the same id and values."""
    old = diary.delete_episode(episode_id)
    _push(
        stack,
        bus,
        Changes.DIARY,
        "Delete cramp",
        lambda: diary.delete_episode(old.id),
        lambda: diary.add_episode(old, now=clock()),
    )
    return old


def save_night(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    night: Night,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> Night:
    """Create or replace a night's record ("Mark night as no cramps" or "Edit night")."""
    new, previous = diary.save_night(night, today=today)
    marking = new.no_cramps and not (previous is not None and previous.no_cramps)
    text = "Mark night as no cramps" if marking else "Edit night"
    _push(
        stack,
        bus,
        Changes.DIARY,
        text,
        lambda: diary.restore_night(new, new.night_of, today=clock().date()),
        lambda: diary.restore_night(previous, new.night_of, today=clock().date()),
    )
    return new


def save_day(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    day: Day,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> Day | None:
    """Create, replace or (when empty) clear a day's context ("Edit day")."""
    new, previous = diary.save_day(day, today=today)
    _push(
        stack,
        bus,
        Changes.DIARY,
        "Edit day",
        lambda: diary.restore_day(new, day.date, today=clock().date()),
        lambda: diary.restore_day(previous, day.date, today=clock().date()),
    )
    return new


def save_medication(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    med: Medication,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> Medication:
    """Add or update a medicine ("Add medicine" / "Edit medicine")."""
    new, previous = diary.save_medication(med, today=today)

    def undo() -> None:
        if previous is None:
            diary.delete_medication(new.id)
        else:
            diary.save_medication(previous, today=clock().date())

    text = "Add medicine" if previous is None else "Edit medicine"
    _push(
        stack,
        bus,
        Changes.MEDICATIONS,
        text,
        lambda: diary.save_medication(new, today=clock().date()),
        undo,
    )
    return new


def delete_medication(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    med_id: str,
    *,
    clock: Clock = datetime.now,
) -> Medication:
    """Remove a medicine ("Delete medicine"); undo puts it back with the same id."""
    old = diary.delete_medication(med_id)
    _push(
        stack,
        bus,
        Changes.MEDICATIONS,
        "Delete medicine",
        lambda: diary.delete_medication(old.id),
        lambda: diary.save_medication(old, today=clock().date()),
    )
    return old


# --- nutrition (every edit announces Changes.NUTRITION) -----------------------------------------


def log_food(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    entry: FoodEntry,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> FoodEntry:
    """Store a food entry ("Log food"); undo deletes it, redo logs it again with the same id."""
    saved = nutrition.log_food(entry, today=today)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Log food",
        lambda: nutrition.log_food(saved, today=clock().date()),
        lambda: nutrition.delete_food_entry(saved.id),
    )
    return saved


def edit_food_entry(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    entry: FoodEntry,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> FoodEntry:
    """Replace a food entry's amount or meal ("Edit food entry"); undo restores the previous one."""
    new, previous = nutrition.update_food_entry(entry, today=today)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Edit food entry",
        lambda: nutrition.update_food_entry(new, today=clock().date()),
        lambda: nutrition.update_food_entry(previous, today=clock().date()),
    )
    return new


def delete_food_entries(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    entry_ids: list[str],
    *,
    clock: Clock = datetime.now,
) -> list[FoodEntry]:
    """Remove food entries in one step ("Delete food entry"); undo logs them back as they were."""
    old = nutrition.delete_food_entries(entry_ids)
    ids = [e.id for e in old]
    text = "Delete food entry" if len(old) == 1 else f"Delete {len(old)} food entries"
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        text,
        lambda: nutrition.delete_food_entries(ids),
        lambda: nutrition.log_foods(old, today=clock().date()),
    )
    return old


def same_as_meal(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    meal: str,
    from_day: date,
    to_day: date,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> list[FoodEntry]:
    """Copy one meal of a day into another ("Same as yesterday's breakfast").

    Undo deletes the copies. Nothing is pushed when that meal had no entries.
    """
    copies = nutrition.same_as_meal(meal, from_day, to_day, today=today)
    if not copies:
        return []
    ids = [e.id for e in copies]
    if (to_day - from_day).days == 1:
        text = f"Same as yesterday's {meal}"
    else:
        text = f"Copy {meal} of {from_day.isoformat()}"
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        text,
        lambda: nutrition.log_foods(copies, today=clock().date()),
        lambda: nutrition.delete_food_entries(ids),
    )
    return copies


def star_food(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    favourite: FavouriteFood,
) -> FavouriteFood:
    """Star a food with its one-click amount ("Star food"); undo unstars it or puts back the
    previous amount."""
    new, previous = nutrition.save_favourite(favourite)

    def undo() -> None:
        if previous is None:
            nutrition.delete_favourite(new.id)
        else:
            nutrition.save_favourite(previous)

    _push(stack, bus, Changes.NUTRITION, "Star food", lambda: nutrition.save_favourite(new), undo)
    return new


def unstar_food(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    favourite_id: str,
) -> FavouriteFood:
    """Remove a star ("Remove star"); undo stars the food again with the same amount."""
    old = nutrition.delete_favourite(favourite_id)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Remove star",
        lambda: nutrition.delete_favourite(old.id),
        lambda: nutrition.save_favourite(old),
    )
    return old


def save_custom_food(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    food: CustomFood,
) -> CustomFood:
    """Add or change a custom food ("Add custom food" / "Edit custom food")."""
    new, previous = nutrition.save_custom_food(food)

    def undo() -> None:
        if previous is None:
            nutrition.delete_custom_food(new.id)
        else:
            nutrition.save_custom_food(previous)

    text = "Add custom food" if previous is None else "Edit custom food"
    _push(stack, bus, Changes.NUTRITION, text, lambda: nutrition.save_custom_food(new), undo)
    return new


def delete_custom_food(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    food_id: str,
) -> CustomFood:
    """Remove a custom food no entry uses ("Delete custom food"); undo brings it and its star
    back."""
    old, favourites = nutrition.delete_custom_food(food_id)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Delete custom food",
        lambda: nutrition.delete_custom_food(old.id),
        lambda: nutrition.restore_custom_food(old, favourites),
    )
    return old


def save_supplement_product(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    product: SupplementProduct,
) -> SupplementProduct:
    """Add or change a saved supplement ("Add supplement" / "Edit supplement")."""
    new, previous = nutrition.save_supplement_product(product)

    def undo() -> None:
        if previous is None:
            nutrition.delete_supplement_product(new.id)
        else:
            nutrition.save_supplement_product(previous)

    text = "Add supplement" if previous is None else "Edit supplement"
    _push(stack, bus, Changes.NUTRITION, text, lambda: nutrition.save_supplement_product(new), undo)
    return new


def delete_supplement_product(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    product_id: str,
) -> SupplementProduct:
    """Remove a saved supplement ("Delete supplement"); its logged doses stay; undo puts it back."""
    old = nutrition.delete_supplement_product(product_id)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Delete supplement",
        lambda: nutrition.delete_supplement_product(old.id),
        lambda: nutrition.save_supplement_product(old),
    )
    return old


def log_supplement_dose(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    product_id: str,
    day: date,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> SupplementIntake:
    """One dose of a saved supplement on a day ("Take supplement"); undo removes it."""
    intake = nutrition.log_supplement_dose(product_id, day, today=today)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Take supplement",
        lambda: nutrition.add_supplement_intake(intake, today=clock().date()),
        lambda: nutrition.delete_supplement_intake(intake.id),
    )
    return intake


def delete_supplement_intake(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    intake_id: str,
    *,
    clock: Clock = datetime.now,
) -> SupplementIntake:
    """Remove a logged supplement dose ("Delete supplement dose"); undo logs it back."""
    old = nutrition.delete_supplement_intake(intake_id)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Delete supplement dose",
        lambda: nutrition.delete_supplement_intake(old.id),
        lambda: nutrition.add_supplement_intake(old, today=clock().date()),
    )
    return old


def add_drink(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    drink: Drink,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> Drink:
    """Store a drink ("Add drink"); undo removes it, redo adds it again with the same id."""
    saved = nutrition.add_drink(drink, today=today)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Add drink",
        lambda: nutrition.add_drink(saved, today=clock().date()),
        lambda: nutrition.delete_drink(saved.id),
    )
    return saved


def delete_drink(
    stack: QUndoStack,
    nutrition: NutritionService,
    bus: ChangeBus,
    drink_id: str,
    *,
    clock: Clock = datetime.now,
) -> Drink:
    """Remove a drink ("Delete drink"); undo adds it back with the same id."""
    old = nutrition.delete_drink(drink_id)
    _push(
        stack,
        bus,
        Changes.NUTRITION,
        "Delete drink",
        lambda: nutrition.delete_drink(old.id),
        lambda: nutrition.add_drink(old, today=clock().date()),
    )
    return old


# --- routine (every edit announces Changes.ROUTINE) ---------------------------------------------


def toggle_routine_check(
    stack: QUndoStack,
    routine: RoutineService,
    bus: ChangeBus,
    night: date,
    item_key: str,
    *,
    today: date,
    clock: Clock = datetime.now,
) -> RoutineCheck | None:
    """Space or a click on tonight's item ("Tick …" / "Untick …"); undo puts the check back."""
    new, previous = routine.toggle_done(night, item_key, today=today)
    shown = new or previous
    title = shown.title if shown is not None else item_key
    text = f"Tick {title}" if new is not None and new.state == "done" else f"Untick {title}"
    _push(
        stack,
        bus,
        Changes.ROUTINE,
        text,
        lambda: routine.restore_check(night, item_key, new, today=clock().date()),
        lambda: routine.restore_check(night, item_key, previous, today=clock().date()),
    )
    return new


def set_routine_check(
    stack: QUndoStack,
    routine: RoutineService,
    bus: ChangeBus,
    night: date,
    item_key: str,
    state: str,
    *,
    reason: str | None = None,
    note: str = "",
    today: date,
    clock: Clock = datetime.now,
    text: str = "",
) -> RoutineCheck:
    """Mark an item done, skipped (with a reason) or not done, with its note; undoable."""
    new, previous = routine.set_check(night, item_key, state, reason, note, today=today)
    label = text or {"done": "Tick", "skipped": "Skip", "undone": "Edit"}.get(state, "Edit")
    _push(
        stack,
        bus,
        Changes.ROUTINE,
        label if text else f"{label} {new.title}",
        lambda: routine.restore_check(night, item_key, new, today=clock().date()),
        lambda: routine.restore_check(night, item_key, previous, today=clock().date()),
    )
    return new


def edit_routine(
    stack: QUndoStack,
    routine: RoutineService,
    bus: ChangeBus,
    text: str,
    apply: Callable[[], RoutineEdit],
) -> RoutineEdit:
    """One routine edit (add, rename, pause, days, remove, reorder…); undo takes it back.

    ``apply`` makes the edit through the service; redo calls it again (an added item gets the
    same key back, as its title is the same and the undo removed it).
    """
    done = [apply()]

    def redo() -> None:
        done[0] = apply()

    _push(stack, bus, Changes.ROUTINE, text, redo, lambda: routine.undo(done[0]))
    return done[0]
