"""UI layer: typing a filled paper week back in, laid out like the printed sheet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import routine as rdomain
from crampdiary.domain.errors import CrampDiaryError, ValidationError
from crampdiary.ui.changes import ChangeBus, Changes

if TYPE_CHECKING:
    from crampdiary.services.routine import RoutineService, WeekSaved

CELL_STATES = {"d": "done", "x": "done", "✓": "done", "s": "skipped", "": None}
SHOWN = {"done": "x", "skipped": "s"}
CRAMPS_ROW = "Cramps"
WORST_ROW = "Worst severity"


class TranscriptionDialog(QDialog):
    """Rows: the week's items, then cramps and worst severity; columns: the 7 nights."""

    saved = Signal(object)  # WeekSaved

    def __init__(
        self,
        routine: RoutineService,
        bus: ChangeBus,
        clock: Callable[[], datetime],
        first_night: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Type in a paper week")
        self._routine = routine
        self._first: date = first_night
        self._bus = bus
        self._clock = clock
        self.week_label = QLabel()
        self.week_label.setAccessibleName("Week")
        self.previous_button = QPushButton("‹ Week before")
        self.next_button = QPushButton("Week after ›")
        for button in (self.previous_button, self.next_button):
            button.setAutoDefault(False)
        self.previous_button.clicked.connect(lambda: self.set_week(self._first - timedelta(days=7)))
        self.next_button.clicked.connect(lambda: self.set_week(self._first + timedelta(days=7)))
        self.help_label = QLabel(
            "Type x or d for done, s for skipped, leave blank for not done; "
            "cramps: how many; worst severity: 0-10."
        )
        self.help_label.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setAccessibleName("Paper week")
        self.error_label = QLabel()
        self.error_label.setAccessibleName("Problem")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("font-weight: bold")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addWidget(self.week_label, 1)
        nav.addWidget(self.next_button)
        box = QVBoxLayout(self)
        box.addLayout(nav)
        box.addWidget(self.help_label)
        box.addWidget(self.table, 1)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)
        self._first = first_night
        self._keys: list[str] = []
        self._tallied: set[date] = set()
        self.set_week(first_night)

    @property
    def nights(self) -> list[date]:
        return [self._first + timedelta(days=i) for i in range(rdomain.WEEK_NIGHTS)]

    def set_week(self, first_night: date) -> None:
        """Fill the grid with the stored week."""
        self._first = first_night
        sheet = self._routine.week_sheet(first_night)
        nights = self.nights
        self.week_label.setText(
            f"Nights of {rdomain.night_label(nights[0])} to {rdomain.night_label(nights[-1])}"
        )
        self._keys = [r.key for r in sheet.rows]
        self._tallied = set(sheet.cramps)
        self.table.clear()
        self.table.setRowCount(len(sheet.rows) + 2)
        self.table.setColumnCount(len(nights))
        self.table.setHorizontalHeaderLabels([rdomain.night_label(n) for n in nights])
        self.table.setVerticalHeaderLabels([r.title for r in sheet.rows] + [CRAMPS_ROW, WORST_ROW])
        today = self._clock().date()
        for row, week_row in enumerate(sheet.rows):
            for col, night in enumerate(nights):
                cell = QTableWidgetItem(SHOWN.get(sheet.cells.get((night, week_row.key), ""), ""))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if night.isoweekday() not in week_row.days or night > today:
                    cell.setFlags(Qt.ItemFlag.NoItemFlags)
                    cell.setBackground(QBrush(QColor(225, 225, 225)))
                self.table.setItem(row, col, cell)
        base = len(sheet.rows)
        for col, night in enumerate(nights):
            count, worst = sheet.cramps.get(night, (None, None))
            for offset, value in ((0, count), (1, worst)):
                cell = QTableWidgetItem("" if value is None else str(value))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if night > today:
                    cell.setFlags(Qt.ItemFlag.NoItemFlags)
                    cell.setBackground(QBrush(QColor(225, 225, 225)))
                self.table.setItem(base + offset, col, cell)
        self.error_label.hide()
        if self._keys:
            self.table.setCurrentCell(0, 0)

    def set_cell(self, row: int, col: int, text: str) -> None:
        item = self.table.item(row, col)
        if item is not None:
            item.setText(text)

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    def _editable(self, row: int, col: int) -> bool:
        item = self.table.item(row, col)
        return item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsEditable)

    def _number(self, row: int, col: int, what: str) -> int | None:
        text = self._text(row, col)
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            night = rdomain.night_label(self.nights[col])
            raise ValidationError(
                f"{night}, {what}", f"must be a whole number, not {text!r}"
            ) from None

    def _collect(
        self,
    ) -> tuple[dict[tuple[date, str], str | None], dict[date, tuple[int, int | None] | None]]:
        nights = self.nights
        cells: dict[tuple[date, str], str | None] = {}
        for row, key in enumerate(self._keys):
            for col, night in enumerate(nights):
                if not self._editable(row, col):
                    continue
                text = self._text(row, col).lower()
                # An unknown mark goes to the service as typed: it refuses it, naming the cell.
                cells[(night, key)] = CELL_STATES.get(text, text)
        cramps: dict[date, tuple[int, int | None] | None] = {}
        base = len(self._keys)
        for col, night in enumerate(nights):
            if not self._editable(base, col):
                continue
            count = self._number(base, col, "cramps")
            worst = self._number(base + 1, col, "worst severity")
            if count is None and worst is None:
                if night in self._tallied:
                    cramps[night] = None
                continue
            if count is None:
                label = rdomain.night_label(night)
                raise ValidationError(
                    f"{label}, cramps", "must be counted when a severity is given"
                )
            cramps[night] = (count, worst)
        return cells, cramps

    def _cell_of(self, field: str) -> tuple[int, int] | None:
        """The grid cell a ValidationError's field names ('Tue 24 Nov, Calf stretch')."""
        labels = [rdomain.night_label(n) for n in self.nights]
        names = [self.table.verticalHeaderItem(r).text() for r in range(self.table.rowCount())]
        for col, label in enumerate(labels):
            prefix = f"{label}, "
            if not field.startswith(prefix):
                continue
            what = field[len(prefix) :]
            if what == "cramps":
                return len(self._keys), col
            if what == "worst severity":
                return len(self._keys) + 1, col
            if what in names:
                return names.index(what), col
        return None

    def save(self) -> WeekSaved | None:
        """Save the whole week in one transaction; a bad cell is named and selected."""
        try:
            cells, cramps = self._collect()
            result = self._routine.save_week_transcription(
                self._first, cells, cramps, today=self._clock().date()
            )
        except ValidationError as exc:
            self.error_label.setText(f"Not saved: {exc}")
            self.error_label.show()
            place = self._cell_of(exc.field)
            if place is not None:
                self.table.setCurrentCell(*place)
                self.table.setFocus()
            return None
        except CrampDiaryError as exc:
            self.error_label.setText(f"Not saved: {exc}")
            self.error_label.show()
            return None
        self.error_label.hide()
        self._bus.announce(Changes.ROUTINE | Changes.DIARY)
        self.saved.emit(result)
        self.accept()
        return result
