"""Help and About dialogs: the GUIDE text is shown, Esc closes, links never leave the page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from crampdiary.domain import texts
from crampdiary.ui import help as help_ui

pytestmark = pytest.mark.gui


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_when_to_see_shows_every_guide_bullet(qtbot: QtBot, parent: QWidget) -> None:
    dialog = help_ui.show_when_to_see(parent)
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.windowTitle() == "When to see a healthcare professional"
    text = dialog.text()
    assert "Most night-time leg cramps are harmless" in text
    assert "Get medical help right away if:" in text
    assert "Make an appointment with your doctor or nurse if:" in text
    for bullet in texts.WHEN_TO_SEE_URGENT + texts.WHEN_TO_SEE_APPOINTMENT:
        assert bullet in text
    dialog.close()


# The offscreen platform cannot raise windows; it says so, and that is all this ignores.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_second_request_raises_the_open_dialog(qtbot: QtBot, parent: QWidget) -> None:
    first = help_ui.show_when_to_see(parent)
    assert help_ui.show_when_to_see(parent) is first
    other = help_ui.show_app_guide(parent)
    assert other is not first
    first.close()
    other.close()


def test_app_guide_names_the_quick_log_keys(qtbot: QtBot, parent: QWidget) -> None:
    dialog = help_ui.show_app_guide(parent)
    text = dialog.text()
    for phrase in (
        "Ctrl+L",
        "0 means 10",
        "worst pain imaginable",
        "noon to noon",
        "File > Open data folder",
        "Nothing leaves this computer.",
    ):
        assert phrase in text
    dialog.close()


def test_about_names_version_licence_disclaimer_sources_and_privacy(
    qtbot: QtBot, parent: QWidget
) -> None:
    dialog = help_ui.show_about(parent, "1.2.3")
    assert isinstance(dialog, help_ui.AboutDialog)
    assert dialog.windowTitle() == "About Cramp Diary"
    text = dialog.text()
    assert "Cramp Diary" in text
    assert "Version 1.2.3" in text
    assert "GPL-3.0-or-later" in text
    assert texts.DISCLAIMER_SHORT in text
    assert "Never stop or change a prescribed medicine" in text
    assert "Release 28 (also in FoodData Central as SR Legacy)" in text
    assert "Your data stays on this computer." in text
    dialog.close()


def test_escape_and_close_button_close_the_dialog(qtbot: QtBot, parent: QWidget) -> None:
    dialog = help_ui.show_app_guide(parent)
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

    again = help_ui.show_app_guide(parent)
    assert again is not dialog
    assert again.close_button.isDefault()
    with qtbot.waitSignal(again.finished):
        qtbot.mouseClick(again.close_button, Qt.MouseButton.LeftButton)
    assert not again.isVisible()


def test_external_links_are_not_followed(qtbot: QtBot) -> None:
    dialog = help_ui.HelpDialog(
        None,
        "Links",
        '<p><a href="https://example.org/">out</a> <a href="#end">down</a></p>'
        '<p><a name="end">end</a></p>',
    )
    qtbot.addWidget(dialog)
    before = dialog.html()
    dialog.browser.anchorClicked.emit(QUrl("https://example.org/"))
    dialog.browser.anchorClicked.emit(QUrl("#end"))
    assert dialog.html() == before
    assert dialog.browser.source().isEmpty()
    assert not dialog.browser.openExternalLinks()
    assert not dialog.browser.openLinks()


def test_everything_has_an_accessible_name(qtbot: QtBot) -> None:
    dialog = help_ui.AboutDialog(None, version="0.1.0")
    qtbot.addWidget(dialog)
    assert dialog.accessibleName() == "About Cramp Diary"
    assert dialog.browser.accessibleName()
    assert dialog.close_button.accessibleName() == "Close"
