"""The answer of ``GET /api/metrics`` (ARCHITECTURE.md section 4) as contract models.

The server builds it, the client validates it, the desktop app's metrics window reads its
attributes. Every figure defaults to zero, so an older server's answer that lacks a newer
figure still reads; unknown fields are ignored like in every other answer.
"""

from __future__ import annotations

from pydantic import Field

from inbox_app.contract.models import Answer


class CacheFigures(Answer):
    """One cache kind's figures on the server (``Cache.metrics``)."""

    hits: int = 0
    misses: int = 0
    errors: int = 0
    #: reads that went straight to the database while Redis was unusable
    skipped: int = 0
    #: database loads the misses caused (fewer when concurrent misses share one)
    loads: int = 0
    coalesced: int = 0
    #: write-through loads after a write
    refreshes: int = 0
    #: values a write patched in place
    patches: int = 0
    #: hot keys reloaded in the background ahead of their expiry (XFetch)
    early_refreshes: int = 0
    hit_rate: float = 0.0
    avg_ms: float = 0.0
    p95_ms: float = 0.0
    bytes_stored: int = 0
    bytes_saved: int = 0


class RequestFigures(Answer):
    total: int = 0
    avg_ms: float = 0.0
    p95_ms: float = 0.0
    #: ``"GET /api/…{template}"`` -> count
    by_route: dict[str, int] = Field(default_factory=dict)
    #: status code (as text) -> count
    by_status: dict[str, int] = Field(default_factory=dict)
    #: reads the cache-hit fast path answered below the web framework
    fast_reads: int = 0


class DatabaseFigures(Answer):
    queries: int = 0
    #: of ``queries``, those run inside write transactions
    write_queries: int = 0


class LiveFigures(Answer):
    #: open live sockets
    clients: int = 0


class ServerMetrics(Answer):
    """The whole ``GET /api/metrics`` answer."""

    requests: RequestFigures = Field(default_factory=RequestFigures)
    db: DatabaseFigures = Field(default_factory=DatabaseFigures)
    live: LiveFigures = Field(default_factory=LiveFigures)
    #: per cache kind (``CacheKind`` values)
    cache: dict[str, CacheFigures] = Field(default_factory=dict)

    def cache_hit_rate(self) -> float | None:
        """Hits over reads across every cache kind (``None`` before any read)."""
        hits = sum(figures.hits for figures in self.cache.values())
        misses = sum(figures.misses for figures in self.cache.values())
        return hits / (hits + misses) if hits + misses else None
