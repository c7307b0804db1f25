"""Early refresh of hot keys: XFetch (Vattani, Chierichetti and Lowenstein, "Optimal
Probabilistic Cache Stampede Prevention", VLDB 2015).

On a hit, a reader refreshes the key in the background when

    now - delta * beta * ln(rand()) >= expiry

where ``delta`` is what the value's last database load took and ``rand()`` is uniform on
(0, 1]: the probability rises as the expiry nears, and earlier for values that are costly to
load. A key read often is then reloaded before it expires, so its readers never miss; a key
read rarely just expires (no load is spent on it). Both figures ride in the stored value
(:mod:`inbox_app.server.cache.values`), so the hit stays one Redis GET.

One refresh per key at a time: in this process (a set of keys in flight), and across
instances through a short Redis lock (``SET NX``, released when the refresh ends, expiring
with the value if its holder dies). The refresh loads under the generation guard like any
reader, so a write during it wins.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable

from inbox_app.contract.policy import CacheKind
from inbox_app.server.cache.link import RedisLink
from inbox_app.server.cache.values import CachedValue
from inbox_app.server.redis.client import REDIS_ERRORS

logger = logging.getLogger(__name__)

LOCK_PREFIX = "refresh:"
#: a hit further from expiry than ``delta * beta * _FAR`` skips the draw: it would refresh
#: with probability e^-40 (4e-18)
_FAR = 40.0

#: reloads ``key`` bypassing the Redis read and stores it under the guard (``SharedReads``)
Reload = Callable[[], Awaitable[object]]


def refresh_due(
    now_ms: float, expires_ms: float, delta_ms: float, beta: float, rand: float
) -> bool:
    """XFetch's test: whether a hit at ``now_ms`` refreshes a value expiring at
    ``expires_ms`` whose last load took ``delta_ms``; ``rand`` is uniform on (0, 1]."""
    return now_ms - delta_ms * beta * math.log(rand) >= expires_ms


class EarlyRefresh:
    """Decides on each hit whether to refresh, and runs the refreshes in the background.

    ``rng`` and ``clock`` (Unix seconds) are injectable so tests can seed the draw."""

    def __init__(
        self,
        link: RedisLink,
        *,
        beta: float = 1.0,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._link = link
        self.beta = beta
        self._rng = rng or random.Random()
        self._clock = clock
        self._running: dict[str, asyncio.Task[None]] = {}

    def due(self, value: CachedValue) -> bool:
        """Whether this hit on ``value`` should refresh it (never for a value without its
        expiry, stored by an older server). On every hit: kept to a few operations."""
        expires = value.expires_ms
        if not expires:
            return False
        now = self._clock() * 1000.0
        if expires - now > value.delta_ms * self.beta * _FAR:
            return False  # the usual hit, far from expiry: no draw
        # 1 - random() is uniform on (0, 1]: log(0) cannot happen
        return refresh_due(now, expires, value.delta_ms, self.beta, 1.0 - self._rng.random())

    def start(self, kind: CacheKind, key: str, value: CachedValue, reload: Reload) -> None:
        """Refreshes ``key`` in the background unless a refresh of it is already running
        here; ``reload`` loads and stores it (counted as a load of ``kind``)."""
        if key in self._running:
            return
        task = asyncio.get_running_loop().create_task(
            self._refresh(kind, key, value, reload), name=f"cache-early-refresh {key}"
        )
        self._running[key] = task
        task.add_done_callback(functools.partial(self._done, key))

    def _done(self, key: str, task: asyncio.Task[None]) -> None:
        if self._running.get(key) is task:
            del self._running[key]

    async def _refresh(self, kind: CacheKind, key: str, value: CachedValue, reload: Reload) -> None:
        link = self._link
        lock = link.namespace + LOCK_PREFIX + key
        # held at most until the value expires: a refresher that dies costs one expiry
        hold_ms = max(1, int(value.expires_ms - self._clock() * 1000.0))
        try:
            if not await link.redis.set(lock, b"1", nx=True, px=hold_ms):
                return  # another instance is refreshing it
        except REDIS_ERRORS as exc:
            link.failed(link.metrics[kind], "early refresh lock", key, exc)
            return
        link.metrics[kind].early_refreshes += 1
        if link.verbose:
            logger.debug("cache EARLY REFRESH %s", key)
        try:
            await reload()
        except Exception:  # a load failure costs this refresh only; the value stays
            logger.warning("cache: early refresh of %s failed", key, exc_info=True)
        finally:
            try:
                await link.redis.delete(lock)
            except REDIS_ERRORS as exc:  # it expires with the value
                logger.debug("cache: releasing the refresh lock of %s failed: %r", key, exc)

    async def settle(self) -> None:
        """Returns once no refresh started here is running."""
        while self._running:
            await asyncio.wait(list(self._running.values()))

    async def stop(self) -> None:
        """Cancels the refreshes in flight and waits for them (the cache is closing: each
        releases its lock while the client is still open)."""
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
