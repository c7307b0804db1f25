"""The status bar, in a receptionist's words: the connection, and what waits to be sent.

Cache figures are a maintainer's: they are in Help → Diagnostics (the metrics window).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from inbox_app.client.actions.waiting import Waiting
from inbox_app.ui import assets, labels


class StatusBar(QStatusBar):
    """Connection state and the actions waiting to be sent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.connection_icon = QLabel(self)
        self.connection = QLabel(self)
        self.connection.setObjectName("connectionLabel")
        self.pending = QLabel(self)
        self.pending.setObjectName("pendingLabel")
        self.addWidget(self.connection_icon)
        self.addWidget(self.connection)
        self.addWidget(self.pending)
        self._state = "reconnecting"
        self._session_ended = False
        self._waiting = Waiting()
        self.set_connection("reconnecting")

    def set_connection(self, state: str) -> None:
        """Shows ``online``, ``reconnecting`` or ``offline`` with its coloured dot."""
        self._state = state
        self._show_connection()
        self._show_waiting()

    def set_session_ended(self, ended: bool) -> None:
        """The session ended on the server: nothing goes out until the password is typed."""
        self._session_ended = ended
        self._show_connection()
        self._show_waiting()

    def set_waiting(self, waiting: Waiting) -> None:
        """Shows what waits to be sent ("Everything sent" when nothing does)."""
        self._waiting = waiting
        self._show_waiting()

    def _show_connection(self) -> None:
        state = "offline" if self._session_ended else self._state
        icon = {"online": "online", "reconnecting": "reconnecting"}.get(state, "disconnected")
        self.connection_icon.setPixmap(assets.pixmap(icon, 12))
        self.connection.setText(
            self.tr("Signed out by the server")
            if self._session_ended
            else labels.connection_label(state)
        )

    def _show_waiting(self) -> None:
        waiting = self._waiting
        if waiting.nothing:
            self.pending.setText(self.tr("Everything sent"))
            self.pending.setToolTip("")
            return
        parts = []
        if waiting.sending:
            if self._session_ended:
                parts.append(
                    self.tr(
                        "%n action(s) waiting: sent after you sign in again", "", waiting.sending
                    )
                )
            elif self._state != "online":
                parts.append(
                    self.tr(
                        "%n action(s) waiting: sent when the connection is back",
                        "",
                        waiting.sending,
                    )
                )
            else:
                parts.append(self.tr("%n action(s) waiting to be sent", "", waiting.sending))
        if waiting.failed:
            parts.append(self.tr("%n not sent: open the conversation to retry", "", waiting.failed))
        self.pending.setText(" · ".join(parts))
        self.pending.setToolTip(
            "\n".join(f"{labels.action_label(kind)}: {count}" for kind, count in waiting.kinds)
        )
