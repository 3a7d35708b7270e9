"""Services layer: the routine tab's use cases: items and their history, checks, the paper week.

Writes go through the diary's ORM session, one transaction each, and return what Undo needs
(as ``DiaryService`` does). Reads go through the diary's plain sqlite3 reader. The arithmetic
(completion, streak, adherence, the printed week) is ``domain.routine``'s.

Editing an item stores a new version of it from a night on (the UI passes tonight,
``nights.current_night(now)``): a past night keeps the schedule and titles it had. Two edits on
the same night leave one version for that night, and an edit that brings an item back to what
it was the night before leaves no version at all, so Undo restores the history exactly.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from crampdiary.domain import records as rec
from crampdiary.domain import routine
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.nights import current_night
from crampdiary.domain.routine import RoutineAdherence, RoutineHistory, RoutineNight, WeekRow
from crampdiary.services.diary import DiaryService
from crampdiary.storage import queries

if TYPE_CHECKING:
    from sqlmodel import Session

    from crampdiary.storage.tables import RoutineCheck as RoutineCheckRow

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class ItemChange:
    """One item before and after an edit, on the edit's night (before None: it was added)."""

    before: rec.RoutineItem | None
    after: rec.RoutineItem


@dataclass(frozen=True)
class RoutineEdit:
    """What an edit did, from which night; ``RoutineService.undo`` takes it back."""

    night: date
    changes: tuple[ItemChange, ...]

    @property
    def items(self) -> list[rec.RoutineItem]:
        """The edited items as they are now."""
        return [c.after for c in self.changes]


class ChecklistRow(NamedTuple):
    """A row of the printed weekly checklist."""

    title: str
    line: str
    days: tuple[int, ...]  # ISO weekdays (1 = Monday) on which the item is due that week


@dataclass(frozen=True)
class WeekSheet:
    """A week as the transcription grid shows it: rows, stored ticks and stored tallies."""

    first_night: date
    rows: tuple[WeekRow, ...]
    cells: dict[tuple[date, str], str]  # "done" or "skipped"; a missing cell is blank
    cramps: dict[date, tuple[int, int | None]]


@dataclass(frozen=True)
class WeekSaved:
    """What saving a paper week did."""

    checks_saved: int
    checks_cleared: int
    tallies_saved: int
    tallies_cleared: int
    nights_marked: int  # nights newly marked "no cramps" from a tally of 0


class RoutineService:
    """The bedtime routine of the diary: items, tonight's checklist, streak, adherence, paper."""

    def __init__(self, diary: DiaryService) -> None:
        self._diary = diary

    @property
    def diary(self) -> DiaryService:
        return self._diary

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        # The diary's reader: it sees every write committed so far, and needs no ORM.
        return self._diary.read(fn)

    def has_records(self) -> bool:
        """True once the diary holds a routine check or a paper tally (items alone do not)."""
        return self._read(queries.has_routine_records)

    # --- items ---------------------------------------------------------------------------------

    def history(self) -> RoutineHistory:
        """Every version of every item."""
        return RoutineHistory(self._read(queries.routine_versions))

    def items(self) -> list[rec.RoutineItem]:
        """The items as they are now (latest versions), paused ones too, in their order."""
        return self.history().current()

    def removed_items(self) -> list[rec.RoutineItem]:
        """The items removed from the list (their latest versions), for putting one back."""
        history = self.history()
        latest = (history.latest(key) for key in history.keys)
        return sorted((v for v in latest if v is not None and v.removed), key=lambda v: v.title)

    def item(self, key: str) -> rec.RoutineItem | None:
        """An item's latest version (removed ones too); None for an unknown key."""
        return self.history().latest(key)

    def ensure_default_routine(self, night: date) -> list[rec.RoutineItem]:
        """On first use, store the GUIDE's default routine from ``night``; returns what it added.

        A diary that has any routine item (removed ones count) is left as it is.
        """
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        items = [rec.validate_routine_item(i, today=night) for i in routine.default_items(night)]
        with self._diary.session() as s:
            if s.exec(select(t.RoutineItem.key).limit(1)).first() is not None:
                return []
            s.add_all([t.RoutineItem(key=i.key) for i in items])
            s.flush()
            s.add_all([mapping.routine_version_row(i) for i in items])
        logger.info("default routine stored")
        return items

    @staticmethod
    def _versions(s: Session, key: str) -> list[rec.RoutineItem]:
        from sqlmodel import col, select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        rows = s.exec(
            select(t.RoutineItemVersion)
            .where(t.RoutineItemVersion.item == key)
            .order_by(col(t.RoutineItemVersion.valid_from))
        ).all()
        return [mapping.routine_version_record(r) for r in rows]

    @staticmethod
    def _history(s: Session) -> RoutineHistory:
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        rows = s.exec(select(t.RoutineItemVersion)).all()
        return RoutineHistory(mapping.routine_version_record(r) for r in rows)

    def _write_version(
        self, s: Session, item: rec.RoutineItem, night: date
    ) -> tuple[rec.RoutineItem | None, rec.RoutineItem]:
        """Make ``item``'s content the item's from ``night`` on: (before, after) on that night."""
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        versions = self._versions(s, item.key)
        earlier = [v for v in versions if v.valid_from is not None and v.valid_from < night]
        previous = earlier[-1] if earlier else None
        same_night = next((v for v in versions if v.valid_from == night), None)
        before = same_night or previous
        new = rec.validate_routine_item(
            replace(item, valid_from=night, id=same_night.id if same_night else rec.new_id()),
            today=night,
        )
        row = None
        if same_night is not None:
            row = s.exec(
                select(t.RoutineItemVersion).where(t.RoutineItemVersion.id == same_night.id)
            ).one()
        if previous is not None and previous.content() == new.content():
            # Back to what it was the night before: no version of its own for this night.
            if row is not None:
                s.delete(row)
            return before, previous
        if row is not None:
            mapping.apply_routine_version(row, new)
        else:
            if not versions and s.get(t.RoutineItem, new.key) is None:
                s.add(t.RoutineItem(key=new.key))
                s.flush()
            s.add(mapping.routine_version_row(new))
        return before, new

    def _edit(
        self, night: date, edit: Callable[[RoutineHistory], Iterable[rec.RoutineItem]]
    ) -> RoutineEdit:
        with self._diary.session() as s:
            history = self._history(s)
            changes = tuple(
                ItemChange(*self._write_version(s, item, night)) for item in edit(history)
            )
        return RoutineEdit(night=night, changes=changes)

    @staticmethod
    def _in_force(history: RoutineHistory, key: str, night: date) -> rec.RoutineItem:
        item = history.version_on(key, night) or history.latest(key)
        if item is None:
            raise ValidationError("key", f'there is no routine item "{key}"')
        return item

    def add(
        self,
        title: str,
        *,
        night: date,
        instructions: str = "",
        line: str = "",
        days: Sequence[int] = rec.ISO_WEEKDAYS,
        active: bool = True,
        hold_s: int | None = None,
        reps: int | None = None,
        rest_s: int | None = None,
        per_leg: bool = False,
    ) -> RoutineEdit:
        """A new item at the end of the list, from ``night``; its key comes from its title."""

        def new(history: RoutineHistory) -> list[rec.RoutineItem]:
            if not isinstance(title, str):
                raise ValidationError("title", "must be text of 1 to 80 characters")
            current = history.current()
            return [
                rec.RoutineItem(
                    key=rec.routine_key(title, history.keys),
                    title=title,
                    instructions=instructions,
                    line=line,
                    days=tuple(days),
                    active=active,
                    position=max((i.position for i in current), default=-1) + 1,
                    hold_s=hold_s,
                    reps=reps,
                    rest_s=rest_s,
                    per_leg=per_leg,
                )
            ]

        edit = self._edit(night, new)
        logger.info("routine item added")
        return edit

    def update(self, item: rec.RoutineItem, *, night: date) -> RoutineEdit:
        """Give an existing item (by key) new content from ``night`` on."""

        def changed(history: RoutineHistory) -> list[rec.RoutineItem]:
            self._in_force(history, item.key, night)
            return [item]

        edit = self._edit(night, changed)
        logger.info("routine item updated")
        return edit

    def _change(self, key: str, night: date, **changes: object) -> RoutineEdit:
        def changed(history: RoutineHistory) -> list[rec.RoutineItem]:
            return [replace(self._in_force(history, key, night), **changes)]  # type: ignore[arg-type]

        return self._edit(night, changed)

    def rename(self, key: str, title: str, *, night: date) -> RoutineEdit:
        return self._change(key, night, title=title)

    def pause(self, key: str, paused: bool = True, *, night: date) -> RoutineEdit:
        """Pause an item (kept in the list, not due) or, with ``paused=False``, resume it."""
        return self._change(key, night, active=not paused)

    def set_days(self, key: str, days: Sequence[int], *, night: date) -> RoutineEdit:
        """The ISO weekdays (1 = Monday .. 7 = Sunday) on which the item is due."""
        return self._change(key, night, days=tuple(days))

    def remove(self, key: str, *, night: date) -> RoutineEdit:
        """Take an item off the list from ``night`` on; its past nights and checks stay."""
        return self._change(key, night, removed=True)

    def restore(self, key: str, *, night: date) -> RoutineEdit:
        """Put a removed item back at the end of the list."""

        def back(history: RoutineHistory) -> list[rec.RoutineItem]:
            item = self._in_force(history, key, night)
            last = max((i.position for i in history.current()), default=-1)
            return [replace(item, removed=False, position=last + 1)]

        return self._edit(night, back)

    def reorder(self, keys: Sequence[str], *, night: date) -> RoutineEdit:
        """Put the listed items (every item in the list, each once) in this order."""

        def ordered(history: RoutineHistory) -> list[rec.RoutineItem]:
            listed = {i.key: i for i in history.items_on(night)} or {
                i.key: i for i in history.current()
            }
            if sorted(keys) != sorted(listed) or len(set(keys)) != len(keys):
                raise ValidationError("order", "must list every item of the routine once")
            return [
                replace(listed[key], position=index)
                for index, key in enumerate(keys)
                if listed[key].position != index
            ]

        return self._edit(night, ordered)

    def undo(self, edit: RoutineEdit) -> None:
        """Take an edit back: each item is again what it was on the edit's night."""
        from sqlmodel import select

        from crampdiary.storage import tables as t

        with self._diary.session() as s:
            for change in reversed(edit.changes):
                if change.before is not None:
                    self._write_version(s, change.before, edit.night)
                    continue
                # An added item: its versions go, unless a night of it was checked meanwhile
                # (a paper week is not undone): then it is removed from the edit's night on,
                # keeping a version its checks (and an export of them) can name.
                key = change.after.key
                checked = s.exec(
                    select(t.RoutineCheck.id).where(t.RoutineCheck.item == key)
                ).first()
                for row in s.exec(
                    select(t.RoutineItemVersion).where(t.RoutineItemVersion.item == key)
                ).all():
                    if row.valid_from > edit.night or (
                        row.valid_from == edit.night and checked is None
                    ):
                        s.delete(row)
                s.flush()
                if checked is not None:
                    self._write_version(s, replace(change.after, removed=True), edit.night)
                    continue
                left = s.exec(
                    select(t.RoutineItemVersion.id).where(t.RoutineItemVersion.item == key)
                ).first()
                anchor = s.get(t.RoutineItem, key)
                if left is None and anchor is not None:
                    s.delete(anchor)
        logger.info("routine edit undone")

    # --- nights --------------------------------------------------------------------------------

    def routine_night(self, night: date) -> RoutineNight:
        """A night's due items with their checks, completion and state."""

        def read(con: sqlite3.Connection) -> tuple[list[rec.RoutineItem], list[rec.RoutineCheck]]:
            with queries.snapshot(con):
                return (
                    queries.routine_versions(con),
                    queries.routine_checks_between(con, night, night),
                )

        versions, checks = self._read(read)
        return routine.routine_night(RoutineHistory(versions), checks, night)

    def tonight(self, now: datetime) -> list[tuple[rec.RoutineItem, rec.RoutineCheck | None]]:
        """Tonight's due items (the night ``current_night(now)``), each with its check or None."""
        return list(self.routine_night(current_night(now)).rows)

    def completion(self, now: datetime) -> float | None:
        """Tonight's done / (due - skipped), 0..1; None when nothing is left to do."""
        return self.routine_night(current_night(now)).completion

    def is_done(self, now: datetime) -> bool:
        """Whether tonight needs no reminder: complete, all skipped, or nothing due."""
        return self.routine_night(current_night(now)).state != "incomplete"

    def checks(self, first: date, last: date) -> list[rec.RoutineCheck]:
        """The checks of the nights first..last, by night and then item key."""
        return self._read(lambda con: queries.routine_checks_between(con, first, last))

    def _item_on(self, s: Session, key: str, night: date) -> rec.RoutineItem:
        from crampdiary.storage import tables as t

        if not isinstance(key, str) or s.get(t.RoutineItem, key) is None:
            raise ValidationError("item", f'there is no routine item "{key}"')
        item = self._history(s).version_on(key, night)
        if item is None:
            raise ValidationError(
                "item", f"was not in the routine on the night of {routine.night_label(night)}"
            )
        return item

    @staticmethod
    def _check_row(s: Session, night: date, key: str) -> RoutineCheckRow | None:
        from sqlmodel import select

        from crampdiary.storage import tables as t

        return s.exec(
            select(t.RoutineCheck).where(
                t.RoutineCheck.night_of == night, t.RoutineCheck.item == key
            )
        ).first()

    def set_check(
        self,
        night: date,
        item_key: str,
        state: str,
        reason: str | None = None,
        note: str = "",
        *,
        today: date,
    ) -> tuple[rec.RoutineCheck, rec.RoutineCheck | None]:
        """Store what became of an item on a night; returns (new, previous) for Undo.

        The check keeps the item's title on that night.
        """
        from crampdiary.storage import mapping

        with self._diary.session() as s:
            item = self._item_on(s, item_key, night)
            new = rec.validate_routine_check(
                rec.RoutineCheck(
                    night_of=night,
                    item=item_key,
                    state=state,
                    reason=reason,
                    note=note,
                    title=item.title,
                ),
                today=today,
            )
            row = self._check_row(s, night, item_key)
            previous = None
            if row is not None:
                previous = mapping.routine_check_record(row)
                new = replace(new, id=row.id)
                for key, value in mapping.routine_check_values(new).items():
                    setattr(row, key, value)
            else:
                s.add(mapping.routine_check_row(new))
        logger.info("routine check saved")
        return new, previous

    def clear_check(self, night: date, item_key: str) -> rec.RoutineCheck | None:
        """Remove an item's check of a night (back to not ticked); returns it for Undo."""
        from crampdiary.storage import mapping

        with self._diary.session() as s:
            row = self._check_row(s, night, item_key)
            if row is None:
                return None
            old = mapping.routine_check_record(row)
            s.delete(row)
        logger.info("routine check cleared")
        return old

    def toggle_done(
        self, night: date, item_key: str, *, today: date
    ) -> tuple[rec.RoutineCheck | None, rec.RoutineCheck | None]:
        """Space or a click: done becomes not ticked (undone if it has a note), else done.

        Returns (new, previous): ``restore_check(night, key, previous)`` undoes it.
        """
        previous = next(
            (c for c in self.checks(night, night) if c.item == item_key),
            None,
        )
        if previous is not None and previous.state == "done":
            if previous.note:
                return self.set_check(night, item_key, "undone", note=previous.note, today=today)
            return None, self.clear_check(night, item_key)
        note = previous.note if previous is not None else ""
        return self.set_check(night, item_key, "done", note=note, today=today)

    def restore_check(
        self, night: date, item_key: str, check: rec.RoutineCheck | None, *, today: date
    ) -> None:
        """Put an item's check of a night back as it was (None: not ticked), for Undo."""
        from crampdiary.storage import mapping

        with self._diary.session() as s:
            row = self._check_row(s, night, item_key)
            if row is not None:
                s.delete(row)
                s.flush()
            if check is not None:
                s.add(mapping.routine_check_row(rec.validate_routine_check(check, today=today)))

    # --- streak and adherence ----------------------------------------------------------------

    def streak(self, now: datetime) -> int:
        """Complete nights in a row, ending tonight if it is complete, else last night."""
        tonight = current_night(now)

        def read(con: sqlite3.Connection) -> tuple[RoutineHistory, list[rec.RoutineCheck]]:
            with queries.snapshot(con):
                history = RoutineHistory(queries.routine_versions(con))
                first = history.first_night
                if first is None or first > tonight:
                    return history, []
                return history, queries.routine_checks_between(con, first, tonight)

        history, checks = self._read(read)
        return routine.streak(history, checks, tonight=tonight)

    def adherence_between(self, first: date, last: date) -> RoutineAdherence:
        """Adherence over the nights first..last (see ``domain.routine.adherence``)."""

        def read(
            con: sqlite3.Connection,
        ) -> tuple[list[rec.RoutineItem], list[rec.RoutineCheck], set[date]]:
            with queries.snapshot(con):
                return (
                    queries.routine_versions(con),
                    queries.routine_checks_between(con, first, last),
                    queries.logged_nights_between(con, first, last),
                )

        versions, checks, logged = self._read(read)
        return routine.adherence(RoutineHistory(versions), checks, logged, first=first, last=last)

    def adherence_for(self, now: datetime, nights: int) -> RoutineAdherence:
        """Adherence over the ``nights`` nights ending the night before tonight.

        Tonight is ``current_night(now)``, so between midnight and noon the night still in
        progress is not counted: tonight never lowers the figure while it is being ticked.
        """
        first, last = routine.adherence_period(nights, today=current_night(now))
        return self.adherence_between(first, last)

    def adherence(self, today: date, nights: int = 7) -> RoutineAdherence:
        """Adherence over the last ``nights`` nights up to last night (7 and 30 on the tab)."""
        first, last = routine.adherence_period(nights, today=today)
        return self.adherence_between(first, last)

    # --- the printed week and its transcription ----------------------------------------------

    def week_rows(self, first_night: date) -> list[WeekRow]:
        """The items due in the 7 nights from ``first_night``, with their keys, in order."""
        return routine.week_rows(self.history(), first_night)

    def checklist_rows(self, first_night: date) -> list[ChecklistRow]:
        """The printed week's rows: (title, one-line instructions, ISO weekdays due)."""
        return [ChecklistRow(r.title, r.line, r.days) for r in self.week_rows(first_night)]

    def week_sheet(self, first_night: date) -> WeekSheet:
        """The transcription grid's week, filled with what is stored already."""
        last = first_night + timedelta(days=routine.WEEK_NIGHTS - 1)

        def read(
            con: sqlite3.Connection,
        ) -> tuple[list[rec.RoutineItem], list[rec.RoutineCheck], list[rec.PaperTally]]:
            with queries.snapshot(con):
                return (
                    queries.routine_versions(con),
                    queries.routine_checks_between(con, first_night, last),
                    queries.paper_tallies_between(con, first_night, last),
                )

        versions, checks, tallies = self._read(read)
        rows = tuple(routine.week_rows(RoutineHistory(versions), first_night))
        keys = {r.key for r in rows}
        return WeekSheet(
            first_night=first_night,
            rows=rows,
            cells={
                (c.night_of, c.item): c.state
                for c in checks
                if c.item in keys and c.state in ("done", "skipped")
            },
            cramps={t.night_of: (t.cramps, t.worst_severity) for t in tallies},
        )

    def save_week_transcription(
        self,
        first_night: date,
        cells: Mapping[tuple[date, str], str | None],
        cramps: Mapping[date, tuple[int, int | None] | None],
        *,
        today: date,
    ) -> WeekSaved:
        """Save a filled paper week in one transaction; a bad cell refuses it all, named.

        ``cells``: (night, item key) -> "done", "skipped" or blank ("" or None: not ticked).
        ``cramps``: night -> (cramps counted, worst severity 0-10 or None), or None (blank).
        The tally is stored as it was counted (no cramp episodes are made up from it); a night
        tallied with 0 cramps is also marked "no cramps" in the diary. Cells not given, and
        nights without a tally given, are left as they are.
        """
        from sqlmodel import func, select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        saved = cleared = tallied = untallied = marked = 0
        with self._diary.session() as s:
            history = self._history(s)
            rows = routine.week_rows(history, first_night)
            states, tallies = routine.check_week_cells(
                first_night, rows, cells, cramps, today=today
            )
            titles = {r.key: r.title for r in rows}
            for (night, key), state in states.items():
                existing = self._check_row(s, night, key)
                if state is None:
                    if existing is None or (existing.state == "undone" and existing.note):
                        continue
                    if existing.note:  # keep what the user wrote: not ticked, note kept
                        existing.state, existing.reason = "undone", None
                    else:
                        s.delete(existing)
                    cleared += 1
                    continue
                if existing is not None and existing.state == state:
                    continue
                version = history.version_on(key, night)
                title = version.title if version is not None else titles[key]
                check = rec.validate_routine_check(
                    rec.RoutineCheck(
                        night_of=night,
                        item=key,
                        state=state,
                        note=existing.note if existing is not None else "",
                        title=title,
                    ),
                    today=today,
                )
                if existing is not None:
                    existing.state, existing.reason, existing.title = state, None, check.title
                else:
                    s.add(mapping.routine_check_row(check))
                saved += 1
            for night, tally in tallies.items():
                where = f"{routine.night_label(night)}, cramps"
                tally_row = s.exec(
                    select(t.PaperTally).where(t.PaperTally.night_of == night)
                ).first()
                if tally is None:
                    if tally_row is not None:
                        if tally_row.cramps == 0:
                            self._unmark_no_cramps(s, night)
                        s.delete(tally_row)
                        untallied += 1
                    continue
                count, worst = tally
                episodes = s.exec(
                    select(func.count())
                    .select_from(t.CrampEpisode)
                    .where(t.CrampEpisode.night_of == night)
                ).one()
                night_row = s.exec(
                    select(t.NightRecord).where(t.NightRecord.night_of == night)
                ).first()
                if count == 0 and episodes:
                    word = "cramp" if episodes == 1 else "cramps"
                    raise ValidationError(
                        where, f"the diary already has {episodes} {word} logged for this night"
                    )
                # A stored tally of 0 marked the night "no cramps": a count now corrects both.
                tallied_none = tally_row is not None and tally_row.cramps == 0
                if count > 0 and night_row is not None and night_row.no_cramps:
                    if not tallied_none:
                        raise ValidationError(
                            where, "the diary has this night logged as a night without cramps"
                        )
                    self._unmark_no_cramps(s, night)
                new = rec.validate_paper_tally(
                    rec.PaperTally(night_of=night, cramps=count, worst_severity=worst),
                    today=today,
                )
                if tally_row is None:
                    s.add(mapping.paper_tally_row(new))
                else:
                    tally_row.cramps, tally_row.worst_severity = count, worst
                tallied += 1
                if count == 0:
                    if night_row is None:
                        s.add(
                            mapping.night_row(
                                rec.validate_night(
                                    rec.Night(night_of=night, no_cramps=True), today=today
                                )
                            )
                        )
                        marked += 1
                    elif not night_row.no_cramps:
                        night_row.no_cramps = True
                        marked += 1
        logger.info("paper week saved")
        return WeekSaved(saved, cleared, tallied, untallied, marked)

    @staticmethod
    def _unmark_no_cramps(s: Session, night: date) -> None:
        """Take back the "no cramps" a tally of 0 set: a night record holding nothing else goes,
        so a cleared tally leaves the night not logged rather than logged without cramps."""
        from sqlmodel import select

        from crampdiary.storage import tables as t

        row = s.exec(select(t.NightRecord).where(t.NightRecord.night_of == night)).first()
        if row is None or not row.no_cramps:
            return
        if row.sleep_hours is None and row.sleep_disturbance is None and not row.notes:
            s.delete(row)
        else:
            row.no_cramps = False

    def paper_tallies(self, first: date, last: date) -> list[rec.PaperTally]:
        """The paper tallies of the nights first..last, by night."""
        return self._read(lambda con: queries.paper_tallies_between(con, first, last))
