"""inbox_app/server/db/idempotency.py on a real SQLite file: keys expire after 24 h."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from inbox_app.server.db import idempotency
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import idempotency as table
from inbox_app.server.http.errors import ApiError


async def test_answers_live_24_hours_then_the_key_is_free(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'keys.db'}")
    await db.create_schema()
    try:
        async with db.write() as conn:
            assert await idempotency.record(conn, 1, "k", "print-a", status_code=201,
                                            body=b'{"id":1}')
        async with db.write() as conn:  # a resend: the key is taken, the answer kept
            assert not await idempotency.record(conn, 1, "k", "print-a", status_code=200,
                                                body=b'{"id":2}')
        async with db.read() as conn:
            stored = await idempotency.lookup(conn, 1, "k", "print-a")
            assert stored == idempotency.StoredAnswer(201, b'{"id":1}')
            assert await idempotency.lookup(conn, 2, "k", "print-a") is None  # per user
            with pytest.raises(ApiError) as reused:
                await idempotency.lookup(conn, 1, "k", "print-b")
            assert reused.value.status == 422
        async with db.write() as conn:  # a day and a bit later
            await conn.execute(update(table).values(
                created_at=datetime.now(UTC) - idempotency.KEEP - timedelta(minutes=1)))
        async with db.read() as conn:
            assert await idempotency.lookup(conn, 1, "k", "print-b") is None
        async with db.write() as conn:  # the expired row does not block a new answer
            assert await idempotency.record(conn, 1, "k", "print-b", status_code=200, body=b"{}")
            assert (await idempotency.lookup(conn, 1, "k", "print-b")).body == b"{}"
            await conn.execute(update(table).where(table.c.key == "k").values(
                created_at=datetime.now(UTC) - idempotency.KEEP - timedelta(minutes=1)))
            assert await idempotency.purge(conn) == 1
        async with db.read() as conn:
            assert (await conn.execute(select(table))).all() == []
    finally:
        await db.close()


@pytest.mark.parametrize("key", ["", "a" * 201, "with space", "acentuação"])
def test_malformed_keys(key: str) -> None:
    with pytest.raises(ApiError):
        idempotency.check_key(key)


def test_good_keys() -> None:
    assert idempotency.check_key(None) is None
    assert idempotency.check_key("3f2b9c1e-0d4a-4b8e-9a57-1c2d3e4f5a6b") is not None
