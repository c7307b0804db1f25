"""The login dialog: server URL, e-mail and password, with a clear message when it fails.

It remembers the server URL and the e-mail (QSettings); the session itself is remembered by
the client (``InboxClient.resume``). An address typed without a scheme gets ``https://``
(``http://`` only for this machine, the demo); plain HTTP to any other host needs a ticked
confirmation once per server, remembered in ``plain_http_servers``. The dialog runs the
login coroutine it is given, so it never knows how logging in works.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inbox_app.client import ClientError, RejectedError, TransientError, UnauthorizedError
from inbox_app.client.errors import CertificateError
from inbox_app.client.net import tls
from inbox_app.ui import assets

log = logging.getLogger(__name__)

Login = Callable[[str, str, str], Awaitable[object]]
#: QSettings key: the servers the user agreed to reach over plain HTTP
PLAIN_HTTP_KEY = "plain_http_servers"


def plain_http_servers(settings: QSettings) -> list[str]:
    value = settings.value(PLAIN_HTTP_KEY, [])
    if isinstance(value, str):  # QSettings gives a one-item list back as a string
        return [value] if value else []
    return [str(v) for v in value] if isinstance(value, list) else []


class LoginDialog(QDialog):
    """Asks for the server, e-mail and password, then awaits ``login(url, email, password)``.

    On success ``self.result_value`` holds what ``login`` returned and the dialog accepts.
    """

    failed = Signal(str)

    def __init__(
        self, login: Login, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Clinic Inbox — sign in"))
        self.setWindowIcon(assets.icon("app"))
        self._login = login
        self._settings = settings
        self._task: asyncio.Task[None] | None = None
        self.result_value: object = None

        title = QLabel(self.tr("Clinic Inbox"), self)
        title.setObjectName("loginTitle")
        self.server = QLineEdit(str(settings.value("server_url", "http://127.0.0.1:8765")), self)
        self.server.setObjectName("serverUrl")
        self.email = QLineEdit(str(settings.value("email", "")), self)
        self.email.setObjectName("email")
        self.email.setPlaceholderText("ana@clinica.com.br")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # may quote the server
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.plain_http = QCheckBox(
            self.tr("Send the password and patients' messages unencrypted to this server"), self)
        self.plain_http.setObjectName("plainHttpConfirm")
        self.plain_http.hide()
        self.submit_button = QPushButton(self.tr("Sign in"), self)
        self.submit_button.setObjectName("primary")
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)

        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("E-mail"), self.email)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.plain_http)
        layout.addWidget(self.submit_button)
        self.setMinimumWidth(400)
        (self.password if self.email.text() else self.email).setFocus()

    def submit(self) -> None:
        if self._task is not None and not self._task.done():
            return
        url, email, password = (
            self.server.text().strip(), self.email.text().strip(), self.password.text()
        )
        if not url or not email or not password:
            self._fail(self.tr("Fill in the server, e-mail and password."))
            return
        url = tls.with_scheme(url)
        self.server.setText(url)
        if (tls.needs_confirmation(url) and url not in plain_http_servers(self._settings)
                and not self.plain_http.isChecked()):
            self.plain_http.show()
            self._fail(self.tr("{0} is not encrypted: anyone on the network could read the "
                               "password and patients' messages. Use https://, or confirm "
                               "below.").format(url))
            return
        self._task = asyncio.get_running_loop().create_task(
            self._run(url, email, password), name="login"
        )

    async def _run(self, url: str, email: str, password: str) -> None:
        self.submit_button.setEnabled(False)
        self.submit_button.setText(self.tr("Signing in…"))
        self.error.hide()
        try:
            self.result_value = await self._login(url, email, password)
        except UnauthorizedError:
            self._fail(self.tr("Wrong e-mail or password."))
        except RejectedError as exc:
            self._fail(self.tr("The server refused: {0}").format(exc.message))
        except CertificateError as exc:
            self._fail(self.tr("The server's certificate could not be verified, so nothing "
                               "was sent: {0}").format(exc.message))
        except TransientError:
            self._fail(self.tr("Cannot reach the server at {0}. Check the address and the network.")
                       .format(url))
        except (ClientError, ValueError) as exc:
            log.warning("login failed: %s", exc)
            self._fail(self.tr("Sign-in failed: {0}").format(exc))
        else:
            self._settings.setValue("server_url", url)
            self._settings.setValue("email", email)
            allowed = plain_http_servers(self._settings)
            if tls.needs_confirmation(url) and url not in allowed:
                self._settings.setValue(PLAIN_HTTP_KEY, [*allowed, url])
            self.password.clear()
            self.accept()
        finally:
            self.submit_button.setEnabled(True)
            self.submit_button.setText(self.tr("Sign in"))

    def reject(self) -> None:
        """Cancelled (Esc, the close button): a sign-in still running stops with the dialog,
        so it cannot accept a dialog that is gone or sign in behind the user's back."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().reject()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.selectAll()
        self.password.setFocus()
        self.failed.emit(message)
