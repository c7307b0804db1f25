"""The journal of invalidations the server cache missed while Redis was unreachable.

A write whose drop could not reach Redis is remembered here; the breaker's probe replays the
journal before the cache is used again, so no stale value is served after an outage. Beyond
:data:`PENDING_MAX` remembered keys the journal gives up on the list and the replay flushes
every key of the policy table instead (bounded memory).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence

from inbox_app.contract.policy import POLICY
from inbox_app.server.cache.link import RedisLink

logger = logging.getLogger(__name__)

#: invalidations remembered while Redis is unreachable; beyond this the probe flushes every
#: cache key instead of the remembered ones
PENDING_MAX = 10_000

#: drops cache keys (and bumps their generations)
Drop = Callable[[Sequence[str]], Awaitable[object]]


def key_patterns() -> list[str]:
    """SCAN patterns matching every key of the policy table (for the flush after an outage)."""
    return [re.sub(r"\{[^}]*\}", "*", p.key_template) for p in POLICY.values()]


class Journal:
    """Keys whose invalidation is owed to Redis."""

    def __init__(self, link: RedisLink) -> None:
        self._link = link
        self._pending: set[str] = set()
        self._flush_all = False

    def remember(self, keys: Sequence[str]) -> None:
        """``keys`` were changed while Redis could not be told."""
        if self._flush_all:
            return
        self._pending.update(keys)
        if len(self._pending) > PENDING_MAX:
            self._pending.clear()
            self._flush_all = True

    async def replay(self, drop: Drop) -> None:
        """Applies every remembered invalidation through ``drop`` (the probe calls this once
        Redis answers, before the breaker lets readers in)."""
        redis = self._link.redis
        if self._flush_all:
            prefix = len(self._link.namespace)
            for pattern in key_patterns():
                batch: list[str] = []
                async for key in redis.scan_iter(match=self._link.redis_key(pattern),
                                                 count=500):
                    batch.append(key.decode()[prefix:])
                    if len(batch) >= 500:
                        await drop(batch)
                        batch = []
                if batch:
                    await drop(batch)
            self._flush_all = False
        pending = list(self._pending)
        if pending:
            await drop(pending)
            self._pending.difference_update(pending)
            logger.info("cache: applied %d invalidations missed while Redis was down",
                        len(pending))
