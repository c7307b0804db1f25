"""Writes: every change goes DB commit -> cache invalidation -> event publish.

One pipeline (:meth:`Writer.run`) for every mutation: it replays an ``Idempotency-Key``'s
stored answer, applies the change and appends the live event in one transaction, then drops
exactly the cache keys the event names (patching or loading back what is read next:
:func:`inbox_app.server.cache.warming.write_through`), then publishes the event. The order
matters: a reader that misses the cache after the delete loads the committed row, and a
client that receives the event and refetches finds the new state.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Update, insert, literal, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.contract.models import (
    Direction,
    InboundRequest,
    Message,
    Note,
    Priority,
    Status,
    preview,
)
from inbox_app.contract.policy import detail_key, keys_for_conversation_change
from inbox_app.server.auth import AuthUser
from inbox_app.server.cache import warming
from inbox_app.server.cache.aside import Cache
from inbox_app.server.cache.patching import Delta
from inbox_app.server.db import idempotency, store
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import (
    MAX_ID,
    UTCDateTime,
    clinics,
    conversations,
    messages,
    notes,
    patients,
)
from inbox_app.server.http.errors import not_found
from inbox_app.server.live import event_log
from inbox_app.server.live.bus import Bus

log = logging.getLogger(__name__)


class ReplyHook(Protocol):
    """What a channel does with a reply inside the reply's own transaction (issue 17: the
    WhatsApp outbound queue, ``server/whatsapp/outbound.py``): it may refuse the reply (an
    ``ApiError``, nothing is written) or queue it and answer the message as sent."""

    async def on_reply(self, conn: AsyncConnection, summary: RowMapping,
                       message: Message) -> Message: ...


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
    #: keys read next whether or not anyone had them cached: in Redis after the write
    #: (write-through; an inbound message's detail, the receptionist's next open)
    load_back: tuple[str, ...] = ()


Change = Callable[[AsyncConnection], Awaitable[Outcome]]


class Writer:
    """Runs changes through the one write pipeline."""

    def __init__(self, db: Database, cache: Cache, bus: Bus, event_log_size: int) -> None:
        self.db = db
        self.cache = cache
        self.bus = bus
        self.log_size = event_log_size
        #: the channel that delivers replies, when one is configured (set at start)
        self.reply_hook: ReplyHook | None = None

    async def run(
        self, change: Change, *, user_id: int | None = None, key: str | None = None,
        print_: str = "",
    ) -> tuple[int, bytes]:
        """Applies ``change`` once per (user, key); answers (status, JSON bytes)."""
        try:
            return await self._run(change, user_id, key, print_)
        except idempotency.KeyTaken:
            # answered before (a resend, or a concurrent twin that committed first): this
            # run was rolled back; answer as the first did (a 422 for another request)
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
            outcome = await change(conn)
            if outcome.event_type is not None:
                event = await event_log.append(
                    conn, clinic_id=outcome.clinic_id, type_=outcome.event_type,
                    conversation_id=outcome.conversation_id, data=outcome.data,
                    invalidate=outcome.invalidate, log_size=self.log_size,
                )
            if key is not None and user_id is not None and not await idempotency.record(
                    conn, user_id, key, print_, status_code=outcome.status, body=outcome.body):
                raise idempotency.KeyTaken(key)  # rolls this run back: it applied before
        if event is not None:
            # the keys someone had cached are patched with what the write changed; those
            # that cannot be are loaded back (write-through), so the re-reads this event
            # triggers on every client hit Redis either way
            patch = outcome.delta.patch if outcome.delta is not None else None
            await warming.write_through(self.cache, self.db, event, patch, outcome.load_back)
            await self.bus.publish(event)
        return outcome.status, outcome.body

    # --- conversation changes ------------------------------------------------------------

    def summary_change(
        self, user: AuthUser, conversation_id: int, action: str, arg: Priority | None = None
    ) -> Change:
        """read / unread / archive / unarchive / priority of one conversation."""

        async def change(conn: AsyncConnection) -> Outcome:
            values, differs = _change_of(action, arg)
            # one statement: the update applies only if the row is the user's clinic's and
            # not already in that state, and answers the new row (row-locked until commit)
            row = (await conn.execute(
                _update_summary(conversation_id, user.clinic_id).where(differs).values(
                    **values, version=conversations.c.version + 1,
                    updated_at=datetime.now(UTC))
            )).mappings().first()
            if row is None:  # already in that state (answer it, nothing to announce), or 404
                current = await store.summary(conn, conversation_id)
                if current is None or current.clinic_id != user.clinic_id:
                    raise not_found("conversation", conversation_id)
                return Outcome(200, store.to_json(current), current.clinic_id)
            fresh = store.to_summary(row)
            return Outcome(
                200, store.to_json(fresh), fresh.clinic_id, EventType.CONVERSATION_UPDATED,
                conversation_id, fresh.model_dump(mode="json"),
                keys_for_conversation_change(fresh.clinic_id, conversation_id), Delta(fresh),
            )

        return change

    def add_note(self, user: AuthUser, conversation_id: int, body: str) -> Change:
        """An internal note: changes the detail only, not the list."""

        async def change(conn: AsyncConnection) -> Outcome:
            now = datetime.now(UTC)
            # one statement: the note is inserted only if the conversation is the user's
            # clinic's (nothing else of the conversation changes, so no row lock is needed:
            # the clinic's seq orders the events)
            owned = select(
                conversations.c.id, literal(user.id), literal(body),
                literal(now, UTCDateTime()),
            ).where(conversations.c.id == conversation_id,
                    conversations.c.clinic_id == user.clinic_id)
            note_id = (await conn.execute(
                insert(notes).from_select(
                    ["conversation_id", "author_id", "body", "created_at"], owned,
                ).returning(notes.c.id)
            )).scalar_one_or_none()
            if note_id is None:
                raise not_found("conversation", conversation_id)
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
            added = await _add_message(
                conn, conversation_id, Direction.OUTBOUND, body, user.id, unread_delta=0,
                clinic_id=user.clinic_id,
            )
            if added is None:
                raise not_found("conversation", conversation_id)
            message, row = added
            if self.reply_hook is not None:
                message = await self.reply_hook.on_reply(conn, row, message)
            fresh = store.to_summary(row)
            return Outcome(
                201, store.to_json(message), user.clinic_id, EventType.MESSAGE_CREATED,
                conversation_id, message.model_dump(mode="json"),
                keys_for_conversation_change(user.clinic_id, conversation_id),
                Delta(fresh, message),
            )

        return change

    def inbound(self, request: InboundRequest, *, wamid: str | None = None) -> Change:
        """A patient message: finds or creates the patient and the conversation. Its
        conversation's detail is in Redis after the write (patched, built whole for a new
        conversation, or loaded): a receptionist opens it next.

        ``wamid``: the WhatsApp message id (issue 17); a message already stored with it is
        answered (200) and nothing changes, so a repeated notification adds nothing."""

        async def change(conn: AsyncConnection) -> Outcome:
            if request.clinic_id > MAX_ID:  # no such id can exist (and SQLite would overflow)
                raise not_found("clinic", request.clinic_id)
            clinic = request.clinic_id
            if wamid is not None:
                seen = (await conn.execute(
                    select(messages).where(messages.c.wamid == wamid))).mappings().first()
                if seen is not None:
                    return Outcome(200, store.to_json(store.to_message(seen)), clinic)
            # the usual case, a patient writing again in a conversation the clinic has: the
            # update finds it by phone and channel itself (two statements, not four)
            known = conversations.alias("known")
            latest = select(known.c.id).select_from(
                known.join(patients, patients.c.id == known.c.patient_id)
            ).where(
                patients.c.clinic_id == clinic, patients.c.phone == request.phone,
                known.c.clinic_id == clinic, known.c.channel == request.channel,
            ).order_by(known.c.id.desc()).limit(1).scalar_subquery()
            added = await _add_message(
                conn, latest, Direction.INBOUND, request.body, None, unread_delta=1,
                wamid=wamid)
            if added is not None:
                message, row = added
                fresh = store.to_summary(row)
                return Outcome(201, store.to_json(message), clinic, EventType.MESSAGE_CREATED,
                               fresh.id, message.model_dump(mode="json"),
                               keys_for_conversation_change(clinic, fresh.id),
                               Delta(fresh, message), (detail_key(fresh.id),))
            now = datetime.now(UTC)
            patient_id = (await conn.execute(select(patients.c.id).where(
                patients.c.clinic_id == clinic, patients.c.phone == request.phone
            ))).scalar_one_or_none()
            if patient_id is None:
                # a known patient proves the clinic exists (foreign key); a new one must check
                exists = (await conn.execute(
                    select(clinics.c.id).where(clinics.c.id == clinic)
                )).scalar_one_or_none()
                if exists is None:
                    raise not_found("clinic", request.clinic_id)
                patient_id = (await conn.execute(insert(patients).values(
                    clinic_id=clinic, name=request.name or request.phone, phone=request.phone,
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
            added = await _add_message(
                conn, conversation_id, Direction.INBOUND, request.body, None, unread_delta=1,
                wamid=wamid,
            )
            assert added is not None  # found or created above, in this transaction
            message, row = added
            fresh = store.to_summary(row)
            keys = keys_for_conversation_change(clinic, conversation_id)
            delta = Delta(fresh, message, created=created)
            read_next = (detail_key(conversation_id),)
            if created:
                return Outcome(201, store.to_json(message), clinic,
                               EventType.CONVERSATION_CREATED, conversation_id,
                               fresh.model_dump(mode="json"), keys, delta, read_next)
            return Outcome(201, store.to_json(message), clinic, EventType.MESSAGE_CREATED,
                           conversation_id, message.model_dump(mode="json"), keys, delta,
                           read_next)

        return change


def _change_of(action: str, arg: Priority | None) -> tuple[dict[str, Any], ColumnElement[bool]]:
    """The columns ``action`` sets, and the condition under which that changes anything."""
    c = conversations.c
    if action == "read":
        return {"unread_count": 0}, c.unread_count > 0
    if action == "unread":
        return {"unread_count": 1}, c.unread_count == 0
    if action == "archive":
        return {"status": Status.ARCHIVED.value}, c.status != Status.ARCHIVED.value
    if action == "unarchive":
        return {"status": Status.OPEN.value}, c.status != Status.OPEN.value
    if action == "priority":
        assert arg is not None
        return {"priority": arg.value}, c.priority != arg.value
    raise ValueError(f"unknown action {action!r}")


async def _add_message(
    conn: AsyncConnection, conversation: int | ColumnElement[int], direction: Direction,
    body: str, author_id: int | None, *, unread_delta: int, clinic_id: int | None = None,
    wamid: str | None = None,
) -> tuple[Message, RowMapping] | None:
    """Updates the conversation (its id, or a subquery finding it; only if it is
    ``clinic_id``'s, when given), then adds the message; the message and the conversation's
    new summary row, or ``None`` (nothing written) when no such conversation exists."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "last_message_preview": preview(body), "last_message_at": now, "updated_at": now,
        "version": conversations.c.version + 1,
        "unread_count": conversations.c.unread_count + unread_delta,
    }
    if direction is Direction.INBOUND:
        values["status"] = Status.OPEN.value  # a patient writing again reopens the chat
    row = (await conn.execute(
        _update_summary(conversation, clinic_id).values(**values)
    )).mappings().first()
    if row is None:
        return None
    message_id = (await conn.execute(insert(messages).values(
        conversation_id=row["id"], direction=direction.value, body=body,
        author_id=author_id, sent_at=now, wamid=wamid,
    ).returning(messages.c.id))).scalar_one()
    return Message(id=message_id, conversation_id=row["id"], direction=direction,
                   body=body, author_id=author_id, sent_at=now), row


def _update_summary(conversation: int | ColumnElement[int], clinic_id: int | None) -> Update:
    """``UPDATE conversations`` of one conversation (only if ``clinic_id``'s, when given)
    answering its whole summary row: the patient's name and phone come along as
    subqueries, so the new ConversationSummary costs no second statement."""
    stmt = update(conversations).where(conversations.c.id == conversation)
    if clinic_id is not None:
        stmt = stmt.where(conversations.c.clinic_id == clinic_id)
    # correlated on patient_id, which the patients table does not have: SQLite's RETURNING
    # names columns unqualified, and the name must still resolve to the updated row
    of_patient = patients.c.id == conversations.c.patient_id
    return stmt.returning(
        *conversations.c,
        select(patients.c.name).where(of_patient).scalar_subquery().label("patient_name"),
        select(patients.c.phone).where(of_patient).scalar_subquery().label("patient_phone"),
    )
