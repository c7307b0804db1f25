"""``python -m inbox_app.server``: the same as ``inbox-server``."""

import sys

from inbox_app.server.commands import run

# a subcommand (migrate, admin, backup) needs neither uvicorn nor the app: skip their imports
status = run(sys.argv[1:])
if status is None:
    from inbox_app.server.main import main

    status = main()
sys.exit(status)
