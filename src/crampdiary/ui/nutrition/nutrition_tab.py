"""UI layer: the Nutrition tab: foods, supplements and drinks of a day against the reference values.

Thin by design: every action is one call into ``ui.commands`` (which saves, announces
``Changes.NUTRITION`` and makes it undoable); the tab redraws when the bus announces NUTRITION,
PROFILE (reference values) or MEDICATIONS (the potassium rule). Building it touches neither the
database nor the food table: ``set_service`` is called once the food table has loaded.

Keyboard first: type part of a food's name (results follow every keystroke), Down into the
results, Enter to choose one, type the amount, Enter to log it; the focus is back in the search
box for the next food.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain.errors import CrampDiaryError, StorageError
from crampdiary.domain.nutrition import DRINK_FOODS, DailyIntake, Food, WeeklyAverage
from crampdiary.domain.records import (
    EARLIEST_DATE,
    CustomFood,
    Drink,
    FavouriteFood,
    FoodEntry,
    SupplementIntake,
    SupplementProduct,
)
from crampdiary.ui import commands
from crampdiary.ui.changes import ChangeBus, Changes
from crampdiary.ui.diary import formatting as diary_fmt
from crampdiary.ui.nutrition import formatting as fmt
from crampdiary.ui.nutrition.amount_editor import AmountEditor
from crampdiary.ui.nutrition.custom_food_dialog import CustomFoodDialog
from crampdiary.ui.nutrition.drink_dialog import DrinkDialog, drink_kind_combo
from crampdiary.ui.nutrition.food_entry_dialog import FoodEntryDialog, meal_combo
from crampdiary.ui.nutrition.food_entry_table_model import (
    AMOUNT,
    FOOD,
    EntryRow,
    FoodEntryTableModel,
)
from crampdiary.ui.nutrition.food_search_model import FoodSearchModel
from crampdiary.ui.nutrition.intake_panel import IntakePanel
from crampdiary.ui.nutrition.record_list_model import RecordListModel
from crampdiary.ui.nutrition.supplement_dialog import SupplementDialog, dose_text

if TYPE_CHECKING:
    from crampdiary.services.nutrition import NutritionService

logger = logging.getLogger(__name__)
T = TypeVar("T")

RELOAD_ON = Changes.NUTRITION | Changes.PROFILE | Changes.MEDICATIONS
SAME_AS_MEALS = ("breakfast", "lunch", "dinner")
RECENT_WINDOW_DAYS = 60  # where the last amount of a recent food is looked for first
SEARCH_LIMIT = 30
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True)
class QuickFood:
    """A food one click logs: a favourite's saved amount, or a recent food's last amount."""

    food: Food
    grams: float
    favourite_id: str | None = None


def quick_text(item: QuickFood) -> str:
    star = "★ " if item.favourite_id else ""
    return f"{star}{item.food.name} — {fmt.entry_amount(item.food, item.grams)}"


def drink_text(drink: Drink) -> str:
    extra = " (its nutrients count too)" if drink.kind in DRINK_FOODS else ""
    return f"{fmt.drink_label(drink.kind)}, {drink.ml:,} ml{extra}"


def intake_text(intake: SupplementIntake) -> str:
    nutrient = fmt.nutrient_label(intake.nutrient)
    amount = fmt.supplement_amount(intake.amount, intake.unit)
    what = f"{amount} {nutrient.lower().replace('vitamin d', 'vitamin D')}"
    return f"{intake.product}: {what}" if intake.product else f"{nutrient}: {amount}"


def _heading(text: str, scale: float = 1.15) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def _plain(text: str = "", *, small: bool = False, dim: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if small:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
    if dim:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _problem_label(name: str) -> QLabel:
    label = _plain()
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(name)
    label.hide()
    return label


def _button(text: str, name: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setAutoDefault(False)
    if tip:
        button.setToolTip(tip)
    return button


def _list_view(model: RecordListModel[T], name: str) -> QListView:
    view = QListView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setUniformItemSizes(True)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # the amount at the end stays
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view


def _shortcut(
    view: QWidget, text: str, keys: list[QKeySequence], slot: Callable[[], object]
) -> QAction:
    """Keys that act only while ``view`` has the focus (Del never removes what is not seen)."""
    action = QAction(text, view)
    action.setShortcuts(keys)
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(slot)
    view.addAction(action)
    return action


def _enter_keys() -> list[QKeySequence]:
    # Built when needed: a QKeySequence made before the QApplication crashes the process.
    return [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]


def _delete_keys() -> list[QKeySequence]:
    return [QKeySequence(QKeySequence.StandardKey.Delete)]


class NutritionTab(QWidget):
    """A day's foods, supplements and drinks; the main window owns the undo stack and the bus."""

    day_changed = Signal(object)  # date
    food_logged = Signal(object)  # FoodEntry
    reloaded = Signal()

    def __init__(
        self,
        bus: ChangeBus,
        undo_stack: QUndoStack,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bus = bus
        self._undo_stack = undo_stack
        self._clock = clock
        self._service: NutritionService | None = None
        self._day = clock().date()
        self._following_today = True  # a tab left open past midnight moves on to the new day
        self._meal_chosen = False  # the user picked a meal: keep it for the next foods
        self._favourites: dict[str, FavouriteFood] = {}  # food key -> favourite
        self._yesterday: list[FoodEntry] = []
        self._products: list[SupplementProduct] = []
        self.dose_buttons: dict[str, QPushButton] = {}
        self.edit_product_buttons: dict[str, QToolButton] = {}

        self.problem_label = _problem_label("Problem reading the diary")
        day_bar = self._build_day_bar()
        food_side = self._build_food_side()
        food_side.setMinimumWidth(460)
        side_scroll = self._build_side()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(food_side)
        splitter.addWidget(side_scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        self.attribution_label = _plain(fmt.ATTRIBUTION, small=True, dim=True)
        self.attribution_label.setAccessibleName("Source of the food values")

        content = QWidget()
        content_box = QVBoxLayout(content)
        content_box.setContentsMargins(12, 12, 12, 8)
        content_box.setSpacing(8)
        content_box.addLayout(day_bar)
        content_box.addWidget(self.problem_label)
        content_box.addWidget(splitter, 1)
        content_box.addWidget(self.attribution_label)

        self.opening_label = QLabel("Opening the food table…")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.opening_label)
        self.pages.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        for widget in (
            self.search_edit,
            self.results_view,
            self.amount_spin,
            self.unit_combo,
            self.meal_combo,
        ):
            widget.installEventFilter(self)
        self.setFocusProxy(self.search_edit)
        bus.changed.connect(self._on_bus_changed)
        self._set_default_meal()
        self._show_chosen(None)
        self._show_day()
        self._update_buttons()

    # --- building -----------------------------------------------------------------------------

    def _build_day_bar(self) -> QHBoxLayout:
        """Previous/next day, Today, and the date shown."""
        self.previous_button = _button("‹ Previous day", "Previous day", "Alt+Left")
        self.next_button = _button("Next day ›", "Next day", "Alt+Right")
        self.today_button = _button("Today", "Go to today", "Alt+Home")
        self.day_label = _heading("", 1.4)
        self.day_label.setAccessibleName("Day shown")
        self.previous_button.clicked.connect(self.previous_day)
        self.next_button.clicked.connect(self.next_day)
        self.today_button.clicked.connect(self.go_to_today)
        day_bar = QHBoxLayout()
        day_bar.setSpacing(6)
        day_bar.addWidget(self.previous_button)
        day_bar.addWidget(self.next_button)
        day_bar.addWidget(self.today_button)
        day_bar.addSpacing(12)
        day_bar.addWidget(self.day_label, 1)
        # No mnemonics here: Alt+N and Alt+T belong to the main window's tabs.
        for keys, slot in (
            ("Alt+Left", self.previous_day),
            ("Alt+Right", self.next_day),
            ("Alt+Home", self.go_to_today),
            ("Ctrl+F", self.focus_search),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        return day_bar

    def _build_food_side(self) -> QWidget:
        """Search, one-click foods, the amount row and the day's entries."""
        # --- finding a food ------------------------------------------------------------------
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Search foods")
        self.search_edit.setPlaceholderText(
            "Search foods (Ctrl+F): part of a name, e.g. “pumpkin see”; Down for the results"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.new_food_button = _button(
            "New c&ustom food…", "New custom food", "A food of your own, with its label's values"
        )
        self.new_food_button.clicked.connect(self.new_custom_food)

        self.results_model = FoodSearchModel()
        self.results_view = QListView()
        self.results_view.setModel(self.results_model)
        self.results_view.setAccessibleName("Foods found")
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.setUniformItemSizes(True)
        self.results_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.results_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_view.clicked.connect(self._on_results_view_clicked)
        self.results_view.activated.connect(self._on_results_view_clicked)
        self.no_results_label = _plain(dim=True)
        self.no_results_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_results_label.setAccessibleName("No food found")

        # Favourites and recent foods: one click (or Enter) logs the usual amount.
        self.favourites_model: RecordListModel[QuickFood] = RecordListModel(
            quick_text, self._quick_tooltip
        )
        self.favourites_view = _list_view(self.favourites_model, "Starred foods")
        self.favourites_view.clicked.connect(self._on_favourites_view_clicked)
        _shortcut(
            self.favourites_view,
            "Log starred food",
            _enter_keys(),
            lambda: self._log_quick(self.favourites_view, self.favourites_model),
        )
        self.unstar_action = _shortcut(
            self.favourites_view,
            "Remove star",
            _delete_keys(),
            self.unstar_selected_favourite,
        )
        self.favourites_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.recent_model: RecordListModel[QuickFood] = RecordListModel(
            quick_text, self._quick_tooltip
        )
        self.recent_view = _list_view(self.recent_model, "Recent foods")
        self.recent_view.clicked.connect(self._on_recent_view_clicked)
        _shortcut(
            self.recent_view,
            "Log recent food",
            _enter_keys(),
            lambda: self._log_quick(self.recent_view, self.recent_model),
        )
        self.favourites_empty = _plain(
            "Star a food (☆ Star) to log it here in one click.", small=True, dim=True
        )
        self.recent_empty = _plain("Foods you log appear here.", small=True, dim=True)
        self.same_label = QLabel("Same as yesterday's:")
        self.same_buttons: dict[str, QPushButton] = {}
        same_row = QHBoxLayout()
        same_row.addWidget(self.same_label)
        for meal in SAME_AS_MEALS:
            button = _button(fmt.meal_label(meal), f"Same as yesterday's {meal}")
            button.clicked.connect(lambda _=False, m=meal: self.same_as_yesterday(m))
            self.same_buttons[meal] = button
            same_row.addWidget(button)
        same_row.addStretch(1)

        quick = QWidget()
        quick_box = QVBoxLayout(quick)
        quick_box.setContentsMargins(0, 0, 0, 0)
        quick_box.setSpacing(4)
        quick_box.addWidget(_heading("Starred ★ (one click logs it)", 1.0))
        quick_box.addWidget(self.favourites_view, 2)
        quick_box.addWidget(self.favourites_empty)
        quick_box.addWidget(_heading("Recent (one click logs the last amount)", 1.0))
        quick_box.addWidget(self.recent_view, 3)
        quick_box.addWidget(self.recent_empty)
        quick_box.addLayout(same_row)

        self.food_pages = QStackedWidget()
        self.food_pages.addWidget(quick)  # 0: nothing typed
        self.food_pages.addWidget(self.results_view)  # 1: results
        self.food_pages.addWidget(self.no_results_label)  # 2: nothing found
        self.food_pages.setMinimumHeight(170)

        # --- the amount row ------------------------------------------------------------------
        self.chosen_label = _plain()
        self.chosen_label.setAccessibleName("Food chosen")
        font = self.chosen_label.font()
        font.setBold(True)
        self.chosen_label.setFont(font)
        self.amount_editor = AmountEditor()
        self.amount_spin = self.amount_editor.amount_spin
        self.unit_combo = self.amount_editor.unit_combo
        self.meal_combo = meal_combo("Meal")
        self.meal_combo.setToolTip("The meal new foods are logged for (one-click foods too)")
        self.meal_combo.activated.connect(self._on_meal_combo_activated)
        self.log_button = _button("&Log food", "Log food", "Enter")
        self.log_button.clicked.connect(self.log_chosen_food)
        self.star_button = _button("☆ &Star", "Star this food")
        self.star_button.clicked.connect(self.toggle_star_chosen)
        self.edit_food_button = _button("Edit f&ood…", "Edit this custom food")
        self.edit_food_button.clicked.connect(self.edit_chosen_custom_food)
        self.edit_food_button.hide()
        amount_row = QHBoxLayout()
        amount_row.setSpacing(6)
        amount_row.addWidget(self.amount_editor, 3)
        amount_row.addWidget(self.meal_combo, 1)
        amount_row.addWidget(self.log_button)
        amount_row.addWidget(self.star_button)
        amount_row.addWidget(self.edit_food_button)
        self.food_problem_label = _problem_label("Problem with this food")
        self.status_label = _plain(small=True)
        self.status_label.setAccessibleName("Last action")

        # --- the day's entries ---------------------------------------------------------------
        self.entries_heading = _heading("Food this day")
        self.entries_model = FoodEntryTableModel()
        self.entries_view = QTableView()
        self.entries_view.setModel(self.entries_model)
        self.entries_view.setAccessibleName("Food logged this day")
        self.entries_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.entries_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.entries_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.entries_view.setTabKeyNavigation(False)
        self.entries_view.setAlternatingRowColors(True)
        self.entries_view.setWordWrap(False)
        self.entries_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.entries_view.verticalHeader().hide()
        header = self.entries_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FOOD, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AMOUNT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(AMOUNT, 170)
        self.entries_view.activated.connect(self._on_entries_view_activated)
        self.entries_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.entries_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.delete_entry_action = _shortcut(
            self.entries_view,
            "Delete food entry",
            _delete_keys(),
            self.delete_selected_entries,
        )
        self.no_entries_label = _plain("No food logged this day yet.", dim=True)
        self.edit_entry_button = _button("Edit amount…", "Edit the selected food entry", "Enter")
        self.edit_entry_button.clicked.connect(self.edit_selected_entry)
        self.delete_entry_button = _button(
            "Delete", "Delete the selected food entries", "Del. Undo brings them back."
        )
        self.delete_entry_button.clicked.connect(self.delete_selected_entries)
        self.star_entry_button = _button(
            "☆ St&ar with this amount", "Star the selected food with this amount"
        )
        self.star_entry_button.clicked.connect(self.star_selected_entry)
        entry_buttons = QHBoxLayout()
        for button in (self.edit_entry_button, self.delete_entry_button, self.star_entry_button):
            entry_buttons.addWidget(button)
        entry_buttons.addStretch(1)

        food_side = QWidget()
        food_box = QVBoxLayout(food_side)
        food_box.setContentsMargins(0, 0, 6, 0)
        food_box.setSpacing(6)
        food_box.addWidget(_heading("Add food"))
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.new_food_button)
        food_box.addLayout(search_row)
        food_box.addWidget(self.food_pages, 3)
        food_box.addWidget(self.chosen_label)
        food_box.addLayout(amount_row)
        food_box.addWidget(self.amount_editor.preview_label)
        food_box.addWidget(self.food_problem_label)
        food_box.addWidget(self.status_label)
        food_box.addSpacing(6)
        food_box.addWidget(self.entries_heading)
        food_box.addWidget(self.no_entries_label)
        food_box.addWidget(self.entries_view, 4)
        food_box.addLayout(entry_buttons)
        return food_side

    def _build_side(self) -> QScrollArea:
        """Totals against the reference values, supplements and fluids."""
        self.intake_panel = IntakePanel()

        self.products_box = QVBoxLayout()
        self.products_box.setSpacing(4)
        self.no_products_label = _plain(
            "Save a supplement from its label to log a dose in one click.", dim=True
        )
        self.new_product_button = _button("Ne&w supplement…", "New supplement")
        self.new_product_button.clicked.connect(self.new_supplement)
        self.intakes_model: RecordListModel[SupplementIntake] = RecordListModel(intake_text)
        self.intakes_view = _list_view(self.intakes_model, "Supplements taken this day")
        self.intakes_view.setMaximumHeight(72)
        self.intakes_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.intakes_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.delete_intake_action = _shortcut(
            self.intakes_view,
            "Delete supplement dose",
            _delete_keys(),
            self.delete_selected_intake,
        )
        self.no_intakes_label = _plain("None taken this day.", small=True, dim=True)
        self.delete_intake_button = _button("Remove dose", "Remove the selected supplement dose")
        self.delete_intake_button.clicked.connect(self.delete_selected_intake)
        self.supplement_problem_label = _problem_label("Problem with a supplement")
        supplements = QWidget()
        supplements_box = QVBoxLayout(supplements)
        supplements_box.setContentsMargins(0, 0, 0, 0)
        supplements_box.addWidget(_heading("Supplements"))
        supplements_box.addWidget(self.no_products_label)
        supplements_box.addLayout(self.products_box)
        supplements_box.addWidget(self.new_product_button, 0, Qt.AlignmentFlag.AlignLeft)
        supplements_box.addWidget(_plain("Taken this day:", small=True))
        supplements_box.addWidget(self.no_intakes_label)
        supplements_box.addWidget(self.intakes_view)
        supplements_box.addWidget(self.delete_intake_button, 0, Qt.AlignmentFlag.AlignLeft)
        supplements_box.addWidget(self.supplement_problem_label)

        self.drink_kind_combo = drink_kind_combo("Kind of drink for the buttons")
        self.glass_button = _button("Glass 250 ml", "Add a glass, 250 ml")
        self.mug_button = _button("Mug 300 ml", "Add a mug, 300 ml")
        self.bottle_button = _button("Bottle 500 ml", "Add a bottle, 500 ml")
        self.custom_drink_button = _button("Custom…", "Add a drink of another size")
        self._fill_drink_buttons()
        self.custom_drink_button.clicked.connect(self.custom_drink)
        self.drinks_model: RecordListModel[Drink] = RecordListModel(drink_text)
        self.drinks_view = _list_view(self.drinks_model, "Drinks this day")
        self.drinks_view.setMaximumHeight(110)
        self.drinks_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.drinks_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.delete_drink_action = _shortcut(
            self.drinks_view,
            "Delete drink",
            _delete_keys(),
            self.delete_selected_drink,
        )
        self.no_drinks_label = _plain("No drinks logged this day.", small=True, dim=True)
        self.delete_drink_button = _button("Remove drink", "Remove the selected drink")
        self.delete_drink_button.clicked.connect(self.delete_selected_drink)
        self.drink_problem_label = _problem_label("Problem with a drink")
        kind_row = QHBoxLayout()
        kind_row.setSpacing(6)
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.drink_kind_combo)
        kind_row.addWidget(kind_label)
        kind_row.addWidget(self.drink_kind_combo)
        kind_row.addWidget(
            _plain("milk and juice also count their nutrients", small=True, dim=True), 1
        )
        drink_row = QHBoxLayout()
        drink_row.setSpacing(6)
        for button in (
            self.glass_button,
            self.mug_button,
            self.bottle_button,
            self.custom_drink_button,
        ):
            drink_row.addWidget(button)
        drink_row.addStretch(1)
        fluids = QWidget()
        fluids_box = QVBoxLayout(fluids)
        fluids_box.setContentsMargins(0, 0, 0, 0)
        fluids_box.addWidget(_heading("Fluids"))
        fluids_box.addLayout(kind_row)
        fluids_box.addLayout(drink_row)
        fluids_box.addWidget(self.no_drinks_label)
        fluids_box.addWidget(self.drinks_view)
        fluids_box.addWidget(self.delete_drink_button, 0, Qt.AlignmentFlag.AlignLeft)
        fluids_box.addWidget(self.drink_problem_label)

        side = QWidget()
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(6, 0, 12, 0)
        side_box.setSpacing(10)
        side_box.addWidget(self.intake_panel)
        side_box.addWidget(self._rule())
        side_box.addWidget(supplements)
        side_box.addWidget(self._rule())
        side_box.addWidget(fluids)
        side_box.addStretch(1)
        side_scroll = QScrollArea()
        side_scroll.setWidget(side)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setMinimumWidth(420)
        return side_scroll

    # --- public API --------------------------------------------------------------------------

    def set_service(self, nutrition: NutritionService | None) -> None:
        """Show the diary's nutrition (once the food table has loaded), or "Opening…"."""
        self._service = nutrition
        if nutrition is None:
            self.pages.setCurrentIndex(0)
            self._clear()
            return
        self.pages.setCurrentIndex(1)
        self.reload()

    def set_day(self, day: date) -> None:
        """The day being logged (never after today)."""
        today = self._clock().date()
        day = min(day, today)
        self._following_today = day == today
        if day == self._day:
            self._show_day()
            return
        self._day = day
        self._meal_chosen = False
        self._set_default_meal()
        self._show_day()
        self.reload()
        self.day_changed.emit(day)

    def day(self) -> date:
        return self._day

    def previous_day(self) -> None:
        if self._day > EARLIEST_DATE:
            self.set_day(self._day - timedelta(days=1))

    def next_day(self) -> None:
        self.set_day(self._day + timedelta(days=1))

    def go_to_today(self) -> None:
        self.set_day(self._clock().date())

    def reload(self, changes: Changes = RELOAD_ON) -> None:
        """Re-read the day; only the totals when the profile or the medicines changed."""
        service = self._service
        if service is None:
            return
        today = self._clock().date()
        if self._following_today and self._day != today:
            self._day = today  # past midnight: the new day, with everything re-read
            changes |= Changes.NUTRITION
        self._show_day()
        if changes & Changes.NUTRITION:
            self._load_lists(service, today)
        self._load_totals(service)
        self._update_buttons()
        self.reloaded.emit()

    # --- finding and logging a food ------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F: to the search box, its text selected to type over."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def search(self, text: str) -> None:
        """Show the foods matching ``text`` (what typing in the search box does)."""
        self.search_edit.setText(text)

    def choose_food(self, food: Food, *, focus: bool = True) -> None:
        """Make ``food`` the one the amount row logs; the amount gets the focus."""
        self._show_chosen(food)
        if not self._meal_chosen:
            self._set_default_meal()
        if focus:
            self.amount_spin.setFocus(Qt.FocusReason.OtherFocusReason)
            self.amount_spin.selectAll()

    def chosen_food(self) -> Food | None:
        return self.amount_editor.food()

    def log_chosen_food(self) -> FoodEntry | None:
        """Log the chosen food with the amount row's amount and meal (Enter does this)."""
        service = self._service
        food = self.chosen_food()
        if service is None or food is None:
            return None
        try:
            grams = self.amount_editor.grams()
            entry = FoodEntry(date=self._day, food=food.key, grams=grams, meal=self.meal())
            saved = commands.log_food(
                self._undo_stack,
                service,
                self._bus,
                entry,
                today=self._clock().date(),
                clock=self._clock,
            )
        except CrampDiaryError as exc:
            self._show_food_problem(exc, self.amount_spin)
            return None
        self._after_log(saved, food)
        self.search_edit.clear()
        self._show_chosen(None)
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return saved

    def log_quick(self, item: QuickFood) -> FoodEntry | None:
        """One click: the favourite's or recent food's usual amount, for the current meal."""
        service = self._service
        if service is None:
            return None
        if not self._meal_chosen:
            self._set_default_meal()
        entry = FoodEntry(date=self._day, food=item.food.key, grams=item.grams, meal=self.meal())
        try:
            saved = commands.log_food(
                self._undo_stack,
                service,
                self._bus,
                entry,
                today=self._clock().date(),
                clock=self._clock,
            )
        except CrampDiaryError as exc:
            self._show_food_problem(exc, None)
            return None
        self._after_log(saved, item.food)
        return saved

    def same_as_yesterday(self, meal: str) -> list[FoodEntry]:
        """Copy the day before's ``meal`` into this day (one step, one Undo)."""
        service = self._service
        if service is None:
            return []
        try:
            copies = commands.same_as_meal(
                self._undo_stack,
                service,
                self._bus,
                meal,
                self._day - timedelta(days=1),
                self._day,
                today=self._clock().date(),
                clock=self._clock,
            )
        except CrampDiaryError as exc:
            self._show_food_problem(exc, None)
            return []
        self._set_status(
            f"Copied {fmt.foods_count(len(copies))} into {meal}. Ctrl+Z undoes it."
            if copies
            else f"Nothing to copy: no {meal} logged the day before."
        )
        return copies

    def meal(self) -> str:
        data = self.meal_combo.currentData()
        return data if isinstance(data, str) else "snack"

    def set_meal(self, meal: str) -> None:
        index = self.meal_combo.findData(meal)
        if index >= 0:
            self.meal_combo.setCurrentIndex(index)
            self._meal_chosen = True

    # --- stars ---------------------------------------------------------------------------------

    def toggle_star_chosen(self) -> None:
        """Star the chosen food with the amount row's amount, or take its star away."""
        service = self._service
        food = self.chosen_food()
        if service is None or food is None:
            return
        existing = self._favourites.get(food.key)
        try:
            if existing is not None:
                commands.unstar_food(self._undo_stack, service, self._bus, existing.id)
                self._set_status(f"Star removed from {food.name}.")
            else:
                grams = self.amount_editor.grams()
                commands.star_food(
                    self._undo_stack, service, self._bus, FavouriteFood(food=food.key, grams=grams)
                )
                self._set_status(f"Starred {food.name}: one click logs {fmt.grams(grams)}.")
        except CrampDiaryError as exc:
            self._show_food_problem(exc, self.star_button)
            return
        self._show_star(food)

    def star_selected_entry(self) -> None:
        service = self._service
        rows = self.selected_entries()
        if service is None or len(rows) != 1:
            return
        row = rows[0]
        try:
            commands.star_food(
                self._undo_stack,
                service,
                self._bus,
                FavouriteFood(food=row.entry.food, grams=row.entry.grams),
            )
        except CrampDiaryError as exc:
            self._show_food_problem(exc, None)
            return
        self._set_status(
            f"Starred {row.food.name}: one click logs "
            f"{fmt.entry_amount(row.food, row.entry.grams)}."
        )

    def unstar_selected_favourite(self) -> None:
        service = self._service
        index = self.favourites_view.currentIndex()
        item = self.favourites_model.record_at(index.row()) if index.isValid() else None
        if service is None or item is None or item.favourite_id is None:
            return
        try:
            commands.unstar_food(self._undo_stack, service, self._bus, item.favourite_id)
        except CrampDiaryError as exc:
            self._show_food_problem(exc, None)
            return
        self._set_status(f"Star removed from {item.food.name}. Ctrl+Z undoes it.")

    # --- the day's entries ---------------------------------------------------------------------

    def selected_entries(self) -> list[EntryRow]:
        """The selected rows; with none selected, the current row (the keyboard's place)."""
        rows = self._selected_entry_rows() or self._current_rows(self.entries_view)
        return [r for i in rows if (r := self.entries_model.row_at(i)) is not None]

    def _selected_entry_rows(self) -> list[int]:
        return sorted(i.row() for i in self.entries_view.selectionModel().selectedRows())

    def delete_selected_entries(self) -> None:
        service = self._service
        places = self._selected_entry_rows() or self._current_rows(self.entries_view)
        rows = [r for i in places if (r := self.entries_model.row_at(i)) is not None]
        if service is None or not rows:
            return
        try:
            commands.delete_food_entries(
                self._undo_stack,
                service,
                self._bus,
                [r.entry.id for r in rows],
                clock=self._clock,
            )
        except CrampDiaryError as exc:
            self._show_food_problem(exc, None)
            return
        self._keep_place(self.entries_view, places[0])
        what = rows[0].food.name if len(rows) == 1 else fmt.foods_count(len(rows))
        self._set_status(f"Deleted {what}. Ctrl+Z brings it back.")

    def edit_selected_entry(self) -> FoodEntryDialog | None:
        rows = self.selected_entries()
        if self._service is None or len(rows) != 1:
            return None
        return self._edit_entry(rows[0])

    def _edit_entry(self, row: EntryRow) -> FoodEntryDialog:
        dialog = FoodEntryDialog(
            self, entry=row.entry, food=row.food, today=self._clock().date(), save=self._save_entry
        )
        self._open(dialog)
        return dialog

    # --- custom foods --------------------------------------------------------------------------

    def new_custom_food(self) -> CustomFoodDialog | None:
        if self._service is None:
            return None
        dialog = CustomFoodDialog(self, save=self._save_custom_food)
        name = self.search_edit.text().strip()
        if name and self.food_pages.currentIndex() == 2:  # nothing found: start from the text
            dialog.name_edit.setText(name)
        self._open(dialog)
        return dialog

    def edit_chosen_custom_food(self) -> CustomFoodDialog | None:
        service = self._service
        food = self.chosen_food()
        if service is None or food is None or not food.is_custom:
            return None
        custom = self._read(
            lambda: next((c for c in service.custom_foods() if c.key == food.key), None)
        )
        if custom is None:
            return None
        dialog = CustomFoodDialog(
            self, food=custom, save=self._save_custom_food, delete=self._delete_custom_food
        )
        self._open(dialog)
        return dialog

    # --- supplements ---------------------------------------------------------------------------

    def new_supplement(self) -> SupplementDialog | None:
        if self._service is None:
            return None
        dialog = SupplementDialog(self, save=self._save_product)
        self._open(dialog)
        return dialog

    def edit_supplement(self, product_id: str) -> SupplementDialog | None:
        product = next((p for p in self._products if p.id == product_id), None)
        if self._service is None or product is None:
            return None
        dialog = SupplementDialog(
            self, product=product, save=self._save_product, delete=self._delete_product
        )
        self._open(dialog)
        return dialog

    def take_dose(self, product_id: str) -> SupplementIntake | None:
        """One click: one dose of a saved supplement on the day shown."""
        service = self._service
        if service is None:
            return None
        try:
            intake = commands.log_supplement_dose(
                self._undo_stack,
                service,
                self._bus,
                product_id,
                self._day,
                today=self._clock().date(),
                clock=self._clock,
            )
        except CrampDiaryError as exc:
            self._show_problem(self.supplement_problem_label, exc)
            return None
        self.supplement_problem_label.hide()
        self._set_status(f"Logged {intake_text(intake)}. Ctrl+Z undoes it.")
        return intake

    def delete_selected_intake(self) -> None:
        service = self._service
        intake = self._current(self.intakes_view, self.intakes_model)
        if service is None or intake is None:
            return
        row = self.intakes_model.records().index(intake)
        try:
            commands.delete_supplement_intake(
                self._undo_stack, service, self._bus, intake.id, clock=self._clock
            )
        except CrampDiaryError as exc:
            self._show_problem(self.supplement_problem_label, exc)
            return
        self._keep_place(self.intakes_view, row)
        self._set_status(f"Removed {intake_text(intake)}. Ctrl+Z brings it back.")

    # --- drinks --------------------------------------------------------------------------------

    def add_drink(self, ml: int, kind: str | None = None) -> Drink | None:
        """One click: a drink of ``ml`` of the kind in the combo (or ``kind``)."""
        service = self._service
        if service is None:
            return None
        drink = Drink(date=self._day, ml=ml, kind=kind or self.drink_kind())
        try:
            saved = self._save_drink(drink)
        except CrampDiaryError as exc:
            self._show_problem(self.drink_problem_label, exc)
            return None
        self.drink_problem_label.hide()
        return saved

    def drink_kind(self) -> str:
        data = self.drink_kind_combo.currentData()
        return data if isinstance(data, str) else "water"

    def custom_drink(self) -> DrinkDialog | None:
        if self._service is None:
            return None
        dialog = DrinkDialog(
            self,
            day=self._day,
            today=self._clock().date(),
            kind=self.drink_kind(),
            save=self._save_drink,
        )
        self._open(dialog)
        return dialog

    def delete_selected_drink(self) -> None:
        service = self._service
        drink = self._current(self.drinks_view, self.drinks_model)
        if service is None or drink is None:
            return
        row = self.drinks_model.records().index(drink)
        try:
            commands.delete_drink(self._undo_stack, service, self._bus, drink.id, clock=self._clock)
        except CrampDiaryError as exc:
            self._show_problem(self.drink_problem_label, exc)
            return
        self._keep_place(self.drinks_view, row)
        self._set_status(f"Removed {drink_text(drink)}. Ctrl+Z brings it back.")

    # --- saving (each is one command: saved, announced, undoable) ------------------------------

    def _require_service(self) -> NutritionService:
        """The service a form saves through; gone only if the diary closed under an open form."""
        if self._service is None:
            raise StorageError("The diary is closed, so nothing was saved.")
        return self._service

    def _save_entry(self, entry: FoodEntry) -> FoodEntry:
        return commands.edit_food_entry(
            self._undo_stack,
            self._require_service(),
            self._bus,
            entry,
            today=self._clock().date(),
            clock=self._clock,
        )

    def _save_custom_food(self, food: CustomFood) -> CustomFood:
        service = self._require_service()
        saved = commands.save_custom_food(self._undo_stack, service, self._bus, food)
        self._set_status(f"Saved {saved.name}. Type its amount and press Enter to log it.")
        # The search shows it at once, and it is the food the amount row logs next.
        self._on_search_edit_text_changed(self.search_edit.text())
        fresh = service.food(saved.key)
        if fresh is not None:
            self.choose_food(fresh, focus=False)
        return saved

    def _delete_custom_food(self, food_id: str) -> CustomFood:
        old = commands.delete_custom_food(
            self._undo_stack, self._require_service(), self._bus, food_id
        )
        chosen = self.chosen_food()
        if chosen is not None and chosen.key == old.key:
            self._show_chosen(None)
        self._on_search_edit_text_changed(self.search_edit.text())
        self._set_status(f"Deleted {old.name}. Ctrl+Z brings it back.")
        return old

    def _save_product(self, product: SupplementProduct) -> SupplementProduct:
        saved = commands.save_supplement_product(
            self._undo_stack, self._require_service(), self._bus, product
        )
        self.supplement_problem_label.hide()
        return saved

    def _delete_product(self, product_id: str) -> SupplementProduct:
        old = commands.delete_supplement_product(
            self._undo_stack, self._require_service(), self._bus, product_id
        )
        self._set_status(f"Deleted {old.name}; its logged doses stay. Ctrl+Z brings it back.")
        return old

    def _save_drink(self, drink: Drink) -> Drink:
        saved = commands.add_drink(
            self._undo_stack,
            self._require_service(),
            self._bus,
            drink,
            today=self._clock().date(),
            clock=self._clock,
        )
        self._set_status(f"Added {drink_text(saved)}. Ctrl+Z undoes it.")
        return saved

    # --- loading -------------------------------------------------------------------------------

    def _read(self, fn: Callable[[], T]) -> T | None:
        """A read; a failure is shown in the tab, not as a pop-up on every redraw."""
        try:
            result = fn()
        except CrampDiaryError as exc:
            logger.warning("nutrition read failed: %s", type(exc).__name__)
            self.problem_label.setText(f"⚠ Could not read the diary: {exc}")
            self.problem_label.show()
            return None
        self.problem_label.hide()
        return result

    def _load_lists(self, service: NutritionService, today: date) -> None:
        day = self._day

        def food_of(key: str) -> Food:
            from crampdiary.services.nutrition import unknown_food

            return service.food(key) or unknown_food(key)

        loaded = self._read(
            lambda: (
                service.entries_for(day),
                service.entries_for(day - timedelta(days=1)),
                service.favourite_foods(),
                service.recent_foods(),
                service.entries_between(today - timedelta(days=RECENT_WINDOW_DAYS), today),
                service.supplement_products(),
                service.supplement_intakes(day),
                service.drinks(day),
            )
        )
        if loaded is None:
            return
        entries, yesterday, favourites, recent, lately, products, intakes, drinks = loaded

        keep = {
            r.entry.id
            for i in self._selected_entry_rows()
            if (r := self.entries_model.row_at(i)) is not None
        }
        self.entries_model.set_rows([EntryRow(e, food_of(e.food)) for e in entries])
        for entry_id in keep:
            row = self.entries_model.row_of(entry_id)
            if row is not None:
                self.entries_view.selectRow(row)
        self.entries_view.setVisible(bool(entries))
        self.no_entries_label.setVisible(not entries)

        self._favourites = {f.food: f for f in favourites}
        starred_row = self.favourites_view.currentIndex().row()
        self.favourites_model.set_records(
            [QuickFood(food_of(f.food), f.grams, f.id) for f in favourites]
        )
        self._restore_current(self.favourites_view, starred_row)
        last_grams = {e.food: e.grams for e in lately}
        missing = {
            f.key for f in recent if f.key not in last_grams and f.key not in self._favourites
        }
        if missing:
            # A food last eaten long ago: its latest amount from the whole diary (rare).
            older = self._read(lambda: service.entries_between(EARLIEST_DATE, today)) or []
            for e in older:  # in date order: the latest amount wins
                if e.food in missing:
                    last_grams[e.food] = e.grams
        recent_row = self.recent_view.currentIndex().row()
        self.recent_model.set_records(
            [
                QuickFood(f, last_grams.get(f.key, fmt.default_portion(f)[1]))
                for f in recent
                if f.key not in self._favourites
            ]
        )
        self._restore_current(self.recent_view, recent_row)
        self.favourites_empty.setVisible(not favourites)
        self.recent_empty.setVisible(self.recent_model.rowCount() == 0)

        self._yesterday = yesterday
        self._products = products
        self._show_products(products)
        self.intakes_model.set_records(intakes)
        self.drinks_model.set_records(drinks)
        self._show_if_any(
            intakes, self.intakes_view, self.delete_intake_button, self.no_intakes_label
        )
        self._show_if_any(drinks, self.drinks_view, self.delete_drink_button, self.no_drinks_label)
        chosen = self.chosen_food()
        if chosen is not None:
            self._show_star(chosen)
        self._show_same_buttons()

    def _load_totals(self, service: NutritionService) -> None:
        day = self._day
        loaded: tuple[DailyIntake, WeeklyAverage] | None = self._read(
            lambda: (service.day_intake(day), service.week_average(day))
        )
        if loaded is None:
            return
        title = diary_fmt.long_date(day, year=day.year != self._clock().date().year)
        self.intake_panel.set_intake(*loaded, title=title)

    def _clear(self) -> None:
        self.search_edit.clear()
        self.results_model.clear()
        self._show_chosen(None)
        self.entries_model.set_rows([])
        self.favourites_model.set_records([])
        self.recent_model.set_records([])
        self.intakes_model.set_records([])
        self.drinks_model.set_records([])
        self._show_if_any([], self.intakes_view, self.delete_intake_button, self.no_intakes_label)
        self._show_if_any([], self.drinks_view, self.delete_drink_button, self.no_drinks_label)
        self._favourites = {}
        self._yesterday = []
        self._products = []
        self._show_products([])
        self.intake_panel.clear()
        self._update_buttons()

    # --- showing -------------------------------------------------------------------------------

    def _show_day(self) -> None:
        today = self._clock().date()
        title = fmt.day_title(self._day, today)
        self.day_label.setText(title)
        self.day_label.setAccessibleDescription(title)
        self.next_button.setEnabled(self._day < today)
        self.today_button.setEnabled(self._day != today)
        self.previous_button.setEnabled(self._day > EARLIEST_DATE)
        self.entries_heading.setText(
            "Food today" if self._day == today else f"Food on {diary_fmt.short_date(self._day)}"
        )
        dose = "Take today's dose" if self._day == today else "Take dose this day"
        for product in self._products:
            button = self.dose_buttons.get(product.id)
            if button is not None:
                button.setText(dose)
                button.setAccessibleName(f"{dose}: {product.name}")

    def _show_chosen(self, food: Food | None) -> None:
        self.amount_editor.set_food(food)
        self.food_problem_label.hide()
        if food is None:
            self.chosen_label.setText("Choose a food above (Down, then Enter), then its amount.")
            self.chosen_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.edit_food_button.hide()
        else:
            self.chosen_label.setText(food.name)
            self.chosen_label.setForegroundRole(QPalette.ColorRole.WindowText)
            self.edit_food_button.setVisible(food.is_custom)
        self.log_button.setEnabled(food is not None)
        self.star_button.setEnabled(food is not None)
        self._show_star(food)

    def _show_star(self, food: Food | None) -> None:
        starred = food is not None and food.key in self._favourites
        self.star_button.setText("★ Un&star" if starred else "☆ &Star")
        self.star_button.setAccessibleName("Remove the star" if starred else "Star this food")
        self.star_button.setToolTip(
            "Remove this food from the starred foods"
            if starred
            else "Star this food: one click will log it with this amount"
        )

    def _show_products(self, products: list[SupplementProduct]) -> None:
        # The rows are made anew: the focus goes back to the same product's button (Space on
        # "Take today's dose" must not send it to the search box).
        refocus: tuple[str, bool] | None = None
        for pid, button in self.dose_buttons.items():
            if button.hasFocus():
                refocus = (pid, True)
        for pid, tool in self.edit_product_buttons.items():
            if tool.hasFocus():
                refocus = (pid, False)
        while self.products_box.count():
            item = self.products_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.dose_buttons = {}
        self.edit_product_buttons = {}
        today = self._clock().date()
        dose = "Take today's dose" if self._day == today else "Take dose this day"
        for product in products:
            row = QWidget()
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            label = _plain(f"{product.name}: {dose_text(product)}")
            label.setAccessibleName(product.name)
            take = _button(dose, f"{dose}: {product.name}")
            take.clicked.connect(lambda _=False, pid=product.id: self.take_dose(pid))
            edit = QToolButton()
            edit.setText("Edit…")
            edit.setAccessibleName(f"Edit {product.name}")
            edit.setToolTip(f"Change or delete {product.name}")
            edit.clicked.connect(lambda _=False, pid=product.id: self.edit_supplement(pid))
            box.addWidget(label, 1)
            box.addWidget(take)
            box.addWidget(edit)
            self.products_box.addWidget(row)
            self.dose_buttons[product.id] = take
            self.edit_product_buttons[product.id] = edit
        self.no_products_label.setVisible(not products)
        if refocus is not None:
            pid, dose_button = refocus
            buttons = self.dose_buttons if dose_button else self.edit_product_buttons
            again = buttons.get(pid)
            if again is not None:
                again.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_same_buttons(self) -> None:
        today = self._clock().date()
        before = self._day - timedelta(days=1)
        whose = "yesterday's" if self._day == today else f"{diary_fmt.short_date(before)}'s"
        self.same_label.setText(f"Same as {whose}:")
        for meal, button in self.same_buttons.items():
            foods = [e for e in self._yesterday if e.meal == meal]
            button.setEnabled(self._service is not None and bool(foods))
            label = fmt.meal_label(meal)
            button.setText(f"{label} ({len(foods)})" if foods else label)
            button.setAccessibleName(f"Same as {whose} {meal}")
            if foods:
                names = [self._food_name(e.food) for e in foods]
                button.setToolTip(f"Log again: {'; '.join(names)}")
            else:
                button.setToolTip(f"No {meal} was logged on {diary_fmt.short_date(before)}")

    def _food_name(self, key: str) -> str:
        food = self._service.food(key) if self._service is not None else None
        return key if food is None else food.name

    def _set_default_meal(self) -> None:
        meal = fmt.default_meal(self._clock().time())
        self.meal_combo.setCurrentIndex(max(0, self.meal_combo.findData(meal)))

    def _fill_drink_buttons(self) -> None:
        from crampdiary.services.nutrition import BOTTLE_ML, GLASS_ML, MUG_ML

        for button, size, word in (
            (self.glass_button, GLASS_ML, "Glass"),
            (self.mug_button, MUG_ML, "Mug"),
            (self.bottle_button, BOTTLE_ML, "Bottle"),
        ):
            button.setText(f"{word} {size} ml")
            button.setAccessibleName(f"Add a {word.lower()}, {size} ml")
            button.clicked.connect(lambda _=False, ml=size: self.add_drink(ml))

    def _update_buttons(self, *_args: object) -> None:
        ready = self._service is not None
        rows = self.selected_entries() if ready else []
        self.edit_entry_button.setEnabled(len(rows) == 1)
        self.star_entry_button.setEnabled(len(rows) == 1)
        self.delete_entry_button.setEnabled(bool(rows))
        self.delete_entry_action.setEnabled(bool(rows))
        has_intake = ready and self._current(self.intakes_view, self.intakes_model) is not None
        self.delete_intake_button.setEnabled(has_intake)
        has_drink = ready and self._current(self.drinks_view, self.drinks_model) is not None
        self.delete_drink_button.setEnabled(has_drink)
        for widget in (
            self.search_edit,
            self.new_food_button,
            self.new_product_button,
            self.glass_button,
            self.mug_button,
            self.bottle_button,
            self.custom_drink_button,
        ):
            widget.setEnabled(ready)
        if not ready:
            for button in self.same_buttons.values():
                button.setEnabled(False)

    def _after_log(self, saved: FoodEntry, food: Food) -> None:
        self.food_problem_label.hide()
        self._set_status(
            f"Logged {fmt.entry_amount(food, saved.grams)} of {food.name} for "
            f"{saved.meal}. Ctrl+Z undoes it."
        )
        row = self.entries_model.row_of(saved.id)
        if row is not None:
            self.entries_view.scrollTo(self.entries_model.index(row, 0))
        self.food_logged.emit(saved)

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setAccessibleDescription(text)

    def _show_food_problem(self, exc: CrampDiaryError, widget: QWidget | None) -> None:
        self._show_problem(self.food_problem_label, exc)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _show_problem(label: QLabel, exc: CrampDiaryError) -> None:
        logger.warning("nutrition action refused: %s", type(exc).__name__)
        text = fmt.problem(exc)
        label.setText(f"⚠ {text}")
        label.setAccessibleDescription(text)
        label.show()

    def _quick_tooltip(self, item: QuickFood) -> str:
        how = (
            "Click or Enter logs"
            if item.favourite_id is None
            else "Click or Enter logs; Del unstars"
        )
        return f"{item.food.name}\n{how} {fmt.entry_amount(item.food, item.grams)}"

    @staticmethod
    def _show_if_any(records: list[T], view: QWidget, button: QWidget, empty: QLabel) -> None:
        view.setVisible(bool(records))
        button.setVisible(bool(records))
        empty.setVisible(not records)

    @staticmethod
    def _restore_current(view: QListView, row: int) -> None:
        """Keep the keyboard's place in a one-click list across a reload (Enter, Enter…)."""
        count = view.model().rowCount()
        if row >= 0 and count:
            view.setCurrentIndex(view.model().index(min(row, count - 1), 0))

    @staticmethod
    def _current_rows(view: QAbstractItemView) -> list[int]:
        # Tabbing into a view makes a row current without selecting it: Del and Enter act on it.
        current = view.currentIndex()
        return [current.row()] if current.isValid() else []

    @classmethod
    def _current(cls, view: QListView, model: RecordListModel[T]) -> T | None:
        """The selected record; with none selected, the current one (the keyboard's place)."""
        rows = [i.row() for i in view.selectionModel().selectedRows()] or cls._current_rows(view)
        return model.record_at(rows[0]) if rows else None

    @staticmethod
    def _keep_place(view: QAbstractItemView, row: int) -> None:
        """After a delete the row that took the deleted one's place (else the last) is the
        current and selected one, so that another Del goes on down the list."""
        count = view.model().rowCount()
        if count:
            view.setCurrentIndex(view.model().index(min(row, count - 1), 0))

    @staticmethod
    def _rule() -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line

    def _open(self, dialog: QDialog) -> None:
        """Window-modal and non-blocking: the form saves itself through its ``save`` hook."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _log_quick(self, view: QListView, model: RecordListModel[QuickFood]) -> None:
        index = view.currentIndex()
        item = model.record_at(index.row()) if index.isValid() else None
        if item is not None:
            self.log_quick(item)

    # --- keys ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search_edit:
            return self._search_key(key)
        if watched is self.results_view:
            if key == Qt.Key.Key_Up and self.results_view.currentIndex().row() <= 0:
                self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key in ENTER_KEYS:
                self._choose_index(self.results_view.currentIndex())
                return True
            return False
        if watched in (self.amount_spin, self.unit_combo, self.meal_combo):
            if key in ENTER_KEYS and self.chosen_food() is not None:
                self.log_chosen_food()
                return True
            if key == Qt.Key.Key_Escape and self.chosen_food() is not None:
                self._show_chosen(None)
                self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                self.search_edit.selectAll()
                return True
        return False

    def _search_key(self, key: int) -> bool:
        count = self.results_model.rowCount()
        if key == Qt.Key.Key_Down and self.food_pages.currentIndex() == 0:
            # Nothing typed: Down goes to the one-click foods (Enter logs one).
            for view in (self.favourites_view, self.recent_view):
                if view.model().rowCount():
                    view.setFocus(Qt.FocusReason.OtherFocusReason)
                    if not view.currentIndex().isValid():
                        view.setCurrentIndex(view.model().index(0, 0))
                    return True
            return False
        if key == Qt.Key.Key_Down and count and self.food_pages.currentIndex() == 1:
            self.results_view.setFocus(Qt.FocusReason.OtherFocusReason)
            current = self.results_view.currentIndex()
            if not current.isValid():
                self.results_view.setCurrentIndex(self.results_model.index(0, 0))
            return True
        if key in ENTER_KEYS and count:
            current = self.results_view.currentIndex()
            self._choose_index(current if current.isValid() else self.results_model.index(0, 0))
            return True
        if key == Qt.Key.Key_Escape and self.search_edit.text():
            self.search_edit.clear()
            return True
        return False

    def _choose_index(self, index: QModelIndex) -> None:
        food = self.results_model.food_at(index.row()) if index.isValid() else None
        if food is not None:
            self.choose_food(food)

    # --- slots ---------------------------------------------------------------------------------

    def _on_bus_changed(self, changes: Changes) -> None:
        if changes & RELOAD_ON:
            self.reload(changes)

    def _on_search_edit_text_changed(self, text: str) -> None:
        service = self._service
        if not text.strip() or service is None:
            self.results_model.clear()
            self.food_pages.setCurrentIndex(0)
            return
        hits = self._read(lambda: service.search(text, limit=SEARCH_LIMIT)) or []
        self.results_model.set_hits(hits)
        if hits:
            self.results_view.setCurrentIndex(self.results_model.index(0, 0))
            self.results_view.scrollToTop()
            self.food_pages.setCurrentIndex(1)
        else:
            self.no_results_label.setText(
                f"No food found for “{text.strip()}”. Try fewer or shorter words, "
                "or add it with New custom food…"
            )
            self.food_pages.setCurrentIndex(2)

    def _on_results_view_clicked(self, index: QModelIndex) -> None:
        self._choose_index(index)

    def _on_favourites_view_clicked(self, index: QModelIndex) -> None:
        item = self.favourites_model.record_at(index.row())
        if item is not None:
            self.log_quick(item)

    def _on_recent_view_clicked(self, index: QModelIndex) -> None:
        item = self.recent_model.record_at(index.row())
        if item is not None:
            self.log_quick(item)

    def _on_meal_combo_activated(self, _index: int) -> None:
        self._meal_chosen = True

    def _on_entries_view_activated(self, index: QModelIndex) -> None:
        row = self.entries_model.row_at(index.row()) if index.isValid() else None
        if self._service is not None and row is not None:
            self._edit_entry(row)
