"""Checks before the server binds its port: the schema, the first user, shared settings.

Each refusal is one message on stderr that says what is wrong and what to run, and a
non-zero exit, instead of a server that starts and then fails on its first request.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import shlex
import sys

from sqlalchemy import func, select

from inbox_app.server.db import schema_version
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import users
from inbox_app.server.settings import Settings

log = logging.getLogger(__name__)

#: exit status of a refused start (the settings or the database need an administrator)
REFUSED = 2


def first_user_hint(database_url: str) -> str:
    """The commands that create the first clinic and administrator of ``database_url``."""
    where = f"--database-url {shlex.quote(database_url)}"
    return (
        "The database has no users yet: nobody can sign in. Create the first clinic and "
        "administrator with:\n"
        f"  inbox-server admin {where} add-clinic 'Clinic name'\n"
        f"  inbox-server admin {where} add-user --clinic 'Clinic name' --name 'Your name' "
        "--email you@example.org --role admin\n"
        "(or start with --demo-data to try the demo clinics)"
    )


async def _prepare(settings: Settings) -> int:
    db = Database(settings.database_url)
    try:
        await schema_version.prepare(db, migrate=settings.migrate)
        if not settings.demo_data:
            async with db.read() as conn:
                count = (await conn.execute(select(func.count()).select_from(users))).scalar()
            if not count:
                print(first_user_hint(settings.database_url), flush=True)
    except schema_version.SchemaMismatch as exc:
        print(f"inbox-server: {exc}", file=sys.stderr, flush=True)
        return REFUSED
    finally:
        await db.close()
    return 0


def check(settings: Settings) -> int:
    """0 when the server may start; else the exit status after saying why not."""
    if settings.redis_url and not settings.webhook_secret_configured:
        print("inbox-server: with Redis (several instances) every instance must accept the "
              "same webhook secret: set INBOX_WEBHOOK_SECRET to one shared value",
              file=sys.stderr, flush=True)
        return REFUSED
    if not settings.metrics_token and not _loopback(settings.host):
        log.warning("listening on %s without INBOX_METRICS_TOKEN: /metrics and /api/metrics "
                    "are open to anyone who can reach this address", settings.host)
    return asyncio.run(_prepare(settings))


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
