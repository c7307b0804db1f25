"""The cache-hit fast path: the three cached reads answered below the web framework.

A cache hit is bytes from Redis sent as they are (ARCHITECTURE.md section 9). Through
FastAPI's routing and dependency injection that answer cost about as much again as the Redis
GET itself; issue 3 asks for a hit within 1.5x of a bare ASGI endpoint doing that GET.

This ASGI middleware answers ``GET`` of the conversation list, a conversation detail and a
patient itself when everything is ordinary: no query string, a valid bearer token, a value
that exists and belongs to the user's clinic. Anything else (no or bad token, another clinic,
a missing id, an error) falls through to the FastAPI route, which stays the reference
behaviour and gives the contract's error bodies. Both use the same :class:`Cache`, the same
loaders and the same serving rule (:func:`serve_cached`), so the answers are identical.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from inbox_app.contract.policy import CacheKind, detail_key, list_key, patient_key
from inbox_app.server.cache.values import CachedValue
from inbox_app.server.db import store
from inbox_app.server.db.schema import MAX_ID

logger = logging.getLogger(__name__)

_ID = r"([1-9][0-9]{0,17})"
#: (path pattern, route template (for the metrics label), kind, key builder, loader)
_READS: list[tuple[re.Pattern[str], str, CacheKind, Callable[[int], str], Any]] = [
    (re.compile(rf"/api/clinics/{_ID}/conversations"), "/api/clinics/{clinic_id}/conversations",
     CacheKind.CONVERSATIONS_LIST, list_key, store.load_list),
    (re.compile(rf"/api/conversations/{_ID}"), "/api/conversations/{conversation_id}",
     CacheKind.CONVERSATION_DETAIL, detail_key, store.load_detail),
    (re.compile(rf"/api/patients/{_ID}"), "/api/patients/{patient_id}",
     CacheKind.PATIENT_DATA, patient_key, store.load_patient),
]
_JSON = (b"content-type", b"application/json")


Headers = list[tuple[bytes, bytes]]


def answer_headers(value: CachedValue, accept_encoding: bytes) -> tuple[bytes, Headers]:
    """The body and headers to send ``value`` with: compressed bytes pass through when the
    client takes deflate, else they are decompressed (the rule of ``serve_cached``)."""
    if value.compressed:
        if b"deflate" in accept_encoding.lower():
            return value.body, [_JSON, (b"content-encoding", b"deflate"),
                                (b"vary", b"Accept-Encoding")]
        return zlib.decompress(value.body), [_JSON]
    return value.body, [_JSON]


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
        _pattern, template, kind, make_key, loader = read
        try:
            answer = await self._answer(scope, kind, make_key, loader, int(match.group(1)))
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

    async def _answer(self, scope: Scope, kind: CacheKind, make_key: Callable[[int], str],
                      loader: Any, ident: int) -> tuple[bytes, Headers] | None:
        if ident > MAX_ID:
            return None
        authorization = accept = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
            elif name == b"accept-encoding":
                accept = value
        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        state = scope["app"].state.inbox
        user = await state.auth.check(token.strip())
        if user is None:
            return None
        if kind is CacheKind.CONVERSATIONS_LIST and ident != user.clinic_id:
            return None

        async def load() -> tuple[int, bytes] | None:
            async with state.db.read() as conn:
                return await loader(conn, ident)

        value = await state.cache.get_or_load(kind, make_key(ident), load)
        if value is None or value.owner_clinic_id != user.clinic_id:
            return None  # the route answers the 404 (a cache hit never skips this check)
        return answer_headers(value, accept)

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
