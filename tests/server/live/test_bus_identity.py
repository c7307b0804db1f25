"""Tests for inbox_app/server/live/bus.py: the live channels belong to one database (issue 16).

Two servers on two databases seeded alike (the same clinic, conversation and user ids, the
same event numbers; the second a restored copy of the first, given a new identity as
db/identity.py says a restore does) share one real Redis. A write, and a logout of a token
both databases hold, on the first must reach no socket of the second.

A third server on the second database is the barrier that makes "reaches no socket" a fact
and not a wait: one subscriber connection receives Redis messages in the order they were
published, so once the second server forwards the third's event, it has already handled
anything the first published before it.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.server.db import identity
from inbox_app.server.db.database import Database
from inbox_app.server.live.bus import Bus, channels
from tests.server.conftest import AURORA
from tests.server.live_support import TIMEOUT, connect, next_frame
from tests.support import RedisProcess, ServerProcess, login

pytestmark = pytest.mark.redis


async def _call(method: str, url: str, token: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.request(
            method,
            url,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
            **kwargs,
        )


async def _note(server: ServerProcess, token: str, conversation_id: int, body: str) -> None:
    answer = await _call(
        "POST",
        f"{server.url}/api/conversations/{conversation_id}/notes",
        token,
        json={"body": body},
    )
    assert answer.status_code == 201, answer.text


async def _restored_copy(source_url: str, target: Path) -> str:
    """A consistent copy of a running server's SQLite file, with a new identity (a restore)."""
    source = sqlite3.connect(source_url.split("///", 1)[1])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    url = f"sqlite+aiosqlite:///{target}"
    db = Database(url)
    try:
        await identity.renew(db)
    finally:
        await db.close()
    return url


async def test_two_databases_on_one_redis_never_hear_each_others_events_or_logouts(
    server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess, tmp_path: Path
) -> None:
    first = server_factory(redis_url=redis_proc.url)
    token, session = login(first.url, AURORA)  # held by both databases after the copy
    second_url = await _restored_copy(first.database_url, tmp_path / "restored.db")
    second = server_factory(database_url=second_url, redis_url=redis_proc.url, demo_size=None)
    barrier = server_factory(database_url=second_url, redis_url=redis_proc.url, demo_size=None)
    clinic = session["clinic"]["id"]
    listing = await _call("GET", f"{first.url}/api/clinics/{clinic}/conversations", token)
    items = listing.json()["items"]
    conversation_id = items[0]["id"]  # the same id, clinic and next seq in both databases

    ws = await connect(second.ws_url, token, since=0)
    try:
        while (await next_frame(ws)).type is not EventType.READY:
            pass  # the replay of the second database's log
        await _note(first, token, conversation_id, "written in the first database")
        logout = await _call("POST", f"{first.url}/api/auth/logout", token)
        assert logout.status_code == 204
        barrier_token, _ = login(barrier.url, AURORA)
        await _note(barrier, barrier_token, conversation_id, "written in the second database")
        # the first thing the socket gets is the second database's note: no note of the
        # first database before it, and no close (the first database's logout is not its)
        event = await next_frame(ws)
        assert event.type is EventType.NOTE_CREATED, event
        assert event.data["body"] == "written in the second database", event
        assert event.conversation_id == conversation_id
    finally:
        await ws.close()


class _Seen:
    """Revoked token hashes a bus reported, awaitable by count."""

    def __init__(self) -> None:
        self.hashes: list[str] = []
        self._changed = asyncio.Event()

    def __call__(self, token_hash: str) -> None:
        self.hashes.append(token_hash)
        self._changed.set()

    async def wait_for(self, count: int) -> list[str]:
        async def until() -> None:
            while len(self.hashes) < count:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(until(), TIMEOUT)
        return self.hashes


async def test_a_bus_listens_and_publishes_on_its_databases_channels_only(
    redis_proc: RedisProcess,
) -> None:
    ours, theirs = identity.cache_namespace("a" * 32), identity.cache_namespace("b" * 32)
    assert channels(ours) == (f"{ours}inbox:live", f"{ours}inbox:revoked")
    publisher = await Bus.create(redis_proc.url, cooldown=0.05, namespace=ours)
    same = await Bus.create(redis_proc.url, cooldown=0.05, namespace=ours)
    other = await Bus.create(redis_proc.url, cooldown=0.05, namespace=theirs)
    raw = aioredis.Redis.from_url(redis_proc.url)
    events: list[LiveEvent] = []
    other.subscribe(events.append)
    seen = {same: _Seen(), other: _Seen()}
    try:
        for bus, inbox in seen.items():
            await asyncio.wait_for(bus.listening.wait(), TIMEOUT)
            bus.on_revoked(inbox)
        await publisher.publish(
            LiveEvent(
                seq=1,
                type=EventType.CONVERSATION_UPDATED,
                clinic_id=1,
                conversation_id=5,
                data={"id": 5},
                invalidate=[],
            )
        )
        await publisher.publish_revoked("ab" * 32)
        # published after, on the other database's channel: once it arrived, anything of
        # ours that reached that listener would have arrived before it
        await raw.publish(channels(theirs)[1], b"a-third-instance " + b"cd" * 32)
        assert await seen[same].wait_for(1) == ["ab" * 32]
        assert await seen[other].wait_for(1) == ["cd" * 32]
        assert events == []
    finally:
        await raw.aclose()
        for bus in (publisher, same, other):
            await bus.close()
