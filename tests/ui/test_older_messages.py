"""Tests of the older-messages paging of inbox_app/ui/conversations/thread.py (issue 13).

Scrolling to the top of a long conversation loads the page before the oldest message shown
(the ``before`` cursor) and keeps what the user was reading in place; offline, a line says the
older messages are not on this computer. Real server on loopback, pytest-qt offscreen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from inbox_app.contract.models import DETAIL_MESSAGE_LIMIT, Message
from tests.support import ServerProcess
from tests.ui.conftest import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    close_window,
    open_window,
    run,
    sign_in,
)

TIMEOUT = 15_000
SECRET = "segredo"


async def _long_conversation(url: str, extra: int) -> int:
    """Adds ``extra`` patient messages to one demo conversation; its id."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        answer = await http.post("/api/auth/login", json={"email": DEMO_EMAIL,
                                                          "password": DEMO_PASSWORD})
        answer.raise_for_status()
        headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        clinic = answer.json()["session"]["clinic"]["id"]
        items = (await http.get(f"/api/clinics/{clinic}/conversations",
                                headers=headers)).json()["items"]
        # an open one: a patient's new message goes to their newest conversation on that
        # channel, the open one (an earlier one there is archived)
        summary = next(s for s in reversed(items) if s["status"] == "open")
        phone = (await http.get(f"/api/patients/{summary['patient_id']}",
                                headers=headers)).json()["phone"]
        for n in range(extra):
            answer = await http.post("/api/inbound", headers={"X-Webhook-Secret": SECRET},
                                     json={"clinic_id": clinic, "phone": phone,
                                           "channel": summary["channel"],
                                           "body": f"Mensagem {n}"})
            answer.raise_for_status()
        return int(summary["id"])


def test_scrolling_to_the_top_loads_older_messages_and_keeps_the_place(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server_factory: Callable[..., ServerProcess],
    tmp_path: Path,
) -> None:
    server = server_factory(env={"INBOX_WEBHOOK_SECRET": SECRET})
    cid = run(qtbot, _long_conversation(server.url, DETAIL_MESSAGE_LIMIT + 5), timeout=60_000)
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        window.resize(1200, 760)
        window.show()
        thread = window.pane.thread_view
        assert window.conversations.select(cid)
        qtbot.waitUntil(lambda: window.pane.detail is not None
                        and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
        assert window.pane.detail.has_more_messages

        def messages() -> list[Message]:
            return [b.item for b in thread.bubbles if isinstance(b.item, Message)]

        bar = thread.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(),
                        timeout=TIMEOUT)
        shown = messages()
        assert len(shown) == DETAIL_MESSAGE_LIMIT

        # offline: scrolling up says the older messages are not on this computer
        server.stop()
        bar.setValue(bar.minimum())
        qtbot.waitUntil(lambda: thread.older_line.isVisible()
                        and "not on this computer" in thread.older_line.text(), timeout=TIMEOUT)
        assert messages() == shown

        # online again: the top loads the page before the oldest shown, the reading place stays
        server.start()
        qtbot.waitUntil(lambda: window.status.connection.text() == "Online", timeout=30_000)
        oldest = thread.bubbles[[b.item for b in thread.bubbles].index(shown[0])]
        bar.setValue(bar.maximum())
        bar.setValue(bar.minimum())
        place = oldest.mapTo(thread.viewport(), oldest.rect().topLeft()).y()
        qtbot.waitUntil(lambda: len(messages()) > len(shown), timeout=TIMEOUT)
        older = messages()
        assert older[-len(shown):] == shown
        assert max(m.id for m in older[:-len(shown)]) < min(m.id for m in shown)
        assert not thread.older_line.isVisible()
        kept = next(b for b in thread.bubbles if b.item == shown[0])

        def place_now() -> int:
            return kept.mapTo(thread.viewport(), kept.rect().topLeft()).y()

        qtbot.waitUntil(lambda: bar.value() > 0 and abs(place_now() - place) <= 2,
                        timeout=TIMEOUT)
    finally:
        close_window(qtbot, window)
