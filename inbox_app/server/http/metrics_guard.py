"""``INBOX_METRICS_TOKEN``: when set, ``/metrics`` and ``/api/metrics`` need it as a bearer
token. Unset, both stay open (the server warns at start when it listens beyond loopback).

A signed-in user's token is not enough for either. The figures are the whole server's:
requests per route and status (sign-in failures included), live sockets and cache figures of
every clinic it serves, so a receptionist of one clinic would read another clinic's activity
(ARCHITECTURE.md section 4: a user sees only their own clinic). The desktop app's metrics
window shows its own cache either way, and the server's figures where the metrics are open.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from inbox_app.contract.errors import ErrorCode
from inbox_app.server.auth import bearer_of
from inbox_app.server.http.errors import error_response

GUARDED = {"/metrics", "/api/metrics"}


class MetricsTokenMiddleware:
    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.token is None
            or scope["type"] != "http"
            or scope["path"] not in GUARDED
            or self._allowed(scope)
        ):
            await self.app(scope, receive, send)
            return
        response = error_response(
            ErrorCode.UNAUTHORIZED,
            "this endpoint needs the metrics token",
            headers={"WWW-Authenticate": "Bearer"},
        )
        await response(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        given = bearer_of(scope.get("headers", ()))  # the one rule for every path
        assert self.token is not None
        return given is not None and hmac.compare_digest(given.encode(), self.token)
