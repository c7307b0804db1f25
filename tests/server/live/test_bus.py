"""Tests for inbox_app/server/live/bus.py: in-process fan-out and Redis pub/sub between instances.

Two ``Bus`` objects on one real redis-server stand for two server processes; the server
subprocess version of the same story is in tests/server/test_instances.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as aioredis

from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.server.cache.aside import Cache
from inbox_app.server.live.bus import CHANNEL, REVOKED_CHANNEL, Bus
from tests.support import RedisProcess


def event(seq: int, clinic_id: int = 1) -> LiveEvent:
    return LiveEvent(seq=seq, type=EventType.CONVERSATION_UPDATED, clinic_id=clinic_id,
                     conversation_id=5, data={"id": 5}, invalidate=["conversations:clinic:1"])


class Inbox:
    """A subscriber that records events and lets a test await a count of them."""

    def __init__(self) -> None:
        self.events: list[LiveEvent] = []
        self._changed = asyncio.Event()

    def __call__(self, item: LiveEvent) -> None:
        self.events.append(item)
        self._changed.set()

    async def wait_for(self, count: int, within: float = 5.0) -> list[LiveEvent]:
        await self.wait_until(lambda: len(self.events) >= count, within)
        return self.events

    async def wait_until(self, condition: Callable[[], bool], within: float = 5.0) -> None:
        async def until() -> None:
            while not condition():
                self._changed.clear()
                await self._changed.wait()
        await asyncio.wait_for(until(), within)

    @property
    def seqs(self) -> list[int]:
        return [e.seq for e in self.events]


async def test_in_process_bus_delivers_to_sync_and_async_subscribers_despite_a_failing_one(
        caplog: pytest.LogCaptureFixture) -> None:
    bus = await Bus.create(None)
    sync_inbox, seen_async = Inbox(), []

    async def async_subscriber(item: LiveEvent) -> None:
        seen_async.append(item.seq)

    def broken(item: LiveEvent) -> None:
        raise RuntimeError("boom")

    bus.subscribe(broken)
    bus.subscribe(sync_inbox)
    bus.subscribe(async_subscriber)
    await bus.publish(event(1))
    assert sync_inbox.seqs == [1] and seen_async == [1]
    assert "bus: a subscriber of seq=" in caplog.text and " failed" in caplog.text
    assert bus.health() == "disabled"
    await bus.close()


@pytest.fixture
async def buses(redis_proc: RedisProcess) -> AsyncIterator[Callable[[], Bus]]:
    made: list[Bus] = []

    async def make() -> Bus:
        bus = await Bus.create(redis_proc.url, cooldown=0.05)
        made.append(bus)
        return bus

    yield make
    for bus in made:
        await bus.close()


@pytest.mark.redis
async def test_a_bus_publishes_through_the_process_pooled_client_and_leaves_it_open(
        buses, redis_proc: RedisProcess) -> None:
    cache = await Cache.create(redis_proc.url)
    mine = await Bus.create(redis_proc.url, cooldown=0.05, client=cache.client)
    other = await buses()
    try:
        assert mine.listening.is_set() and other.listening.is_set()
        inbox = Inbox()
        other.subscribe(inbox)
        await mine.publish(event(1))
        assert [e.seq for e in await inbox.wait_for(1)] == [1]
    finally:
        await mine.close()
    assert await cache.client.ping()  # the cache's pool still serves
    await cache.close()


@pytest.mark.redis
async def test_an_event_published_on_one_instance_reaches_the_other_once_in_order(
        buses) -> None:
    a, b = await buses(), await buses()
    assert a.listening.is_set() and b.listening.is_set()
    inbox_a, inbox_b = Inbox(), Inbox()
    a.subscribe(inbox_a)
    b.subscribe(inbox_b)

    for seq in range(1, 51):
        await a.publish(event(seq))

    assert [e.seq for e in await inbox_b.wait_for(50)] == list(range(1, 51))
    assert inbox_b.events[0] == event(1)  # the whole event crosses, invalidate list included
    await b.publish(event(51))  # a round trip through Redis proves A got no echo meanwhile
    await inbox_a.wait_for(51)
    assert inbox_a.seqs == list(range(1, 52))


@pytest.mark.redis
async def test_a_stray_message_on_the_channel_is_dropped(buses, redis_proc) -> None:
    a, b = await buses(), await buses()
    inbox = Inbox()
    b.subscribe(inbox)
    client = aioredis.Redis.from_url(redis_proc.url)
    await client.publish(CHANNEL, b"someone not json at all")
    await client.aclose()
    await a.publish(event(1))
    assert (await inbox.wait_for(1))[0].seq == 1 and len(inbox.events) == 1


@pytest.mark.redis
@pytest.mark.parametrize("fault", ["killed", "hung"])
async def test_local_delivery_works_while_redis_is_down_and_remote_resumes_after(
        fault: str, buses, redis_proc: RedisProcess) -> None:
    a, b = await buses(), await buses()
    inbox_a, inbox_b = Inbox(), Inbox()
    a.subscribe(inbox_a)
    b.subscribe(inbox_b)
    reconnected = asyncio.Event()
    b.on_reconnect(reconnected.set)

    redis_proc.kill() if fault == "killed" else redis_proc.pause()
    for seq in range(1, 11):
        await a.publish(event(seq))
    assert inbox_a.seqs == list(range(1, 11))  # own sockets never wait for Redis
    assert a.breaker.is_open  # after 3 failed publishes the rest skipped Redis
    assert a.health() == "down"

    if fault == "killed":
        redis_proc.start()
        await asyncio.wait_for(reconnected.wait(), 10)  # B's listener noticed and came back
    else:
        redis_proc.resume()
    await asyncio.wait_for(a.breaker.wait_closed(), 10)
    await asyncio.wait_for(b.listening.wait(), 10)
    await a.publish(event(11))
    # a hung Redis may still deliver the publishes that timed out once it resumes; what
    # matters is that the channel works again
    await inbox_b.wait_until(lambda: 11 in inbox_b.seqs)


@pytest.mark.redis
async def test_a_revoked_token_reaches_the_other_instances_and_stray_ones_are_dropped(
        buses, redis_proc: RedisProcess, caplog: pytest.LogCaptureFixture) -> None:
    a, b = await buses(), await buses()
    seen = {a: Inbox(), b: Inbox()}
    for bus, inbox in seen.items():
        bus.on_revoked(inbox)
    raw = aioredis.Redis.from_url(redis_proc.url)
    mine, theirs = "ab" * 32, "cd" * 32
    try:
        for stray in (b"no-origin-and-no-hash", b"someone DROP TABLE tokens", b"x " + b"g" * 64):
            await raw.publish(REVOKED_CHANNEL, stray)
        await a.publish_revoked(mine)
        await raw.publish(REVOKED_CHANNEL, b"a-third-instance " + theirs.encode())
        await seen[a].wait_for(1)
        await seen[b].wait_for(2)
    finally:
        await raw.aclose()
    assert seen[a].events == [theirs]  # not its own: the publisher acted on it itself
    assert seen[b].events == [mine, theirs]  # in order, once, and none of the strays
    # each instance dropped each stray message (delivered before the last one), saying so
    assert sum("not a token hash" in r.getMessage() for r in caplog.records) == 2 * 3
