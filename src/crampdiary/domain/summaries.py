"""Domain layer: computed views of nights for the calendar strip and the day panel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from crampdiary.domain.records import Episode, Night


@dataclass(frozen=True)
class NightSummary:
    """One night at a glance: logged or not, how many cramps, the worst severity."""

    night_of: date
    logged: bool
    cramps: int
    worst_severity: int | None
    no_cramps: bool

    @property
    def state(self) -> str:
        """ "unlogged", "no_cramps" (logged, none) or "cramps"."""
        if not self.logged:
            return "unlogged"
        return "cramps" if self.cramps else "no_cramps"


def summarise_nights(
    first: date, last: date, episodes: Iterable[Episode], nights: Iterable[Night]
) -> list[NightSummary]:
    """A summary for every night from first to last inclusive, unlogged ones included."""
    counts: dict[date, int] = {}
    worst: dict[date, int] = {}
    for ep in episodes:
        key = ep.night_of
        counts[key] = counts.get(key, 0) + 1
        worst[key] = max(worst.get(key, 0), ep.severity)
    records = {n.night_of: n for n in nights}
    out: list[NightSummary] = []
    day = first
    while day <= last:
        record = records.get(day)
        cramps = counts.get(day, 0)
        out.append(
            NightSummary(
                night_of=day,
                logged=cramps > 0 or record is not None,
                cramps=cramps,
                worst_severity=worst.get(day),
                no_cramps=bool(record and record.no_cramps and not cramps),
            )
        )
        day += timedelta(days=1)
    return out
