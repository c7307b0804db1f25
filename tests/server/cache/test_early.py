"""Early refresh of hot keys, XFetch (inbox_app/server/cache/early.py): the refresh
probability and timing with a seeded random source, one refresh per key across readers and
instances, the generation guard, and a steady reader that never misses, in process and
through a real server.

The steady-reader tests depend on real expiry in Redis, so they run on short TTLs
(``CacheTuning.ttl_seconds``, ``INBOX_CACHE_TTLS``); they assert counts (misses, refreshes),
never durations.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
import redis.asyncio as aioredis
from prometheus_client.parser import text_string_to_metric_families

from inbox_app.contract.policy import CacheKind
from inbox_app.server.cache.aside import Cache
from inbox_app.server.cache.early import EarlyRefresh, refresh_due
from inbox_app.server.cache.link import RedisLink
from inbox_app.server.cache.tuning import CacheTuning
from inbox_app.server.cache.values import CachedValue, decode
from tests.server.cache.test_aside import Loader
from tests.server.conftest import sign_in
from tests.support import RedisProcess, ServerProcess

KEY = "patient:7:data"
PATIENT = CacheKind.PATIENT_DATA


# --- the probability and timing, with a seeded random source ------------------------------


def share_due(
    rng: random.Random, *, gap_ms: float, delta_ms: float, beta: float = 1.0, draws: int = 20_000
) -> float:
    """The share of ``draws`` hits, ``gap_ms`` before expiry, that refresh."""
    due = sum(
        refresh_due(1_000_000 - gap_ms, 1_000_000, delta_ms, beta, 1.0 - rng.random())
        for _ in range(draws)
    )
    return due / draws


def test_the_refresh_probability_rises_as_expiry_nears_and_with_the_load_cost() -> None:
    rng = random.Random(14)
    # XFetch: P(refresh) = exp(-gap / (delta * beta))
    shares = {gap: share_due(rng, gap_ms=gap, delta_ms=100) for gap in (400, 200, 100, 50, 10)}
    for gap, share in shares.items():
        assert share == pytest.approx(math.exp(-gap / 100), abs=0.01), gap
    assert list(shares.values()) == sorted(shares.values())  # nearer expiry: more likely
    # a costlier load refreshes earlier, and beta scales the cost
    cheap = share_due(rng, gap_ms=200, delta_ms=20)
    costly = share_due(rng, gap_ms=200, delta_ms=200)
    assert cheap < 0.001
    assert costly == pytest.approx(math.exp(-1), abs=0.01)
    assert share_due(rng, gap_ms=200, delta_ms=100, beta=2.0) == pytest.approx(
        math.exp(-1), abs=0.01
    )


def test_the_refresh_timing_at_the_edges() -> None:
    # rand = 1: ln(1) = 0, so never before the expiry; at or after it, always
    assert not refresh_due(999, 1000, 50, 1.0, 1.0)
    assert refresh_due(1000, 1000, 50, 1.0, 1.0)
    rng = random.Random(3)
    assert all(refresh_due(1000, 1000, 50, 1.0, 1.0 - rng.random()) for _ in range(1000))
    # a value without a load cost is refreshed only when it has expired
    assert not any(refresh_due(999, 1000, 0, 1.0, 1.0 - rng.random()) for _ in range(1000))


def test_a_seeded_source_decides_hits_reproducibly_from_the_stored_timing() -> None:
    link = RedisLink(None, probe=_never)
    now = 1_700_000_000.0  # seconds, as time.time()

    def decisions(seed: int, value: CachedValue) -> list[bool]:
        early = EarlyRefresh(link, beta=1.0, rng=random.Random(seed), clock=lambda: now)
        return [early.due(value) for _ in range(2000)]

    # 100 ms to expiry, a 50 ms load: about exp(-2) of the hits refresh
    value = CachedValue(1, b"{}", expires_ms=int(now * 1000) + 100, delta_ms=50)
    first = decisions(7, value)
    assert first == decisions(7, value)
    assert sum(first) / len(first) == pytest.approx(math.exp(-2), abs=0.02)
    # a value stored without its timing (an older server's) is never refreshed early
    assert not any(decisions(7, CachedValue(1, b"{}")))
    # an expired one always is
    assert all(decisions(7, CachedValue(1, b"{}", expires_ms=int(now * 1000), delta_ms=1)))


async def _never() -> None:
    raise AssertionError("no probe without Redis")


# --- in process, against a real Redis -----------------------------------------------------

pytest_redis = pytest.mark.redis


def always() -> CacheTuning:
    """Every hit refreshes (beta far beyond any gap), so tests choose when by the load."""
    return CacheTuning(early_refresh_beta=1e12)


@pytest.fixture
async def eager(redis_proc: RedisProcess) -> AsyncIterator[Cache]:
    cache = await Cache.create(redis_proc.url, tuning=always())
    yield cache
    await cache.close()


class HeldLoader(Loader):
    """A loader that, once ``hold`` is set, waits for ``release`` (and says it is loading)."""

    def __init__(self, value: bytes = b'{"v": 1}') -> None:
        super().__init__(value=value)
        self.hold = False
        self.loading, self.release = asyncio.Event(), asyncio.Event()

    async def __call__(self) -> tuple[int, bytes] | None:
        value = self.value
        if self.hold:
            self.loading.set()
            await self.release.wait()
        self.calls += 1
        return None if value is None else (self.owner, value)


@pytest_redis
async def test_one_refresh_per_key_however_many_hits_ask(eager: Cache, raw: aioredis.Redis) -> None:
    load = HeldLoader()
    await eager.get_or_load(PATIENT, KEY, load)  # the miss that stores it
    load.hold, load.value = True, b'{"v": 2}'
    hits = [await eager.get_or_load(PATIENT, KEY, load) for _ in range(20)]
    await asyncio.wait_for(load.loading.wait(), 10)
    assert {hit.body for hit in hits if hit} == {b'{"v": 1}'}  # no hit waited for it
    load.release.set()
    await eager.settle()

    figures = eager.metrics()[PATIENT.value]
    assert (figures["misses"], figures["hits"], figures["early_refreshes"]) == (1, 20, 1)
    assert load.calls == 2
    stored = decode(await raw.get(KEY))
    assert stored == CachedValue(1, b'{"v": 2}')
    assert await raw.exists("refresh:" + KEY) == 0  # the lock went with the refresh


@pytest_redis
async def test_one_refresh_per_key_across_instances(
    eager: Cache, redis_proc: RedisProcess, raw: aioredis.Redis
) -> None:
    other = await Cache.create(redis_proc.url, tuning=always())
    try:
        load, theirs = HeldLoader(), Loader(value=b'{"v": "other"}')
        await eager.get_or_load(PATIENT, KEY, load)
        load.hold = True
        await eager.get_or_load(PATIENT, KEY, load)  # a hit: its refresh takes the lock
        await asyncio.wait_for(load.loading.wait(), 10)
        assert await raw.exists("refresh:" + KEY) == 1
        for _ in range(5):  # the other instance's hits find the lock taken
            await other.get_or_load(PATIENT, KEY, theirs)
        await other.settle()
        load.release.set()
        await eager.settle()
        assert eager.metrics()[PATIENT.value]["early_refreshes"] == 1
        assert other.metrics()[PATIENT.value]["early_refreshes"] == 0
        assert theirs.calls == 0
    finally:
        await other.close()


@pytest_redis
async def test_closing_the_cache_stops_a_refresh_and_releases_its_lock(
    redis_proc: RedisProcess, raw: aioredis.Redis
) -> None:
    cache = await Cache.create(redis_proc.url, tuning=always())
    load = HeldLoader()
    await cache.get_or_load(PATIENT, KEY, load)
    load.hold = True
    await cache.get_or_load(PATIENT, KEY, load)
    await asyncio.wait_for(load.loading.wait(), 10)
    assert await raw.exists("refresh:" + KEY) == 1
    await asyncio.wait_for(cache.close(), 10)
    assert await raw.exists("refresh:" + KEY) == 0
    assert load.calls == 1  # the held load never finished


@pytest_redis
async def test_a_refresh_overtaken_by_a_write_does_not_store(
    eager: Cache, raw: aioredis.Redis
) -> None:
    load = HeldLoader()
    await eager.get_or_load(PATIENT, KEY, load)
    load.hold = True
    await eager.get_or_load(PATIENT, KEY, load)
    await asyncio.wait_for(load.loading.wait(), 10)  # it read the row before the write
    await eager.invalidate([KEY])  # the write commits and drops the key
    load.release.set()
    await eager.settle()
    assert await raw.exists(KEY) == 0  # the refresh's older row was not stored


@pytest_redis
async def test_a_patched_value_keeps_its_expiry_and_load_cost(
    eager: Cache, raw: aioredis.Redis
) -> None:
    await eager.get_or_load(PATIENT, KEY, Loader())
    before = decode(await raw.get(KEY))
    await eager.invalidate([KEY], lambda key, old: (1, b'{"v": "patched"}'))
    after = decode(await raw.get(KEY))
    assert before is not None and after is not None and after.body == b'{"v": "patched"}'
    assert after.delta_ms == before.delta_ms >= 1
    # the same expiry, give or take the milliseconds between the PTTL and the clock read
    assert abs(after.expires_ms - before.expires_ms) < 1000


@pytest_redis
async def test_a_steady_reader_of_a_hot_key_never_misses(redis_proc: RedisProcess) -> None:
    # a 1 s TTL and a beta that puts the refresh some hundreds of ms before expiry for the
    # 1 ms a load here is counted (the floor)
    tuning = CacheTuning(early_refresh_beta=300, ttl_seconds={PATIENT: 1.0})
    cache = await Cache.create(redis_proc.url, tuning=tuning)
    load = Loader()
    try:
        async with asyncio.timeout(30):
            while cache.metrics()[PATIENT.value]["early_refreshes"] < 3:  # three TTLs or more
                assert await cache.get_or_load(PATIENT, KEY, load) is not None
                await asyncio.sleep(0.01)  # the reader's pace
        await cache.settle()
    finally:
        await cache.close()
    figures = cache.metrics()[PATIENT.value]
    assert figures["misses"] == 1  # the first read only
    assert load.calls == 1 + figures["early_refreshes"]


# --- through a real server ----------------------------------------------------------------


@pytest_redis
def test_through_the_api_a_steady_reader_never_misses_and_refreshes_are_counted(
    server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess
) -> None:
    server = server_factory(
        redis_url=redis_proc.url,
        env={
            "INBOX_CACHE_TTLS": "conversation_detail=1.5",
            "INBOX_EARLY_REFRESH_BETA": "300",
            "INBOX_WARM_UNREAD": "0",
            "INBOX_METRICS_TOKEN": "scrape",
        },
    )
    ana = sign_in(server, "ana@aurora.example")
    detail = f"/api/conversations/{ana.conversations()[0]['id']}"

    def figures() -> dict[str, float]:
        # the metrics token, not a user's (issue 16: a user's token no longer reads them)
        answer = httpx.get(f"{server.url}/api/metrics", headers={"Authorization": "Bearer scrape"})
        return answer.json()["cache"]["conversation_detail"]

    before = figures()
    reads = 0
    deadline = time.monotonic() + 40  # a bound on the run, not an assertion
    while figures()["early_refreshes"] < 3 and time.monotonic() < deadline:
        for _ in range(20):
            assert ana.http.get(detail).status_code == 200
            reads += 1
    after = figures()
    text = httpx.get(f"{server.url}/metrics", headers={"Authorization": "Bearer scrape"}).text
    ana.close()
    assert after["early_refreshes"] >= 3
    assert after["misses"] == before["misses"] + 1  # the first read only
    assert after["hits"] == before["hits"] + reads - 1
    families = {f.name: f for f in text_string_to_metric_families(text)}
    counted = {s.labels["kind"]: s.value for s in families["inbox_cache_early_refreshes"].samples}
    assert counted["conversation_detail"] >= 3
    assert families["inbox_cache_early_refreshes"].type == "counter"
