"""The schema's version: create a fresh database, upgrade an old one, refuse a mismatch.

The version lives in the database (Alembic's ``alembic_version`` table); the history in
:mod:`inbox_app.server.db.migrations`. At start the server calls :func:`prepare` under the
setup lock (PostgreSQL advisory lock, a file lock on SQLite), so several instances starting
at once create or upgrade the schema once:

- an empty database gets ``metadata.create_all`` and is stamped with the head revision, as
  Alembic's cookbook suggests: one ``CREATE`` per table instead of replaying every revision
  (tests create hundreds of fresh databases, and the history only grows).
  ``tests/server/db/test_migrations.py`` checks that replaying the history gives the same
  schema as ``create_all``, which is what makes the shortcut safe;
- a database of release 0 (tables, no version table) is stamped with the baseline revision;
- an older database is upgraded only when asked (``--migrate``, ``INBOX_MIGRATE=1``, or
  ``inbox-server migrate``); otherwise, like a database newer than the code, it is a
  :class:`SchemaMismatch` whose message names both versions and what to run.

Alembic itself (~0.3 s of imports: mako, pygments where installed) loads only when it has
work: a database at the head revision — every start but a database's first, and every
readiness check — is recognised from the ``alembic_version`` row and the revision files
read as text (:func:`plain_head`); anything else goes to Alembic as before.
"""

from __future__ import annotations

import ast
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from inbox_app.server.db import migrations
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

#: Alembic's version table (its default; env.py keeps it)
VERSION_TABLE = "alembic_version"


class SchemaMismatch(Exception):
    """The database's schema version is not the one this code needs."""


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Where a database's schema stands against the code."""

    #: the revision recorded in the database; None for an empty one
    current: str | None
    #: the newest revision this code knows
    head: str
    #: ``current`` | ``empty`` | ``behind`` (older, upgradable) | ``ahead`` (newer than the code)
    status: str
    #: what :func:`prepare` did: ``created`` | ``stamped`` | ``upgraded`` | ``nothing``
    action: str = "nothing"
    #: the revision found before :func:`prepare` acted (under the setup lock)
    previous: str | None = None

    @property
    def ready(self) -> bool:
        return self.status == "current"


def alembic_config() -> Config:
    """An Alembic configuration for the shipped scripts (no ``alembic.ini``)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations.SCRIPT_FOLDER))
    config.set_main_option("path_separator", "os")
    config.set_main_option(
        "version_locations",
        os.pathsep.join(str(p) for p in migrations.VERSION_LOCATIONS),
    )
    return config


def head_revision() -> str:
    """The newest revision of the history."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the migration history is empty")
    return head


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises ResolutionError or CommandError for unknown ones
        return False


def plain_head() -> str | None:
    """The head revision read from the revision files as text, without Alembic; None unless
    the history is one plain line (every file names its ``revision`` and ``down_revision``
    as literals, one root, no branches, merges or dependencies): then Alembic decides.
    ``tests/server/db/test_migrations.py`` checks it agrees with :func:`head_revision`."""
    parent_of: dict[str, str | None] = {}
    for folder in migrations.VERSION_LOCATIONS:
        for path in Path(folder).glob("*.py"):
            if path.name.startswith(("__init__", ".#")):  # what Alembic skips too
                continue
            found = _revision_literals(path)
            if found is None or found[0] in parent_of:
                return None
            parent_of[found[0]] = found[1]
    children = [parent for parent in parent_of.values() if parent is not None]
    roots = [rev for rev, parent in parent_of.items() if parent is None]
    heads = set(parent_of) - set(children)
    if (len(roots) != 1 or len(heads) != 1 or len(set(children)) != len(children)
            or not set(children) <= set(parent_of)):
        return None
    return heads.pop()


def _revision_literals(path: Path) -> tuple[str, str | None] | None:
    """(revision, down_revision) of one revision file, or None if it is not that plain."""
    try:
        tree = ast.parse(path.read_text("utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    values: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                values[target.id] = ...  # not a literal: not plain
    revision, down = values.get("revision"), values.get("down_revision", ...)
    if (not isinstance(revision, str) or not (down is None or isinstance(down, str))
            or values.get("branch_labels") or values.get("depends_on")):
        return None
    return revision, down


def _recorded_revision(sync_conn: Any) -> str | None:
    """The one revision recorded in the version table; None without the table, or with no
    row or several."""
    if not inspect(sync_conn).has_table(VERSION_TABLE):
        return None
    rows = sync_conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").all()
    return str(rows[0][0]) if len(rows) == 1 else None


def _state(sync_conn: Any) -> SchemaState:
    head = plain_head()
    if head is not None and _recorded_revision(sync_conn) == head:
        return SchemaState(head, head, "current")  # the usual start: Alembic not needed
    return _state_by_alembic(sync_conn)


def _state_by_alembic(sync_conn: Any) -> SchemaState:
    from alembic.runtime.migration import MigrationContext

    head = head_revision()
    current = MigrationContext.configure(sync_conn).get_current_revision()
    if current is None:
        ours = set(metadata.tables) & set(inspect(sync_conn).get_table_names())
        if not ours:
            return SchemaState(None, head, "empty")
        current = migrations.BASELINE  # release 0: the tables without the version table
    if current == head:
        return SchemaState(current, head, "current")
    return SchemaState(current, head, "behind" if _known(current) else "ahead")


async def state(db: Database) -> SchemaState:
    """The schema state of ``db`` (a read; readiness asks this)."""
    async with db.engine.connect() as conn:
        return await conn.run_sync(_state)


def _run(sync_conn: Any, action: str, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = sync_conn
    getattr(command, action)(config, revision)


async def _alembic(db: Database, action: str, revision: str = "head") -> None:
    async with db.engine.connect() as conn:
        if db.is_sqlite:
            # batch mode rebuilds a table (copy, drop, rename), which foreign keys pointing
            # at it forbid; SQLite ignores this pragma inside a transaction, so it goes first
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await conn.commit()
        try:
            await conn.run_sync(_run, action, revision)
            await conn.commit()
            if db.is_sqlite:
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"the migration left {len(broken)} broken references")
        finally:
            if db.is_sqlite:
                await conn.rollback()
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()


def mismatch_message(found: SchemaState, database_url: str) -> str:
    """What the server says when it refuses to start on ``found``."""
    where = f"--database-url '{database_url}'"
    if found.status == "ahead":
        return (f"the database schema is at revision {found.current}, newer than this "
                f"server knows (its newest is {found.head}): run the release that upgraded it "
                "(or a newer one), or restore the backup taken before that upgrade")
    return (f"the database schema is at revision {found.current} and this server needs "
            f"{found.head}: back it up, then run `inbox-server migrate {where}` (or start "
            "with --migrate, or INBOX_MIGRATE=1)")


async def prepare(db: Database, *, migrate: bool) -> SchemaState:
    """Creates, stamps or upgrades the schema under the setup lock; answers the state.

    Raises :class:`SchemaMismatch` when the schema is newer than the code, or older and
    ``migrate`` is false.
    """
    async with db.setup_lock():
        found = await state(db)
        if found.status == "empty":
            async with db.engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
            await _alembic(db, "stamp")
            log.info("created the schema at revision %s", found.head)
            return replace(await state(db), action="created")
        if found.current == migrations.BASELINE and await _unstamped(db):
            await _alembic(db, "stamp", migrations.BASELINE)
            log.info("recorded the schema of release 0 as revision %s", migrations.BASELINE)
            found = replace(found, action="stamped")
        if found.status == "behind" and migrate:
            await _alembic(db, "upgrade")
            log.warning("upgraded the database schema from revision %s to %s",
                        found.current, found.head)
            return replace(await state(db), action="upgraded", previous=found.current)
        if found.status != "current":
            raise SchemaMismatch(mismatch_message(
                found, make_url(db.url).render_as_string(hide_password=True)))
        return found


async def _unstamped(db: Database) -> bool:
    from alembic.runtime.migration import MigrationContext

    async with db.engine.connect() as conn:
        return await conn.run_sync(
            lambda c: MigrationContext.configure(c).get_current_revision() is None)
