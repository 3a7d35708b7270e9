"""Composition root: paths -> logging -> one instance -> window (paints) -> database -> services."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from types import TracebackType

from crampdiary import APP_ID, APP_NAME, __version__
from crampdiary.logsetup import setup_logging
from crampdiary.paths import AppPaths

logger = logging.getLogger(__name__)


def run_gui(paths: AppPaths) -> int:
    """Open the main window for the diary in ``paths``; returns the process exit code."""
    paths.ensure()
    setup_logging(paths)
    logger.info("starting %s %s", APP_NAME, __version__)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("crampdiary")
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("crampdiary")
    app.setDesktopFileName(APP_ID)

    from crampdiary.ui.single_instance import InstanceServer, ask_running_instance

    if ask_running_instance(paths):
        logger.info("another window has this diary open; asked it to come forward")
        return 0

    from crampdiary.domain.errors import AlreadyRunningError
    from crampdiary.storage.lock import InstanceLock
    from crampdiary.ui import dialogs

    lock = InstanceLock(paths)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        dialogs.show_error(None, APP_NAME, str(exc))
        return 1
    try:
        server = InstanceServer(paths)
        from crampdiary.ui.main_window import MainWindow

        window = MainWindow(paths, clock=datetime.now)
        server.activation_requested.connect(window.bring_to_front)
        sys.excepthook = _make_excepthook(window)
        window.show()
        code = app.exec()
        server.close()
        return int(code)
    finally:
        lock.release()


def _make_excepthook(parent: object) -> object:
    """Unexpected errors: logged (type and place, no diary text) and shown; nothing is lost."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        logger.error("unexpected error: %s\n%s", kind.__name__, "".join(traceback.format_tb(tb)))
        from crampdiary.ui import dialogs

        dialogs.show_error(
            parent,  # type: ignore[arg-type]
            "Something went wrong",
            f"Cramp Diary hit an unexpected problem ({kind.__name__}). Everything you had "
            "saved is safe. The details are in the log file in your data folder.",
        )

    return hook
