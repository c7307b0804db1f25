"""After a lock, the same patient, the same draft (issue 12): main_window.lock/_unpark and
privacy.park, against a real server on loopback."""

from __future__ import annotations

from typing import Any

from inbox_app.ui.main_window import MainWindow
from tests.ui.conftest import DEMO_PASSWORD, Signed
from tests.ui.test_keys import activate, open_row, type_where_focused

TIMEOUT = 10_000


def unlock(qtbot: Any, window: MainWindow) -> None:
    window.lock_screen.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.lockChanged, timeout=TIMEOUT) as unlocked:
        window.lock_screen.unlock_button.click()
    assert unlocked.args == [False]


def test_unlock_restores_conversation_scroll_mode_and_draft(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    window.resize(1280, 400)  # short enough for the thread to scroll
    activate(qtbot, window)
    cid = open_row(qtbot, window, 1)  # (a conversation of nine bubbles)
    other = window.bridge.model.ids()[0]
    bar = window.pane.thread_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 40, timeout=TIMEOUT)
    bar.setValue(bar.maximum() // 2)
    scroll = bar.value()
    composer = window.pane.composer
    composer.set_kind("note")
    composer.text.setFocus()
    qtbot.waitUntil(composer.text.hasFocus, timeout=TIMEOUT)
    type_where_focused(qtbot, "Ligar de volta as 14h")

    window.lock()
    assert composer.text.toPlainText() == ""  # nothing of the draft left in the widget
    assert window.bridge.open_id is None
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.pane.detail is not None
                    and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
    assert window.bridge.open_id == cid != other
    assert window.conversations.view.currentIndex().row() == window.bridge.model.row_of(cid)
    assert composer.kind == "note"
    assert composer.text.toPlainText() == "Ligar de volta as 14h"
    qtbot.waitUntil(lambda: bar.value() == scroll, timeout=TIMEOUT)
    assert composer.text.hasFocus()


def test_unlock_when_the_conversation_is_gone_shows_an_empty_pane(
    signed: Signed, qtbot: Any
) -> None:
    window = signed.window
    activate(qtbot, window)
    open_row(qtbot, window, 1)
    window.pane.composer.text.setPlainText("rascunho")
    window.lock()
    assert window._parked is not None
    # the conversation disappeared while locked (the list no longer has it)
    window._parked.conversation_id = 10**9
    unlock(qtbot, window)
    assert window.bridge.open_id is None
    assert not window.pane.showing
    assert window.pane.placeholder.text() == (
        "The conversation that was open is no longer available.")
    assert not window.conversations.view.selectionModel().hasSelection()
    assert window.pane.composer.text.toPlainText() == ""
