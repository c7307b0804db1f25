"""Tests for inbox_app/client/net/api.py: the metrics and health answers arrive typed."""

from __future__ import annotations

import orjson

from inbox_app.client.net.api import Api
from inbox_app.contract.metrics import ServerMetrics
from inbox_app.contract.models import Health
from inbox_app.contract.policy import CacheKind
from tests.support import ServerProcess


async def test_metrics_and_health_are_typed_and_the_wire_is_unchanged(
        server: ServerProcess) -> None:
    api = Api(server.url)
    try:
        answer = await api.login("ana@aurora.example", "demo1234")
        await api.conversations(answer.session.clinic.id)
        metrics = await api.metrics()
        health = await api.health()
        wire = orjson.loads((await api.http.get("/api/metrics")).content)
    finally:
        await api.close()
    assert isinstance(metrics, ServerMetrics) and isinstance(health, Health)
    assert set(metrics.cache) == {kind.value for kind in CacheKind}
    assert metrics.requests.total >= 2 and metrics.db.queries > 0
    assert metrics.cache[CacheKind.CONVERSATIONS_LIST.value].misses == 1
    assert health.status == "ok" and health.db == "up"
    # the model holds every figure the server sends, as sent
    typed = ServerMetrics.model_validate(wire)
    assert orjson.loads(typed.model_dump_json()) == wire


def test_the_server_hit_rate_adds_up_every_kind() -> None:
    metrics = ServerMetrics.model_validate(
        {"cache": {"a": {"hits": 3, "misses": 1}, "b": {"hits": 0, "misses": 4}},
         "requests": {"total": 9}, "newer_figure": 1})
    assert metrics.cache_hit_rate() == 3 / 8
    assert ServerMetrics().cache_hit_rate() is None
    assert metrics.requests.total == 9 and metrics.db.queries == 0
