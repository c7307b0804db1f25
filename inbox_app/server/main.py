"""``inbox-server``: parses settings, binds the socket and runs uvicorn.

The socket is bound here (not by uvicorn) so that ``--port 0`` can print the real port, and
the ``Listening on`` line is printed only once uvicorn accepts connections: scripts and
tests wait for that line instead of polling.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from collections.abc import Sequence

import uvicorn

from inbox_app.server import commands, logs, startup
from inbox_app.server.demo.seed import DEMO_LOGINS, DEMO_PASSWORD
from inbox_app.server.guard import redaction
from inbox_app.server.guard.connection import guarded_protocol
from inbox_app.server.http.asgi import create_app, prepare_database
from inbox_app.server.settings import Settings, parse_settings

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """uvicorn's server, announcing its URL once it accepts connections."""

    def __init__(self, config: uvicorn.Config, settings: Settings, port: int) -> None:
        super().__init__(config)
        self.settings = settings
        self.port = port

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.should_exit:  # startup failed (uvicorn already logged why)
            return
        if self.settings.demo_data:
            print(f"Demo logins (password {DEMO_PASSWORD}): {', '.join(DEMO_LOGINS)}",
                  flush=True)
        scheme = "https" if self.settings.ssl_certfile else "http"
        print(f"Listening on {scheme}://{self.settings.host}:{self.port}", flush=True)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # Lets a restarted server take its port back at once (tests restart on the same port).
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the server until SIGINT/SIGTERM (or a subcommand); answers the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    command_status = commands.run(args)
    if command_status is not None:
        return command_status
    settings = parse_settings(args)
    logs.configure(logging.DEBUG if settings.verbose else logging.INFO, settings.log_format)
    if not settings.verbose:
        # SQLAlchemy and the websockets library are chatty below WARNING.
        for noisy in ("sqlalchemy", "websockets", "aiosqlite", "asyncio", "faker", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    refused = startup.check(settings)
    if refused:
        return refused
    if settings.init_only:
        async def init() -> None:
            db = await prepare_database(settings)
            await db.close()

        asyncio.run(init())
        print("Database ready", flush=True)
        return 0
    try:
        sock = _bind(settings.host, settings.port)
    except OSError as exc:
        print(f"inbox-server: cannot listen on {settings.host}:{settings.port}: {exc}",
              file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), log_level="debug" if settings.verbose else "warning",
        access_log=settings.verbose, ws_ping_interval=20, ws_ping_timeout=20,
        timeout_graceful_shutdown=5, lifespan="on",
        # a capped request head, head and body deadlines, connections per address (issue 16)
        http=guarded_protocol(settings.limits),
        server_header=False,  # answers do not name the server software (issue 16)
        # JSON logs: uvicorn's loggers go through the root handler (no text lines of its own)
        log_config=None if settings.log_format == "json" else uvicorn.config.LOGGING_CONFIG,
        ssl_certfile=settings.ssl_certfile, ssl_keyfile=settings.ssl_keyfile,
    )
    redaction.install()  # after uvicorn's logging setup: no patient data, token or hash
    server = _Server(config, settings, port)
    server.run(sockets=[sock])
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
