"""What the UI reads from the client core: snapshots, views and "what changed" events.

Plain frozen dataclasses over the contract models, so the UI never parses JSON and never
computes freshness: everything it shows (stale, age, pending, failed) is already here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Generic, Literal, TypeVar

from inbox_app.contract.models import ConversationSummary, Message, Note

T = TypeVar("T")


class ConnectionState(StrEnum):
    """The live connection as the status bar shows it."""

    ONLINE = "online"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class Snapshot(Generic[T]):
    """A value as read from memory, disk or the network.

    ``stale``: older than the kind's TTL (or invalidated); a background revalidation was
    started when online. ``offline``: the server could not be reached for this read.
    """

    value: T
    stale: bool
    fetched_at: datetime
    offline: bool = False

    @property
    def age(self) -> timedelta:
        """How old the data is (now - fetched_at)."""
        return datetime.now(UTC) - self.fetched_at


@dataclass(frozen=True, slots=True)
class ConversationView:
    """A conversation row as the user sees it: the server's summary with pending actions on top.

    ``pending``: some action on it is not confirmed yet. ``failed``: a note or reply of it
    failed and waits for Retry or Discard.
    """

    summary: ConversationSummary
    pending: bool = False
    failed: bool = False

    @property
    def id(self) -> int:
        return self.summary.id


PendingState = Literal["queued", "sending", "failed"]


@dataclass(frozen=True, slots=True)
class PendingItem:
    """An optimistic note or reply shown in the conversation before the server has it."""

    mutation_id: str
    kind: Literal["note", "reply"]
    body: str
    created_at: datetime
    state: PendingState
    error: str | None = None
    #: the server's reason code for ``error`` (``RejectedError.reason``), when it gave one
    error_code: str | None = None


@dataclass(frozen=True, slots=True)
class DetailView:
    """An open conversation: summary (pending actions applied), messages, notes, pending items."""

    summary: ConversationSummary
    messages: list[Message]
    notes: list[Note]
    pending_items: list[PendingItem] = field(default_factory=list)
    has_more_messages: bool = False
    pending: bool = False
    failed: bool = False


ChangeCause = Literal[
    "pending", "confirmed", "rolled_back", "failed", "server_update", "invalidated",
    "connection", "resync",
]


@dataclass(frozen=True, slots=True)
class Change:
    """One "what changed" event, whatever the cause; views refresh from it.

    ``conversation_ids`` is empty for changes that are not about conversations (connection).
    ``action`` is the mutation kind ("archive", "add_note", ...) for mutation causes;
    ``reason`` is the server's message for a rejection or the last error of a failure.
    ``patient_wrote`` is the preview of a patient's new message, on the live change of its
    conversation (the event says so: a reply of the clinic, a note or a mark never sets it).
    ``reason_code`` lets the window say a known refusal in its own words (the 24-hour window
    of WhatsApp).
    """

    cause: ChangeCause
    conversation_ids: frozenset[int] = frozenset()
    mutation_id: str | None = None
    action: str | None = None
    reason: str | None = None
    patient_wrote: str | None = None
    #: the server's reason code of a rejection (``RejectedError.reason``), when it gave one
    reason_code: str | None = None
