"""server/whatsapp/outbound.py, worker.py, delivery.py and graph.py: replies out through the
Graph API stand-in on a real server (SQLite and PostgreSQL): queued with the reply, sent
once with the stored wamid, statuses that only move forward (repeated and out of order) and
their live events, transient failures retried, permanent ones shown with their reason and
sent again on request, and the 24-hour window refused at once.
"""

from __future__ import annotations

import contextlib
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from inbox_app.contract.errors import WHATSAPP_WINDOW_CLOSED
from inbox_app.contract.events import EventType
from inbox_app.server.commands import whatsapp as whatsapp_command
from tests.server.conftest import ApiUser, sign_in
from tests.server.live_support import next_event
from tests.server.whatsapp.conftest import (
    AURORA,
    BOA_VISTA,
    live,
    message,
    patient_writes,
    reply,
    set_channel,
)
from tests.server.whatsapp.standin import (
    GraphStandIn,
    Received,
    status,
    statuses_payload,
)
from tests.support import ServerProcess


async def delivery_event(ws: Any, message_id: int) -> dict[str, Any]:
    """The next ``message.delivery`` of ``message_id`` (other events skipped)."""
    while True:
        event = await next_event(ws)
        if (
            event.type is EventType.MESSAGE_DELIVERY
            and event.data
            and event.data["id"] == message_id
        ):
            assert event.invalidate == [f"conversation:{event.conversation_id}:detail"]
            return event.data


def notify_statuses(server: ServerProcess, *items: dict[str, Any]) -> dict[str, Any]:
    answer = GraphStandIn.notify(
        server.url, statuses_payload(AURORA.phone_number_id, *items), AURORA.app_secret
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def sent_to(graph: GraphStandIn, body: str) -> list[Received]:
    return [
        r
        for r in graph.received
        if isinstance(r.body, dict) and r.body.get("text", {}).get("body") == body
    ]


async def test_a_reply_is_queued_with_it_sent_once_and_its_wamid_kept(
    wa_server: ServerProcess, ana: ApiUser, graph: GraphStandIn
) -> None:
    wa_id, conversation = patient_writes(wa_server, ana)
    async with live(wa_server, ana) as ws:
        answer = reply(ana, conversation["id"], "Temos horário amanhã às 10h.")
        assert answer.status_code == 201, answer.text
        created = answer.json()
        assert created["delivery"]["state"] == "queued"
        sent = await delivery_event(ws, created["id"])
    assert sent["delivery"]["state"] == "sent"
    requests = sent_to(graph, "Temos horário amanhã às 10h.")
    assert len(requests) == 1
    request = requests[0]
    assert (request.version, request.phone_number_id) == ("v23.0", AURORA.phone_number_id)
    assert request.authorization == f"Bearer {AURORA.access_token}"
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": wa_id,
        "type": "text",
        "text": {"preview_url": False, "body": "Temos horário amanhã às 10h."},
    }
    assert message(ana, conversation["id"], created["id"])["delivery"]["state"] == "sent"


async def test_statuses_move_forward_only_and_announce_each_move_once(
    wa_server: ServerProcess, ana: ApiUser, graph: GraphStandIn
) -> None:
    wa_id, conversation = patient_writes(wa_server, ana)
    async with live(wa_server, ana) as ws:
        created = reply(ana, conversation["id"], "Confirmado!").json()
        assert (await delivery_event(ws, created["id"]))["delivery"]["state"] == "sent"
        wamid = sent_to(graph, "Confirmado!")[0].wamid
        assert wamid is not None
        # out of order: read arrives first, then the delivered and sent it implies
        assert notify_statuses(wa_server, status(wamid, "read", wa_id))["statuses"] == 1
        assert (await delivery_event(ws, created["id"]))["delivery"]["state"] == "read"
        moved = notify_statuses(
            wa_server,
            status(wamid, "delivered", wa_id),
            status(wamid, "sent", wa_id),
            status(wamid, "read", wa_id),
            status(
                wamid, "failed", wa_id, errors=[{"code": 131026, "title": "Message undeliverable"}]
            ),
        )
        assert moved["statuses"] == 0
        # nothing was announced for them: the next event is the note written after them
        note = ana.http.post(
            f"/api/conversations/{conversation['id']}/notes", json={"body": "paciente confirmou"}
        )
        assert note.status_code == 201
        assert (await next_event(ws)).type is EventType.NOTE_CREATED
    assert message(ana, conversation["id"], created["id"])["delivery"]["state"] == "read"


async def test_a_failed_status_shows_its_reason_and_try_again_sends_anew(
    wa_server: ServerProcess, ana: ApiUser, graph: GraphStandIn
) -> None:
    wa_id, conversation = patient_writes(wa_server, ana)
    async with live(wa_server, ana) as ws:
        created = reply(ana, conversation["id"], "Seu exame está pronto.").json()
        await delivery_event(ws, created["id"])
        first = sent_to(graph, "Seu exame está pronto.")[0].wamid
        assert first is not None
        notify_statuses(wa_server, status(first, "delivered", wa_id))
        assert (await delivery_event(ws, created["id"]))["delivery"]["state"] == "delivered"
        # a failure after a delivery changes nothing (the patient has it)...
        assert (
            notify_statuses(
                wa_server,
                status(
                    first,
                    "failed",
                    wa_id,
                    errors=[{"code": 131026, "title": "Message undeliverable"}],
                ),
            )["statuses"]
            == 0
        )

        second_reply = reply(ana, conversation["id"], "Pode retirar na recepção.").json()
        await delivery_event(ws, second_reply["id"])
        second = sent_to(graph, "Pode retirar na recepção.")[0].wamid
        assert second is not None
        notify_statuses(
            wa_server,
            status(
                second,
                "failed",
                wa_id,
                errors=[
                    {
                        "code": 131026,
                        "title": "Message undeliverable",
                        "error_data": {"details": "Unable to deliver message."},
                    }
                ],
            ),
        )
        failed = (await delivery_event(ws, second_reply["id"]))["delivery"]
        assert (failed["state"], failed["error_code"], failed["error_title"]) == (
            "failed",
            131026,
            "Message undeliverable",
        )
        # the receptionist's "try again": queued, then sent as a new WhatsApp message
        again = ana.http.post(
            f"/api/conversations/{conversation['id']}/messages/{second_reply['id']}/resend"
        )
        assert again.status_code == 200, again.text
        assert again.json()["delivery"] == {
            "state": "queued",
            "error_code": None,
            "error_title": None,
            "updated_at": again.json()["delivery"]["updated_at"],
        }
        assert (await delivery_event(ws, second_reply["id"]))["delivery"]["state"] == "queued"
        assert (await delivery_event(ws, second_reply["id"]))["delivery"]["state"] == "sent"
    retried = sent_to(graph, "Pode retirar na recepção.")
    assert len(retried) == 2 and retried[1].wamid != second
    # the old message id's news no longer applies to it
    assert notify_statuses(wa_server, status(second, "read", wa_id))["statuses"] == 0
    # a reply that has not failed is answered as it is; another clinic's is not found
    same = ana.http.post(f"/api/conversations/{conversation['id']}/messages/{created['id']}/resend")
    assert same.status_code == 200 and same.json()["delivery"]["state"] == "delivered"
    bruno = sign_in(wa_server, BOA_VISTA.email)
    assert (
        bruno.http.post(
            f"/api/conversations/{conversation['id']}/messages/{created['id']}/resend"
        ).status_code
        == 404
    )


async def test_transient_failures_are_retried_until_the_reply_goes_through(
    wa_server: ServerProcess, ana: ApiUser, graph: GraphStandIn
) -> None:
    _wa_id, conversation = patient_writes(wa_server, ana)
    graph.script("drop", "server_error", "rate_limit", "unavailable")
    graph.script("too_many", retry_after="0")
    async with live(wa_server, ana) as ws:
        created = reply(ana, conversation["id"], "Tentando de novo").json()
        sent = await delivery_event(ws, created["id"])
    assert sent["delivery"]["state"] == "sent"
    tries = sent_to(graph, "Tentando de novo")
    assert [r.status for r in tries] == [0, 500, 400, 503, 429, 200]


@pytest.mark.parametrize(
    "case",
    [
        (
            "window",
            131047,
            "(#131047) Re-engagement message: Message failed to send because more "
            "than 24 hours have passed since the customer last replied to this number.",
        ),
        (
            "bad_number",
            131030,
            "(#131030) Recipient phone number not in allowed list: Recipient "
            "phone number not in allowed list",
        ),
    ],
)
async def test_a_permanent_failure_marks_the_reply_failed_at_once(
    wa_server: ServerProcess, ana: ApiUser, graph: GraphStandIn, case: tuple[str, int, str]
) -> None:
    failure, code, title = case
    _wa_id, conversation = patient_writes(wa_server, ana)
    graph.script(failure)
    async with live(wa_server, ana) as ws:
        created = reply(ana, conversation["id"], f"Falha {failure}").json()
        failed = (await delivery_event(ws, created["id"]))["delivery"]
    assert (failed["state"], failed["error_code"], failed["error_title"]) == ("failed", code, title)
    assert len(sent_to(graph, f"Falha {failure}")) == 1  # not retried


def _last_inbound(detail: dict[str, Any]) -> datetime | None:
    times = [
        datetime.fromisoformat(m["sent_at"])
        for m in detail["messages"]
        if m["direction"] == "inbound"
    ]
    return max(times) if times else None


def test_a_reply_past_the_24_hour_window_is_refused_at_once(
    wa_server: ServerProcess, ana: ApiUser, graph: GraphStandIn
) -> None:
    now = datetime.now(UTC)
    closed = None
    for summary in ana.conversations():
        if summary["channel"] != "whatsapp":
            continue
        detail = ana.detail(summary["id"])
        last = _last_inbound(detail)
        if (
            last is not None
            and now - last > timedelta(hours=25)
            and not detail["has_more_messages"]
        ):
            closed = detail
            break
    assert closed is not None, "the demo data has WhatsApp conversations older than a day"
    requests = len(graph.received)
    answer = reply(ana, closed["summary"]["id"], "Olá, ainda precisa de ajuda?")
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "conflict" and "24 hours" in error["message"]
    assert error["details"]["reason"] == WHATSAPP_WINDOW_CLOSED
    assert error["details"]["window_hours"] == 24
    assert datetime.fromisoformat(error["details"]["last_inbound_at"]) == _last_inbound(closed)
    # nothing was stored, nothing queued, nothing sent
    after = ana.detail(closed["summary"]["id"])
    assert after["messages"] == closed["messages"]
    assert after["summary"]["version"] == closed["summary"]["version"]
    assert len(graph.received) == requests


def test_replies_no_channel_delivers_are_stored_as_before(
    wa_server: ServerProcess, ana: ApiUser, graph: GraphStandIn
) -> None:
    """An SMS conversation, and a clinic without a channel: no delivery, nothing sent, and
    no window (the inbox cannot know one)."""
    sms = next(c for c in ana.conversations() if c["channel"] != "whatsapp")
    answer = reply(ana, sms["id"], "Resposta por SMS")
    assert answer.status_code == 201 and answer.json()["delivery"] is None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert (
            whatsapp_command.main(
                ["--database-url", wa_server.database_url, "remove", "--clinic", BOA_VISTA.name]
            )
            == 0
        )
    try:
        bruno = sign_in(wa_server, BOA_VISTA.email)
        old = next(c for c in bruno.conversations() if c["channel"] == "whatsapp")
        answer = reply(bruno, old["id"], "Sem canal configurado")
        assert answer.status_code == 201 and answer.json()["delivery"] is None
    finally:
        set_channel(wa_server.database_url, BOA_VISTA)
    assert not sent_to(graph, "Resposta por SMS") and not sent_to(graph, "Sem canal configurado")


def test_no_secret_is_logged_or_answered(wa_server: ServerProcess, ana: ApiUser) -> None:
    answers = [
        ana.http.get(path).text
        for path in ("/api/session", f"/api/clinics/{ana.clinic_id}/conversations", "/openapi.json")
    ]
    for secret in (
        AURORA.access_token,
        AURORA.app_secret,
        AURORA.verify_token,
        BOA_VISTA.access_token,
        BOA_VISTA.app_secret,
    ):
        assert secret not in wa_server.text()
        assert not any(secret in text for text in answers)
