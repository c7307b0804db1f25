"""``inbox-server backup PATH``: a consistent copy of the SQLite database, server running.

SQLite's online backup API copies the pages in one step under a read transaction: with the
WAL journal the server keeps writing meanwhile, and the copy is the database as of one
commit. The copy is written beside ``PATH`` and renamed into place, so ``PATH`` is never a
half-written file. PostgreSQL is backed up with ``pg_dump`` (README, "Backups").
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from inbox_app.server.commands.database_option import add_database_option, database_url


def backup(source: Path, target: Path) -> None:
    """Copies the SQLite database ``source`` to ``target`` (which must not exist)."""
    if target.exists():
        raise FileExistsError(f"{target} exists: choose a new file (backups never overwrite)")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    # read-only URI: a mistyped source path is an error, never a new empty database
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True,
                                 timeout=30)) as src:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # all pages in one step: one consistent snapshot
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise RuntimeError(f"the copy failed its integrity check: {result}")
        finally:
            dst.close()
    os.replace(partial, target)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="inbox-server backup",
        description="Copy the SQLite database to PATH while the server runs "
        "(PostgreSQL: use pg_dump).")
    parser.add_argument("path", type=Path, help="the new backup file")
    add_database_option(parser)
    args = parser.parse_args(argv)
    url = make_url(database_url(args))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        print("inbox-server backup: only a SQLite file is copied this way; for PostgreSQL "
              "run: pg_dump --format=custom --file=PATH DATABASE", file=sys.stderr)
        return 2
    try:
        backup(Path(url.database), args.path)
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        print(f"inbox-server backup: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {url.database} to {args.path}", flush=True)
    return 0
