"""Reads: the local cache first (fresh, or stale and revalidated), else the network.

The repository decides what a read returns and when to go to the server: a fresh entry needs
no network; a stale one is returned at once and refreshed in the background; a miss loads
from the server (one load per key however many readers ask: single flight); a miss while the
server cannot be reached is :class:`NotAvailableOffline`. Loads feed the optimistic engine
its new bases and announce "server_update" changes. Re-reading a key until it succeeds (after
an invalidation, a failed revalidation, a reconnect) is the sync's job
(:mod:`inbox_app.client.reads.refresher`): this module tells it which keys went stale
(``stale``) and offers it :meth:`Repository.reload`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from inbox_app.client.actions.engine import MutationEngine
from inbox_app.client.errors import (
    ClientError,
    NotAvailableOffline,
    TransientError,
    UnauthorizedError,
    unreachable,
)
from inbox_app.client.reads.cache import LocalCache
from inbox_app.client.views import Change, Snapshot
from inbox_app.contract.models import ConversationDetail, ConversationList

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


class Repository:
    """Cache-first reads with background revalidation, for one user's clinic.

    Each read names its key and how to load it (``fetch``); loads go through the cache."""

    def __init__(
        self,
        cache: LocalCache,
        engine: MutationEngine,
        *,
        emit: Callable[[Change], None],
        trusted: Callable[[], bool],
        offline: Callable[[], bool],
        stale: Callable[[list[str]], None],
        unauthorized: Callable[[], None],
    ) -> None:
        self.cache = cache
        self.engine = engine
        self._emit = emit
        self._trusted = trusted
        self._offline = offline
        self._stale = stale
        self._unauthorized = unauthorized
        self._inflight: dict[str, asyncio.Task[Any]] = {}
        # how each key read in this run is loaded, so an invalidation can reload it
        self._fetchers: dict[str, Callable[[], Awaitable[tuple[Any, Any]]]] = {}
        self.closed = False

    async def close(self) -> None:
        """Cancels the loads and background refreshes still running."""
        self.closed = True
        tasks = list(self._inflight.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task

    async def read(self, key: str, model: type[M],
                    fetch: Callable[[], Awaitable[tuple[M, Any]]]) -> Snapshot[M]:
        """``key`` from the cache (fresh; or stale, revalidated in the background), else
        loaded with ``fetch``. A miss while the server cannot be reached raises
        :class:`NotAvailableOffline`; an entry older than max-stale counts as a miss."""
        started = time.perf_counter()
        metrics = self.cache.metrics.of(key)
        self._fetchers[key] = fetch
        try:
            entry = await self.cache.get(key, model.model_validate)
            if entry is not None and not self.cache.too_old(entry):
                fresh = self._trusted() and self.cache.is_fresh(key, entry)
                if metrics is not None:
                    if fresh:
                        metrics.fresh_hits += 1
                    else:
                        metrics.stale_hits += 1
                if not fresh and key not in self._inflight:
                    if metrics is not None:
                        metrics.revalidations += 1
                    self._stale([key])  # re-read in the background until it succeeds
                return Snapshot(entry.value, not fresh, entry.fetched_at_dt, self._offline())
            if metrics is not None:
                metrics.misses += 1
            try:
                value = await self._fetch(key, fetch)
            except TransientError as exc:
                if unreachable(exc):
                    raise NotAvailableOffline(
                        "not available offline: this was never loaded on this computer, and "
                        f"the server cannot be reached ({exc.message})") from exc
                raise
        finally:
            if metrics is not None:
                metrics.reads += 1
                metrics.read_ms_total += (time.perf_counter() - started) * 1000
        entry = self.cache.peek(key)
        if entry is None:
            return Snapshot(value, False, datetime.now(UTC), False)
        return Snapshot(value, entry.invalidated, entry.fetched_at_dt, False)

    async def _fetch(self, key: str, fetch: Callable[[], Awaitable[tuple[M, Any]]]) -> M:
        """Network load of ``key``, shared by concurrent readers (single flight)."""
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.create_task(self._load(key, fetch), name=f"load {key}")
            self._inflight[key] = task
            task.add_done_callback(lambda t: self._loaded(key, t))
        return await asyncio.shield(task)

    async def _load(self, key: str, fetch: Callable[[], Awaitable[tuple[M, Any]]]) -> M:
        old = self.cache.peek(key)
        generation, started = self.cache.generation(key), self.cache.clock()
        try:
            value, wire = await fetch()  # the api tells the reachability how it went
        except UnauthorizedError:
            self._unauthorized()
            raise
        # invalidated while loading: stored stale (this copy may predate the change), and
        # the refresher, which joined or will see this load, loads it again
        await self.cache.put(key, value, wire, fetched_at=started, generation=generation)
        changed = self._rebase_from(value, old.value if old is not None else None)
        if old is not None and changed:
            self._emit(Change("server_update", frozenset(changed)))
        return value

    def _loaded(self, key: str, task: asyncio.Task[Any]) -> None:
        if self._inflight.get(key) is task:
            del self._inflight[key]

    def can_reload(self, key: str) -> bool:
        """Whether ``key`` was read in this run (so it is known how to load it)."""
        return key in self._fetchers and not self.closed

    async def reload(self, key: str) -> bool:
        """Loads ``key`` again with the fetch it was read with, or joins the load already
        running. True when the held copy is current (not invalidated during the load);
        raises :class:`ClientError` when the load failed."""
        fetch = self._fetchers.get(key)
        if fetch is None or self.closed:
            return True
        await self._fetch(key, fetch)
        entry = self.cache.peek(key)
        return entry is None or not entry.invalidated

    # --- background loads (the prefetch, :mod:`inbox_app.client.reads.prefetch`) ------------
    # Not counted in the read metrics, which say what the user's own reads met.

    async def background_read(self, key: str, model: type[M],
                              fetch: Callable[[], Awaitable[tuple[M, Any]]]) -> M:
        """``key`` fresh from the cache, else loaded with ``fetch`` (joining a load already
        running); when that load fails, the held copy however stale (up to max-stale)."""
        self._fetchers.setdefault(key, fetch)
        entry = await self.cache.get(key, model.model_validate)
        usable = entry is not None and not self.cache.too_old(entry)
        if entry is not None and usable and self.cache.is_fresh(key, entry):
            value: M = entry.value
            return value
        try:
            return await self._fetch(key, fetch)
        except ClientError:
            if entry is None or not usable:
                raise
            held: M = entry.value
            return held

    async def current(self, key: str, model: type[BaseModel]) -> bool:
        """Whether ``key`` needs no load: a fresh copy is held (memory or disk), or a load
        of it is already running."""
        if key in self._inflight:
            return True
        entry = await self.cache.get(key, model.model_validate)
        return entry is not None and not self.cache.too_old(entry) \
            and self.cache.is_fresh(key, entry)

    async def preload(self, key: str, fetch: Callable[[], Awaitable[tuple[Any, Any]]], *,
                      via: Callable[[], Awaitable[tuple[Any, Any]]] | None = None) -> None:
        """Loads ``key`` into the cache with ``via`` (default ``fetch``), or joins the load
        already running; from then on ``key`` is re-read with ``fetch`` like any key read
        in this run (an invalidation of it, a reconnect). Raises :class:`ClientError`."""
        if self.closed:
            return
        self._fetchers.setdefault(key, fetch)
        await self._fetch(key, via or fetch)

    def _rebase_from(self, value: Any, old: Any) -> set[int]:
        """Feeds fresh summaries to the engine as new bases; returns the ids that changed."""
        if isinstance(value, ConversationList):
            before = ({s.id: s.version for s in old.items}
                      if isinstance(old, ConversationList) else {})
            changed = set()
            for summary in value.items:
                self.engine.rebase(summary)
                if before.get(summary.id) != summary.version:
                    changed.add(summary.id)
            changed |= set(before) - {s.id for s in value.items}
            return changed
        if isinstance(value, ConversationDetail):
            self.engine.rebase(value.summary)
            return {value.summary.id}
        return set()
