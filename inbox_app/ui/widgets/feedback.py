"""Feedback that comes and goes: rollback toasts and the offline banner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inbox_app.ui import assets, labels
from inbox_app.ui.widgets.elided_label import ElidedLabel

TOAST_MS = 6000


class Toast(QFrame):
    """A dark card at the bottom of the window: what was undone, where, and why."""

    def __init__(self, title: str, reason: str, parent: QWidget, *,
                 icon: str | None = "failed", action: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        if icon is not None:
            mark = QLabel(self)
            mark.setPixmap(assets.pixmap(icon, 18))
            layout.addWidget(mark)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        # a patient's name and the server's reason are shown as written, never as markup
        self.title = QLabel(title, self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("toastTitle")
        self.title.setWordWrap(True)
        self.reason = QLabel(reason, self)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setObjectName("toastReason")
        self.reason.setWordWrap(True)
        texts.addWidget(self.title)
        texts.addWidget(self.reason)
        layout.addLayout(texts, 1)
        #: the toast's one button ("Undo"), when it offers one
        self.action: QPushButton | None = None
        if action is not None:
            self.setProperty("offer", True)
            self.action = QPushButton(action, self)
            self.action.setObjectName("toastAction")
            self.action.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the focus stays where it is
            layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setFixedWidth(420)
        self.setAccessibleName(title)
        self.setAccessibleDescription(reason)

    @property
    def spoken(self) -> str:
        """What a screen reader announces when the toast appears: title, reason, button."""
        parts = [self.title.text(), self.reason.text()]
        if self.action is not None:
            parts.append(self.action.text())
        return ". ".join(part.rstrip(".") for part in parts if part)

    def announce(self) -> None:
        """Has screen readers say the toast (AT-SPI ``object:announcement``; UIA and macOS
        alike): at once for a failure, after what they are saying for an offer to undo."""
        event = QAccessibleAnnouncementEvent(self, self.spoken)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite if self.action is not None
                            else QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)


class Toasts(QObject):
    """Stacks toasts over the bottom-right corner of a window and removes them in time."""

    shown = Signal(str, str)  # title, reason (tests and screen readers listen)

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self._host = host
        self.active: list[Toast] = []
        host.installEventFilter(self)

    def show_toast(self, title: str, reason: str, *, duration_ms: int = TOAST_MS,
                   icon: str | None = "failed", action: str | None = None,
                   on_action: Callable[[], object] | None = None) -> Toast:
        """Shows a toast over the others for ``duration_ms`` and emits :attr:`shown`;
        ``action`` names a button that calls ``on_action``."""
        toast = Toast(title, reason, self._host, icon=icon, action=action)
        if toast.action is not None and on_action is not None:
            toast.action.clicked.connect(lambda _checked=False: on_action())
        self.active.append(toast)
        toast.show()
        toast.raise_()
        self._place()
        toast.announce()
        QTimer.singleShot(duration_ms, toast, lambda: self.dismiss(toast))
        self.shown.emit(title, reason)
        return toast

    def dismiss(self, toast: Toast) -> None:
        """Removes a toast before its time."""
        if toast in self.active:
            self.active.remove(toast)
            toast.hide()
            toast.deleteLater()
            self._place()

    def _place(self) -> None:
        bottom = self._host.height() - 36
        for toast in reversed(self.active):
            toast.adjustSize()
            bottom -= toast.height()
            toast.move(self._host.width() - toast.width() - 16, bottom)
            bottom -= 8

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self._place()
        return False


class OfflineBanner(QFrame):
    """"Sem conexão — mostrando dados de HH:MM": shown while the client is not online."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 6)
        icon = QLabel(self)
        icon.setPixmap(assets.pixmap("offline", 16))
        layout.addWidget(icon)
        self.label = ElidedLabel("", self)
        self.label.setObjectName("offlineText")
        layout.addWidget(self.label, 1)
        self.hide()

    def show_offline(self, data_time: datetime | None, *, reconnecting: bool = False) -> None:
        """Shows the banner with the time of the data on screen (None: no data yet)."""
        if data_time is None:
            text = self.tr("No connection")
        else:
            text = self.tr("No connection — showing data from {0}").format(
                labels.clock_time(data_time)
            )
        if reconnecting:
            text += " · " + self.tr("trying to reconnect…")
        self.label.setText(text)
        self.show()
