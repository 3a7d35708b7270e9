"""Services: gather a period's records (and the previous period's) for ``domain.stats``."""

from __future__ import annotations

from datetime import date

from crampdiary.domain.stats import PeriodSummary, previous_period
from crampdiary.domain.stats import period_summary as compute_summary
from crampdiary.services.diary import DiaryService
from crampdiary.services.nutrition import NutritionService
from crampdiary.services.routine import RoutineService
from crampdiary.storage import queries


def period_summary(
    diary: DiaryService,
    nutrition: NutritionService,
    routine: RoutineService,
    first: date,
    last: date,
) -> PeriodSummary:
    """The figures of the nights first..last, with the previous period of the same length."""
    start, _ = previous_period(first, last)
    episodes = diary.episodes_for_nights(start, last)
    nights = diary.read(lambda con: queries.nights_between(con, start, last))
    return compute_summary(
        first,
        last,
        episodes=episodes,
        nights=nights,
        intakes=nutrition.days_intake(start, last),
        history=routine.history(),
        checks=routine.checks(start, last),
    )
