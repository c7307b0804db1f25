"""The ``--database-url`` option every subcommand shares, read like the server reads it."""

from __future__ import annotations

import argparse
import os

from inbox_app.server.settings import default_database_url


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (INBOX_DATABASE_URL, default the server's SQLite file)",
    )


def database_url(args: argparse.Namespace) -> str:
    return args.database_url or os.environ.get("INBOX_DATABASE_URL") or default_database_url()
