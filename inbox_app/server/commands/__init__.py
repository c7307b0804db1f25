"""``inbox-server`` subcommands an administrator runs: ``migrate``, ``admin …``, ``backup``,
``whatsapp …``.

Each module holds one command and answers an exit status; :func:`run` dispatches on the
first argument (``inbox-server`` without one of these names runs the server).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

#: subcommand -> module of this package with ``main(argv) -> int``
COMMANDS = {"migrate": "migrate", "admin": "admin", "backup": "backup",
            "whatsapp": "whatsapp"}


def run(argv: Sequence[str]) -> int | None:
    """Runs the subcommand named by ``argv[0]``; None when it names none."""
    if not argv or argv[0] not in COMMANDS:
        return None
    module = importlib.import_module(f"{__name__}.{COMMANDS[argv[0]]}")
    return int(module.main(list(argv[1:])))
