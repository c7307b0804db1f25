"""``inbox-server whatsapp …``: a clinic's WhatsApp Business Cloud API channel (issue 17).

``set --clinic NAME_OR_ID --phone-number-id ID`` stores the channel; its three secrets never
come from the command line (``ps``, shell history): each is read from its environment
variable when set (:data:`SECRET_VARIABLES`), else asked without echo on a terminal, else read
as one line of stdin, in the order access token, app secret, verify token. ``list`` shows the
channels without their secrets; ``remove --clinic`` deletes one (replies are then kept in the
inbox, not sent). The running servers read the channels from the database at each use: no
restart is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Callable

from inbox_app.server.commands.database_option import add_database_option, database_url
from inbox_app.server.db import accounts, schema_version
from inbox_app.server.db.database import Database
from inbox_app.server.whatsapp import channels

#: (what, environment variable) of each secret, in the order stdin gives them
SECRET_VARIABLES = (
    ("access token", "INBOX_WHATSAPP_ACCESS_TOKEN"),
    ("app secret", "INBOX_WHATSAPP_APP_SECRET"),
    ("verify token", "INBOX_WHATSAPP_VERIFY_TOKEN"),
)
BAD_REQUEST = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inbox-server whatsapp",
        description="Connect a clinic to the WhatsApp Business Cloud API.",
    )
    add_database_option(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    setting = sub.add_parser(
        "set",
        help="set a clinic's channel (secrets from INBOX_WHATSAPP_ACCESS_TOKEN, "
        "INBOX_WHATSAPP_APP_SECRET, INBOX_WHATSAPP_VERIFY_TOKEN, or asked)",
    )
    setting.add_argument("--clinic", required=True, help="the clinic's name or id")
    setting.add_argument(
        "--phone-number-id",
        required=True,
        help="the phone number id Meta shows under WhatsApp > API Setup",
    )
    sub.add_parser("list", help="list the channels (no secrets)")
    removing = sub.add_parser("remove", help="remove a clinic's channel")
    removing.add_argument("--clinic", required=True, help="the clinic's name or id")
    return parser


def read_secrets() -> dict[str, str]:
    """The three secrets: environment, else a terminal (no echo), else stdin lines."""
    found: dict[str, str] = {}
    for what, variable in SECRET_VARIABLES:
        value = os.environ.get(variable, "")
        if not value:
            if sys.stdin.isatty():
                value = getpass.getpass(f"WhatsApp {what}: ")
            else:
                value = sys.stdin.readline(8192).rstrip("\r\n")
        found[what.replace(" ", "_")] = value
    return found


async def _run(args: argparse.Namespace, secrets: Callable[[], dict[str, str]]) -> str:
    db = Database(database_url(args))
    try:
        await schema_version.prepare(db, migrate=False)
        if args.command == "set":
            clinic_id = await channels.save(
                db, clinic=args.clinic, phone_number_id=args.phone_number_id, **secrets()
            )
            return (
                f"WhatsApp channel of clinic {clinic_id} set: phone number id "
                f"{args.phone_number_id.strip()}"
            )
        if args.command == "list":
            rows = await channels.listing(db)
            return "\n".join(
                [
                    "clinic id\tclinic\tphone number id",
                    *(f"{cid}\t{name}\t{number}" for cid, name, number in rows),
                ]
            )
        if not await channels.remove(db, args.clinic):
            raise accounts.AccountError(f"clinic {args.clinic!r} has no WhatsApp channel")
        return f"WhatsApp channel of {args.clinic} removed"
    finally:
        await db.close()


def main(argv: list[str], secrets: Callable[[], dict[str, str]] = read_secrets) -> int:
    args = _parser().parse_args(argv)
    try:
        print(asyncio.run(_run(args, secrets)), flush=True)
    except (accounts.AccountError, schema_version.SchemaMismatch) as exc:
        print(f"inbox-server whatsapp: {exc}", file=sys.stderr, flush=True)
        return BAD_REQUEST
    return 0
