"""Composition root: paths -> logging -> one instance -> window (paints) -> database -> services."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
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

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("crampdiary")
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("crampdiary")
    app.setDesktopFileName(APP_ID)

    from crampdiary.domain.errors import AlreadyRunningError
    from crampdiary.storage.lock import InstanceLock

    lock = InstanceLock(paths)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        from crampdiary.ui.single_instance import ask_running_instance

        if ask_running_instance(paths):
            logger.info("another window has this diary open; asked it to come forward")
            return 0
        from crampdiary.ui import dialogs

        dialogs.show_error(None, APP_NAME, str(exc))
        return 1
    try:
        from crampdiary.ui.main_window import MainWindow

        window = MainWindow(paths, clock=datetime.now)
        servers: list[object] = []

        def listen_for_later_launches() -> None:
            # After the first paint: QtNetwork is not needed to show the window.
            from crampdiary.ui.single_instance import InstanceServer

            server = InstanceServer(paths, window)
            server.activation_requested.connect(window.bring_to_front)
            servers.append(server)

        window.first_painted.connect(listen_for_later_launches)
        sys.excepthook = _make_excepthook(window)
        window.show()
        return int(app.exec())
    finally:
        lock.release()


def _make_excepthook(
    parent: object,
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
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
