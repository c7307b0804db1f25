"""``INBOX_METRICS_TOKEN``: when set, ``/metrics`` and ``/api/metrics`` need it as a bearer
token (they show request and login-failure counts). ``/api/metrics`` also accepts a
signed-in user's token, so the desktop app's metrics window keeps working; ``/metrics`` is
for the scraper alone. Unset, both stay open (the server warns at start when it listens
beyond loopback)."""

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
        if (self.token is None or scope["type"] != "http" or scope["path"] not in GUARDED
                or await self._allowed(scope)):
            await self.app(scope, receive, send)
            return
        response = error_response(ErrorCode.UNAUTHORIZED, "this endpoint needs the metrics "
                                  "token", headers={"WWW-Authenticate": "Bearer"})
        await response(scope, receive, send)

    async def _allowed(self, scope: Scope) -> bool:
        given = bearer_of(scope.get("headers", ()))  # the one rule for every path
        if not given:
            return False
        assert self.token is not None
        if hmac.compare_digest(given.encode(), self.token):
            return True
        if scope["path"] != "/api/metrics":
            return False
        auth = scope["app"].state.inbox.auth
        return await auth.check(given) is not None
