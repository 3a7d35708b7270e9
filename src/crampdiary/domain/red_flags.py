"""Domain layer: red-flag rules (GUIDE 4.3): which logged entries are worth a clinician's look.

Pure rules: plain records in, ``today`` as a parameter, no Qt and no database. Each flag names
the entries that triggered it and the help text to link. The wording is neutral guidance from
GUIDE 4.2, never a diagnosis, and never advice to stop or change a medicine (GUIDE 1.7).

Windows, counted back from ``today``:

* days (symptoms, intakes): "the last N days" are ``today - (N - 1)`` .. ``today``;
* nights: the night of ``today`` has not ended yet, so the last complete night is ``today - 1``
  and "the last N nights" are ``today - N`` .. ``today - 1``.

A night is *logged* when it has a Night record or an episode; a *cramp night* has an episode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Final, Literal

from crampdiary.domain import vocab
from crampdiary.domain.medicines import cramp_association
from crampdiary.domain.nutrition import DailyIntake, upper_limit_warnings
from crampdiary.domain.records import Day, Episode, Medication, Night

Kind = Literal["urgent", "appointment"]

HELP: Final = "when_to_see"
URGENT_DAYS: Final = 14
SYMPTOM_DAYS: Final = 28
RATE_NIGHTS: Final = 28
BASELINE_NIGHTS: Final = 14
MIN_RATE_NIGHTS: Final = 7
RATE_FACTOR: Final = Fraction(2)
WEEK: Final = 7
CRAMP_NIGHTS_PER_WEEK: Final = 3
SLEEP_NIGHTS: Final = 14
SLEEP_DISTURBANCE: Final = Fraction(5)
MEDICINE_WINDOW_DAYS: Final = 56  # 8 weeks after starting a medicine
MEDICINE_RATE_NIGHTS: Final = 28  # 4 weeks before and after the start
MEDICINE_FACTOR: Final = Fraction(3, 2)
MAGNESIUM_DAYS: Final = 7

NEURO_SYMPTOMS: Final = ("numbness_tingling", "weakness", "muscle_wasting_twitching")


@dataclass(frozen=True)
class RedFlag:
    """One banner: its tier, the rule that fired, neutral text and the entries behind it."""

    kind: Kind
    rule: str
    title: str
    text: str
    triggers: tuple[str, ...]
    help: str = HELP


def _last_night(today: date) -> date:
    return today - timedelta(days=1)


def _nights(
    episodes: Sequence[Episode], nights: Sequence[Night], last: date
) -> tuple[set[date], set[date]]:
    """(logged nights, cramp nights) up to and including ``last``."""
    cramp = {e.night_of for e in episodes if e.night_of <= last}
    logged = cramp | {n.night_of for n in nights if n.night_of <= last}
    return logged, cramp


def _in(nights: set[date], first: date, last: date) -> set[date]:
    return {n for n in nights if first <= n <= last}


def _rate(logged: set[date], cramp: set[date], first: date, last: date) -> Fraction | None:
    n_logged = len(_in(logged, first, last))
    if n_logged == 0:
        return None
    return Fraction(len(_in(cramp, first, last)), n_logged)


def _nights_text(count: int, logged: int) -> str:
    return f"{count} of {logged} logged nights with cramps"


def _symptom_days(
    days: Sequence[Day], wanted: Iterable[str], first: date, today: date
) -> list[str]:
    keys = set(wanted)
    out: list[str] = []
    for day in sorted(days, key=lambda d: d.date):
        if not first <= day.date <= today:
            continue
        for s in day.symptoms:
            if s in keys:
                out.append(f"Day {day.date.isoformat()}: {vocab.SYMPTOMS.get(s, s).lower()}")
    return out


def urgent_symptoms(days: Sequence[Day], *, today: date) -> list[RedFlag]:
    first = today - timedelta(days=URGENT_DAYS - 1)
    triggers = _symptom_days(days, sorted(vocab.URGENT_SYMPTOMS), first, today)
    if not triggers:
        return []
    return [
        RedFlag(
            "urgent",
            "urgent_symptom",
            "Get medical help right away",
            "One leg swollen, warm, red or darker, or sore to touch: get medical help right "
            "away. Call emergency services if you also feel suddenly short of breath or have "
            "chest pain.",
            tuple(triggers),
        )
    ]


def rate_doubled(
    episodes: Sequence[Episode], nights: Sequence[Night], *, today: date
) -> list[RedFlag]:
    """4-week cramp-night rate at least twice the baseline (the first 14 logged nights)."""
    last = _last_night(today)
    logged, cramp = _nights(episodes, nights, last)
    ordered = sorted(logged)
    if len(ordered) < BASELINE_NIGHTS:
        return []
    base = ordered[:BASELINE_NIGHTS]
    base_rate = Fraction(len(cramp & set(base)), BASELINE_NIGHTS)
    first = last - timedelta(days=RATE_NIGHTS - 1)
    n_logged, n_cramp = len(_in(logged, first, last)), len(_in(cramp, first, last))
    if n_logged < MIN_RATE_NIGHTS or n_cramp == 0:
        return []
    rate = Fraction(n_cramp, n_logged)
    if rate < RATE_FACTOR * base_rate:
        return []
    base_cramp = len(cramp & set(base))
    return [
        RedFlag(
            "appointment",
            "rate_doubled",
            "Cramps are happening more often",
            "Cramps are happening more often than when you started the diary. It may be worth "
            "making an appointment with your doctor or nurse.",
            (
                f"Last 4 weeks ({first.isoformat()} to {last.isoformat()}): "
                + _nights_text(n_cramp, n_logged),
                f"First {BASELINE_NIGHTS} logged nights ({base[0].isoformat()} to "
                f"{base[-1].isoformat()}): " + _nights_text(base_cramp, BASELINE_NIGHTS),
            ),
        )
    ]


def frequent_weeks(
    episodes: Sequence[Episode], nights: Sequence[Night], *, today: date
) -> list[RedFlag]:
    """At least 3 cramp nights in each of the last two complete 7-night windows."""
    last = _last_night(today)
    _logged, cramp = _nights(episodes, nights, last)
    triggers: list[str] = []
    for k in (1, 0):
        end = last - timedelta(days=WEEK * k)
        start = end - timedelta(days=WEEK - 1)
        count = len(_in(cramp, start, end))
        if count < CRAMP_NIGHTS_PER_WEEK:
            return []
        triggers.append(f"Nights {start.isoformat()} to {end.isoformat()}: {count} cramp nights")
    return [
        RedFlag(
            "appointment",
            "frequent_weeks",
            "Cramps on 3 or more nights a week",
            "You logged cramps on 3 or more nights a week for 2 weeks in a row. It may be worth "
            "making an appointment with your doctor or nurse.",
            tuple(triggers),
        )
    ]


def sleep_disturbed(nights: Sequence[Night], *, today: date) -> list[RedFlag]:
    """Mean sleep disturbance of 5/10 or more over the last 14 logged nights with a score."""
    last = _last_night(today)
    scored = sorted(
        (n for n in nights if n.sleep_disturbance is not None and n.night_of <= last),
        key=lambda n: n.night_of,
    )[-SLEEP_NIGHTS:]
    if not scored:
        return []
    scores = [n.sleep_disturbance for n in scored if n.sleep_disturbance is not None]
    mean = Fraction(sum(scores), len(scores))
    if mean < SLEEP_DISTURBANCE:
        return []
    return [
        RedFlag(
            "appointment",
            "sleep_disturbed",
            "Cramps are disturbing your sleep",
            "Cramps seem to stop you from sleeping well. It may be worth making an appointment "
            "with your doctor or nurse.",
            (
                f"Nights {scored[0].night_of.isoformat()} to {scored[-1].night_of.isoformat()}: "
                f"mean sleep disturbance {float(mean):.1f}/10 over {len(scores)} nights",
            ),
        )
    ]


def _symptom_flag(
    days: Sequence[Day], wanted: Iterable[str], rule: str, title: str, text: str, today: date
) -> list[RedFlag]:
    first = today - timedelta(days=SYMPTOM_DAYS - 1)
    triggers = _symptom_days(days, wanted, first, today)
    return [RedFlag("appointment", rule, title, text, tuple(triggers))] if triggers else []


def symptom_flags(days: Sequence[Day], *, today: date) -> list[RedFlag]:
    """Numbness/weakness/wasting, walking pain and daytime cramps logged in the last 28 days."""
    return [
        *_symptom_flag(
            days,
            NEURO_SYMPTOMS,
            "neuro_symptoms",
            "Numbness, weakness or twitching",
            "You logged numbness, tingling, weakness, twitching under the skin, or a muscle "
            "that looks thinner. It may be worth making an appointment with your doctor or nurse.",
            today,
        ),
        *_symptom_flag(
            days,
            ("pain_walking_eases_with_rest",),
            "walking_pain",
            "Leg pain when walking",
            "You logged leg pain when walking that gets better when you stop. It may be worth "
            "making an appointment with your doctor or nurse.",
            today,
        ),
        *_symptom_flag(
            days,
            ("daytime_cramps",),
            "daytime_cramps",
            "Cramps during the day",
            "You logged cramps during the day. It may be worth making an appointment with your "
            "doctor or nurse.",
            today,
        ),
    ]


def medicine_flags(
    episodes: Sequence[Episode],
    nights: Sequence[Night],
    medications: Sequence[Medication],
    *,
    today: date,
) -> list[RedFlag]:
    """Cramps began (first cramp night within 8 weeks after the start) or worsened (the 4 weeks
    after the start at least 1.5x the 4 weeks before, each with 7 or more logged nights) after
    starting a medicine the GUIDE lists (1.7)."""
    last = _last_night(today)
    logged, cramp = _nights(episodes, nights, last)
    triggers: list[str] = []
    for med in sorted(medications, key=lambda m: (m.started_on or date.min, m.name)):
        start = med.started_on
        if start is None or cramp_association(med.name) is None:
            continue
        began = sorted(cramp)[0] if cramp else None
        why: str | None = None
        if began is not None and start <= began <= start + timedelta(days=MEDICINE_WINDOW_DAYS):
            why = f"first cramp night {began.isoformat()}"
        else:
            b0, b1 = start - timedelta(days=MEDICINE_RATE_NIGHTS), start - timedelta(days=1)
            a0, a1 = start, start + timedelta(days=MEDICINE_RATE_NIGHTS - 1)
            nb, na = len(_in(logged, b0, b1)), len(_in(logged, a0, a1))
            if nb >= MIN_RATE_NIGHTS and na >= MIN_RATE_NIGHTS:
                cb, ca = len(_in(cramp, b0, b1)), len(_in(cramp, a0, a1))
                after, before = Fraction(ca, na), Fraction(cb, nb)
                if ca > 0 and after >= MEDICINE_FACTOR * before:
                    why = (
                        f"{_nights_text(ca, na)} in the 4 weeks after, "
                        f"{_nights_text(cb, nb)} in the 4 weeks before"
                    )
        if why is not None:
            triggers.append(f"Medicine {med.name}, started {start.isoformat()}: {why}")
    if not triggers:
        return []
    return [
        RedFlag(
            "appointment",
            "medicine_start",
            "Cramps after starting a medicine",
            "Your cramps started or got worse after you began a medicine that is sometimes "
            "linked with cramps. Keep taking it, but you could ask your doctor, nurse or "
            "pharmacist about it.",
            tuple(triggers),
        )
    ]


def magnesium_above_limit(intakes: Sequence[DailyIntake], *, today: date) -> list[RedFlag]:
    """Supplemental magnesium above its upper limit on any of the last 7 days."""
    first = today - timedelta(days=MAGNESIUM_DAYS - 1)
    triggers: list[str] = []
    for intake in sorted(intakes, key=lambda i: i.day):
        total = intake.totals.get("magnesium")
        if total is None or not first <= intake.day <= today:
            continue
        ref = total.upper_limit_reference or total.reference
        warnings = upper_limit_warnings("magnesium", total.supplements, total.total, ref)
        if warnings:
            triggers.append(f"Day {intake.day.isoformat()}: {warnings[0]}")
    if not triggers:
        return []
    return [
        RedFlag(
            "appointment",
            "magnesium_above_limit",
            "Magnesium supplements above the upper limit",
            "Magnesium from supplements was above the tolerable upper intake level. Please talk "
            "to a doctor, nurse or pharmacist about high-dose supplements.",
            tuple(triggers),
        )
    ]


def evaluate(
    episodes: Sequence[Episode],
    nights: Sequence[Night],
    days: Sequence[Day],
    medications: Sequence[Medication],
    intakes: Sequence[DailyIntake],
    *,
    today: date,
) -> list[RedFlag]:
    """Every flag that fires on ``today``, urgent ones first."""
    flags = [
        *urgent_symptoms(days, today=today),
        *rate_doubled(episodes, nights, today=today),
        *frequent_weeks(episodes, nights, today=today),
        *sleep_disturbed(nights, today=today),
        *symptom_flags(days, today=today),
        *medicine_flags(episodes, nights, medications, today=today),
        *magnesium_above_limit(intakes, today=today),
    ]
    return sorted(flags, key=lambda f: f.kind != "urgent")
