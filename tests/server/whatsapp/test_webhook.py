"""inbox_app/server/http/whatsapp.py and server/whatsapp/notifications.py, inbound.py: Meta's
webhook on a real server (SQLite and PostgreSQL), its notifications sent by the Graph API
stand-in: the verification handshake, signatures good and bad, routing by phone number id,
repeated notifications, every message type, unknown fields and malformed entries.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.server.conftest import ApiUser, sign_in
from tests.server.whatsapp.conftest import (
    AURORA,
    BOA_VISTA,
    conversation_of,
    new_wa_id,
    patient_writes,
)
from tests.server.whatsapp.standin import GraphStandIn, messages_payload, text
from tests.support import ServerProcess


def handshake(server: ServerProcess, **params: str) -> httpx.Response:
    return httpx.get(f"{server.url}/api/whatsapp/webhook", params=params, timeout=10)


def test_the_handshake_answers_the_challenge_for_a_clinics_verify_token(
    wa_server: ServerProcess,
) -> None:
    for clinic in (AURORA, BOA_VISTA):
        answer = handshake(
            wa_server,
            **{
                "hub.mode": "subscribe",
                "hub.challenge": "1158201444",
                "hub.verify_token": clinic.verify_token,
            },
        )
        assert answer.status_code == 200
        assert answer.text == "1158201444"
        assert answer.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.challenge": "42", "hub.verify_token": "guess"},
        {"hub.mode": "unsubscribe", "hub.challenge": "42", "hub.verify_token": AURORA.verify_token},
        {"hub.mode": "subscribe", "hub.verify_token": AURORA.verify_token},
        {"hub.mode": "subscribe", "hub.challenge": "<script>", "hub.verify_token": ""},
    ],
)
def test_the_handshake_refuses_anything_else(
    wa_server: ServerProcess, params: dict[str, str]
) -> None:
    answer = handshake(wa_server, **params)
    assert answer.status_code == 403
    assert "42" not in answer.text or answer.json()["error"]["code"] == "forbidden"


def test_a_signed_text_message_becomes_an_inbound_message_of_the_clinic(
    wa_server: ServerProcess, ana: ApiUser
) -> None:
    wa_id, conversation = patient_writes(
        wa_server, ana, "Queria marcar uma consulta", name="Joana Prado"
    )
    assert conversation["patient_name"] == "Joana Prado"
    assert conversation["channel"] == "whatsapp" and conversation["unread_count"] == 1
    detail = ana.detail(conversation["id"])
    assert [(m["direction"], m["body"], m["delivery"]) for m in detail["messages"]] == [
        ("inbound", "Queria marcar uma consulta", None)
    ]
    # the same path as /api/inbound: the patient's next message lands in that conversation
    payload = messages_payload(
        AURORA.phone_number_id, wa_id, "Joana Prado", text("Pode ser amanhã?")
    )
    assert GraphStandIn.notify(wa_server.url, payload, AURORA.app_secret).status_code == 200
    assert conversation_of(ana, wa_id)["unread_count"] == 2


def test_a_message_goes_to_the_clinic_owning_the_phone_number_id(
    wa_server: ServerProcess, ana: ApiUser
) -> None:
    bruno = sign_in(wa_server, BOA_VISTA.email)
    wa_id, conversation = patient_writes(wa_server, bruno, "Olá Boa Vista", clinic=BOA_VISTA)
    assert conversation["clinic_id"] == bruno.clinic_id
    assert not [c for c in ana.conversations() if c["patient_phone"] == "+" + wa_id]
    # Boa Vista's app secret cannot speak for Aurora's phone number id
    other = new_wa_id()
    payload = messages_payload(AURORA.phone_number_id, other, None, text("intruso"))
    answer = GraphStandIn.notify(wa_server.url, payload, BOA_VISTA.app_secret)
    assert answer.status_code == 200 and answer.json()["messages"] == 0
    assert not [c for c in ana.conversations() if c["patient_phone"] == "+" + other]
    assert not [c for c in bruno.conversations() if c["patient_phone"] == "+" + other]


@pytest.mark.parametrize(
    "signature", [None, "sha256=" + "0" * 64, "sha1=abc", "sha256=", "garbage"]
)
def test_a_bad_signature_is_a_401_and_changes_nothing(
    wa_server: ServerProcess, ana: ApiUser, signature: str | None
) -> None:
    before = ana.conversations()
    wa_id = new_wa_id()
    payload = messages_payload(AURORA.phone_number_id, wa_id, None, text("olá"))
    answer = GraphStandIn.notify(wa_server.url, payload, None, signature=signature)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"
    assert ana.conversations() == before


def test_a_signature_over_another_body_is_refused(wa_server: ServerProcess, ana: ApiUser) -> None:
    """The signature binds the raw bytes: a body changed after signing is refused."""
    import hashlib
    import hmac
    import json

    wa_id = new_wa_id()
    payload = messages_payload(AURORA.phone_number_id, wa_id, None, text("olá"))
    signed = json.dumps(payload).encode()
    tampered = signed.replace(b"ol\\u00e1", b"pague")
    assert tampered != signed
    signature = "sha256=" + hmac.new(AURORA.app_secret.encode(), signed, hashlib.sha256).hexdigest()
    answer = GraphStandIn.notify(wa_server.url, None, None, raw=tampered, signature=signature)
    assert answer.status_code == 401
    assert not [c for c in ana.conversations() if c["patient_phone"] == "+" + wa_id]


def test_a_repeated_notification_adds_nothing(wa_server: ServerProcess, ana: ApiUser) -> None:
    wa_id = new_wa_id()
    payload = messages_payload(AURORA.phone_number_id, wa_id, "Rui", text("Oi"), text("Tudo bem?"))
    first = GraphStandIn.notify(wa_server.url, payload, AURORA.app_secret)
    assert first.json() == {"messages": 2, "statuses": 0, "skipped": 0}
    conversation = conversation_of(ana, wa_id)
    for _ in range(3):  # Meta retries what it thinks failed: the same bytes, signed again
        again = GraphStandIn.notify(wa_server.url, payload, AURORA.app_secret)
        assert again.status_code == 200 and again.json()["messages"] == 0
    # a message repeated inside a new notification is a repeat too
    mixed = copy.deepcopy(payload)
    value = mixed["entry"][0]["changes"][0]["value"]
    value["messages"] = (
        value["messages"][1:]
        + messages_payload(AURORA.phone_number_id, wa_id, "Rui", text("E agora?"))["entry"][0][
            "changes"
        ][0]["value"]["messages"]
    )
    assert GraphStandIn.notify(wa_server.url, mixed, AURORA.app_secret).json()["messages"] == 1
    detail = ana.detail(conversation["id"])
    assert [m["body"] for m in detail["messages"]] == ["Oi", "Tudo bem?", "E agora?"]
    assert conversation_of(ana, wa_id)["unread_count"] == 3


#: one message of every type Meta's messages webhook documents, and what the inbox shows
EVERY_TYPE: list[tuple[dict[str, Any], str]] = [
    (text("Bom dia"), "Bom dia"),
    (
        {
            "type": "image",
            "image": {
                "caption": "Meu pedido médico",
                "mime_type": "image/jpeg",
                "sha256": "abc",
                "id": "1479537139650973",
            },
        },
        "[imagem] Meu pedido médico",
    ),
    ({"type": "image", "image": {"mime_type": "image/jpeg", "id": "1"}}, "[imagem]"),
    (
        {
            "type": "audio",
            "audio": {"mime_type": "audio/ogg; codecs=opus", "id": "2", "voice": True},
        },
        "[áudio]",
    ),
    ({"type": "video", "video": {"mime_type": "video/mp4", "id": "3"}}, "[vídeo]"),
    (
        {
            "type": "document",
            "document": {"filename": "exame.pdf", "mime_type": "application/pdf", "id": "4"},
        },
        "[documento] exame.pdf",
    ),
    (
        {
            "type": "location",
            "location": {
                "latitude": -23.55,
                "longitude": -46.63,
                "name": "Clínica",
                "address": "Av. Paulista, 1000",
            },
        },
        "[localização] Clínica — Av. Paulista, 1000",
    ),
    (
        {
            "type": "contacts",
            "contacts": [
                {"name": {"formatted_name": "Pedro"}, "phones": [{"phone": "+55 11 91234-5678"}]}
            ],
        },
        "[contato]",
    ),
    (
        {"type": "sticker", "sticker": {"mime_type": "image/webp", "id": "5", "animated": False}},
        "[figurinha]",
    ),
    ({"type": "reaction", "reaction": {"message_id": "wamid.X", "emoji": "👍"}}, "[reação] 👍"),
    (
        {
            "type": "interactive",
            "interactive": {
                "type": "button_reply",
                "button_reply": {"id": "yes", "title": "Confirmo"},
            },
        },
        "[resposta] Confirmo",
    ),
    (
        {
            "type": "interactive",
            "interactive": {
                "type": "list_reply",
                "list_reply": {"id": "r2", "title": "Terça 10h", "description": "Dr. Paulo"},
            },
        },
        "[resposta] Terça 10h",
    ),
    ({"type": "button", "button": {"payload": "CONFIRM", "text": "Sim"}}, "[resposta] Sim"),
    (
        {"type": "unsupported", "errors": [{"code": 131051, "title": "Message type unknown"}]},
        "[mensagem não suportada]",
    ),
    ({"type": "order", "order": {"catalog_id": "1", "product_items": []}}, "[pedido]"),
    ({"type": "hologram", "hologram": {"id": "6"}}, "[mensagem]"),
]


def test_every_message_type_is_stored_text_or_a_typed_placeholder(
    wa_server: ServerProcess, ana: ApiUser
) -> None:
    wa_id = new_wa_id()
    payload = messages_payload(
        AURORA.phone_number_id, wa_id, "Lia", *(message for message, _shown in EVERY_TYPE)
    )
    answer = GraphStandIn.notify(wa_server.url, payload, AURORA.app_secret)
    assert answer.json() == {"messages": len(EVERY_TYPE), "statuses": 0, "skipped": 0}
    detail = ana.detail(conversation_of(ana, wa_id)["id"])
    assert [m["body"] for m in detail["messages"]] == [shown for _m, shown in EVERY_TYPE]


def test_unknown_fields_are_ignored(wa_server: ServerProcess, ana: ApiUser) -> None:
    wa_id = new_wa_id()
    payload = messages_payload(
        AURORA.phone_number_id,
        wa_id,
        "Léo",
        {
            **text("Oi"),
            "context": {"from": "x", "id": "y"},
            "referral": {"source_url": "https://example.com"},
        },
    )
    payload["future"] = {"a": 1}
    payload["entry"][0]["changes"][0]["value"]["user_preferences"] = [{"marketing": "stop"}]
    assert GraphStandIn.notify(wa_server.url, payload, AURORA.app_secret).json()["messages"] == 1
    assert [m["body"] for m in ana.detail(conversation_of(ana, wa_id)["id"])["messages"]] == ["Oi"]


def test_malformed_entries_answer_200_skip_the_bad_items_and_write_no_half(
    wa_server: ServerProcess, ana: ApiUser
) -> None:
    good = new_wa_id()
    payload = messages_payload(AURORA.phone_number_id, good, "Ok", text("Certo"))
    value = payload["entry"][0]["changes"][0]["value"]
    bad_sender = new_wa_id()
    value["messages"] += [
        {"from": bad_sender, "id": "wamid.nobody", "type": "text"},  # a text without its text
        {"id": "wamid.nofrom", "type": "text", "text": {"body": "sem remetente"}},
        {"from": "not a number", "id": "wamid.badfrom", "type": "text", "text": {"body": "x"}},
        "not an object",
    ]
    payload["entry"] += [
        {"id": "1", "changes": [{"field": "messages", "value": {"messages": []}}]},  # no metadata
        {"id": "2"},
        "junk",
    ]
    answer = GraphStandIn.notify(wa_server.url, payload, AURORA.app_secret)
    assert answer.status_code == 200
    assert answer.json() == {"messages": 1, "statuses": 0, "skipped": 7}
    assert [m["body"] for m in ana.detail(conversation_of(ana, good)["id"])["messages"]] == [
        "Certo"
    ]
    # the bad message's patient was not created without its message
    assert not [c for c in ana.conversations() if c["patient_phone"] == "+" + bad_sender]
    for junk in (b"not json", b"[]", b'{"entry": 5}'):
        import hashlib
        import hmac

        signature = (
            "sha256=" + hmac.new(AURORA.app_secret.encode(), junk, hashlib.sha256).hexdigest()
        )
        answer = GraphStandIn.notify(wa_server.url, None, None, raw=junk, signature=signature)
        assert answer.status_code == 200 and answer.json()["messages"] == 0
    # nothing of the patients reached the log, only where and what was wrong
    log = wa_server.text()
    assert "skipped entry[0].changes[0].value.messages[1]" in log
    assert "sem remetente" not in log and "Certo" not in log and bad_sender not in log


def test_options_names_the_webhooks_methods(wa_server: ServerProcess) -> None:
    answer = httpx.options(f"{wa_server.url}/api/whatsapp/webhook", timeout=10)
    assert answer.status_code == 204
    assert {m.strip() for m in answer.headers["allow"].split(",")} == {"GET", "POST", "OPTIONS"}
