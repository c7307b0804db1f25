"""The patient's card beside the conversation: name, phone, birth date, insurance, last visit."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from inbox_app.contract.models import Patient
from inbox_app.ui import labels


class PatientCard(QFrame):
    """The patient of the open conversation: name, phone, birth date, insurance, last visit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientCard")
        self.setMinimumWidth(200)
        self.setMaximumWidth(260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(4)
        # what the patient or the server wrote is shown as written, never as markup
        self.name = QLabel(self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setObjectName("patientName")
        self.name.setWordWrap(True)
        layout.addWidget(self.name)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addSpacing(8)
        self.values: dict[str, QLabel] = {}
        for key, title in (
            ("phone", self.tr("Phone")),
            ("birth_date", self.tr("Birth date")),
            ("insurance", self.tr("Insurance")),
            ("last_visit", self.tr("Last visit")),
        ):
            caption = QLabel(title, self)
            caption.setObjectName("fieldName")
            value = QLabel("—", self)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            layout.addWidget(caption)
            layout.addWidget(value)
            layout.addSpacing(6)
            self.values[key] = value
        layout.addStretch(1)
        self.show_patient(None)

    def show_patient(self, patient: Patient | None, *, note: str = "") -> None:
        """Shows a patient, or an empty card with a note (loading, not available offline)."""
        self.name.setText(patient.name if patient else "")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if patient is None:
            for value in self.values.values():
                value.setText("—")
            return
        self.values["phone"].setText(patient.phone)
        self.values["birth_date"].setText(self._date(patient.birth_date))
        self.values["insurance"].setText(patient.insurance or self.tr("Private"))
        self.values["last_visit"].setText(
            labels.full_time(patient.last_visit_at) if patient.last_visit_at else self.tr("Never")
        )

    @staticmethod
    def _date(value: date | None) -> str:
        return value.strftime("%d/%m/%Y") if value else "—"
