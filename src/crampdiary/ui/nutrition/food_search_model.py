"""UI layer: the food search results as a Qt list model (name and Mg/Ca per default portion)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from crampdiary.domain.nutrition import Food
from crampdiary.ui.nutrition import formatting as fmt

if TYPE_CHECKING:
    from crampdiary.storage.foods import FoodHit

Index = QModelIndex | QPersistentModelIndex
FOOD_ROLE = Qt.ItemDataRole.UserRole


class FoodSearchModel(QAbstractListModel):
    """One row per hit, best first: "name — 1 cup: 764 mg Mg, 59 mg Ca"."""

    def __init__(self) -> None:
        super().__init__()
        self._foods: list[Food] = []

    def set_hits(self, hits: Sequence[FoodHit]) -> None:
        self.beginResetModel()
        self._foods = [hit.food for hit in hits]
        self.endResetModel()

    def clear(self) -> None:
        if self._foods:
            self.set_hits([])

    def foods(self) -> list[Food]:
        return list(self._foods)

    def food_at(self, row: int) -> Food | None:
        return self._foods[row] if 0 <= row < len(self._foods) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._foods)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        food = self.food_at(index.row()) if index.isValid() else None
        if food is None or index.column() != 0:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return fmt.hit_text(food)
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = "Your own food" if food.is_custom else food.group or "USDA SR28"
            return f"{food.name}\n{kind}\nPer {fmt.per_portion_text(food)}"
        if role == FOOD_ROLE:
            return food
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
