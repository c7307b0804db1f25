"""Desktop notifications when a patient writes and the window is not active (issue 13).

They go through the desktop's own notification service, by desktop-notifier: the
freedesktop ``org.freedesktop.Notifications`` service over D-Bus on Linux, the native one on
Windows and on macOS (an app bundle). Messages of a tray icon are invisible on desktops
without a tray, so the tray shows one only where the desktop service is missing or fails.

What a notification shows is the receptionist's setting (:mod:`inbox_app.client.alerts`):
it stays on screen for anyone passing by and in the desktop's history. Clicking it (the
desktop's default action) emits :attr:`Notifier.clicked` with the conversation's id.

desktop-notifier is imported with the first notification, never at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from inbox_app.client.alerts import Alert, NotificationPrivacy, alert_for
from inbox_app.ui import assets
from inbox_app.ui.tasks import Tasks

if TYPE_CHECKING:
    from inbox_app.ui.tray import Tray

log = logging.getLogger(__name__)

APP_NAME = "Clinic Inbox"


def words(alert: Alert) -> tuple[str, str]:
    """The notification's title and body, in the user's language."""
    if alert.patient is None:
        return QCoreApplication.translate("Notifier", "New message"), ""
    title = QCoreApplication.translate("Notifier", "New message from {0}").format(alert.patient)
    return title, alert.text or ""


class Notifier(QObject):
    """Hands notifications to the desktop; ``privacy`` is read at each one, so a changed
    setting applies to the next notification."""

    #: the receptionist clicked a notification: the conversation's id
    clicked = Signal(int)
    #: a notification was handed to the desktop (or to the tray): (title, body)
    shown = Signal(str, str)

    def __init__(
        self,
        privacy: Callable[[], NotificationPrivacy],
        tray: Tray | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._privacy = privacy
        self.tray = tray
        self._tasks = Tasks()
        self._desktop: Any = None
        self._loaded = False
        #: whether the last notification reached the desktop's service
        self.desktop_works: bool | None = None

    def notify(self, conversation_id: int, patient: str, text: str) -> None:
        """Tells the desktop that ``patient`` wrote ``text`` (as much as the setting lets)."""
        title, body = words(alert_for(self._privacy(), conversation_id, patient, text))
        self._tasks.run(self._send(conversation_id, title, body), name="notification")

    async def _send(self, conversation_id: int, title: str, body: str) -> None:
        desktop = self._service()
        dispatched = False

        def done() -> None:
            nonlocal dispatched
            dispatched = True

        if desktop is not None:
            # the callback runs on the loop when the desktop reports the click
            await desktop.send(
                title,
                body,
                on_dispatched=done,
                on_clicked=lambda: self.clicked.emit(conversation_id),
                icon=self._icon(),
            )
        if dispatched != self.desktop_works:
            log.info(
                "desktop notification service %s",
                "available" if dispatched else "not available: the tray icon shows the messages",
            )
            self.desktop_works = dispatched
        if not dispatched and self.tray is not None:
            self.tray.show_message(conversation_id, title, body)
        self.shown.emit(title, body)

    def _service(self) -> Any:
        """The desktop's notification service (None on a platform desktop-notifier has none
        for, such as macOS outside an app bundle)."""
        if not self._loaded:
            self._loaded = True
            from desktop_notifier import DesktopNotifier
            from desktop_notifier.backends.dummy import DummyNotificationCenter
            from desktop_notifier.main import get_backend_class

            # its debug lines print the notification (a patient's name and words) and its
            # warnings a traceback per message where no service runs: we log one line instead
            logging.getLogger("desktop_notifier").setLevel(logging.CRITICAL)
            if get_backend_class() is not DummyNotificationCenter:
                self._desktop = DesktopNotifier(app_name=APP_NAME, app_icon=None)
        return self._desktop

    def _icon(self) -> Any:
        from desktop_notifier import Icon

        path = assets.resource_root().joinpath("icons", "app.svg")
        return Icon(path=path) if isinstance(path, Path) else None

    def close(self) -> None:
        """Stops sending and lets go of the session bus (the window closes; signing in again
        opens a new window with its own)."""
        self._tasks.cancel()
        # desktop-notifier has no close of its own: its D-Bus back end keeps the connection
        bus = getattr(getattr(self._desktop, "_backend", None), "bus", None)
        if bus is not None:
            bus.disconnect()
        self._desktop = None
