"""Server-side cache-aside (ARCHITECTURE.md section 5): Redis as L2 in front of the database.

First step: the surface the routes code against (INTERFACES.md section B), with no Redis.
``Cache.create(None)`` always calls ``load``; health says ``disabled``; metrics stay zero.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from inbox_app.contract.policy import CacheKind

logger = logging.getLogger(__name__)

Loader = Callable[[], Awaitable[tuple[int, bytes] | None]]


@dataclass(frozen=True, slots=True)
class CachedValue:
    """What a cache read yields: the bytes to serve and who owns them."""

    owner_clinic_id: int
    body: bytes
    compressed: bool = False


def _zero_metrics() -> dict[str, float]:
    return {
        "hits": 0, "misses": 0, "errors": 0, "skipped": 0, "hit_rate": 0.0,
        "avg_ms": 0.0, "p95_ms": 0.0, "bytes_stored": 0, "bytes_saved": 0,
    }


class Cache:
    """Cache-aside over Redis; without a Redis URL every read goes to ``load``."""

    def __init__(self, *, verbose: bool = False) -> None:
        self._verbose = verbose

    @classmethod
    async def create(cls, redis_url: str | None, *, verbose: bool = False) -> Cache:
        """A cache for ``redis_url`` (``None``: disabled, every read loads from the DB)."""
        return cls(verbose=verbose)

    async def get_or_load(self, kind: CacheKind, key: str, load: Loader) -> CachedValue | None:
        """The value of ``key``; ``None`` when ``load`` says the entity does not exist."""
        loaded = await load()
        if loaded is None:
            return None
        owner, body = loaded
        return CachedValue(owner, body, False)

    async def invalidate(self, keys: Sequence[str]) -> None:
        """Drops ``keys`` so no reader sees their old value."""

    def health(self) -> str:
        """``up``, ``down`` or ``disabled``."""
        return "disabled"

    def metrics(self) -> dict[str, dict[str, float]]:
        """Per-kind figures (hits, misses, errors, skipped, hit_rate, avg_ms, p95_ms, bytes)."""
        return {kind.value: _zero_metrics() for kind in CacheKind}

    async def close(self) -> None:
        """Releases the connection pool."""
