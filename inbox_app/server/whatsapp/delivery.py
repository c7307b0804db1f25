"""Changes of a reply's delivery, each through the one write pipeline (``Writer.run``): the
new state commits with its ``message.delivery`` event, the conversation's cached detail is
dropped and loaded back, and the event reaches every window.

A state only moves forward (:data:`~inbox_app.contract.models.DELIVERY_RANK`): WhatsApp's
statuses arrive out of order and repeated, and a ``delivered`` after a ``read`` changes
nothing and announces nothing. The one way back is the receptionist's "try again" on a
failed reply (:func:`resend`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, case, delete, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.contract.errors import ErrorCode
from inbox_app.contract.events import EventType
from inbox_app.contract.models import DELIVERY_RANK, DeliveryState, Direction
from inbox_app.contract.policy import detail_key
from inbox_app.server.auth import AuthUser
from inbox_app.server.db import store
from inbox_app.server.db.schema import conversations, messages, whatsapp_outbox
from inbox_app.server.db.writes import Change, Outcome
from inbox_app.server.http.errors import ApiError, not_found
from inbox_app.server.whatsapp import outbound
from inbox_app.server.whatsapp.outbound import Job

log = logging.getLogger(__name__)


def _rank(column: ColumnElement[str]) -> ColumnElement[int]:
    return case(
        {state.value: rank for state, rank in DELIVERY_RANK.items()}, value=column, else_=-1
    )


def _changed(clinic_id: int, row: RowMapping | None) -> Outcome:
    """The outcome of a delivery update that answered ``row`` (``None``: nothing moved)."""
    if row is None:
        return Outcome(200, b"null", clinic_id)
    message = store.to_message(row)
    return Outcome(
        200,
        store.to_json(message),
        clinic_id,
        EventType.MESSAGE_DELIVERY,
        message.conversation_id,
        message.model_dump(mode="json"),
        [detail_key(message.conversation_id)],
    )


def _forward(
    state: DeliveryState, *, code: int | None = None, title: str | None = None, **extra: object
) -> dict[str, object]:
    return {
        "delivery": state.value,
        "delivery_error_code": code,
        "delivery_error_title": title,
        "delivery_updated_at": datetime.now(UTC),
        **extra,
    }


def _of_clinic(clinic_id: int) -> ColumnElement[bool]:
    return messages.c.conversation_id.in_(
        select(conversations.c.id).where(conversations.c.clinic_id == clinic_id)
    )


def status(
    clinic_id: int, wamid: str, state: DeliveryState, code: int | None, title: str | None
) -> Change:
    """WhatsApp reported ``state`` for the reply ``wamid`` of ``clinic_id``."""

    async def change(conn: AsyncConnection) -> Outcome:
        failed = state is DeliveryState.FAILED
        row = (
            (
                await conn.execute(
                    update(messages)
                    .where(
                        messages.c.wamid == wamid,
                        _of_clinic(clinic_id),
                        _rank(messages.c.delivery) < DELIVERY_RANK[state],
                    )
                    .values(
                        **_forward(
                            state, code=code if failed else None, title=title if failed else None
                        )
                    )
                    .returning(*messages.c)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            log.debug("whatsapp: a %s status moved nothing (unknown, or not newer)", state.value)
        return _changed(clinic_id, row)

    return change


def sent(job: Job, wamid: str) -> Change:
    """The Graph API took ``job``'s reply as ``wamid``: one tick, and out of the queue."""

    async def change(conn: AsyncConnection) -> Outcome:
        ours = (
            await conn.execute(
                delete(whatsapp_outbox)
                .where(
                    whatsapp_outbox.c.id == job.id,
                    whatsapp_outbox.c.claim == job.claim,
                )
                .returning(whatsapp_outbox.c.id)
            )
        ).first()
        if ours is None:
            log.warning("whatsapp: reply %s was sent after its lease ran out", job.message_id)
        row = (
            (
                await conn.execute(
                    update(messages)
                    .where(messages.c.id == job.message_id, messages.c.wamid.is_(None))
                    .values(wamid=wamid, **_sent_if_newer())
                    .returning(*messages.c)
                )
            )
            .mappings()
            .first()
        )
        return _changed(job.clinic_id, row)

    return change


def _sent_if_newer() -> dict[str, object]:
    newer = _rank(messages.c.delivery) < DELIVERY_RANK[DeliveryState.SENT]
    return {
        "delivery": case((newer, DeliveryState.SENT.value), else_=messages.c.delivery),
        "delivery_updated_at": datetime.now(UTC),
    }


def failed(job: Job, code: int | None, title: str) -> Change:
    """``job``'s reply cannot be sent: a red mark with ``title``; it stays until resent."""

    async def change(conn: AsyncConnection) -> Outcome:
        ours = (
            await conn.execute(
                update(whatsapp_outbox)
                .where(
                    whatsapp_outbox.c.id == job.id,
                    whatsapp_outbox.c.claim == job.claim,
                )
                .values(state=outbound.FAILED, lease_until=None, claim=None, last_error=title[:300])
            )
        ).rowcount
        if not ours:
            return _changed(job.clinic_id, None)  # another worker holds it now
        row = (
            (
                await conn.execute(
                    update(messages)
                    .where(messages.c.id == job.message_id)
                    .values(**_forward(DeliveryState.FAILED, code=code, title=title[:300]))
                    .returning(*messages.c)
                )
            )
            .mappings()
            .first()
        )
        return _changed(job.clinic_id, row)

    return change


def resend(user: AuthUser, conversation_id: int, message_id: int) -> Change:
    """The receptionist's "try again" on a failed reply: queued again (the window applies
    as to a new reply); a reply that has not failed is answered as it is."""

    async def change(conn: AsyncConnection) -> Outcome:
        row = (
            (
                await conn.execute(
                    select(messages, conversations.c.clinic_id.label("clinic_id"))
                    .join(conversations, conversations.c.id == messages.c.conversation_id)
                    .where(
                        messages.c.id == message_id,
                        messages.c.conversation_id == conversation_id,
                        conversations.c.clinic_id == user.clinic_id,
                    )
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise not_found("message", message_id)
        if row["direction"] != Direction.OUTBOUND.value or row["delivery"] is None:
            raise ApiError(
                ErrorCode.CONFLICT,
                "this message is not delivered by a channel",
                {"reason": "not_delivered_by_a_channel"},
            )
        if row["delivery"] != DeliveryState.FAILED.value:
            return Outcome(200, store.to_json(store.to_message(row)), user.clinic_id)
        conversation = (
            await conn.execute(
                select(conversations.c.channel).where(conversations.c.id == conversation_id)
            )
        ).scalar_one()
        now = datetime.now(UTC)
        if conversation == outbound.WHATSAPP:
            await outbound.check_window(conn, conversation_id, now)
        await conn.execute(update(messages).where(messages.c.id == message_id).values(wamid=None))
        await outbound.enqueue(conn, message_id, user.clinic_id, now)
        fresh = (
            (await conn.execute(select(messages).where(messages.c.id == message_id)))
            .mappings()
            .one()
        )
        return _changed(user.clinic_id, fresh)

    return change
