"""inbox_app/server/db/migrations/versions/0003_whatsapp.py on SQLite and PostgreSQL: a
database at revision 0002 with rows upgrades to 0003 with every message intact (no delivery),
the wamid is unique, and the revision downgrades and upgrades again."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from inbox_app.server.db import schema_version
from inbox_app.server.db.database import Database
from tests.server.db.test_migrations import load_release_0


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}"
    return request.getfixturevalue("postgres_url")


async def _messages(db: Database) -> list[tuple[Any, ...]]:
    async with db.engine.connect() as conn:
        return [
            tuple(row)
            for row in await conn.execute(
                text(
                    "SELECT id, conversation_id, direction, body, author_id, sent_at FROM messages "
                    "ORDER BY id"
                )
            )
        ]


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


def test_0002_upgrades_to_0003_keeping_every_message_and_back(url: str) -> None:
    load_release_0(url)

    async def check() -> None:
        db = Database(url)
        try:
            await schema_version._alembic(db, "stamp", "0001")
            await schema_version._alembic(db, "upgrade", "0002")
            before = await _messages(db)
            assert len(before) == 273
            await schema_version._alembic(db, "upgrade", "0003")
            assert await _messages(db) == before
            async with db.engine.connect() as conn:
                nulls = (
                    await conn.execute(
                        text(
                            "SELECT count(*) FROM messages WHERE wamid IS NULL AND delivery IS NULL"
                        )
                    )
                ).scalar_one()
            assert nulls == 273
            assert {"whatsapp_channels", "whatsapp_outbox"} <= await _tables(db)
            async with db.engine.begin() as conn:
                await conn.execute(text("UPDATE messages SET wamid = 'wamid.A' WHERE id = 1"))
            with pytest.raises(IntegrityError):
                async with db.engine.begin() as conn:
                    await conn.execute(text("UPDATE messages SET wamid = 'wamid.A' WHERE id = 2"))
            await schema_version._alembic(db, "downgrade", "0002")
            assert not {"whatsapp_channels", "whatsapp_outbox"} & await _tables(db)
            assert await _messages(db) == before
            await schema_version._alembic(db, "upgrade", "head")
            assert (await schema_version.state(db)).ready
        finally:
            await db.close()

    asyncio.run(check())
