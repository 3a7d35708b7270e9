"""Profile dialog: every field optional, refusals shown inline, first-run buttons."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from crampdiary.domain.records import Profile
from crampdiary.ui.profile_dialog import FIRST_RUN_INTRO, ProfileDialog, ProfileForm

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 25)


def make_dialog(
    qtbot: QtBot, profile: Profile | None = None, *, first_run: bool = False
) -> ProfileDialog:
    dialog = ProfileDialog(None, profile=profile or Profile(), today=TODAY, first_run=first_run)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_an_empty_profile_shows_not_set_and_saves_as_empty(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    form = dialog.form
    assert form.birth_year_edit.text() == ""
    assert form.birth_year_edit.placeholderText() == "not set"
    assert form.sex_combo.currentText() == "Not set"
    assert not form.pregnancy_combo.isEnabled()
    assert dialog.profile() == Profile()
    with qtbot.waitSignal(dialog.profile_saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [Profile()]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved_profile() == Profile()


def test_profile_is_built_from_the_widgets(qtbot: QtBot) -> None:
    stored = Profile(
        name="Ann",
        birth_year=1956,
        sex="female",
        pregnancy="none",
        conditions=("diabetes", "kidney_disease"),
        units="us",
    )
    dialog = make_dialog(qtbot, stored)
    assert dialog.profile() == Profile(
        name="Ann",
        birth_year=1956,
        sex="female",
        conditions=("kidney_disease", "diabetes"),
        units="us",
    )
    form = dialog.form
    form.name_edit.setText("  Ann B  ")
    form.birth_year_edit.clear()
    form.condition_boxes["kidney_disease"].setChecked(False)
    form.units_combo.setCurrentIndex(form.units_combo.findData("metric"))
    with qtbot.waitSignal(dialog.profile_saved) as saved:
        qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)  # Enter: the default button
    assert saved.args == [
        Profile(
            name="Ann B", birth_year=None, sex="female", conditions=("diabetes",), units="metric"
        )
    ]


def test_pregnancy_with_male_is_refused_inline_and_the_dialog_stays_open(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Profile(sex="male", pregnancy="pregnant"))
    form = dialog.form
    assert form.pregnancy_combo.isEnabled()  # so the stored value can be corrected
    with qtbot.assertNotEmitted(dialog.profile_saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert form.error_text() == (
        "Pregnant or breastfeeding: can be pregnant or lactating only with sex female"
    )
    qtbot.waitUntil(form.pregnancy_combo.hasFocus)

    form.pregnancy_combo.setCurrentIndex(form.pregnancy_combo.findData("none"))
    assert not form.pregnancy_combo.isEnabled()
    with qtbot.waitSignal(dialog.profile_saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [Profile(sex="male")]
    assert form.error_text() == ""


def test_pregnancy_is_enabled_only_for_female_and_resets_when_sex_changes(qtbot: QtBot) -> None:
    form = ProfileForm()
    qtbot.addWidget(form)
    form.set_profile(Profile())
    assert not form.pregnancy_combo.isEnabled()
    form.sex_combo.setCurrentIndex(form.sex_combo.findData("female"))
    assert form.pregnancy_combo.isEnabled()
    form.pregnancy_combo.setCurrentIndex(form.pregnancy_combo.findData("lactating"))
    assert form.profile().pregnancy == "lactating"
    form.sex_combo.setCurrentIndex(form.sex_combo.findData("male"))
    assert form.profile() == Profile(sex="male", pregnancy="none")
    assert not form.pregnancy_combo.isEnabled()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1850", "Year of birth: must be from 1900 to 2026 (got 1850)"),
        ("2027", "Year of birth: must be from 1900 to 2026 (got 2027)"),
        ("0", "Year of birth: must be from 1900 to 2026 (got 0)"),
    ],
)
def test_birth_year_out_of_range_is_refused_inline(qtbot: QtBot, typed: str, message: str) -> None:
    dialog = make_dialog(qtbot)
    form = dialog.form
    qtbot.keyClicks(form.birth_year_edit, typed)
    with qtbot.assertNotEmitted(dialog.profile_saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert form.error_text() == message
    assert form.error_label.isVisible()
    qtbot.waitUntil(form.birth_year_edit.hasFocus)


def test_birth_year_accepts_only_digits(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    qtbot.keyClicks(dialog.form.birth_year_edit, "19a6x01")
    assert dialog.form.birth_year_edit.text() == "1960"
    assert dialog.profile().birth_year == 1960


def test_first_run_offers_save_and_skip_with_the_intro_line(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, first_run=True)
    assert dialog.intro_label.isVisible()
    assert dialog.intro_label.text() == FIRST_RUN_INTRO
    assert "can be changed later in Diary > Profile" in FIRST_RUN_INTRO
    assert dialog.save_button.text().replace("&", "") == "Save"
    assert dialog.cancel_button.text().replace("&", "") == "Skip for now"
    assert dialog.save_button.isDefault()
    with qtbot.waitSignal(dialog.rejected), qtbot.assertNotEmitted(dialog.profile_saved):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_profile() is None


def test_normal_mode_has_save_and_cancel_and_no_intro(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    assert not dialog.intro_label.isVisible()
    assert dialog.cancel_button.text().replace("&", "") == "Cancel"
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_every_control_has_an_accessible_name_and_a_label_buddy(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, first_run=True)
    form = dialog.form
    controls = [
        form.name_edit,
        form.birth_year_edit,
        form.sex_combo,
        form.pregnancy_combo,
        form.units_combo,
        *form.condition_boxes.values(),
        dialog.save_button,
        dialog.cancel_button,
    ]
    for control in controls:
        assert control.accessibleName(), control
    assert dialog.accessibleName()
    buddies = {
        label.buddy()
        for label in form.findChildren(type(dialog.intro_label))
        if label.buddy() is not None
    }
    assert {
        form.name_edit,
        form.birth_year_edit,
        form.sex_combo,
        form.pregnancy_combo,
        form.units_combo,
    } <= buddies


def mnemonic_keys(window: QWidget) -> list[str]:
    """The Alt+letter keys the visible labels and buttons of one window claim."""
    keys = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            found = re.search(r"&([^&])", widget.text().replace("&&", ""))
            if found:
                keys.append(found.group(1).lower())
    return keys


@pytest.mark.parametrize("first_run", [False, True])
def test_mnemonics_are_unique(qtbot: QtBot, first_run: bool) -> None:
    keys = mnemonic_keys(make_dialog(qtbot, first_run=first_run))
    assert len(keys) >= 6
    assert len(keys) == len(set(keys)), keys
