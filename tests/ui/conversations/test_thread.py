"""Tests of inbox_app/ui/conversations/thread.py: bubble sides, notes, pending and failed items."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from inbox_app.client import DetailView, PendingItem
from inbox_app.contract.models import ConversationSummary, Message, Note
from inbox_app.ui.app import create_application
from inbox_app.ui.conversations.thread import Thread

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def detail(messages: int = 3, *, pending: list[PendingItem] | None = None) -> DetailView:
    summary = ConversationSummary(
        id=1, clinic_id=1, patient_id=1, patient_name="Maria", channel="whatsapp",
        status="open", priority="normal", unread_count=0, last_message_preview="oi",
        last_message_at=T0, updated_at=T0, version=1)
    return DetailView(
        summary=summary,
        messages=[Message(id=i + 1, conversation_id=1,
                          direction="inbound" if i % 2 == 0 else "outbound",
                          body=f"mensagem {i}", sent_at=T0 + timedelta(minutes=i))
                  for i in range(messages)],
        notes=[Note(id=1, conversation_id=1, author_id=2, author_name="Ana", body="ligar",
                    created_at=T0 + timedelta(seconds=30))],
        pending_items=pending or [])


def test_sides_notes_and_order(qapp: QApplication, qtbot: Any) -> None:
    thread = Thread()
    qtbot.addWidget(thread)
    thread.show_detail(detail())
    names = [b.objectName() for b in thread.bubbles]
    assert names == ["bubbleIn", "bubbleNote", "bubbleOut", "bubbleIn"]


def test_an_appended_message_keeps_the_bubbles_already_shown(
    qapp: QApplication, qtbot: Any
) -> None:
    thread = Thread()
    qtbot.addWidget(thread)
    thread.show_detail(detail(3))
    before = list(thread.bubbles)
    thread.show_detail(detail(4))
    assert thread.bubbles[:4] == before and len(thread.bubbles) == 5


def test_failed_item_offers_retry_and_discard(qapp: QApplication, qtbot: Any) -> None:
    failed = PendingItem("m-1", "reply", "até amanhã", T0 + timedelta(hours=1), "failed",
                         "servidor recusou")
    queued = dataclasses.replace(failed, mutation_id="m-2", state="queued", error=None)
    thread = Thread()
    qtbot.addWidget(thread)
    thread.show_detail(detail(pending=[failed, queued]))
    bad, waiting = thread.bubbles[-2:]
    assert bad.property("failed") is True and waiting.property("pending") is True
    assert waiting.findChild(QPushButton, "retryButton") is None
    with qtbot.waitSignal(thread.retryRequested) as retry:
        bad.findChild(QPushButton, "retryButton").click()
    assert retry.args == ["m-1"]
    with qtbot.waitSignal(thread.discardRequested) as discard:
        bad.findChild(QPushButton, "discardButton").click()
    assert discard.args == ["m-1"]


def test_a_short_message_stays_on_one_line_in_the_app_font(
    qapp: QApplication, qtbot: Any
) -> None:
    # The stylesheet sets the font the bubbles are painted in; a width measured with the
    # default font wrapped the last word of short messages onto a second line.
    create_application(language="en")
    thread = Thread()
    qtbot.addWidget(thread)
    thread.resize(900, 600)
    short = "Boa tarde, vocês aceitam o convênio Porto Saúde?"
    long = "Preciso de uma segunda via do pedido de exame, por favor. " * 4
    base = detail(0)
    thread.show_detail(dataclasses.replace(base, notes=[], messages=[
        Message(id=1, conversation_id=1, direction="inbound", body=short, sent_at=T0),
        Message(id=2, conversation_id=1, direction="outbound", body=long,
                sent_at=T0 + timedelta(minutes=1)),
    ]))
    thread.show()
    qtbot.waitExposed(thread)
    short_body, long_body = (b.findChild(QLabel, "bubbleBody") for b in thread.bubbles)
    line = short_body.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: short_body.height() > 0)
    assert short_body.height() < 2 * line, "a short message wrapped"
    assert long_body.height() >= 2 * line, "a long message must wrap"
    assert short_body.width() <= long_body.width()
