"""Tests of inbox_app/ui/main_window.py and bridge.py against a real server on loopback.

Each action goes pending then confirmed; a rejection rolls back with a toast; a failed note
keeps Retry and Discard; the server stopped shows the banner and cached data; a live message
reaches the list; filters and search; keyboard. pytest-qt offscreen, no sleeps.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from inbox_app.client import Change, InboxClient, PendingItem
from inbox_app.client.reads.listing import Filter
from inbox_app.contract.models import Note, Priority, Status
from inbox_app.ui.main_window import MainWindow
from tests.client.faultproxy import FaultProxy
from tests.support import ServerProcess
from tests.ui.conftest import Signed, close_window, open_window, press, run, sign_in

TIMEOUT = 10_000


class Trail:
    """What the user saw of one conversation: its row state after every model signal."""

    def __init__(self, window: MainWindow, cid: int) -> None:
        self.states: list[tuple[bool, Any]] = []
        self.changes: list[Change] = []
        model = window.bridge.model

        def note(*_: object) -> None:
            view = model.view_of(cid)
            if view is not None:
                self.states.append((view.pending, view.summary))

        for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(note)
        window.bridge.client.subscribe(self.changes.append)

    def saw(self, predicate: Callable[[Any], bool], *, pending: bool) -> bool:
        return any(p == pending and predicate(s) for p, s in self.states)

    def causes(self) -> list[str]:
        return [c.cause for c in self.changes if c.cause != "connection"]


def open_first(qtbot: Any, window: MainWindow) -> int:
    cid = window.bridge.model.ids()[0]
    assert window.conversations.select(cid)
    qtbot.waitUntil(lambda: window.pane.detail is not None
                    and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
    return cid


def test_each_action_goes_pending_then_confirmed(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    cid = open_first(qtbot, window)
    model = window.bridge.model
    trail = Trail(window, cid)

    def act(key: Qt.Key, done: Callable[[Any], bool]) -> None:
        trail.states.clear()
        press(qtbot, window, key)
        qtbot.waitUntil(lambda: trail.saw(done, pending=True), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: not model.view_of(cid).pending
                        and done(model.view_of(cid).summary), timeout=TIMEOUT)

    unread = model.view_of(cid).summary.unread_count > 0
    act(Qt.Key.Key_U, lambda s: (s.unread_count == 0) == unread)   # mark (un)read
    act(Qt.Key.Key_U, lambda s: (s.unread_count == 0) != unread)   # and back
    act(Qt.Key.Key_E, lambda s: s.status == Status.ARCHIVED)         # archive
    assert cid not in model.ids()                                    # left the Open filter
    window.conversations.set_filter(Filter.ARCHIVED)                 # (the next row opened)
    assert window.conversations.select(cid)
    qtbot.waitUntil(lambda: window.bridge.open_id == cid, timeout=TIMEOUT)
    act(Qt.Key.Key_E, lambda s: s.status == Status.OPEN)             # unarchive
    window.conversations.set_filter(Filter.OPEN)
    assert window.conversations.select(cid)
    qtbot.waitUntil(lambda: window.bridge.open_id == cid, timeout=TIMEOUT)
    act(Qt.Key.Key_1, lambda s: s.priority == Priority.URGENT)
    act(Qt.Key.Key_4, lambda s: s.priority == Priority.LOW)
    causes = trail.causes()
    assert causes.index("pending") < causes.index("confirmed")
    assert window.status.pending.text() == "Everything sent"


def test_note_and_reply_show_pending_then_confirmed_bubbles(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    open_first(qtbot, window)
    composer = window.pane.composer

    def bubbles_of(body: str) -> list[Any]:
        return [b.item for b in window.pane.thread_view.bubbles if b.item.body == body]

    for kind, body in (("note", "Paciente prefere ligação à tarde"), ("reply", "Até amanhã!")):
        composer.set_kind(kind)
        composer.text.setPlainText(body)  # (QTest cannot type non-ASCII keys)
        qtbot.keyClick(composer.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert composer.text.toPlainText() == ""
        qtbot.waitUntil(lambda b=body: any(isinstance(i, PendingItem) for i in bubbles_of(b)),
                        timeout=TIMEOUT)
        qtbot.waitUntil(lambda b=body: bool(bubbles_of(b)) and not any(
            isinstance(i, PendingItem) for i in bubbles_of(b)), timeout=TIMEOUT)
    note = bubbles_of("Paciente prefere ligação à tarde")[0]
    assert isinstance(note, Note) and note.author_name
    note_bubble = next(b for b in window.pane.thread_view.bubbles if b.item is note)
    assert note_bubble.objectName() == "bubbleNote"
    reply_bubble = next(b for b in window.pane.thread_view.bubbles if b.item.body == "Até amanhã!")
    assert reply_bubble.objectName() == "bubbleOut"


def test_a_rejected_action_rolls_back_with_a_toast(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path
) -> None:
    proxy = run(qtbot, FaultProxy(server.port).start())
    client = sign_in(qtbot, _Url(proxy.url), tmp_path)
    window = open_window(qtbot, client)
    try:
        cid = open_first(qtbot, window)
        name = window.bridge.model.view_of(cid).summary.patient_name
        proxy.inject("POST", rf"/api/conversations/{cid}/archive", 409, code="conflict",
                     message="outra recepcionista está com esta conversa")
        trail = Trail(window, cid)
        with qtbot.waitSignal(window.toasts.shown, timeout=TIMEOUT,  # (not the Undo offer)
                              check_params_cb=lambda title, _r: "undone" in title) as shown:
            press(qtbot, window, Qt.Key.Key_E)
        title, reason = shown.args
        assert "Archive" in title and name in title
        assert reason == "outra recepcionista está com esta conversa"
        assert trail.saw(lambda s: s.status == Status.ARCHIVED, pending=True)
        qtbot.waitUntil(lambda: window.bridge.model.view_of(cid).summary.status == Status.OPEN
                        and not window.bridge.model.view_of(cid).pending, timeout=TIMEOUT)
        assert cid in window.bridge.model.ids()
        assert "rolled_back" in trail.causes()
        assert window.toasts.active and window.toasts.active[-1].isVisible()
    finally:
        close_window(qtbot, window)
        run(qtbot, proxy.close())


class _Url:
    """The proxy where sign_in expects a server: only ``.url`` is read."""

    def __init__(self, url: str) -> None:
        self.url = url


def test_a_rejected_note_stays_failed_with_retry_and_discard(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    open_first(qtbot, window)
    composer = window.pane.composer
    composer.set_kind("note")
    composer.text.setPlainText("texto com \x00 nulo")  # the server refuses NUL (422)
    with qtbot.waitSignal(window.toasts.shown, timeout=TIMEOUT) as shown:
        composer.submit()
    assert "Internal note" in shown.args[0]
    assert "NUL" in shown.args[1]
    qtbot.waitUntil(lambda: any(
        isinstance(b.item, PendingItem) and b.item.state == "failed"
        for b in window.pane.thread_view.bubbles), timeout=TIMEOUT)
    failed = [b for b in window.pane.thread_view.bubbles
              if isinstance(b.item, PendingItem) and b.item.state == "failed"]
    assert failed[0].property("failed") is True
    discard = failed[0].findChild(type(composer.send_button), "discardButton")
    assert failed[0].findChild(type(composer.send_button), "retryButton") is not None
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not any(isinstance(b.item, PendingItem)
                                    for b in window.pane.thread_view.bubbles), timeout=TIMEOUT)


def test_server_stopped_shows_the_banner_and_cached_data(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    model = window.bridge.model
    cid = open_first(qtbot, window)
    rows = model.rowCount()
    assert window.banner.isHidden()
    signed.server.stop()
    qtbot.waitUntil(window.banner.isVisible, timeout=TIMEOUT)
    assert window.banner.label.text().startswith("No connection — showing data from ")
    assert model.rowCount() == rows
    # the open conversation comes back from the cache
    other = model.ids()[1]
    window.conversations.select(other)
    qtbot.waitUntil(lambda: window.pane.detail is None, timeout=TIMEOUT)
    window.conversations.select(cid)
    qtbot.waitUntil(lambda: window.pane.detail is not None
                    and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
    # an action while offline waits, shown as pending
    press(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: model.view_of(cid).pending
                    and model.view_of(cid).summary.priority == Priority.HIGH, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.status.pending.text()
                    == "1 action waiting: sent when the connection is back", timeout=TIMEOUT)
    # back online: the queue drains and the banner goes by itself
    signed.server.start()
    qtbot.waitUntil(window.banner.isHidden, timeout=30_000)
    qtbot.waitUntil(lambda: not model.view_of(cid).pending, timeout=30_000)
    assert model.view_of(cid).summary.priority == Priority.HIGH


def test_a_live_message_reaches_the_list_and_notifies(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server_factory: Callable[..., ServerProcess],
    tmp_path: Path,
) -> None:
    server = server_factory(env={"INBOX_WEBHOOK_SECRET": "segredo"})
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        model = window.bridge.model
        last = model.ids()[-1]
        summary = model.view_of(last).summary
        phone = run(qtbot, client.patient(summary.patient_id)).value.phone
        qtbot.waitUntil(lambda: window.status.connection.text() == "Online", timeout=TIMEOUT)
        # the receptionist is in another program: another window takes the focus
        other = QWidget()
        qtbot.addWidget(other)
        other.show()
        other.activateWindow()
        qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=TIMEOUT)
        with qtbot.waitSignal(window.notified, timeout=TIMEOUT) as notified:
            answer = run(qtbot, _post_inbound(server.url, {
                "clinic_id": summary.clinic_id, "phone": phone,
                "body": "Cheguei na recepção", "channel": summary.channel}))
            assert answer < 300
            qtbot.waitUntil(lambda: model.ids()[0] == last, timeout=TIMEOUT)
        # the default privacy setting: the patient, not what they wrote (test_notifications)
        assert notified.args == [f"New message from {summary.patient_name}", ""]
        top = model.view_at(0).summary
        assert top.last_message_preview == "Cheguei na recepção"
        assert top.unread_count == summary.unread_count + 1
    finally:
        close_window(qtbot, window)


async def _post_inbound(url: str, body: dict[str, Any]) -> int:
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{url}/api/inbound", json=body,
                                 headers={"X-Webhook-Secret": "segredo"})
        return answer.status_code


def test_filters_search_and_keyboard(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    model = window.bridge.model
    everything = model.ids()
    qtbot.mouseClick(window.conversations.findChild(type(window.pane.read_button),
                                                    "filter_unread"), Qt.MouseButton.LeftButton)
    assert model.filter is Filter.UNREAD
    assert 0 < model.rowCount() < len(everything)
    assert all(model.view_at(r).summary.unread_count > 0 for r in range(model.rowCount()))
    window.conversations.set_filter(Filter.OPEN)
    # Ctrl+F, type a name: the list narrows (after the typing pause) to that name
    name = model.view_at(3).summary.patient_name
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.conversations.search.hasFocus()
    qtbot.keyClicks(window.conversations.search, name.split()[-1].lower())
    qtbot.waitUntil(lambda: model.rowCount() < len(everything), timeout=TIMEOUT)
    assert any(model.view_at(r).summary.patient_name == name for r in range(model.rowCount()))
    # typing "e" or "u" in the search box searched; it did not archive or mark anything
    assert all(not model.view_of(c).pending for c in everything)
    # Down from the search box opens the first match
    qtbot.keyClick(window.conversations.search, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.pane.detail is not None, timeout=TIMEOUT)
    window.conversations.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == len(everything), timeout=TIMEOUT)
    first = window.bridge.open_id
    window.conversations.view.setFocus()
    qtbot.keyClick(window.conversations.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.bridge.open_id != first, timeout=TIMEOUT)


def test_metrics_window_charts_client_and_server_cache(
    signed: Signed, qtbot: Any, tmp_path: Path
) -> None:
    window = signed.window
    open_first(qtbot, window)
    window.menus.diagnostics_action.trigger()  # Help → Diagnostics
    metrics = window.menus.metrics_window
    assert metrics.windowTitle() == "Diagnostics"
    assert window.menus.diagnostics_action.shortcut().toString() == "Ctrl+Shift+M"
    assert "Misses: what had to be fetched from the server first" in metrics.legend.text()
    qtbot.waitUntil(lambda: metrics.refreshed_count >= 1, timeout=TIMEOUT)
    assert metrics.server_note.text().startswith("Server: ")
    def charted() -> tuple[list[float], list[float]]:
        bars = [item for item in metrics.client_plot.getPlotItem().items
                if type(item).__name__ == "BarGraphItem"]
        assert len(bars) == 2  # hits and misses per kind
        hits, misses = (list(bar.opts["height"]) for bar in bars)
        return hits, misses

    def counted() -> list[int]:
        return [m["fresh_hits"] + m["stale_hits"] for m in (
            signed.client.metrics()[k] for k in ("conversations_list", "conversation_detail",
                                                  "user_session", "patient_data"))]

    # the chart is redrawn on its timer: reads after the last redraw (the open's own
    # revalidation) show at the next one
    qtbot.waitUntil(lambda: charted()[0] == counted(), timeout=TIMEOUT)
    misses = charted()[1]
    assert misses[0] >= 1 and misses[1] >= 1  # the list and the conversation were loaded
    folder = Path(os.environ.get("INBOX_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert metrics.grab().save(str(folder / "6-metrics.png"))
    metrics.close()


def test_typing_in_the_composer_never_triggers_single_key_shortcuts(
    signed: Signed, qtbot: Any
) -> None:
    window = signed.window
    cid = open_first(qtbot, window)
    run(qtbot, signed.client.drained())  # (opening marked it read: issue 13)
    composer = window.pane.composer
    composer.text.setFocus()
    qtbot.keyClicks(composer.text, "eu12")
    qtbot.keyClick(composer.text, Qt.Key.Key_Up)
    assert composer.text.toPlainText() == "eu12"
    assert window.bridge.open_id == cid
    assert not window.bridge.model.view_of(cid).pending
    assert signed.client.pending_count() == 0


def test_opening_b_cancels_loading_a(signed: Signed, qtbot: Any) -> None:
    bridge = signed.window.bridge
    a, b = bridge.model.ids()[2], bridge.model.ids()[3]
    shown: list[int] = []
    bridge.detailChanged.connect(lambda snap: shown.append(snap.value.summary.id))
    bridge.open(a)
    loading_a = bridge.tasks._named["open conversation"]
    bridge.open(b)
    qtbot.waitUntil(lambda: b in shown, timeout=TIMEOUT)
    assert loading_a.cancelled()
    assert a not in shown


def test_starting_offline_shows_the_cached_list_and_the_banner(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path
) -> None:
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    rows = window.bridge.model.all_count
    close_window(qtbot, window)
    server.stop()
    resumed = run(qtbot, InboxClient.resume(server.url, data_dir=tmp_path / "data",
                                            cache_dir=tmp_path / "cache"))
    assert resumed is not None
    window = open_window(qtbot, resumed)
    try:
        assert window.bridge.model.all_count == rows
        assert window.bridge.list_snapshot is not None and window.bridge.list_snapshot.offline
        qtbot.waitUntil(window.banner.isVisible, timeout=TIMEOUT)
        assert window.banner.label.text().startswith("No connection — showing data from ")
    finally:
        close_window(qtbot, window)
