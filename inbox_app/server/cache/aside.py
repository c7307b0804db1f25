"""Server-side cache-aside (ARCHITECTURE.md section 5): Redis as L2 in front of the database.

Every cached read of the API goes through :meth:`Cache.get_or_load`, driven by the policy
table of ``inbox_app.contract.policy`` (keys and TTLs are built there, never here).

What a Redis value looks like (the owner clinic, then plain or zlib JSON) is
:mod:`inbox_app.server.cache.values`.

Guarantees:

- A dead or hung Redis costs milliseconds: short timeouts, no retries, and a circuit breaker
  (:mod:`inbox_app.server.redis.breaker`) that skips Redis after a few failures until a background
  probe sees it back. Without Redis, or while it is down, every read loads from the database.
- Concurrent reads of one key share one Redis round trip and at most one database load.
- No stale value survives an invalidation, also when a slow reader that loaded the old row
  writes after the writer's delete: each key has a generation counter (``gen:<key>``) that
  :meth:`Cache.invalidate` bumps atomically with the delete, and a reader stores its value
  only if the generation is still the one it saw *before* loading (one Lua script, atomic).
- Invalidations that fail while Redis is unreachable are remembered and applied by the probe
  before the cache is used again.
- Patch in place: a write hands :meth:`Cache.invalidate` what it changed
  (:mod:`inbox_app.server.cache.patching`); the drop returns the old value atomically, and the
  patched value is stored under the generation the drop set, so it obeys the same guard as
  any reader's. Keys that cannot be patched are loaded back instead (:meth:`Cache.refresh`,
  write-through; only keys that held a value, so a change to a conversation nobody had
  cached costs no load). :meth:`Cache.warm` loads the busiest lists at start and after a
  resync (:mod:`inbox_app.server.cache.warming`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from redis.asyncio import Redis

from inbox_app.contract.policy import POLICY, CacheKind, kind_of_key
from inbox_app.server.cache.metrics import KindMetrics
from inbox_app.server.cache.values import CachedValue, decode, encode
from inbox_app.server.redis.breaker import CircuitBreaker
from inbox_app.server.redis.client import REDIS_ERRORS, connect

logger = logging.getLogger(__name__)

Loader = Callable[[], Awaitable[tuple[int, bytes] | None]]

#: how long a generation counter outlives its last bump, in seconds. A reader whose database
#: load took longer than this does not store its value (it could not prove it is current).
GENERATION_GUARD_SECONDS = 300
#: invalidations remembered while Redis is unreachable; beyond this the probe flushes every
#: cache key instead of the remembered ones
PENDING_MAX = 10_000

_GEN_PREFIX = "gen:"
#: what Redis's PTTL answers for a key that does not exist
_PTTL_NO_KEY = -2

# KEYS: value key, generation key. ARGV: generation seen before loading ("" = none), value,
# TTL in ms. Stores only if no invalidation happened since the reader looked. A writer
# patching in place passes the generation its own invalidation set, and the old value's
# remaining TTL: every value is then loaded from the database at least once per TTL,
# whatever the writes patched into it.
_SET_IF_CURRENT = """
local gen = redis.call('GET', KEYS[2])
if (gen or '') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
"""

# KEYS: value key, generation key, value key, generation key, ... ARGV: guard seconds, "1"
# to return the old values. Returns, per value key: the value it held (false if none or not
# asked), its remaining TTL in ms, and the new generation. The old value goes to the writer,
# who may patch it in place.
_INVALIDATE = """
local out = {}
for i = 1, #KEYS, 2 do
  out[#out + 1] = ARGV[2] == '1' and redis.call('GET', KEYS[i])
  out[#out + 1] = redis.call('PTTL', KEYS[i])
  redis.call('DEL', KEYS[i])
  out[#out + 1] = redis.call('INCR', KEYS[i + 1])
  redis.call('EXPIRE', KEYS[i + 1], ARGV[1])
end
return out
"""

#: patches a cached JSON value after a write: ``(key, old JSON or None)`` -> ``(owner, new
#: JSON)``, or ``None`` when it cannot (the key is then loaded back)
Patcher = Callable[[str, bytes | None], tuple[int, bytes] | None]


def _key_patterns() -> list[str]:
    """SCAN patterns matching every key of the policy table (for the flush after an outage)."""
    return [re.sub(r"\{[^}]*\}", "*", p.key_template) for p in POLICY.values()]


class Cache:
    """Cache-aside over Redis; without a Redis URL every read goes to ``load``."""

    def __init__(self, client=None, *, verbose: bool = False, failure_threshold: int = 3,
                 cooldown: float = 1.0) -> None:
        self._redis = client
        self._verbose = verbose
        self._metrics = {kind: KindMetrics() for kind in CacheKind}
        self._inflight: dict[str, asyncio.Task[tuple[str, CachedValue | None]]] = {}
        self._pending: set[str] = set()
        self._flush_all = False
        self.breaker = CircuitBreaker("cache", self._recover, threshold=failure_threshold,
                                      cooldown=cooldown)
        if client is not None:
            self._set_if_current = client.register_script(_SET_IF_CURRENT)
            self._invalidate_script = client.register_script(_INVALIDATE)

    @classmethod
    async def create(cls, redis_url: str | None, *, verbose: bool = False,
                     connect_timeout: float | None = None, read_timeout: float | None = None,
                     failure_threshold: int = 3, cooldown: float = 1.0) -> Cache:
        """A cache for ``redis_url`` (``None``: disabled, every read loads from the database).

        Never fails because Redis is down: the cache then starts ``down`` and probes.
        """
        if not redis_url:
            return cls(verbose=verbose)
        options: dict[str, Any] = {}
        if connect_timeout is not None:
            options["connect_timeout"] = connect_timeout
        if read_timeout is not None:
            options["read_timeout"] = read_timeout
        cache = cls(connect(redis_url, **options), verbose=verbose,
                    failure_threshold=failure_threshold, cooldown=cooldown)
        try:
            await cache._redis.ping()
        except REDIS_ERRORS as exc:
            cache.breaker.trip(exc)
        return cache

    # -- reads -------------------------------------------------------------------------

    async def get_or_load(self, kind: CacheKind, key: str, load: Loader) -> CachedValue | None:
        """The value of ``key``; ``None`` when ``load`` says the entity does not exist.

        ``load`` returns ``(owner clinic id, JSON bytes)`` or ``None``. Concurrent calls for
        one key share one Redis read and at most one ``load``.
        """
        return await self._get(kind, key, load, record=True)

    async def warm(self, entries: Iterable[tuple[CacheKind, str, Loader]]) -> int:
        """Loads into Redis every entry not already there (at start, after a resync).

        Returns how many were loaded from the database. Not counted in the read metrics, so
        warming does not flatter the hit rate. Never raises for a Redis or load failure.
        """
        loaded = 0
        if self._redis is None:
            return 0
        for kind, key, load in entries:
            if not self.breaker.allow():
                break
            before = self._metrics[kind].loads
            try:
                await self._get(kind, key, load, record=False)
            except Exception:
                logger.exception("cache warm of %s failed", key)
                continue
            loaded += self._metrics[kind].loads - before
        return loaded

    async def refresh(self, entries: Iterable[tuple[CacheKind, str, Loader]]) -> None:
        """Write-through after a write: loads the new values of keys just invalidated.

        Call after :meth:`invalidate` and before publishing the event, so the re-reads the
        event triggers on every client hit Redis instead of all waiting on one load. Readers
        of this process arriving meanwhile join the load. The generation guard applies as for
        any reader: a refresh overtaken by a later write does not store. Never raises.
        """
        if self._redis is None or not self.breaker.allow():
            return
        loop = asyncio.get_running_loop()
        tasks = []
        for kind, key, load in entries:
            task = loop.create_task(self._read(kind, key, load, lookup=False))
            self._inflight[key] = task
            task.add_done_callback(functools.partial(self._forget, key))
            self._metrics[kind].refreshes += 1
            tasks.append(task)
        for result in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(result, Exception):
                logger.warning("cache refresh failed: %r", result)

    async def _get(self, kind: CacheKind, key: str, load: Loader, *,
                   record: bool) -> CachedValue | None:
        started = time.perf_counter()
        metrics = self._metrics[kind]
        outcome = "abandoned"
        while outcome == "abandoned":  # joined a refresh that gave up: read for ourselves
            task = self._inflight.get(key)
            if task is None or task.done():
                task = asyncio.get_running_loop().create_task(self._read(kind, key, load))
                self._inflight[key] = task
                task.add_done_callback(functools.partial(self._forget, key))
            elif record:
                metrics.coalesced += 1
            # shielded: one cancelled request (client gone) must not cancel the others' load
            outcome, value = await asyncio.shield(task)
        if not record:
            return value
        ms = (time.perf_counter() - started) * 1000.0
        if outcome == "hit":
            metrics.hits += 1
        elif outcome == "miss":
            metrics.misses += 1
        else:
            metrics.skipped += 1
        metrics.observe(ms)
        if self._verbose:
            if outcome == "hit":
                logger.debug("cache HIT %s (%.1f ms)", key, ms)
            elif outcome == "miss":
                logger.debug("cache MISS %s (%.1f ms)", key, ms)
            else:
                logger.debug("cache SKIP %s (Redis down, %.1f ms)", key, ms)
        return value

    def _forget(self, key: str, task: asyncio.Task) -> None:
        if self._inflight.get(key) is task:
            del self._inflight[key]
        if not task.cancelled():
            task.exception()  # retrieved here so a load error nobody awaited is not "lost"

    async def _read(self, kind: CacheKind, key: str, load: Loader, *,
                    lookup: bool = True) -> tuple[str, CachedValue | None]:
        """One read: Redis, else the database (then Redis). Returns (outcome, value).

        ``lookup=False`` (a refresh) skips the Redis read: the key was just invalidated."""
        metrics = self._metrics[kind]
        gen_key = _GEN_PREFIX + key
        generation: bytes | None = None  # None: do not store (Redis unusable for this read)
        outcome = "skipped"
        if self._redis is not None and self.breaker.allow():
            try:
                raw = await self._redis.get(key) if lookup else None
                if raw is not None:
                    value = decode(raw)
                    if value is not None:
                        self.breaker.success()
                        return "hit", value
                    logger.warning("cache: %s holds a value not in the cache format; reloading",
                                   key)
                # read before loading: a value loaded after this point is at least as new as
                # this generation, since writers commit before they bump it
                generation = await self._redis.get(gen_key) or b""
                self.breaker.success()
                outcome = "miss"
            except REDIS_ERRORS as exc:
                self._failed(metrics, "read", key, exc)
                generation = None
                outcome = "miss"
        elif self._redis is None:
            outcome = "miss"
        if not lookup and generation is None:
            return "abandoned", None  # a refresh that cannot store would only cost a load
        load_started = time.monotonic()
        loaded = await load()
        metrics.loads += 1
        if loaded is None:
            return outcome, None
        owner, body = loaded
        stored, value = encode(owner, body)
        if (generation is not None and self.breaker.allow()
                and time.monotonic() - load_started < GENERATION_GUARD_SECONDS):
            try:
                ok = await self._set_if_current(
                    keys=[key, gen_key],
                    args=[generation, stored, POLICY[kind].ttl_seconds * 1000])
                self.breaker.success()
            except REDIS_ERRORS as exc:
                self._failed(metrics, "write", key, exc)
            else:
                if ok:
                    metrics.bytes_stored += len(stored)
                    metrics.bytes_saved += len(body) - len(value.body)
                elif self._verbose:
                    logger.debug("cache STALE %s not stored: invalidated during the load", key)
        return outcome, value

    # -- writes ------------------------------------------------------------------------

    async def invalidate(self, keys: Sequence[str], patch: Patcher | None = None) -> list[str]:
        """Drops ``keys`` so no reader sees their old value (call after the DB commit).

        With ``patch``, each key is given the JSON it held (``None`` if nothing) and the
        patched value is stored in place, under the generation the drop just set (a later
        write's drop wins; a slow reader's older value never does) and with the old value's
        remaining TTL.

        Returns the keys that held a value and were not patched: someone read them within
        their TTL, so they are the ones worth loading back (:meth:`refresh`). A key nobody
        had cached is loaded by its next reader instead, which costs the same load if one
        comes and none if not. Never raises: while Redis is unreachable the keys are
        remembered and dropped by the probe before the cache is used again (and none is
        returned).
        """
        keys = list(dict.fromkeys(keys))
        for key in keys:
            # readers arriving from now on start a fresh load instead of joining one that may
            # have read the old row
            self._inflight.pop(key, None)
        if self._redis is None or not keys:
            return []
        if not self.breaker.allow():
            self._remember(keys)
            return []
        held: list[str] = []
        try:
            # the old values cross the wire only for a writer that patches them
            for key, raw, ttl_ms, generation in await self._drop(keys, values=patch is not None):
                if patch is not None and await self._patch(key, raw, ttl_ms, generation, patch):
                    continue
                if ttl_ms != _PTTL_NO_KEY:
                    held.append(key)
            self.breaker.success()
        except REDIS_ERRORS as exc:
            kind = kind_of_key(keys[0])
            self._failed(self._metrics[kind] if kind else None, "invalidate", keys[0], exc)
            self._remember(keys)
        if self._verbose:
            logger.debug("cache DEL %s", " ".join(keys))
        return held

    async def _patch(self, key: str, raw: bytes | None, ttl_ms: int, generation: int,
                     patch: Patcher) -> bool:
        """Stores ``patch``'s new value for ``key``; whether it did (else: load it back)."""
        kind = kind_of_key(key)
        if kind is None:
            return False
        old = decode(raw) if raw is not None else None
        if raw is not None and old is None:
            return False
        try:
            patched = patch(key, old.json_bytes() if old is not None else None)
        except Exception:  # a patch bug must cost a load, never a write
            logger.exception("cache: patching %s failed; it will be loaded back", key)
            return False
        if patched is None:
            return False
        owner, body = patched
        if old is not None and owner != old.owner_clinic_id:
            return False
        if ttl_ms <= 0:  # held nothing (or had no expiry): a whole new value, full TTL
            ttl_ms = POLICY[kind].ttl_seconds * 1000
        stored, value = encode(owner, body)
        ok = await self._set_if_current(keys=[key, _GEN_PREFIX + key],
                                        args=[generation, stored, ttl_ms])
        metrics = self._metrics[kind]
        if ok:
            metrics.patches += 1
            metrics.bytes_stored += len(stored)
            metrics.bytes_saved += len(body) - len(value.body)
            if self._verbose:
                logger.debug("cache PATCH %s", key)
        return bool(ok)

    async def _drop(self, keys: Sequence[str], *,
                    values: bool = False) -> list[tuple[str, bytes | None, int, int]]:
        """Deletes ``keys`` and bumps their generations: per key, (key, the value it held or
        ``None`` (always ``None`` unless ``values``), its remaining TTL in ms, its new
        generation)."""
        pairs: list[str] = []
        for key in keys:
            pairs += (key, _GEN_PREFIX + key)
        out = await self._invalidate_script(
            keys=pairs, args=[GENERATION_GUARD_SECONDS, "1" if values else "0"])
        return [(key, out[i * 3] or None, int(out[i * 3 + 1]), int(out[i * 3 + 2]))
                for i, key in enumerate(keys)]

    def _remember(self, keys: Sequence[str]) -> None:
        if self._flush_all:
            return
        self._pending.update(keys)
        if len(self._pending) > PENDING_MAX:
            self._pending.clear()
            self._flush_all = True

    async def _recover(self) -> None:
        """The breaker's probe: Redis answers, and every missed invalidation is applied."""
        await self._redis.ping()
        if self._flush_all:
            for pattern in _key_patterns():
                batch: list[str] = []
                async for key in self._redis.scan_iter(match=pattern, count=500):
                    batch.append(key.decode())
                    if len(batch) >= 500:
                        await self._drop(batch)
                        batch = []
                if batch:
                    await self._drop(batch)
            self._flush_all = False
        pending = list(self._pending)
        if pending:
            await self._drop(pending)
            self._pending.difference_update(pending)
            logger.info("cache: applied %d invalidations missed while Redis was down",
                        len(pending))

    def _failed(self, metrics: KindMetrics | None, what: str, key: str,
                exc: BaseException) -> None:
        if metrics is not None:
            metrics.errors += 1
        logger.debug("cache %s of %s failed: %r", what, key, exc)
        self.breaker.failure(exc)

    # -- state -------------------------------------------------------------------------

    @property
    def client(self) -> Redis | None:
        """The process's pooled Redis client (``None`` without Redis); the bus publishes
        through it too."""
        return self._redis

    def health(self) -> str:
        """``up``, ``down`` (Redis configured but unreachable) or ``disabled`` (no Redis)."""
        if self._redis is None:
            return "disabled"
        return "down" if self.breaker.is_open else "up"

    def metrics(self) -> dict[str, dict[str, float]]:
        """Per-kind figures: hits, misses, errors, skipped, loads, coalesced, hit_rate,
        avg_ms, p95_ms, bytes_stored, bytes_saved."""
        return {kind.value: m.snapshot() for kind, m in self._metrics.items()}

    async def close(self) -> None:
        """Stops probing and releases the connection pool."""
        await self.breaker.close()
        for task in list(self._inflight.values()):
            task.cancel()
        self._inflight.clear()
        if self._redis is not None:
            await self._redis.aclose()
