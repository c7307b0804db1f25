"""No task outlives its live socket (inbox_app/server/live/hub.py, issue 16).

The server runs in this test's event loop (the real app under uvicorn, on a loopback port),
so the test can collect garbage in the server's process and read asyncio's own report:
"Task was destroyed but it is pending!" is logged when a pending task is collected. Every
close path is cycled: client close, server close (4400 after the hello), 4401 (bad token and
logout), 4400 before the hello, the hello timeout, the token's expiry, and shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import uvicorn

from inbox_app.contract.events import CLOSE_PROTOCOL, CLOSE_UNAUTHORIZED, EventType
from inbox_app.server.guard.limits import Limits
from inbox_app.server.http.asgi import create_app
from inbox_app.server.settings import Settings
from tests.server.conftest import AURORA
from tests.server.live_support import closed_with, connect, next_event
from tests.support import DEMO_PASSWORD, SqliteTemplates

FUTURE = 10**9
DESTROYED = "Task was destroyed but it is pending"


class _Server(uvicorn.Server):
    """uvicorn's server, setting ``ready`` once it accepts connections."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


class InProcessServer:
    def __init__(self, settings: Settings) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on",
                                timeout_graceful_shutdown=5)
        self.server = _Server(config)
        self.task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/live"

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        await asyncio.wait_for(self.server.ready.wait(), 60)
        assert self.server.started

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task

    async def login(self) -> str:
        async with httpx.AsyncClient(base_url=self.url, timeout=15) as http:
            answer = await http.post("/api/auth/login",
                                     json={"email": AURORA, "password": DEMO_PASSWORD})
        answer.raise_for_status()
        return answer.json()["token"]


@pytest.fixture
async def live_server(tmp_path: Path, sqlite_templates: SqliteTemplates
                      ) -> AsyncIterator[InProcessServer]:
    url = sqlite_templates.copy("small", tmp_path / "inbox.db")
    settings = Settings(database_url=url, token_ttl_seconds=3,
                        limits=replace(Limits(), head_timeout=0.5))
    server = InProcessServer(settings)
    await server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            await server.stop()


async def test_no_task_outlives_its_socket_on_any_close_path(
    live_server: InProcessServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="asyncio")
    server = live_server
    for _ in range(4):
        token = await server.login()
        # client close, after the hello
        ws = await connect(server.ws_url, token, since=FUTURE)
        assert (await next_event(ws)).type is EventType.RESYNC
        await ws.close()
        # server close: a stray frame after the hello
        ws = await connect(server.ws_url, token, since=FUTURE)
        assert (await next_event(ws)).type is EventType.RESYNC
        await ws.send("{oops")
        assert (await closed_with(ws))[0] == CLOSE_PROTOCOL
        # 4400 before the hello
        ws = await connect(server.ws_url, token, since=None)
        await ws.send(json.dumps({"type": "subscribe"}))
        assert (await closed_with(ws))[0] == CLOSE_PROTOCOL
        # 4401: a bad token
        ws = await connect(server.ws_url, "no-such-token", since=None)
        assert (await closed_with(ws))[0] == CLOSE_UNAUTHORIZED
        # the hello timeout
        ws = await connect(server.ws_url, token, since=None)
        assert (await closed_with(ws))[0] == CLOSE_PROTOCOL
        # 4401: logout closes the token's socket
        ws = await connect(server.ws_url, token, since=FUTURE)
        assert (await next_event(ws)).type is EventType.RESYNC
        async with httpx.AsyncClient(base_url=server.url, timeout=15) as http:
            out = await http.post("/api/auth/logout",
                                  headers={"Authorization": f"Bearer {token}"})
        assert out.status_code == 204
        assert (await closed_with(ws))[0] == CLOSE_UNAUTHORIZED
    # the token's expiry (3 s): the server closes 4401
    token = await server.login()
    ws = await connect(server.ws_url, token, since=FUTURE)
    assert (await next_event(ws)).type is EventType.RESYNC
    assert (await closed_with(ws)) == (CLOSE_UNAUTHORIZED, "token expired")
    # shutdown with sockets open
    token = await server.login()
    held = [await connect(server.ws_url, token, since=FUTURE) for _ in range(3)]
    for ws in held:
        assert (await next_event(ws)).type is EventType.RESYNC
    await server.stop()
    for ws in held:
        await ws.close()
    for _ in range(3):
        await asyncio.sleep(0)  # let finished callbacks run before collecting
    gc.collect()
    await asyncio.sleep(0)
    destroyed = [r for r in caplog.records if DESTROYED in r.getMessage()]
    assert not destroyed, f"{len(destroyed)} tasks outlived their socket"
