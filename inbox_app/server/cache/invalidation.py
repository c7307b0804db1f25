"""Guarded invalidation of the server cache, with patching in place.

A write drops the keys it changed after its database commit: the drop bumps each key's
generation atomically with the delete, so a slow reader that loaded the old row can no
longer store it (:mod:`inbox_app.server.cache.link`). A write that knows what it changed
hands a :data:`Patcher` (:mod:`inbox_app.server.cache.patching`): the drop returns the old
value atomically, and the patched value is stored under the generation the drop set, so it
obeys the same guard as any reader's. Keys that cannot be patched are returned, to be loaded
back (write-through, :mod:`inbox_app.server.cache.preload`): those someone had cached, and
those the writer names as about to be read whether cached or not (``load_back``: the detail
of a conversation a patient just wrote to).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence

from inbox_app.contract.policy import kind_of_key
from inbox_app.server.cache.journal import Journal
from inbox_app.server.cache.link import GENERATION_GUARD_SECONDS, RedisLink
from inbox_app.server.cache.reads import SharedReads
from inbox_app.server.cache.values import decode, encode
from inbox_app.server.redis.client import REDIS_ERRORS

logger = logging.getLogger(__name__)

#: what Redis's PTTL answers for a key that does not exist
_PTTL_NO_KEY = -2

#: patches a cached JSON value after a write: ``(key, old JSON or None)`` -> ``(owner, new
#: JSON)``, or ``None`` when it cannot (the key is then loaded back)
Patcher = Callable[[str, bytes | None], tuple[int, bytes] | None]

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


class Invalidation:
    """Drops (or patches) keys after a write; misses while Redis is down go to ``journal``."""

    def __init__(self, link: RedisLink, reads: SharedReads, journal: Journal) -> None:
        self._link = link
        self._reads = reads
        self._journal = journal
        if link.redis is not None:
            self._invalidate_script = link.redis.register_script(_INVALIDATE)

    async def invalidate(self, keys: Sequence[str], patch: Patcher | None = None, *,
                         load_back: Collection[str] = ()) -> list[str]:
        """Drops ``keys``; with ``patch``, stores each patched value in place. Returns the keys
        that held a value or are in ``load_back``, and were not patched (see
        :meth:`Cache.invalidate`)."""
        link = self._link
        keys = list(dict.fromkeys(keys))
        for key in keys:
            self._reads.forget(key)
        if link.redis is None or not keys:
            return []
        if not link.breaker.allow():
            self._journal.remember(keys)
            return []
        held: list[str] = []
        try:
            # the old values cross the wire only for a writer that patches them
            for key, raw, ttl_ms, generation in await self.drop(keys, values=patch is not None):
                if patch is not None and await self._patch(key, raw, ttl_ms, generation, patch):
                    continue
                if ttl_ms != _PTTL_NO_KEY or key in load_back:
                    held.append(key)
            link.breaker.success()
        except REDIS_ERRORS as exc:
            kind = kind_of_key(keys[0])
            link.failed(link.metrics[kind] if kind else None, "invalidate", keys[0], exc)
            self._journal.remember(keys)
        if link.verbose:
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
            ttl_ms = self._link.tuning.ttl_ms(kind)
        metrics = self._link.metrics[kind]
        # the patched value keeps the old one's expiry and load cost (early refresh reads
        # them); a whole new one gets the kind's typical load cost
        delta_ms = old.delta_ms if old is not None and old.delta_ms else round(
            metrics.typical_load_ms())
        stored, value = encode(owner, body, expires_ms=int(time.time() * 1000) + ttl_ms,
                               delta_ms=max(1, delta_ms))
        ok = await self._link.store_if_current(key, generation, stored, ttl_ms)
        if ok:
            metrics.patches += 1
            metrics.bytes_stored += len(stored)
            metrics.bytes_saved += len(body) - len(value.body)
            if self._link.verbose:
                logger.debug("cache PATCH %s", key)
        return ok

    async def drop(self, keys: Sequence[str], *,
                   values: bool = False) -> list[tuple[str, bytes | None, int, int]]:
        """Deletes ``keys`` and bumps their generations: per key, (key, the value it held or
        ``None`` (always ``None`` unless ``values``), its remaining TTL in ms, its new
        generation)."""
        pairs: list[str] = []
        for key in keys:
            pairs += (self._link.redis_key(key), self._link.gen_key(key))
        out = await self._invalidate_script(
            keys=pairs, args=[GENERATION_GUARD_SECONDS, "1" if values else "0"])
        return [(key, out[i * 3] or None, int(out[i * 3 + 1]), int(out[i * 3 + 2]))
                for i, key in enumerate(keys)]
