"""Live events over ``WS /api/live`` (ARCHITECTURE.md section 6).

The client speaks first with :class:`Hello`; the server answers with :class:`LiveEvent`
frames. Every event carries the exact cache keys the server dropped, so the client drops the
same ones: one invalidation mechanism for both cache layers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: WebSocket close code for a missing, invalid or expired token.
CLOSE_UNAUTHORIZED = 4401
#: WebSocket close code for a frame that breaks the protocol (not JSON, not a hello).
CLOSE_PROTOCOL = 4400
#: WebSocket close code when a token already holds the most live sockets the server allows.
CLOSE_TOO_MANY_SOCKETS = 4409
#: WebSocket close code when one socket sent more hellos (replays) per minute than allowed.
CLOSE_TOO_MANY_REPLAYS = 4429


class EventType(StrEnum):
    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_UPDATED = "conversation.updated"
    MESSAGE_CREATED = "message.created"
    NOTE_CREATED = "note.created"
    #: a reply's delivery changed (sent, delivered, read, failed): ``data`` is the whole
    #: Message with its new ``delivery``. Clients that do not know this type skip the frame
    #: (issue 17: tests/contract/test_compatibility.py).
    MESSAGE_DELIVERY = "message.delivery"
    RESYNC = "resync"
    #: the replay after ``hello`` is complete (or a resync was sent instead): what came before
    #: is everything the client missed. Not logged, not numbered: ``seq`` is the clinic's
    #: current seq, and the client's own sequence does not move by it.
    READY = "ready"


class Hello(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    type: Literal["hello"]
    since: int = Field(default=0, ge=0)


class LiveEvent(BaseModel):
    """One server-to-client event. ``seq`` grows by one per clinic.

    ``data`` is the new state the event is about (a ConversationSummary, a Message or a Note,
    as JSON) or ``None`` for ``resync``.
    """

    # hide_input_in_errors: a stray frame is logged with its error, never with its patient data
    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    seq: int = Field(ge=0)
    type: EventType
    clinic_id: int
    conversation_id: int | None = None
    data: dict[str, Any] | None = None
    invalidate: list[str] = Field(default_factory=list)
