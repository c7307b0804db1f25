"""Tests of inbox_app/ui/keys.py: keys act only where the receptionist is looking (issue 12).

Whole sentences are typed, key by key, into whatever has the focus, from every focus position
of the window (a real server on loopback, real widgets offscreen); no action may be queued
unless the keys were meant as shortcuts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from inbox_app.client import Change
from inbox_app.contract.models import Priority, Status
from inbox_app.ui.main_window import MainWindow
from tests.ui.conftest import Signed

TIMEOUT = 10_000
SENTENCE = "Bom dia, tudo bem? Amanha as 14h"


def activate(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)


def type_where_focused(qtbot: Any, text: str) -> None:
    """Types like a person: each key goes to the widget that has the focus at that moment."""
    for char in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, char)


def focus(qtbot: Any, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=TIMEOUT)


def open_row(qtbot: Any, window: MainWindow, row: int = 0) -> int:
    cid = window.bridge.model.ids()[row]
    assert window.conversations.select(cid)
    qtbot.waitUntil(lambda: window.pane.detail is not None
                    and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
    return cid


class Actions:
    """Every action the client queued (its pending changes) while the test typed."""

    def __init__(self, window: MainWindow) -> None:
        self.changes: list[Change] = []
        self._stop = window.bridge.client.subscribe(self.changes.append)

    @property
    def queued(self) -> list[str]:
        return [str(c.action) for c in self.changes if c.cause == "pending"]


def test_a_sentence_typed_anywhere_is_text_never_an_action(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    activate(qtbot, window)
    model = window.bridge.model
    everything = model.ids()
    actions = Actions(window)
    search = window.conversations.search
    composer = window.pane.composer.text

    # nothing open yet: the search box, the list and a filter button all type into the search
    for start in (search, window.conversations.view,
                  window.conversations.findChild(QWidget, "filter_open")):
        search.clear()
        focus(qtbot, start)
        type_where_focused(qtbot, SENTENCE)
        assert search.text() == SENTENCE, start
        assert search.hasFocus()
    search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == len(everything), timeout=TIMEOUT)

    cid = open_row(qtbot, window, 2)
    # opening an unread conversation marks it read: that is the opening's action, not typing's
    qtbot.waitUntil(lambda: signed.client.pending_count() == 0, timeout=TIMEOUT)
    actions.changes.clear()
    # a conversation is open: from the list, the thread, its buttons and the priority box the
    # sentence goes into the composer; from the search box it stays a search
    for start in (window.conversations.view, window.pane.thread_view, window.pane.archive_button,
                  window.pane.read_button, window.pane.priority_box, composer):
        composer.clear()
        focus(qtbot, start)
        type_where_focused(qtbot, SENTENCE)
        assert composer.toPlainText() == SENTENCE, start
        assert composer.hasFocus()
        assert window.bridge.open_id == cid  # no type-ahead jumped to another patient
    focus(qtbot, search)
    type_where_focused(qtbot, SENTENCE)
    assert search.text() == SENTENCE
    assert window.bridge.open_id == cid
    qtbot.wait(50)  # let any queued change arrive before asserting there is none
    assert actions.queued == []
    assert signed.client.pending_count() == 0
    assert not any(model.view_of(c).pending for c in model.ids())


def test_shortcuts_act_on_the_open_conversation_from_the_list(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    activate(qtbot, window)
    model = window.bridge.model
    cid = open_row(qtbot, window, 1)
    actions = Actions(window)
    focus(qtbot, window.conversations.view)
    # a priority it does not have yet (the same one again changes nothing)
    high = Priority(model.view_of(cid).summary.priority) == Priority.HIGH
    qtbot.keyClick(window.conversations.view, Qt.Key.Key_3 if high else Qt.Key.Key_2)
    qtbot.waitUntil(lambda: actions.queued == ["set_priority"], timeout=TIMEOUT)
    focus(qtbot, window.pane.thread_view)
    qtbot.keyClick(window.pane.thread_view, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: actions.queued == ["set_priority", "archive"], timeout=TIMEOUT)
    qtbot.waitUntil(lambda: model.view_of(cid) is None
                    or model.view_of(cid).summary.status == Status.ARCHIVED, timeout=TIMEOUT)
    # the conversation below opens in its place (and, unread, is marked read: issue 13)
    qtbot.waitUntil(lambda: window.bridge.open_id not in (None, cid), timeout=TIMEOUT)
    below = window.bridge.open_id
    qtbot.waitUntil(lambda: model.view_of(below).summary.unread_count == 0, timeout=TIMEOUT)
    # the composer takes the same letters as text
    composer = window.pane.composer.text
    focus(qtbot, composer)
    before = actions.queued
    assert before[:2] == ["set_priority", "archive"]
    type_where_focused(qtbot, "eu1234")
    assert composer.toPlainText() == "eu1234"
    assert actions.queued == before


def test_no_shortcut_without_an_open_conversation(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    activate(qtbot, window)
    actions = Actions(window)
    focus(qtbot, window.conversations.view)
    type_where_focused(qtbot, "e")
    assert window.conversations.search.text() == "e"
    assert window.bridge.open_id is None
    assert actions.queued == []


def test_a_held_key_fires_one_action_per_press(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    activate(qtbot, window)
    open_row(qtbot, window, 1)
    view = window.conversations.view
    focus(qtbot, view)
    fired: list[str] = []
    window.keys.shortcut.connect(lambda action, _arg: fired.append(action))

    def send(kind: QEvent.Type, key: Qt.Key, *, repeat: bool) -> None:
        QApplication.sendEvent(view, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                               "u", repeat))

    send(QEvent.Type.KeyPress, Qt.Key.Key_U, repeat=False)
    for _ in range(20):  # what X11 sends while the key is held
        send(QEvent.Type.KeyRelease, Qt.Key.Key_U, repeat=True)
        send(QEvent.Type.KeyPress, Qt.Key.Key_U, repeat=True)
    for _ in range(5):  # repeats that came through as plain presses, with no release between
        send(QEvent.Type.KeyPress, Qt.Key.Key_U, repeat=False)
    send(QEvent.Type.KeyRelease, Qt.Key.Key_U, repeat=False)
    assert fired == ["toggle_read"]
    send(QEvent.Type.KeyPress, Qt.Key.Key_U, repeat=False)  # the next physical press acts
    send(QEvent.Type.KeyRelease, Qt.Key.Key_U, repeat=False)
    assert fired == ["toggle_read", "toggle_read"]


def test_search_box_down_enter_and_escape(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    activate(qtbot, window)
    model = window.bridge.model
    everything = model.rowCount()
    panel = window.conversations
    focus(qtbot, panel.search)
    # QTest types ASCII letters only ("Câmara" aborts it): a name's longest word without
    # accents, from the fourth row on
    word = next(w for r in range(3, everything)
                for w in reversed(model.view_at(r).summary.patient_name.split())
                if w.isascii() and len(w) >= 4)
    qtbot.keyClicks(panel.search, word.lower())
    # Enter: the search applies, the focus goes to the list and its first match opens
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.view.hasFocus()
    assert model.rowCount() < everything
    qtbot.waitUntil(lambda: window.bridge.open_id == model.ids()[0], timeout=TIMEOUT)
    # Down from the search box: the focus goes to the list too
    focus(qtbot, panel.search)
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.view.hasFocus()
    # Esc leaves the search (its text stays), a second Esc clears it
    focus(qtbot, panel.search)
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.view.hasFocus() and panel.search.text()
    qtbot.keyClick(panel.view, Qt.Key.Key_Escape)
    assert panel.search.text() == ""
    assert model.rowCount() == everything


def test_a_held_e_never_brings_the_archived_row_back_into_open(
    signed: Signed, qtbot: Any
) -> None:
    """The archived row that came back into "Abertas", selected, then vanished: a held E
    archived, then (auto-repeat, on the same still-open conversation) unarchived, then
    archived again. Now one press is one action, and the next row opens after an archive."""
    window = signed.window
    activate(qtbot, window)
    model = window.bridge.model
    cid = open_row(qtbot, window, 2)
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.extend(
        model.view_at(r).summary.id for r in range(first, last + 1)))
    actions = Actions(window)
    view = window.conversations.view
    focus(qtbot, view)

    def send(kind: QEvent.Type, *, repeat: bool) -> None:
        QApplication.sendEvent(QApplication.focusWidget() or view, QKeyEvent(
            kind, Qt.Key.Key_E, Qt.KeyboardModifier.NoModifier, "e", repeat))

    send(QEvent.Type.KeyPress, repeat=False)
    for _ in range(6):
        qtbot.wait(20)  # the refresh of each action runs between the repeats, as on screen
        send(QEvent.Type.KeyRelease, repeat=True)
        send(QEvent.Type.KeyPress, repeat=True)
    send(QEvent.Type.KeyRelease, repeat=False)
    qtbot.waitUntil(lambda: signed.client.pending_count() == 0, timeout=TIMEOUT)
    # one archive; the row below opens, and opening an unread one marks it read
    assert [a for a in actions.queued if a != "mark_read"] == ["archive"]
    assert actions.queued.count("mark_read") <= 1
    assert cid not in inserted and cid not in model.ids()
