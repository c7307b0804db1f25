"""Tests of the dates the window shows (issue 13): the thread's date separators and the list
rows' day or date, from inbox_app/ui/labels.py, conversations/thread.py and delegate.py, in
Portuguese and English (Qt's locale formats), and on a real server's conversations.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from inbox_app.contract.models import Message
from inbox_app.ui import labels
from inbox_app.ui.app import create_application
from inbox_app.ui.conversations.delegate import row_time
from tests.ui.conftest import Signed

TIMEOUT = 10_000
MONDAY = date(2026, 11, 23)


@pytest.fixture
def portuguese(qapp: QApplication) -> Iterator[None]:
    create_application(language="pt_BR")
    try:
        yield
    finally:
        create_application(language="en")


def test_day_labels_in_portuguese(portuguese: None) -> None:
    today = MONDAY + timedelta(days=6)
    assert labels.day_label(today, today) == "Hoje"
    assert labels.day_label(today - timedelta(days=1), today) == "Ontem"
    assert labels.day_label(MONDAY, today) == "segunda-feira, 23 de novembro"
    assert labels.day_label(date(2025, 11, 23), today) == "domingo, 23 de novembro de 2025"


def test_day_labels_in_english(qapp: QApplication) -> None:
    create_application(language="en")
    today = MONDAY + timedelta(days=6)
    assert labels.day_label(today, today) == "Today"
    assert labels.day_label(today - timedelta(days=1), today) == "Yesterday"
    assert labels.day_label(MONDAY, today) == "Monday, November 23"


def test_list_times_are_a_time_today_and_a_day_or_date_before(portuguese: None) -> None:
    now = datetime(2026, 11, 29, 15, 0).astimezone()
    assert labels.short_time(now - timedelta(hours=2), now) == "13:00"
    assert labels.short_time(now - timedelta(days=1), now) == "Ontem"
    assert labels.short_time(datetime(2026, 11, 23, 9, 0).astimezone(), now) == "segunda-feira"
    assert labels.short_time(datetime(2026, 11, 2, 9, 0).astimezone(), now) == "02/11/2026"


def test_thread_separates_days_and_rows_older_than_today_show_no_time(
    signed: Signed, qtbot: Any
) -> None:
    window = signed.window
    model = window.bridge.model
    today = datetime.now().astimezone().date()
    rows = [model.view_at(r) for r in range(model.rowCount())]
    older = [v for v in rows if v.summary.last_message_at.astimezone().date() < today]
    assert older, "the demo holds conversations older than today"
    for view in rows:
        text = row_time(view)
        if view.summary.last_message_at.astimezone().date() == today:
            assert ":" in text
        else:
            assert ":" not in text and text

    # the conversation whose messages span the most days
    def days_of(cid: int) -> list[date]:
        window.conversations.select(cid)
        qtbot.waitUntil(lambda: window.pane.detail is not None
                        and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
        return sorted({b.item.sent_at.astimezone().date() for b in window.pane.thread_view.bubbles
                       if isinstance(b.item, Message)})

    cid = max(model.ids()[:8], key=lambda c: len(days_of(c)))
    days = days_of(cid)
    assert len(days) > 1
    thread = window.pane.thread_view
    shown = [label.text() for label in thread.days]
    assert shown[: len(days)] == [labels.day_label(d) for d in days]
    # each separator comes right before the first item of its day, in the layout's order
    layout = thread.widget().layout()
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    for label in thread.days:
        after = widgets[widgets.index(label) + 1]
        assert not isinstance(after, QLabel) or after is thread.older_line
