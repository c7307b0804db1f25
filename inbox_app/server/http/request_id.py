"""A request id per HTTP request: taken from ``X-Request-Id`` when the caller (a reverse
proxy) sent a sane one, else made here; returned as ``X-Request-Id`` and put on every log
record written while the request runs (``--log-format json`` shows it)."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: the id of the request this task serves ("-" outside requests)
current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdMiddleware:
    """Pure ASGI middleware: sets :data:`current` and the answer's ``X-Request-Id``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope.get("headers", ())
                      if k == b"x-request-id"), "")
        request_id = given if _SANE.fullmatch(given) else uuid.uuid4().hex
        token = current.set(request_id)
        header = (b"x-request-id", request_id.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (a handler filter: every record passing gets one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True
