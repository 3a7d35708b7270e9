"""Onboarding panel: the disclaimer comes first, the profile is optional, signals come in order."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from crampdiary.domain import texts
from crampdiary.domain.records import Profile
from crampdiary.ui.onboarding import OnboardingPanel

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 25)


class Recorder:
    """Every signal of the panel, in the order it came."""

    def __init__(self, panel: OnboardingPanel) -> None:
        self.events: list[tuple[str, object]] = []
        panel.disclaimer_accepted.connect(lambda: self.events.append(("disclaimer", None)))
        panel.profile_saved.connect(lambda p: self.events.append(("saved", p)))
        panel.profile_skipped.connect(lambda: self.events.append(("skipped", None)))
        panel.finished.connect(lambda: self.events.append(("finished", None)))

    def names(self) -> list[str]:
        return [name for name, _ in self.events]


@pytest.fixture
def panel(qtbot: QtBot) -> OnboardingPanel:
    widget = OnboardingPanel()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_text(panel: OnboardingPanel) -> str:
    page = panel.current_page()
    assert page is not None
    return "\n".join(label.text() for label in page.findChildren(QLabel) if label.isVisible())


def test_the_disclaimer_comes_first_then_the_profile_then_finished(
    qtbot: QtBot, panel: OnboardingPanel
) -> None:
    recorder = Recorder(panel)
    panel.start(need_disclaimer=True, need_profile=True, profile=Profile(), today=TODAY)
    assert panel.current_page() is panel.disclaimer_page
    text = shown_text(panel)
    for paragraph in texts.DISCLAIMER_PARAGRAPHS:
        assert paragraph in text
    qtbot.waitUntil(panel.understand_button.hasFocus)
    assert recorder.events == []

    qtbot.keyClick(panel.understand_button, Qt.Key.Key_Return)
    assert recorder.names() == ["disclaimer"]
    assert panel.current_page() is panel.profile_page
    assert "Everything here is optional" in shown_text(panel)
    qtbot.waitUntil(panel.form.name_edit.hasFocus)

    qtbot.keyClicks(panel.form.name_edit, "Ann")
    panel.form.sex_combo.setCurrentIndex(panel.form.sex_combo.findData("female"))
    qtbot.keyClicks(panel.form.birth_year_edit, "1958")
    with qtbot.waitSignal(panel.finished):
        qtbot.keyClick(panel.form.birth_year_edit, Qt.Key.Key_Return)
    assert recorder.events == [
        ("disclaimer", None),
        ("saved", Profile(name="Ann", birth_year=1958, sex="female")),
        ("finished", None),
    ]


def test_skip_for_now_emits_skipped_then_finished(qtbot: QtBot, panel: OnboardingPanel) -> None:
    recorder = Recorder(panel)
    panel.start(need_disclaimer=True, need_profile=True, profile=Profile(), today=TODAY)
    qtbot.mouseClick(panel.understand_button, Qt.MouseButton.LeftButton)
    assert panel.skip_button.text().replace("&", "") == "Skip for now"
    assert panel.save_button.text().replace("&", "") == "Save"
    qtbot.mouseClick(panel.skip_button, Qt.MouseButton.LeftButton)
    assert recorder.names() == ["disclaimer", "skipped", "finished"]


def test_an_invalid_profile_is_refused_inline_and_nothing_is_emitted(
    qtbot: QtBot, panel: OnboardingPanel
) -> None:
    recorder = Recorder(panel)
    panel.start(
        need_disclaimer=False,
        need_profile=True,
        profile=Profile(sex="male", pregnancy="pregnant"),
        today=TODAY,
    )
    assert panel.current_page() is panel.profile_page
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert recorder.events == []
    assert panel.form.error_text().startswith("Pregnant or breastfeeding:")
    panel.form.birth_year_edit.setText("1899")
    panel.form.pregnancy_combo.setCurrentIndex(0)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert recorder.events == []
    assert panel.form.error_text() == "Year of birth: must be from 1900 to 2026 (got 1899)"
    panel.form.birth_year_edit.clear()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert recorder.events == [("saved", Profile(sex="male")), ("finished", None)]


def test_only_the_disclaimer_when_the_profile_was_already_asked(
    qtbot: QtBot, panel: OnboardingPanel
) -> None:
    recorder = Recorder(panel)
    panel.start(need_disclaimer=True, need_profile=False, profile=Profile(), today=TODAY)
    qtbot.mouseClick(panel.understand_button, Qt.MouseButton.LeftButton)
    assert recorder.names() == ["disclaimer", "finished"]


def test_nothing_due_finishes_at_once(panel: OnboardingPanel) -> None:
    recorder = Recorder(panel)
    panel.start(need_disclaimer=False, need_profile=False, profile=Profile(), today=TODAY)
    assert recorder.names() == ["finished"]


def test_the_stored_profile_is_shown(panel: OnboardingPanel) -> None:
    stored = Profile(name="Bo", birth_year=1950, sex="male", conditions=("diabetes",), units="us")
    panel.start(need_disclaimer=False, need_profile=True, profile=stored, today=TODAY)
    assert panel.form.profile() == stored


def test_everything_has_an_accessible_name(panel: OnboardingPanel) -> None:
    panel.start(need_disclaimer=True, need_profile=True, profile=Profile(), today=TODAY)
    for widget in (
        panel,
        panel.stack,
        panel.understand_button,
        panel.save_button,
        panel.skip_button,
        panel.form,
    ):
        assert widget.accessibleName(), widget
    for label in panel.findChildren(QLabel):
        assert label.accessibleName() or label.buddy() is not None, label.text()
