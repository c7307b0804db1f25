"""Tests for inbox_app/server/cache/aside.py and its jobs (reads.py, invalidation.py, journal.py)

A real redis-server is killed (SIGKILL) or hung (SIGSTOP). The breaker must keep requests
answering from the database; what is asserted is how many requests paid a Redis timeout
(at most the breaker's threshold), never a wall-clock time.
"""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from inbox_app.contract.policy import CacheKind
from inbox_app.server.cache.aside import Cache
from tests.server.cache.test_aside import Loader
from tests.support import RedisProcess

pytestmark = pytest.mark.redis

KEY = "patient:7:data"
KIND = CacheKind.PATIENT_DATA
REQUESTS = 30


async def _read_many(cache: Cache, load: Loader) -> None:
    for i in range(REQUESTS):
        value = await cache.get_or_load(KIND, f"patient:{i}:data", load)
        assert value is not None and value.body == load.value


@pytest.mark.parametrize("fault", ["killed", "hung"])
async def test_a_dead_or_hung_redis_opens_the_breaker_and_reads_still_answer(
        fault: str, redis_proc: RedisProcess, cache: Cache) -> None:
    load = Loader()
    await cache.get_or_load(KIND, KEY, load)
    redis_proc.kill() if fault == "killed" else redis_proc.pause()

    await _read_many(cache, load)

    figures = cache.metrics()[KIND.value]
    # only the reads before the breaker opened paid a Redis failure: the threshold's count
    # of refused connections, or one 100 ms timeout; every later one went straight to the
    # database
    paid = cache.breaker.threshold if fault == "killed" else 1
    assert cache.breaker.threshold > 1
    assert figures["errors"] == paid
    assert figures["skipped"] == REQUESTS - paid
    assert load.calls == 1 + REQUESTS
    assert cache.breaker.is_open and cache.health() == "down"
    if fault == "hung":
        redis_proc.resume()


async def test_the_cache_resumes_by_itself_when_redis_comes_back(
        redis_proc: RedisProcess, cache: Cache) -> None:
    load = Loader()
    redis_proc.kill()
    await _read_many(cache, load)
    assert cache.health() == "down"

    redis_proc.start()  # same port, empty
    await asyncio.wait_for(cache.breaker.wait_closed(), 10)

    assert cache.health() == "up"
    await cache.get_or_load(KIND, KEY, load)
    hits_before = cache.metrics()[KIND.value]["hits"]
    await cache.get_or_load(KIND, KEY, load)
    assert cache.metrics()[KIND.value]["hits"] == hits_before + 1


async def test_redis_down_at_start_then_up(tmp_path) -> None:
    redis = RedisProcess(tmp_path)  # port chosen, not started yet
    cache = await Cache.create(redis.url, cooldown=0.05)
    try:
        assert cache.health() == "down"
        load = Loader()
        assert (await cache.get_or_load(KIND, KEY, load)).body == load.value
        redis.start()
        await asyncio.wait_for(cache.breaker.wait_closed(), 10)
        assert cache.health() == "up"
    finally:
        await cache.close()
        redis.close()


async def test_invalidations_missed_while_redis_hung_are_applied_before_it_is_used_again(
        redis_proc: RedisProcess, cache: Cache) -> None:
    load = Loader(value=b'{"name": "old"}')
    await cache.get_or_load(KIND, KEY, load)  # Redis now holds the old value
    redis_proc.pause()
    await _read_many(cache, Loader())  # the breaker opens
    assert cache.breaker.is_open

    load.value = b'{"name": "new"}'  # the database changed...
    await cache.invalidate([KEY])  # ...and the delete could not reach Redis

    redis_proc.resume()  # Redis comes back with the old value still in it
    await asyncio.wait_for(cache.breaker.wait_closed(), 10)
    value = await cache.get_or_load(KIND, KEY, load)
    assert value.body == b'{"name": "new"}'


async def test_the_slow_reader_race_exists_with_plain_cache_aside(
        redis_proc: RedisProcess) -> None:
    """The race this cache closes, shown with plain GET/SET on the same real Redis."""
    client = aioredis.Redis.from_url(redis_proc.url)
    try:
        database = {"row": "old"}
        assert await client.get(KEY) is None  # reader: miss...
        loaded = database["row"]  # ...reader loads the old row, then stalls
        database["row"] = "new"  # writer commits...
        await client.delete(KEY)  # ...and invalidates
        await client.set(KEY, loaded)  # the slow reader writes what it loaded
        assert await client.get(KEY) == b"old"  # stale, and stays until its TTL
    finally:
        await client.aclose()


@pytest.mark.parametrize("writer_instance", ["same", "other"])
async def test_a_slow_reader_cannot_write_back_a_value_invalidated_during_its_load(
        writer_instance: str, redis_proc: RedisProcess, cache: Cache) -> None:
    other = await Cache.create(redis_proc.url)
    writer = cache if writer_instance == "same" else other
    database = {"row": b'{"name": "old"}'}
    loaded_old_row = asyncio.Event()
    writer_done = asyncio.Event()

    async def slow_load() -> tuple[int, bytes]:
        row = database["row"]
        loaded_old_row.set()
        await writer_done.wait()  # the reader stalls between reading and caching
        return 1, row

    async def fresh_load() -> tuple[int, bytes]:
        return 1, database["row"]

    try:
        reader = asyncio.create_task(cache.get_or_load(KIND, KEY, slow_load))
        await loaded_old_row.wait()
        database["row"] = b'{"name": "new"}'  # the writer commits
        await writer.invalidate([KEY])  # then drops the key
        writer_done.set()
        assert (await reader).body == b'{"name": "old"}'  # read before the write: fine

        # what matters: the old value did not land in Redis after the delete
        for instance in (cache, other):
            value = await instance.get_or_load(KIND, KEY, fresh_load)
            assert value.body == b'{"name": "new"}'
    finally:
        await other.close()


async def test_a_reader_that_joined_an_abandoned_refresh_still_gets_its_value(
        redis_proc: RedisProcess, cache: Cache) -> None:
    load = Loader()
    redis_proc.pause()  # the refresh cannot read the generation, so it gives up
    refresh = asyncio.create_task(cache.refresh([(KIND, KEY, load)]))
    await asyncio.sleep(0)  # one loop turn: the refresh registers as the key's load
    value = await cache.get_or_load(KIND, KEY, load)  # joins it, then reads for itself
    await refresh
    redis_proc.resume()
    assert value is not None and value.body == load.value
    assert load.calls == 1  # the abandoned refresh cost no database load
