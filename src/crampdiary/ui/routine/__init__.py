"""UI layer: the Routine tab: tonight's checklist, the editor, paper sheets, reminders, timer."""

from __future__ import annotations

from crampdiary.ui.routine.routine_tab import RoutineTab

__all__ = ["RoutineTab"]
