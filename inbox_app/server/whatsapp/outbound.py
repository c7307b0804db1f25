"""Replies on their way out: the 24-hour window, the durable queue and its claims.

A reply to a WhatsApp conversation of a clinic with a channel is checked against the
customer-service window and queued in the reply's own transaction (:class:`Outbound`, the
writer's reply hook): it commits with the message or not at all. Delivery workers take
queued replies with a lease (:func:`claim`): one ``UPDATE … WHERE state = 'queued' AND the
lease has expired … RETURNING``, its rows picked with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL (SQLite has one writer at a time), so of several instances exactly one holds a
reply at a time. A worker that dies holding one leaves it to another after the lease.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, case, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.contract.errors import WHATSAPP_WINDOW_CLOSED, ErrorCode
from inbox_app.contract.models import Delivery, DeliveryState, Direction, Message
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import (
    conversations,
    messages,
    patients,
    whatsapp_channels,
    whatsapp_outbox,
)
from inbox_app.server.http.errors import ApiError
from inbox_app.server.whatsapp import channels
from inbox_app.server.whatsapp.channels import Channel

#: WhatsApp's customer-service window: a free-form message may follow the patient's last
#: message by at most this long (later, only an approved template may be sent)
WINDOW = timedelta(hours=24)
#: the channel name of WhatsApp conversations
WHATSAPP = "whatsapp"
QUEUED, FAILED = "queued", "failed"

_outbox = whatsapp_outbox.c


class Outbound:
    """The writer's reply hook: the window, then the queue, in the reply's transaction.

    ``simulated`` (the demo): every reply is queued, whether or not its clinic has a
    channel; the window still applies to WhatsApp conversations."""

    def __init__(self, *, simulated: bool = False) -> None:
        self.simulated = simulated

    async def on_reply(
        self, conn: AsyncConnection, summary: RowMapping, message: Message
    ) -> Message:
        whatsapp = summary["channel"] == WHATSAPP
        if not self.simulated:
            if not whatsapp:
                return message
            configured = (
                await conn.execute(
                    select(whatsapp_channels.c.clinic_id).where(
                        whatsapp_channels.c.clinic_id == summary["clinic_id"]
                    )
                )
            ).first()
            if configured is None:
                return message
        now = datetime.now(UTC)
        if whatsapp:
            await check_window(conn, summary["id"], now)
        await enqueue(conn, message.id, summary["clinic_id"], now)
        return message.model_copy(
            update={"delivery": Delivery(state=DeliveryState.QUEUED, updated_at=now)}
        )


async def last_inbound_at(conn: AsyncConnection, conversation_id: int) -> datetime | None:
    return (
        await conn.execute(
            select(func.max(messages.c.sent_at)).where(
                messages.c.conversation_id == conversation_id,
                messages.c.direction == Direction.INBOUND.value,
            )
        )
    ).scalar_one_or_none()


async def check_window(conn: AsyncConnection, conversation_id: int, now: datetime) -> None:
    """Raises a 409 ``conflict`` (reason ``whatsapp_window_closed``) when the patient's last
    message is more than 24 hours old: WhatsApp would refuse the text (error 131047)."""
    last = await last_inbound_at(conn, conversation_id)
    if last is not None and now - last <= WINDOW:
        return
    raise ApiError(
        ErrorCode.CONFLICT,
        "WhatsApp takes a free-form reply only within 24 hours of the patient's last "
        "message, and this patient last wrote more than 24 hours ago; the reply was not "
        "sent (message templates are not supported yet)",
        {
            "reason": WHATSAPP_WINDOW_CLOSED,
            "window_hours": int(WINDOW.total_seconds() // 3600),
            "last_inbound_at": last.isoformat() if last is not None else None,
        },
    )


async def enqueue(conn: AsyncConnection, message_id: int, clinic_id: int, now: datetime) -> None:
    """Queues message ``message_id`` (a new reply, or a failed one sent again)."""
    requeued = (
        await conn.execute(
            update(whatsapp_outbox)
            .where(_outbox.message_id == message_id)
            .values(
                state=QUEUED,
                attempts=0,
                next_attempt_at=now,
                lease_until=None,
                claim=None,
                last_error=None,
            )
        )
    ).rowcount
    if not requeued:
        await conn.execute(
            insert(whatsapp_outbox).values(
                message_id=message_id,
                clinic_id=clinic_id,
                state=QUEUED,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    await conn.execute(
        update(messages)
        .where(messages.c.id == message_id)
        .values(
            delivery=DeliveryState.QUEUED.value,
            delivery_error_code=None,
            delivery_error_title=None,
            delivery_updated_at=now,
        )
    )


@dataclass(frozen=True, slots=True)
class Job:
    """One claimed reply: the worker holds it until ``lease_until`` under ``claim``."""

    id: int
    message_id: int
    clinic_id: int
    #: attempts including this one
    attempts: int
    claim: str


@dataclass(frozen=True, slots=True)
class Parcel:
    """What a job sends: the text, the patient's WhatsApp number, the clinic's channel."""

    clinic_id: int
    body: str
    #: digits only, as the Graph API takes it
    to: str
    channel: Channel | None


def _due(now: datetime) -> ColumnElement[bool]:
    return (
        (_outbox.state == QUEUED)
        & (_outbox.next_attempt_at <= now)
        & or_(_outbox.lease_until.is_(None), _outbox.lease_until < now)
    )


async def claim(db: Database, *, lease_seconds: float, limit: int) -> list[Job]:
    """Takes up to ``limit`` due replies for ``lease_seconds``: no other worker, in this
    process or another, can take them meanwhile."""
    now = datetime.now(UTC)
    token = uuid.uuid4().hex
    due = _due(now)
    pick = select(_outbox.id).where(due).order_by(_outbox.id).limit(limit)
    if not db.is_sqlite:
        # locked by the pick itself, once: a plain ``IN (subquery)`` may be run again for
        # each row of a nested loop, and lock (and claim) past the limit
        picked = pick.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED")
        pick = select(picked.c.id)
    async with db.write() as conn:
        rows = (
            await conn.execute(
                # the condition again on the row itself: PostgreSQL re-checks it on a row
                # another transaction changed meanwhile, so a row never goes to two claims
                update(whatsapp_outbox)
                .where(_outbox.id.in_(pick), due)
                .values(
                    lease_until=now + timedelta(seconds=lease_seconds),
                    claim=token,
                    attempts=_outbox.attempts + 1,
                )
                .returning(_outbox.id, _outbox.message_id, _outbox.clinic_id, _outbox.attempts)
            )
        ).all()
    return [Job(row.id, row.message_id, row.clinic_id, row.attempts, token) for row in sorted(rows)]


async def seconds_to_next(db: Database, at_most: float) -> float:
    """Seconds until the next queued reply falls due (its retry time, or its lease's end),
    at most ``at_most``."""
    ready = case(
        (_outbox.lease_until > _outbox.next_attempt_at, _outbox.lease_until),
        else_=_outbox.next_attempt_at,
    )
    async with db.read() as conn:
        first = (
            await conn.execute(
                select(ready).where(_outbox.state == QUEUED).order_by(ready).limit(1)
            )
        ).scalar_one_or_none()
    if first is None:
        return at_most
    if first.tzinfo is None:  # a CASE loses the column type on SQLite: naive UTC
        first = first.replace(tzinfo=UTC)
    return max(0.0, min(at_most, (first - datetime.now(UTC)).total_seconds()))


async def parcel(db: Database, job: Job) -> Parcel | None:
    """What ``job`` sends, or ``None`` when its message is gone."""
    async with db.read() as conn:
        row = (
            await conn.execute(
                select(messages.c.body, patients.c.phone)
                .select_from(
                    messages.join(
                        conversations, conversations.c.id == messages.c.conversation_id
                    ).join(patients, patients.c.id == conversations.c.patient_id)
                )
                .where(messages.c.id == job.message_id)
            )
        ).first()
        if row is None:
            return None
        channel = await channels.for_clinic(conn, job.clinic_id)
    return Parcel(job.clinic_id, row.body, "".join(ch for ch in row.phone if ch.isdigit()), channel)


async def later(db: Database, job: Job, delay: float, error: str) -> bool:
    """Puts ``job`` back in the queue for ``delay`` seconds; whether it was still ours."""
    async with db.write() as conn:
        return bool(
            (
                await conn.execute(
                    update(whatsapp_outbox)
                    .where(_outbox.id == job.id, _outbox.claim == job.claim)
                    .values(
                        next_attempt_at=datetime.now(UTC) + timedelta(seconds=delay),
                        lease_until=None,
                        claim=None,
                        last_error=error[:300],
                    )
                )
            ).rowcount
        )
