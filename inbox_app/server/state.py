"""What every route reaches: the parts of one running server, held on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from inbox_app.server.auth import Auth
from inbox_app.server.bus import Bus
from inbox_app.server.cache import Cache
from inbox_app.server.database import Database
from inbox_app.server.live import Hub
from inbox_app.server.metrics import Metrics
from inbox_app.server.settings import Settings
from inbox_app.server.writes import Writer


@dataclass(slots=True)
class AppState:
    settings: Settings
    db: Database
    auth: Auth
    cache: Cache
    bus: Bus
    hub: Hub
    writer: Writer
    metrics: Metrics


def state_of(conn: HTTPConnection) -> AppState:
    """The running server's parts (set by the app's lifespan)."""
    return conn.app.state.inbox
