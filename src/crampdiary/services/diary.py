"""Services layer: the diary's use cases (episodes, nights, days, medications, profile).

Reads go through plain sqlite3 (storage.queries), so opening the diary and showing the current
week imports neither sqlmodel nor sqlalchemy (about 300 ms). Writes, and ``session()`` for the
export and import code, use the ORM, imported and connected on first use or by ``warm_up()``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from crampdiary.domain import records as rec
from crampdiary.domain import vocab
from crampdiary.domain.errors import CrampDiaryError, StorageError, ValidationError
from crampdiary.domain.nights import night_bounds
from crampdiary.domain.summaries import NightSummary, summarise_nights
from crampdiary.storage import queries
from crampdiary.storage.database import map_storage_error

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

logger = logging.getLogger(__name__)
T = TypeVar("T")


class _Handles:
    """What a DiaryService holds open; released by ``close()``, or when the service is collected.

    Kept apart from the service so that a ``weakref.finalize`` can release them without keeping
    the service alive: a service dropped without ``close()`` (a test fixture, a window closed
    mid-way) still leaves no open connection behind.
    """

    def __init__(self, reader: sqlite3.Connection) -> None:
        self.reader: sqlite3.Connection | None = reader
        self.owned_engine: Engine | None = None

    def release(self) -> None:
        reader, self.reader = self.reader, None
        engine, self.owned_engine = self.owned_engine, None
        try:
            if reader is not None:
                reader.close()
        finally:
            if engine is not None:
                engine.dispose()


class DiaryService:
    """Every read and write of the diary; one transaction per write, all or nothing.

    Build it from the database file (the fast path: the ORM is created on the first write,
    ``session()`` or ``warm_up()``, and disposed by ``close()``) or from an engine the caller
    owns and disposes. The file must already be checked and migrated (storage.database).
    """

    def __init__(self, engine_or_path: Engine | Path | str) -> None:
        if isinstance(engine_or_path, str | os.PathLike):
            self._path = Path(engine_or_path)
            self._engine: Engine | None = None
        else:
            self._engine = engine_or_path
            self._path = _database_file(engine_or_path)
        self._warm = False
        self._closed = False
        try:
            reader = queries.open_reader(self._path)
        except sqlite3.Error as exc:
            raise map_storage_error(exc, self._path) from exc
        self._handles = _Handles(reader)
        self._finalizer = weakref.finalize(self, self._handles.release)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def engine(self) -> Engine:
        """The ORM engine, created (importing sqlmodel) on first use when built from a path."""
        if self._closed:
            raise StorageError("The diary is closed.")
        if self._engine is None:
            from crampdiary.storage.database import create_engine_for

            self._engine = create_engine_for(self._path)
            self._handles.owned_engine = self._engine
        return self._engine

    def warm_up(self) -> None:
        """Import the ORM and open its first connection now (idle time), not on the first save."""
        if self._warm:
            return
        from crampdiary.storage import tables as t

        with self.session() as s:
            # One ORM read configures the mappers and connects, which the first save would pay.
            s.get(t.Setting, "")
        self._warm = True

    def close(self) -> None:
        """Close the reader and dispose an engine this service created; safe to call twice.

        An engine passed in stays open: its owner disposes it.
        """
        self._closed = True
        self._finalizer()

    def __enter__(self) -> DiaryService:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back (nothing half-saved) on any error."""
        from sqlmodel import Session

        session = Session(self.engine, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except CrampDiaryError:
            session.rollback()
            raise
        except Exception as exc:
            session.rollback()
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(exc, SQLAlchemyError | OSError):
                raise map_storage_error(exc) from exc
            raise
        finally:
            session.close()

    def delete_row(
        self, table: type[Any], row_id: str, to_record: Callable[[Any], T], *, what: str
    ) -> T:
        """Delete one row by id in its own transaction; returns it as a record (for Undo).

        ``what`` names it in the refusal when it is gone ("this drink no longer exists").
        """
        with self.session() as s:
            row = s.get(table, row_id)
            if row is None:
                raise ValidationError("id", f"this {what} no longer exists")
            old = to_record(row)
            s.delete(row)
        logger.info("%s deleted", what)
        return old

    def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run a read on the sqlite3 reader, which sees every write committed so far."""
        reader = self._handles.reader
        if reader is None:
            raise StorageError("The diary is closed.")
        try:
            return fn(reader)
        except sqlite3.Error as exc:
            raise map_storage_error(exc, self._path) from exc

    # --- episodes ------------------------------------------------------------------------------

    def add_episode(self, episode: rec.Episode, *, now: datetime) -> rec.Episode:
        """Store a new episode; a night marked "no cramps" stops being so."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        ep = rec.validate_episode(episode, now=now)
        with self.session() as s:
            if s.get(t.CrampEpisode, ep.id) is not None:
                raise ValidationError("id", "an episode with this id already exists")
            s.add(mapping.episode_row(ep))
            self._clear_no_cramps(s, ep.night_of)
        logger.info("episode added")
        return ep

    def update_episode(self, episode: rec.Episode, *, now: datetime) -> rec.Episode:
        """Replace an episode's values; returns the stored episode."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        ep = rec.validate_episode(episode, now=now)
        with self.session() as s:
            row = s.get(t.CrampEpisode, ep.id)
            if row is None:
                raise ValidationError("id", "this episode no longer exists")
            fresh = mapping.episode_row(ep)
            for key, value in fresh.model_dump().items():
                setattr(row, key, value)
            self._clear_no_cramps(s, ep.night_of)
        logger.info("episode updated")
        return ep

    def delete_episode(self, episode_id: str) -> rec.Episode:
        """Remove an episode; returns it so that Undo can put it back."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        return self.delete_row(t.CrampEpisode, episode_id, mapping.episode_record, what="episode")

    def episode(self, episode_id: str) -> rec.Episode | None:
        return self.read(lambda con: queries.episode(con, episode_id))

    def episodes_for_nights(self, first: date, last: date) -> list[rec.Episode]:
        """Episodes of the nights first..last inclusive, in start order."""
        start, _ = night_bounds(first)
        _, end = night_bounds(last)
        return self.read(lambda con: queries.episodes_between(con, start, end))

    def last_muscle_and_side(self) -> tuple[str, str]:
        """The muscle and side of the most recent episode (calf, left for a new diary)."""
        return self.read(queries.last_episode_muscle_side) or ("calf", "left")

    # --- nights --------------------------------------------------------------------------------

    @staticmethod
    def _clear_no_cramps(s: Session, night: date) -> None:
        from sqlmodel import select

        from crampdiary.storage import tables as t

        row = s.exec(select(t.NightRecord).where(t.NightRecord.night_of == night)).first()
        if row is not None and row.no_cramps:
            row.no_cramps = False

    def night(self, night_of: date) -> rec.Night | None:
        return self.read(lambda con: queries.night(con, night_of))

    def save_night(self, night: rec.Night, *, today: date) -> tuple[rec.Night, rec.Night | None]:
        """Create or replace the record of a night; returns (new, previous) for Undo."""
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_night(night, today=today)
        with self.session() as s:
            row = s.exec(
                select(t.NightRecord).where(t.NightRecord.night_of == new.night_of)
            ).first()
            if (
                new.no_cramps
                and s.exec(
                    select(t.CrampEpisode.id)
                    .where(t.CrampEpisode.night_of == new.night_of)
                    .limit(1)
                ).first()
            ):
                raise ValidationError(
                    "no_cramps",
                    "this night already has cramps logged; "
                    "delete them first to mark it as a night without cramps",
                )
            previous = None if row is None else mapping.night_record(row)
            if row is None:
                s.add(mapping.night_row(new))
            else:
                new = replace(new, id=row.id)
                for key, value in mapping.night_row(new).model_dump().items():
                    setattr(row, key, value)
        logger.info("night saved")
        return new, previous

    def delete_night(self, night_of: date) -> rec.Night | None:
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        with self.session() as s:
            row = s.exec(select(t.NightRecord).where(t.NightRecord.night_of == night_of)).first()
            if row is None:
                return None
            old = mapping.night_record(row)
            s.delete(row)
        logger.info("night record deleted")
        return old

    def restore_night(self, night: rec.Night | None, night_of: date, *, today: date) -> None:
        """Put a night back as it was (None: no record), for Undo."""
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        if night is None:
            self.delete_night(night_of)
        else:
            with self.session() as s:
                row = s.exec(
                    select(t.NightRecord).where(t.NightRecord.night_of == night_of)
                ).first()
                if row is not None:
                    s.delete(row)
                    s.flush()
                s.add(mapping.night_row(rec.validate_night(night, today=today)))

    def overview(self, first: date, last: date) -> list[NightSummary]:
        """Every night first..last with its logged state, cramp count and worst severity."""
        start, _ = night_bounds(first)
        _, end = night_bounds(last)

        def read(con: sqlite3.Connection) -> tuple[list[rec.Episode], list[rec.Night]]:
            # One snapshot: a save landing between the two queries cannot half-show.
            with queries.snapshot(con):
                return (
                    queries.episodes_between(con, start, end),
                    queries.nights_between(con, first, last),
                )

        episodes, nights = self.read(read)
        return summarise_nights(first, last, episodes, nights)

    # --- days ----------------------------------------------------------------------------------

    def day(self, day: date) -> rec.Day | None:
        return self.read(lambda con: queries.day(con, day))

    def save_day(self, day: rec.Day, *, today: date) -> tuple[rec.Day | None, rec.Day | None]:
        """Create, replace or (when empty) remove a day's context; returns (new, previous)."""
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_day(day, today=today)
        with self.session() as s:
            row = s.exec(select(t.DayContext).where(t.DayContext.day == new.date)).first()
            previous = None if row is None else mapping.day_record(row)
            if new.is_empty:
                if row is not None:
                    s.delete(row)
                result: rec.Day | None = None
            elif row is None:
                s.add(mapping.day_row(new))
                result = new
            else:
                new = replace(new, id=row.id)
                for key, value in mapping.day_row(new).model_dump().items():
                    setattr(row, key, value)
                result = new
        logger.info("day saved")
        return result, previous

    def restore_day(self, day: rec.Day | None, on: date, *, today: date) -> None:
        """Put a day back as it was (None: no record), for Undo."""
        from sqlmodel import select

        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        with self.session() as s:
            row = s.exec(select(t.DayContext).where(t.DayContext.day == on)).first()
            if row is not None:
                s.delete(row)
                s.flush()
            if day is not None:
                s.add(mapping.day_row(rec.validate_day(day, today=today)))

    def known_tags(self) -> list[str]:
        """The default tags and every tag the user has used, defaults first."""
        tags = list(vocab.DEFAULT_TAGS)
        for day_tags in self.read(queries.all_tags):
            for tag in day_tags:
                if tag not in tags:
                    tags.append(tag)
        return tags

    # --- medications ---------------------------------------------------------------------------

    def medications(self) -> list[rec.Medication]:
        return self.read(queries.medications)

    def save_medication(
        self, med: rec.Medication, *, today: date
    ) -> tuple[rec.Medication, rec.Medication | None]:
        """Add or update a medication by id; returns (new, previous)."""
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_medication(med, today=today)
        with self.session() as s:
            row = s.get(t.Medication, new.id)
            previous = None if row is None else mapping.medication_record(row)
            if row is None:
                s.add(mapping.medication_row(new))
            else:
                for key, value in mapping.medication_row(new).model_dump().items():
                    setattr(row, key, value)
        logger.info("medication saved")
        return new, previous

    def delete_medication(self, med_id: str) -> rec.Medication:
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        return self.delete_row(t.Medication, med_id, mapping.medication_record, what="medication")

    def has_records(self) -> bool:
        """True once the diary holds any episode, night, day or medication."""
        return self.read(queries.has_records)

    # --- profile and settings ------------------------------------------------------------------

    def profile(self) -> rec.Profile:
        return self.read(queries.profile)

    def save_profile(self, profile: rec.Profile, *, today: date) -> rec.Profile:
        from crampdiary.storage import mapping
        from crampdiary.storage import tables as t

        new = rec.validate_profile(profile, today=today)
        with self.session() as s:
            row = s.get(t.Profile, 1) or t.Profile(id=1)
            mapping.apply_profile(row, new)
            if row.profile_asked_on is None:
                row.profile_asked_on = today
            s.add(row)
        logger.info("profile saved")
        return new

    def onboarding_state(self) -> tuple[date | None, date | None]:
        """(disclaimer seen on, profile asked on): None means that first-run step is still due."""
        return self.read(queries.onboarding_state)

    def mark_onboarding(
        self, *, disclaimer: bool = False, profile: bool = False, today: date
    ) -> None:
        from crampdiary.storage import tables as t

        with self.session() as s:
            row = s.get(t.Profile, 1) or t.Profile(id=1)
            if disclaimer and row.disclaimer_seen_on is None:
                row.disclaimer_seen_on = today
            if profile and row.profile_asked_on is None:
                row.profile_asked_on = today
            s.add(row)

    def setting(self, key: str, default: str = "") -> str:
        return self.read(lambda con: queries.setting(con, key, default))

    def set_setting(self, key: str, value: str) -> None:
        from crampdiary.storage import tables as t

        with self.session() as s:
            row = s.get(t.Setting, key) or t.Setting(key=key)
            row.value = value
            s.add(row)


def _database_file(engine: Engine) -> Path:
    """The SQLite file behind an engine: the reader opens the same file."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        raise ValueError("DiaryService needs an engine on an SQLite database file")
    return Path(database)
