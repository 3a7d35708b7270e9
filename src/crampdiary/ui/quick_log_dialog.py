"""UI layer: the 3 a.m. quick log. Ctrl+L, one number key for the severity, Enter: saved."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import vocab
from crampdiary.domain.records import Episode

# The number row as printed on the keyboard: 1..9, then 0 standing for 10.
_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): (10 if d == 0 else d) for d in range(10)}


class QuickLogDialog(QDialog):
    """A complete episode at the current time: last-used muscle and side, one-minute duration."""

    def __init__(self, parent: QWidget | None, *, now: datetime, muscle: str, side: str) -> None:
        super().__init__(parent)
        self._now = now
        self._severity: int | None = None
        self.setWindowTitle("Quick log: cramp now")
        self.setAccessibleName("Quick log a cramp")
        self.setModal(True)

        title = QLabel(f"Cramp at {now:%H:%M}. How bad is it at its worst?")
        title.setWordWrap(True)
        self._value = QLabel()
        big = QFont(self._value.font())
        big.setPointSizeF(big.pointSizeF() * 3.2)
        big.setBold(True)
        self._value.setFont(big)
        self._value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._value.setAccessibleName("Peak severity")
        self._anchor = QLabel()
        self._anchor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            "Press 1-9 (0 means 10) · arrows adjust · Enter saves · Esc cancels\n"
            "0 = no pain, 10 = worst pain imaginable"
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setEnabled(False)

        self._muscle = QComboBox()
        for key, text in vocab.MUSCLES.items():
            self._muscle.addItem(text, key)
        self._muscle.setCurrentIndex(max(0, self._muscle.findData(muscle)))
        self._muscle.setAccessibleName("Muscle")
        self._side = QComboBox()
        for key, text in vocab.SIDES.items():
            self._side.addItem(text, key)
        self._side.setCurrentIndex(max(0, self._side.findData(side)))
        self._side.setAccessibleName("Side")
        self._woke = QCheckBox("&Woke me from sleep")
        self._woke.setChecked(_probably_asleep(now))
        self._woke.setAccessibleName("Woke me from sleep")
        form = QFormLayout()
        form.addRow("&Muscle", self._muscle)
        form.addRow("S&ide", self._side)
        form.addRow("", self._woke)
        duration = QLabel("Duration: 1 minute (edit it later in the diary if it was longer)")
        duration.setWordWrap(True)

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self._value)
        layout.addWidget(self._anchor)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(duration)
        layout.addWidget(self._buttons)
        # Focus stays on the dialog itself so number keys always reach it.
        self._muscle.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._side.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._woke.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        for kind in (QDialogButtonBox.StandardButton.Save, QDialogButtonBox.StandardButton.Cancel):
            button = self._buttons.button(kind)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAutoDefault(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._show()

    @property
    def severity(self) -> int | None:
        return self._severity

    def set_severity(self, value: int) -> None:
        self._severity = max(vocab.NRS_MIN, min(vocab.NRS_MAX, value))
        self._show()

    def _show(self) -> None:
        save = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        if self._severity is None:
            self._value.setText("–")
            self._anchor.setText("Press a number key")
            save.setEnabled(False)
        else:
            self._value.setText(f"{self._severity}")
            self._anchor.setText(vocab.nrs_anchor(self._severity))
            save.setEnabled(True)
        self._value.setAccessibleDescription(self._anchor.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in _DIGIT_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.set_severity(_DIGIT_KEYS[Qt.Key(key)])
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Right, Qt.Key.Key_Plus):
            self.set_severity(5 if self._severity is None else self._severity + 1)
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Minus):
            self.set_severity(5 if self._severity is None else self._severity - 1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            cancel = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
            if cancel.hasFocus():
                self.reject()
            elif self._severity is not None:
                self.accept()
            return
        super().keyPressEvent(event)

    def episode(self) -> Episode:
        """The complete episode to save (call after the dialog was accepted)."""
        if self._severity is None:
            raise ValueError("no severity chosen")
        return Episode(
            started_at=self._now.replace(second=0, microsecond=0),
            duration_s=vocab.DEFAULT_DURATION_S,
            muscle=str(self._muscle.currentData()),
            side=str(self._side.currentData()),
            severity=self._severity,
            woke_from_sleep=self._woke.isChecked(),
            utc_offset_min=_utc_offset_min(self._now),
        )


def _probably_asleep(now: datetime) -> bool:
    """Pre-ticks "woke me" for a cramp logged between 22:00 and 07:00; shown, and editable."""
    return now.hour >= 22 or now.hour < 7


def _utc_offset_min(now: datetime) -> int | None:
    offset = now.astimezone().utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)
