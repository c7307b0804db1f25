"""Meta's webhook notifications read into what the inbox stores: patient messages and the
delivery statuses of replies.

The payload (``object: whatsapp_business_account``, ``entry[].changes[].value``) is read
one item at a time, so one malformed message or status is skipped and logged (by where it
was and what was wrong with it, never by its content) while the rest go through. Unknown
fields are ignored everywhere; an unknown message type is kept as a placeholder, so nothing
a patient sends is dropped without a trace in the conversation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inbox_app.contract.models import MAX_TEXT_LENGTH, DeliveryState

log = logging.getLogger(__name__)

#: What a message that is not text shows in the conversation (pt_BR: the receptionists'
#: language; the body is stored, like the patient's own words).
PLACEHOLDERS: dict[str, str] = {
    "image": "[imagem]",
    "audio": "[áudio]",
    "video": "[vídeo]",
    "document": "[documento]",
    "location": "[localização]",
    "contacts": "[contato]",
    "sticker": "[figurinha]",
    "reaction": "[reação]",
    "interactive": "[resposta]",
    "button": "[resposta]",
    "order": "[pedido]",
    "system": "[aviso do WhatsApp]",
    "unsupported": "[mensagem não suportada]",
}
#: A message type this server does not know yet.
UNKNOWN_TYPE = "[mensagem]"
#: Statuses that move a reply's delivery; others (``deleted``, ``warning``…) are ignored.
STATES = {
    "sent": DeliveryState.SENT,
    "delivered": DeliveryState.DELIVERED,
    "read": DeliveryState.READ,
    "failed": DeliveryState.FAILED,
}


class _Part(BaseModel):
    # a malformed item is logged by its error's location and kind, never its input
    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)


class _Text(_Part):
    body: str


class _Media(_Part):
    caption: str | None = None
    filename: str | None = None


class _Location(_Part):
    name: str | None = None
    address: str | None = None


class _Reaction(_Part):
    emoji: str | None = None


class _Reply(_Part):
    title: str | None = None


class _Interactive(_Part):
    button_reply: _Reply | None = None
    list_reply: _Reply | None = None


class _Button(_Part):
    text: str | None = None


class _Message(_Part):
    sender: str = Field(alias="from", min_length=1, max_length=30, pattern=r"^\+?[0-9]+$")
    id: str = Field(min_length=1, max_length=200)
    type: str = "unsupported"
    text: _Text | None = None
    image: _Media | None = None
    video: _Media | None = None
    document: _Media | None = None
    location: _Location | None = None
    reaction: _Reaction | None = None
    interactive: _Interactive | None = None
    button: _Button | None = None


class _Error(_Part):
    code: int | None = None
    title: str | None = None
    message: str | None = None


class _Status(_Part):
    id: str = Field(min_length=1, max_length=200)
    status: str
    errors: list[_Error] = Field(default_factory=list)


class _Profile(_Part):
    name: str | None = None


class _Contact(_Part):
    wa_id: str | None = None
    profile: _Profile | None = None


class _Metadata(_Part):
    phone_number_id: str = Field(min_length=1, max_length=64)


class _Value(_Part):
    metadata: _Metadata
    contacts: list[Any] = Field(default_factory=list)
    messages: list[Any] = Field(default_factory=list)
    statuses: list[Any] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A patient's message, as the inbound write path takes it."""

    phone_number_id: str
    wamid: str
    #: the patient's WhatsApp number with a leading ``+``
    phone: str
    name: str | None
    body: str


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """A reply's new delivery state, as WhatsApp reports it."""

    phone_number_id: str
    wamid: str
    state: DeliveryState
    error_code: int | None = None
    error_title: str | None = None


@dataclass(slots=True)
class Notification:
    messages: list[IncomingMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    #: items skipped because they do not fit Meta's format (each one logged)
    skipped: int = 0


def body_of(message: _Message) -> str:
    """The stored text: the text itself, or the type's placeholder with what names it."""
    if message.type == "text":
        if message.text is None:
            raise ValueError("a text message without its text")
        body = message.text.body
    else:
        label = PLACEHOLDERS.get(message.type, UNKNOWN_TYPE)
        body = " ".join(part for part in (label, _detail(message)) if part)
    body = body.strip() or PLACEHOLDERS["unsupported"]
    return body if len(body) <= MAX_TEXT_LENGTH else body[: MAX_TEXT_LENGTH - 1] + "…"


def _detail(message: _Message) -> str | None:
    """What a non-text message says beside its type: a caption, a file name, a place, the
    reaction's emoji, the button the patient pressed."""
    media = (
        getattr(message, message.type, None)
        if message.type in {"image", "video", "document"}
        else None
    )
    if isinstance(media, _Media):
        return media.caption or media.filename
    if message.type == "location" and message.location is not None:
        return " — ".join(p for p in (message.location.name, message.location.address) if p)
    if message.type == "reaction" and message.reaction is not None:
        return message.reaction.emoji
    if message.type == "interactive" and message.interactive is not None:
        reply = message.interactive.button_reply or message.interactive.list_reply
        return reply.title if reply is not None else None
    if message.type == "button" and message.button is not None:
        return message.button.text
    return None


def read(payload: Any) -> Notification:
    """Every message and status of ``payload`` that fits Meta's format."""
    found = Notification()
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        log.warning("whatsapp: a notification without entries was ignored")
        found.skipped += 1
        return found
    for e, entry in enumerate(payload["entry"]):
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            _skip(found, f"entry[{e}]", "no changes list")
            continue
        for c, change in enumerate(changes):
            where = f"entry[{e}].changes[{c}]"
            if not isinstance(change, dict) or change.get("field", "messages") != "messages":
                continue  # another webhook field (account updates, templates): not ours
            try:
                value = _Value.model_validate(change.get("value"))
            except ValidationError as exc:
                _skip(found, where, _reason(exc))
                continue
            _read_value(found, where, value)
    return found


def _read_value(found: Notification, where: str, value: _Value) -> None:
    number = value.metadata.phone_number_id
    names: dict[str, str] = {}
    for item in value.contacts:
        try:
            contact = _Contact.model_validate(item)
        except ValidationError:
            continue  # a contact is only a name: the message goes in without it
        if contact.wa_id and contact.profile is not None and contact.profile.name:
            names[contact.wa_id] = contact.profile.name.strip()[:200]
    for m, item in enumerate(value.messages):
        try:
            message = _Message.model_validate(item)
            body = body_of(message)
        except (ValidationError, ValueError) as exc:
            _skip(
                found,
                f"{where}.value.messages[{m}]",
                _reason(exc) if isinstance(exc, ValidationError) else str(exc),
            )
            continue
        digits = message.sender.lstrip("+")
        found.messages.append(
            IncomingMessage(number, message.id, "+" + digits, names.get(digits) or None, body)
        )
    for s, item in enumerate(value.statuses):
        try:
            status = _Status.model_validate(item)
        except ValidationError as exc:
            _skip(found, f"{where}.value.statuses[{s}]", _reason(exc))
            continue
        state = STATES.get(status.status)
        if state is None:
            log.info("whatsapp: status %r is not a delivery change; ignored", status.status[:20])
            continue
        error = status.errors[0] if status.errors else None
        found.statuses.append(
            StatusUpdate(
                number,
                status.id,
                state,
                error.code if error else None,
                ((error.title or error.message or "")[:300] or None) if error else None,
            )
        )


def _skip(found: Notification, where: str, why: str) -> None:
    found.skipped += 1
    log.warning("whatsapp: skipped %s of a notification: %s", where, why)


def _reason(exc: ValidationError) -> str:
    """Where and what, without the input (patient data)."""
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc'])}: {error['type']}"
        for error in exc.errors(include_input=False, include_url=False)[:5]
    )
