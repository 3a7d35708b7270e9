"""UI layer: one window per data dir; a second launch brings the running window to the front."""

from __future__ import annotations

import getpass
import hashlib
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from crampdiary.paths import AppPaths

logger = logging.getLogger(__name__)
_MESSAGE = b"activate\n"


def server_name(paths: AppPaths) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        user = "user"
    digest = hashlib.sha256(f"{user}\0{paths.data_dir}".encode()).hexdigest()[:20]
    return f"crampdiary-{digest}"


def ask_running_instance(paths: AppPaths, *, timeout_ms: int = 400) -> bool:
    """True when a window for this data dir is already running and was asked to come forward."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(paths))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(_MESSAGE)
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches and says so through ``activation_requested``."""

    activation_requested = Signal()

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)
        name = server_name(paths)
        QLocalServer.removeServer(name)  # a socket left by a crashed run
        if not self._server.listen(name):
            logger.warning("could not listen for other launches: %s", self._server.errorString())

    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_socket_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_socket_ready_read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(_MESSAGE.strip()):
            logger.info("a later launch asked for this window")
            self.activation_requested.emit()

    def close(self) -> None:
        self._server.close()
