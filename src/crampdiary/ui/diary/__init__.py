"""UI layer: the Diary tab, its calendar strip and the forms for cramps, nights and days."""

from __future__ import annotations

from crampdiary.ui.diary.diary_tab import DiaryTab

__all__ = ["DiaryTab"]
