"""The contract's promise to clients already installed (issue 17): a newer server may add
event types, fields and error codes, and the desktop app keeps working.

The app's live parser (``inbox_app/client/net/live.py``) and its answer models are the ones
every installed client runs (this issue adds ``message.delivery`` and ``Message.delivery``
without changing either): an event type it does not know is skipped and the socket stays up,
unknown fields are ignored, an unknown error code is a rejection, and a delivery state it does
not know leaves the message readable. The live part runs against a real WebSocket server on
loopback that speaks like a newer server.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.server import Server, ServerConnection, serve

from inbox_app.client.errors import RejectedError, from_response
from inbox_app.client.net.live import LiveListener
from inbox_app.client.views import ConnectionState
from inbox_app.contract.errors import WHATSAPP_WINDOW_CLOSED
from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.contract.models import ConversationDetail, DeliveryState, Message

MESSAGE: dict[str, Any] = {
    "id": 7,
    "conversation_id": 3,
    "direction": "outbound",
    "body": "Até amanhã",
    "author_id": 2,
    "sent_at": "2026-11-24T10:00:00Z",
}

#: what a newer server may send: a type nobody knows yet, with fields nobody knows yet
FUTURE_FRAMES = [
    {
        "seq": 1,
        "type": "conversation.assigned",
        "clinic_id": 1,
        "conversation_id": 3,
        "data": {"assignee": 9},
        "invalidate": ["conversation:3:detail"],
        "origin": "x",
    },
    {
        "seq": 2,
        "type": "message.created",
        "clinic_id": 1,
        "conversation_id": 3,
        "data": {**MESSAGE, "reactions": ["👍"], "delivery": {"state": "sent", "hops": 2}},
        "invalidate": ["conversation:3:detail"],
        "priority_hint": "high",
    },
    {
        "seq": 3,
        "type": "message.reacted",
        "clinic_id": 1,
        "conversation_id": 3,
        "data": None,
        "invalidate": [],
    },
    {"seq": 3, "type": "ready", "clinic_id": 1, "invalidate": []},
]


@pytest.fixture
async def newer_server() -> AsyncIterator[Server]:
    """A WebSocket server on loopback that answers a hello with :data:`FUTURE_FRAMES`."""

    async def speak(ws: ServerConnection) -> None:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello"
        for frame in FUTURE_FRAMES:
            await ws.send(json.dumps(frame))
        await ws.wait_closed()

    async with serve(speak, "127.0.0.1", 0) as server:
        yield server


async def test_the_live_parser_skips_unknown_event_types_and_ignores_unknown_fields(
    newer_server: Server,
) -> None:
    port = next(iter(newer_server.sockets)).getsockname()[1]
    received: list[LiveEvent] = []
    online = asyncio.Event()

    async def on_event(event: LiveEvent) -> None:
        received.append(event)

    def on_state(state: ConnectionState) -> None:
        if state is ConnectionState.ONLINE:
            online.set()

    listener = LiveListener(
        f"http://127.0.0.1:{port}",
        lambda: "token",
        on_event=on_event,
        on_state=on_state,
        clinic_id=1,
    )
    listener.start()
    try:
        await asyncio.wait_for(online.wait(), 10)
    finally:
        await listener.close()
    # the two unknown types were skipped, the known one got through, the socket stayed up
    assert [(e.seq, e.type) for e in received] == [(2, EventType.MESSAGE_CREATED)]
    assert listener.connects == 1 and listener.failures == 0
    message = Message.model_validate(received[0].data)
    assert message.body == "Até amanhã" and message.delivery is not None
    assert message.delivery.state is DeliveryState.SENT


def test_answers_ignore_unknown_fields_at_every_level() -> None:
    detail = ConversationDetail.model_validate(
        {
            "summary": {
                "id": 3,
                "clinic_id": 1,
                "patient_id": 2,
                "patient_name": "Maria",
                "channel": "whatsapp",
                "status": "open",
                "priority": "normal",
                "unread_count": 0,
                "last_message_preview": "Até amanhã",
                "last_message_at": None,
                "updated_at": "2026-11-24T10:00:00Z",
                "version": 1,
                "assignee": 9,
            },
            "messages": [
                {
                    **MESSAGE,
                    "reactions": [],
                    "delivery": {
                        "state": "read",
                        "updated_at": "2026-11-24T10:01:00Z",
                        "device": "web",
                    },
                }
            ],
            "notes": [],
            "labels": ["vip"],
        }
    )
    assert detail.messages[0].delivery is not None
    assert detail.messages[0].delivery.state is DeliveryState.READ


def test_a_message_from_an_older_server_has_no_delivery() -> None:
    assert Message.model_validate(MESSAGE).delivery is None


@pytest.mark.parametrize("delivery", [{"state": "played"}, {"state": None}, "sent", 5])
def test_a_delivery_this_client_cannot_read_leaves_the_message_readable(
    delivery: object,
) -> None:
    message = Message.model_validate({**MESSAGE, "delivery": delivery})
    assert message.body == "Até amanhã" and message.delivery is None


def _answer(status: int, body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("POST", "http://server/api/x"))


def test_an_unknown_error_code_is_a_rejection() -> None:
    error = from_response(
        _answer(
            409,
            {
                "error": {
                    "code": "whatsapp_window_closed",
                    "message": "window closed",
                    "details": None,
                }
            },
        )
    )
    assert isinstance(error, RejectedError) and error.status == 409


def test_the_24_hour_refusal_reads_as_a_conflict_with_its_reason() -> None:
    error = from_response(
        _answer(
            409,
            {
                "error": {
                    "code": "conflict",
                    "message": "the 24-hour window is closed",
                    "details": {
                        "reason": WHATSAPP_WINDOW_CLOSED,
                        "window_hours": 24,
                        "last_inbound_at": "2026-11-20T10:00:00Z",
                    },
                }
            },
        )
    )
    assert isinstance(error, RejectedError)
    assert error.code == "conflict" and error.message == "the 24-hour window is closed"
    assert error.details["reason"] == WHATSAPP_WINDOW_CLOSED
