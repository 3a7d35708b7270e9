"""UI layer: the day's totals and the 7-day averages against the reference values.

One row per nutrient: a bar (the share of the reference, never coloured by judgement), the
number with its percentage and the reference's kind ("RDA 320 mg"), food and supplements apart
(water: drinks and food water), and the weekly average. Where no reference applies the bar goes
and the reason is shown instead (GUIDE 2.6); upper-limit warnings are shown in words.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain.nutrition import NUTRIENTS, UNIT, DailyIntake, NutrientTotal, WeeklyAverage
from crampdiary.ui.diary import formatting as diary_fmt
from crampdiary.ui.nutrition import formatting as fmt


def _label(text: str = "", *, bold: bool = False, small: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    if bold:
        font.setBold(True)
    if small:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


def total_line(total: NutrientTotal) -> str:
    """ "at least 312 mg · 98 % of RDA 320 mg" (the reference part only when there is one)."""
    amount = fmt.nutrient_amount(total.nutrient, total.total)
    if total.foods_without_data > 0:
        amount = f"at least {amount}"
    ref = total.reference
    if ref is None:
        return amount
    pct = fmt.percent(total.total, ref)
    share = "" if pct is None else f"{pct}\u00a0% of "
    return f"{amount} · {share}{fmt.reference_text(ref)}"


def detail_line(total: NutrientTotal) -> str:
    """Where the total comes from, how it compares, and the foods without a value."""
    unit = UNIT[total.nutrient]
    if total.nutrient == "water":
        parts = [
            f"drinks {fmt.amount(total.supplements, unit)} + water in food "
            f"{fmt.amount(total.food, unit)}"
        ]
    else:
        parts = [
            f"food {fmt.nutrient_amount(total.nutrient, total.food)} + supplements "
            f"{fmt.nutrient_amount(total.nutrient, total.supplements)}"
        ]
    if total.reference is not None:
        parts.append(fmt.comparison(total.total, total.reference))
    if total.foods_without_data > 0:
        parts.append(f"{fmt.foods_count(total.foods_without_data)} without data")
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def week_line(total: NutrientTotal, week: WeeklyAverage) -> str:
    """ "at least 290 mg a day (91 %), 2 foods without data", or a dash when no day counts.

    The days above the upper limit are said either way (supplements alone can get there).
    """
    counted = week.food_days or (total.nutrient == "water" and week.drink_days)
    if counted:
        text = f"{fmt.nutrient_amount(total.nutrient, total.total)} a day"
        if total.foods_without_data > 0:
            text = f"at least {text}"
        if total.reference is not None:
            pct = fmt.percent(total.total, total.reference)
            if pct is not None:
                text += f" ({pct}\u00a0%)"
        if total.foods_without_data > 0:
            text += f", {fmt.foods_count(total.foods_without_data)} without data"
        if total.nutrient == "water" and week.drink_days != week.food_days:
            text += f"\ndrinks: average of {fmt.days_count(week.drink_days)} with drinks"
    else:
        text = "–"
    above = week.days_above_upper_limit.get(total.nutrient, 0)
    if above:
        text += f"\nabove the upper limit on {fmt.days_count(above)}"
    return text


def week_heading(week: WeeklyAverage) -> str:
    """ "Average of 5 days with food logged, 19 – 25 November 2026"."""
    span = ""
    if week.first_day is not None and week.last_day is not None:
        span = f", {diary_fmt.week_title(week.first_day, week.last_day)}"
    if week.food_days == 0:
        return f"No food logged in the last 7 days{span}"
    return f"Average of {fmt.days_count(week.food_days)} with food logged{span}"


class NutrientRow:
    """The widgets of one nutrient's row (kept together so tests and the panel can reach them)."""

    def __init__(self, nutrient: str) -> None:
        self.nutrient = nutrient
        name = fmt.nutrient_label(nutrient)
        self.name_label = _label(name, bold=True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(12)
        self.bar.setMinimumWidth(90)
        self.bar.setAccessibleName(f"{name} compared with the reference value")
        self.bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        retain = self.bar.sizePolicy()
        retain.setRetainSizeWhenHidden(True)
        self.bar.setSizePolicy(retain)
        self.total_label = _label()
        self.total_label.setAccessibleName(f"{name} this day")
        self.detail_label = _label(small=True)
        self.detail_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.detail_label.setAccessibleName(f"{name}: where it comes from")
        self.week_label = _label()
        self.week_label.setAccessibleName(f"{name}: average over the last 7 days")
        self.note_label = _label(small=True)
        self.note_label.setAccessibleName(f"{name}: note")
        self.note_label.hide()
        self.warning_label = _label(bold=True)
        self.warning_label.setAccessibleName(f"{name}: upper limit")
        self.warning_label.hide()

    def show_total(
        self, total: NutrientTotal, week_total: NutrientTotal, week: WeeklyAverage, note: str
    ) -> None:
        ref = total.reference
        if ref is None:
            self.bar.hide()
            self.bar.setValue(0)
            self.bar.setAccessibleDescription("")
        else:
            pct = fmt.percent(total.total, ref) or 0
            self.bar.setValue(max(0, min(100, pct)))
            self.bar.setAccessibleDescription(
                f"{pct}\u00a0% of {fmt.reference_text(ref)}, {fmt.comparison(total.total, ref)}"
            )
            self.bar.setToolTip(f"{pct}\u00a0% of {fmt.reference_text(ref)}")
            self.bar.show()
        self.total_label.setText(total_line(total))
        self.total_label.setToolTip(
            ref.source + (f"\n{ref.note}" if ref.note else "") if ref else ""
        )
        self.detail_label.setText(detail_line(total))
        self.week_label.setText(week_line(week_total, week))
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        warnings = "\n".join(f"⚠ {w}" for w in total.warnings)
        self.warning_label.setText(warnings)
        self.warning_label.setVisible(bool(warnings))

    def clear(self) -> None:
        self.bar.hide()
        for label in (self.total_label, self.detail_label, self.week_label):
            label.clear()
        self.note_label.hide()
        self.warning_label.hide()


class IntakePanel(QWidget):
    """Totals for one day and averages for the 7 days ending on it; ``set_intake`` fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Totals against the reference values")
        self.heading = _label("Totals", bold=True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.notice_label = _label()
        self.notice_label.setAccessibleName("About the reference values")
        self.notice_label.hide()
        self.week_heading = _label(small=True)
        self.week_heading.setAccessibleName("Weekly averages")
        self.caveat_label = _label(fmt.CAVEAT, small=True)
        self.caveat_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.caveat_label.setAccessibleName("About reference intakes")
        self.wellness_label = _label(f"{fmt.WELLNESS_CAVEAT} {fmt.WATER_CAVEAT}", small=True)
        self.wellness_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.wellness_label.setAccessibleName("About tracking nutrients")
        # Not dimmed: a safety note, shown only when the profile has kidney disease.
        self.kidney_label = _label(fmt.KIDNEY_CAVEAT, small=True)
        self.kidney_label.setAccessibleName("Supplements with kidney disease")
        self.kidney_label.hide()

        self.rows: dict[str, NutrientRow] = {n: NutrientRow(n) for n in NUTRIENTS}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 4)
        grid.setColumnStretch(3, 3)
        day_head = _label("This day", bold=True, small=True)
        self.week_column_heading = _label("7-day average", bold=True, small=True)
        grid.addWidget(day_head, 0, 2)
        grid.addWidget(self.week_column_heading, 0, 3)
        line = 1
        for row in self.rows.values():
            grid.addWidget(row.name_label, line, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.bar, line, 1, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(row.total_label, line, 2)
            grid.addWidget(row.week_label, line, 3, 2, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.detail_label, line + 1, 1, 1, 2)
            grid.addWidget(row.note_label, line + 2, 1, 1, 3)
            grid.addWidget(row.warning_label, line + 3, 1, 1, 3)
            grid.setRowMinimumHeight(line + 4, 8)
            line += 5

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.notice_label)
        layout.addLayout(grid)
        layout.addWidget(self.week_heading)
        layout.addWidget(self.kidney_label)
        layout.addWidget(self.caveat_label)
        layout.addWidget(self.wellness_label)

    def set_intake(self, day: DailyIntake, week: WeeklyAverage, *, title: str = "") -> None:
        self.heading.setText(f"Totals, {title}" if title else "Totals")
        notes = {
            n: fmt.profile_note(t.reference_note)
            for n, t in day.totals.items()
            if t.reference is None and t.reference_note
        }
        # A note every row would repeat (an incomplete profile) is said once, above the rows.
        counts = Counter(notes.values())
        shared = [text for text, count in counts.items() if count > 1]
        self.notice_label.setText("\n".join(shared))
        self.notice_label.setVisible(bool(shared))
        for n, row in self.rows.items():
            note = notes.get(n, "")
            row.show_total(day.totals[n], week.totals[n], week, "" if note in shared else note)
        self.week_heading.setText(week_heading(week))
        self.kidney_label.setVisible(day.kidney_disease)

    def clear(self) -> None:
        self.heading.setText("Totals")
        self.notice_label.hide()
        self.kidney_label.hide()
        self.week_heading.clear()
        for row in self.rows.values():
            row.clear()
