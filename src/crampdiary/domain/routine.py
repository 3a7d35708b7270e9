"""Domain layer: the bedtime routine: its default items, item history, adherence and streaks.

The default items and their text come from the clinical GUIDE, section 3 (3.3 plain-language
text, 3.4 safety notes, 3.1 evidence). Each item is a ``key`` with versions (records.RoutineItem)
valid from a night on: editing an item never rewrites history, because a past night's schedule
uses the version in force that night and each check keeps the title it had.

The arithmetic is pure (the clock is a parameter):

- scheduled on the night of D: the items in force that night that are active (not paused), not
  removed, and whose days hold D's ISO weekday;
- a check is done, skipped (reason ill, travelling or other) or undone; no check is undone;
- completion = done / (scheduled - skipped); None when nothing is left to do;
- the routine counts as a group: a night is *complete* when every scheduled item that was not
  skipped is done, *frozen* when every scheduled item was skipped, *empty* when nothing was
  scheduled, otherwise *incomplete* (a night with no checks at all is incomplete);
- streak = complete nights in a row, ending tonight if tonight is complete, else last night;
  frozen and empty nights neither break nor count;
- adherence over nights first..last = done / (done + undone) over the scheduled item-nights of
  the nights that have a diary entry (night record, cramp, paper tally) or a routine check;
  skips count in neither; None when nothing counted.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from crampdiary.domain import vocab
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.records import (
    ISO_WEEKDAYS,
    MAX_PAPER_CRAMPS,
    RoutineCheck,
    RoutineItem,
)

WEEK_NIGHTS = 7
ADHERENCE_WINDOWS = (7, 30)
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# --- the default routine (GUIDE §3) ----------------------------------------------------------

BEFORE_YOU_START = (
    "Stretch gently. You should feel a firm pull in the muscle, never sharp pain. Breathe "
    "normally and don't bounce. If your balance isn't steady, use the seated versions or hold "
    "onto something sturdy. If you've had recent surgery or an injury, have a health problem "
    "affecting your legs or joints, or are pregnant, check with a health professional before "
    "starting new exercises."
)
# GUIDE §3.4: "firm pull, not pain"; stop on sharp pain or a swollen, red, warm calf (see §4.2).
STRETCH_SAFETY = (
    "A firm pull, never pain. Stop if the pain is sharp, or if a calf is newly swollen, red or "
    "warm, and have it checked by a health professional."
)
BALANCE_SAFETY = (
    STRETCH_SAFETY + " Hold onto something sturdy, or use the seated stretch if your balance "
    "isn't steady."
)
STRETCH_EVIDENCE = "Low risk; may help"
# GUIDE §3.2: an optional longer hold comes from general flexibility advice, not cramp trials.
LONGER_HOLD_NOTE = "Longer holds (20-30 s): general flexibility advice, not tested in cramp trials"


@dataclass(frozen=True)
class RoutineDefault:
    """A default item: its text, its stretch timing, the GUIDE's safety note and evidence line.

    ``cautions`` are the profile conditions (vocab.CONDITIONS) that make the safety note matter
    most for this user: the UI can show it first for them.
    """

    key: str
    title: str
    instructions: str
    line: str
    evidence: str
    active: bool
    safety: str = ""
    hold_s: int | None = None
    reps: int | None = None
    rest_s: int | None = None
    per_leg: bool = False
    stretch: bool = False
    cautions: tuple[str, ...] = ()
    days: tuple[int, ...] = ISO_WEEKDAYS


DEFAULT_ROUTINE: tuple[RoutineDefault, ...] = (
    RoutineDefault(
        key="calf_stretch",
        title="Calf stretch at the wall",
        instructions=(
            "About 1 minute per leg. Stand an arm's length from a wall and rest both hands on it "
            "at chest height. Step one foot back about a stride. Keep that back leg straight and "
            "its heel pressed to the floor, with toes pointing forward. Bend the front knee and "
            "lean your hips toward the wall until you feel a steady pull in the back of the lower "
            "leg. Hold for 10 seconds, ease off for 10 seconds, and do it 3 times. Swap legs.\n"
            "Variation: with the back heel still down, bend the back knee slightly to feel the "
            "stretch lower, nearer the ankle."
        ),
        line="Hands on the wall, back heel down, lean in: hold 10 s, rest 10 s, 3 times each leg",
        evidence=STRETCH_EVIDENCE,
        active=True,
        safety=BALANCE_SAFETY,
        hold_s=10,
        reps=3,
        rest_s=10,
        per_leg=True,
        stretch=True,
    ),
    RoutineDefault(
        key="hamstring_stretch",
        title="Standing hamstring stretch",
        instructions=(
            "About 1 minute per leg. Stand facing a low, stable step or sturdy stool, holding a "
            "wall or chair for balance. Rest one heel on the step with that knee straight (not "
            "locked) and toes pointing up. Keep your back long and hinge forward slightly from "
            "the hips until you feel a pull along the back of the thigh. Hold 10 seconds, relax "
            "10 seconds, 3 times. Swap legs."
        ),
        line="Heel on a low step, lean from the hips: hold 10 s, rest 10 s, 3 times each leg",
        evidence=STRETCH_EVIDENCE,
        active=True,
        safety=BALANCE_SAFETY,
        hold_s=10,
        reps=3,
        rest_s=10,
        per_leg=True,
        stretch=True,
    ),
    RoutineDefault(
        key="seated_stretch",
        title="Seated calf-and-hamstring stretch",
        instructions=(
            "An alternative to the calf and hamstring stretches. Sit on the bed or floor with one "
            "leg straight out and the other bent. Loop a towel or scarf around the ball of the "
            "straight leg's foot. Sit tall and gently draw the towel toward you so your toes "
            "come back toward your shin. Lean forward from the hips only until you feel the pull "
            "behind the calf and thigh. Hold 10 seconds, relax 10 seconds, 3 times per leg."
        ),
        line="Seated, towel round the foot, toes back: hold 10 s, rest 10 s, 3 times each leg",
        evidence=STRETCH_EVIDENCE,
        active=False,
        safety=STRETCH_SAFETY,
        hold_s=10,
        reps=3,
        rest_s=10,
        per_leg=True,
        stretch=True,
    ),
    RoutineDefault(
        key="quad_stretch",
        title="Front-of-thigh (quadriceps) stretch",
        instructions=(
            "Optional. Stand side-on to a wall or sturdy chair and hold it. Bend one knee and "
            "bring that heel toward your buttock, holding your ankle (or use a towel looped "
            "around it). Keep your knees close together and stand tall. Stop at a gentle stretch "
            "along the front of the thigh. Hold 10 seconds, 3 times per leg. Skip this one if it "
            "strains your knee, and do it lying on your side if balance is a problem."
        ),
        line="Hold a chair, heel toward buttock: hold 10 s, 3 times each leg",
        evidence="Low risk; very little evidence for cramps",
        active=False,
        safety=BALANCE_SAFETY,
        hold_s=10,
        reps=3,
        rest_s=10,
        per_leg=True,
        stretch=True,
    ),
    RoutineDefault(
        key="toe_pull",
        title="Toe pull / ankle flex",
        instructions=(
            "In bed, and during a cramp. Lying or sitting with your leg straight, pull your toes "
            "and the front of your foot up toward your shin, by hand or with a towel, until the "
            "calf feels stretched. Hold 10 seconds and repeat a few times. If a calf cramp "
            "starts, do this same move firmly and hold until the muscle lets go, or stand up and "
            "put weight through your heel. Gentle rubbing of the muscle can help afterwards."
        ),
        line="In bed, pull the toes up toward the shin: hold 10 s, a few times",
        evidence="Eases a cramp once it starts; not shown to prevent cramps",
        active=True,
        safety=STRETCH_SAFETY,
        hold_s=10,
        reps=3,
        rest_s=10,
        stretch=True,
    ),
    RoutineDefault(
        key="warm_bath",
        title="Warm bath or shower",
        instructions=(
            "Optional, 1-2 hours before bed. A warm (not hot) bath or shower of about 10 minutes, "
            "an hour or two before bed, may help you fall asleep a little faster. Check the water "
            "with your elbow or a thermometer first, especially if your feet are numb or you have "
            "diabetes. Stand up slowly afterwards in case you feel light-headed."
        ),
        line="About 10 min, warm not hot, 1-2 h before bed; test the water first",
        evidence="Helps sleep; no cramp trials",
        active=False,
        safety=(
            "Check the water with your elbow or a thermometer first, especially if your feet are "
            "numb or you have diabetes. Stand up slowly afterwards in case you feel light-headed."
        ),
        cautions=("diabetes",),
    ),
    RoutineDefault(
        key="light_movement",
        title="Light movement",
        instructions=(
            "Optional. If you've been sitting a lot, a few minutes of easy movement in the "
            "evening can loosen your legs: a short walk around the house, gentle cycling on a "
            "stationary bike, or ankle circles. Keep it easy, not a workout."
        ),
        line="A few easy minutes: a short walk, gentle cycling or ankle circles",
        evidence="Weak evidence; supports sleep",
        active=False,
    ),
    RoutineDefault(
        key="legs_up",
        title="Legs up for a few minutes",
        instructions=(
            "Optional. If your legs feel heavy or puffy at the end of the day, rest them on a "
            "cushion for 10-15 minutes. Stop and talk to a health professional if raising your "
            "legs makes the pain worse or your feet look pale or feel cold."
        ),
        line="Legs on a cushion for 10-15 min if they feel heavy or puffy",
        evidence="No evidence it prevents cramps; may ease puffy legs",
        active=False,
        safety=(
            "With circulation problems in the legs, raising them can make pain worse. Stop and "
            "talk to a health professional if raising your legs makes the pain worse or your "
            "feet look pale or feel cold."
        ),
        cautions=("circulation_problems",),
    ),
    RoutineDefault(
        key="drinks_spread",
        title="Drinks through the day",
        instructions=(
            "Sip fluids regularly through the day rather than drinking a lot just before bed. If "
            "a doctor has told you to limit fluids, follow that advice instead of any target in "
            "this app."
        ),
        line="Sip through the day, not a lot just before bed",
        evidence="Commonly advised; evidence weak and conflicting",
        active=True,
        safety="If a doctor has told you to limit fluids, follow that advice instead.",
        cautions=("fluid_restriction", "kidney_disease"),
    ),
    RoutineDefault(
        key="same_sleep_times",
        title="Same sleep times",
        instructions=("Go to bed and get up at about the same times every day, weekends included."),
        line="To bed and up at about the same times, weekends too",
        evidence="Good sleep habit; no cramp trials",
        active=True,
    ),
    RoutineDefault(
        key="daylight",
        title="Daylight",
        instructions=(
            "Spend some time outdoors in daylight, ideally in the morning, to help keep your "
            "body clock regular. Follow sun-safety advice."
        ),
        line="Some time outdoors in daylight, ideally in the morning",
        evidence="Good sleep habit; no cramp trials",
        active=False,
        safety="Follow sun-safety advice.",
    ),
    RoutineDefault(
        key="bed_setup",
        title="Set up the bed",
        instructions=(
            "Keep the covers loose over your feet so your toes aren't pushed to point downward "
            "all night. Tucked-in sheets can hold your foot in a cramp-prone position."
        ),
        line="Covers loose over the feet, toes not pushed down",
        evidence="Weak evidence; tight covers that point the toes are a risk factor",
        active=True,
    ),
    RoutineDefault(
        key="evening_drinks",
        title="Evening drinks",
        instructions="Keep alcohol and caffeine light, especially in the evening.",
        line="Alcohol and caffeine light in the evening",
        evidence="Weak evidence; helps sleep",
        active=False,
    ),
)
DEFAULTS_BY_KEY: dict[str, RoutineDefault] = {d.key: d for d in DEFAULT_ROUTINE}


def default_items(night: date) -> list[RoutineItem]:
    """The default routine as first versions, valid from ``night``, in the GUIDE's order."""
    return [
        RoutineItem(
            key=d.key,
            title=d.title,
            instructions=d.instructions,
            line=d.line,
            days=d.days,
            active=d.active,
            position=index,
            hold_s=d.hold_s,
            reps=d.reps,
            rest_s=d.rest_s,
            per_leg=d.per_leg,
            valid_from=night,
        )
        for index, d in enumerate(DEFAULT_ROUTINE)
    ]


def is_untouched_default(versions: Iterable[RoutineItem]) -> bool:
    """Whether ``versions`` are exactly the default routine as first stored, never edited.

    One version per default item, all from the same night, each saying what the GUIDE's
    default says (``default_items``): the routine the app stores on first use, which an
    imported routine may replace while the diary holds no check.
    """
    stored = list(versions)
    starts = {v.valid_from for v in stored}
    if not stored or len(starts) != 1:
        return False
    (night,) = starts
    if night is None:
        return False
    by_key = {v.key: v.content() for v in stored}
    return len(by_key) == len(stored) and by_key == {
        d.key: d.content() for d in default_items(night)
    }


def guidance(key: str) -> RoutineDefault | None:
    """The GUIDE's safety note and evidence line of a default item's key (None: a user's own)."""
    return DEFAULTS_BY_KEY.get(key)


# --- item history ------------------------------------------------------------------------------


def _start(version: RoutineItem) -> date:
    return version.valid_from or date.min


def _order(item: RoutineItem) -> tuple[int, str]:
    return item.position, item.key


class RoutineHistory:
    """Every version of every item; answers "what was the routine on the night of D"."""

    def __init__(self, versions: Iterable[RoutineItem]) -> None:
        by_key: dict[str, list[RoutineItem]] = {}
        for version in versions:
            by_key.setdefault(version.key, []).append(version)
        self._by_key = {k: sorted(v, key=_start) for k, v in by_key.items()}
        self._starts = {k: [_start(v) for v in vs] for k, vs in self._by_key.items()}

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self._by_key)

    @property
    def first_night(self) -> date | None:
        """The first night any item was in force; None for an empty routine."""
        starts = [s[0] for s in self._starts.values() if s]
        return min(starts) if starts else None

    def versions(self, key: str) -> tuple[RoutineItem, ...]:
        return tuple(self._by_key.get(key, ()))

    def all_versions(self) -> list[RoutineItem]:
        return [v for vs in self._by_key.values() for v in vs]

    def version_on(self, key: str, night: date) -> RoutineItem | None:
        """The version of an item in force on a night; None before the item existed."""
        starts = self._starts.get(key)
        if not starts:
            return None
        index = bisect.bisect_right(starts, night) - 1
        return self._by_key[key][index] if index >= 0 else None

    def latest(self, key: str) -> RoutineItem | None:
        versions = self._by_key.get(key)
        return versions[-1] if versions else None

    def items_on(self, night: date) -> list[RoutineItem]:
        """The items in the list on a night (paused ones too, not removed), in their order."""
        found = (self.version_on(key, night) for key in self._by_key)
        return sorted((v for v in found if v is not None and not v.removed), key=_order)

    def scheduled_on(self, night: date) -> list[RoutineItem]:
        """The items due on a night, in their order."""
        return [v for v in self.items_on(night) if v.scheduled_on(night)]

    def current(self) -> list[RoutineItem]:
        """The latest version of every item not removed, in their order."""
        latest = (vs[-1] for vs in self._by_key.values() if vs)
        return sorted((v for v in latest if not v.removed), key=_order)


# --- one night -------------------------------------------------------------------------------

NIGHT_STATES = ("empty", "frozen", "complete", "incomplete")


@dataclass(frozen=True)
class RoutineNight:
    """One night's checklist: each scheduled item with its check (None: not ticked)."""

    night_of: date
    rows: tuple[tuple[RoutineItem, RoutineCheck | None], ...]

    def _count(self, state: str) -> int:
        return sum(1 for _, c in self.rows if c is not None and c.state == state)

    @property
    def scheduled(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return self._count("done")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def completion(self) -> float | None:
        """done / (scheduled - skipped), 0..1; None when nothing is left to do."""
        todo = self.scheduled - self.skipped
        return None if todo == 0 else self.done / todo

    @property
    def state(self) -> str:
        """empty (nothing scheduled), frozen (all skipped), complete or incomplete."""
        if not self.rows:
            return "empty"
        todo = self.scheduled - self.skipped
        if todo == 0:
            return "frozen"
        return "complete" if self.done == todo else "incomplete"


def _checks_by_night(checks: Iterable[RoutineCheck]) -> dict[date, dict[str, RoutineCheck]]:
    out: dict[date, dict[str, RoutineCheck]] = {}
    for check in checks:
        out.setdefault(check.night_of, {})[check.item] = check
    return out


def routine_night(
    history: RoutineHistory, checks: Iterable[RoutineCheck], night: date
) -> RoutineNight:
    """The night's scheduled items with their checks (checks of other nights are ignored)."""
    mine = {c.item: c for c in checks if c.night_of == night}
    return RoutineNight(
        night_of=night,
        rows=tuple((item, mine.get(item.key)) for item in history.scheduled_on(night)),
    )


def _night_from(
    history: RoutineHistory, by_night: Mapping[date, Mapping[str, RoutineCheck]], night: date
) -> RoutineNight:
    mine = by_night.get(night, {})
    return RoutineNight(
        night_of=night,
        rows=tuple((item, mine.get(item.key)) for item in history.scheduled_on(night)),
    )


# --- streak and adherence ----------------------------------------------------------------------


def streak(history: RoutineHistory, checks: Iterable[RoutineCheck], *, tonight: date) -> int:
    """Complete nights in a row ending tonight (if complete) or last night.

    Frozen nights (every item skipped) and nights with nothing scheduled neither break nor
    count; any other night that is not complete (a night with no checks too) breaks it.
    """
    first = history.first_night
    if first is None:
        return 0
    by_night = _checks_by_night(checks)
    night = tonight
    if _night_from(history, by_night, night).state != "complete":
        night -= timedelta(days=1)
    count = 0
    while night >= first:
        state = _night_from(history, by_night, night).state
        if state == "complete":
            count += 1
        elif state == "incomplete":
            break
        night -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class ItemAdherence:
    """One item's counts over a period; ``title`` as it was on the last night it counted."""

    key: str
    title: str
    done: int
    undone: int
    skipped: int

    @property
    def rate(self) -> float | None:
        counted = self.done + self.undone
        return None if counted == 0 else self.done / counted


@dataclass(frozen=True)
class RoutineAdherence:
    """Done / (done + undone) over the scheduled item-nights of the nights that count.

    ``nights`` is how many nights of first..last counted (a diary entry or a routine check).
    """

    first: date
    last: date
    nights: int
    done: int
    undone: int
    skipped: int
    items: tuple[ItemAdherence, ...] = field(default=())

    @property
    def rate(self) -> float | None:
        """0..1; None when no scheduled item-night counted (nothing to measure)."""
        counted = self.done + self.undone
        return None if counted == 0 else self.done / counted


def adherence(
    history: RoutineHistory,
    checks: Iterable[RoutineCheck],
    logged: Collection[date],
    *,
    first: date,
    last: date,
) -> RoutineAdherence:
    """Adherence over the nights first..last inclusive.

    ``logged`` holds the nights with a diary entry (night record, cramp or paper tally); a night
    with a routine check counts too. Skipped items count in neither part of the fraction.
    """
    by_night = _checks_by_night(c for c in checks if first <= c.night_of <= last)
    nights = done = undone = skipped = 0
    per_item: dict[str, list[Any]] = {}
    night = first
    while night <= last:
        if night in logged or night in by_night:
            nights += 1
            for item, check in _night_from(history, by_night, night).rows:
                counts = per_item.setdefault(item.key, [item.title, 0, 0, 0])
                counts[0] = item.title
                if check is not None and check.state == "done":
                    done += 1
                    counts[1] += 1
                elif check is not None and check.state == "skipped":
                    skipped += 1
                    counts[3] += 1
                else:
                    undone += 1
                    counts[2] += 1
        night += timedelta(days=1)
    items = tuple(
        ItemAdherence(key=key, title=c[0], done=c[1], undone=c[2], skipped=c[3])
        for key, c in per_item.items()
    )
    return RoutineAdherence(first, last, nights, done, undone, skipped, items)


def adherence_period(nights: int, *, today: date) -> tuple[date, date]:
    """The last ``nights`` nights up to last night (the night of today - 1): tonight, still in
    progress, never lowers the figure while it is being ticked."""
    last = today - timedelta(days=1)
    return last - timedelta(days=nights - 1), last


# --- the printed week and its transcription ---------------------------------------------------


def night_label(night: date) -> str:
    """ "Tue 24 Nov": how a night is named on the sheet and in messages (not locale-dependent)."""
    return f"{WEEKDAY_NAMES[night.weekday()]} {night.day} {MONTH_NAMES[night.month - 1]}"


@dataclass(frozen=True)
class WeekRow:
    """A row of the printed week: an item due on at least one of its nights."""

    key: str
    title: str
    line: str
    days: tuple[int, ...]  # ISO weekdays on which it is due that week


def week_rows(history: RoutineHistory, first_night: date) -> list[WeekRow]:
    """The items due in the 7 nights from ``first_night``, in their order.

    Title, line and order come from the version in force on the item's last due night of the
    week; ``days`` are the weekdays on which the item is due in that week.
    """
    nights = [first_night + timedelta(days=i) for i in range(WEEK_NIGHTS)]
    shown: dict[str, RoutineItem] = {}
    days: dict[str, list[int]] = {}
    for night in nights:
        for item in history.scheduled_on(night):
            shown[item.key] = item
            days.setdefault(item.key, []).append(night.isoweekday())
    return [
        WeekRow(key=item.key, title=item.title, line=item.line, days=tuple(sorted(days[item.key])))
        for item in sorted(shown.values(), key=_order)
    ]


PAPER_STATES = {"done": "done", "skipped": "skipped", "": None}


def check_week_cells(
    first_night: date,
    rows: Sequence[WeekRow],
    cells: Mapping[tuple[date, str], str | None],
    cramps: Mapping[date, tuple[int, int | None] | None],
    *,
    today: date,
) -> tuple[dict[tuple[date, str], str | None], dict[date, tuple[int, int | None] | None]]:
    """A filled paper week, checked cell by cell: (states by cell, tallies by night).

    A state is "done", "skipped" or blank ("" or None: no check). A night's tally is (count,
    worst severity or None) or None (blank). ValidationError names the first bad cell as the
    sheet shows it: "Tue 24 Nov, Calf stretch at the wall: must be done, skipped or blank".
    """
    last_night = first_night + timedelta(days=WEEK_NIGHTS - 1)
    titles = {row.key: row.title for row in rows}
    week = f"{night_label(first_night)} to {night_label(last_night)}"

    def place(night: Any, what: str) -> str:
        return f"{night_label(night)}, {what}" if isinstance(night, date) else f"{night!r}, {what}"

    def check_night(night: Any, what: str) -> date:
        if not isinstance(night, date) or not first_night <= night <= last_night:
            raise ValidationError(place(night, what), f"is outside the week {week}")
        if night > today:
            raise ValidationError(place(night, what), "is in the future")
        return night

    states: dict[tuple[date, str], str | None] = {}
    for (night, key), value in cells.items():
        title = titles.get(key) if isinstance(key, str) else None
        what = title or str(key)
        check_night(night, what)
        if title is None:
            raise ValidationError(place(night, what), "is not an item of this week's checklist")
        text = value.strip().lower() if isinstance(value, str) else value
        if text is not None and text not in PAPER_STATES:
            raise ValidationError(place(night, what), "must be done, skipped or blank")
        states[(night, key)] = None if text is None else PAPER_STATES[text]
    tallies: dict[date, tuple[int, int | None] | None] = {}
    for night, tally in cramps.items():
        check_night(night, "cramps")
        if tally is None:
            tallies[night] = None
            continue
        if not isinstance(tally, tuple | list) or len(tally) != 2:
            raise ValidationError(
                place(night, "cramps"), "must be a count and a worst severity (or blank)"
            )
        count, worst = tally
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or not 0 <= count <= MAX_PAPER_CRAMPS
        ):
            raise ValidationError(
                place(night, "cramps"), f"must be a whole number from 0 to {MAX_PAPER_CRAMPS}"
            )
        if worst is not None and (
            isinstance(worst, bool)
            or not isinstance(worst, int)
            or not vocab.NRS_MIN <= worst <= vocab.NRS_MAX
        ):
            raise ValidationError(
                place(night, "worst severity"),
                f"must be a whole number from {vocab.NRS_MIN} to {vocab.NRS_MAX} or blank",
            )
        if count == 0 and worst is not None:
            raise ValidationError(
                place(night, "worst severity"), "must be blank on a night without cramps"
            )
        tallies[night] = (count, worst)
    return states, tallies
