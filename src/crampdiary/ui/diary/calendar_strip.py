"""UI layer: the week/month strip of nights: not logged, no cramps, or how many cramps and how bad.

Each state has its own shape and words, never colour alone: not logged is a dashed outline with
"○ not logged", no cramps a soft fill with "✓ no cramps", cramps a stronger fill with the count and
the worst severity. Colours come from the palette, so the strip follows light and dark themes.
The strip holds no diary: the tab gives it summaries for the range it asks for.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain.nights import week_start
from crampdiary.domain.summaries import NightSummary
from crampdiary.ui.diary import formatting as fmt

Index = QModelIndex | QPersistentModelIndex

DATE_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1  # "unlogged" | "no_cramps" | "cramps" | "future" | ""
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2
IN_MONTH_ROLE = Qt.ItemDataRole.UserRole + 3
CURRENT_ROLE = Qt.ItemDataRole.UserRole + 4

WEEK, MONTH = "week", "month"
ARROW_STEPS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
STATE_GLYPHS = {"unlogged": "○ not logged", "no_cramps": "✓ no cramps", "future": "·"}


def state_phrase(summary: NightSummary | None, *, future: bool) -> str:
    """What a night's cell says in words: "not logged", "no cramps", "2 cramps, worst 7 of 10"."""
    if future:
        return "still to come"
    if summary is None:
        return "loading"
    if summary.state == "cramps":
        worst = summary.worst_severity if summary.worst_severity is not None else 0
        return f"{fmt.cramps_count(summary.cramps)}, worst {fmt.severity(worst)}"
    return "no cramps" if summary.state == "no_cramps" else "not logged"


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class NightGridModel(QAbstractTableModel):
    """Nights laid out Monday to Sunday: one row per week, one week or a whole month."""

    def __init__(self, first: date, current: date) -> None:
        super().__init__()
        self._first = week_start(first)
        self._weeks = 1
        self._month: tuple[int, int] | None = None
        self._current = current
        self._summaries: dict[date, NightSummary] = {}

    # --- range and data --------------------------------------------------------------------------

    def set_range(self, first: date, weeks: int, month: tuple[int, int] | None) -> None:
        self.beginResetModel()
        self._first = week_start(first)
        self._weeks = weeks
        self._month = month
        self._summaries = {}
        self.endResetModel()

    def set_current(self, current: date) -> None:
        self._current = current
        self._changed_all()

    def set_summaries(self, summaries: Sequence[NightSummary]) -> None:
        self._summaries = {s.night_of: s for s in summaries}
        self._changed_all()

    def first(self) -> date:
        return self._first

    def last(self) -> date:
        return self._first + timedelta(days=7 * self._weeks - 1)

    def month(self) -> tuple[int, int] | None:
        """The month shown (days outside it are dimmed), or None for a week."""
        return self._month

    def summary(self, night: date) -> NightSummary | None:
        return self._summaries.get(night)

    def date_at(self, index: Index) -> date | None:
        if not index.isValid():
            return None
        return self._first + timedelta(days=7 * index.row() + index.column())

    def index_of(self, night: date) -> QModelIndex:
        offset = (night - self._first).days
        if not 0 <= offset < 7 * self._weeks:
            return QModelIndex()
        return self.index(offset // 7, offset % 7)

    def _changed_all(self) -> None:
        if self._weeks:
            self.dataChanged.emit(self.index(0, 0), self.index(self._weeks - 1, 6))

    # --- Qt model --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._weeks

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 7
        ):
            return fmt.DAY_NAMES[section][:3]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        night = self.date_at(index)
        if night is None or night > self._current:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        night = self.date_at(index)
        if night is None or not (0 <= index.row() < self._weeks and 0 <= index.column() < 7):
            return None
        future = night > self._current
        summary = self._summaries.get(night)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{fmt.short_day_name(night)} {night.day}\n" + self._lines(summary, future)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            name = fmt.long_date(night, year=night.year != self._current.year)
            return f"{name}: {state_phrase(summary, future=future)}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "The current night" if night == self._current else None
        if role == DATE_ROLE:
            return night
        if role == STATE_ROLE:
            return "future" if future else (summary.state if summary else "")
        if role == SUMMARY_ROLE:
            return summary
        if role == IN_MONTH_ROLE:
            return self._month is None or (night.year, night.month) == self._month
        if role == CURRENT_ROLE:
            return night == self._current
        return None

    @staticmethod
    def _lines(summary: NightSummary | None, future: bool) -> str:
        if future:
            return STATE_GLYPHS["future"]
        if summary is None:
            return ""
        if summary.state == "cramps":
            worst = summary.worst_severity if summary.worst_severity is not None else 0
            return f"{fmt.cramps_count(summary.cramps)}\nworst {worst}/10"
        return STATE_GLYPHS[summary.state]


class NightCellDelegate(QStyledItemDelegate):
    """Paints a night: its state as an outline or fill plus words; the selection as a frame."""

    LINES = 3

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        height = option.fontMetrics.height() * self.LINES + 18
        return QSize(option.fontMetrics.horizontalAdvance("Wed 30 worst 10/10") // 2 + 24, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        palette: QPalette = option.palette
        state = index.data(STATE_ROLE) or ""
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        current = bool(index.data(CURRENT_ROLE))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not index.data(IN_MONTH_ROLE):
            painter.setOpacity(0.45)
        rect = QRectF(option.rect).adjusted(4, 4, -4, -4)
        text_color = palette.color(QPalette.ColorRole.Text)
        # The view's own Highlight is transparent (see NightGridView); the accent is the strip's.
        source = option.widget.parentWidget() if option.widget is not None else None
        accent = (source.palette() if source else palette).color(QPalette.ColorRole.Highlight)

        if state == "unlogged":
            outline = QColor(text_color)
            outline.setAlpha(150)
            pen = QPen(outline, 1.2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, 6, 6)
        elif state in ("no_cramps", "cramps"):
            fill = QColor(accent)
            summary = index.data(SUMMARY_ROLE)
            worst = summary.worst_severity if summary and summary.worst_severity else 0
            # Stronger fill for worse nights; the words carry the value, the fill only helps.
            fill.setAlpha(40 if state == "no_cramps" else 60 + 5 * worst)
            border = QColor(accent)
            border.setAlpha(160)
            painter.setPen(QPen(border, 1.0))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 6, 6)
        if state == "future":
            text_color = palette.color(QPalette.ColorRole.PlaceholderText)
        if selected:
            # Text colour, not the accent: it stands out on every fill, light or dark theme.
            painter.setPen(QPen(text_color, 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), 7, 7)
        if current:
            # A small corner mark for the current night (shape, not only colour).
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(text_color)
            corner = rect.topRight()
            painter.drawEllipse(QRectF(corner.x() - 11, corner.y() + 5, 6, 6))

        first, _, rest = text.partition("\n")
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text_color)
        inner = rect.adjusted(6, 4, -6, -4)
        line = option.fontMetrics.height()
        painter.drawText(
            QRectF(inner.x(), inner.y(), inner.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            first,
        )
        painter.setFont(option.font)
        painter.drawText(
            QRectF(inner.x(), inner.y() + line, inner.width(), inner.height() - line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            rest,
        )
        painter.restore()


class NightGridView(QTableView):
    """The grid of night cells; arrow keys step by a day or week, PageUp/PageDown by a page."""

    step_requested = Signal(int)  # days
    page_requested = Signal(int)  # -1 back, +1 forward
    today_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setShowGrid(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        self.horizontalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setAccessibleName("Nights")
        # The style would fill a selected cell's whole square; the delegate draws a frame instead.
        palette = self.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, QColor(0, 0, 0, 0))
        self.setPalette(palette)
        self.setItemDelegate(NightCellDelegate(self))
        height = self.fontMetrics().height() * NightCellDelegate.LINES + 18
        self.verticalHeader().setDefaultSectionSize(height)

    def fit_rows(self) -> None:
        rows = self.model().rowCount() if self.model() is not None else 1
        self.setFixedHeight(self.verticalHeader().defaultSectionSize() * rows + 2)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and key in ARROW_STEPS:
            self.step_requested.emit(ARROW_STEPS[Qt.Key(key)])
        elif plain and key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.page_requested.emit(-1 if key == Qt.Key.Key_PageUp else 1)
        elif plain and key == Qt.Key.Key_Home:
            self.today_requested.emit()
        else:
            super().keyPressEvent(event)


class CalendarStrip(QWidget):
    """Previous / Today / Next, the range title, Week / Month, and the grid of nights."""

    night_selected = Signal(object)  # date
    range_changed = Signal(object, object)  # first, last (dates, inclusive)

    def __init__(self, current: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current = current
        self._selected = current
        self._mode = WEEK
        self._month = (current.year, current.month)
        self._syncing = False

        self.model = NightGridModel(current, current)
        self.view = NightGridView()
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.view.step_requested.connect(self.step)
        self.view.page_requested.connect(self.page)
        self.view.today_requested.connect(self.go_today)

        self.previous_button = QPushButton("‹ Previous")
        self.previous_button.clicked.connect(lambda: self.page(-1))
        self.today_button = QPushButton("Today")
        self.today_button.setAccessibleName("Go to the current night")
        self.today_button.setToolTip("Go to the current night (Home)")
        self.today_button.clicked.connect(self.go_today)
        self.next_button = QPushButton("Next ›")
        self.next_button.clicked.connect(lambda: self.page(1))
        self.range_label = QLabel()
        title_font = self.range_label.font()
        title_font.setBold(True)
        self.range_label.setFont(title_font)
        self.range_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.week_button = QPushButton("&Week")
        self.month_button = QPushButton("&Month")
        self.mode_group = QButtonGroup(self)
        for button, mode in ((self.week_button, WEEK), (self.month_button, MONTH)):
            button.setCheckable(True)
            button.setAccessibleName(f"Show a {mode}")
            self.mode_group.addButton(button)
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
        self.week_button.setChecked(True)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.range_label, 1)
        bar.addWidget(self.week_button)
        bar.addWidget(self.month_button)
        legend = QLabel("○ not logged     ✓ no cramps     n cramps, worst severity (0 to 10)")
        legend.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        legend.setAccessibleName("Key to the nights")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        layout.addWidget(legend)
        self.setFocusProxy(self.view)
        self._apply_range(force=True)

    # --- state -----------------------------------------------------------------------------------

    def mode(self) -> str:
        return self._mode

    def selected_night(self) -> date:
        return self._selected

    def current_night(self) -> date:
        return self._current

    def visible_range(self) -> tuple[date, date]:
        return self.model.first(), self.model.last()

    def summary(self, night: date) -> NightSummary | None:
        return self.model.summary(night)

    def set_summaries(self, summaries: Sequence[NightSummary]) -> None:
        self.model.set_summaries(summaries)

    def set_current_night(self, current: date) -> None:
        """The clock moved on (or back): future cells change, and the selection stays in reach."""
        if current == self._current:
            return
        self._current = current
        self.model.set_current(current)
        if self._selected > current:
            self.select_night(current)
        self._update_buttons()

    # --- navigation ------------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        if mode not in (WEEK, MONTH):
            raise ValueError(f"unknown strip mode {mode!r}")
        (self.week_button if mode == WEEK else self.month_button).setChecked(True)
        if mode == self._mode:
            return
        self._mode = mode
        self._month = (self._selected.year, self._selected.month)
        self._apply_range()

    def select_night(self, night: date) -> None:
        """Select a night (a future one becomes the current night), moving the range to it."""
        night = min(night, self._current)
        changed = night != self._selected
        self._selected = night
        if self._mode == MONTH and not self._in_grid(night):
            self._month = (night.year, night.month)
        self._apply_range()
        if changed:
            self.night_selected.emit(night)

    def step(self, days: int) -> None:
        self.select_night(self._selected + timedelta(days=days))

    def page(self, direction: int) -> None:
        if self._mode == WEEK:
            self.step(7 * direction)
            return
        target = min(add_months(self._selected, direction), self._current)
        self._month = (target.year, target.month)
        self.select_night(target)

    def go_today(self) -> None:
        self.select_night(self._current)

    # --- internals -------------------------------------------------------------------------------

    def _grid_for(self) -> tuple[date, int, tuple[int, int] | None]:
        if self._mode == WEEK:
            return week_start(self._selected), 1, None
        year, month = self._month
        first = week_start(date(year, month, 1))
        last_day = date(year, month, calendar.monthrange(year, month)[1])
        weeks = (week_start(last_day) - first).days // 7 + 1
        return first, weeks, self._month

    def _in_grid(self, night: date) -> bool:
        first, weeks, _ = self._grid_for()
        return first <= night < first + timedelta(days=7 * weeks)

    def _apply_range(self, *, force: bool = False) -> None:
        first, weeks, month = self._grid_for()
        shown = (self.model.first(), self.model.rowCount(), self.model.month())
        moved = force or (first, weeks, month) != shown
        if moved:
            self._syncing = True
            try:
                self.model.set_range(first, weeks, month)
            finally:
                self._syncing = False
            self.view.fit_rows()
            if self._mode == WEEK:
                self.range_label.setText(fmt.week_title(*self.visible_range()))
            else:
                self.range_label.setText(fmt.month_title(*self._month))
        self._sync_view()
        self._update_buttons()
        if moved:
            self.range_changed.emit(*self.visible_range())

    def _sync_view(self) -> None:
        index = self.model.index_of(self._selected)
        if index == self.view.currentIndex() and self.view.selectionModel().isSelected(index):
            return
        self._syncing = True
        try:
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self._syncing = False

    def _update_buttons(self) -> None:
        noun = "week" if self._mode == WEEK else "month"
        self.previous_button.setAccessibleName(f"Previous {noun}")
        self.previous_button.setToolTip(f"Previous {noun} (Page Up)")
        self.next_button.setAccessibleName(f"Next {noun}")
        self.next_button.setToolTip(f"Next {noun} (Page Down)")
        self.next_button.setEnabled(self.model.last() < self._current)

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing:
            return
        night = self.model.date_at(current)
        if night is not None and night <= self._current:
            self.select_night(night)
        else:
            self._sync_view()  # a future cell or nothing: keep showing the selected night
