"""Tests for inbox_app/server/cache/aside.py against a real redis-server the tests own.

Kill and SIGSTOP come from ``redis_proc`` (tests/support.py). Assertions are on counts and
breaker state, never on wall-clock time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import zlib

import pytest
import redis.asyncio as aioredis

from inbox_app.contract.policy import POLICY, CacheKind, key
from inbox_app.server.cache.aside import Cache
from inbox_app.server.cache.values import CachedValue, decode, encode

pytestmark = pytest.mark.redis

IDS = {
    CacheKind.CONVERSATIONS_LIST: {"clinic_id": 1},
    CacheKind.CONVERSATION_DETAIL: {"conversation_id": 11},
    CacheKind.USER_SESSION: {"user_id": 3},
    CacheKind.PATIENT_DATA: {"patient_id": 7},
}


class Loader:
    """A database stand-in that counts loads and returns whatever ``value`` currently is."""

    def __init__(self, owner: int = 1, value: bytes = b'{"v": 1}') -> None:
        self.owner = owner
        self.value: bytes | None = value
        self.calls = 0

    async def __call__(self) -> tuple[int, bytes] | None:
        self.calls += 1
        return None if self.value is None else (self.owner, self.value)


async def test_without_redis_every_read_loads_and_health_is_disabled() -> None:
    cache = await Cache.create(None)
    load = Loader()
    for _ in range(3):
        value = await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:7:data", load)
        assert value == CachedValue(1, b'{"v": 1}', False)
    assert load.calls == 3
    assert cache.health() == "disabled"
    assert set(cache.metrics()) == {k.value for k in CacheKind}
    assert cache.metrics()["patient_data"]["hits"] == 0
    await cache.close()


@pytest.mark.parametrize("kind", list(CacheKind))
async def test_miss_then_hit_per_kind_with_the_policy_ttl(
        kind: CacheKind, cache: Cache, raw: aioredis.Redis) -> None:
    cache_key = key(kind, **IDS[kind])
    load = Loader(owner=4, value=b'{"kind": "%s"}' % kind.value.encode())

    first = await cache.get_or_load(kind, cache_key, load)
    second = await cache.get_or_load(kind, cache_key, load)

    assert load.calls == 1
    assert first == second == CachedValue(4, load.value, False)
    ttl = await raw.ttl(cache_key)
    assert POLICY[kind].ttl_seconds - 5 <= ttl <= POLICY[kind].ttl_seconds
    figures = cache.metrics()[kind.value]
    assert (figures["hits"], figures["misses"], figures["loads"]) == (1, 1, 1)
    assert figures["hit_rate"] == 0.5
    assert figures["bytes_stored"] > 0
    assert cache.health() == "up"


async def test_not_found_is_not_cached(cache: Cache) -> None:
    load = Loader(value=None)
    for _ in range(2):
        assert await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:9:data", load) is None
    assert load.calls == 2


async def test_compression_round_trip_and_small_values_stay_readable(
        cache: Cache, raw: aioredis.Redis) -> None:
    big = json.dumps({"items": [{"id": i, "preview": "Olá, bom dia!"} for i in range(500)]})
    big_load = Loader(owner=2, value=big.encode())
    small_load = Loader(owner=2, value=b'{"id": 7}')

    miss = await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, "conversations:clinic:2",
                                   big_load)
    hit = await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, "conversations:clinic:2",
                                  big_load)
    await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:7:data", small_load)

    assert miss == hit and hit.compressed and hit.owner_clinic_id == 2
    assert zlib.decompress(hit.body) == big.encode() == hit.json_bytes()
    assert (await raw.get("conversations:clinic:2")).startswith(b"2:z@")
    small = await raw.get("patient:7:data")
    assert small.startswith(b"2:j@") and small.endswith(b':{"id": 7}')
    figures = cache.metrics()["conversations_list"]
    assert 0 < figures["bytes_stored"] < len(big)
    assert figures["bytes_saved"] == len(big) - len(hit.body)


def test_codec_rejects_values_not_in_its_format() -> None:
    stored, value = encode(12, b'{"a": 1}', expires_ms=1_700_000_000_000, delta_ms=35)
    assert stored == b'12:j@1700000000000+35:{"a": 1}'
    assert decode(stored) == value
    assert (value.expires_ms, value.delta_ms) == (1_700_000_000_000, 35)
    # the format before the timing: still read, never refreshed early
    legacy = decode(b'12:j:{"a": 1}')
    assert legacy == value and legacy is not None and legacy.expires_ms == 0
    for bad in (b"", b"{}", b"x:j:{}", b"12:q:{}", b"12j:{}", b":j:{}", b"12:j@:{}",
                b"12:j@17+:{}", b"12:j@x+1:{}", b"12:j@17+1", b"12:j#17+1:{}"):
        assert decode(bad) is None, bad


async def test_a_corrupt_entry_is_reloaded(cache: Cache, raw: aioredis.Redis) -> None:
    await raw.set("patient:7:data", b"not our format")
    load = Loader()
    value = await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:7:data", load)
    assert value.body == b'{"v": 1}' and load.calls == 1
    assert decode(await raw.get("patient:7:data")) == CachedValue(1, b'{"v": 1}')


async def test_invalidate_drops_the_keys(cache: Cache, raw: aioredis.Redis) -> None:
    load = Loader()
    await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:7:data", load)
    load.value = b'{"v": 2}'
    await cache.invalidate(["patient:7:data", "patient:7:data"])
    assert await raw.exists("patient:7:data") == 0
    value = await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:7:data", load)
    assert value.body == b'{"v": 2}' and load.calls == 2


async def test_concurrent_misses_share_one_load(cache: Cache) -> None:
    release, loading = asyncio.Event(), asyncio.Event()
    calls = 0

    async def slow_load() -> tuple[int, bytes]:
        nonlocal calls
        calls += 1
        loading.set()
        await release.wait()
        return 1, b'{"shared": true}'

    readers = [asyncio.create_task(
        cache.get_or_load(CacheKind.CONVERSATION_DETAIL, "conversation:5:detail", slow_load))
        for _ in range(20)]
    await loading.wait()  # every reader has joined by then: the load follows two Redis reads
    release.set()
    values = await asyncio.gather(*readers)

    assert calls == 1
    assert {v.body for v in values} == {b'{"shared": true}'}
    figures = cache.metrics()["conversation_detail"]
    assert figures["loads"] == 1 and figures["coalesced"] == 19


async def test_a_cancelled_reader_does_not_cancel_the_shared_load(cache: Cache) -> None:
    release = asyncio.Event()
    started = asyncio.Event()

    async def slow_load() -> tuple[int, bytes]:
        started.set()
        await release.wait()
        return 1, b"{}"

    first = asyncio.create_task(
        cache.get_or_load(CacheKind.PATIENT_DATA, "patient:1:data", slow_load))
    await started.wait()
    second = asyncio.create_task(
        cache.get_or_load(CacheKind.PATIENT_DATA, "patient:1:data", slow_load))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    assert (await second).body == b"{}"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_verbose_logs_hit_and_miss_lines(cache: Cache,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="inbox_app.server.cache.reads")
    load = Loader()
    await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:7:data", load)
    await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:7:data", load)
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("cache MISS patient:7:data") for line in lines)
    assert any(line.startswith("cache HIT patient:7:data (") and line.endswith(" ms)")
               for line in lines)


async def test_warm_loads_what_is_missing_without_touching_the_read_metrics(
        cache: Cache, raw: aioredis.Redis) -> None:
    loads = {clinic: Loader(owner=clinic) for clinic in (1, 2)}
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, "conversations:clinic:1", loads[1])
    before = cache.metrics()["conversations_list"]

    warmed = await cache.warm([
        (CacheKind.CONVERSATIONS_LIST, f"conversations:clinic:{c}", loads[c]) for c in (1, 2)])

    assert warmed == 1 and loads[1].calls == 1 and loads[2].calls == 1
    assert await raw.exists("conversations:clinic:2") == 1
    after = cache.metrics()["conversations_list"]
    assert (after["hits"], after["misses"]) == (before["hits"], before["misses"])


async def test_refresh_after_a_write_stores_the_new_value_so_re_reads_hit(
        cache: Cache, raw: aioredis.Redis) -> None:
    load = Loader(value=b'{"v": "old"}')
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, "conversations:clinic:1", load)
    load.value = b'{"v": "new"}'  # the write commits...
    await cache.invalidate(["conversations:clinic:1"])
    await cache.refresh([(CacheKind.CONVERSATIONS_LIST, "conversations:clinic:1", load)])

    assert decode(await raw.get("conversations:clinic:1")) == CachedValue(1, b'{"v": "new"}')
    value = await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, "conversations:clinic:1", load)
    assert value.body == b'{"v": "new"}' and load.calls == 2
    figures = cache.metrics()["conversations_list"]
    assert (figures["refreshes"], figures["hits"]) == (1, 1)


async def test_a_refresh_overtaken_by_a_later_write_does_not_store(
        cache: Cache, raw: aioredis.Redis) -> None:
    database = {"row": b'{"v": 1}'}
    loading, release = asyncio.Event(), asyncio.Event()

    async def slow_load() -> tuple[int, bytes]:
        row = database["row"]
        loading.set()
        await release.wait()
        return 1, row

    first = asyncio.create_task(
        cache.refresh([(CacheKind.PATIENT_DATA, "patient:7:data", slow_load)]))
    await loading.wait()
    database["row"] = b'{"v": 2}'  # a second write commits and invalidates
    await cache.invalidate(["patient:7:data"])
    release.set()
    await first
    assert await raw.get("patient:7:data") is None
