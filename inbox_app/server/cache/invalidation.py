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

Between the drop and the store of a patch, the key is absent from Redis. In this process
that window costs nothing (issue 14: with 20 receptionists re-reading their clinic's list
after every change, 3% of the list reads fell in it, missed and went to the database):

- readers of the key arriving meanwhile wait for the patch and are answered its value
  (:meth:`SharedReads.expect`), as if it had been in Redis all along;
- writers of one key patch it one at a time: a second write no longer drops the key while
  the first is patching it (the first's store would then be refused and the key loaded
  back from the database), it patches the value the first stored (patches are joins, so
  their order does not matter).

Across instances neither holds: there the window and the refused store remain, and cost a
load, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Collection, Sequence

from inbox_app.contract.policy import kind_of_key
from inbox_app.server.cache.journal import Journal
from inbox_app.server.cache.link import GENERATION_GUARD_SECONDS, RedisLink
from inbox_app.server.cache.reads import SharedReads
from inbox_app.server.cache.values import CachedValue, decode, encode
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


class KeyTurns:
    """Holders of one key take turns, in this process; a key's lock lives while it is held
    or waited for."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, keys: Collection[str]) -> AsyncIterator[None]:
        """Holds every key of ``keys`` (taken in sorted order: no two holders deadlock)."""
        ordered = sorted(set(keys))
        for key in ordered:
            lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
            self._locks[key] = (lock, users + 1)
        taken: list[asyncio.Lock] = []
        try:
            for key in ordered:
                lock = self._locks[key][0]
                await lock.acquire()
                taken.append(lock)
            yield
        finally:
            for lock in taken:
                lock.release()
            for key in ordered:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)


class Invalidation:
    """Drops (or patches) keys after a write; misses while Redis is down go to ``journal``."""

    def __init__(self, link: RedisLink, reads: SharedReads, journal: Journal) -> None:
        self._link = link
        self._reads = reads
        self._journal = journal
        self._turns = KeyTurns()
        if link.redis is not None:
            self._invalidate_script = link.redis.register_script(_INVALIDATE)

    async def invalidate(
        self, keys: Sequence[str], patch: Patcher | None = None, *, load_back: Collection[str] = ()
    ) -> list[str]:
        """Drops ``keys``; with ``patch``, stores each patched value in place. Returns the keys
        that held a value or are in ``load_back``, and were not patched (see
        :meth:`Cache.invalidate`)."""
        link = self._link
        keys = list(dict.fromkeys(keys))
        if link.redis is None or not keys or not link.breaker.allow():
            for key in keys:
                self._reads.forget(key)
            if link.redis is not None and keys:
                self._journal.remember(keys)
            return []
        if patch is None:
            for key in keys:
                self._reads.forget(key)
            held = await self._drop_or_patch(keys, None, load_back, {})
        else:
            async with self._turns.hold(keys):
                # readers arriving from now on wait for the patched values (and no longer
                # join a read in flight, which may have read the rows before this write)
                patched = {key: self._reads.expect(key) for key in keys}
                try:
                    held = await self._drop_or_patch(keys, patch, load_back, patched)
                finally:
                    for waiting in patched.values():
                        if not waiting.done():
                            waiting.set_result(None)  # not patched: they read for themselves
        if link.verbose:
            logger.debug("cache DEL %s", " ".join(keys))
        return held

    async def _drop_or_patch(
        self,
        keys: list[str],
        patch: Patcher | None,
        load_back: Collection[str],
        patched: dict[str, asyncio.Future[CachedValue | None]],
    ) -> list[str]:
        """Drops ``keys``, patching each with ``patch`` (its value to ``patched``); the keys to
        load back."""
        link = self._link
        held: list[str] = []
        try:
            # the old values cross the wire only for a writer that patches them
            for key, raw, ttl_ms, generation in await self.drop(keys, values=patch is not None):
                if patch is not None:
                    value = await self._patch(key, raw, ttl_ms, generation, patch)
                    if key in patched:
                        patched[key].set_result(value)
                    if value is not None:
                        continue
                if ttl_ms != _PTTL_NO_KEY or key in load_back:
                    held.append(key)
            link.breaker.success()
        except REDIS_ERRORS as exc:
            kind = kind_of_key(keys[0])
            link.failed(link.metrics[kind] if kind else None, "invalidate", keys[0], exc)
            self._journal.remember(keys)
        return held

    async def _patch(
        self, key: str, raw: bytes | None, ttl_ms: int, generation: int, patch: Patcher
    ) -> CachedValue | None:
        """Stores ``patch``'s new value for ``key``; the value it stored, or ``None`` when
        it did not (the key is then loaded back)."""
        kind = kind_of_key(key)
        if kind is None:
            return None
        old = decode(raw) if raw is not None else None
        if raw is not None and old is None:
            return None
        try:
            patched = patch(key, old.json_bytes() if old is not None else None)
        except Exception:  # a patch bug must cost a load, never a write
            logger.exception("cache: patching %s failed; it will be loaded back", key)
            return None
        if patched is None:
            return None
        owner, body = patched
        if old is not None and owner != old.owner_clinic_id:
            return None
        if ttl_ms <= 0:  # held nothing (or had no expiry): a whole new value, full TTL
            ttl_ms = self._link.tuning.ttl_ms(kind)
        metrics = self._link.metrics[kind]
        # the patched value keeps the old one's expiry and load cost (early refresh reads
        # them); a whole new one gets the kind's typical load cost
        delta_ms = (
            old.delta_ms if old is not None and old.delta_ms else round(metrics.typical_load_ms())
        )
        stored, value = encode(
            owner, body, expires_ms=int(time.time() * 1000) + ttl_ms, delta_ms=max(1, delta_ms)
        )
        if not await self._link.store_if_current(key, generation, stored, ttl_ms):
            return None
        metrics.patches += 1
        metrics.bytes_stored += len(stored)
        metrics.bytes_saved += len(body) - len(value.body)
        if self._link.verbose:
            logger.debug("cache PATCH %s", key)
        return value

    async def drop(
        self, keys: Sequence[str], *, values: bool = False
    ) -> list[tuple[str, bytes | None, int, int]]:
        """Deletes ``keys`` and bumps their generations: per key, (key, the value it held or
        ``None`` (always ``None`` unless ``values``), its remaining TTL in ms, its new
        generation)."""
        pairs: list[str] = []
        for key in keys:
            pairs += (self._link.redis_key(key), self._link.gen_key(key))
        out = await self._invalidate_script(
            keys=pairs, args=[GENERATION_GUARD_SECONDS, "1" if values else "0"]
        )
        return [
            (key, out[i * 3] or None, int(out[i * 3 + 1]), int(out[i * 3 + 2]))
            for i, key in enumerate(keys)
        ]
