"""Tests of inbox_app/ui/undo.py and of where the view goes after an archive (issue 12).

Undo is a new action through the client's optimistic engine: it shows pending, works after
the first action was confirmed and while the server is down. A real server on loopback.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from inbox_app.client import Change
from inbox_app.contract.models import Priority, Status
from tests.ui.conftest import Signed, press
from tests.ui.test_keys import activate, open_row

TIMEOUT = 10_000


def pending_kinds(changes: list[Change]) -> list[str]:
    return [str(c.action) for c in changes if c.cause == "pending"]


def test_archive_then_undo_after_confirmation(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    activate(qtbot, window)
    model = window.bridge.model
    ids = model.ids()
    cid = open_row(qtbot, window, 2)
    name = model.view_of(cid).summary.patient_name
    changes: list[Change] = []
    signed.client.subscribe(changes.append)
    with qtbot.waitSignal(window.toasts.shown, timeout=TIMEOUT) as shown:
        press(qtbot, window, Qt.Key.Key_E)
    assert shown.args == ["Archived", name]
    toast = window.toasts.active[-1]
    assert toast.action is not None and toast.action.text() == "Undo"
    # the row below the archived one opens (not the top) and the focus stays in the list
    qtbot.waitUntil(lambda: window.bridge.open_id == ids[3], timeout=TIMEOUT)
    assert window.conversations.view.hasFocus()
    assert cid not in model.ids()
    # the archive is confirmed by the server; undo is then a new action (unarchive)
    qtbot.waitUntil(lambda: any(c.cause == "confirmed" and c.action == "archive"
                                for c in changes), timeout=TIMEOUT)
    qtbot.mouseClick(toast.action, Qt.MouseButton.LeftButton)
    # (the row that opened below marks itself read when it was unread: not this test's)
    assert [k for k in pending_kinds(changes) if k != "mark_read"] == ["archive", "unarchive"]
    qtbot.waitUntil(lambda: cid in model.ids() and not model.view_of(cid).pending,
                    timeout=TIMEOUT)
    assert model.view_of(cid).summary.status == Status.OPEN
    assert not window.undo.available  # one undo per toast
    qtbot.keyClick(window.conversations.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [k for k in pending_kinds(changes) if k != "mark_read"] == ["archive", "unarchive"]


def test_ctrl_z_undoes_a_priority_while_offline(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    activate(qtbot, window)
    model = window.bridge.model
    cid = open_row(qtbot, window, 1)
    before = Priority(model.view_of(cid).summary.priority)
    target = Qt.Key.Key_1 if before != Priority.URGENT else Qt.Key.Key_4
    signed.server.stop()
    qtbot.waitUntil(window.banner.isVisible, timeout=TIMEOUT)
    with qtbot.waitSignal(window.toasts.shown, timeout=TIMEOUT) as shown:
        press(qtbot, window, target)
    assert shown.args[0].startswith("Priority: ")
    qtbot.waitUntil(lambda: model.view_of(cid).summary.priority != before, timeout=TIMEOUT)
    qtbot.keyClick(window.conversations.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.view_of(cid).summary.priority == before, timeout=TIMEOUT)
    assert model.view_of(cid).pending
    assert signed.client.pending_count() == 2  # the action and its undo, both kept
    signed.server.start()
    qtbot.waitUntil(lambda: signed.client.pending_count() == 0, timeout=30_000)
    qtbot.waitUntil(lambda: not model.view_of(cid).pending, timeout=TIMEOUT)
    assert model.view_of(cid).summary.priority == before


def test_read_toggle_offers_undo_and_composer_keeps_its_ctrl_z(
    signed: Signed, qtbot: Any
) -> None:
    window = signed.window
    activate(qtbot, window)
    model = window.bridge.model
    cid = open_row(qtbot, window, 0)
    unread = model.view_of(cid).summary.unread_count > 0
    with qtbot.waitSignal(window.toasts.shown, timeout=TIMEOUT) as shown:
        press(qtbot, window, Qt.Key.Key_U)
    assert shown.args[0] == ("Marked as read" if unread else "Marked as unread")
    # Ctrl+Z in the composer undoes typing, not the action
    composer = window.pane.composer.text
    composer.setFocus()
    qtbot.waitUntil(composer.hasFocus, timeout=TIMEOUT)
    qtbot.keyClicks(composer, "ok")
    qtbot.keyClick(composer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.undo.available
    window.conversations.view.setFocus()
    qtbot.waitUntil(window.conversations.view.hasFocus, timeout=TIMEOUT)
    qtbot.keyClick(window.conversations.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not model.view_of(cid).pending
                    and (model.view_of(cid).summary.unread_count > 0) == unread, timeout=TIMEOUT)
    assert not window.undo.available
