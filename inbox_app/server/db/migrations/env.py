"""Alembic's environment: runs the revisions on the connection the server hands over.

The server never lets Alembic open its own engine: :mod:`inbox_app.server.db.schema_version`
passes a (sync facade of an async) connection in ``config.attributes["connection"]``, as
Alembic's cookbook describes for asyncio programs. Batch mode makes ``ALTER`` work on SQLite
(copy, change, rename) and is a plain ``ALTER`` on PostgreSQL.
"""

from __future__ import annotations

from alembic import context

from inbox_app.server.db.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through inbox-server migrate, not the alembic command")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
