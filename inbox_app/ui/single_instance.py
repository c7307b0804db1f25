"""One app per user (issue 12): a second launch brings the first window forward and exits.

Two copies on one user's data folder would share one outbox (duplicate sends, files deleted
under each other, a sign-out deleting the key the other seals with). The first launch holds
a QLockFile in the user's data folder and listens on a QLocalServer; a later launch finds
the lock taken, asks the first over a QLocalSocket to come forward, and exits. A lock left
by a crashed app (its process is gone) is taken over: QLockFile checks the holder's PID.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

LOCK_NAME = "inbox-app.lock"
_CONNECT_MS = 2000


def server_name(folder: Path) -> str:
    """The local socket name of the app that owns ``folder`` (one per user and folder)."""
    digest = hashlib.sha256(f"{getpass.getuser()}:{folder.resolve()}".encode()).hexdigest()
    return f"clinic-inbox-{digest[:16]}"


class SingleInstance(QObject):
    """The claim of one app on a data folder."""

    #: another launch asked this one to come forward
    activated = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.name = server_name(folder)
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """True when this process is now the app for the folder; False when another one
        holds it (that one was asked to come forward)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self.folder / LOCK_NAME))
        lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        if not lock.tryLock(100):
            log.info("another Clinic Inbox runs for this user: asking it to come forward")
            self._wake_the_other()
            return False
        self._lock = lock
        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            log.warning("single-instance listener not started: %s", server.errorString())
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def release(self) -> None:
        """Gives the folder up (the app ends)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.disconnectFromServer()
            socket.deleteLater()
            self.activated.emit()

    def _wake_the_other(self) -> None:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(_CONNECT_MS):
            socket.write(b"raise\n")
            socket.waitForBytesWritten(_CONNECT_MS)
            socket.disconnectFromServer()
        else:
            log.warning("the other Clinic Inbox did not answer: %s", socket.errorString())


def bring_forward() -> None:
    """Shows, raises and activates every visible top-level window of the app."""
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() or widget.isMinimized():
            widget.showNormal()
            widget.raise_()
            widget.activateWindow()
