"""The Nutrition tab on a real diary and the real food table: search, log, totals, undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QListView
from pytestqt.qtbot import QtBot

from crampdiary.domain.nutrition import DriTable
from crampdiary.domain.records import (
    FavouriteFood,
    FoodEntry,
    Medication,
    Profile,
    SupplementIntake,
    SupplementProduct,
)
from crampdiary.services.diary import DiaryService
from crampdiary.services.nutrition import NutritionService, load_reference_data
from crampdiary.ui import commands
from crampdiary.ui.changes import ChangeBus, Changes
from crampdiary.ui.nutrition import NutritionTab
from crampdiary.ui.nutrition import formatting as fmt
from crampdiary.ui.nutrition.food_entry_dialog import FoodEntryDialog
from crampdiary.ui.nutrition.food_entry_table_model import EntryRow, FoodEntryTableModel
from crampdiary.ui.nutrition.food_search_model import FoodSearchModel
from crampdiary.ui.nutrition.nutrition_tab import QuickFood, quick_text
from crampdiary.ui.nutrition.record_list_model import RecordListModel

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

    from crampdiary.storage.foods import FoodIndex

pytestmark = pytest.mark.gui

NOW = datetime(2026, 11, 25, 8, 30)  # a Wednesday morning: breakfast time
TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)
PUMPKIN = "usda:12014"  # Seeds, pumpkin and squash seed kernels, dried: 592 mg Mg per 100 g
PUMPKIN_NAME = "Seeds, pumpkin and squash seed kernels, dried"
BANANA = "usda:09040"  # Bananas, raw
ADULT_WOMAN = Profile(birth_year=1970, sex="female")  # 56: RDA 320 mg Mg, UL 350 mg supplements


@pytest.fixture(scope="module")
def reference_data() -> tuple[FoodIndex, DriTable]:
    """The food table takes a moment to index: once per module, a fresh service per test."""
    return load_reference_data()


@pytest.fixture
def service(diary: DiaryService, reference_data: tuple[FoodIndex, DriTable]) -> NutritionService:
    return NutritionService(diary, *reference_data)


@pytest.fixture
def bus(qapp: object) -> ChangeBus:
    return ChangeBus()


@pytest.fixture
def stack(qapp: object) -> Iterator[QUndoStack]:
    undo_stack = QUndoStack()
    yield undo_stack
    undo_stack.clear()


@pytest.fixture
def tab(qtbot: QtBot, bus: ChangeBus, stack: QUndoStack, service: NutritionService) -> NutritionTab:
    widget = NutritionTab(bus, stack, lambda: NOW)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.set_service(service)
    return widget


def activate(qtbot: QtBot, tab: NutritionTab) -> None:
    """Shown and active: keys with a widget-only shortcut need the focus to be real."""
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)


def row_texts(tab: NutritionTab) -> list[str]:
    model = tab.entries_model
    return [str(model.index(r, 1).data()) for r in range(model.rowCount())]


def magnesium_label(tab: NutritionTab) -> str:
    return tab.intake_panel.rows["magnesium"].total_label.text()


def click_row(qtbot: QtBot, view: QListView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def set_profile(diary: DiaryService, profile: Profile = ADULT_WOMAN) -> None:
    diary.save_profile(profile, today=TODAY)


# --- construction ------------------------------------------------------------------------------


def test_the_tab_is_cheap_to_build_and_waits_for_the_service(
    qtbot: QtBot, bus: ChangeBus, stack: QUndoStack, service: NutritionService
) -> None:
    widget = NutritionTab(bus, stack, lambda: NOW)
    qtbot.addWidget(widget)
    assert widget.pages.currentIndex() == 0
    assert "Opening" in widget.opening_label.text()
    assert widget.day() == TODAY
    assert not widget.search_edit.isEnabled()

    widget.set_service(service)
    assert widget.pages.currentIndex() == 1
    assert widget.search_edit.isEnabled()

    widget.set_service(None)
    assert widget.pages.currentIndex() == 0
    assert widget.entries_model.rowCount() == 0


def test_every_control_has_an_accessible_name(tab: NutritionTab) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit

    controls = [
        w
        for kind in (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QListView)
        for w in tab.findChildren(kind)
        if not isinstance(w.parent(), QAbstractSpinBox | QComboBox)  # their inner parts
        and w.objectName() != "qt_spinbox_lineedit"
    ]
    assert controls
    unnamed = [w for w in controls if not w.accessibleName() and w.isVisibleTo(tab)]
    assert unnamed == []


def test_the_usda_attribution_and_the_caveat_are_shown(tab: NutritionTab) -> None:
    assert tab.attribution_label.text() == (
        "Source: USDA, Agricultural Research Service, National Nutrient Database for Standard "
        "Reference, Release 28 (also in FoodData Central as SR Legacy)."
    )
    assert "population" in tab.intake_panel.caveat_label.text()
    assert "not personal requirements" in tab.intake_panel.caveat_label.text()
    # GUIDE 2.6's caveats as text on screen, not only in a tooltip.
    panel = tab.intake_panel
    wellness = panel.wellness_label
    assert wellness.isVisibleTo(tab)
    assert "general wellness" in wellness.text()
    assert "night-time leg cramps" in wellness.text()
    assert "Water needs vary with activity and climate." in wellness.text()
    assert panel.kidney_label.isHidden()  # only with kidney disease in the profile


def test_with_kidney_disease_the_panel_says_to_ask_before_supplements(
    tab: NutritionTab, diary: DiaryService, bus: ChangeBus
) -> None:
    set_profile(diary, Profile(birth_year=1970, sex="female", conditions=("kidney_disease",)))
    bus.announce(Changes.PROFILE)
    kidney = tab.intake_panel.kidney_label
    assert kidney.isVisibleTo(tab)
    assert kidney.text() == "With kidney disease, ask a clinician before taking any supplement."
    set_profile(diary)
    bus.announce(Changes.PROFILE)
    assert kidney.isHidden()


# --- the Done-when flow ------------------------------------------------------------------------


def test_logs_a_food_by_typing_part_of_its_name_choosing_a_portion_and_pressing_enter(
    qtbot: QtBot, tab: NutritionTab, diary: DiaryService, service: NutritionService
) -> None:
    set_profile(diary)
    tab.reload()
    activate(qtbot, tab)
    tab.search_edit.setFocus()
    before = magnesium_label(tab)
    assert before.startswith("0 mg")
    assert tab.intake_panel.rows["magnesium"].bar.value() == 0

    qtbot.keyClicks(tab.search_edit, "pumpkin see")
    first = tab.results_model.index(0, 0)
    assert str(first.data()) == f"{PUMPKIN_NAME} — 1 cup: 764 mg Mg, 59 mg Ca"

    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Down)  # into the results
    qtbot.waitUntil(tab.results_view.hasFocus)
    assert tab.results_view.currentIndex().row() == 0
    qtbot.keyClick(tab.results_view, Qt.Key.Key_Return)  # choose it
    chosen = tab.chosen_food()
    assert chosen is not None and chosen.key == PUMPKIN
    qtbot.waitUntil(tab.amount_spin.hasFocus)
    assert tab.unit_combo.currentText() == "1 cup (129 g)"

    qtbot.keyClick(tab.unit_combo, Qt.Key.Key_Down)  # the next portion: 1 oz
    assert tab.unit_combo.currentText() == "1 oz (28.4 g)"
    assert tab.amount_editor.preview() == "= 28.4 g: 168 mg Mg, 13 mg Ca"
    with qtbot.waitSignal(tab.food_logged):
        qtbot.keyClick(tab.unit_combo, Qt.Key.Key_Return)

    assert row_texts(tab) == [PUMPKIN_NAME]
    assert tab.entries_model.index(0, 0).data() == "Breakfast"
    assert tab.entries_model.index(0, 2).data() == "1 oz (28.4 g)"
    entries = service.entries_for(TODAY)
    assert [(e.food, e.meal) for e in entries] == [(PUMPKIN, "breakfast")]
    assert entries[0].grams == pytest.approx(28.35)
    after = magnesium_label(tab)
    assert after != before
    assert after == "168 mg · 52\u00a0% of RDA 320 mg"
    assert tab.intake_panel.rows["magnesium"].bar.value() == 52
    # Ready for the next food.
    assert tab.search_edit.text() == ""
    qtbot.waitUntil(tab.search_edit.hasFocus)
    assert tab.chosen_food() is None


def test_enter_in_the_search_box_chooses_the_first_result_and_enter_logs_the_default(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, stack: QUndoStack
) -> None:
    activate(qtbot, tab)
    tab.search_edit.setFocus()
    qtbot.keyClicks(tab.search_edit, "pumpkin see")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)
    assert tab.chosen_food() is not None
    qtbot.keyClicks(tab.amount_spin, "2")  # replaces the selected "1"
    with qtbot.waitSignal(tab.food_logged):
        qtbot.keyClick(tab.amount_spin, Qt.Key.Key_Return)
    (entry,) = service.entries_for(TODAY)
    assert entry.grams == pytest.approx(258)
    assert stack.undoText() == "Log food"
    assert "Logged 2 cups (258 g) of Seeds" in tab.status_label.text()


def test_results_follow_every_keystroke(qtbot: QtBot, tab: NutritionTab) -> None:
    counts = []
    for letter in "pumpkin":
        qtbot.keyClick(tab.search_edit, letter)
        counts.append(tab.results_model.rowCount())
    assert all(count > 0 for count in counts)
    assert tab.food_pages.currentIndex() == 1
    qtbot.keyClicks(tab.search_edit, " zzzzqx")
    assert tab.results_model.rowCount() == 0
    assert tab.food_pages.currentIndex() == 2
    assert "No food found" in tab.no_results_label.text()
    tab.search_edit.clear()
    assert tab.food_pages.currentIndex() == 0


def test_a_refused_amount_is_shown_beside_it_and_nothing_is_logged(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, stack: QUndoStack
) -> None:
    tab.search("pumpkin see")
    tab.choose_food(tab.results_model.foods()[0], focus=False)
    tab.amount_spin.setValue(0)
    assert tab.log_chosen_food() is None
    assert tab.food_problem_label.isVisibleTo(tab)
    assert tab.food_problem_label.text().startswith("⚠ Amount:")
    assert service.entries_for(TODAY) == []
    assert stack.count() == 0
    # More than an entry may hold (5 kg): refused by the records' rule, shown the same way.
    tab.set_meal("lunch")
    tab.amount_spin.setValue(50)
    assert tab.log_chosen_food() is None
    assert "Amount" in tab.food_problem_label.text()


def test_the_meal_defaults_by_the_time_of_day_and_a_chosen_meal_stays(
    qtbot: QtBot, bus: ChangeBus, stack: QUndoStack, service: NutritionService
) -> None:
    moments = {
        datetime(2026, 11, 25, 7, 0): "breakfast",
        datetime(2026, 11, 25, 12, 0): "lunch",
        datetime(2026, 11, 25, 16, 0): "snack",
        datetime(2026, 11, 25, 19, 0): "dinner",
        datetime(2026, 11, 25, 22, 30): "snack",
    }
    for moment, meal in moments.items():
        widget = NutritionTab(bus, stack, lambda m=moment: m)
        qtbot.addWidget(widget)
        assert widget.meal() == meal, moment
    widget.set_service(service)
    widget.set_meal("lunch")
    widget.search("banana raw")
    widget.choose_food(widget.results_model.foods()[0], focus=False)
    assert widget.meal() == "lunch"


# --- one click: favourites, recent foods, same as yesterday ---------------------------------------


def test_starring_a_food_then_one_click_logs_it_with_the_starred_amount(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, stack: QUndoStack
) -> None:
    activate(qtbot, tab)
    tab.search("pumpkin see")
    tab.choose_food(tab.results_model.foods()[0], focus=False)
    tab.amount_editor.set_unit("g")
    tab.amount_spin.setValue(30)
    tab.toggle_star_chosen()
    assert [(f.food, f.grams) for f in service.favourite_foods()] == [(PUMPKIN, 30)]
    assert tab.star_button.accessibleName() == "Remove the star"
    assert tab.favourites_model.rowCount() == 1
    assert str(tab.favourites_model.index(0, 0).data()).startswith(f"★ {PUMPKIN_NAME} — ")

    tab.search_edit.clear()
    with qtbot.waitSignal(tab.food_logged):
        click_row(qtbot, tab.favourites_view, 0)
    (entry,) = service.entries_for(TODAY)
    assert (entry.food, entry.grams, entry.meal) == (PUMPKIN, 30, "breakfast")

    tab.favourites_view.setFocus()
    tab.favourites_view.setCurrentIndex(tab.favourites_model.index(0, 0))
    with qtbot.waitSignal(tab.food_logged):
        qtbot.keyClick(tab.favourites_view, Qt.Key.Key_Return)
    assert len(service.entries_for(TODAY)) == 2

    with qtbot.waitSignal(tab.reloaded):
        qtbot.keyClick(tab.favourites_view, Qt.Key.Key_Delete)
    assert service.favourite_foods() == []
    assert stack.undoText() == "Remove star"
    stack.undo()
    assert [f.grams for f in service.favourite_foods()] == [30]


def test_down_from_an_empty_search_reaches_the_one_click_foods(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService
) -> None:
    service.save_favourite(FavouriteFood(food=BANANA, grams=118))
    tab.reload()
    activate(qtbot, tab)
    tab.search_edit.setFocus()
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Down)
    qtbot.waitUntil(tab.favourites_view.hasFocus)
    with qtbot.waitSignal(tab.food_logged):
        qtbot.keyClick(tab.favourites_view, Qt.Key.Key_Return)
    assert [(e.food, e.grams) for e in service.entries_for(TODAY)] == [(BANANA, 118)]


def test_the_tab_reloads_only_on_its_changes(
    qtbot: QtBot, tab: NutritionTab, bus: ChangeBus
) -> None:
    with qtbot.assertNotEmitted(tab.reloaded):
        bus.announce(Changes.DIARY)
    for changes in (Changes.NUTRITION, Changes.PROFILE, Changes.MEDICATIONS, Changes.ALL):
        with qtbot.waitSignal(tab.reloaded):
            bus.announce(changes)


def test_a_recent_food_logs_its_last_amount_in_one_click(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService
) -> None:
    two_days_ago = TODAY - timedelta(days=2)
    service.log_food(
        FoodEntry(date=two_days_ago, food=BANANA, grams=118, meal="lunch"), today=TODAY
    )
    service.log_food(FoodEntry(date=YESTERDAY, food=BANANA, grams=50, meal="lunch"), today=TODAY)
    tab.reload()
    activate(qtbot, tab)
    assert tab.recent_model.rowCount() == 1
    item = tab.recent_model.record_at(0)
    assert item is not None and item.grams == 50  # the latest amount
    assert tab.recent_empty.isHidden()

    with qtbot.waitSignal(tab.food_logged):
        click_row(qtbot, tab.recent_view, 0)
    (entry,) = service.entries_for(TODAY)
    assert (entry.food, entry.grams, entry.meal) == (BANANA, 50, "breakfast")


def test_same_as_yesterdays_breakfast_in_one_click_and_one_undo(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, stack: QUndoStack
) -> None:
    assert not tab.same_buttons["breakfast"].isEnabled()
    for food, grams in ((BANANA, 118), (PUMPKIN, 28.35)):
        service.log_food(
            FoodEntry(date=YESTERDAY, food=food, grams=grams, meal="breakfast"), today=TODAY
        )
    tab.reload()
    button = tab.same_buttons["breakfast"]
    assert button.isEnabled()
    assert button.text() == "Breakfast (2)"
    assert button.accessibleName() == "Same as yesterday's breakfast"
    assert "Bananas, raw" in button.toolTip()
    assert not tab.same_buttons["lunch"].isEnabled()
    assert not tab.same_buttons["dinner"].isEnabled()

    with qtbot.waitSignal(tab.reloaded):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert sorted(row_texts(tab)) == ["Bananas, raw", PUMPKIN_NAME]
    assert stack.undoText() == "Same as yesterday's breakfast"

    stack.undo()
    assert service.entries_for(TODAY) == []
    assert tab.entries_model.rowCount() == 0
    assert len(service.entries_for(YESTERDAY)) == 2


# --- the day's entries ---------------------------------------------------------------------------


def test_delete_with_the_del_key_then_undo_and_redo(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, stack: QUndoStack, bus: ChangeBus
) -> None:
    saved = service.log_food(
        FoodEntry(date=TODAY, food=PUMPKIN, grams=100, meal="lunch"), today=TODAY
    )
    tab.reload()
    assert magnesium_label(tab).startswith("592 mg")
    activate(qtbot, tab)
    tab.entries_view.setFocus()
    tab.entries_view.selectRow(0)
    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.entries_view, Qt.Key.Key_Delete)
    assert service.entries_for(TODAY) == []
    assert tab.entries_model.rowCount() == 0
    assert magnesium_label(tab).startswith("0 mg")
    assert stack.undoText() == "Delete food entry"

    with qtbot.waitSignal(bus.changed):
        stack.undo()
    assert service.entries_for(TODAY) == [saved]
    assert row_texts(tab) == [PUMPKIN_NAME]
    assert magnesium_label(tab).startswith("592 mg")
    stack.redo()
    assert service.entries_for(TODAY) == []


def tab_into(qtbot: QtBot, view: QAbstractItemView) -> None:
    """Focus the view as Tab does: a current row, none selected."""
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    assert view.currentIndex().isValid()
    assert view.selectionModel().selectedRows() == []


def test_del_and_enter_act_on_the_current_entry_after_tabbing_in(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, bus: ChangeBus
) -> None:
    for key in (PUMPKIN, BANANA, "usda:08120"):
        service.log_food(FoodEntry(date=TODAY, food=key, grams=50, meal="lunch"), today=TODAY)
    tab.reload()
    activate(qtbot, tab)
    tab_into(qtbot, tab.entries_view)
    first, second, third = (r.entry for r in tab.entries_model.rows())
    assert tab.delete_entry_button.isEnabled()

    qtbot.keyClick(tab.entries_view, Qt.Key.Key_Return)
    (dialog,) = tab.findChildren(FoodEntryDialog)
    assert dialog.build() == first
    dialog.reject()  # deleted on close
    tab.entries_view.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(tab.entries_view.hasFocus)

    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.entries_view, Qt.Key.Key_Delete)
    assert service.entries_for(TODAY) == [second, third]
    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.entries_view, Qt.Key.Key_Delete)  # again: the next one
    assert service.entries_for(TODAY) == [third]
    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.entries_view, Qt.Key.Key_Delete)
    assert service.entries_for(TODAY) == []


def test_del_removes_the_current_drink_and_dose_after_tabbing_in(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, bus: ChangeBus
) -> None:
    product, _ = service.save_supplement_product(
        SupplementProduct(name="Mg 150", nutrient="magnesium", amount_per_unit=150, unit="mg")
    )
    for ml in (250, 300, 500):
        service.log_drink(TODAY, "water", ml, today=TODAY)
    for _ in range(2):
        service.log_supplement_dose(product.id, TODAY, today=TODAY)
    tab.reload()
    activate(qtbot, tab)

    tab_into(qtbot, tab.drinks_view)
    assert tab.delete_drink_button.isEnabled()
    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.drinks_view, Qt.Key.Key_Delete)
    assert [d.ml for d in service.drinks(TODAY)] == [300, 500]
    assert tab.drinks_view.hasFocus()
    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.drinks_view, Qt.Key.Key_Delete)  # a second Del goes on
    assert [d.ml for d in service.drinks(TODAY)] == [500]

    tab_into(qtbot, tab.intakes_view)
    assert tab.delete_intake_button.isEnabled()
    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.intakes_view, Qt.Key.Key_Delete)
    assert len(service.supplement_intakes(TODAY)) == 1
    with qtbot.waitSignal(bus.changed):
        qtbot.keyClick(tab.intakes_view, Qt.Key.Key_Delete)
    assert service.supplement_intakes(TODAY) == []


def test_edit_an_entrys_amount_and_meal(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, stack: QUndoStack
) -> None:
    saved = service.log_food(
        FoodEntry(date=TODAY, food=PUMPKIN, grams=129, meal="breakfast"), today=TODAY
    )
    tab.reload()
    assert tab.entries_model.index(0, 2).data() == "1 cup (129 g)"
    tab.entries_view.selectRow(0)
    dialog = tab.edit_selected_entry()
    assert isinstance(dialog, FoodEntryDialog)
    assert dialog.amount_editor.unit_combo.currentText() == "1 cup (129 g)"
    assert dialog.amount_editor.amount_spin.value() == 1
    dialog.amount_editor.amount_spin.setValue(0.5)
    dialog.meal_combo.setCurrentIndex(dialog.meal_combo.findData("snack"))
    dialog.accept()
    assert dialog.result() == FoodEntryDialog.DialogCode.Accepted
    (entry,) = service.entries_for(TODAY)
    assert (entry.id, entry.grams, entry.meal) == (saved.id, 64.5, "snack")
    assert tab.entries_model.index(0, 2).data() == "0.5 cup (64.5 g)"
    assert stack.undoText() == "Edit food entry"
    stack.undo()
    assert service.entries_for(TODAY) == [saved]


def test_an_unknown_value_is_at_least_and_counts_the_foods_without_data(
    tab: NutritionTab, service: NutritionService
) -> None:
    unknown = "usda:01188"  # KRAFT CHEEZ WHIZ: calcium known, magnesium not in SR28
    food = service.food(unknown)
    assert food is not None and food.per_100g["magnesium"] is None
    assert "? mg Mg" in fmt.hit_text(food)
    assert "? mg" not in fmt.hit_text(food).split("Mg, ")[1]
    service.log_food(FoodEntry(date=TODAY, food=unknown, grams=100, meal="lunch"), today=TODAY)
    service.log_food(FoodEntry(date=TODAY, food=PUMPKIN, grams=100, meal="lunch"), today=TODAY)
    tab.reload()
    row = tab.intake_panel.rows["magnesium"]
    assert row.total_label.text().startswith("at least 592 mg")
    assert "1 food without data" in row.detail_label.text()
    mg_cells = {tab.entries_model.index(r, 3).data() for r in range(2)}
    assert mg_cells == {"? mg", "592 mg"}


# --- supplements and drinks ----------------------------------------------------------------------


def test_one_click_supplement_dose_raises_the_supplements_part(
    qtbot: QtBot,
    tab: NutritionTab,
    service: NutritionService,
    stack: QUndoStack,
    diary: DiaryService,
) -> None:
    set_profile(diary)
    product, _ = service.save_supplement_product(
        SupplementProduct(
            name="Magnesium citrate", nutrient="magnesium", amount_per_unit=150, unit="mg",
            units_per_dose=2,
        )
    )  # fmt: skip
    tab.reload()
    button = tab.dose_buttons[product.id]
    assert button.text() == "Take today's dose"
    row = tab.intake_panel.rows["magnesium"]
    assert "supplements 0 mg" in row.detail_label.text()

    with qtbot.waitSignal(tab.reloaded):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "supplements 300 mg" in row.detail_label.text()
    assert row.total_label.text() == "300 mg · 94\u00a0% of RDA 320 mg"
    assert tab.intakes_model.rowCount() == 1
    assert tab.intakes_model.index(0, 0).data() == "Magnesium citrate: 300 mg magnesium"
    assert row.warning_label.isHidden()
    assert stack.undoText() == "Take supplement"

    tab.intakes_view.selectionModel().select(
        tab.intakes_model.index(0, 0), tab.intakes_view.selectionModel().SelectionFlag.Select
    )
    tab.delete_selected_intake()
    assert service.supplement_intakes(TODAY) == []
    stack.undo()
    assert len(service.supplement_intakes(TODAY)) == 1


def test_space_on_a_dose_button_keeps_the_focus_on_that_products_button(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService
) -> None:
    for name in ("D3", "Mg 150"):
        service.save_supplement_product(
            SupplementProduct(name=name, nutrient="magnesium", amount_per_unit=150, unit="mg")
        )
    tab.reload()
    activate(qtbot, tab)
    product_id = ""
    for product_id in list(tab.dose_buttons):
        tab.dose_buttons[product_id].setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(tab.dose_buttons[product_id].hasFocus)
        with qtbot.waitSignal(tab.reloaded):
            qtbot.keyClick(tab.dose_buttons[product_id], Qt.Key.Key_Space)
        assert QApplication.focusWidget() is tab.dose_buttons[product_id]  # the new button
    assert len(service.supplement_intakes(TODAY)) == 2
    # Space again on the same button: another dose, focus still there.
    with qtbot.waitSignal(tab.reloaded):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert QApplication.focusWidget() is tab.dose_buttons[product_id]
    assert len(service.supplement_intakes(TODAY)) == 3


def test_upper_limit_warning_appears_above_the_limit_and_not_at_it(
    tab: NutritionTab, service: NutritionService, diary: DiaryService
) -> None:
    set_profile(diary)
    at_limit, _ = service.save_supplement_product(
        SupplementProduct(name="At the limit", nutrient="magnesium", amount_per_unit=350, unit="mg")
    )
    more, _ = service.save_supplement_product(
        SupplementProduct(name="A little more", nutrient="magnesium", amount_per_unit=1, unit="mg")
    )
    tab.reload()
    tab.take_dose(at_limit.id)
    row = tab.intake_panel.rows["magnesium"]
    assert row.warning_label.isHidden()
    tab.take_dose(more.id)
    assert not row.warning_label.isHidden()
    text = row.warning_label.text()
    assert text.startswith("⚠ Magnesium from supplements is above the tolerable upper intake")
    assert "350 mg" in text
    assert "IOM 2000" in text


def test_drink_buttons_add_250_300_and_500_ml_to_water(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService, stack: QUndoStack
) -> None:
    water = tab.intake_panel.rows["water"]
    assert water.detail_label.text().startswith("Drinks 0 ml")
    for button, total in (
        (tab.glass_button, 250),
        (tab.mug_button, 550),
        (tab.bottle_button, 1050),
    ):
        with qtbot.waitSignal(tab.reloaded):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert water.detail_label.text().startswith(f"Drinks {total:,} ml")
    assert [d.ml for d in service.drinks(TODAY)] == [250, 300, 500]
    assert tab.drinks_model.index(0, 0).data() == "Water, 250 ml"
    assert stack.undoText() == "Add drink"

    # Milk counts its nutrients too; the kind combo is what the buttons use.
    calcium_before = tab.intake_panel.rows["calcium"].total_label.text()
    tab.drink_kind_combo.setCurrentIndex(tab.drink_kind_combo.findData("milk"))
    tab.glass_button.click()
    assert service.drinks(TODAY)[-1].kind == "milk"
    assert tab.intake_panel.rows["calcium"].total_label.text() != calcium_before
    assert tab.drinks_model.index(3, 0).data() == "Milk, 250 ml (its nutrients count too)"

    tab.drinks_view.setCurrentIndex(tab.drinks_model.index(0, 0))
    tab.delete_selected_drink()
    assert [d.ml for d in service.drinks(TODAY)] == [300, 500, 250]
    stack.undo()
    assert len(service.drinks(TODAY)) == 4


def test_custom_drink_dialog_adds_a_drink_of_any_size(
    tab: NutritionTab, service: NutritionService
) -> None:
    tab.drink_kind_combo.setCurrentIndex(tab.drink_kind_combo.findData("tea"))
    dialog = tab.custom_drink()
    assert dialog is not None
    assert dialog.kind_combo.currentData() == "tea"
    dialog.ml_spin.setValue(180)
    dialog.accept()
    assert [(d.ml, d.kind) for d in service.drinks(TODAY)] == [(180, "tea")]


# --- reference values and their notes ------------------------------------------------------------


def test_an_unknown_profile_points_to_the_profile_once(tab: NutritionTab) -> None:
    panel = tab.intake_panel
    assert not panel.notice_label.isHidden()
    assert "Diary > Profile" in panel.notice_label.text()
    assert all(row.bar.isHidden() for row in panel.rows.values())
    assert all(row.note_label.isHidden() for row in panel.rows.values())


def test_potassium_has_no_reference_with_kidney_disease_and_says_why(
    tab: NutritionTab, diary: DiaryService, bus: ChangeBus
) -> None:
    set_profile(diary)
    bus.announce(Changes.PROFILE)
    potassium = tab.intake_panel.rows["potassium"]
    assert not potassium.bar.isHidden()
    assert "AI 2,600 mg" in potassium.total_label.text()

    set_profile(diary, Profile(birth_year=1970, sex="female", conditions=("kidney_disease",)))
    bus.announce(Changes.PROFILE)
    assert potassium.bar.isHidden()
    assert "AI" not in potassium.total_label.text()
    assert not potassium.note_label.isHidden()
    assert "kidney disease" in potassium.note_label.text()
    assert "clinician" in potassium.note_label.text()
    assert not tab.intake_panel.rows["magnesium"].bar.isHidden()


def test_a_potassium_raising_medicine_is_named_in_the_note(
    tab: NutritionTab, diary: DiaryService, bus: ChangeBus
) -> None:
    set_profile(diary)
    diary.save_medication(
        Medication(name="Lisinopril", dose="10 mg", started_on=date(2025, 1, 1)), today=TODAY
    )
    bus.announce(Changes.MEDICATIONS)
    note = tab.intake_panel.rows["potassium"].note_label
    assert not note.isHidden()
    assert "Lisinopril" in note.text()


def test_water_reference_is_hidden_with_a_fluid_restriction(
    tab: NutritionTab, diary: DiaryService, bus: ChangeBus
) -> None:
    set_profile(diary, Profile(birth_year=1970, sex="male", conditions=("fluid_restriction",)))
    bus.announce(Changes.PROFILE)
    water = tab.intake_panel.rows["water"]
    assert water.bar.isHidden()
    assert "limit fluids" in water.note_label.text()


def test_the_wording_never_judges(
    tab: NutritionTab, service: NutritionService, diary: DiaryService
) -> None:
    set_profile(diary)
    service.log_food(FoodEntry(date=TODAY, food=PUMPKIN, grams=100, meal="lunch"), today=TODAY)
    tab.reload()
    texts = " ".join(label.text() for label in tab.findChildren(QLabel)).lower()
    assert "above the reference value" in texts  # 592 mg of 320 mg
    assert "below the reference value" in texts  # calcium
    for word in ("deficien", "normal", "insufficient", "too low"):
        assert word not in texts


def test_weekly_averages_count_the_days_with_food(
    tab: NutritionTab, service: NutritionService, diary: DiaryService
) -> None:
    set_profile(diary)
    assert tab.intake_panel.week_heading.text().startswith("No food logged in the last 7 days")
    for day in (TODAY - timedelta(days=2), TODAY - timedelta(days=6)):
        service.log_food(FoodEntry(date=day, food=PUMPKIN, grams=50, meal="lunch"), today=TODAY)
    service.log_food(
        FoodEntry(date=TODAY - timedelta(days=7), food=PUMPKIN, grams=500, meal="lunch"),
        today=TODAY,
    )  # outside the 7 days
    tab.reload()
    assert tab.intake_panel.week_heading.text() == (
        "Average of 2 days with food logged, 19 – 25 November 2026"
    )
    assert tab.intake_panel.rows["magnesium"].week_label.text() == "296 mg a day (93\u00a0%)"


# --- the day bar ---------------------------------------------------------------------------------


def test_the_weekly_line_says_at_least_and_the_foods_without_data(
    tab: NutritionTab, service: NutritionService, diary: DiaryService
) -> None:
    set_profile(diary)
    unknown = "usda:01188"  # KRAFT CHEEZ WHIZ: magnesium not in SR28
    service.log_food(FoodEntry(date=TODAY, food=unknown, grams=100, meal="lunch"), today=TODAY)
    service.log_food(FoodEntry(date=YESTERDAY, food=unknown, grams=50, meal="lunch"), today=TODAY)
    service.log_food(FoodEntry(date=TODAY, food=PUMPKIN, grams=100, meal="lunch"), today=TODAY)
    tab.reload()
    row = tab.intake_panel.rows["magnesium"]
    assert row.total_label.text().startswith("at least 592 mg")
    assert row.week_label.text() == "at least 296 mg a day (93\u00a0%), 2 foods without data"
    calcium = tab.intake_panel.rows["calcium"].week_label.text()  # known for both
    assert "at least" not in calcium and "without data" not in calcium


def test_days_above_the_limit_are_said_without_food_logged(
    tab: NutritionTab, service: NutritionService, diary: DiaryService
) -> None:
    set_profile(diary)
    service.add_supplement_intake(
        SupplementIntake(date=YESTERDAY, nutrient="magnesium", amount=400, unit="mg"),
        today=TODAY,
    )
    tab.reload()
    week = tab.intake_panel.rows["magnesium"].week_label.text()
    assert week == "–\nabove the upper limit on 1 day"


def test_the_day_bar_moves_between_days_but_not_beyond_today(
    qtbot: QtBot, tab: NutritionTab, service: NutritionService
) -> None:
    service.log_food(FoodEntry(date=YESTERDAY, food=BANANA, grams=118, meal="lunch"), today=TODAY)
    tab.reload()
    assert tab.day_label.text() == "Today, Wednesday 25 November"
    assert not tab.next_button.isEnabled()
    assert not tab.today_button.isEnabled()
    assert tab.entries_model.rowCount() == 0

    with qtbot.waitSignal(tab.day_changed):
        qtbot.mouseClick(tab.previous_button, Qt.MouseButton.LeftButton)
    assert tab.day() == YESTERDAY
    assert tab.day_label.text() == "Yesterday, Tuesday 24 November"
    assert row_texts(tab) == ["Bananas, raw"]
    assert tab.next_button.isEnabled()
    assert tab.same_label.text() == "Same as Mon 23 Nov's:"

    tab.set_day(TODAY + timedelta(days=3))
    assert tab.day() == TODAY
    tab.set_day(YESTERDAY)
    tab.go_to_today()
    assert tab.day() == TODAY


def test_logging_goes_to_the_day_shown(
    tab: NutritionTab, service: NutritionService, stack: QUndoStack
) -> None:
    tab.set_day(YESTERDAY)
    tab.search("banana raw")
    tab.choose_food(tab.results_model.foods()[0], focus=False)
    saved = tab.log_chosen_food()
    assert saved is not None and saved.date == YESTERDAY
    assert service.entries_for(TODAY) == []


# --- custom foods --------------------------------------------------------------------------------


def test_a_new_custom_food_is_found_by_search_and_its_unknown_values_show_as_unknown(
    tab: NutritionTab, service: NutritionService, stack: QUndoStack
) -> None:
    tab.search("grandmas oat")
    assert tab.food_pages.currentIndex() == 2
    dialog = tab.new_custom_food()
    assert dialog is not None
    assert dialog.name_edit.text() == "grandmas oat"
    dialog.name_edit.setText("Grandma's oat bread")
    dialog.value_spins["magnesium_mg"].setValue(60)
    dialog.portion_rows[0][0].setText("1 slice")
    dialog.portion_rows[0][1].setValue(40)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [f.name for f in service.custom_foods()] == ["Grandma's oat bread"]
    assert stack.undoText() == "Add custom food"
    chosen = tab.chosen_food()  # ready to log: type the amount, press Enter
    assert chosen is not None and chosen.name == "Grandma's oat bread"
    assert tab.unit_combo.currentText() == "1 slice (40 g)"

    tab.search_edit.clear()
    tab.search("oat bread grand")
    texts = [str(tab.results_model.index(r, 0).data()) for r in range(tab.results_model.rowCount())]
    assert "Grandma's oat bread — 1 slice: 24 mg Mg, ? mg Ca" in texts

    custom = next(f for f in tab.results_model.foods() if f.is_custom)
    tab.choose_food(custom, focus=False)
    assert tab.edit_food_button.isVisibleTo(tab)
    tab.log_chosen_food()
    # A food that entries use cannot be deleted: the dialog says so and stays open.
    tab.choose_food(custom, focus=False)
    edit = tab.edit_chosen_custom_food()
    assert edit is not None and edit.delete_button is not None
    edit.delete_button.click()
    assert not edit.deleted
    assert "is used by 1 food entry" in edit.error_label.text()
    edit.reject()


# --- commands: undo and redo of each nutrition edit ---------------------------------------------


def test_every_nutrition_command_undoes_and_redoes(
    service: NutritionService, bus: ChangeBus, stack: QUndoStack
) -> None:
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    clock = lambda: NOW  # noqa: E731

    fav = commands.star_food(stack, service, bus, FavouriteFood(food=PUMPKIN, grams=30))
    commands.star_food(stack, service, bus, FavouriteFood(food=PUMPKIN, grams=40))
    stack.undo()
    assert [f.grams for f in service.favourite_foods()] == [30]
    stack.undo()
    assert service.favourite_foods() == []
    stack.redo()
    assert [f.id for f in service.favourite_foods()] == [fav.id]

    product = commands.save_supplement_product(
        stack,
        service,
        bus,
        SupplementProduct(name="D3", nutrient="vitamin_d", amount_per_unit=1000, unit="IU"),
    )
    commands.delete_supplement_product(stack, service, bus, product.id)
    assert service.supplement_products() == []
    stack.undo()
    assert service.supplement_products() == [product]
    stack.undo()
    assert service.supplement_products() == []
    stack.redo()

    intake = commands.log_supplement_dose(stack, service, bus, product.id, TODAY, today=TODAY)
    commands.delete_supplement_intake(stack, service, bus, intake.id, clock=clock)
    stack.undo()
    assert service.supplement_intakes(TODAY) == [intake]

    from crampdiary.domain.records import CustomFood, Drink

    food = commands.save_custom_food(stack, service, bus, CustomFood(name="Oat bar"))
    assert service.food(food.key) is not None
    commands.delete_custom_food(stack, service, bus, food.id)
    assert service.food(food.key) is None
    stack.undo()
    assert service.food(food.key) is not None

    drink = commands.add_drink(
        stack, service, bus, Drink(date=TODAY, ml=250, kind="water"), today=TODAY, clock=clock
    )
    commands.delete_drink(stack, service, bus, drink.id, clock=clock)
    stack.undo()
    assert service.drinks(TODAY) == [drink]
    stack.undo()
    assert service.drinks(TODAY) == []
    stack.redo()
    assert service.drinks(TODAY) == [drink]

    assert seen and all(c == Changes.NUTRITION for c in seen)
    assert commands.same_as_meal(stack, service, bus, "lunch", YESTERDAY, TODAY, today=TODAY) == []


# --- item models ---------------------------------------------------------------------------------


def test_item_models_pass_the_model_tester(
    qtmodeltester: ModelTester, service: NutritionService
) -> None:
    search = FoodSearchModel()
    search.set_hits(service.search("pumpkin see"))
    qtmodeltester.check(search)
    assert search.data(QModelIndex()) is None

    food = service.food(PUMPKIN)
    assert food is not None
    entry = FoodEntry(date=TODAY, food=PUMPKIN, grams=28.35, meal="snack")
    entries = FoodEntryTableModel([EntryRow(entry, food)])
    qtmodeltester.check(entries)
    assert [entries.index(0, c).data() for c in range(5)] == [
        "Snack",
        PUMPKIN_NAME,
        "1 oz (28.4 g)",
        "168 mg",
        "13 mg",
    ]
    quick: RecordListModel[QuickFood] = RecordListModel(quick_text)
    quick.set_records([QuickFood(food, 129, "fav")])
    qtmodeltester.check(quick)
    assert quick.index(0, 0).data() == f"★ {PUMPKIN_NAME} — 1 cup (129 g)"


@pytest.mark.parametrize(
    ("at", "meal"),
    [("07:00", "breakfast"), ("10:29", "breakfast"), ("10:30", "lunch"), ("14:59", "lunch"),
     ("15:00", "snack"), ("17:00", "dinner"), ("20:59", "dinner"), ("21:00", "snack")],
)  # fmt: skip
def test_default_meal_by_time(at: str, meal: str) -> None:
    assert fmt.default_meal(datetime.strptime(at, "%H:%M").time()) == meal


@pytest.mark.parametrize(
    ("value", "text"),
    [(763.68, "764"), (1234.4, "1,234"), (2.5, "2.5"), (3.0, "3"), (0.04, "0"), (None, "?")],
)
def test_amounts_show_unknown_as_a_question_mark(value: float | None, text: str) -> None:
    assert fmt.amount(value, "mg") == f"{text} mg"
