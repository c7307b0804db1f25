"""Optimistic actions: the durable record of one user action and its pure ``apply``.

What the user sees is the server's last summary with every pending action re-applied in
order through :func:`apply` (ARCHITECTURE.md section 7). ``apply`` never mutates its input
and never does I/O, so re-deriving a view after a rollback is a fold over the pending list.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from inbox_app.client.views import PendingState
from inbox_app.contract.models import ConversationSummary, Priority, Status, preview


class ActionKind(StrEnum):
    MARK_READ = "mark_read"
    MARK_UNREAD = "mark_unread"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    SET_PRIORITY = "set_priority"
    ADD_NOTE = "add_note"
    REPLY = "reply"
    #: a reply whose delivery failed, sent through its channel again (issue 17)
    RESEND_REPLY = "resend_reply"


#: Actions whose text the user typed: never dropped silently (failed, then Retry/Discard).
TEXT_KINDS = frozenset({ActionKind.ADD_NOTE, ActionKind.REPLY})


@dataclass(slots=True)
class Mutation:
    """One user action until the server confirms it. ``id`` is also the Idempotency-Key."""

    kind: ActionKind
    conversation_id: int
    args: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    attempts: int = 0
    state: PendingState = "queued"
    error: str | None = None
    seq: int = 0  # order of submission, kept across restarts by the outbox
    #: the server's reason code for ``error`` (``RejectedError.reason``), if any
    error_code: str | None = None

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready outbox record."""
        return {
            "id": self.id, "kind": self.kind.value, "conversation_id": self.conversation_id,
            "args": self.args, "created_at": self.created_at.isoformat(),
            "attempts": self.attempts, "state": self.state, "error": self.error,
            "seq": self.seq, "error_code": self.error_code,
        }

    @classmethod
    def from_record(cls, record: Any) -> Mutation:
        """Reads an outbox record; raises ValueError for one that does not fit."""
        if not isinstance(record, dict):
            raise ValueError("outbox record is not an object")
        try:
            conversation_id = record["conversation_id"]
            if not isinstance(conversation_id, int) or conversation_id < 1:
                raise ValueError("bad conversation_id")
            args = record.get("args") or {}
            if not isinstance(args, dict):
                raise ValueError("bad args")
            kind = ActionKind(record["kind"])
            if kind is ActionKind.SET_PRIORITY:
                Priority(args["priority"])
            if kind in TEXT_KINDS and not (isinstance(args.get("body"), str) and args["body"]):
                raise ValueError("a note or reply without its text")
            if kind is ActionKind.RESEND_REPLY and not (
                    isinstance(args.get("message_id"), int) and args["message_id"] >= 1):
                raise ValueError("a resend without its message id")
            state = record.get("state", "queued")
            created_at = datetime.fromisoformat(record["created_at"])
            if created_at.tzinfo is None:  # naive and aware times do not compare: the outbox
                created_at = created_at.replace(tzinfo=UTC)  # sorts by it, so one fits all
            error = record.get("error")
            error_code = record.get("error_code")  # absent in records of older versions
            return cls(
                kind=kind, conversation_id=conversation_id, args=args,
                id=str(uuid.UUID(str(record["id"]))),
                created_at=created_at,
                attempts=int(record.get("attempts", 0)),
                # "sending" at a crash means "maybe sent": resend, the Idempotency-Key
                # makes that safe.
                state="failed" if state == "failed" else "queued",
                error=error if error is None else str(error), seq=int(record.get("seq", 0)),
                error_code=error_code if isinstance(error_code, str) else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"outbox record does not fit: {exc}") from exc

    def copy(self) -> Mutation:
        return replace(self, args=dict(self.args))


def apply(mutation: Mutation, summary: ConversationSummary) -> ConversationSummary:
    """The summary as it will be once ``mutation`` is applied (pure, same type back)."""
    kind = mutation.kind
    if kind is ActionKind.MARK_READ:
        changes: dict[str, Any] = {"unread_count": 0}
    elif kind is ActionKind.MARK_UNREAD:
        changes = {"unread_count": max(summary.unread_count, 1)}
    elif kind is ActionKind.ARCHIVE:
        changes = {"status": Status.ARCHIVED}
    elif kind is ActionKind.UNARCHIVE:
        changes = {"status": Status.OPEN}
    elif kind is ActionKind.SET_PRIORITY:
        changes = {"priority": Priority(mutation.args["priority"])}
    elif kind is ActionKind.REPLY:
        # The row previews the reply with the server's rule (exact once confirmed).
        changes = {"last_message_preview": preview(mutation.args["body"]),
                   "last_message_at": mutation.created_at}
    else:  # a note is internal, a resend changes a message: the row does not change
        return summary
    return summary.model_copy(update=changes)


def apply_all(mutations: Iterable[Mutation], summary: ConversationSummary) -> ConversationSummary:
    """Folds every active (not failed) mutation over ``summary``, in order."""
    for mutation in mutations:
        if mutation.state != "failed":
            summary = apply(mutation, summary)
    return summary
