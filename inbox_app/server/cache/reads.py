"""The shared read of the server cache: Redis, else one database load for every caller.

Concurrent reads of one key share one Redis round trip and at most one database load
(single-flight), and a read that misses because a write just dropped the key takes the
value the write patches in instead of loading (:meth:`SharedReads.expect`). A miss stores
what it loaded under the generation guard (:mod:`inbox_app.server.cache.link`): read the
generation before loading, store only if it did not move. Without Redis, or while its
breaker is open, every read loads from the database. A hit may start an early refresh of its
key (:mod:`inbox_app.server.cache.early`): in the background, never making the hit wait.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from inbox_app.contract.policy import CacheKind
from inbox_app.server.cache.early import EarlyRefresh
from inbox_app.server.cache.link import GENERATION_GUARD_SECONDS, RedisLink
from inbox_app.server.cache.values import CachedValue, decode, encode
from inbox_app.server.redis.client import REDIS_ERRORS

logger = logging.getLogger(__name__)

Loader = Callable[[], Awaitable[tuple[int, bytes] | None]]
#: a read's outcome ("hit", "miss", "skipped" or "abandoned") and its value
Outcome = tuple[str, CachedValue | None]


class SharedReads:
    """Single-flight reads through ``link``: one task per key in flight, shared by callers.

    ``rng`` is early refresh's random source (seeded by tests)."""

    def __init__(self, link: RedisLink, *, rng: random.Random | None = None) -> None:
        self._link = link
        #: per key, the read in flight and the scope of its loader
        self._inflight: dict[str, tuple[asyncio.Task[Outcome], int | None]] = {}
        tuning = link.tuning
        self._early = (
            EarlyRefresh(link, beta=tuning.early_refresh_beta, rng=rng)
            if tuning.early_refresh
            else None
        )

    async def get(
        self, kind: CacheKind, key: str, load: Loader, *, record: bool, scope: int | None = None
    ) -> CachedValue | None:
        """The value of ``key``, joining a read in flight; counted in the metrics if
        ``record`` (warming is not, so it does not flatter the hit rate).

        ``scope``: ``load`` answers ``None`` for a value that exists but is not this scope's
        (a clinic's loader, so another clinic's id costs what a missing one does). A caller
        that joined another scope's load and got ``None`` from it reads for itself."""
        started = time.perf_counter()
        metrics = self._link.metrics[kind]
        outcome = "abandoned"
        while outcome == "abandoned":  # joined a refresh that gave up: read for ourselves
            running = self._inflight.get(key)
            if running is None or running[0].done():
                task = self.start(key, self.read(kind, key, load, scope=scope), scope)
                theirs = False
            else:
                task, their_scope = running
                theirs = their_scope is not None and their_scope != scope
                if record:
                    metrics.coalesced += 1
            # shielded: one cancelled request (client gone) must not cancel the others' load
            outcome, value = await asyncio.shield(task)
            if theirs and value is None:
                outcome = "abandoned"
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
        if self._link.verbose:
            if outcome == "hit":
                logger.debug("cache HIT %s (%.1f ms)", key, ms)
            elif outcome == "miss":
                logger.debug("cache MISS %s (%.1f ms)", key, ms)
            else:
                logger.debug("cache SKIP %s (Redis down, %.1f ms)", key, ms)
        return value

    def start(
        self, key: str, read: Coroutine[Any, Any, Outcome], scope: int | None = None
    ) -> asyncio.Task[Outcome]:
        """Runs ``read`` as the one read of ``key`` in flight, which later callers join."""
        task = asyncio.get_running_loop().create_task(read)
        self._inflight[key] = (task, scope)
        task.add_done_callback(functools.partial(self._forget, key))
        return task

    def expect(self, key: str) -> asyncio.Future[CachedValue | None]:
        """A write is about to store a new value of ``key`` (a patch): readers arriving from
        now on are answered the value set on the returned future, counted as hits (it is
        what Redis then holds, and no load was made for it), or read for themselves when
        it is set to ``None``. Replaces the read in flight, as :meth:`forget` does."""
        future: asyncio.Future[CachedValue | None] = asyncio.get_running_loop().create_future()

        async def patched() -> Outcome:
            value = await future
            return ("hit", value) if value is not None else ("abandoned", None)

        self.start(key, patched())
        return future

    def forget(self, key: str) -> None:
        """Readers arriving from now on start a fresh load instead of joining one that may
        have read the old row (called on invalidation)."""
        self._inflight.pop(key, None)

    def _forget(self, key: str, task: asyncio.Task[Outcome]) -> None:
        running = self._inflight.get(key)
        if running is not None and running[0] is task:
            del self._inflight[key]
        if not task.cancelled():
            task.exception()  # retrieved here so a load error nobody awaited is not "lost"

    async def read(
        self,
        kind: CacheKind,
        key: str,
        load: Loader,
        *,
        lookup: bool = True,
        scope: int | None = None,
    ) -> Outcome:
        """One read: Redis, else the database (then Redis). Returns (outcome, value).

        ``lookup=False`` (a refresh) skips the Redis read: the key was just invalidated or
        is being refreshed early. A hit whose value is ``scope``'s (or any, without one) may
        start an early refresh with ``load``."""
        link = self._link
        metrics = link.metrics[kind]
        generation: bytes | None = None  # None: do not store (Redis unusable for this read)
        outcome = "skipped"
        if link.usable():
            try:
                raw = await link.redis.get(link.redis_key(key)) if lookup else None
                if raw is not None:
                    value = decode(raw)
                    if value is not None:
                        link.breaker.success()
                        early = self._early
                        if (
                            early is not None
                            and early.due(value)
                            and (scope is None or scope == value.owner_clinic_id)
                        ):
                            early.start(
                                kind,
                                key,
                                value,
                                functools.partial(self.read, kind, key, load, lookup=False),
                            )
                        return "hit", value
                    logger.warning(
                        "cache: %s holds a value not in the cache format; reloading", key
                    )
                elif lookup:
                    newer = await self._newer(key)
                    if newer is not None:
                        return newer
                # read before loading: a value loaded after this point is at least as new as
                # this generation, since writers commit before they bump it
                generation = await link.redis.get(link.gen_key(key)) or b""
                link.breaker.success()
                outcome = "miss"
            except REDIS_ERRORS as exc:
                link.failed(metrics, "read", key, exc)
                generation = None
                outcome = "miss"
        elif link.redis is None:
            outcome = "miss"
        if not lookup and generation is None:
            return "abandoned", None  # a refresh that cannot store would only cost a load
        load_started = time.monotonic()
        loaded = await load()
        took = time.monotonic() - load_started
        metrics.observe_load(took * 1000)
        if loaded is None:
            return outcome, None
        owner, body = loaded
        ttl_ms = link.tuning.ttl_ms(kind)
        # the expiry a hit compares with (a little before Redis's: the SET comes after)
        stored, value = encode(
            owner,
            body,
            expires_ms=int(time.time() * 1000) + ttl_ms,
            delta_ms=max(1, round(took * 1000)),
        )
        if generation is not None and link.breaker.allow() and took < GENERATION_GUARD_SECONDS:
            try:
                ok = await link.store_if_current(key, generation, stored, ttl_ms)
                link.breaker.success()
            except REDIS_ERRORS as exc:
                link.failed(metrics, "write", key, exc)
            else:
                if ok:
                    metrics.bytes_stored += len(stored)
                    metrics.bytes_saved += len(body) - len(value.body)
                elif link.verbose:
                    logger.debug("cache STALE %s not stored: invalidated during the load", key)
        return outcome, value

    async def _newer(self, key: str) -> Outcome | None:
        """After a miss: the answer of a read of ``key`` that began after this one (a write's
        patch, :meth:`expect`, whose drop is why this read missed; or a read started after an
        invalidation), when there is one and it has a value; else ``None`` (load it)."""
        running = self._inflight.get(key)
        if running is None or running[0] is asyncio.current_task() or running[0].done():
            return None
        try:
            outcome, value = await asyncio.shield(running[0])
        except Exception:  # its load failed: this read makes its own
            return None
        return (outcome, value) if value is not None else None

    async def settle(self) -> None:
        """Returns once no early refresh started by a hit is running."""
        if self._early is not None:
            await self._early.settle()

    async def stop_refreshes(self) -> None:
        """Cancels the early refreshes in flight and waits for them (the cache is closing)."""
        if self._early is not None:
            await self._early.stop()

    def cancel(self) -> None:
        """Cancels every read in flight (the cache is closing)."""
        for task, _scope in list(self._inflight.values()):
            task.cancel()
        self._inflight.clear()
