"""inbox_app/server/whatsapp/outbound.py's claims on SQLite and PostgreSQL: many workers
(each with its own engine, as separate server instances have) claiming one queue at once
never take a reply twice, a held reply is free again only after its lease, and a worker
whose lease was taken over can no longer put the reply back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import messages, whatsapp_outbox
from inbox_app.server.whatsapp import outbound
from tests.support import SqliteTemplates

WORKERS = 8


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_templates: SqliteTemplates) -> str:
    if request.param == "sqlite":
        return sqlite_templates.copy("small", tmp_path / "inbox.db")
    return request.getfixturevalue("postgres_demo_url")


async def _queue(db: Database, count: int) -> list[int]:
    """Queues ``count`` of the demo's replies; their message ids."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        ids = list(
            (
                await conn.execute(
                    select(messages.c.id)
                    .where(messages.c.direction == "outbound")
                    .order_by(messages.c.id)
                    .limit(count)
                )
            ).scalars()
        )
        await conn.execute(
            insert(whatsapp_outbox),
            [
                {
                    "message_id": i,
                    "clinic_id": 1,
                    "state": "queued",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for i in ids
            ],
        )
    assert len(ids) == count
    return ids


async def test_workers_claiming_at_once_never_take_one_reply_twice(url: str) -> None:
    dbs = [Database(url) for _ in range(WORKERS)]
    try:
        queued = await _queue(dbs[0], 40)  # the small demo holds some 50 replies
        start = asyncio.Event()
        ready: list[Database] = []

        async def unclaimed(db: Database) -> int:
            async with db.read() as conn:
                return len(
                    (
                        await conn.execute(
                            select(whatsapp_outbox.c.id).where(whatsapp_outbox.c.claim.is_(None))
                        )
                    ).all()
                )

        async def worker(db: Database) -> list[int]:
            taken: list[int] = []
            await unclaimed(db)  # every worker connected before the race starts
            ready.append(db)
            if len(ready) == WORKERS:
                start.set()
            await start.wait()
            while True:
                jobs = await outbound.claim(db, lease_seconds=60, limit=3)
                assert len(jobs) <= 3
                taken += [job.message_id for job in jobs]
                if not jobs and not await unclaimed(db):
                    return taken

        runs = [asyncio.create_task(worker(db)) for db in dbs]
        taken = await asyncio.gather(*runs)
    finally:
        for db in dbs:
            await db.close()
    every = [message for run in taken for message in run]
    assert sorted(every) == sorted(queued)  # each exactly once
    assert sum(1 for run in taken if run) > 1  # and the workers shared them


async def test_a_lease_keeps_a_reply_until_it_ends_and_the_old_holder_loses_it(url: str) -> None:
    db = Database(url)
    try:
        [message_id] = await _queue(db, 1)
        [first] = await outbound.claim(db, lease_seconds=60, limit=5)
        assert first.message_id == message_id and first.attempts == 1
        assert await outbound.claim(db, lease_seconds=60, limit=5) == []
        # the holder died: its lease ran out
        async with db.write() as conn:
            await conn.execute(
                update(whatsapp_outbox).values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
            )
        [second] = await outbound.claim(db, lease_seconds=60, limit=5)
        assert second.message_id == message_id and second.attempts == 2
        assert second.claim != first.claim
        assert not await outbound.later(db, first, 0, "late")  # no longer the holder's
        assert await outbound.later(db, second, 3600, "try later")
        assert await outbound.claim(db, lease_seconds=60, limit=5) == []  # not due yet
        assert 3500 < await outbound.seconds_to_next(db, 10**6) <= 3600
    finally:
        await db.close()
