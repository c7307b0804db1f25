"""Run by tests/server/test_start_imports.py: ``inbox-server ARGS`` in this process, which
prints ``LOADED [modules]`` — those of :data:`DEFERRED` imported by then — once it accepts
connections, and stops."""

from __future__ import annotations

import json
import socket
import sys

from inbox_app.server import main as server_main

#: What a plain start (a database at the head revision) does without: Alembic and what it
#: pulls in, Faker.
DEFERRED = ("alembic", "mako", "faker")


class _Probe(server_main._Server):
    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        loaded = sorted(name for name in DEFERRED if name in sys.modules)
        print(f"LOADED {json.dumps(loaded)}", flush=True)
        self.should_exit = True


if __name__ == "__main__":
    server_main._Server = _Probe  # type: ignore[misc]
    sys.exit(server_main.main(sys.argv[1:]))
