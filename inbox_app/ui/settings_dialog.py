"""Account → Preferences (issue 13): the receptionist's own settings, saved per user.

Language, idle-lock minutes, what a desktop notification shows, how long offline data may be
shown, and the server (read-only: signing out is how to change it). The rules (defaults,
ranges, where they are kept) are the client's (:mod:`inbox_app.client.preferences`); the
dialog only shows them and hands back what was chosen. The window applies lock minutes and
notifications at once; the language applies the next time the window opens (its texts are
set when it is built).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from inbox_app.client.alerts import NotificationPrivacy
from inbox_app.client.preferences import (
    LOCK_MINUTES_RANGE,
    MAX_STALE_DAYS_RANGE,
    Preferences,
)


class PreferencesDialog(QDialog):
    """Shows ``current``; Save emits :attr:`saved` with the new :class:`Preferences`."""

    saved = Signal(object)
    #: "Sign out…" beside the server: signing out is how to change it
    signOutRequested = Signal()

    def __init__(
        self, current: Preferences, server_url: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle(self.tr("Preferences"))
        self.current = current

        self.language = QComboBox(self)
        self.language.addItem(self.tr("As the system (Portuguese on a Portuguese system)"), None)
        self.language.addItem("Português (Brasil)", "pt_BR")  # each in its own language
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.language_note = QLabel(self.tr("Applies the next time the app opens."), self)
        self.language_note.setObjectName("muted")

        self.lock_minutes = QSpinBox(self)
        self.lock_minutes.setRange(*LOCK_MINUTES_RANGE)
        self.lock_minutes.setValue(current.lock_minutes)
        self.lock_minutes.setSuffix(self.tr(" min"))
        self.lock_minutes.setMaximumWidth(160)

        self.privacy = QComboBox(self)
        for value, text in (
            (NotificationPrivacy.PATIENT_AND_TEXT, self.tr("The patient and what they wrote")),
            (NotificationPrivacy.PATIENT, self.tr("The patient only")),
            (NotificationPrivacy.NOTHING, self.tr("Only “New message”")),
        ):
            self.privacy.addItem(text, value.value)
        self.privacy.setCurrentIndex(self.privacy.findData(current.notification_privacy.value))
        self.privacy_note = QLabel(
            self.tr("A notification is seen by anyone passing by and stays in the desktop's list."),
            self,
        )
        self.privacy_note.setObjectName("muted")
        self.privacy_note.setWordWrap(True)

        self.max_stale = QSpinBox(self)
        self.max_stale.setRange(*MAX_STALE_DAYS_RANGE)
        self.max_stale.setValue(current.max_stale_days)
        self.max_stale.setSuffix(self.tr(" days"))
        self.max_stale.setMaximumWidth(160)

        self.server = QLineEdit(server_url, self)
        self.server.setReadOnly(True)
        self.sign_out_button = QPushButton(self.tr("Sign out…"), self)
        self.sign_out_button.clicked.connect(self._sign_out)
        server_row = QHBoxLayout()
        server_row.addWidget(self.server, 1)
        server_row.addWidget(self.sign_out_button)
        self.server_note = QLabel(
            self.tr("To use another server, sign out and sign in there."), self
        )
        self.server_note.setObjectName("muted")

        form = QFormLayout()
        form.addRow(self.tr("&Language:"), self.language)
        form.addRow("", self.language_note)
        form.addRow(self.tr("Lock after &idle:"), self.lock_minutes)
        form.addRow(self.tr("&Notifications show:"), self.privacy)
        form.addRow("", self.privacy_note)
        form.addRow(self.tr("&Offline, show data up to:"), self.max_stale)
        form.addRow(self.tr("Server:"), server_row)
        form.addRow("", self.server_note)
        for label, field in (
            (self.tr("Language"), self.language),
            (self.tr("Lock after idle, in minutes"), self.lock_minutes),
            (self.tr("What notifications show"), self.privacy),
            (self.tr("Offline, show data up to this many days old"), self.max_stale),
            (self.tr("Server"), self.server),
        ):
            field.setAccessibleName(label)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def chosen(self) -> Preferences:
        """What the dialog shows now."""
        return Preferences(
            language=self.language.currentData(),
            lock_minutes=self.lock_minutes.value(),
            notification_privacy=NotificationPrivacy(self.privacy.currentData()),
            max_stale_days=self.max_stale.value(),
        )

    def accept(self) -> None:
        chosen = self.chosen()
        super().accept()
        if chosen != self.current:
            self.saved.emit(chosen)

    def _sign_out(self) -> None:
        self.reject()
        self.signOutRequested.emit()
