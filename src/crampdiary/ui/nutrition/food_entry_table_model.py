"""UI layer: the day's food entries as a Qt table model: meal, food, amount, Mg and Ca."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from crampdiary.domain.nutrition import Food, nutrients_for
from crampdiary.domain.records import FoodEntry
from crampdiary.ui.nutrition import formatting as fmt

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Meal", "Food", "Amount", "Magnesium", "Calcium")
MEAL, FOOD, AMOUNT, MAGNESIUM, CALCIUM = range(len(COLUMNS))
ENTRY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class EntryRow:
    """A food entry with its food (the food table's or a stand-in with unknown values)."""

    entry: FoodEntry
    food: Food


class FoodEntryTableModel(QAbstractTableModel):
    """Read-only rows in meal order; unknown values show as "? mg", never 0."""

    def __init__(self, rows: Sequence[EntryRow] = ()) -> None:
        super().__init__()
        self._rows: list[EntryRow] = []
        self._texts: list[tuple[str, ...]] = []
        self.set_rows(rows)

    def set_rows(self, rows: Sequence[EntryRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts = [self._row_texts(row) for row in self._rows]
        self.endResetModel()

    def rows(self) -> list[EntryRow]:
        return list(self._rows)

    def row_at(self, row: int) -> EntryRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: str) -> int | None:
        for i, row in enumerate(self._rows):
            if row.entry.id == entry_id:
                return i
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        if not 0 <= column < len(COLUMNS):
            return None
        text = self._texts[index.row()][column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {text}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (MAGNESIUM, CALCIUM):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ENTRY_ROLE:
            return self._rows[index.row()].entry
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    @staticmethod
    def _row_texts(row: EntryRow) -> tuple[str, ...]:
        values = nutrients_for(row.food, row.entry.grams)
        return (
            fmt.meal_label(row.entry.meal),
            row.food.name,
            fmt.entry_amount(row.food, row.entry.grams),
            fmt.amount(values["magnesium"], "mg"),
            fmt.amount(values["calcium"], "mg"),
        )
