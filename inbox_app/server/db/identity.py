"""The database's identity: a random id written once, when the schema is created.

Whatever is kept outside the database about its rows (the Redis cache) is bound to this id
(``Cache(namespace=...)``), so a server pointed at another database, or at this one after
a restore from a backup, never serves or patches a value stored for different rows: the
same demo ids in two databases are two keys in Redis. A restore that must not reuse what
Redis holds for the database it replaces takes a new identity: :func:`renew`, or
``DELETE FROM database_identity`` before the server starts (a new one is written then).

The table lives on its own ``MetaData`` and creates itself, so it needs nothing from the
schema's other tables or their migrations.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.exc import IntegrityError

from inbox_app.server.db.database import Database

_metadata = MetaData()
identity = Table(
    "database_identity", _metadata,
    Column("id", Integer, primary_key=True),  # always 1: one row
    Column("identity", String(64), nullable=False),
)


async def ensure(db: Database) -> str:
    """This database's identity, written first if it has none (idempotent, and safe when
    several instances start at once: the first insert wins)."""
    async with db.write() as conn:
        await conn.run_sync(_metadata.create_all)
    async with db.read() as conn:
        found = (await conn.execute(select(identity.c.identity))).scalar_one_or_none()
    if found is not None:
        return str(found)
    try:
        async with db.write() as conn:
            await conn.execute(identity.insert().values(id=1, identity=uuid.uuid4().hex))
    except IntegrityError:
        pass  # another instance wrote it first
    async with db.read() as conn:
        return str((await conn.execute(select(identity.c.identity))).scalar_one())


async def renew(db: Database) -> str:
    """Gives this database a new identity (after a restore): what Redis holds for the old
    one is never used again (it expires by its TTL)."""
    await ensure(db)
    fresh = uuid.uuid4().hex
    async with db.write() as conn:
        await conn.execute(update(identity).where(identity.c.id == 1).values(identity=fresh))
    return fresh


def cache_namespace(ident: str) -> str:
    """The prefix of every Redis key of the cache of the database ``ident``."""
    return f"db:{ident}:"
