"""The live-event log keeps at least its size and prunes in batches (event_log.append)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from inbox_app.contract.events import EventType
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import clinic_seq, clinics, events
from inbox_app.server.live import event_log


async def test_the_log_keeps_its_size_and_prunes_once_per_batch(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'log.db'}")
    await db.create_schema()
    size = 30
    batch = event_log.prune_every(size)
    assert 1 < batch < size
    try:
        async with db.write() as conn:
            await conn.execute(clinics.insert().values(id=1, name="Aurora"))
            await conn.execute(clinic_seq.insert().values(clinic_id=1, seq=0))
        held, deletes = [], 0
        for _ in range(size + 3 * batch):
            before = db.write_queries
            async with db.write() as conn:
                event = await event_log.append(
                    conn, clinic_id=1, type_=EventType.NOTE_CREATED, conversation_id=1,
                    data=None, invalidate=[], log_size=size)
            deletes += db.write_queries - before - 2  # the seq and the insert, plus a prune
            async with db.read() as conn:
                held.append((await conn.execute(
                    select(func.count()).select_from(events))).scalar_one())
                if event.seq >= size:  # the last `size` events can always be replayed
                    replay = await event_log.since(conn, 1, event.seq - size)
                    assert replay is not None and len(replay) == size
        assert max(held) == size + batch - 1  # never more than a batch over its size
        assert min(held[size:]) == size  # never fewer than its size once full
        assert deletes == 3  # one prune per batch, not one per write
    finally:
        await db.close()
