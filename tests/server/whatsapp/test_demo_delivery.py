"""inbox_app/server/demo/delivery.py: ``--simulate-delivery`` (what ``inbox-app --demo``
runs) moves every reply through queued, sent, delivered and read, live, through the real
queue and worker; the 24-hour window still holds for WhatsApp conversations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from inbox_app.contract.errors import WHATSAPP_WINDOW_CLOSED
from tests.server.conftest import sign_in
from tests.server.live_support import next_event
from tests.server.whatsapp.conftest import AURORA, live, reply
from tests.support import ServerProcess


async def test_a_demo_reply_goes_sent_delivered_read(
    server_factory: Callable[..., ServerProcess],
) -> None:
    server = server_factory(extra_args=["--simulate-delivery", "0.2"])
    ana = sign_in(server, AURORA.email)
    conversations = ana.conversations()
    sms = next(c for c in conversations if c["channel"] != "whatsapp")
    async with live(server, ana) as ws:
        answer = reply(ana, sms["id"], "Até já!")
        assert answer.status_code == 201 and answer.json()["delivery"]["state"] == "queued"
        states = []
        while len(states) < 4:
            event = await next_event(ws)
            if event.data and event.data.get("id") == answer.json()["id"]:
                states.append((event.type.value, event.data["delivery"]["state"]))
    assert states == [
        ("message.created", "queued"),
        ("message.delivery", "sent"),
        ("message.delivery", "delivered"),
        ("message.delivery", "read"),
    ]
    # the window is the demo's too
    now = datetime.now(UTC)
    for summary in conversations:
        if summary["channel"] != "whatsapp":
            continue
        inbound = [
            datetime.fromisoformat(m["sent_at"])
            for m in ana.detail(summary["id"])["messages"]
            if m["direction"] == "inbound"
        ]
        if inbound and now - max(inbound) > timedelta(hours=25):
            refused = reply(ana, summary["id"], "Oi?")
            assert refused.status_code == 409
            assert refused.json()["error"]["details"]["reason"] == WHATSAPP_WINDOW_CLOSED
            break
    else:
        raise AssertionError("no WhatsApp conversation older than a day in the demo")
