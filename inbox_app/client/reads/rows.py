"""What the user sees, derived from memory: rows, details, and confirmed notes and replies.

:class:`Rows` turns the decoded values the cache holds into the views the UI shows, with the
pending actions on top (one derivation, so a row and its conversation's header cannot
disagree), without I/O. It also patches a confirmed note or reply into the held detail, so
it never blinks out between the confirmation and the re-read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from inbox_app.client.actions.engine import Answer, MutationEngine
from inbox_app.client.actions.record import ActionKind, Mutation
from inbox_app.client.reads.cache import LocalCache
from inbox_app.client.views import ConversationView, DetailView
from inbox_app.contract.models import (
    ConversationDetail,
    ConversationSummary,
    Delivery,
    DeliveryState,
    Message,
    Note,
)
from inbox_app.contract.policy import detail_key, list_key


class Rows:
    """Views of one clinic's conversations, from the decoded values held in memory."""

    def __init__(
        self,
        cache: LocalCache,
        engine: MutationEngine,
        *,
        clinic_id: int,
        want: Callable[[Iterable[str]], None],
    ) -> None:
        """``want`` re-reads keys in the background (the sync's refresher)."""
        self.cache = cache
        self.engine = engine
        self.clinic_id = clinic_id
        self._want = want
        # (the decoded inbox it was built from, id -> summary): rebuilt once per new list
        self._index: tuple[object, dict[int, ConversationSummary]] = (None, {})

    def forget(self) -> None:
        """Drops the row index (the idle lock keeps nothing decoded)."""
        self._index = (None, {})

    def row(self, conversation_id: int) -> ConversationView | None:
        """One row as the user sees it now (O(1)); None when the inbox was not read yet or
        does not hold the conversation."""
        entry = self.cache.peek(list_key(self.clinic_id))
        summary = None
        if entry is not None:
            if self._index[0] is not entry.value:
                self._index = (entry.value, {s.id: s for s in entry.value.items})
            summary = self._index[1].get(conversation_id)
        if summary is None:
            return None
        return self.engine.view(summary)

    def summary_only(self, conversation_id: int) -> DetailView | None:
        """A conversation whose messages are not on this computer: its row and its queued
        notes and replies, no messages; None when the inbox does not hold it either."""
        row = self.row(conversation_id)
        if row is None:
            return None
        return DetailView(
            summary=row.summary,
            messages=[],
            notes=[],
            pending_items=self.engine.pending_items(conversation_id),
            has_more_messages=True,
            pending=row.pending,
            failed=row.failed,
        )

    def detail(self, detail: ConversationDetail) -> DetailView:
        """A loaded conversation with its pending actions, notes and replies on top."""
        row = self.engine.view(detail.summary)
        return DetailView(
            summary=row.summary,
            messages=self._resending(detail.messages),
            notes=detail.notes,
            pending_items=self.engine.pending_items(detail.summary.id),
            has_more_messages=detail.has_more_messages,
            pending=row.pending,
            failed=row.failed,
        )

    def _resending(self, messages: list[Message]) -> list[Message]:
        """The messages, a failed reply being sent again shown as queued (optimistic)."""
        again = {
            m.args["message_id"]
            for m in self.engine.pending
            if m.kind is ActionKind.RESEND_REPLY and m.state != "failed"
        }
        if not again:
            return messages
        return [
            m.model_copy(update={"delivery": Delivery(state=DeliveryState.QUEUED)})
            if m.id in again and m.delivery is not None
            else m
            for m in messages
        ]

    def confirmed(self, mutation: Mutation, answer: Answer) -> None:
        """Patches the held detail with a confirmed note or reply, so it never blinks; the
        detail is then re-read (the server's copy is newer)."""
        if isinstance(answer, ConversationSummary):
            return
        key = detail_key(mutation.conversation_id)
        entry = self.cache.peek(key)
        if entry is None:
            return
        detail: ConversationDetail = entry.value
        if isinstance(answer, Note) and all(n.id != answer.id for n in detail.notes):
            detail = detail.model_copy(update={"notes": [*detail.notes, answer]})
        elif isinstance(answer, Message) and all(m.id != answer.id for m in detail.messages):
            detail = detail.model_copy(update={"messages": [*detail.messages, answer]})
        elif (
            mutation.kind is ActionKind.RESEND_REPLY
            and isinstance(answer, Message)
            and answer not in detail.messages
        ):
            # a resent reply: its new delivery replaces the failed one in place (a new reply
            # already shown is left alone: the live events may have moved it further)
            detail = detail.model_copy(
                update={"messages": [answer if m.id == answer.id else m for m in detail.messages]}
            )
        else:
            return
        patched = self.cache.put_memory(key, detail, fetched_at=entry.fetched_at)
        patched.invalidated = True
        self._want([key])
