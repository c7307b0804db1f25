"""Tests of inbox_app/client/net/inbound.py: a patient's message is told by the live event
(``Change.patient_wrote``), once, and a colleague's reply or note never is (real server)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from inbox_app.client import Change
from inbox_app.client.net.inbound import patient_wrote
from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.contract.models import Status
from tests.client.conftest import ClientFactory, wait_state
from tests.support import ServerProcess, login

SECRET = "segredo"


def event(kind: EventType, data: dict[str, Any] | None) -> LiveEvent:
    return LiveEvent(seq=1, type=kind, clinic_id=1, conversation_id=7, data=data)


def message(direction: str, body: str = "Bom dia") -> dict[str, Any]:
    return {"id": 1, "conversation_id": 7, "direction": direction, "body": body,
            "author_id": None if direction == "inbound" else 2,
            "sent_at": datetime(2026, 11, 24, tzinfo=UTC).isoformat()}


def test_only_a_patients_message_says_a_patient_wrote() -> None:
    assert patient_wrote(event(EventType.MESSAGE_CREATED, message("inbound"))) == "Bom dia"
    assert patient_wrote(event(EventType.MESSAGE_CREATED, message("outbound"))) is None
    note = {"id": 1, "conversation_id": 7, "author_id": 2, "author_name": "Carla",
            "body": "nota", "created_at": datetime(2026, 11, 24, tzinfo=UTC).isoformat()}
    assert patient_wrote(event(EventType.NOTE_CREATED, note)) is None
    assert patient_wrote(event(EventType.CONVERSATION_UPDATED, None)) is None
    assert patient_wrote(event(EventType.RESYNC, None)) is None


def test_a_long_message_is_told_by_its_preview() -> None:
    told = patient_wrote(event(EventType.MESSAGE_CREATED, message("inbound", "palavra " * 500)))
    assert told is not None and told.startswith("palavra") and len(told) < 500


def test_event_data_off_contract_says_nothing_and_logs_no_patient_text(
        caplog: pytest.LogCaptureFixture) -> None:
    broken = message("inbound", "Texto secreto do paciente")
    broken["direction"] = "sideways"
    assert patient_wrote(event(EventType.MESSAGE_CREATED, broken)) is None
    assert "breaks the contract" in caplog.text
    assert "Texto secreto" not in caplog.text


async def test_an_inbound_message_is_told_once_and_a_colleagues_reply_never(
        server_factory: Any, make_client: ClientFactory) -> None:
    server: ServerProcess = server_factory(env={"INBOX_WEBHOOK_SECRET": SECRET})
    client, recorder = await make_client(server.url)
    await wait_state(recorder, "online")
    # an open one: the patient's newest on its channel, where their next message goes (an
    # earlier one on that channel is archived)
    summary = next(v.summary for v in reversed((await client.conversations()).value)
                   if v.summary.status == Status.OPEN)
    cid = summary.id
    phone = (await client.patient(summary.patient_id)).value.phone
    token, _ = login(server.url, "carla@aurora.example")

    def about(conversation_id: int) -> Any:
        return lambda c: c.cause == "invalidated" and conversation_id in c.conversation_ids

    async with httpx.AsyncClient(base_url=server.url) as http:
        # a patient writes through the real webhook
        mark = recorder.mark()
        answer = await http.post("/api/inbound", headers={"X-Webhook-Secret": SECRET}, json={
            "clinic_id": summary.clinic_id, "phone": phone, "body": "Cheguei na recepção",
            "channel": summary.channel})
        assert answer.status_code == 201
        told = await recorder.wait(about(cid), after=mark)
        assert told.patient_wrote == "Cheguei na recepção"
        # a colleague replies to the patient: a new message, by the clinic
        mark = recorder.mark()
        answer = await http.post(f"/api/conversations/{cid}/messages", json={
            "body": "Já vamos chamar"}, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201
        reply = await recorder.wait(about(cid), after=mark)
        assert reply.patient_wrote is None
        # a new patient's first message opens a conversation
        mark = recorder.mark()
        answer = await http.post("/api/inbound", headers={"X-Webhook-Secret": SECRET}, json={
            "clinic_id": summary.clinic_id, "phone": "+55 11 91234-0000", "name": "Nova",
            "body": "Primeira mensagem", "channel": "whatsapp"})
        assert answer.status_code == 201
        new_cid = answer.json()["conversation_id"]
        await recorder.wait(about(new_cid), after=mark)
        # one more event after all of them (events arrive in order): nothing else comes
        mark = recorder.mark()
        answer = await http.post(f"/api/conversations/{cid}/notes", json={
            "body": "marcador"}, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201
        assert (await recorder.wait(about(cid), after=mark)).patient_wrote is None
    wrote: list[Change] = [c for c in recorder.changes if c.patient_wrote is not None]
    assert [(set(c.conversation_ids), c.patient_wrote) for c in wrote] == [
        ({cid}, "Cheguei na recepção"), ({new_cid}, "Primeira mensagem")]
