"""UI layer: the Nutrition tab: food search and logging, supplements, drinks, and the totals."""

from __future__ import annotations

from crampdiary.ui.nutrition.nutrition_tab import NutritionTab

__all__ = ["NutritionTab"]
