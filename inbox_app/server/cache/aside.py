"""Server-side cache-aside (ARCHITECTURE.md section 5): Redis as L2 in front of the database.

Every cached read of the API goes through :meth:`Cache.get_or_load`, driven by the policy
table of ``inbox_app.contract.policy`` (keys and TTLs are built there, never here).
:class:`Cache` is the one object the rest of the server holds; each of its jobs is a module
of this package:

- the shared read, single-flight (:mod:`~inbox_app.server.cache.reads`);
- guarded invalidation with patching in place (:mod:`~inbox_app.server.cache.invalidation`,
  the patches themselves in :mod:`~inbox_app.server.cache.patching`);
- warming and the write-through refresh (:mod:`~inbox_app.server.cache.preload`);
- early refresh of hot keys on a hit (:mod:`~inbox_app.server.cache.early`, XFetch);
- the journal of invalidations missed while Redis was down
  (:mod:`~inbox_app.server.cache.journal`);

over the Redis side they share (:mod:`~inbox_app.server.cache.link`: client, breaker,
per-kind figures, generation guard). What a Redis value looks like is
:mod:`~inbox_app.server.cache.values`; what is loaded ahead, and the TTLs, are switched by
:mod:`~inbox_app.server.cache.tuning`.

A dead or hung Redis costs milliseconds: short timeouts, no retries, and a circuit breaker
(:mod:`inbox_app.server.redis.breaker`) that skips Redis after a few failures until a
background probe sees it back and has replayed the journal.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from typing import Any

from redis.asyncio import Redis

from inbox_app.contract.policy import CacheKind
from inbox_app.server.cache.invalidation import Invalidation, Patcher
from inbox_app.server.cache.journal import Journal
from inbox_app.server.cache.link import RedisLink
from inbox_app.server.cache.preload import Entries, Preloader
from inbox_app.server.cache.reads import Loader, SharedReads
from inbox_app.server.cache.tuning import CacheTuning
from inbox_app.server.cache.values import CachedValue
from inbox_app.server.redis.client import REDIS_ERRORS, connect

__all__ = ["Cache", "Loader", "Patcher"]


class Cache:
    """Cache-aside over Redis; without a Redis URL every read goes to ``load``.

    ``namespace`` prefixes every Redis key this cache uses (the database's identity, so a
    Redis shared by two databases never serves one's value to the other). ``tuning``: what
    is loaded ahead, and the TTLs; ``rng``: early refresh's random source (tests seed it).
    """

    def __init__(self, client: Any = None, *, verbose: bool = False,
                 failure_threshold: int = 3, cooldown: float = 1.0,
                 namespace: str = "", tuning: CacheTuning | None = None,
                 rng: random.Random | None = None) -> None:
        self._link = RedisLink(client, self._recover, verbose=verbose,
                               failure_threshold=failure_threshold, cooldown=cooldown,
                               namespace=namespace, tuning=tuning)
        self._reads = SharedReads(self._link, rng=rng)
        self._journal = Journal(self._link)
        self._invalidation = Invalidation(self._link, self._reads, self._journal)
        self._preload = Preloader(self._link, self._reads)
        self.breaker = self._link.breaker

    @classmethod
    async def create(cls, redis_url: str | None, *, verbose: bool = False,
                     connect_timeout: float | None = None, read_timeout: float | None = None,
                     failure_threshold: int = 3, cooldown: float = 1.0,
                     namespace: str = "", tuning: CacheTuning | None = None,
                     rng: random.Random | None = None) -> Cache:
        """A cache for ``redis_url`` (``None``: disabled, every read loads from the database).

        Never fails because Redis is down: the cache then starts ``down`` and probes.
        """
        if not redis_url:
            return cls(verbose=verbose, namespace=namespace, tuning=tuning)
        options: dict[str, Any] = {}
        if connect_timeout is not None:
            options["connect_timeout"] = connect_timeout
        if read_timeout is not None:
            options["read_timeout"] = read_timeout
        cache = cls(connect(redis_url, **options), verbose=verbose,
                    failure_threshold=failure_threshold, cooldown=cooldown,
                    namespace=namespace, tuning=tuning, rng=rng)
        try:
            await cache._link.redis.ping()
        except REDIS_ERRORS as exc:
            cache.breaker.trip(exc)
        return cache

    async def get_or_load(self, kind: CacheKind, key: str, load: Loader, *,
                          scope: int | None = None) -> CachedValue | None:
        """The value of ``key``; ``None`` when ``load`` says the entity does not exist.

        ``load`` returns ``(owner clinic id, JSON bytes)`` or ``None``. Concurrent calls for
        one key share one Redis read and at most one ``load``. With ``scope`` (a clinic id),
        ``load`` may answer ``None`` for another clinic's entity; callers of another scope
        then do not take that ``None`` for theirs.
        """
        return await self._reads.get(kind, key, load, record=True, scope=scope)

    async def warm(self, entries: Entries) -> int:
        """Loads into Redis every entry not already there (at start, after a resync).

        Returns how many were loaded from the database. Not counted in the read metrics, so
        warming does not flatter the hit rate. Never raises for a Redis or load failure.
        """
        return await self._preload.warm(entries)

    async def refresh(self, entries: Entries) -> None:
        """Write-through after a write: loads the new values of keys just invalidated.

        Call after :meth:`invalidate` and before publishing the event, so the re-reads the
        event triggers on every client hit Redis instead of all waiting on one load. Readers
        of this process arriving meanwhile join the load. The generation guard applies as for
        any reader: a refresh overtaken by a later write does not store. Never raises.
        """
        await self._preload.refresh(entries)

    async def invalidate(self, keys: Sequence[str], patch: Patcher | None = None, *,
                         load_back: Collection[str] = ()) -> list[str]:
        """Drops ``keys`` so no reader sees their old value (call after the DB commit).

        With ``patch``, each key is given the JSON it held (``None`` if nothing) and the
        patched value is stored in place, under the generation the drop just set (a later
        write's drop wins; a slow reader's older value never does) and with the old value's
        remaining TTL.

        Returns the keys that held a value and were not patched: someone read them within
        their TTL, so they are the ones worth loading back (:meth:`refresh`). A key nobody
        had cached is loaded by its next reader instead, which costs the same load if one
        comes and none if not; unless it is in ``load_back`` (a read the writer knows is
        coming: an inbound message's detail) and write-through is on
        (``CacheTuning.write_through``): then it is returned too. Never raises: while Redis
        is unreachable the keys are remembered and dropped by the probe before the cache is
        used again (and none is returned).
        """
        if not self._link.tuning.write_through:
            load_back = ()
        return await self._invalidation.invalidate(keys, patch, load_back=load_back)

    async def settle(self) -> None:
        """Returns once the early refreshes hits started in the background are done (a
        graceful stop, and tests)."""
        await self._reads.settle()

    async def _recover(self) -> None:
        """The breaker's probe: Redis answers, and every missed invalidation is applied."""
        await self._link.redis.ping()
        await self._journal.replay(self._invalidation.drop)

    @property
    def tuning(self) -> CacheTuning:
        """What this cache loads ahead, and its TTLs."""
        return self._link.tuning

    @property
    def client(self) -> Redis | None:
        """The process's pooled Redis client (``None`` without Redis); the bus publishes
        through it too."""
        return self._link.redis

    def health(self) -> str:
        """``up``, ``down`` (Redis configured but unreachable) or ``disabled`` (no Redis)."""
        if self._link.redis is None:
            return "disabled"
        return "down" if self.breaker.is_open else "up"

    def metrics(self) -> dict[str, dict[str, float]]:
        """Per-kind figures: hits, misses, errors, skipped, loads, coalesced, hit_rate,
        avg_ms, p95_ms, bytes_stored, bytes_saved."""
        return {kind.value: m.snapshot() for kind, m in self._link.metrics.items()}

    def latency_histograms(self) -> dict[str, tuple[list[tuple[str, int]], float]]:
        """Per kind: the read-latency histogram (buckets, sum in seconds) for /metrics."""
        return {kind.value: m.histogram() for kind, m in self._link.metrics.items()}

    async def close(self) -> None:
        """Stops probing and releases the connection pool."""
        await self.breaker.close()
        await self._reads.stop_refreshes()
        self._reads.cancel()
        if self._link.redis is not None:
            await self._link.redis.aclose()
