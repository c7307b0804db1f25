"""Per-kind figures of the server cache: hits, misses, errors, skips, latency, bytes."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

#: latency samples kept per kind for the p95 (a sliding window, bounded memory)
WINDOW = 2048
#: upper bounds (seconds) of the read-latency histogram /metrics exposes per kind
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


@dataclass(slots=True)
class KindMetrics:
    """Counters of one cache kind. ``hits`` counts reads answered without a database load:
    by Redis, or by the value a write was patching in at that moment
    (:meth:`~inbox_app.server.cache.reads.SharedReads.expect`); ``misses`` reads Redis could
    not answer; ``loads``
    the database loads they caused (fewer when concurrent misses share one); ``skipped`` the
    reads that went straight to the database while the breaker was open; ``refreshes`` the
    write-through loads after a write (their database loads are in ``loads`` too);
    ``patches`` the values a write patched in place (no database load);
    ``early_refreshes`` the background reloads of hot keys ahead of their expiry (XFetch,
    :mod:`inbox_app.server.cache.early`; their loads are in ``loads`` too)."""

    hits: int = 0
    misses: int = 0
    errors: int = 0
    skipped: int = 0
    loads: int = 0
    coalesced: int = 0
    refreshes: int = 0
    patches: int = 0
    early_refreshes: int = 0
    bytes_stored: int = 0
    bytes_saved: int = 0
    _load_ms: float = 0.0
    _total_ms: float = 0.0
    _count: int = 0
    _window: deque[float] = field(default_factory=lambda: deque(maxlen=WINDOW))
    _buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))

    def observe(self, ms: float) -> None:
        self._total_ms += ms
        self._count += 1
        self._window.append(ms)
        seconds = ms / 1000
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self._buckets[i] += 1
                break

    def observe_load(self, ms: float) -> None:
        """Counts one database load that took ``ms``."""
        self.loads += 1
        self._load_ms += ms

    def typical_load_ms(self) -> float:
        """The mean database load time of this kind (1 ms before any load): early refresh's
        cost estimate for a value no load of its own produced (built by a patch)."""
        return self._load_ms / self.loads if self.loads else 1.0

    def histogram(self) -> tuple[list[tuple[str, int]], float]:
        """Cumulative ``(upper bound, count)`` pairs ending with ``+Inf``, and the sum in
        seconds: the Prometheus histogram of read latency."""
        pairs, running = [], 0
        for bound, count in zip(BUCKETS, self._buckets, strict=True):
            running += count
            pairs.append((repr(bound), running))
        pairs.append(("+Inf", self._count))
        return pairs, self._total_ms / 1000

    def snapshot(self) -> dict[str, float]:
        answered = self.hits + self.misses + self.skipped
        window = sorted(self._window)
        p95 = window[min(len(window) - 1, int(len(window) * 0.95))] if window else 0.0
        return {
            "hits": self.hits,
            "misses": self.misses,
            "errors": self.errors,
            "skipped": self.skipped,
            "loads": self.loads,
            "coalesced": self.coalesced,
            "refreshes": self.refreshes,
            "patches": self.patches,
            "early_refreshes": self.early_refreshes,
            "hit_rate": round(self.hits / answered, 4) if answered else 0.0,
            "avg_ms": round(self._total_ms / self._count, 3) if self._count else 0.0,
            "p95_ms": round(p95, 3),
            "bytes_stored": self.bytes_stored,
            "bytes_saved": self.bytes_saved,
        }
