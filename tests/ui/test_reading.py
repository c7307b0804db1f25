"""Tests of reading in inbox_app/ui/bridge.py and main_window.py (issue 13), on a real server.

Opening a conversation marks it read, answering it too, and a mark-unread (U) while it stays
open is not undone by the detail reloads that follow.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import Signed, press, run

TIMEOUT = 10_000


def _server_unread(qtbot: Any, signed: Signed, cid: int) -> int:
    detail, _ = run(qtbot, signed.client.api.conversation(cid))
    return detail.summary.unread_count


def test_opening_reads_u_stays_unread_and_a_reply_reads(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    model = window.bridge.model
    cid = next(c for c in model.ids() if model.view_of(c).summary.unread_count > 0)
    assert _server_unread(qtbot, signed, cid) > 0

    def settled(unread: bool) -> bool:
        view = model.view_of(cid)
        return not view.pending and (view.summary.unread_count > 0) == unread

    # opening it reads it, through the optimistic engine (pending, then confirmed)
    assert window.conversations.select(cid)
    qtbot.waitUntil(lambda: model.view_of(cid).pending, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: settled(False), timeout=TIMEOUT)
    assert _server_unread(qtbot, signed, cid) == 0

    # U marks it unread; the detail reload its confirmation causes does not read it again
    qtbot.waitUntil(lambda: window.pane.detail is not None
                    and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
    reloads: list[Any] = []
    window.bridge.detailChanged.connect(reloads.append)
    press(qtbot, window, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: settled(True), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(reloads), timeout=TIMEOUT)
    run(qtbot, signed.client.drained())
    assert settled(True)
    assert _server_unread(qtbot, signed, cid) == 1
    assert window.pane.read_button.text() == "Mark as read"

    # replying to the patient reads it
    composer = window.pane.composer
    composer.set_kind("reply")
    composer.text.setPlainText("Pode vir às 15h")
    qtbot.keyClick(composer.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: settled(False), timeout=TIMEOUT)
    run(qtbot, signed.client.drained())
    assert _server_unread(qtbot, signed, cid) == 0
