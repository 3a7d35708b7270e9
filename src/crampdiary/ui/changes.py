"""UI layer: what changed, announced on one app-wide signal so each view reloads only its part."""

from __future__ import annotations

from enum import Flag, auto

from PySide6.QtCore import QObject, Signal


class Changes(Flag):
    NONE = 0
    DIARY = auto()  # episodes, nights, day context
    MEDICATIONS = auto()
    PROFILE = auto()
    NUTRITION = auto()  # food entries, custom foods, favourites, supplements, drinks
    ROUTINE = auto()  # routine items, their checks, paper tallies, reminder settings
    ALL = DIARY | MEDICATIONS | PROFILE | NUTRITION | ROUTINE


class ChangeBus(QObject):
    """The one place views learn that data changed. Emit after a service call succeeded."""

    changed = Signal(object)  # Changes

    def announce(self, changes: Changes) -> None:
        self.changed.emit(changes)
