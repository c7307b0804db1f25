"""Helpers of the live tests: a websockets client that says hello and reads LiveEvents."""

from __future__ import annotations

import asyncio
import contextlib
import json

import websockets

from inbox_app.contract.events import EventType, LiveEvent

TIMEOUT = 10.0


async def connect(ws_url: str, token: str | None, since: int | None = 0, **kwargs):
    """An open socket; sends ``hello {since}`` unless ``since`` is None."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    ws = await websockets.connect(ws_url, additional_headers=headers, open_timeout=TIMEOUT,
                                  **kwargs)
    if since is not None:
        # The server may close before the hello (an expired token on a slow machine); the
        # caller reads the close code with closed_with().
        with contextlib.suppress(websockets.ConnectionClosed):
            await ws.send(json.dumps({"type": "hello", "since": since}))
    return ws


async def next_frame(ws) -> LiveEvent:
    """The next frame, ``ready`` markers included."""
    return LiveEvent.model_validate_json(await asyncio.wait_for(ws.recv(), TIMEOUT))


async def next_event(ws) -> LiveEvent:
    """The next event, skipping the ``ready`` marker that ends each replay."""
    while (event := await next_frame(ws)).type is EventType.READY:
        pass
    return event


async def closed_with(ws) -> tuple[int, str]:
    """Waits for the server to close the socket: (code, reason)."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
    except websockets.ConnectionClosed as exc:
        assert exc.rcvd is not None, "closed without a close frame"
        return exc.rcvd.code, exc.rcvd.reason
