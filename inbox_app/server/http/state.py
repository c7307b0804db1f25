"""What every route reaches: the parts of one running server, held on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import HTTPConnection

from inbox_app.server.auth import Auth
from inbox_app.server.cache.aside import Cache
from inbox_app.server.db.database import Database
from inbox_app.server.db.writes import Writer
from inbox_app.server.http.webhook import WebhookGuard
from inbox_app.server.live.bus import Bus
from inbox_app.server.live.hub import Hub
from inbox_app.server.metrics import Metrics
from inbox_app.server.settings import Settings


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
    webhook: WebhookGuard = field(default_factory=WebhookGuard)


def state_of(conn: HTTPConnection) -> AppState:
    """The running server's parts (set by the app's lifespan)."""
    return conn.app.state.inbox
