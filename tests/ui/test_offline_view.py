"""What the offline window shows is true (issue 12): a conversation never opened on this
computer, offline, shows its summary (header and row from one derived view), its queued
notes and a line that older messages are not available offline. bridge.py, pane.py,
client summary_detail; a real server, stopped."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from inbox_app.client import PendingItem
from inbox_app.contract.models import Priority
from inbox_app.contract.policy import detail_key
from tests.ui.conftest import Signed, press
from tests.ui.test_keys import activate, open_row

TIMEOUT = 10_000


def test_a_never_opened_conversation_offline_shows_the_truth(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    activate(qtbot, window)
    model = window.bridge.model
    first = open_row(qtbot, window, 0)
    shown = Priority(model.view_of(first).summary.priority)
    # the prefetch (issue 14) loads the unread ones and the open one's neighbours: once it
    # is done, one it left alone is still never opened on this computer
    prefetch = signed.client.prefetch
    qtbot.waitUntil(lambda: prefetch.stats.plans >= 1 and not prefetch.busy
                    and prefetch.state == "idle", timeout=TIMEOUT)
    other = next(c for c in model.ids()[1:]
                 if Priority(model.view_of(c).summary.priority) != shown
                 and signed.client.cache.peek(detail_key(c)) is None)
    # opening an unread conversation marks it read: one more action waiting, offline
    opening = int(model.view_of(other).summary.unread_count > 0)
    signed.server.stop()
    qtbot.waitUntil(window.banner.isVisible, timeout=TIMEOUT)

    assert window.conversations.select(other)
    pane = window.pane
    qtbot.waitUntil(lambda: pane.detail is not None and pane.detail.summary.id == other,
                    timeout=TIMEOUT)
    row = model.view_of(other).summary
    assert pane.title.text() == row.patient_name
    assert pane.priority_box.currentData() == Priority(row.priority)  # not the last one's
    assert pane.thread_view.notice.isVisible()
    assert pane.thread_view.notice.text() == "Older messages are not available offline."

    # an action: row and header change together
    target = Priority.HIGH if Priority(row.priority) != Priority.HIGH else Priority.LOW
    press(qtbot, window, Qt.Key.Key_2 if target == Priority.HIGH else Qt.Key.Key_4)
    qtbot.waitUntil(lambda: model.view_of(other).summary.priority == target
                    and pane.priority_box.currentData() == target, timeout=TIMEOUT)

    # a note queued for it is shown, pending
    composer = pane.composer
    composer.set_kind("note")
    composer.text.setPlainText("Retornar amanhã")
    composer.submit()
    qtbot.waitUntil(lambda: any(isinstance(b.item, PendingItem)
                                and b.item.body == "Retornar amanhã"
                                for b in pane.thread_view.bubbles), timeout=TIMEOUT)
    assert signed.client.pending_count() == 2 + opening
