"""Loading ahead into the server cache: warming (values nobody asked for yet) and the
write-through refresh (values a write just invalidated).

Which keys to load ahead, and their loaders, are chosen in
:mod:`inbox_app.server.cache.warming`; this module is how they are loaded: through the shared
read, so readers arriving meanwhile join the load, and under the generation guard, so a load
overtaken by a later write does not store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from inbox_app.contract.policy import CacheKind
from inbox_app.server.cache.link import RedisLink
from inbox_app.server.cache.reads import Loader, SharedReads

logger = logging.getLogger(__name__)

Entries = Iterable[tuple[CacheKind, str, Loader]]


class Preloader:
    """Warms and refreshes through ``reads``."""

    def __init__(self, link: RedisLink, reads: SharedReads) -> None:
        self._link = link
        self._reads = reads

    async def warm(self, entries: Entries) -> int:
        """Loads every entry not already in Redis; how many were loaded from the database.
        Not counted in the read metrics. Never raises for a Redis or load failure."""
        loaded = 0
        if self._link.redis is None:
            return 0
        for kind, key, load in entries:
            if not self._link.breaker.allow():
                break
            before = self._link.metrics[kind].loads
            try:
                await self._reads.get(kind, key, load, record=False)
            except Exception:
                logger.exception("cache warm of %s failed", key)
                continue
            loaded += self._link.metrics[kind].loads - before
        return loaded

    async def refresh(self, entries: Entries) -> None:
        """Loads the new values of keys just invalidated, skipping the Redis read. Never
        raises."""
        if not self._link.usable():
            return
        tasks = []
        for kind, key, load in entries:
            tasks.append(self._reads.start(key, self._reads.read(kind, key, load, lookup=False)))
            self._link.metrics[kind].refreshes += 1
        for result in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(result, Exception):
                logger.warning("cache refresh failed: %r", result)
