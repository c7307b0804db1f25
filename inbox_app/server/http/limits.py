"""Request-body checks before any route sees it: over 64 KiB is a 413, a body that is not
declared JSON is a 415 (FastAPI would otherwise say "Input should be a valid dictionary").

A pure ASGI middleware, so the limit also holds for chunked bodies without Content-Length:
the body is read up to the limit and replayed to the app (bodies are small by contract).
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inbox_app.contract.errors import ErrorCode, error_body
from inbox_app.contract.models import MAX_BODY_BYTES


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        content_type = b""
        for name, value in scope["headers"]:
            if name == b"content-type":
                content_type = value.split(b";", 1)[0].strip().lower()
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await _reject(send, self.limit)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _reject(send, self.limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and content_type and not (
            content_type == b"application/json" or content_type.endswith(b"+json")
        ):
            await _send_error(send, 415, error_body(
                ErrorCode.VALIDATION, "the request body must be JSON "
                "(Content-Type: application/json)",
                {"content_type": content_type.decode("latin-1")},
            ))
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _reject(send: Send, limit: int) -> None:
    await _send_error(send, 413, error_body(
        ErrorCode.VALIDATION, f"request body is larger than {limit} bytes",
        {"limit_bytes": limit},
    ))


async def _send_error(send: Send, status: int, body: dict[str, object]) -> None:
    payload = orjson.dumps(body)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": payload})
