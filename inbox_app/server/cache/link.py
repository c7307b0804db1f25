"""The Redis side every job of the server cache shares: the client, its circuit breaker, the
per-kind figures, and the generation guard, the one way a value enters Redis.

No stale value survives an invalidation, also when a slow reader that loaded the old row
writes after the writer's delete: each key has a generation counter (``gen:<key>``) that an
invalidation bumps atomically with the delete (:mod:`inbox_app.server.cache.invalidation`),
and a value is stored only if the generation is still the one its writer saw *before*
loading (:meth:`RedisLink.store_if_current`, one Lua script, atomic).
"""

from __future__ import annotations

import logging
from typing import Any

from inbox_app.contract.policy import CacheKind
from inbox_app.server.cache.metrics import KindMetrics
from inbox_app.server.cache.tuning import CacheTuning
from inbox_app.server.redis.breaker import CircuitBreaker, Probe

logger = logging.getLogger(__name__)

#: how long a generation counter outlives its last bump, in seconds. A reader whose database
#: load took longer than this does not store its value (it could not prove it is current).
GENERATION_GUARD_SECONDS = 300
GEN_PREFIX = "gen:"

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


class RedisLink:
    """What the cache's jobs share; ``client`` is ``None`` without Redis.

    ``namespace`` is put in front of every Redis key (value and generation): the cache's
    keys in Redis belong to one database (:mod:`inbox_app.server.db.identity`), the keys the
    cache's callers name (the policy table's, the ones live events carry) do not change.
    ``tuning`` holds the loading-ahead switches and the TTLs (:mod:`.tuning`).
    """

    def __init__(self, client: Any, probe: Probe, *, verbose: bool = False,
                 failure_threshold: int = 3, cooldown: float = 1.0,
                 namespace: str = "", tuning: CacheTuning | None = None) -> None:
        self.redis = client
        self.verbose = verbose
        self.namespace = namespace
        self.tuning = tuning or CacheTuning()
        self.metrics = {kind: KindMetrics() for kind in CacheKind}
        self.breaker = CircuitBreaker("cache", probe, threshold=failure_threshold,
                                      cooldown=cooldown)
        if client is not None:
            self._set_if_current = client.register_script(_SET_IF_CURRENT)

    def usable(self) -> bool:
        """Whether Redis is configured and the breaker lets a caller use it now."""
        return self.redis is not None and self.breaker.allow()

    def redis_key(self, key: str) -> str:
        """The Redis key holding the value of cache ``key``."""
        return self.namespace + key

    def gen_key(self, key: str) -> str:
        """The Redis key holding the generation of cache ``key``."""
        return self.namespace + GEN_PREFIX + key

    async def store_if_current(self, key: str, generation: bytes | int, stored: bytes,
                               ttl_ms: int) -> bool:
        """Stores ``stored`` under ``key`` if its generation is still ``generation``."""
        ok = await self._set_if_current(
            keys=[self.redis_key(key), self.gen_key(key)], args=[generation, stored, ttl_ms])
        return bool(ok)

    def failed(self, metrics: KindMetrics | None, what: str, key: str,
               exc: BaseException) -> None:
        """Counts a Redis failure of ``what`` on ``key`` (the breaker may open)."""
        if metrics is not None:
            metrics.errors += 1
        logger.debug("cache %s of %s failed: %r", what, key, exc)
        self.breaker.failure(exc)
