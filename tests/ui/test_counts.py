"""Tests of the counts the window shows (issue 13): Unread and Urgent say how many
conversations they hold, and the window title the conversations with unread messages
("(12) Clinic Inbox — …"); both follow every change. Real server on loopback.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from inbox_app.contract.models import Priority, Status
from tests.ui.conftest import Signed, press

TIMEOUT = 10_000


def test_tabs_and_title_count_unread_and_urgent(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    model = window.bridge.model
    session = signed.client.session
    title = f"Clinic Inbox — {session.clinic.name} · {session.user.name}"

    def expected() -> tuple[int, int]:
        views = [model.view_of(c) for c in model.ids()]
        opened = [v.summary for v in views if v.summary.status == Status.OPEN]
        return (sum(s.unread_count > 0 for s in opened),
                sum(s.priority == Priority.URGENT for s in opened))

    def button(name: str) -> QPushButton:
        return window.conversations.findChild(QPushButton, f"filter_{name}")

    def shows(unread: int, urgent: int) -> bool:
        return (window.windowTitle() == (f"({unread}) {title}" if unread else title)
                and button("unread").text() == (f"Unread ({unread})" if unread else "Unread")
                and button("urgent").text() == (f"Urgent ({urgent})" if urgent else "Urgent"))

    unread, urgent = expected()
    assert unread > 0
    assert shows(unread, urgent)
    assert button("open").text() == "Open"

    # opening an unread conversation reads it: one fewer everywhere
    cid = next(c for c in model.ids() if model.view_of(c).summary.unread_count > 0
               and model.view_of(c).summary.priority != Priority.URGENT)
    assert window.conversations.select(cid)
    qtbot.waitUntil(lambda: shows(unread - 1, urgent), timeout=TIMEOUT)
    # made urgent: one more on Urgent
    qtbot.waitUntil(lambda: window.pane.detail is not None
                    and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
    press(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: shows(unread - 1, urgent + 1), timeout=TIMEOUT)
    # marked unread again: back on the title
    press(qtbot, window, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: shows(unread, urgent + 1), timeout=TIMEOUT)
    assert expected() == (unread, urgent + 1)
