"""The floor for start-up: a bare PySide6 QMainWindow, started the way the app is.

Run as ``python bench/bare_window.py``. With ``CRAMPDIARY_BENCH=1`` it writes the same stderr
markers as the app (``crampdiary-bench first-paint <t>`` from the window's first paint event,
then ``crampdiary-bench ready <t>`` on the next turn of the event loop, ``<t>`` being
``time.time()``); with ``CRAMPDIARY_BENCH_EXIT=1`` as well it quits right after "ready".
It imports nothing but PySide6, so that it stays the floor.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

MARKER = "crampdiary-bench"


def mark(stage: str) -> None:
    """Write one marker line to stderr, stamped with time.time() in this process."""
    sys.stderr.write(f"{MARKER} {stage} {time.time()!r}\n")
    sys.stderr.flush()


class FirstPaintWatcher(QObject):
    """Event filter on the window: marks its first Paint event, then "ready" right after."""

    def __init__(self, app: QApplication, *, exit_after_ready: bool) -> None:
        super().__init__()
        self._app = app
        self._exit_after_ready = exit_after_ready
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._seen and event.type() == QEvent.Type.Paint:
            self._seen = True
            mark("first-paint")
            QTimer.singleShot(0, self._ready)
        return False

    def _ready(self) -> None:
        mark("ready")
        if self._exit_after_ready:
            self._app.quit()


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Bare")
    window.setCentralWidget(QLabel("Bare"))
    watcher: FirstPaintWatcher | None = None
    if os.environ.get("CRAMPDIARY_BENCH") == "1":
        exit_after_ready = os.environ.get("CRAMPDIARY_BENCH_EXIT") == "1"
        watcher = FirstPaintWatcher(app, exit_after_ready=exit_after_ready)
        window.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
