"""Reads: rows to contract models to JSON bytes, ready for the cache and the wire.

Every loader answers ``(owner clinic_id, JSON bytes)`` or ``None`` for a missing id, the
shape :meth:`Cache.get_or_load` expects, so the route can check the clinic before it
answers without decoding anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.contract.models import (
    DETAIL_MESSAGE_LIMIT,
    Clinic,
    ConversationDetail,
    ConversationList,
    ConversationSummary,
    Delivery,
    Message,
    MessagesPage,
    Note,
    Patient,
    Status,
    User,
)
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import clinics, conversations, messages, notes, patients, users

Loaded = tuple[int, bytes] | None
#: one of the ``load_*`` functions below: ``(connection, id, *scope)`` -> :data:`Loaded`
Read = Callable[..., Awaitable[Loaded]]


def loader(db: Database, read: Read, *args: int | None) -> Callable[[], Awaitable[Loaded]]:
    """``read(conn, *args)`` on a read connection of ``db``, as :meth:`Cache.get_or_load`
    takes it: the one place a cache loader is built (routes, fast path, warming)."""

    async def load() -> Loaded:
        async with db.read() as conn:
            return await read(conn, *args)

    return load


def to_json(model: BaseModel) -> bytes:
    """The model's JSON bytes, as sent on the wire."""
    return model.__pydantic_serializer__.to_json(model)


def summary_select() -> Select[Any]:
    """Conversation columns plus the patient's name, as a ConversationSummary needs."""
    return select(
        conversations,
        patients.c.name.label("patient_name"),
        patients.c.phone.label("patient_phone"),
    ).select_from(conversations.join(patients, patients.c.id == conversations.c.patient_id))


def to_summary(row: RowMapping) -> ConversationSummary:
    return ConversationSummary(
        id=row["id"],
        clinic_id=row["clinic_id"],
        patient_id=row["patient_id"],
        patient_name=row["patient_name"],
        channel=row["channel"],
        status=row["status"],
        priority=row["priority"],
        unread_count=row["unread_count"],
        last_message_preview=row["last_message_preview"],
        last_message_at=row["last_message_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        patient_phone=row["patient_phone"],
    )


def to_message(row: RowMapping) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        direction=row["direction"],
        body=row["body"],
        author_id=row["author_id"],
        sent_at=row["sent_at"],
        delivery=to_delivery(row),
    )


def to_delivery(row: RowMapping) -> Delivery | None:
    """A message row's delivery (issue 17), or ``None`` for one no channel delivers."""
    if row.get("delivery") is None:
        return None
    return Delivery(
        state=row["delivery"],
        error_code=row["delivery_error_code"],
        error_title=row["delivery_error_title"],
        updated_at=row["delivery_updated_at"],
    )


def to_note(row: RowMapping) -> Note:
    return Note(
        id=row["id"],
        conversation_id=row["conversation_id"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        body=row["body"],
        created_at=row["created_at"],
    )


def note_select() -> Select[Any]:
    return select(notes, users.c.name.label("author_name")).select_from(
        notes.join(users, users.c.id == notes.c.author_id)
    )


async def summary(conn: AsyncConnection, conversation_id: int) -> ConversationSummary | None:
    row = (
        (await conn.execute(summary_select().where(conversations.c.id == conversation_id)))
        .mappings()
        .first()
    )
    return None if row is None else to_summary(row)


async def load_list(conn: AsyncConnection, clinic_id: int) -> Loaded:
    """Every conversation of the clinic, the most recent message first.

    One query for a clinic with conversations: only an empty list asks whether the clinic
    exists (a missing clinic is ``None``, an empty one an empty list)."""
    rows = (
        (
            await conn.execute(
                summary_select()
                .where(conversations.c.clinic_id == clinic_id)
                .order_by(
                    conversations.c.last_message_at.desc().nulls_last(), conversations.c.id.desc()
                )
            )
        )
        .mappings()
        .all()
    )
    if not rows:
        exists = (await conn.execute(select(clinics.c.id).where(clinics.c.id == clinic_id))).first()
        if exists is None:
            return None
    return clinic_id, to_json(ConversationList(items=[to_summary(r) for r in rows]))


async def load_detail(
    conn: AsyncConnection, conversation_id: int, clinic_id: int | None = None
) -> Loaded:
    """The summary, the latest messages (oldest first) and every note; with ``clinic_id``,
    ``None`` unless the conversation is that clinic's.

    Two queries: the summary rides along with the latest messages (one outer join, so a
    conversation without messages still gives its row), then the notes. Another clinic's
    conversation costs what a missing one does: the same first query, no rows (issue 16)."""
    where = conversations.c.id == conversation_id
    if clinic_id is not None:
        where = where & (conversations.c.clinic_id == clinic_id)
    rows = (
        (
            await conn.execute(
                select(
                    conversations,
                    patients.c.name.label("patient_name"),
                    patients.c.phone.label("patient_phone"),
                    *(column.label(f"message_{column.name}") for column in messages.c),
                )
                .select_from(
                    conversations.join(
                        patients, patients.c.id == conversations.c.patient_id
                    ).outerjoin(messages, messages.c.conversation_id == conversations.c.id)
                )
                .where(where)
                .order_by(messages.c.id.desc())
                .limit(DETAIL_MESSAGE_LIMIT + 1)
            )
        )
        .mappings()
        .all()
    )
    if not rows:
        return None
    head = to_summary(rows[0])
    latest = [
        {column.name: row[f"message_{column.name}"] for column in messages.c}
        for row in rows
        if row["message_id"] is not None
    ]
    note_rows = (
        (
            await conn.execute(
                note_select().where(notes.c.conversation_id == conversation_id).order_by(notes.c.id)
            )
        )
        .mappings()
        .all()
    )
    detail = ConversationDetail(
        summary=head,
        messages=[to_message(r) for r in reversed(latest[:DETAIL_MESSAGE_LIMIT])],
        notes=[to_note(r) for r in note_rows],
        has_more_messages=len(latest) > DETAIL_MESSAGE_LIMIT,
    )
    return head.clinic_id, to_json(detail)


async def load_patient(
    conn: AsyncConnection, patient_id: int, clinic_id: int | None = None
) -> Loaded:
    """One patient; with ``clinic_id``, ``None`` unless the patient is that clinic's (the
    same query either way)."""
    where = patients.c.id == patient_id
    if clinic_id is not None:
        where = where & (patients.c.clinic_id == clinic_id)
    row = (await conn.execute(select(patients).where(where))).mappings().first()
    if row is None:
        return None
    patient = Patient(
        id=row["id"],
        clinic_id=row["clinic_id"],
        name=row["name"],
        phone=row["phone"],
        birth_date=row["birth_date"],
        insurance=row["insurance"],
        last_visit_at=row["last_visit_at"],
    )
    return row["clinic_id"], to_json(patient)


async def load_session(conn: AsyncConnection, user_id: int) -> Loaded:
    """``{"user", "clinic"}`` of a user: the cacheable part of a UserSession.

    ``expires_at`` belongs to the token, not the user, so the route adds it per request.
    """
    row = (
        (
            await conn.execute(
                select(users, clinics.c.name.label("clinic_name"))
                .select_from(users.join(clinics, clinics.c.id == users.c.clinic_id))
                .where(users.c.id == user_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    user = User(
        id=row["id"],
        clinic_id=row["clinic_id"],
        name=row["name"],
        email=row["email"],
        role=row["role"],
    )
    clinic = Clinic(id=row["clinic_id"], name=row["clinic_name"])
    body = orjson.dumps(
        {"user": user.model_dump(mode="json"), "clinic": clinic.model_dump(mode="json")}
    )
    return row["clinic_id"], body


async def messages_page(
    conn: AsyncConnection, conversation_id: int, before: int | None, limit: int
) -> MessagesPage:
    """Up to ``limit`` messages older than message id ``before`` (oldest first)."""
    query = select(messages).where(messages.c.conversation_id == conversation_id)
    if before is not None:
        query = query.where(messages.c.id < before)
    rows = (
        (await conn.execute(query.order_by(messages.c.id.desc()).limit(limit + 1))).mappings().all()
    )
    return MessagesPage(
        items=[to_message(r) for r in reversed(rows[:limit])], has_more=len(rows) > limit
    )


async def unread_conversations(
    conn: AsyncConnection, clinic_id: int, limit: int
) -> list[tuple[int, int]]:
    """``(conversation id, patient id)`` of up to ``limit`` of the clinic's open conversations
    with unread messages, the latest message first: the order of the list, so the ones on
    top of the receptionist's screen, and the ones the desktop client prefetches."""
    rows = (
        await conn.execute(
            select(conversations.c.id, conversations.c.patient_id)
            .where(
                conversations.c.clinic_id == clinic_id,
                conversations.c.unread_count > 0,
                conversations.c.status == Status.OPEN.value,
            )
            .order_by(
                conversations.c.last_message_at.desc().nulls_last(), conversations.c.id.desc()
            )
            .limit(limit)
        )
    ).all()
    return [(row[0], row[1]) for row in rows]


async def conversation_clinic(conn: AsyncConnection, conversation_id: int) -> int | None:
    return (
        await conn.execute(
            select(conversations.c.clinic_id).where(conversations.c.id == conversation_id)
        )
    ).scalar_one_or_none()
