"""UI layer: the cramps of one night as a Qt table model (one row per episode, in start order)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from crampdiary.domain import vocab
from crampdiary.domain.records import Episode
from crampdiary.ui.diary import formatting as fmt

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Time", "Duration", "Muscle", "Peak severity", "Woke me", "Relief", "Notes")
TIME, DURATION, MUSCLE, SEVERITY, WOKE, RELIEF, NOTES = range(len(COLUMNS))
EPISODE_ROLE = Qt.ItemDataRole.UserRole


def muscle_text(episode: Episode) -> str:
    muscle = vocab.label(vocab.MUSCLES, episode.muscle)
    if episode.side == "both":
        return f"{muscle}, both sides"
    return f"{muscle}, {vocab.label(vocab.SIDES, episode.side).lower()}"


def relief_text(episode: Episode) -> str:
    if not episode.relief:
        return "None"
    labels = [vocab.label(vocab.RELIEFS, key) for key in episode.relief]
    used = ", ".join([labels[0], *(text.lower() for text in labels[1:])])
    helped = {True: "helped", False: "did not help", None: "not sure if it helped"}
    return f"{used}: {helped[episode.relief_helped]}"


def severity_text(value: int) -> str:
    return f"{value} · {fmt.severity_anchor(value)}"


class EpisodeTableModel(QAbstractTableModel):
    """Read-only rows: time, duration "m:ss", muscle + side, severity with its words, and more."""

    def __init__(self, episodes: Sequence[Episode] = ()) -> None:
        super().__init__()
        self._episodes: list[Episode] = list(episodes)

    def set_episodes(self, episodes: Sequence[Episode]) -> None:
        self.beginResetModel()
        self._episodes = list(episodes)
        self.endResetModel()

    def episodes(self) -> list[Episode]:
        return list(self._episodes)

    def episode_at(self, row: int) -> Episode | None:
        return self._episodes[row] if 0 <= row < len(self._episodes) else None

    def row_of(self, episode_id: str) -> int | None:
        for row, episode in enumerate(self._episodes):
            if episode.id == episode_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._episodes)

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
        episode = self.episode_at(index.row()) if index.isValid() else None
        if episode is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(episode, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NOTES:
                return episode.notes.strip() or None
            if column == TIME:
                return episode.started_at.strftime("%Y-%m-%d %H:%M")
            return self._text(episode, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {self._text(episode, column) or 'none'}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (DURATION, TIME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EPISODE_ROLE:
            return episode
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    @staticmethod
    def _text(episode: Episode, column: int) -> str:
        if column == TIME:
            return fmt.clock_time(episode.started_at)
        if column == DURATION:
            return fmt.duration(episode.duration_s)
        if column == MUSCLE:
            return muscle_text(episode)
        if column == SEVERITY:
            return severity_text(episode.severity)
        if column == WOKE:
            return "Yes" if episode.woke_from_sleep else "No"
        if column == RELIEF:
            return relief_text(episode)
        return fmt.first_line(episode.notes)
