"""The actions the UI calls on the facade (:class:`~inbox_app.client.inbox.InboxClient`).

Each action is shown at once (pending), saved in the outbox first, sent in order per
conversation, and returns its mutation id; its outcome arrives as a
:class:`~inbox_app.client.views.Change`. The rules are the engine's
(:class:`~inbox_app.client.actions.engine.MutationEngine`); this is the facade's face of it.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from inbox_app.client.actions.engine import MutationEngine
from inbox_app.client.actions.record import ActionKind, Mutation
from inbox_app.contract.models import Priority, TextRequest


class Actions:
    """Mark read and unread, archive and unarchive, priority, note and reply; retry,
    discard and the pending list. Mixed into the facade, which sets :attr:`engine`."""

    engine: MutationEngine

    def mark_read(self, conversation_id: int) -> str:
        """Marks the conversation read; returns the mutation id."""
        return self._submit(ActionKind.MARK_READ, conversation_id)

    def mark_unread(self, conversation_id: int) -> str:
        """Marks the conversation unread; returns the mutation id."""
        return self._submit(ActionKind.MARK_UNREAD, conversation_id)

    def archive(self, conversation_id: int) -> str:
        """Archives the conversation; returns the mutation id."""
        return self._submit(ActionKind.ARCHIVE, conversation_id)

    def unarchive(self, conversation_id: int) -> str:
        """Moves the conversation back to the open ones; returns the mutation id."""
        return self._submit(ActionKind.UNARCHIVE, conversation_id)

    def set_priority(self, conversation_id: int, priority: Priority | str) -> str:
        """Sets the priority; returns the mutation id. Raises ValueError for a priority that
        does not exist."""
        return self._submit(
            ActionKind.SET_PRIORITY, conversation_id, {"priority": Priority(priority).value}
        )

    def add_note(self, conversation_id: int, body: str) -> str:
        """Adds an internal note; returns the mutation id. Raises ValueError for an empty or
        too long text (nothing is queued then)."""
        return self._submit(ActionKind.ADD_NOTE, conversation_id, {"body": _text(body)})

    def reply(self, conversation_id: int, body: str) -> str:
        """Replies to the patient; returns the mutation id. Raises ValueError for an empty or
        too long text (nothing is queued then)."""
        return self._submit(ActionKind.REPLY, conversation_id, {"body": _text(body)})

    def resend_reply(self, conversation_id: int, message_id: int) -> str:
        """Sends again a reply whose delivery failed (WhatsApp's red mark, "try again");
        returns the mutation id. The message shows as queued until the server says more."""
        if not isinstance(message_id, int) or message_id < 1:
            raise ValueError(f"not a message id: {message_id!r}")
        return self._submit(
            ActionKind.RESEND_REPLY, conversation_id, {"message_id": message_id}
        )

    def retry(self, mutation_id: str) -> None:
        """Sends a failed note or reply again (same id, so never applied twice)."""
        self.engine.retry(mutation_id)

    def discard(self, mutation_id: str) -> None:
        """Drops a failed or not yet sent action; its row is re-derived without it."""
        self.engine.discard(mutation_id)

    def pending_count(self) -> int:
        """Actions queued or being sent (failed ones not counted)."""
        return self.engine.pending_count()

    def pending(self) -> list[Mutation]:
        """Copies of the pending and failed actions, oldest first."""
        return [m.copy() for m in self.engine.pending]

    async def drained(self) -> None:
        """Waits until no action is queued or sending."""
        await self.engine.drained()

    def _submit(
        self, kind: ActionKind, conversation_id: int, args: dict[str, Any] | None = None
    ) -> str:
        if not isinstance(conversation_id, int) or conversation_id < 1:
            raise ValueError(f"not a conversation id: {conversation_id!r}")
        return self.engine.submit(kind, conversation_id, args).id


def _text(body: str) -> str:
    try:
        return TextRequest(body=body).body
    except ValidationError as exc:
        raise ValueError("the text must have 1 to 4,000 characters") from exc
