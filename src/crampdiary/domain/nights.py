"""Domain layer: which night an episode belongs to (the night of D: 12:00 on D to 12:00 on D+1)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

NIGHT_STARTS = time(12, 0)


def night_of(started_at: datetime) -> date:
    """The night an episode starting at this local time belongs to."""
    return (started_at - timedelta(hours=12)).date()


def night_bounds(night: date) -> tuple[datetime, datetime]:
    """[start, end) of the night of this date, in local time."""
    start = datetime.combine(night, NIGHT_STARTS)
    return start, start + timedelta(days=1)


def current_night(now: datetime) -> date:
    """The night the clock is in now ("tonight" after noon, "last night" before it)."""
    return night_of(now)


def last_night(now: datetime) -> date:
    """The night a morning question is about: the most recent night that has ended or is ending."""
    return (
        (now - timedelta(hours=12)).date()
        if now.time() < NIGHT_STARTS
        else now.date() - timedelta(days=1)
    )


def week_start(day: date) -> date:
    """Monday of the ISO week holding this day."""
    return day - timedelta(days=day.weekday())


def coming_monday(today: date) -> date:
    """The week a printed sheet is for by default: the next Monday (today when it is Monday)."""
    return today + timedelta(days=(7 - today.weekday()) % 7)
