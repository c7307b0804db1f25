"""Health, metrics (JSON and Prometheus), the webhook, the command line and demo data."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import httpx
import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from inbox_app.contract.events import EventType
from inbox_app.contract.models import Health, Message
from inbox_app.contract.policy import CacheKind
from inbox_app.server.http.webhook import signature
from tests.server.conftest import sign_in
from tests.server.live_support import connect, next_event
from tests.support import ServerProcess

SECRET = "segredo-do-webhook"


def test_health(server: ServerProcess) -> None:
    answer = httpx.get(f"{server.url}/api/health")
    assert answer.status_code == 200
    assert Health.model_validate_json(answer.content) == Health(
        status="ok", db="up", cache="disabled", version="0.1.0")


async def test_metrics_json_and_prometheus(server: ServerProcess) -> None:
    user = sign_in(server, "ana@aurora.example")
    user.conversations()
    ws = await connect(server.ws_url, user.token, since=10**9)
    await next_event(ws)
    try:
        async with httpx.AsyncClient(base_url=server.url) as http:
            figures = (await http.get("/api/metrics")).json()
            text = (await http.get("/metrics")).text
        assert figures["requests"]["total"] >= 2
        assert figures["requests"]["by_route"]["GET /api/clinics/{clinic_id}/conversations"] == 1
        assert figures["requests"]["p95_ms"] > 0
        assert figures["db"]["queries"] > 0
        assert figures["live"]["clients"] == 1
        assert set(figures["cache"]) == {k.value for k in CacheKind}
        for per_kind in figures["cache"].values():
            assert {"hits", "misses", "hit_rate", "errors", "avg_ms", "p95_ms"} <= set(per_kind)
    finally:
        await ws.close()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert families["inbox_live_clients"].samples[0].value == 1
    assert families["inbox_db_queries"].samples[0].value > 0
    routes = {s.labels.get("route") for s in families["inbox_http_requests"].samples}
    assert "/api/clinics/{clinic_id}/conversations" in routes
    assert {s.labels["kind"] for s in families["inbox_cache_hits"].samples} == \
        {k.value for k in CacheKind}
    user.close()


def test_metrics_tell_the_queries_of_writes_from_those_of_reads(server: ServerProcess) -> None:
    user = sign_in(server, "ana@aurora.example")

    def db() -> dict[str, int]:
        return httpx.get(f"{server.url}/api/metrics").json()["db"]

    start = db()
    conversation = user.conversations()[0]
    user.detail(conversation["id"])
    after_reads = db()
    assert after_reads["queries"] > start["queries"]
    assert after_reads["write_queries"] == start["write_queries"]
    answer = user.http.post(f"/api/conversations/{conversation['id']}/notes",
                            json={"body": "ligar amanhã"})
    assert answer.status_code == 201, answer.text
    after_write = db()
    written = after_write["write_queries"] - after_reads["write_queries"]
    assert written >= 3  # the conversation lock, the note, the live event at least
    assert after_write["queries"] - after_reads["queries"] >= written
    user.close()


@pytest.fixture
def hooked(server_factory) -> ServerProcess:
    return server_factory(env={"INBOX_WEBHOOK_SECRET": SECRET})


async def test_inbound_webhook_creates_then_appends(hooked: ServerProcess) -> None:
    user = sign_in(hooked, "ana@aurora.example")
    url = f"{hooked.url}/api/inbound"
    body = {"clinic_id": user.clinic_id, "phone": "+55 11 90000-0001",
            "name": "Joana Paciente", "body": "Olá, quero marcar consulta"}
    ws = await connect(hooked.ws_url, user.token, since=0)
    http = httpx.AsyncClient()
    try:
        assert (await http.post(url, json=body)).status_code == 401
        wrong = await http.post(url, json=body, headers={"X-Webhook-Secret": "x"})
        assert wrong.status_code == 401
        first = await http.post(url, json=body, headers={"X-Webhook-Secret": SECRET})
        assert first.status_code == 201
        message = Message.model_validate_json(first.content)
        assert message.direction == "inbound"
        created = await next_event(ws)
        assert created.type is EventType.CONVERSATION_CREATED
        assert created.data["patient_name"] == "Joana Paciente"
        assert created.data["unread_count"] == 1
        second = await http.post(url, json={**body, "body": "Alguém aí?"},
                            headers={"X-Webhook-Secret": SECRET})
        appended = await next_event(ws)
        assert appended.type is EventType.MESSAGE_CREATED
        assert appended.conversation_id == created.conversation_id
        assert second.json()["conversation_id"] == message.conversation_id
        summary = user.detail(message.conversation_id)["summary"]
        assert summary["unread_count"] == 2
        assert summary["last_message_preview"] == "Alguém aí?"
        # the same patient on another channel: a conversation of its own
        sms = await http.post(url, json={**body, "channel": "sms", "body": "Pelo SMS"},
                              headers={"X-Webhook-Secret": SECRET})
        assert sms.status_code == 201
        by_sms = await next_event(ws)
        assert by_sms.type is EventType.CONVERSATION_CREATED
        assert by_sms.conversation_id == sms.json()["conversation_id"] != message.conversation_id
        assert by_sms.data["patient_id"] == created.data["patient_id"]
        assert user.detail(message.conversation_id)["summary"]["unread_count"] == 2
        # the same phone writing to another clinic is that clinic's patient, not this one's
        other = sign_in(hooked, "bruno@boavista.example")
        there = await http.post(url, json={**body, "clinic_id": other.clinic_id},
                                headers={"X-Webhook-Secret": SECRET})
        assert there.status_code == 201
        assert there.json()["conversation_id"] not in {message.conversation_id,
                                                       by_sms.conversation_id}
        assert user.detail(message.conversation_id)["summary"]["unread_count"] == 2
        assert other.detail(there.json()["conversation_id"])["summary"]["unread_count"] == 1
        other.close()
        missing = await http.post(url, json={**body, "clinic_id": 999},
                             headers={"X-Webhook-Secret": SECRET})
        assert missing.status_code == 404
        bad = await http.post(url, json={**body, "body": ""}, headers={"X-Webhook-Secret": SECRET})
        assert bad.status_code == 422
    finally:
        await http.aclose()
        await ws.close()
        user.close()


async def test_simulate_inbound_feeds_the_live_stream(server_factory) -> None:
    server = server_factory(extra_args=["--simulate-inbound", "0.2"])
    users = [sign_in(server, "ana@aurora.example"), sign_in(server, "bruno@boavista.example")]
    sockets = [await connect(server.ws_url, u.token, since=0) for u in users]
    try:
        import asyncio

        done, pending = await asyncio.wait(
            [asyncio.create_task(next_event(ws)) for ws in sockets],
            return_when=asyncio.FIRST_COMPLETED,
        )
        for task in pending:
            task.cancel()
        event = next(iter(done)).result()
        assert event.type in {EventType.MESSAGE_CREATED, EventType.CONVERSATION_CREATED}
        assert event.data["direction"] == "inbound"
    finally:
        for ws in sockets:
            await ws.close()
        for u in users:
            u.close()


def test_port_zero_prints_the_real_port_and_demo_logins(server: ServerProcess) -> None:
    output = server.text()
    assert f"Listening on http://127.0.0.1:{server.port}" in output
    assert server.port != 0
    assert "ana@aurora.example" in output and "bruno@boavista.example" in output
    assert "demo1234" in output


def test_env_settings_and_restart(server_factory, tmp_path) -> None:
    server = server_factory(env={"INBOX_TOKEN_TTL_SECONDS": "120"})
    user = sign_in(server, "diego@boavista.example")
    port = server.port
    server.kill()
    server.restart()
    assert server.port == port
    assert user.http.get("/api/session").status_code == 200  # tokens survive restarts
    user.close()


def test_demo_seed_is_idempotent_and_full_size(tmp_path) -> None:
    path = tmp_path / "demo.db"
    command = [sys.executable, "-m", "inbox_app.server", "--database-url",
               f"sqlite:///{path}", "--demo-data", "--demo-size", "full", "--init-only"]
    for _ in range(2):
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    with sqlite3.connect(path) as db:
        clinics = [r[0] for r in db.execute("SELECT name FROM clinics ORDER BY id")]
        per_clinic = dict(db.execute(
            "SELECT clinic_id, count(*) FROM conversations GROUP BY clinic_id"))
        patients = dict(db.execute("SELECT clinic_id, count(*) FROM patients GROUP BY clinic_id"))
        users = db.execute("SELECT count(*) FROM users").fetchone()[0]
        notes = db.execute("SELECT count(*) FROM notes").fetchone()[0]
    assert clinics == ["Clínica Aurora", "Clínica Boa Vista"]
    assert set(per_clinic.values()) == {500}
    assert set(patients.values()) == {200}
    assert users == 6
    assert notes > 0


def test_health_says_database_down_with_503(server_factory, postgres_demo_url: str) -> None:
    from tests.support import drop_pg_database

    server = server_factory(database_url=postgres_demo_url)
    assert httpx.get(f"{server.url}/api/health").json()["db"] == "up"
    drop_pg_database(postgres_demo_url.rsplit("/", 1)[1])  # the database vanishes under it
    answer = httpx.get(f"{server.url}/api/health", timeout=15)
    assert answer.status_code == 503
    assert Health.model_validate_json(answer.content).model_dump() == {
        "status": "degraded", "db": "down", "cache": "disabled", "version": "0.1.0"}
    # and a request is a 503 the client retries, in the contract's body, not a hang
    answer = httpx.get(f"{server.url}/api/session", headers={"Authorization": "Bearer x"},
                       timeout=15)
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["error"]["code"] == "unavailable"


async def test_signed_webhook_deliveries_are_accepted_once(server_factory) -> None:
    server = server_factory(env={"INBOX_WEBHOOK_SECRET": SECRET,
                                 "INBOX_WEBHOOK_SHARED_SECRET": "0"})
    user = sign_in(server, "ana@aurora.example")
    body = orjson.dumps({"clinic_id": user.clinic_id, "phone": "+55 11 90000-0002",
                         "body": "Bom dia", "message_id": "wamid.1"})
    url = f"{server.url}/api/inbound"
    json_type = {"Content-Type": "application/json"}
    async with httpx.AsyncClient() as http:
        signed = {**json_type, "X-Hub-Signature-256": signature(SECRET, body)}
        first = await http.post(url, content=body, headers=signed)
        assert first.status_code == 201, first.text
        again = await http.post(url, content=body, headers=signed)
        assert again.status_code == 409  # a replay of a delivery already received
        assert again.json()["error"]["code"] == "conflict"
        # the signature covers the raw bytes: another body under it is refused
        other = body.replace(b"Bom dia", b"Boa tarde")
        assert (await http.post(url, content=other, headers=signed)).status_code == 401
        assert (await http.post(url, content=other, headers={
            **json_type, "X-Hub-Signature-256": signature("not-the-secret", other)})
        ).status_code == 401
        # the old shared-secret header is refused once its setting is off
        assert (await http.post(url, content=other, headers={
            **json_type, "X-Webhook-Secret": SECRET})).status_code == 401
        fresh = await http.post(url, content=other, headers={
            **json_type, "X-Hub-Signature-256": signature(SECRET, other)})
        assert fresh.status_code == 201
    messages = user.detail(first.json()["conversation_id"])["messages"]
    assert [m["body"] for m in messages][-2:] == ["Bom dia", "Boa tarde"]
    user.close()


def test_no_docs_pages_only_the_openapi_document(server: ServerProcess) -> None:
    # FastAPI's /docs and /redoc load their scripts from a public CDN: not served at all
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert httpx.get(f"{server.url}{path}").status_code == 404, path
    document = httpx.get(f"{server.url}/openapi.json")
    assert document.status_code == 200 and "/api/inbound" in document.json()["paths"]


def test_options_lists_every_method_of_a_path(server: ServerProcess) -> None:
    answer = httpx.options(f"{server.url}/api/conversations/1/messages")
    assert answer.status_code == 204
    assert {m.strip() for m in answer.headers["allow"].split(",")} >= {"GET", "POST"}
    assert httpx.options(f"{server.url}/api/nowhere").status_code == 404
