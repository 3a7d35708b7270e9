"""UI layer: the morning card, "How was last night?", shown inside the window once a day."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class MorningCard(QFrame):
    """ "How was last night?" on the first start of a day, inside the window."""

    answered = Signal(int)  # -1 dismissed, 0 no cramps, 1, 2, 3 (3 or more)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("How was last night?")
        self._question = QLabel("How was last night?")
        font = self._question.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self._question.setFont(font)
        row = QHBoxLayout(self)
        row.addWidget(self._question, 1)
        self.buttons: dict[int, QPushButton] = {}
        for value, text in (
            (0, "N&o cramps"),
            (1, "&1 cramp"),
            (2, "&2 cramps"),
            (3, "&3 or more"),
        ):
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(lambda _=False, v=value: self.answered.emit(v))
            row.addWidget(button)
            self.buttons[value] = button
        dismiss = QPushButton("Not now")
        dismiss.setAccessibleName("Not now")
        dismiss.clicked.connect(lambda: self.answered.emit(-1))
        row.addWidget(dismiss)

    def ask(self, night: date) -> None:
        self._question.setText(f"How was last night ({night:%A %d %B})?")
        self.show()
        self.buttons[0].setFocus()
