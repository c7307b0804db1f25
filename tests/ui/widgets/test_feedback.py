"""Tests of inbox_app/ui/widgets/feedback.py: toasts and the banner show text as written.

Also the patient card's labels: what patients and the server write is never read as markup.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from inbox_app.ui.app import create_application
from inbox_app.ui.conversations.patient_card import PatientCard
from inbox_app.ui.widgets.feedback import OfflineBanner, Toast, Toasts


def test_names_and_server_reasons_are_never_read_as_markup(qapp: QApplication) -> None:
    """A patient named "<b>Maria</b>" (or an <img> in a server reason) is shown as written."""
    host = QWidget()
    toast = Toast("<b>Maria</b>", "<img src='file:///etc/passwd'>", host)
    card = PatientCard(host)
    for label in (toast.title, toast.reason, card.name, card.note, *card.values.values()):
        assert label.textFormat() == Qt.TextFormat.PlainText
    host.deleteLater()


def test_toasts_stack_inside_the_window_and_go_in_time(qapp: QApplication, qtbot: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(900, 600)
    host.show()
    toasts = Toasts(host)
    first = toasts.show_toast("Archive undone: Maria", "conflict", duration_ms=60_000)
    with qtbot.waitSignal(toasts.shown) as shown:
        second = toasts.show_toast("Reply not sent: João", "offline", duration_ms=200)
    assert shown.args == ["Reply not sent: João", "offline"]
    assert first.geometry().bottom() < second.geometry().top()  # the newest at the bottom
    assert host.rect().contains(first.geometry()) and host.rect().contains(second.geometry())
    qtbot.waitUntil(lambda: toasts.active == [first], timeout=5_000)


def test_banner_names_the_time_of_the_data(qapp: QApplication) -> None:
    create_application(language="en")
    banner = OfflineBanner()
    banner.show_offline(None)
    assert banner.label.text() == "No connection"
    banner.show_offline(datetime(2026, 11, 24, 10, 30).astimezone(), reconnecting=True)
    assert banner.label.text() == "No connection — showing data from 10:30 · trying to reconnect…"
    banner.deleteLater()
