"""UI layer: the guided stretch timer: counts each hold and rest, then ticks the stretches."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain.records import RoutineItem
from crampdiary.ui.routine.routine_models import BEFORE_YOU_START_TEXT, cautions_text

DEFAULT_REST_S = 10
# Time to change sides or get into the next stretch, so holds never run into each other.
SWITCH_S = 10


@dataclass(frozen=True)
class Phase:
    """One counted stretch of time: a hold or a rest of an item."""

    key: str
    text: str
    seconds: int
    hold: bool


def phases(items: list[RoutineItem]) -> list[Phase]:
    """Each item's holds, each followed by its relax (the last hold too), per leg where it is
    done per leg, with a "switch legs" rest between legs and a "next stretch" rest between
    items, so no hold starts straight after another."""
    out: list[Phase] = []
    timed = [i for i in items if i.hold_s is not None and i.reps is not None]
    for number, item in enumerate(timed):
        assert item.hold_s is not None and item.reps is not None
        legs = ("left leg", "right leg") if item.per_leg else ("",)
        rest = item.rest_s if item.rest_s is not None else DEFAULT_REST_S
        for leg_number, leg in enumerate(legs):
            side = f", {leg}" if leg else ""
            for rep in range(1, item.reps + 1):
                out.append(
                    Phase(
                        item.key,
                        f"{item.title}{side}: hold {rep} of {item.reps}",
                        item.hold_s,
                        True,
                    )
                )
                if rest > 0:
                    out.append(Phase(item.key, f"{item.title}{side}: relax", rest, False))
            if leg_number + 1 < len(legs):
                out.append(
                    Phase(
                        item.key,
                        f"{item.title}: switch legs, get ready with the {legs[leg_number + 1]}",
                        SWITCH_S,
                        False,
                    )
                )
        if number + 1 < len(timed):
            following = timed[number + 1]
            out.append(
                Phase(
                    following.key,
                    f"Next stretch: {following.title}. Get into position.",
                    SWITCH_S,
                    False,
                )
            )
    return out


class StretchTimerDialog(QDialog):
    """Counts the stretches down; ``completed`` carries the keys of the items finished."""

    completed = Signal(list)  # list[str]

    def __init__(
        self,
        items: list[RoutineItem],
        *,
        tick_ms: int = 1000,
        conditions: frozenset[str] = frozenset(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Stretch timer")
        self._items = [i for i in items if i.is_timed]
        self._phases = phases(self._items)
        self._index = 0
        self._left = 0
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._on_timer_timeout)

        cautions = [cautions_text(i.key, conditions) for i in self._items]
        safety = "\n".join([c for c in cautions if c] + [BEFORE_YOU_START_TEXT])
        self.safety_label = QLabel(safety)
        self.safety_label.setTextFormat(Qt.TextFormat.PlainText)
        self.safety_label.setAccessibleName("Before you start")
        self.safety_label.setWordWrap(True)
        self.phase_label = QLabel("Press Start when you are in position.")
        self.phase_label.setAccessibleName("Stretch now")
        self.phase_label.setWordWrap(True)
        self.count_label = QLabel("")
        self.count_label.setAccessibleName("Seconds left")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.count_label.font()
        font.setPointSizeF(font.pointSizeF() * 4)
        font.setBold(True)
        self.count_label.setFont(font)
        self.sound_check = QCheckBox("Soft sound at each change")
        self.sound_check.setChecked(False)
        self.start_button = QPushButton("&Start")
        self.start_button.setAutoDefault(False)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setAutoDefault(False)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addWidget(self.safety_label)
        box.addWidget(self.phase_label)
        box.addWidget(self.count_label)
        box.addWidget(self.sound_check)
        box.addLayout(buttons)
        self.stop_button.setEnabled(False)

    @property
    def phase_count(self) -> int:
        return len(self._phases)

    def start(self) -> None:
        if not self._phases:
            return
        if self._index >= len(self._phases):
            self._index = 0
        self._enter(self._index)
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.phase_label.setText("Paused. Start goes on from this step.")

    def _enter(self, index: int) -> None:
        self._index = index
        phase = self._phases[index]
        self._left = phase.seconds
        self.phase_label.setText(phase.text)
        self.count_label.setText(str(self._left))
        if self.sound_check.isChecked():
            QApplication.beep()

    def _on_timer_timeout(self) -> None:
        self._left -= 1
        if self._left > 0:
            self.count_label.setText(str(self._left))
            return
        if self._index + 1 < len(self._phases):
            self._enter(self._index + 1)
            return
        self.timer.stop()
        self._index = len(self._phases)
        self.count_label.setText("✓")
        self.phase_label.setText("All done. The stretches are ticked for tonight.")
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(False)
        self.completed.emit([i.key for i in self._items])
