"""Writes: every change goes DB commit -> cache invalidation -> event publish.

One pipeline (:meth:`Writer.run`) for every mutation: it replays an ``Idempotency-Key``'s
stored answer, applies the change and appends the live event in one transaction, then drops
exactly the cache keys the event names, then publishes the event. The order matters: a reader
that misses the cache after the delete loads the committed row, and a client that receives the
event and refetches finds the new state.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.contract.models import (
    ConversationSummary,
    Direction,
    InboundRequest,
    Message,
    Note,
    Priority,
    Status,
    preview,
)
from inbox_app.contract.policy import detail_key, keys_for_conversation_change
from inbox_app.server import event_log, idempotency, store, warming
from inbox_app.server.auth import AuthUser
from inbox_app.server.bus import Bus
from inbox_app.server.cache import Cache
from inbox_app.server.database import Database
from inbox_app.server.errors import not_found
from inbox_app.server.patching import Delta
from inbox_app.server.schema import MAX_ID, clinics, conversations, messages, notes, patients

log = logging.getLogger(__name__)

@dataclass(slots=True)
class Outcome:
    """What a change produced: the answer, and the event to log (none for a no-op)."""

    status: int
    body: bytes
    clinic_id: int
    event_type: EventType | None = None
    conversation_id: int | None = None
    data: dict[str, Any] | None = None
    invalidate: list[str] = field(default_factory=list)
    #: what changed, to patch the cached values in place instead of loading them back
    delta: Delta | None = None


Change = Callable[[AsyncConnection], Awaitable[Outcome]]


class Writer:
    """Runs changes through the one write pipeline."""

    def __init__(self, db: Database, cache: Cache, bus: Bus, event_log_size: int) -> None:
        self.db = db
        self.cache = cache
        self.bus = bus
        self.log_size = event_log_size

    async def run(
        self, change: Change, *, user_id: int | None = None, key: str | None = None,
        print_: str = "",
    ) -> tuple[int, bytes]:
        """Applies ``change`` once per (user, key); answers (status, JSON bytes)."""
        try:
            return await self._run(change, user_id, key, print_)
        except idempotency.KeyTaken:
            # A concurrent request with this key committed first: answer as it did.
            assert user_id is not None and key is not None
            async with self.db.read() as conn:
                stored = await idempotency.lookup(conn, user_id, key, print_)
            if stored is None:  # pragma: no cover - the holder committed before we raised
                raise
            return stored.status_code, stored.body

    async def _run(
        self, change: Change, user_id: int | None, key: str | None, print_: str
    ) -> tuple[int, bytes]:
        event: LiveEvent | None = None
        async with self.db.write() as conn:
            if key is not None and user_id is not None:
                stored = await idempotency.claim(conn, user_id, key, print_)
                if stored is not None:  # a replay: answer as the first request did
                    return stored.status_code, stored.body
            outcome = await change(conn)
            if outcome.event_type is not None:
                event = await event_log.append(
                    conn, clinic_id=outcome.clinic_id, type_=outcome.event_type,
                    conversation_id=outcome.conversation_id, data=outcome.data,
                    invalidate=outcome.invalidate, log_size=self.log_size,
                )
            if key is not None and user_id is not None:
                await idempotency.store(conn, user_id, key, outcome.status, outcome.body)
        if event is not None:
            # the keys someone had cached are patched with what the write changed; those
            # that cannot be are loaded back (write-through), so the re-reads this event
            # triggers on every client hit Redis either way
            patch = outcome.delta.patch if outcome.delta is not None else None
            cached = await self.cache.invalidate(event.invalidate, patch)
            await self.cache.refresh(warming.reloads(self.db, event, cached))
            await self.bus.publish(event)
        return outcome.status, outcome.body

    # --- conversation changes ------------------------------------------------------------

    def summary_change(
        self, user: AuthUser, conversation_id: int, action: str, arg: Priority | None = None
    ) -> Change:
        """read / unread / archive / unarchive / priority of one conversation."""

        async def change(conn: AsyncConnection) -> Outcome:
            current = await _locked_summary(conn, conversation_id, user.clinic_id)
            values = _new_values(current, action, arg)
            if not values:  # already in that state: answer it, nothing to announce
                return Outcome(200, store.to_json(current), current.clinic_id)
            values.update(version=conversations.c.version + 1, updated_at=datetime.now(UTC))
            # the new row comes back with the update (no second SELECT); the patient's name
            # and phone are the locked row's, which this change does not touch
            row = (await conn.execute(
                update(conversations).where(conversations.c.id == conversation_id)
                .values(**values).returning(*conversations.c)
            )).mappings().one()
            fresh = store.to_summary({**row, "patient_name": current.patient_name,
                                      "patient_phone": current.patient_phone})
            return Outcome(
                200, store.to_json(fresh), fresh.clinic_id, EventType.CONVERSATION_UPDATED,
                conversation_id, fresh.model_dump(mode="json"),
                keys_for_conversation_change(fresh.clinic_id, conversation_id), Delta(fresh),
            )

        return change

    def add_note(self, user: AuthUser, conversation_id: int, body: str) -> Change:
        """An internal note: changes the detail only, not the list."""

        async def change(conn: AsyncConnection) -> Outcome:
            await _locked_summary(conn, conversation_id, user.clinic_id)
            now = datetime.now(UTC)
            note_id = (await conn.execute(
                insert(notes).values(conversation_id=conversation_id, author_id=user.id,
                                     body=body, created_at=now).returning(notes.c.id)
            )).scalar_one()
            note = Note(id=note_id, conversation_id=conversation_id, author_id=user.id,
                        author_name=user.name, body=body, created_at=now)
            return Outcome(
                201, store.to_json(note), user.clinic_id, EventType.NOTE_CREATED,
                conversation_id, note.model_dump(mode="json"), [detail_key(conversation_id)],
                Delta(note=note),
            )

        return change

    def reply(self, user: AuthUser, conversation_id: int, body: str) -> Change:
        """A message to the patient: a new message and a summary change."""

        async def change(conn: AsyncConnection) -> Outcome:
            current = await _locked_summary(conn, conversation_id, user.clinic_id)
            message, row = await _add_message(
                conn, conversation_id, Direction.OUTBOUND, body, user.id, unread_delta=0
            )
            fresh = store.to_summary({**row, "patient_name": current.patient_name,
                                      "patient_phone": current.patient_phone})
            return Outcome(
                201, store.to_json(message), user.clinic_id, EventType.MESSAGE_CREATED,
                conversation_id, message.model_dump(mode="json"),
                keys_for_conversation_change(user.clinic_id, conversation_id),
                Delta(fresh, message),
            )

        return change

    def inbound(self, request: InboundRequest) -> Change:
        """A patient message: finds or creates the patient and the conversation."""

        async def change(conn: AsyncConnection) -> Outcome:
            if request.clinic_id > MAX_ID:  # no such id can exist (and SQLite would overflow)
                raise not_found("clinic", request.clinic_id)
            clinic = request.clinic_id
            now = datetime.now(UTC)
            patient = (await conn.execute(select(patients.c.id, patients.c.name).where(
                patients.c.clinic_id == clinic, patients.c.phone == request.phone
            ))).first()
            patient_id, patient_name = patient if patient is not None else (None, None)
            if patient_id is None:
                # a known patient proves the clinic exists (foreign key); a new one must check
                exists = (await conn.execute(
                    select(clinics.c.id).where(clinics.c.id == clinic)
                )).scalar_one_or_none()
                if exists is None:
                    raise not_found("clinic", request.clinic_id)
                patient_name = request.name or request.phone
                patient_id = (await conn.execute(insert(patients).values(
                    clinic_id=clinic, name=patient_name, phone=request.phone,
                ).returning(patients.c.id))).scalar_one()
            conversation_id = (await conn.execute(
                select(conversations.c.id).where(
                    conversations.c.clinic_id == clinic,
                    conversations.c.patient_id == patient_id,
                    conversations.c.channel == request.channel,
                ).order_by(conversations.c.id.desc()).limit(1)
            )).scalar_one_or_none()
            created = conversation_id is None
            if conversation_id is None:
                conversation_id = (await conn.execute(insert(conversations).values(
                    clinic_id=clinic, patient_id=patient_id, channel=request.channel,
                    status=Status.OPEN.value, priority=Priority.NORMAL.value, unread_count=0,
                    last_message_preview="", last_message_at=None, updated_at=now, version=1,
                ).returning(conversations.c.id))).scalar_one()
            message, row = await _add_message(
                conn, conversation_id, Direction.INBOUND, request.body, None, unread_delta=1
            )
            fresh = store.to_summary({**row, "patient_name": patient_name,
                                      "patient_phone": request.phone})
            keys = keys_for_conversation_change(clinic, conversation_id)
            delta = Delta(fresh, message, created=created)
            if created:
                return Outcome(201, store.to_json(message), clinic,
                               EventType.CONVERSATION_CREATED, conversation_id,
                               fresh.model_dump(mode="json"), keys, delta)
            return Outcome(201, store.to_json(message), clinic, EventType.MESSAGE_CREATED,
                           conversation_id, message.model_dump(mode="json"), keys, delta)

        return change


async def _locked_summary(
    conn: AsyncConnection, conversation_id: int, clinic_id: int
) -> ConversationSummary:
    """The conversation, row-locked until commit (PostgreSQL); 404 if not the user's."""
    row = (await conn.execute(
        store.summary_select().where(conversations.c.id == conversation_id)
        .with_for_update(of=conversations)
    )).mappings().first()
    if row is None or row["clinic_id"] != clinic_id:
        raise not_found("conversation", conversation_id)
    return store.to_summary(row)


def _new_values(
    current: ConversationSummary, action: str, arg: Priority | None
) -> dict[str, Any]:
    """The columns ``action`` changes; empty when it changes nothing."""
    if action == "read":
        return {"unread_count": 0} if current.unread_count else {}
    if action == "unread":
        return {} if current.unread_count else {"unread_count": 1}
    if action == "archive":
        return {} if current.status == Status.ARCHIVED else {"status": Status.ARCHIVED.value}
    if action == "unarchive":
        return {} if current.status == Status.OPEN else {"status": Status.OPEN.value}
    if action == "priority":
        assert arg is not None
        return {} if current.priority == arg else {"priority": arg.value}
    raise ValueError(f"unknown action {action!r}")


async def _add_message(
    conn: AsyncConnection, conversation_id: int, direction: Direction, body: str,
    author_id: int | None, *, unread_delta: int,
) -> tuple[Message, RowMapping]:
    """Adds the message and updates the conversation; the message and the new row."""
    now = datetime.now(UTC)
    message_id = (await conn.execute(insert(messages).values(
        conversation_id=conversation_id, direction=direction.value, body=body,
        author_id=author_id, sent_at=now,
    ).returning(messages.c.id))).scalar_one()
    values: dict[str, Any] = {
        "last_message_preview": preview(body), "last_message_at": now, "updated_at": now,
        "version": conversations.c.version + 1,
        "unread_count": conversations.c.unread_count + unread_delta,
    }
    if direction is Direction.INBOUND:
        values["status"] = Status.OPEN.value  # a patient writing again reopens the chat
    row = (await conn.execute(
        update(conversations).where(conversations.c.id == conversation_id).values(**values)
        .returning(*conversations.c)
    )).mappings().one()
    return Message(id=message_id, conversation_id=conversation_id, direction=direction,
                   body=body, author_id=author_id, sent_at=now), row
