"""inbox_app/ui/conversations/delivery.py and thread.py: a reply's delivery in the window, on
a real server whose WhatsApp channel is the Graph API stand-in (issue 17).

A reply shows a clock until WhatsApp takes it, then one tick, two ticks and two blue ticks
as the statuses arrive live, each with its accessible text; a failed delivery shows the red
mark, the reason and "Try again", which sends it anew; a reply past the 24-hour window stays
failed with the refusal in the receptionist's words (and the toast says it too).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from inbox_app.client import PendingItem
from inbox_app.contract.models import Message
from inbox_app.ui import app as ui_app
from inbox_app.ui import labels
from inbox_app.ui.conversations.thread import Bubble
from inbox_app.ui.main_window import MainWindow
from tests.server.whatsapp.conftest import AURORA, new_wa_id, server_env, set_channel
from tests.server.whatsapp.standin import (
    GraphStandIn,
    messages_payload,
    status,
    statuses_payload,
    text,
)
from tests.support import ServerProcess, SqliteTemplates
from tests.ui.conftest import close_window, open_window, sign_in

TIMEOUT = 15_000


@pytest.fixture
def graph() -> Iterator[GraphStandIn]:
    standin = GraphStandIn(tokens={AURORA.phone_number_id: AURORA.access_token}).start()
    yield standin
    standin.close()


@pytest.fixture
def window(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    sqlite_templates: SqliteTemplates,
    graph: GraphStandIn,
) -> Iterator[MainWindow]:
    url = sqlite_templates.copy("small", tmp_path / "inbox.db")
    with ThreadPoolExecutor(1) as pool:  # the command runs its own asyncio loop
        pool.submit(set_channel, url, AURORA).result()
    server = ServerProcess(url, env=server_env(graph)).start()
    try:
        opened = open_window(qtbot, sign_in(qtbot, server, tmp_path))
        opened.server = server  # type: ignore[attr-defined]
        try:
            yield opened
        finally:
            close_window(qtbot, opened)
    finally:
        server.stop()


def views(window: MainWindow) -> list[Any]:
    model = window.bridge.model
    return [view for cid in model.ids() if (view := model.view_of(cid)) is not None]


def open_conversation(qtbot: Any, window: MainWindow, cid: int) -> None:
    qtbot.waitUntil(lambda: cid in window.bridge.model.ids(), timeout=TIMEOUT)
    assert window.conversations.select(cid)
    qtbot.waitUntil(
        lambda: window.pane.detail is not None and window.pane.detail.summary.id == cid,
        timeout=TIMEOUT,
    )


def send_reply(qtbot: Any, window: MainWindow, body: str) -> None:
    composer = window.pane.composer
    composer.set_kind("reply")
    composer.text.setPlainText(body)
    qtbot.keyClick(composer.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def bubble(window: MainWindow, body: str) -> Bubble | None:
    found = [b for b in window.pane.thread_view.bubbles if b.item.body == body]
    return found[-1] if found else None


def mark_of(window: MainWindow, body: str) -> str | None:
    """The accessible text of the reply's delivery mark (None: no mark, or not a message)."""
    shown = bubble(window, body)
    if shown is None or not isinstance(shown.item, Message):
        return None
    mark = shown.findChild(QLabel, "deliveryMark")
    return mark.accessibleName() if mark is not None else None


def wamid_of(graph: GraphStandIn, body: str) -> str:
    sent = [r for r in graph.received if r.status == 200 and r.body["text"]["body"] == body]
    assert sent and sent[-1].wamid
    return sent[-1].wamid


def test_a_reply_shows_clock_tick_ticks_and_blue_ticks(
    qtbot: Any, window: MainWindow, graph: GraphStandIn
) -> None:
    server: ServerProcess = window.server  # type: ignore[attr-defined]
    wa_id = new_wa_id()
    GraphStandIn.notify(
        server.url,
        messages_payload(
            AURORA.phone_number_id, wa_id, "Paula Reis", text("Oi! Tem horário hoje?")
        ),
        AURORA.app_secret,
    )
    qtbot.waitUntil(
        lambda: any(v.summary.patient_phone == "+" + wa_id for v in views(window)), timeout=TIMEOUT
    )
    cid = next(v.summary.id for v in views(window) if v.summary.patient_phone == "+" + wa_id)
    open_conversation(qtbot, window, cid)

    seen: list[str] = []

    def track() -> None:
        now = mark_of(window, "Temos às 15h.")
        if now is not None and (not seen or seen[-1] != now):
            seen.append(now)

    window.bridge.changeHandled.connect(lambda _change: track())
    arrived, release = graph.hold_next()  # WhatsApp takes its time: the clock shows
    send_reply(qtbot, window, "Temos às 15h.")
    qtbot.waitUntil(
        lambda: arrived.is_set() and mark_of(window, "Temos às 15h.") is not None, timeout=TIMEOUT
    )
    track()
    release.set()
    qtbot.waitUntil(lambda: mark_of(window, "Temos às 15h.") == "Sent", timeout=TIMEOUT)
    wamid = wamid_of(graph, "Temos às 15h.")
    for state, shown in (("delivered", "Delivered"), ("read", "Read")):
        GraphStandIn.notify(
            server.url,
            statuses_payload(AURORA.phone_number_id, status(wamid, state, wa_id)),
            AURORA.app_secret,
        )
        qtbot.waitUntil(lambda s=shown: mark_of(window, "Temos às 15h.") == s, timeout=TIMEOUT)
        track()
    assert seen == ["Waiting to be sent", "Sent", "Delivered", "Read"]
    mark = bubble(window, "Temos às 15h.").findChild(QLabel, "deliveryMark")  # type: ignore[union-attr]
    assert mark.toolTip() == "Read" and not mark.pixmap().isNull()


def test_a_failed_delivery_shows_the_reason_and_try_again_sends_it(
    qtbot: Any, window: MainWindow, graph: GraphStandIn
) -> None:
    server: ServerProcess = window.server  # type: ignore[attr-defined]
    wa_id = new_wa_id()
    GraphStandIn.notify(
        server.url,
        messages_payload(AURORA.phone_number_id, wa_id, "Caio Nunes", text("Bom dia")),
        AURORA.app_secret,
    )
    qtbot.waitUntil(
        lambda: any(v.summary.patient_phone == "+" + wa_id for v in views(window)), timeout=TIMEOUT
    )
    cid = next(v.summary.id for v in views(window) if v.summary.patient_phone == "+" + wa_id)
    open_conversation(qtbot, window, cid)
    graph.script("bad_number")
    send_reply(qtbot, window, "Seu exame saiu.")
    qtbot.waitUntil(lambda: mark_of(window, "Seu exame saiu.") == "Not delivered", timeout=TIMEOUT)
    failed = bubble(window, "Seu exame saiu.")
    assert failed is not None and failed.property("failed") is True
    reason = failed.findChild(QLabel, "failedText")
    assert reason.text() == (
        "Not delivered: (#131030) Recipient phone number not in allowed "
        "list: Recipient phone number not in allowed list"
    )
    again = failed.findChild(QPushButton, "resendButton")
    assert again.text() == "Try again" and again.accessibleDescription() == reason.text()
    arrived, release = graph.hold_next()
    qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    # the clock again at once (an optimistic action), until WhatsApp takes it
    qtbot.waitUntil(
        lambda: mark_of(window, "Seu exame saiu.") == "Waiting to be sent", timeout=TIMEOUT
    )
    release.set()
    qtbot.waitUntil(lambda: mark_of(window, "Seu exame saiu.") == "Sent", timeout=TIMEOUT)
    assert arrived.is_set()
    assert [r.status for r in graph.received if r.body["text"]["body"] == "Seu exame saiu."] == [
        400,
        200,
    ]


def test_a_reply_past_the_24_hours_says_why_in_the_receptionists_words(
    qtbot: Any, window: MainWindow, graph: GraphStandIn
) -> None:
    now = datetime.now(UTC)

    def closed() -> int | None:
        for view in views(window):
            summary = view.summary
            if (
                summary.channel == "whatsapp"
                and summary.last_message_at is not None
                and now - summary.last_message_at > timedelta(days=2)
            ):
                return summary.id
        return None

    cid = closed()
    assert cid is not None
    open_conversation(qtbot, window, cid)
    detail = window.pane.detail
    assert detail is not None
    inbound = [m.sent_at for m in detail.messages if m.direction == "inbound"]
    assert inbound and now - max(inbound) > timedelta(hours=24)
    with qtbot.waitSignal(window.toasts.shown, timeout=TIMEOUT) as toast:
        send_reply(qtbot, window, "Ainda precisa de ajuda?")
    words = labels.window_closed()
    assert toast.args[1] == words

    def failure() -> str | None:
        shown = bubble(window, "Ainda precisa de ajuda?")
        if shown is None or not isinstance(shown.item, PendingItem):
            return None
        label = shown.findChild(QLabel, "failedText")
        return label.text() if label is not None else None

    qtbot.waitUntil(lambda: failure() is not None, timeout=TIMEOUT)
    assert failure() == f"Not sent: {words}"
    assert not [r for r in graph.received if r.body["text"]["body"] == "Ainda precisa de ajuda?"]


def test_the_words_are_portuguese_first(qapp: Any) -> None:
    try:
        ui_app.create_application(language="pt_BR")
        assert labels.window_closed() == (
            "O WhatsApp só aceita respostas até 24 horas depois da última mensagem do "
            "paciente. Peça para o paciente escrever de novo ou ligue para ele."
        )
        assert [labels.delivery_label(s) for s in labels.DELIVERY_ICONS] == [
            "Aguardando envio",
            "Enviada",
            "Entregue",
            "Lida",
            "Não entregue",
        ]
        assert QCoreApplication.translate("FailedDelivery", "Try again") == "Tentar de novo"
    finally:
        ui_app.create_application(language="en")
