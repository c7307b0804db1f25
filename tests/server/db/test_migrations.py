"""inbox_app/server/db/schema_version.py and migrations/: the schema's history on SQLite and
PostgreSQL.

The history replays to the schema ``create_all`` makes (why a fresh database may take the
shortcut); a database of release 0 (``release_0/``, dumps made by that release) upgrades with
every row intact; a throw-away revision on top of the head plays a newer release: refused
without ``--migrate``, upgraded with it, refused by the older code afterwards, and migrated
once when several processes start at once.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from inbox_app.server.db import schema_version
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import metadata
from tests.support import ServerProcess, login

HERE = Path(__file__).resolve().parent
RELEASE_0 = HERE / "release_0"
EXTRA = HERE / "extra_revision.py"
#: Tables of release 0 and the columns it had (a later revision may add columns).
RELEASE_0_TABLES = ("clinics", "users", "tokens", "patients", "conversations", "messages",
                    "notes", "clinic_seq", "events", "idempotency")


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}"
    return request.getfixturevalue("postgres_url")


def load_release_0(url: str) -> None:
    """Fills the empty database at ``url`` from the release-0 dump of its backend."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split("///", 1)[1]) as conn:
            conn.executescript((RELEASE_0 / "sqlite.sql").read_text(encoding="utf-8"))
        return
    # pg_dump's psql meta-commands (\restrict) are not SQL
    script = "\n".join(line for line in
                       (RELEASE_0 / "postgres.sql").read_text(encoding="utf-8").splitlines()
                       if not line.startswith("\\"))

    async def run() -> None:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
        try:
            await conn.execute(script)
        finally:
            await conn.close()

    asyncio.run(run())


async def rows(url: str, columns: dict[str, list[str]] | None = None
               ) -> tuple[dict[str, list[str]], dict[str, list[tuple[Any, ...]]]]:
    """Every row of the release-0 tables (their release-0 columns when given)."""
    db = Database(url)
    found: dict[str, list[tuple[Any, ...]]] = {}
    try:
        async with db.engine.connect() as conn:
            names = columns or await conn.run_sync(lambda c: {
                t: [col["name"] for col in inspect(c).get_columns(t)] for t in RELEASE_0_TABLES})
            for table, cols in names.items():
                listed = ", ".join(f'"{c}"' for c in cols)
                result = await conn.execute(text(f'SELECT {listed} FROM "{table}" '
                                                 f"ORDER BY {listed}"))
                found[table] = [tuple(row) for row in result]
    finally:
        await db.close()
    return names, found


def server(*args: str, extra: Path | None = None, env: dict[str, str] | None = None,
           ) -> subprocess.CompletedProcess[str]:
    """``inbox-server ARGS`` (with the throw-away revision folder ``extra``), to its end."""
    prefix = [sys.executable, str(EXTRA), str(extra)] if extra else [
        sys.executable, "-m", "inbox_app.server"]
    return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_the_history_replayed_is_the_schema_create_all_makes(empty_url: str) -> None:
    async def check() -> list[Any]:
        db = Database(empty_url)
        try:
            await schema_version._alembic(db, "upgrade")  # every revision, in order
            async with db.engine.connect() as conn:
                return await conn.run_sync(
                    lambda c: compare_metadata(MigrationContext.configure(c), metadata))
        finally:
            await db.close()

    assert asyncio.run(check()) == []


def test_a_release_0_database_upgrades_with_every_row_intact(empty_url: str) -> None:
    load_release_0(empty_url)
    columns, before = asyncio.run(rows(empty_url))
    assert all(before[t] for t in RELEASE_0_TABLES), "the dump should fill every table"
    assert len(before["messages"]) == 273

    done = server("migrate", "--database-url", empty_url)
    assert done.returncode == 0, done.stderr
    _, after = asyncio.run(rows(empty_url, columns))
    assert after == before

    async def revision() -> str | None:
        db = Database(empty_url)
        try:
            return (await schema_version.state(db)).current
        finally:
            await db.close()

    assert asyncio.run(revision()) == schema_version.head_revision()
    proc = ServerProcess(empty_url, demo_size=None).start()
    try:  # the demo password of release 0 still signs in
        _token, session = login(proc.url, "ana@aurora.example")
        assert session["clinic"]["name"] == "Clínica Aurora"
    finally:
        proc.stop()


@pytest.fixture
def newer_release(tmp_path: Path) -> Iterator[Path]:
    """A folder with a throw-away revision adding ``patients.nickname`` on top of the head."""
    folder = tmp_path / "newer"
    folder.mkdir()
    (folder / "9999_nickname.py").write_text(f'''
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {schema_version.head_revision()!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("nickname")
''', encoding="utf-8")
    yield folder


def columns_of(url: str, table: str) -> list[str]:
    async def run() -> list[str]:
        db = Database(url)
        try:
            async with db.engine.connect() as conn:
                return await conn.run_sync(
                    lambda c: [col["name"] for col in inspect(c).get_columns(table)])
        finally:
            await db.close()

    return asyncio.run(run())


async def prepared(url: str, *, migrate: bool) -> schema_version.SchemaState:
    db = Database(url)
    try:
        return await schema_version.prepare(db, migrate=migrate)
    finally:
        await db.close()


def test_an_older_schema_is_refused_then_upgraded_and_the_older_code_refuses_it(
        empty_url: str, newer_release: Path) -> None:
    head = schema_version.head_revision()
    assert asyncio.run(prepared(empty_url, migrate=False)).action == "created"
    start = ["--database-url", empty_url, "--host", "127.0.0.1", "--port", "0", "--init-only"]

    refused = server(*start, extra=newer_release)
    assert refused.returncode == 2
    assert f"revision {head} and this server needs 9999" in refused.stderr
    assert "inbox-server migrate" in refused.stderr
    assert "nickname" not in columns_of(empty_url, "patients")

    upgraded = server(*start, extra=newer_release, env={"INBOX_MIGRATE": "1"})
    assert upgraded.returncode == 0, upgraded.stderr
    assert "nickname" in columns_of(empty_url, "patients")

    older = server(*start)
    assert older.returncode == 2
    assert f"revision 9999, newer than this server knows (its newest is {head})" in older.stderr
    with pytest.raises(schema_version.SchemaMismatch):  # and migrating never downgrades
        asyncio.run(prepared(empty_url, migrate=True))


def test_instances_starting_at_once_migrate_once(empty_url: str, newer_release: Path) -> None:
    assert asyncio.run(prepared(empty_url, migrate=False)).current is not None
    env = {**os.environ, "INBOX_MIGRATE": "1"}
    starts = [subprocess.Popen(
        [sys.executable, str(EXTRA), str(newer_release), "migrate", "--database-url",
         empty_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(4)]
    outputs = [proc.communicate(timeout=120) for proc in starts]
    assert [proc.returncode for proc in starts] == [0] * 4, outputs
    said = [out for out, _ in outputs]
    assert sum("Upgraded the schema" in out for out in said) == 1, said
    assert sum("already at revision 9999" in out for out in said) == 3, said
    assert columns_of(empty_url, "patients").count("nickname") == 1
