"""UI layer: the words the diary views show for dates, durations and pain scores."""

from __future__ import annotations

from datetime import date, datetime

from crampdiary.domain import vocab

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def day_name(day: date) -> str:
    return DAY_NAMES[day.weekday()]


def short_day_name(day: date) -> str:
    return DAY_NAMES[day.weekday()][:3]


def long_date(day: date, *, year: bool = False) -> str:
    """ "Tuesday 24 November" (with the year when asked)."""
    text = f"{day_name(day)} {day.day} {MONTH_NAMES[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def short_date(day: date) -> str:
    """ "Tue 24 Nov"."""
    return f"{short_day_name(day)} {day.day} {MONTH_NAMES[day.month - 1][:3]}"


def month_title(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def week_title(first: date, last: date) -> str:
    """ "23 – 29 November 2026", "30 November – 6 December 2026", across years in full."""
    if first.year != last.year:
        return (
            f"{first.day} {MONTH_NAMES[first.month - 1]} {first.year} – "
            f"{last.day} {MONTH_NAMES[last.month - 1]} {last.year}"
        )
    if first.month != last.month:
        return (
            f"{first.day} {MONTH_NAMES[first.month - 1]} – "
            f"{last.day} {MONTH_NAMES[last.month - 1]} {last.year}"
        )
    return f"{first.day} – {last.day} {MONTH_NAMES[last.month - 1]} {last.year}"


def clock_time(moment: datetime) -> str:
    """ "Wed 03:12": the short day keeps a night that spans midnight unambiguous."""
    return f"{short_day_name(moment.date())} {moment:%H:%M}"


def duration(seconds: int) -> str:
    """Minutes and seconds, "m:ss" ("90:00" for an hour and a half)."""
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


def severity_anchor(value: int) -> str:
    """The helper words for a 0-10 score; between two anchors, both are named.

    ``vocab.nrs_anchor`` rounds down, which would call a 1 "no pain"; the end anchors stay exact.
    """
    if value in vocab.NRS_ANCHORS:
        return vocab.NRS_ANCHORS[value]
    lower = max(k for k in vocab.NRS_ANCHORS if k < value)
    upper = min(k for k in vocab.NRS_ANCHORS if k > value)
    return f"between {vocab.NRS_ANCHORS[lower]} and {vocab.NRS_ANCHORS[upper]}"


def severity(value: int) -> str:
    """ "7 of 10"."""
    return f"{value} of {vocab.NRS_MAX}"


def cramps_count(count: int) -> str:
    return "1 cramp" if count == 1 else f"{count} cramps"


def number(value: float) -> str:
    """A number without a trailing ".0"."""
    return f"{value:g}"


def first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0] if stripped else ""
