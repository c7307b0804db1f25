"""What the window does to protect patient data (issue 7): idle lock, sign-out, about box.

- :class:`IdleWatcher` notices no keyboard or mouse input for the configured time (the user's
  preference ``lock_minutes``, 15 by default; ``INBOX_LOCK_SECONDS`` or ``inbox-app
  --lock-seconds`` for tests and demos) and asks the window to lock.
- :class:`LockScreen` replaces the inbox while locked: no patient data on screen, the password
  unlocks (the client checks it: server, or the sealed verifier when offline).
- :class:`UnsentDialog` asks what to do with actions not sent yet when the user signs out.
- :class:`AboutDialog` says where the data key is kept (OS keyring, or a key file when the
  machine has none) and where the log is.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inbox_app import __version__
from inbox_app.client import InboxClient
from inbox_app.client.logs.logfile import current_path
from inbox_app.client.net import tls
from inbox_app.client.security.protection import DEFAULT_LOCK_SECONDS
from inbox_app.ui.conversations.pane import ConversationPane

log = logging.getLogger(__name__)

LOCK_ENV = "INBOX_LOCK_SECONDS"
_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


@dataclass
class Parked:
    """Where the receptionist was when the window locked, kept in memory only (never on
    disk): unlock puts back the same conversation, scroll position, composer mode and draft."""

    conversation_id: int | None
    #: the thread's scroll position; None when it showed the newest message
    scroll: int | None
    kind: str
    draft: str
    composer_focus: bool


def park(pane: ConversationPane, conversation_id: int | None) -> Parked:
    """Notes what the pane shows and empties the composer (nothing of it stays on screen)."""
    thread, composer = pane.thread_view, pane.composer
    parked = Parked(
        conversation_id=conversation_id,
        scroll=None if thread.at_bottom else thread.verticalScrollBar().value(),
        kind=composer.kind,
        draft=composer.text.toPlainText(),
        composer_focus=composer.text.hasFocus(),
    )
    composer.text.clear()
    return parked


def lock_seconds(explicit: float | None = None, *, minutes: float | None = None) -> float:
    """The idle time before locking: explicit (tests, ``--lock-seconds``), else the
    ``INBOX_LOCK_SECONDS`` environment variable, else ``minutes`` (the user's preference,
    Account → Preferences), else 15 minutes. Never below one second."""
    value: float | None = explicit
    if value is None and os.environ.get(LOCK_ENV):
        try:
            value = float(os.environ[LOCK_ENV])
        except ValueError:
            log.warning("%s is not a number: ignored", LOCK_ENV)
    if value is None and minutes is not None:
        value = minutes * 60
    return max(1.0, value if value is not None else DEFAULT_LOCK_SECONDS)


class IdleWatcher(QObject):
    """Emits :attr:`idle` after ``seconds`` without user input anywhere in the app."""

    idle = Signal()

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seconds = seconds
        self._timer = QTimer(self, singleShot=True, interval=int(seconds * 1000))
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_seconds(self, seconds: float) -> None:
        """A new idle time, from now on (counting again when it was counting)."""
        self.seconds = seconds
        self._timer.setInterval(int(seconds * 1000))
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        """Starts counting idle time."""
        self._timer.start()

    def stop(self) -> None:
        """Stops counting (locked: no second lock)."""
        self._timer.stop()

    @property
    def active(self) -> bool:
        """Whether idle time is being counted."""
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # every event of the app passes here: keep it to one set lookup
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False

    def remove(self) -> None:
        """Stops watching the application's input (the window closes)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()


class LockScreen(QWidget):
    """Shown instead of the inbox while locked: who is signed in, and a password field."""

    unlockRequested = Signal(str)

    def __init__(self, user_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.title = QLabel(self.tr("Clinic Inbox is locked"), self)
        self.title.setObjectName("lockTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who = QLabel(self.tr("Signed in as {0}. Type your password to continue.")
                          .format(user_name), self)
        self.who.setObjectName("lockWho")
        self.who.setTextFormat(Qt.TextFormat.PlainText)  # a name is never markup
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setMinimumWidth(280)
        self.password.setMaximumWidth(320)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setDefault(True)
        self.error = QLabel("", self)
        self.error.setObjectName("lockError")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.who, self.password, self.unlock_button, self.error):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.password.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)

    def _submit(self) -> None:
        if self.password.text():
            self.unlock_button.setEnabled(False)
            self._say(self.tr("Checking…"), problem=False)
            self.unlockRequested.emit(self.password.text())

    def reset(self, error: str = "") -> None:
        """Ready for the password again, with ``error`` (a wrong password) shown in red."""
        self.password.clear()
        self._say(error, problem=bool(error))
        self.unlock_button.setEnabled(True)
        self.password.setFocus()

    def _say(self, text: str, *, problem: bool) -> None:
        self.error.setText(text)
        self.error.setProperty("problem", problem)  # red in the stylesheet
        self.error.style().unpolish(self.error)
        self.error.style().polish(self.error)


class UnsentDialog(QMessageBox):
    """Sign-out with actions not sent yet: send them first, discard them, or stay."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Sign out"))
        self.setText(self.tr("%n action(s) not sent yet.", "", count))
        self.setInformativeText(self.tr(
            "Signing out deletes everything this app keeps on this computer for you."))
        self.send_button = self.addButton(self.tr("Send, then sign out"),
                                          QMessageBox.ButtonRole.AcceptRole)
        self.discard_button = self.addButton(self.tr("Discard them and sign out"),
                                             QMessageBox.ButtonRole.DestructiveRole)
        self.keep_button = self.addButton(self.tr("Stay signed in"),
                                          QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.send_button)
        self.setEscapeButton(self.keep_button)

    async def choose(self) -> str:
        """Shows the dialog (window-modal, not blocking the loop): "send", "discard" or
        "keep"."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.finished.connect(lambda _code: None if done.done() else done.set_result(None))
        self.open()
        await done
        clicked = self.clickedButton()
        if clicked is self.send_button:
            return "send"
        if clicked is self.discard_button:
            return "discard"
        return "keep"


class AboutDialog(QDialog):
    """Version, who is signed in, and how the local data is protected."""

    def __init__(self, client: InboxClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Clinic Inbox"))
        store = client.keystore
        if store.uses_fallback:
            key_text = self.tr(
                "This computer has no system keyring: the key is kept in a file only your "
                "user account can read ({0}).").format(store.key_file)
        else:
            key_text = self.tr("The key is kept in the system keyring.")
        log_path = current_path()
        lines = [
            self.tr("Server: {0}").format(client.api.server_url),
            self.tr("Connection: plain HTTP, not encrypted (you confirmed this for this "
                    "server)") if tls.needs_confirmation(client.api.server_url) else "",
            self.tr("Signed in as {0} ({1})").format(client.session.user.name,
                                                     client.session.clinic.name),
            self.tr("Data kept on this computer is encrypted (AES-256-GCM) with a key of "
                    "your own."),
            key_text,
            self.tr("Log file: {0}").format(log_path) if log_path else "",
        ]
        # rich text for the bold title: names and paths are escaped, they are never markup
        product = self.tr("Clinic Inbox")
        title = f"<b>{html.escape(product)} {html.escape(__version__)}</b>"
        self.text = QLabel(
            "<br>".join([title, *(html.escape(line) for line in lines if line)]), self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_text = key_text
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.about_qt = buttons.addButton(self.tr("About &Qt"),
                                          QDialogButtonBox.ButtonRole.HelpRole)
        self.about_qt.clicked.connect(lambda: QMessageBox.aboutQt(self))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
