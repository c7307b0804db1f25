"""The tray icon (issue 13): the unread count on the icon and in its tooltip, and a menu to
open the window, lock it or quit. Only where the desktop has a tray
(:meth:`Tray.available`); the window works the same without one.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from inbox_app.ui import assets

BADGE_SIZE = 64
MESSAGE_MS = 8000


def badge_icon(count: int) -> QIcon:
    """The app icon with the unread count in a red disc (the icon alone when 0)."""
    if count <= 0:
        return assets.icon("app")
    pixmap = QPixmap(assets.pixmap("app", BADGE_SIZE))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    disc = QRectF(BADGE_SIZE * 0.42, BADGE_SIZE * 0.42, BADGE_SIZE * 0.58, BADGE_SIZE * 0.58)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#d92d20"))
    painter.drawEllipse(disc)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(BADGE_SIZE * (0.4 if count < 10 else 0.3)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pixmap)


class Tray(QObject):
    """The tray icon and its menu: Open, Lock, Quit."""

    openRequested = Signal()
    lockRequested = Signal()
    quitRequested = Signal()
    #: the tray's own message was clicked: the conversation it was about
    messageClicked = Signal(int)

    @staticmethod
    def available() -> bool:
        """Whether the desktop shows tray icons."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.icon = QSystemTrayIcon(assets.icon("app"), self)
        self.menu = QMenu(window)
        self.open_action = self.menu.addAction(self.tr("&Open Clinic Inbox"))
        self.open_action.triggered.connect(self.openRequested)
        self.lock_action = self.menu.addAction(self.tr("&Lock"))
        self.lock_action.triggered.connect(self.lockRequested)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction(self.tr("&Quit"))
        self.quit_action.triggered.connect(self.quitRequested)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._about = 0
        self.icon.messageClicked.connect(lambda: self.messageClicked.emit(self._about))
        self.unread = -1
        self.set_unread(0)

    def show(self) -> None:
        """Shows the icon, where the desktop has a tray to show it in."""
        if self.available():
            self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_unread(self, count: int) -> None:
        """Shows how many conversations have unread messages."""
        if count == self.unread:
            return
        self.unread = count
        self.icon.setIcon(badge_icon(count))
        self.icon.setToolTip(
            self.tr("Clinic Inbox — %n conversation(s) unread", "", count)
            if count
            else self.tr("Clinic Inbox")
        )

    def set_locked(self, locked: bool) -> None:
        """Locking twice makes no sense: the menu's Lock is off while locked."""
        self.lock_action.setEnabled(not locked)

    def show_message(self, conversation_id: int, title: str, body: str) -> None:
        """The tray's balloon: only where the desktop's notification service is missing."""
        self._about = conversation_id
        self.icon.showMessage(title, body, assets.icon("app"), MESSAGE_MS)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.openRequested.emit()
