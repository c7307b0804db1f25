"""The ASGI app: wiring of database, cache, bus, live hub and routes (``create_app``)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from inbox_app.contract import VERSION
from inbox_app.contract.errors import ErrorBody
from inbox_app.contract.metrics import ServerMetrics
from inbox_app.contract.models import Health
from inbox_app.server.aio import cancel_and_wait
from inbox_app.server.auth import Auth
from inbox_app.server.cache import warming
from inbox_app.server.cache.aside import Cache
from inbox_app.server.db import idempotency, identity, schema_version
from inbox_app.server.db.database import Database
from inbox_app.server.db.writes import Writer
from inbox_app.server.demo import seed as demo
from inbox_app.server.demo.inbound import simulate_inbound
from inbox_app.server.guard.throttle import LoginThrottle
from inbox_app.server.http.errors import install_error_handlers
from inbox_app.server.http.fast_reads import FastReads
from inbox_app.server.http.health import router as health_router
from inbox_app.server.http.limits import BodyLimitMiddleware
from inbox_app.server.http.metrics_guard import MetricsTokenMiddleware
from inbox_app.server.http.request_id import RequestIdMiddleware
from inbox_app.server.http.routes import router
from inbox_app.server.http.state import AppState, state_of
from inbox_app.server.http.whatsapp import router as whatsapp_router
from inbox_app.server.live.bus import Bus
from inbox_app.server.live.hub import Hub
from inbox_app.server.metrics import Metrics, MetricsMiddleware
from inbox_app.server.settings import Settings
from inbox_app.server.whatsapp.service import start_delivery

log = logging.getLogger(__name__)

_PURGE_EVERY_SECONDS = 3600.0
#: The server reports through /metrics and its logs, not OpenTelemetry. FastAPI's native
#: telemetry (FastAPI >= 0.16x; older ones have none) asks on every request whether a
#: provider was set up: three environment reads and three provider checks, 4.8 us, an eighth
#: of a cache hit's work in the app. A hit does not pay for what nobody here configures.
_NO_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters else {}
)


async def prepare_database(settings: Settings) -> Database:
    """Opens the database, creates or checks (and with ``migrate`` upgrades) the schema,
    and seeds demo data if asked; :class:`SchemaMismatch` when the versions differ."""
    db = Database(settings.database_url)
    try:
        await schema_version.prepare(db, migrate=settings.migrate)
    except BaseException:
        await db.close()
        raise
    if settings.demo_data:
        await demo.seed(db, settings.demo_size)
    return db


async def _purge_idempotency(db: Database) -> None:
    while True:
        with contextlib.suppress(Exception):
            async with db.write() as conn:
                removed = await idempotency.purge(conn)
            if removed:
                log.info("purged %s idempotency answers older than 24 h", removed)
        await asyncio.sleep(_PURGE_EVERY_SECONDS)  # a periodic chore, not a wait for a state


def create_app(settings: Settings) -> FastAPI:
    """The inbox API for ``settings``; parts start in the lifespan."""
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = await prepare_database(settings)
        # the cache is bound to this database: another database's values are other keys
        namespace = identity.cache_namespace(await identity.ensure(db))
        cache = await Cache.create(settings.redis_url, verbose=settings.verbose,
                                   namespace=namespace, tuning=settings.cache)
        # one pooled Redis client per process: the bus publishes through the cache's, on
        # channels of this database (another database's servers on this Redis never hear them)
        bus = await Bus.create(settings.redis_url, client=cache.client, namespace=namespace)
        # failed sign-ins counted in Redis, shared by every instance (in process without it)
        throttle = LoginThrottle(settings.limits, cache.client,
                                 lambda: not cache.breaker.is_open)
        auth = Auth(db, settings.token_ttl_seconds, throttle)
        limits = settings.limits
        hub = Hub(db, auth, bus, sockets_per_token=limits.live_sockets_per_token,
                  replays_per_minute=limits.live_replays_per_minute,
                  hello_timeout=limits.head_timeout)
        await hub.start()
        writer = Writer(db, cache, bus, settings.event_log_size)
        delivery = start_delivery(settings, db, writer, bus)  # replies out (issue 17)
        metrics.bind(db_queries=lambda: db.queries, live_clients=hub.client_count,
                     cache_metrics=cache.metrics, db_write_queries=lambda: db.write_queries,
                     cache_latency=cache.latency_histograms)
        app.state.inbox = AppState(settings, db, auth, cache, bus, hub, writer, metrics)
        tasks: list[asyncio.Task[object]] = [
            asyncio.create_task(_purge_idempotency(db), name="idempotency-purge")]
        # the busiest clinics' lists (issue 3) and unread conversations (issue 14), loaded
        # once before their receptionists ask
        tasks.append(asyncio.create_task(warming.warm(cache, db), name="cache-warm"))
        warmer = warming.ResyncWarmer(cache, db)
        hub.on_resync = warmer.after_resync
        if settings.simulate_inbound:
            tasks.append(asyncio.create_task(
                simulate_inbound(writer, db, settings.simulate_inbound), name="simulate-inbound"
            ))
        try:
            yield
        finally:
            await cancel_and_wait(tasks)
            await warmer.close()
            await delivery.close()
            await bus.close()
            await cache.close()
            await db.close()

    app = FastAPI(
        title="Clinic Inbox API", version=VERSION, lifespan=lifespan,
        description="The wire contract of Clinic Inbox (ARCHITECTURE.md section 4).",
        # no /docs or /redoc: FastAPI's pages load their scripts from a public CDN (issue 16).
        # The document itself stays at /openapi.json for tools (schemathesis, generators).
        docs_url=None, redoc_url=None, **_NO_TELEMETRY,
    )
    install_error_handlers(app)
    # first added = innermost. A cache hit passes only the layers it needs: the request id,
    # the metrics, and the fast path that answers it (issue 3, fast_reads.py). The body limit
    # (never a GET) and the metrics token (never a cached read's path) sit below it.
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(MetricsTokenMiddleware, token=settings.metrics_token)
    app.add_middleware(FastReads)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(RequestIdMiddleware)  # outermost: every answer carries its id
    app.include_router(router)
    app.include_router(health_router)
    app.include_router(whatsapp_router)

    @app.get("/api/health", response_model=Health, responses={503: {"model": Health}})
    async def health(request: Request) -> Response:
        """ok, or degraded when the cache is down; 503 when the database is down."""
        state = state_of(request)
        db_up = await state.db.ping()
        cache = state.cache.health()
        status = "ok" if db_up and cache in {"up", "disabled"} else "degraded"
        body = Health(status=status, db="up" if db_up else "down", cache=cache,
                      version=VERSION)
        return Response(body.model_dump_json(), 200 if db_up else 503,
                        media_type="application/json")

    @app.get("/api/metrics", response_model=ServerMetrics,
             responses={401: {"model": ErrorBody}})
    async def metrics_json(request: Request) -> Response:
        """Requests, latency, DB queries, live clients and per-kind cache figures."""
        return Response(state_of(request).metrics.snapshot().model_dump_json(),
                        media_type="application/json")

    @app.get("/metrics", include_in_schema=False)
    async def metrics_prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.websocket("/api/live")
    async def live(ws: WebSocket) -> None:
        await state_of(ws).hub.serve(ws)

    return app
