"""The database handle: one async engine, read and write connections, schema creation.

SQLite (aiosqlite) is the embedded default and PostgreSQL (asyncpg) the scale-out one; the
same Core queries run on both. On SQLite, writes of this process are serialized by an
asyncio lock: SQLite allows one writer, and a deferred transaction that upgrades to a write
while another writer holds the file fails at once with "database is locked" instead of
waiting. PostgreSQL needs no such lock (the per-clinic seq row lock orders writers).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from typing import Any

from filelock import FileLock
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from inbox_app.server.db.schema import metadata

log = logging.getLogger(__name__)

#: Arbitrary constant for PostgreSQL's advisory lock around schema creation and seeding,
#: so several instances starting at once do not race each other.
_SETUP_LOCK_ID = 7_311_042


class DatabaseUnavailable(Exception):
    """The database cannot be reached (answered as 503 ``unavailable``)."""


def normalize_url(url: str) -> str:
    """Adds the async driver to plain ``sqlite://`` and ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in {"sqlite", "sqlite+pysqlite"}:
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername in {"postgresql", "postgres", "postgresql+psycopg2"}:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


class Database:
    """The engine plus the conventions every query goes through."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        self.is_sqlite = self.dialect == "sqlite"
        # parameters (patient data, token hashes) never reach a log or an error message
        kwargs: dict[str, Any] = {"hide_parameters": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        self.queries = 0
        #: of ``queries``, those run inside :meth:`write` transactions (no cache removes them)
        self.write_queries = 0
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._count_query)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)

    def _count_query(self, conn: Any, *_args: Any) -> None:
        self.queries += 1
        if conn.info.get("writing"):
            self.write_queries += 1

    async def _open(self) -> AsyncConnection:
        """A started connection; a database that cannot be reached is
        :class:`DatabaseUnavailable` (a 503 the client retries), not an internal error."""
        conn = self.engine.connect()
        try:
            await conn.start()
        except (DBAPIError, OSError, TimeoutError) as exc:
            raise DatabaseUnavailable(f"database unavailable: {exc}") from exc
        return conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (its implicit transaction is rolled back at the end)."""
        conn = await self._open()
        try:
            yield conn
        finally:
            await conn.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A transaction committed when the block ends without an exception."""
        async with self._write_lock or nullcontext():
            conn = await self._open()
            info = conn.info
            info["writing"] = True
            try:
                async with conn.begin():
                    yield conn
            finally:
                info.pop("writing", None)
                await conn.close()

    @asynccontextmanager
    async def setup_lock(self) -> AsyncIterator[None]:
        """Held around schema creation, migration and seeding, so that several processes
        starting at once do it once: a PostgreSQL advisory lock, or on SQLite a file lock
        beside the database file."""
        if self.is_sqlite:
            database = make_url(self.url).database
            if not database or database == ":memory:":
                yield
                return
            lock = FileLock(f"{database}.lock", thread_local=False)
            await asyncio.to_thread(lock.acquire)
            try:
                yield
            finally:
                lock.release()
            return
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _SETUP_LOCK_ID})
            await conn.commit()
            try:
                yield
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _SETUP_LOCK_ID})
                await conn.commit()

    async def create_schema(self) -> None:
        """Creates missing tables (idempotent)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

    async def ping(self) -> bool:
        """Whether the database answers ``SELECT 1``."""
        try:
            async with asyncio.timeout(2.0), self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:  # any failure means "down" for /api/health
            log.warning("database ping failed: %s", exc)
            return False

    async def close(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers run while the writer commits; foreign keys are off by default.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
