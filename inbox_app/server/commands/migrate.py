"""``inbox-server migrate``: upgrades the database schema to this release's revision."""

from __future__ import annotations

import argparse
import asyncio
import sys

from inbox_app.server.commands.database_option import add_database_option, database_url
from inbox_app.server.db import schema_version
from inbox_app.server.db.database import Database


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="inbox-server migrate",
        description="Upgrade the database schema to this release (back the database up "
        "first). Safe to run while other instances start: it takes the setup lock.",
    )
    add_database_option(parser)
    args = parser.parse_args(argv)

    async def migrate() -> int:
        db = Database(database_url(args))
        try:
            after = await schema_version.prepare(db, migrate=True)
        except schema_version.SchemaMismatch as exc:
            print(f"inbox-server migrate: {exc}", file=sys.stderr)
            return 2
        finally:
            await db.close()
        if after.action == "created":
            print(f"Created the schema at revision {after.current}", flush=True)
        elif after.action == "upgraded":
            print(f"Upgraded the schema from revision {after.previous} to {after.current}",
                  flush=True)
        else:
            print(f"The schema is already at revision {after.current}", flush=True)
        return 0

    return asyncio.run(migrate())
