"""UI layer: undoable edits. Each function calls the service once, announces, then pushes its undo.

The service call comes first, so a ``ValidationError`` or ``StorageError`` reaches the caller and
nothing is pushed. The pushed command skips its first ``redo()`` (the work is already done); later
undo/redo calls go to the service again and announce what changed on the bus. A failure there is
shown to the user and the command is dropped from the stack rather than left half-applied.

``clock`` (keyword, default ``datetime.now``) is read at undo/redo time for the rules that depend
on it: an episode put back must not start in the future, a night or day must not be after today.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication

from crampdiary.domain.errors import CrampDiaryError, ValidationError
from crampdiary.domain.records import Day, Episode, Medication, Night
from crampdiary.ui import dialogs
from crampdiary.ui.changes import ChangeBus, Changes

if TYPE_CHECKING:
    from crampdiary.services.diary import DiaryService

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
