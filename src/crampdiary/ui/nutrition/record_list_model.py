"""UI layer: a read-only Qt list model over plain records, each shown by a text function.

The tab's short lists (favourites, recent foods, today's supplement doses and drinks) are all
this model with a different function; the record itself is under ``RECORD_ROLE``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
RECORD_ROLE = Qt.ItemDataRole.UserRole


class RecordListModel(QAbstractListModel, Generic[T]):
    """One row per record; ``text`` gives what the row shows (and what a screen reader says)."""

    def __init__(
        self,
        text: Callable[[T], str],
        tooltip: Callable[[T], str] | None = None,
        records: Sequence[T] = (),
    ) -> None:
        super().__init__()
        self._text = text
        self._tooltip = tooltip or text
        self._records: list[T] = list(records)

    def set_records(self, records: Sequence[T]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[T]:
        return list(self._records)

    def record_at(self, row: int) -> T | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record_at(index.row()) if index.isValid() else None
        if record is None or index.column() != 0:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record)
        if role == RECORD_ROLE:
            return record
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
