"""The cache-hit fast path: the three cached reads answered below the web framework.

A cache hit is bytes from Redis sent as they are (ARCHITECTURE.md section 9). Through
FastAPI's routing and dependency injection that answer cost about as much again as the Redis
GET itself; issue 3 asks for a hit within 1.5x of a bare ASGI endpoint doing that GET.

This ASGI middleware answers ``GET`` of the conversation list, a conversation detail and a
patient itself when everything is ordinary: no query string, a valid bearer token, a value
that exists and belongs to the user's clinic. Anything else (no or bad token, another clinic,
a missing id, an error) falls through to the FastAPI route, which stays the reference
behaviour and gives the contract's error bodies. Both read and answer through
:mod:`inbox_app.server.http.cached` (the same keys, loaders, clinic check and headers) and
take the token by the same rule (:func:`inbox_app.server.auth.bearer_of`), so the answers
are identical. Every answer given here is counted (``Metrics.fast_reads``), so a fast path
that always fell back would show.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from inbox_app.contract.policy import CacheKind
from inbox_app.server.auth import bearer_of
from inbox_app.server.db.schema import MAX_ID
from inbox_app.server.http import cached

logger = logging.getLogger(__name__)

_ID = r"([1-9][0-9]{0,17})"
#: (path pattern, route template (for the metrics label), kind)
_READS: list[tuple[re.Pattern[str], str, CacheKind]] = [
    (re.compile(rf"/api/clinics/{_ID}/conversations"), "/api/clinics/{clinic_id}/conversations",
     CacheKind.CONVERSATIONS_LIST),
    (re.compile(rf"/api/conversations/{_ID}"), "/api/conversations/{conversation_id}",
     CacheKind.CONVERSATION_DETAIL),
    (re.compile(rf"/api/patients/{_ID}"), "/api/patients/{patient_id}",
     CacheKind.PATIENT_DATA),
]


class FastReads:
    """ASGI middleware serving ordinary cached reads; everything else goes to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._routes: dict[str | None, Any] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("query_string"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        match = read = None
        for read in _READS:
            match = read[0].fullmatch(path)
            if match is not None:
                break
        if match is None or read is None:
            await self.app(scope, receive, send)
            return
        _pattern, template, kind = read
        try:
            answer = await self._answer(scope, kind, int(match.group(1)))
        except Exception:  # the route does it again and answers the contract's error
            logger.debug("fast read of %s fell back to the route", path, exc_info=True)
            answer = None
        if answer is None:
            await self.app(scope, receive, send)
            return
        body, headers = answer
        scope["route"] = self._route(scope, template)  # the same metrics label as the route
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope, kind: CacheKind,
                      ident: int) -> tuple[bytes, cached.Headers] | None:
        if ident > MAX_ID:
            return None
        token = bearer_of(scope["headers"])
        if token is None:
            return None
        state = scope["app"].state.inbox
        user = await state.auth.check(token)
        if user is None:
            return None
        if kind is CacheKind.CONVERSATIONS_LIST and ident != user.clinic_id:
            return None
        value = await cached.read(state, kind, ident, user.clinic_id)
        if value is None:
            return None  # the route answers the 404 (a cache hit never skips this check)
        accept = b""
        for name, header in scope["headers"]:
            if name == b"accept-encoding":
                accept = header
        state.metrics.fast_reads += 1
        return cached.answer(value, accept)

    def _route(self, scope: Scope, template: str) -> Any:
        if self._routes is None:
            self._routes = {getattr(r, "path", None): r for r in scope["app"].routes}
        # FastAPI >= 0.16x lists included routers as one entry without a path: fall back to
        # a label carrying the template, which is all the metrics middleware reads.
        return self._routes.get(template) or _RouteLabel(template)


class _RouteLabel:
    """Stands in for a route in ``scope["route"]``: the metrics label only."""

    def __init__(self, path: str) -> None:
        self.path = path
