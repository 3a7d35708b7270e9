"""UI layer: the first run, inside the main window: the disclaimer first, then the optional profile.

The panel only asks and announces; the main window stores the answers (DiaryService).
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crampdiary import APP_NAME
from crampdiary.domain import texts
from crampdiary.domain.records import Profile
from crampdiary.ui.profile_dialog import FIRST_RUN_INTRO, ProfileForm

logger = logging.getLogger(__name__)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.4)
    label.setFont(font)
    label.setAccessibleName(text)
    label.setWordWrap(True)
    return label


def _paragraph(text: str, parent: QWidget, name: str) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    return label


class OnboardingPanel(QWidget):
    """Page 1: the disclaimer and "I understand". Page 2: the profile, "Save" or "Skip for now"."""

    disclaimer_accepted = Signal()
    profile_saved = Signal(object)  # Profile, validated
    profile_skipped = Signal()
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(f"Welcome to {APP_NAME}")
        self._need_profile = False
        self._today: date | None = None

        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName("First run")
        self.disclaimer_page = self._build_disclaimer_page()
        self.profile_page = self._build_profile_page()
        self.stack.addWidget(self.disclaimer_page)
        self.stack.addWidget(self.profile_page)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

    def _page(self, title: str) -> tuple[QScrollArea, QWidget, QVBoxLayout]:
        """A scrolling page whose text keeps a readable width in a wide window."""
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName(title)
        inner = QWidget(scroll)
        inner.setMaximumWidth(self.fontMetrics().averageCharWidth() * 90)
        column = QVBoxLayout(inner)
        column.addWidget(_heading(title, inner))
        outer = QWidget(scroll)
        row = QHBoxLayout(outer)
        row.addStretch(1)
        row.addWidget(inner, 100)
        row.addStretch(1)
        scroll.setWidget(outer)
        return scroll, inner, column

    def _build_disclaimer_page(self) -> QWidget:
        page, inner, column = self._page(f"Welcome to {APP_NAME}")
        for i, paragraph in enumerate(texts.DISCLAIMER_PARAGRAPHS, start=1):
            column.addWidget(_paragraph(paragraph, inner, f"Disclaimer, part {i}"))
        self.understand_button = QPushButton("I &understand", inner)
        self.understand_button.setAccessibleName("I understand")
        self.understand_button.setAutoDefault(True)  # Enter presses it when it has focus
        self.understand_button.clicked.connect(self._on_understand_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.understand_button)
        column.addLayout(buttons)
        column.addStretch(1)
        return page

    def _build_profile_page(self) -> QWidget:
        page, inner, column = self._page("About you")
        column.addWidget(_paragraph(FIRST_RUN_INTRO, inner, "About this form"))
        self.form = ProfileForm(inner)
        column.addWidget(self.form)
        self.save_button = QPushButton("&Save", inner)
        self.save_button.setAccessibleName("Save")
        self.save_button.setAutoDefault(True)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.skip_button = QPushButton("S&kip for now", inner)
        self.skip_button.setAccessibleName("Skip for now")
        self.skip_button.setAutoDefault(True)
        self.skip_button.clicked.connect(self._on_skip_button_clicked)
        # Enter in a text field saves, as the default button of a dialog would.
        self.form.name_edit.returnPressed.connect(self.save_button.click)
        self.form.birth_year_edit.returnPressed.connect(self.save_button.click)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        column.addLayout(buttons)
        column.addStretch(1)
        self.setTabOrder(list(self.form.condition_boxes.values())[-1], self.save_button)
        self.setTabOrder(self.save_button, self.skip_button)
        return page

    # --- flow ----------------------------------------------------------------------------------

    def start(
        self, *, need_disclaimer: bool, need_profile: bool, profile: Profile, today: date
    ) -> None:
        """Show the first step still due; with none due, finish at once."""
        self._need_profile = need_profile
        self._today = today
        self.form.set_profile(profile)
        if need_disclaimer:
            self._show_page(self.disclaimer_page, self.understand_button)
        elif need_profile:
            self._show_page(self.profile_page, self.form.first_field())
        else:
            self.finished.emit()

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _show_page(self, page: QWidget, focus: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        focus.setFocus()

    def _on_understand_button_clicked(self) -> None:
        self.disclaimer_accepted.emit()
        if self._need_profile:
            self._show_page(self.profile_page, self.form.first_field())
        else:
            self.finished.emit()

    def _on_save_button_clicked(self) -> None:
        if self._today is None:
            raise RuntimeError("OnboardingPanel.start() must be called before saving")
        profile = self.form.validate(today=self._today)
        if profile is None:
            return
        self.profile_saved.emit(profile)
        self.finished.emit()

    def _on_skip_button_clicked(self) -> None:
        self.profile_skipped.emit()
        self.finished.emit()
