"""Runs ``inbox-server`` with one more revision folder: a release newer than this one.

``python tests/server/db/extra_revision.py FOLDER ARGS…`` adds FOLDER (holding a throw-away
revision on top of the head) to the history, then runs ``inbox-server ARGS…``. The
migration tests use it to play a newer release against a database of this one.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from inbox_app.server.commands import run
from inbox_app.server.db import migrations

if __name__ == "__main__":
    migrations.VERSION_LOCATIONS.append(Path(sys.argv[1]))
    status = run(sys.argv[2:])
    if status is None:
        from inbox_app.server.main import main

        status = main(sys.argv[2:])
    sys.exit(status)
