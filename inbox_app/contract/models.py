"""The domain models of the wire contract (ARCHITECTURE.md section 3 and 4).

Pure pydantic v2, no I/O. Both the server (to build answers) and the client (to validate
them) use these classes, so a field that drifts on one side fails the other side's tests.

Answers (``*`` models sent by the server) ignore unknown fields so that an older client keeps
working against a newer server; request bodies (``*Request``) forbid them, so a typo in a
client is a clear 422 instead of a silently ignored field.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

#: The longest note or reply body, in characters.
MAX_TEXT_LENGTH = 4000
#: The most messages a ConversationDetail carries; older ones page with ``before``.
DETAIL_MESSAGE_LIMIT = 100
#: The largest request body the server accepts, in bytes.
MAX_BODY_BYTES = 64 * 1024
#: Length of a summary's ``last_message_preview``, in characters.
PREVIEW_LENGTH = 120

Id = Annotated[int, Field(ge=1)]

#: a character Python's ``str.strip`` keeps (JSON Schema's ``\s`` lacks U+001C-U+001F, U+0085)
_KEPT = "[^\\s\\u001c-\\u001f\\u0085\\u0000]"


def _schema(trimmed: int = 0) -> Any:
    """The OpenAPI pattern of a text field: no NUL (no database stores it; the server says so
    with its own message) and at least ``trimmed`` characters once stripped."""
    if trimmed == 0:
        pattern = "^[^\\u0000]*$"
    elif trimmed == 1:
        pattern = f"^[^\\u0000]*{_KEPT}[^\\u0000]*$"
    else:
        pattern = f"^[^\\u0000]*{_KEPT}[^\\u0000]{{{trimmed - 2},}}{_KEPT}[^\\u0000]*$"
    return Field(json_schema_extra={"pattern": pattern})


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH),
    _schema(1),
]


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Status(StrEnum):
    OPEN = "open"
    ARCHIVED = "archived"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class DeliveryState(StrEnum):
    """Where a reply is on its way to the patient (issue 17), as WhatsApp users know it."""

    #: stored, waiting for the channel (a clock)
    QUEUED = "queued"
    #: the channel took it (one tick)
    SENT = "sent"
    #: on the patient's phone (two ticks)
    DELIVERED = "delivered"
    #: the patient opened it (two blue ticks)
    READ = "read"
    #: the channel could not deliver it (a red mark, the reason, and "try again")
    FAILED = "failed"


#: The order a delivery state only moves forward in: a ``delivered`` that arrives after a
#: ``read`` changes nothing. ``failed`` ranks above ``sent`` (a sent message may still fail)
#: and below ``delivered`` (the channel may report a delivery on another of the patient's
#: devices after a failure: the patient has it).
DELIVERY_RANK: dict[DeliveryState, int] = {
    DeliveryState.QUEUED: 0, DeliveryState.SENT: 1, DeliveryState.FAILED: 2,
    DeliveryState.DELIVERED: 3, DeliveryState.READ: 4,
}


class Answer(BaseModel):
    """Base of every model the server sends: immutable, unknown fields ignored."""

    # hide_input_in_errors: a validation error must not quote patient data into logs.
    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)


class Request(BaseModel):
    """Base of every body the client sends: unknown fields are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class Clinic(Answer):
    id: Id
    name: str


class User(Answer):
    id: Id
    clinic_id: Id
    name: str
    email: str
    role: str


class Patient(Answer):
    id: Id
    clinic_id: Id
    name: str
    phone: str
    birth_date: date | None = None
    insurance: str | None = None
    last_visit_at: datetime | None = None


class ConversationSummary(Answer):
    id: Id
    clinic_id: Id
    patient_id: Id
    patient_name: str
    channel: str
    status: Status
    priority: Priority
    unread_count: Annotated[int, Field(ge=0)]
    last_message_preview: str
    last_message_at: datetime | None = None
    updated_at: datetime
    version: Annotated[int, Field(ge=0)]
    #: The patient's phone, so the inbox can search by phone without loading every patient
    #: (added for the desktop list's search; optional, so older servers still validate).
    patient_phone: str | None = None


class Delivery(Answer):
    """A reply's delivery to the patient through its channel (issue 17)."""

    state: DeliveryState
    #: the channel's error code and title when ``failed`` (e.g. WhatsApp's 131047)
    error_code: int | None = None
    error_title: str | None = None
    #: when the state last changed
    updated_at: datetime | None = None


def _lenient(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A delivery this client cannot read (a state a newer server added) is shown as none
    rather than failing the whole message: delivery is news about a message, not the message."""
    try:
        return handler(value)
    except ValidationError:
        return None


class Message(Answer):
    id: Id
    conversation_id: Id
    direction: Direction
    body: str
    author_id: Id | None = None
    sent_at: datetime
    #: outbound only, when the reply goes out through a channel that reports delivery;
    #: ``None`` otherwise (inbound messages, and every message from an older server)
    delivery: Annotated[Delivery | None, WrapValidator(_lenient)] = None


class Note(Answer):
    id: Id
    conversation_id: Id
    author_id: Id
    author_name: str
    body: str
    created_at: datetime


class ConversationDetail(Answer):
    summary: ConversationSummary
    messages: list[Message]
    notes: list[Note]
    has_more_messages: bool = False


class ConversationList(Answer):
    items: list[ConversationSummary]


class MessagesPage(Answer):
    items: list[Message]
    has_more: bool


class UserSession(Answer):
    user: User
    clinic: Clinic
    expires_at: datetime


class LoginAnswer(Answer):
    token: str
    session: UserSession


class Health(Answer):
    status: str  # "ok" | "degraded"
    db: str  # "up" | "down"
    cache: str  # "up" | "down" | "disabled"
    version: str


# --- request bodies ---------------------------------------------------------------------


class LoginRequest(Request):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320),
                     _schema(3)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024),
                        _schema()]


class PriorityRequest(Request):
    priority: Priority


class TextRequest(Request):
    """The body of a new note or reply: 1 to 4,000 characters once trimmed."""

    body: Text


class InboundRequest(Request):
    """A patient message arriving through the webhook (``POST /api/inbound``).

    The conversation is found by (clinic, patient phone) and created if new; the patient is
    created if the phone is unknown.
    """

    clinic_id: Id
    phone: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40),
                     _schema(3)]
    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), _schema(1)
    ] | None = None
    body: Text
    channel: Annotated[str, StringConstraints(min_length=1, max_length=40),
                       _schema()] = "whatsapp"
    #: the provider's id of this message: two deliveries of the same text differ by it (a
    #: signed delivery is accepted once, see ``server/http/webhook.py``)
    message_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


def preview(body: str, length: int = PREVIEW_LENGTH) -> str:
    """A summary's ``last_message_preview`` of a message body: whitespace folded to single
    spaces, cut to ``length`` with an ellipsis. One rule for the server, which stores it, and
    the client, which shows it for an optimistic reply before the server's copy arrives."""
    flat = " ".join(body.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"
