"""Services layer: the diary's use cases (episodes, nights, days, medications, profile)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from sqlmodel import Session, col, select

from crampdiary.domain import records as rec
from crampdiary.domain import vocab
from crampdiary.domain.errors import CrampDiaryError, ValidationError
from crampdiary.domain.nights import night_bounds
from crampdiary.domain.summaries import NightSummary, summarise_nights
from crampdiary.storage import mapping
from crampdiary.storage import tables as t
from crampdiary.storage.database import map_storage_error

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)
T = TypeVar("T")


class DiaryService:
    """Every read and write of the diary; one transaction per call, all or nothing."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back (nothing half-saved) on any error."""
        session = Session(self._engine, expire_on_commit=False)
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

    def _read(self, fn: Callable[[Session], T]) -> T:
        with self.session() as s:
            return fn(s)

    # --- episodes ------------------------------------------------------------------------------

    def add_episode(self, episode: rec.Episode, *, now: datetime) -> rec.Episode:
        """Store a new episode; a night marked "no cramps" stops being so."""
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
        with self.session() as s:
            row = s.get(t.CrampEpisode, episode_id)
            if row is None:
                raise ValidationError("id", "this episode no longer exists")
            ep = mapping.episode_record(row)
            s.delete(row)
        logger.info("episode deleted")
        return ep

    def episode(self, episode_id: str) -> rec.Episode | None:
        def read(s: Session) -> rec.Episode | None:
            row = s.get(t.CrampEpisode, episode_id)
            return None if row is None else mapping.episode_record(row)

        return self._read(read)

    def episodes_for_nights(self, first: date, last: date) -> list[rec.Episode]:
        """Episodes of the nights first..last inclusive, in start order."""
        start, _ = night_bounds(first)
        _, end = night_bounds(last)

        def read(s: Session) -> list[rec.Episode]:
            rows = s.exec(
                select(t.CrampEpisode)
                .where(t.CrampEpisode.started_at >= start)
                .where(t.CrampEpisode.started_at < end)
                .order_by(col(t.CrampEpisode.started_at))
            ).all()
            return [mapping.episode_record(r) for r in rows]

        return self._read(read)

    def last_muscle_and_side(self) -> tuple[str, str]:
        """The muscle and side of the most recent episode (calf, left for a new diary)."""

        def read(s: Session) -> tuple[str, str]:
            row = s.exec(
                select(t.CrampEpisode).order_by(col(t.CrampEpisode.started_at).desc()).limit(1)
            ).first()
            return (row.muscle, row.side) if row else ("calf", "left")

        return self._read(read)

    # --- nights --------------------------------------------------------------------------------

    @staticmethod
    def _clear_no_cramps(s: Session, night: date) -> None:
        row = s.exec(select(t.NightRecord).where(t.NightRecord.night_of == night)).first()
        if row is not None and row.no_cramps:
            row.no_cramps = False

    def night(self, night_of: date) -> rec.Night | None:
        def read(s: Session) -> rec.Night | None:
            row = s.exec(select(t.NightRecord).where(t.NightRecord.night_of == night_of)).first()
            return None if row is None else mapping.night_record(row)

        return self._read(read)

    def save_night(self, night: rec.Night, *, today: date) -> tuple[rec.Night, rec.Night | None]:
        """Create or replace the record of a night; returns (new, previous) for Undo."""
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
        episodes = self.episodes_for_nights(first, last)

        def read(s: Session) -> list[rec.Night]:
            rows = s.exec(
                select(t.NightRecord)
                .where(t.NightRecord.night_of >= first)
                .where(t.NightRecord.night_of <= last)
            ).all()
            return [mapping.night_record(r) for r in rows]

        return summarise_nights(first, last, episodes, self._read(read))

    # --- days ----------------------------------------------------------------------------------

    def day(self, day: date) -> rec.Day | None:
        def read(s: Session) -> rec.Day | None:
            row = s.exec(select(t.DayContext).where(t.DayContext.day == day)).first()
            return None if row is None else mapping.day_record(row)

        return self._read(read)

    def save_day(self, day: rec.Day, *, today: date) -> tuple[rec.Day | None, rec.Day | None]:
        """Create, replace or (when empty) remove a day's context; returns (new, previous)."""
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
        with self.session() as s:
            row = s.exec(select(t.DayContext).where(t.DayContext.day == on)).first()
            if row is not None:
                s.delete(row)
                s.flush()
            if day is not None:
                s.add(mapping.day_row(rec.validate_day(day, today=today)))

    def known_tags(self) -> list[str]:
        """The default tags and every tag the user has used, defaults first."""

        def read(s: Session) -> list[str]:
            tags = list(vocab.DEFAULT_TAGS)
            for text in s.exec(select(t.DayContext.tags)).all():
                for tag in json.loads(text or "[]"):
                    if tag not in tags:
                        tags.append(tag)
            return tags

        return self._read(read)

    # --- medications ---------------------------------------------------------------------------

    def medications(self) -> list[rec.Medication]:
        def read(s: Session) -> list[rec.Medication]:
            rows = s.exec(
                select(t.Medication).order_by(col(t.Medication.started_on), col(t.Medication.name))
            ).all()
            return [mapping.medication_record(r) for r in rows]

        return self._read(read)

    def save_medication(
        self, med: rec.Medication, *, today: date
    ) -> tuple[rec.Medication, rec.Medication | None]:
        """Add or update a medication by id; returns (new, previous)."""
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
        with self.session() as s:
            row = s.get(t.Medication, med_id)
            if row is None:
                raise ValidationError("id", "this medication no longer exists")
            old = mapping.medication_record(row)
            s.delete(row)
        logger.info("medication deleted")
        return old

    def has_records(self) -> bool:
        """True once the diary holds any episode, night, day or medication."""

        def read(s: Session) -> bool:
            return any(
                s.exec(select(table).limit(1)).first() is not None
                for table in (t.CrampEpisode, t.NightRecord, t.DayContext, t.Medication)
            )

        return self._read(read)

    # --- profile and settings ------------------------------------------------------------------

    def profile(self) -> rec.Profile:
        return self._read(lambda s: mapping.profile_record(s.get(t.Profile, 1)))

    def save_profile(self, profile: rec.Profile, *, today: date) -> rec.Profile:
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

        def read(s: Session) -> tuple[date | None, date | None]:
            row = s.get(t.Profile, 1)
            return (None, None) if row is None else (row.disclaimer_seen_on, row.profile_asked_on)

        return self._read(read)

    def mark_onboarding(
        self, *, disclaimer: bool = False, profile: bool = False, today: date
    ) -> None:
        with self.session() as s:
            row = s.get(t.Profile, 1) or t.Profile(id=1)
            if disclaimer and row.disclaimer_seen_on is None:
                row.disclaimer_seen_on = today
            if profile and row.profile_asked_on is None:
                row.profile_asked_on = today
            s.add(row)

    def setting(self, key: str, default: str = "") -> str:
        def read(s: Session) -> str:
            row = s.get(t.Setting, key)
            return default if row is None else row.value

        return self._read(read)

    def set_setting(self, key: str, value: str) -> None:
        with self.session() as s:
            row = s.get(t.Setting, key) or t.Setting(key=key)
            row.value = value
            s.add(row)
