"""What a desktop notification may say when a patient writes (issue 13, "being told").

A notification is on screen for anyone passing by the reception desk and stays in the
desktop's history, so the receptionist chooses how much of it names the patient: the patient
and the text, the patient only (the default), or only that a message arrived. This module
holds that rule; the Qt layer words it and hands it to the desktop.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NotificationPrivacy(StrEnum):
    """How much a desktop notification shows."""

    #: the patient's name and what they wrote
    PATIENT_AND_TEXT = "patient_and_text"
    #: the patient's name only (the default)
    PATIENT = "patient"
    #: only "New message"
    NOTHING = "nothing"


DEFAULT_PRIVACY = NotificationPrivacy.PATIENT


@dataclass(frozen=True, slots=True)
class Alert:
    """What one notification may show: ``patient`` and ``text`` are None when the privacy
    setting hides them. ``conversation_id`` never reaches the screen: clicking the
    notification opens that conversation."""

    conversation_id: int
    patient: str | None
    text: str | None


def alert_for(privacy: NotificationPrivacy, conversation_id: int, patient: str, text: str) -> Alert:
    """The notification for a patient's message under ``privacy``. An empty name (a
    conversation the list does not hold yet) or text shows as hidden, never as blank."""
    shows_patient = privacy is not NotificationPrivacy.NOTHING
    shows_text = privacy is NotificationPrivacy.PATIENT_AND_TEXT
    return Alert(
        conversation_id,
        patient if shows_patient and patient else None,
        text if shows_text and text else None,
    )
