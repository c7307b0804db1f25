"""WS /api/live under abuse (inbox_app/server/live/hub.py, issue 16): sockets per token and
replays per socket are capped with their own close codes; a deeply nested or oversized frame
closes 4400 with one warning line and no traceback."""

from __future__ import annotations

import json

import pytest

from inbox_app.contract.events import (
    CLOSE_PROTOCOL,
    CLOSE_TOO_MANY_REPLAYS,
    CLOSE_TOO_MANY_SOCKETS,
    EventType,
)
from tests.server.conftest import AURORA, AURORA_2, sign_in
from tests.server.live_support import closed_with, connect, next_event

FUTURE = 10**9  # a hello from the future is answered with one resync: a cheap round trip


async def test_sockets_per_token_are_capped(server_factory) -> None:
    server = server_factory(env={"INBOX_LIVE_SOCKETS_PER_TOKEN": "3"})
    ana, carla = sign_in(server, AURORA), sign_in(server, AURORA_2)
    held = []
    try:
        for _ in range(3):
            ws = await connect(server.ws_url, ana.token, since=FUTURE)
            assert (await next_event(ws)).type is EventType.RESYNC
            held.append(ws)
        extra = await connect(server.ws_url, ana.token, since=FUTURE)
        assert (await closed_with(extra))[0] == CLOSE_TOO_MANY_SOCKETS
        other = await connect(server.ws_url, carla.token, since=FUTURE)  # another token: fine
        assert (await next_event(other)).type is EventType.RESYNC
        held.append(other)
        await held.pop(0).close()  # one closed: its place is free again
        again = await connect(server.ws_url, ana.token, since=FUTURE)
        assert (await next_event(again)).type is EventType.RESYNC
        held.append(again)
    finally:
        for ws in held:
            await ws.close()
        ana.close()
        carla.close()


async def test_replays_per_socket_and_minute_are_capped(server_factory) -> None:
    server = server_factory(env={"INBOX_LIVE_REPLAYS_PER_MINUTE": "3"})
    ana = sign_in(server, AURORA)
    ws = await connect(server.ws_url, ana.token, since=0)  # hello 1: the full replay
    try:
        for _ in range(2):  # hellos 2 and 3
            await ws.send(json.dumps({"type": "hello", "since": FUTURE}))
        await ws.send(json.dumps({"type": "hello", "since": 0}))  # hello 4: refused
        code, reason = await closed_with(ws)
        assert code == CLOSE_TOO_MANY_REPLAYS
        assert "replays" in reason
    finally:
        await ws.close()
        ana.close()


@pytest.mark.parametrize("depth", [100_000, 400])
@pytest.mark.parametrize("after_hello", [False, True])
async def test_deeply_nested_frame_closes_4400_without_traceback(
    server_factory, depth: int, after_hello: bool
) -> None:
    server = server_factory()
    ana = sign_in(server, AURORA)
    ws = await connect(server.ws_url, ana.token, since=FUTURE if after_hello else None)
    try:
        if after_hello:
            assert (await next_event(ws)).type is EventType.RESYNC
        await ws.send("[" * depth + "]" * depth)
        assert (await closed_with(ws))[0] == CLOSE_PROTOCOL
    finally:
        await ws.close()
        ana.close()
    server.stop()
    output = server.text()
    assert "Traceback" not in output
    assert "RecursionError" not in output
    assert len([line for line in output.splitlines()
                if "WARNING" in line and f"closed with {CLOSE_PROTOCOL}" in line]) == 1, output
