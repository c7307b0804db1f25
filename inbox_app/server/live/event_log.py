"""The live-event log in the database: per-clinic seq and the bounded replay window.

:func:`append` runs inside the write's transaction, as its last statement: the
``UPDATE clinic_seq … RETURNING seq`` row lock is held until commit, so two writers of one
clinic (even in two processes on one PostgreSQL) get consecutive seqs in commit order and
never see each other's uncommitted number.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.server.db.schema import clinic_seq, events


async def append(
    conn: AsyncConnection,
    *,
    clinic_id: int,
    type_: EventType,
    conversation_id: int | None,
    data: dict[str, Any] | None,
    invalidate: list[str],
    log_size: int,
) -> LiveEvent:
    """Numbers and stores one event; keeps the clinic's last ``log_size`` events (and up to
    :func:`prune_every` more, pruned in batches)."""
    seq = (await conn.execute(
        update(clinic_seq).where(clinic_seq.c.clinic_id == clinic_id)
        .values(seq=clinic_seq.c.seq + 1).returning(clinic_seq.c.seq)
    )).scalar_one_or_none()
    if seq is None:  # a clinic created without its seq row (seeding always adds one)
        await conn.execute(insert(clinic_seq).values(clinic_id=clinic_id, seq=1))
        seq = 1
    event = LiveEvent(
        seq=seq, type=type_, clinic_id=clinic_id, conversation_id=conversation_id,
        data=data, invalidate=invalidate,
    )
    await conn.execute(insert(events).values(
        clinic_id=clinic_id, seq=seq, payload=event.model_dump_json(),
        created_at=datetime.now(UTC),
    ))
    if seq > log_size and seq % prune_every(log_size) == 0:
        await conn.execute(delete(events).where(
            events.c.clinic_id == clinic_id, events.c.seq <= seq - log_size
        ))
    return event


def prune_every(log_size: int) -> int:
    """Writes between two prunes of a clinic's log: a tenth of its size. Pruning on every
    write past the size would add a DELETE to each of them for one row; in batches the log
    holds from ``log_size`` to ``log_size + prune_every - 1`` events, never fewer."""
    return max(1, log_size // 10)


async def current_seq(conn: AsyncConnection, clinic_id: int) -> int:
    """The clinic's last committed seq (0 before any event)."""
    value = (await conn.execute(
        select(clinic_seq.c.seq).where(clinic_seq.c.clinic_id == clinic_id)
    )).scalar_one_or_none()
    return value or 0


async def all_seqs(conn: AsyncConnection) -> dict[int, int]:
    rows = (await conn.execute(select(clinic_seq.c.clinic_id, clinic_seq.c.seq))).all()
    return {clinic: seq for clinic, seq in rows}


async def since(
    conn: AsyncConnection, clinic_id: int, after: int, upto: int | None = None
) -> list[LiveEvent] | None:
    """Events with ``after < seq (<= upto)``, in order; ``None`` if the log lost some."""
    last = await current_seq(conn, clinic_id) if upto is None else upto
    if after >= last:
        return []
    rows = (await conn.execute(
        select(events.c.seq, events.c.payload).where(
            events.c.clinic_id == clinic_id, events.c.seq > after, events.c.seq <= last
        ).order_by(events.c.seq)
    )).all()
    if len(rows) != last - after or (rows and rows[0][0] != after + 1):
        return None
    return [LiveEvent.model_validate_json(payload) for _seq, payload in rows]
