"""UI layer: Qt list models over the routine's plain rows (tonight's checklist, the item list)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from crampdiary.domain import routine, vocab
from crampdiary.domain.records import SKIP_REASONS, RoutineCheck, RoutineItem

Index = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
WEEKDAY_NAMES = routine.WEEKDAY_NAMES


def check_text(check: RoutineCheck | None) -> str:
    """How a check reads on the list: 'Done', 'Skipped (ill)', 'Not done'."""
    if check is None or check.state == "undone":
        return "Not done"
    if check.state == "skipped":
        reason = SKIP_REASONS.get(check.reason or "", "")
        return f"Skipped ({reason.lower()})" if reason else "Skipped"
    return "Done"


# GUIDE §3.3-3.4: shown before any stretch (the tab's stretch rows and the stretch timer).
BEFORE_YOU_START_TEXT = (
    f"Before you start: {routine.BEFORE_YOU_START}\n{routine.STRETCH_SAFETY}\n"
    "If you are pregnant, check with your maternity care provider before starting."
)


def is_stretch(item: RoutineItem) -> bool:
    """A stretch: timed, or a default item the GUIDE calls a stretch."""
    guide = routine.guidance(item.key)
    return item.is_timed or (guide is not None and guide.stretch)


def cautions_text(key: str, conditions: frozenset[str] | set[str]) -> str:
    """The item's safety note, marked as important, when the profile has one of its cautions."""
    guide = routine.guidance(key)
    if guide is None or not guide.safety:
        return ""
    mine = [c for c in guide.cautions if c in conditions]
    if not mine:
        return ""
    names = ", ".join(vocab.CONDITIONS.get(c, c) for c in mine)
    return f"Important for you ({names}): {guide.safety}"


def days_text(days: tuple[int, ...]) -> str:
    if tuple(sorted(days)) == (1, 2, 3, 4, 5, 6, 7):
        return "every night"
    return ", ".join(WEEKDAY_NAMES[d - 1] for d in sorted(days))


class TonightModel(QAbstractListModel):
    """Tonight's due items, each with its check (None: not ticked)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[RoutineItem, RoutineCheck | None]] = []

    def set_rows(self, rows: list[tuple[RoutineItem, RoutineCheck | None]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[tuple[RoutineItem, RoutineCheck | None]]:
        return list(self._rows)

    def row_at(self, row: int) -> tuple[RoutineItem, RoutineCheck | None] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item, check = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = {"done": "✓", "skipped": "–"}.get(check.state if check else "", " ")
            note = " ✎" if check is not None and check.note else ""
            line = f" — {item.line}" if item.line else ""
            return f"[{mark}] {item.title}{line}  ({check_text(check)}){note}"
        if role == Qt.ItemDataRole.CheckStateRole:
            done = check is not None and check.state == "done"
            return Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.instructions or item.line or item.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.title}: {check_text(check)}"
        if role == ITEM_ROLE:
            return item.key
        return None


class RoutineItemsModel(QAbstractListModel):
    """The routine's items as they are now (paused ones too), in their order."""

    def __init__(self) -> None:
        super().__init__()
        self._items: list[RoutineItem] = []

    def set_items(self, items: list[RoutineItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> RoutineItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def keys(self) -> list[str]:
        return [i.key for i in self._items]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            paused = " (paused)" if not item.active else ""
            return f"{item.title}{paused} — {days_text(item.days)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.line or item.title
        if role == ITEM_ROLE:
            return item.key
        return None
