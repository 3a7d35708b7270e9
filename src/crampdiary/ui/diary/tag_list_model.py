"""UI layer: a checkable list of day tags (the known ones plus any the user adds)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from crampdiary.domain import vocab

Index = QModelIndex | QPersistentModelIndex


class TagListModel(QAbstractListModel):
    """Rows of (tag key, ticked); shown with the tag's label and a check box."""

    def __init__(self, tags: Iterable[str] = (), checked: Iterable[str] = ()) -> None:
        super().__init__()
        ticked = set(checked)
        self._rows: list[tuple[str, bool]] = []
        for key in [*tags, *checked]:
            if all(key != row[0] for row in self._rows):
                self._rows.append((key, key in ticked))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        key, ticked = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return vocab.label(vocab.DEFAULT_TAGS, key)
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return key
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        ticked = Qt.CheckState(value) == Qt.CheckState.Checked
        key, _ = self._rows[index.row()]
        self._rows[index.row()] = (key, ticked)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def add_tag(self, key: str) -> QModelIndex:
        """Tick the tag, adding it at the end when it is new; returns its index."""
        for row, (existing, _) in enumerate(self._rows):
            if existing == key:
                index = self.index(row)
                self.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
                return index
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append((key, True))
        self.endInsertRows()
        return self.index(row)

    def checked_tags(self) -> tuple[str, ...]:
        return tuple(key for key, ticked in self._rows if ticked)
