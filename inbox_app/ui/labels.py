"""Texts the receptionist reads that several widgets share: priorities, actions, times.

All go through Qt's translator (``QCoreApplication.translate`` with a fixed context so
``pyside6-lupdate`` finds them); Portuguese lives in ``resources/translations``.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from inbox_app.contract.errors import WHATSAPP_WINDOW_CLOSED
from inbox_app.contract.models import DeliveryState, Priority

translate = QCoreApplication.translate


def priority_label(priority: Priority | str) -> str:
    """The translated name of a priority (its chip, its menu entry)."""
    return {
        Priority.URGENT: translate("Labels", "Urgent"),
        Priority.HIGH: translate("Labels", "High"),
        Priority.NORMAL: translate("Labels", "Normal"),
        Priority.LOW: translate("Labels", "Low"),
    }.get(Priority(priority), str(priority))


def priority_spoken(priority: Priority | str) -> str:
    """A priority as a screen reader says it on a list row ("Urgent priority")."""
    return {
        Priority.URGENT: translate("Labels", "Urgent priority"),
        Priority.HIGH: translate("Labels", "High priority"),
        Priority.NORMAL: translate("Labels", "Normal priority"),
        Priority.LOW: translate("Labels", "Low priority"),
    }.get(Priority(priority), str(priority))


def state_spoken(state: str) -> str:
    """A list row's state as a screen reader says it: ``pending`` (an action waits for the
    server), ``failed`` (a note or reply was not sent), ``archived``."""
    return {
        "pending": translate("Labels", "saving"),
        "failed": translate("Labels", "not sent"),
        "archived": translate("Labels", "archived"),
    }.get(state, state)


#: Keyboard 1-4 -> priority, in the order of the chips.
PRIORITY_KEYS: tuple[Priority, ...] = (
    Priority.URGENT,
    Priority.HIGH,
    Priority.NORMAL,
    Priority.LOW,
)


def action_label(action: str | None) -> str:
    """The name of a mutation kind (``Change.action``) as a toast shows it."""
    return {
        "mark_read": translate("Labels", "Mark as read"),
        "mark_unread": translate("Labels", "Mark as unread"),
        "archive": translate("Labels", "Archive"),
        "unarchive": translate("Labels", "Unarchive"),
        "set_priority": translate("Labels", "Change priority"),
        "add_note": translate("Labels", "Internal note"),
        "reply": translate("Labels", "Reply"),
        "resend_reply": translate("Labels", "Resend"),
    }.get(action or "", action or translate("Labels", "Action"))


# WhatsApp's error code for a free-form message after the 24-hour window
WHATSAPP_REENGAGEMENT = 131047


def window_closed() -> str:
    """The 24-hour refusal in the receptionist's words."""
    return translate(
        "Labels", "WhatsApp only takes a reply up to 24 hours after the patient's last "
        "message. Ask the patient to write again, or call them.")


def refusal(code: str | None, reason: str | None) -> str:
    """Why the server refused an action: in the app's words when it knows the reason's
    code, else the server's own message."""
    if code == WHATSAPP_WINDOW_CLOSED:
        return window_closed()
    return reason or translate("Labels", "the server refused it")


def delivery_label(state: DeliveryState) -> str:
    """A reply's delivery as its mark says it (the mark's accessible text)."""
    return {
        DeliveryState.QUEUED: translate("Labels", "Waiting to be sent"),
        DeliveryState.SENT: translate("Labels", "Sent"),
        DeliveryState.DELIVERED: translate("Labels", "Delivered"),
        DeliveryState.READ: translate("Labels", "Read"),
        DeliveryState.FAILED: translate("Labels", "Not delivered"),
    }[state]


# the icon of each delivery state, as WhatsApp users know them
DELIVERY_ICONS: dict[DeliveryState, str] = {
    DeliveryState.QUEUED: "clock", DeliveryState.SENT: "tick",
    DeliveryState.DELIVERED: "ticks", DeliveryState.READ: "ticks-read",
    DeliveryState.FAILED: "failed",
}


def delivery_failure(code: int | None, title: str | None) -> str:
    """Why a reply was not delivered: the channel's reason, in the app's words when known."""
    if code == WHATSAPP_REENGAGEMENT:
        return window_closed()
    return title or translate("Labels", "unknown reason")


def channel_label(channel: str) -> str:
    """The channel a patient wrote through, as its brand writes it (not translated)."""
    return {"whatsapp": "WhatsApp", "sms": "SMS", "email": "E-mail", "instagram": "Instagram"}.get(
        channel.lower(), channel.capitalize()
    )


#: The channels with an icon of their own (``channel-<name>.svg``); others get a plain bubble.
CHANNEL_ICONS = frozenset({"whatsapp", "sms", "email", "instagram"})


def channel_icon(channel: str) -> str:
    """The icon name of a channel (its brand's colour), ``channel-other`` for the rest."""
    name = channel.lower()
    return f"channel-{name}" if name in CHANNEL_ICONS else "channel-other"


def tab_label(tab: str) -> str:
    """The translated name of the tab a conversation lives in, Open or Archived (a search
    result says it)."""
    return {
        "open": translate("Labels", "Open"),
        "archived": translate("Labels", "Archived"),
    }.get(str(tab), str(tab))


def connection_label(state: str) -> str:
    """The translated connection state of the status bar."""
    return {
        "online": translate("Labels", "Online"),
        "reconnecting": translate("Labels", "Reconnecting…"),
        "offline": translate("Labels", "Offline"),
    }.get(str(state), str(state))


def short_time(when: datetime | None, now: datetime | None = None) -> str:
    """A list row's time: HH:MM today, "Yesterday", the weekday within a week, else the
    locale's short date (local time; Qt's locale formats, so English gets English)."""
    if when is None:
        return ""
    local = when.astimezone()
    today = (now or datetime.now().astimezone()).astimezone().date()
    days = (today - local.date()).days
    if days <= 0:
        return clock_time(local)
    if days == 1:
        return translate("Labels", "Yesterday")
    if days < 7:
        return QLocale().dayName(local.isoweekday(), QLocale.FormatType.LongFormat)
    return QLocale().toString(_qdate(local.date()), QLocale.FormatType.ShortFormat)


def day_label(day: date, today: date | None = None) -> str:
    """A thread's date separator: "Today", "Yesterday", else the locale's long date, without
    the year when it is this year ("segunda-feira, 23 de novembro", "Monday, November 23")."""
    today = today or datetime.now().astimezone().date()
    days = (today - day).days
    if days == 0:
        return translate("Labels", "Today")
    if days == 1:
        return translate("Labels", "Yesterday")
    locale = QLocale()
    fmt = locale.dateFormat(QLocale.FormatType.LongFormat)
    if day.year == today.year:
        # the year and what joins it ("'de' yyyy", ", yyyy", "yyyy年"): a thread's days
        # are this year's unless said otherwise
        fmt = re.sub(r"[\s,]*(?:'[^']*'\s*)?y+(?:'[^']*')?", "", fmt).strip(" ,")
    return locale.toString(_qdate(day), fmt)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def clock_time(when: datetime) -> str:
    """HH:MM in local time (the offline banner, the bubbles)."""
    return when.astimezone().strftime("%H:%M")


def full_time(when: datetime | None) -> str:
    """DD/MM/YYYY HH:MM in local time (the patient's last visit)."""
    if when is None:
        return ""
    return when.astimezone().strftime("%d/%m/%Y %H:%M")
