"""Request, database, live and cache figures: JSON at /api/metrics, Prometheus at /metrics.

Each app owns its own prometheus_client registry, so several apps in one process (tests)
never collide on the global one. The cache figures come from :meth:`Cache.metrics` at scrape
time through a custom collector, so there is one source for both formats.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client import Counter as PromCounter
from prometheus_client import Histogram as PromHistogram
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inbox_app.contract.metrics import (
    CacheFigures,
    DatabaseFigures,
    LiveFigures,
    RequestFigures,
    ServerMetrics,
)

#: Recent request latencies kept for the JSON p95 (a window, not the whole history).
_WINDOW = 2048
#: Per-kind cache figures that are gauges (now, not ever-growing); the other numbers are
#: counters; rates, averages and percentiles stay out of /metrics (Prometheus computes them
#: from counters and histograms), they are in /api/metrics for the app.
_CACHE_GAUGES: frozenset[str] = frozenset()
_CACHE_DERIVED = frozenset({"hit_rate", "avg_ms", "p95_ms"})
_CACHE_HELP = {
    "hits": "Cache reads answered by Redis", "misses": "Cache reads Redis could not answer",
    "errors": "Redis errors", "skipped": "Reads sent to the database while the breaker was open",
    "loads": "Database loads caused by cache misses", "coalesced":
    "Concurrent misses that shared another's load", "refreshes":
    "Write-through loads after a write", "patches": "Cached values patched in place",
    "early_refreshes": "Hot keys reloaded ahead of their expiry",
    "bytes_stored": "Bytes written to Redis", "bytes_saved": "Bytes compression saved",
}


class Metrics:
    """The figures of one server process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests_total = 0
        #: reads the cache-hit fast path answered itself (``http/fast_reads.py``)
        self.fast_reads = 0
        self.by_route: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()
        self._latencies: deque[float] = deque(maxlen=_WINDOW)
        self._sum_ms = 0.0
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._requests = PromCounter(
            "inbox_http_requests", "HTTP requests", ["method", "route", "status"],
            registry=self.registry,
        )
        self._latency = PromHistogram(
            "inbox_http_request_duration_seconds", "HTTP request latency", ["route"],
            registry=self.registry,
        )

    def bind(
        self, *, db_queries: Callable[[], int], live_clients: Callable[[], int],
        cache_metrics: Callable[[], dict[str, dict[str, float]]],
        db_write_queries: Callable[[], int],
        cache_latency: Callable[[], dict[str, tuple[list[tuple[str, int]], float]]]
        | None = None,
    ) -> None:
        """Connects the figures other parts own (read at scrape time)."""
        self._cache_latency = cache_latency or dict
        self._db_queries = db_queries
        self._db_write_queries = db_write_queries
        self._live_clients = live_clients
        self._cache_metrics = cache_metrics
        self.registry.register(_LiveCollector(self))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests_total += 1
        self.by_route[f"{method} {route}"] += 1
        self.by_status[status] += 1
        ms = seconds * 1000
        self._latencies.append(ms)
        self._sum_ms += ms
        # prometheus_client's labels() takes a lock and builds a key on every call (~7 us, a
        # tenth of a cache hit's own cost): the children are looked up once per label set
        children = self._children.get((method, route, status))
        if children is None:
            children = self._children[method, route, status] = (
                self._requests.labels(method, route, str(status)), self._latency.labels(route))
        children[0].inc()
        children[1].observe(seconds)

    def snapshot(self) -> ServerMetrics:
        """The answer of ``GET /api/metrics``."""
        recent = sorted(self._latencies)
        p95 = recent[min(len(recent) - 1, int(len(recent) * 0.95))] if recent else 0.0
        return ServerMetrics(
            requests=RequestFigures(
                total=self.requests_total,
                avg_ms=round(self._sum_ms / self.requests_total, 3)
                if self.requests_total else 0.0,
                p95_ms=round(p95, 3),
                by_route=dict(self.by_route),
                by_status={str(k): v for k, v in self.by_status.items()},
                fast_reads=self.fast_reads,
            ),
            db=DatabaseFigures(queries=self._db_queries(),
                               write_queries=self._db_write_queries()),
            live=LiveFigures(clients=self._live_clients()),
            cache={kind: CacheFigures.model_validate(figures)
                   for kind, figures in self._cache_metrics().items()},
        )


class _LiveCollector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Any]:
        m = self.metrics
        yield CounterMetricFamily("inbox_db_queries", "Database queries", m._db_queries())
        yield CounterMetricFamily("inbox_db_write_queries",
                                  "Database queries inside write transactions",
                                  m._db_write_queries())
        yield GaugeMetricFamily("inbox_live_clients", "Open live sockets", m._live_clients())
        figures = m._cache_metrics()
        names = sorted({name for per_kind in figures.values() for name in per_kind}
                       - _CACHE_DERIVED)
        for name in names:
            help_text = _CACHE_HELP.get(name, f"Cache {name}") + " per kind"
            family: Any = (GaugeMetricFamily if name in _CACHE_GAUGES else CounterMetricFamily)(
                f"inbox_cache_{name}", help_text, labels=["kind"])
            for kind, per_kind in figures.items():
                if name in per_kind:
                    family.add_metric([kind], float(per_kind[name]))
            yield family
        latency = HistogramMetricFamily("inbox_cache_read_duration_seconds",
                                        "Cache read latency per kind", labels=["kind"])
        for kind, (buckets, total) in m._cache_latency().items():
            latency.add_metric([kind], [(b, float(c)) for b, c in buckets], total)
        yield latency


class MetricsMiddleware:
    """Pure ASGI middleware timing every HTTP request by its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            self.metrics.observe(scope["method"], path, status, time.perf_counter() - start)
