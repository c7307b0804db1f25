"""Signing in again in place when the session ends on the server (issue 13).

The session expired, or was ended elsewhere (a sign-out on another computer, an admin).
The client then pauses the outbox and the live socket (``InboxClient.needs_login``); this
prompt, over the window, asks for the same user's password and renews the session, after
which the actions that waited go out, once. While the window is locked the lock screen's
password does the same, so the prompt is not shown then.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inbox_app.client import ClientError, RejectedError, TooManyAttemptsError, TransientError
from inbox_app.ui.tasks import Tasks

if TYPE_CHECKING:
    from inbox_app.ui.main_window import MainWindow

Renew = Callable[[str], Awaitable[None]]


class ResignInDialog(QDialog):
    """The password prompt. ``renew(password)`` is the client's ``reauthenticate``; on success
    the dialog accepts. Escape does not dismiss it: without a session nothing goes out."""

    #: the user chose to sign out instead
    signOutRequested = Signal()

    def __init__(
        self, user: str, email: str, waiting: int, renew: Renew, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resignIn")
        self.setWindowTitle(self.tr("Sign in again"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._renew = renew
        self._tasks = Tasks()
        self.text = QLabel(
            self.tr(
                "Your session ended (it expired, or you were signed out on the server). "
                "Type the password of {0} ({1}) to go on where you were."
            ).format(user, email),
            self,
        )
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # a name is never markup
        self.text.setWordWrap(True)
        self.waiting = QLabel(
            self.tr("%n action(s) wait and go out once you are signed in.", "", waiting)
            if waiting
            else "",
            self,
        )
        self.waiting.setWordWrap(True)
        self.waiting.setVisible(bool(waiting))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Password"))
        self.error = QLabel("", self)
        self.error.setObjectName("lockError")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.sign_in_button = QPushButton(self.tr("Sign in"), self)
        self.sign_in_button.setObjectName("primary")
        self.sign_in_button.setDefault(True)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_out_button = buttons.addButton(
            self.tr("Sign out…"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.sign_in_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.sign_out_button.clicked.connect(self._sign_out)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (self.text, self.waiting, self.password, self.error):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        # one width, and the height of the wrapped texts at that width (a waiting count
        # that appears later, a long error)
        self.setFixedWidth(460)
        self.adjustSize()

    def set_waiting(self, count: int) -> None:
        """How many actions wait for the new session."""
        self.waiting.setText(
            self.tr("%n action(s) wait and go out once you are signed in.", "", count)
        )
        self.waiting.setVisible(bool(count))
        self.adjustSize()

    def _submit(self) -> None:
        if not self.password.text() or not self.sign_in_button.isEnabled():
            return
        self.sign_in_button.setEnabled(False)
        self._say(self.tr("Checking…"), problem=False)
        self._tasks.run(self._try(self.password.text()), name="sign in again", replace=True)

    async def _try(self, password: str) -> None:
        try:
            await self._renew(password)
        except TooManyAttemptsError as exc:
            self._failed(
                self.tr(
                    "Too many wrong passwords. Try again in %n second(s).",
                    "",
                    math.ceil(exc.retry_after or 60),
                )
            )
        except TransientError as exc:
            self._failed(self.tr("The server cannot be reached: {0}").format(exc.message))
        except RejectedError:
            self._failed(self.tr("Wrong password."))
        except ClientError as exc:
            self._failed(exc.message)
        else:
            self.accept()

    def _failed(self, text: str) -> None:
        self.password.clear()
        self._say(text, problem=True)
        self.sign_in_button.setEnabled(True)
        self.password.setFocus()

    def _say(self, text: str, *, problem: bool) -> None:
        self.error.setText(text)
        self.error.setProperty("problem", problem)  # red in the stylesheet
        self.error.style().unpolish(self.error)
        self.error.style().polish(self.error)
        self.adjustSize()

    def _sign_out(self) -> None:
        self.done(QDialog.DialogCode.Rejected)
        self.signOutRequested.emit()

    def reject(self) -> None:
        """Escape and the title bar's close do nothing: sign in, or sign out."""

    def done(self, code: int) -> None:
        if code != QDialog.DialogCode.Accepted.value:
            self._tasks.cancel()  # a check still running (the window locked meanwhile)
        super().done(code)


class Renewal(QObject):
    """The window's side: the prompt when the session ends (not while locked), the status
    bar's "signed out by the server" until it is renewed."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.prompt: ResignInDialog | None = None

    def ask(self) -> None:
        """The session ended on the server: the prompt over the window, unless locked."""
        window = self.window
        window.status.set_session_ended(True)
        window.banner.hide()  # "no connection" would be wrong: the server answered, no
        if window.locked:
            return
        client = window.bridge.client
        if self.prompt is None:
            self.prompt = ResignInDialog(
                client.session.user.name,
                client.session.user.email,
                client.unsent_count(),
                client.reauthenticate,
                window,
            )
            self.prompt.accepted.connect(self._renewed)
            self.prompt.signOutRequested.connect(window.sign_out_later)
        self.prompt.open()

    def unlocked(self) -> None:
        """After unlock: unlocked online renewed the session too; offline, it still ended."""
        if self.window.bridge.client.needs_login:
            self.ask()
        else:
            self.window.status.set_session_ended(False)

    def waiting_changed(self) -> None:
        if self.prompt is not None:
            self.prompt.set_waiting(self.window.bridge.client.unsent_count())

    def _renewed(self) -> None:
        self.close()
        self.window.status.set_session_ended(False)
        self.window.show_waiting()

    def close(self) -> None:
        """Closes the prompt (the window locks: the lock screen asks instead)."""
        prompt, self.prompt = self.prompt, None
        if prompt is not None:
            prompt.done(0)
            prompt.deleteLater()
