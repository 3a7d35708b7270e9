"""Undoable diary edits: the service is called first, undo/redo go back to it and announce."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime

import pytest
from PySide6.QtGui import QUndoStack

from crampdiary.domain.errors import StorageError, ValidationError
from crampdiary.domain.records import Day, Episode, Medication, Night
from crampdiary.services.diary import DiaryService
from crampdiary.ui import commands, dialogs
from crampdiary.ui.changes import ChangeBus, Changes

pytestmark = pytest.mark.gui

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()


def clock() -> datetime:
    return NOW


@pytest.fixture
def stack(qapp: object) -> Iterator[QUndoStack]:
    undo_stack = QUndoStack()
    yield undo_stack
    undo_stack.clear()


@pytest.fixture
def bus(qapp: object) -> ChangeBus:
    return ChangeBus()


@pytest.fixture
def announced(bus: ChangeBus) -> list[Changes]:
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    return seen


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda _parent, title, text: shown.append((title, text))
    )
    return shown


def episode(**changes: object) -> Episode:
    base = Episode(
        started_at=datetime(2026, 11, 25, 3, 10),
        duration_s=90,
        muscle="calf",
        side="left",
        severity=7,
        notes="calf again after the long walk",
    )
    return replace(base, **changes)


def test_add_episode_saves_announces_and_undoes(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus, announced: list[Changes]
) -> None:
    saved = commands.add_episode(stack, diary, bus, episode(), now=NOW, clock=clock)

    assert diary.episode(saved.id) == saved
    assert announced == [Changes.DIARY]
    assert stack.count() == 1
    assert stack.undoText() == "Add cramp"

    stack.undo()
    assert diary.episode(saved.id) is None
    assert announced == [Changes.DIARY] * 2

    stack.redo()
    assert diary.episode(saved.id) == saved
    assert announced == [Changes.DIARY] * 3


def test_a_refused_add_raises_and_pushes_nothing(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus, announced: list[Changes]
) -> None:
    future = episode(started_at=datetime(2026, 11, 25, 9, 0))
    with pytest.raises(ValidationError) as info:
        commands.add_episode(stack, diary, bus, future, now=NOW, clock=clock)

    assert info.value.field == "started_at"
    assert stack.count() == 0
    assert announced == []
    assert diary.episodes_for_nights(date(2026, 11, 24), date(2026, 11, 24)) == []


def test_undo_of_add_puts_back_the_no_cramps_mark(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus
) -> None:
    night = date(2026, 11, 24)
    diary.save_night(Night(night_of=night, no_cramps=True, sleep_hours=7.0), today=TODAY)

    commands.add_episode(stack, diary, bus, episode(), now=NOW, clock=clock)
    after = diary.night(night)
    assert after is not None and not after.no_cramps

    stack.undo()
    restored = diary.night(night)
    assert restored is not None and restored.no_cramps and restored.sleep_hours == 7.0


def test_edit_episode_undo_restores_previous_values(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus
) -> None:
    original = diary.add_episode(episode(), now=NOW)

    edited = commands.edit_episode(
        stack, diary, bus, replace(original, severity=9, notes=""), now=NOW, clock=clock
    )
    assert stack.undoText() == "Edit cramp"
    assert diary.episode(original.id) == edited

    stack.undo()
    assert diary.episode(original.id) == original
    stack.redo()
    assert diary.episode(original.id) == edited


def test_edit_of_a_missing_episode_is_refused(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus
) -> None:
    with pytest.raises(ValidationError):
        commands.edit_episode(stack, diary, bus, episode(), now=NOW, clock=clock)
    assert stack.count() == 0


def test_delete_episode_undo_brings_it_back_with_the_same_id(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus, announced: list[Changes]
) -> None:
    original = diary.add_episode(episode(), now=NOW)

    deleted = commands.delete_episode(stack, diary, bus, original.id, clock=clock)
    assert deleted == original
    assert diary.episode(original.id) is None
    assert stack.undoText() == "Delete cramp"

    stack.undo()
    assert diary.episode(original.id) == original
    stack.redo()
    assert diary.episode(original.id) is None
    assert announced == [Changes.DIARY] * 3


def test_mark_night_as_no_cramps_and_undo(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus
) -> None:
    night = date(2026, 11, 23)

    saved = commands.save_night(
        stack, diary, bus, Night(night_of=night, no_cramps=True), today=TODAY, clock=clock
    )
    assert stack.undoText() == "Mark night as no cramps"
    assert diary.overview(night, night)[0].state == "no_cramps"

    stack.undo()
    assert diary.night(night) is None
    assert diary.overview(night, night)[0].state == "unlogged"

    stack.redo()
    assert diary.night(night) == saved


def test_edit_night_undo_restores_the_previous_record(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus
) -> None:
    night = date(2026, 11, 23)
    before, _ = diary.save_night(
        Night(night_of=night, sleep_hours=6.5, notes="restless"), today=TODAY
    )

    after = commands.save_night(
        stack, diary, bus, replace(before, sleep_disturbance=4), today=TODAY, clock=clock
    )
    assert stack.undoText() == "Edit night"

    stack.undo()
    assert diary.night(night) == before
    stack.redo()
    assert diary.night(night) == after


def test_a_refused_night_pushes_nothing(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus
) -> None:
    diary.add_episode(episode(), now=NOW)
    with pytest.raises(ValidationError):
        commands.save_night(
            stack,
            diary,
            bus,
            Night(night_of=date(2026, 11, 24), no_cramps=True),
            today=TODAY,
            clock=clock,
        )
    assert stack.count() == 0


def test_save_day_and_clear_it_are_undoable(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus
) -> None:
    on = date(2026, 11, 24)
    first = commands.save_day(
        stack,
        diary,
        bus,
        Day(date=on, activity_min=40, symptoms=("weakness",)),
        today=TODAY,
        clock=clock,
    )
    assert first is not None and stack.undoText() == "Edit day"
    cleared = commands.save_day(stack, diary, bus, Day(date=on), today=TODAY, clock=clock)
    assert cleared is None and diary.day(on) is None

    stack.undo()
    assert diary.day(on) == first
    stack.undo()
    assert diary.day(on) is None
    stack.redo()
    assert diary.day(on) == first


def test_medications_are_undoable(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus, announced: list[Changes]
) -> None:
    med = commands.save_medication(
        stack, diary, bus, Medication(name="Atorvastatin", dose="20 mg"), today=TODAY, clock=clock
    )
    assert stack.undoText() == "Add medicine"
    edited = commands.save_medication(
        stack, diary, bus, replace(med, dose="40 mg"), today=TODAY, clock=clock
    )
    assert stack.undoText() == "Edit medicine"
    commands.delete_medication(stack, diary, bus, med.id, clock=clock)
    assert stack.undoText() == "Delete medicine"
    assert diary.medications() == []

    stack.undo()
    assert diary.medications() == [edited]
    stack.undo()
    assert diary.medications() == [med]
    stack.undo()
    assert diary.medications() == []
    assert set(announced) == {Changes.MEDICATIONS}


def test_a_failed_undo_is_shown_logged_without_diary_text_and_dropped(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    announced: list[Changes],
    errors: list[tuple[str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    saved = commands.add_episode(stack, diary, bus, episode(), now=NOW, clock=clock)
    diary.delete_episode(saved.id)  # behind the stack's back: the undo cannot delete it again

    with caplog.at_level(logging.WARNING, logger="crampdiary.ui.commands"):
        stack.undo()

    assert len(errors) == 1
    assert errors[0][0] == "Could not undo"
    assert "Add cramp" in errors[0][1]
    assert stack.count() == 0  # dropped, not left half-applied
    assert announced == [Changes.DIARY]
    assert "undo" in caplog.text
    assert "long walk" not in caplog.text


def test_a_storage_error_during_redo_is_shown_not_raised(
    stack: QUndoStack,
    diary: DiaryService,
    bus: ChangeBus,
    errors: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = diary.add_episode(episode(), now=NOW)
    commands.delete_episode(stack, diary, bus, original.id, clock=clock)
    stack.undo()

    def locked(_episode_id: str) -> Episode:
        raise StorageError("The diary is locked by another program. Close it and try again.")

    monkeypatch.setattr(diary, "delete_episode", locked)
    stack.redo()

    assert [title for title, _ in errors] == ["Could not redo"]
    assert "locked" in errors[0][1]
    assert diary.episode(original.id) == original


def test_undo_validates_with_the_clock_at_undo_time(
    stack: QUndoStack, diary: DiaryService, bus: ChangeBus, errors: list[tuple[str, str]]
) -> None:
    original = diary.add_episode(episode(), now=NOW)
    times = [NOW]
    commands.delete_episode(stack, diary, bus, original.id, clock=lambda: times[-1])

    times.append(datetime(2026, 11, 25, 2, 0))  # a clock set back before the cramp started
    stack.undo()

    assert diary.episode(original.id) is None
    assert len(errors) == 1 and "future" in errors[0][1]
