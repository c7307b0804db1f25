"""``inbox-server admin …``: clinics and users, for the clinic's administrator.

Passwords never come from the command line (it shows in ``ps`` and the shell history): on
a terminal they are asked twice without echo; otherwise one line is read from stdin, so a
script can pipe one in. Disabling a user or resetting a password ends their sessions: the
tokens are deleted, and with Redis (``--redis-url`` / ``INBOX_REDIS_URL``) every running
instance of that database is told at once on its ``inbox:revoked`` channel to forget them and
close their live sockets (4401). Without Redis the one server stops trusting them within
seconds (its token memo).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Callable

from inbox_app.server.auth import hash_password
from inbox_app.server.commands.database_option import add_database_option, database_url
from inbox_app.server.db import accounts, identity, schema_version
from inbox_app.server.db.database import Database
from inbox_app.server.live.bus import channels

#: exit status of a request the administrator must correct
BAD_REQUEST = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inbox-server admin",
                                     description="Manage clinics and users.")
    add_database_option(parser)
    parser.add_argument("--redis-url", help="Redis of the running instances, told at once "
                        "about ended sessions (INBOX_REDIS_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    clinic = sub.add_parser("add-clinic", help="add a clinic")
    clinic.add_argument("name")
    user = sub.add_parser("add-user", help="add a user (the password is asked)")
    user.add_argument("--clinic", required=True, help="the clinic's name or id")
    user.add_argument("--name", required=True)
    user.add_argument("--email", required=True)
    user.add_argument("--role", choices=accounts.ROLES, default="receptionist")
    listing = sub.add_parser("list-users", help="list users")
    listing.add_argument("--clinic", help="only this clinic (name or id)")
    for name, text in (("disable", "disable a user and end their sessions"),
                       ("enable", "enable a disabled user"),
                       ("reset-password", "set a new password (asked) and end their sessions")):
        sub.add_parser(name, help=text).add_argument("email")
    return parser


def read_password() -> str:
    """Twice without echo on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise accounts.AccountError("the two passwords differ")
        return accounts.check_password(first)
    # bounded: a password longer than check_password's limit is refused, not read to the end
    return accounts.check_password(sys.stdin.readline(2048).rstrip("\r\n"))


async def _announce(db: Database, redis_url: str | None, hashes: list[str]) -> None:
    """Tells the running instances of ``db`` to forget these tokens (no Redis: nobody to
    tell), on the channel bound to the database's identity, as theirs is."""
    if not redis_url or not hashes:
        return
    import redis.asyncio as aioredis

    _live, revoked = channels(identity.cache_namespace(await identity.ensure(db)))
    client = aioredis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=5)
    try:
        origin = f"admin-{os.getpid()}".encode()
        for token_hash in hashes:
            await client.publish(revoked, origin + b" " + token_hash.encode())
    finally:
        await client.aclose()


async def _run(args: argparse.Namespace, password: Callable[[], str]) -> str:
    db = Database(database_url(args))
    redis_url = args.redis_url or os.environ.get("INBOX_REDIS_URL") or None
    try:
        await schema_version.prepare(db, migrate=False)
        command = args.command
        if command == "add-clinic":
            return f"Added clinic {await accounts.add_clinic(db, args.name)}: {args.name.strip()}"
        if command == "add-user":
            accounts.normalize_email(args.email)  # bad input before the password is asked
            hashed = await asyncio.to_thread(hash_password, password())
            user_id = await accounts.add_user(db, clinic=args.clinic, name=args.name,
                                              email=args.email, role=args.role,
                                              password_hash=hashed)
            return f"Added user {user_id}: {args.email.strip().lower()} ({args.role})"
        if command == "list-users":
            rows = await accounts.list_users(db, args.clinic)
            lines = [f"{a.id}\t{a.clinic}\t{a.email}\t{a.role}\t"
                     f"{'disabled' if a.disabled else 'active'}\t{a.name}" for a in rows]
            return "\n".join(["id\tclinic\temail\trole\tstate\tname", *lines])
        if command in {"disable", "enable"}:
            ended = await accounts.set_disabled(db, args.email, command == "disable")
            await _announce(db, redis_url, ended)
            return f"{command.capitalize()}d {args.email.strip().lower()}" + (
                f" ({len(ended)} session(s) ended)" if command == "disable" else "")
        hashed = await asyncio.to_thread(hash_password, password())
        ended = await accounts.set_password(db, args.email, hashed)
        await _announce(db, redis_url, ended)
        return f"New password for {args.email.strip().lower()} ({len(ended)} session(s) ended)"
    finally:
        await db.close()


def main(argv: list[str], password: Callable[[], str] = read_password) -> int:
    args = _parser().parse_args(argv)
    try:
        print(asyncio.run(_run(args, password)), flush=True)
    except (accounts.AccountError, schema_version.SchemaMismatch) as exc:
        print(f"inbox-server admin: {exc}", file=sys.stderr, flush=True)
        return BAD_REQUEST
    return 0
