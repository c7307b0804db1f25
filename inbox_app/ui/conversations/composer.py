"""The composer under a conversation: a reply to the patient or an internal note.

Ctrl+Enter sends. The composer only says what the user wrote; the client makes it an
optimistic action (it appears in the thread at once, with a clock).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inbox_app.contract.models import MAX_TEXT_LENGTH
from inbox_app.ui import assets


class Composer(QWidget):
    """Emits ``submitted(kind, text)`` with kind ``"reply"`` or ``"note"``."""

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.reply_button = QPushButton(self.tr("Reply to patient"), self)
        self.note_button = QPushButton(assets.icon("note"), self.tr("Internal note"), self)
        group = QButtonGroup(self)
        for button in (self.reply_button, self.note_button):
            button.setCheckable(True)
            button.setProperty("mode", True)
            group.addButton(button)
        self.reply_button.setChecked(True)
        self.reply_button.toggled.connect(self._update_mode)

        self.text = QPlainTextEdit(self)
        self.text.setObjectName("composerText")
        self.text.setFixedHeight(76)
        self.text.textChanged.connect(self._update_send)
        self.send_button = QPushButton(assets.icon("send"), self.tr("Send"), self)
        self.send_button.setObjectName("primary")
        self.send_button.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.submit)
        # Ctrl+Enter (either Enter key) is read from the editor's own key presses: a
        # QShortcut would also need the editor to hold the focus of an active window.
        self.text.installEventFilter(self)

        modes = QHBoxLayout()
        modes.addWidget(self.reply_button)
        modes.addWidget(self.note_button)
        modes.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.text, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(modes)
        layout.addLayout(row)
        self._update_mode()
        self._update_send()

    @property
    def kind(self) -> str:
        """``"note"`` or ``"reply"``, as the mode buttons say."""
        return "note" if self.note_button.isChecked() else "reply"

    def set_kind(self, kind: str) -> None:
        """Switches between an internal note and a reply to the patient."""
        (self.note_button if kind == "note" else self.reply_button).setChecked(True)

    def submit(self) -> None:
        """Emits :attr:`submitted` and empties the editor; empty or too long text stays."""
        text = self.text.toPlainText().strip()
        if not text or len(text) > MAX_TEXT_LENGTH:
            return
        self.submitted.emit(self.kind, text)
        self.text.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.text
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.submit()
            return True
        return super().eventFilter(watched, event)

    def _update_mode(self) -> None:
        note = self.kind == "note"
        self.text.setProperty("mode", "note" if note else "reply")
        # a screen reader says what the field writes, as the checked mode button does
        self.text.setAccessibleName(self.note_button.text() if note else self.reply_button.text())
        self.text.setPlaceholderText(
            self.tr("Write an internal note (only the team sees it)…")
            if note
            else self.tr("Write a reply to the patient…")
        )
        self.text.style().unpolish(self.text)
        self.text.style().polish(self.text)

    def _update_send(self) -> None:
        text = self.text.toPlainText().strip()
        self.send_button.setEnabled(0 < len(text) <= MAX_TEXT_LENGTH)
        if len(text) > MAX_TEXT_LENGTH:
            self.send_button.setToolTip(
                self.tr("Too long: at most {0} characters").format(MAX_TEXT_LENGTH)
            )
        else:
            self.send_button.setToolTip(self.tr("Send (Ctrl+Enter)"))
