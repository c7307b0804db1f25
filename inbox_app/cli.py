"""Entry points: ``inbox-app`` (the desktop app, ``serve``, ``--demo``) and ``inbox-server``.

The only module that knows both the ui and the server (ARCHITECTURE.md section 2): the
embedded demo starts one beside the other.
"""

from __future__ import annotations

import sys


def server_main(argv: list[str] | None = None) -> int:
    """``inbox-server``: runs the API server (see ``inbox_app.server.main``)."""
    from inbox_app.server.main import main as run_server

    return run_server(argv)


def main(argv: list[str] | None = None) -> int:
    """``inbox-app``: the desktop app; ``inbox-app serve …`` runs the server."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "serve":
        return server_main(args[1:])
    print("inbox-app: the desktop app is not built yet; try 'inbox-app serve'", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
