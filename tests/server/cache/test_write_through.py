"""Inbound write-through (issue 14): a patient's message leaves its conversation's detail in
Redis, so the receptionist's first open after it is a hit (inbox_app/server/cache/warming.py
``write_through``, called by the write pipeline, inbox_app/server/db/writes.py).

Whole servers with a real Redis for what the webhook and the simulated inbound do; the write
pipeline in process, on a real SQLite copy of the demo and a real Redis, for the racing
reader (its load has to be held between the commit and the store).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis
import redis.asyncio as aioredis

from inbox_app.contract.events import EventType
from inbox_app.contract.models import InboundRequest
from inbox_app.contract.policy import CacheKind, detail_key
from inbox_app.server.cache.aside import Cache
from inbox_app.server.cache.values import decode
from inbox_app.server.db import store
from inbox_app.server.db.database import Database
from inbox_app.server.db.writes import Writer
from inbox_app.server.http.webhook import signature
from inbox_app.server.live.bus import Bus
from tests.server.conftest import ApiUser, sign_in
from tests.server.live_support import connect, next_event
from tests.support import RedisProcess, ServerProcess, SqliteTemplates, server_cache_keys

pytestmark = pytest.mark.redis

SECRET = "write-through-secret"
DETAIL = CacheKind.CONVERSATION_DETAIL.value


def deliver(server: ServerProcess, body: dict[str, Any]) -> dict[str, Any]:
    """One signed webhook delivery (the WhatsApp Cloud API's scheme); the new message."""
    raw = orjson.dumps({**body, "message_id": uuid.uuid4().hex})
    answer = httpx.post(
        f"{server.url}/api/inbound",
        content=raw,
        timeout=10,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature(SECRET, raw)},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def reachable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The conversations a patient's next message goes to: the newest of each patient and
    channel (how the inbound write finds it)."""
    newest: dict[tuple[int, str], dict[str, Any]] = {}
    for item in items:
        known = newest.get((item["patient_id"], item["channel"]))
        if known is None or item["id"] > known["id"]:
            newest[item["patient_id"], item["channel"]] = item
    return list(newest.values())


def a_conversation_nobody_opened(user: ApiUser, store_: redis.Redis) -> dict[str, Any]:
    for item in reachable(user.conversations()):
        if not server_cache_keys(store_, detail_key(item["id"])):
            return item
    raise AssertionError("every conversation's detail is cached")


@pytest.mark.parametrize("switch", ["on", "off"])
def test_after_the_webhook_the_detail_is_in_redis_and_the_next_open_hits(
    switch: str, server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess
) -> None:
    # unread warming off: the detail must come from the write, not from the start's warming
    server = server_factory(
        redis_url=redis_proc.url,
        env={
            "INBOX_WEBHOOK_SECRET": SECRET,
            "INBOX_WARM_UNREAD": "0",
            "INBOX_WRITE_THROUGH": "1" if switch == "on" else "0",
        },
    )
    ana = sign_in(server, "ana@aurora.example")
    store_ = redis.Redis.from_url(redis_proc.url)
    try:
        conv = a_conversation_nobody_opened(ana, store_)
        phone = ana.http.get(f"/api/patients/{conv['patient_id']}").json()["phone"]
        before = ana.http.get("/api/metrics").json()["cache"][DETAIL]

        message = deliver(
            server,
            {
                "clinic_id": ana.clinic_id,
                "phone": phone,
                "channel": conv["channel"],
                "body": "Posso remarcar?",
            },
        )

        assert message["conversation_id"] == conv["id"]
        held = server_cache_keys(store_, detail_key(conv["id"]))
        detail = ana.detail(conv["id"])
        after = ana.http.get("/api/metrics").json()["cache"][DETAIL]
    finally:
        store_.close()
        ana.close()
    assert detail["messages"][-1]["id"] == message["id"]
    if switch == "off":  # the switch the benchmark compares with: the first open misses
        assert not held
        assert after["misses"] == before["misses"] + 1
        return
    assert held
    assert (after["hits"], after["misses"]) == (before["hits"] + 1, before["misses"])
    assert after["refreshes"] == before["refreshes"] + 1  # the write-through's own load


def test_a_conversation_created_by_an_inbound_message_opens_from_redis(
    server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess
) -> None:
    server = server_factory(redis_url=redis_proc.url, env={"INBOX_WEBHOOK_SECRET": SECRET})
    ana = sign_in(server, "ana@aurora.example")
    store_ = redis.Redis.from_url(redis_proc.url)
    try:
        before = ana.http.get("/api/metrics").json()["cache"][DETAIL]
        message = deliver(
            server,
            {
                "clinic_id": ana.clinic_id,
                "phone": "+55 11 97777-0001",
                "name": "Paciente Nova",
                "body": "Primeira mensagem",
            },
        )
        held = server_cache_keys(store_, detail_key(message["conversation_id"]))
        detail = ana.detail(message["conversation_id"])
        after = ana.http.get("/api/metrics").json()["cache"][DETAIL]
    finally:
        store_.close()
        ana.close()
    assert held
    assert [m["id"] for m in detail["messages"]] == [message["id"]]
    assert (after["hits"], after["misses"]) == (before["hits"] + 1, before["misses"])
    # built whole from what the write knew: no load back
    assert after["patches"] == before["patches"] + 1
    assert after["refreshes"] == before["refreshes"]


async def test_a_simulated_inbound_message_is_written_through_too(
    server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess
) -> None:
    server = server_factory(
        redis_url=redis_proc.url,
        env={"INBOX_WARM_UNREAD": "0"},
        extra_args=["--simulate-inbound", "0.2"],
    )
    ana = sign_in(server, "ana@aurora.example")
    ws = await connect(server.ws_url, ana.token, since=10**9)
    store_ = redis.Redis.from_url(redis_proc.url)
    try:
        # the event is published after the write-through: the key is there when it arrives
        while (event := await next_event(ws)).type not in {
            EventType.MESSAGE_CREATED,
            EventType.CONVERSATION_CREATED,
        }:
            pass
        assert event.conversation_id is not None
        assert server_cache_keys(store_, detail_key(event.conversation_id))
    finally:
        store_.close()
        await ws.close()
        ana.close()


# --- in process: a reader racing the write -----------------------------------------------


@pytest.fixture
async def pipeline(
    tmp_path: Path, sqlite_templates: SqliteTemplates, redis_proc: RedisProcess
) -> AsyncIterator[Writer]:
    """The write pipeline on a copy of the small demo, with a real Redis."""
    db = Database(sqlite_templates.copy("small", tmp_path / "inbox.db"))
    cache = await Cache.create(redis_proc.url)
    bus = await Bus.create(None)
    try:
        yield Writer(db, cache, bus, 1000)
    finally:
        await bus.close()
        await cache.close()
        await db.close()


async def test_a_reader_that_loaded_before_the_inbound_cannot_store_over_it(
    pipeline: Writer, raw: aioredis.Redis
) -> None:
    db, cache = pipeline.db, pipeline.cache
    async with db.read() as conn:
        listed = await store.load_list(conn, 1)
    assert listed is not None
    conv = reachable(orjson.loads(listed[1])["items"])[0]
    cid = conv["id"]
    key = detail_key(cid)
    loaded, release = asyncio.Event(), asyncio.Event()

    async def slow_reader_load() -> tuple[int, bytes] | None:
        async with db.read() as conn:
            old = await store.load_detail(conn, cid)  # the row before the message
        loaded.set()
        await release.wait()  # meanwhile: the commit, the drop, the write-through
        return old

    reader = asyncio.create_task(
        cache.get_or_load(CacheKind.CONVERSATION_DETAIL, key, slow_reader_load)
    )
    await asyncio.wait_for(loaded.wait(), 10)
    status, body = await pipeline.run(
        pipeline.inbound(
            InboundRequest(
                clinic_id=1,
                phone=conv["patient_phone"],
                channel=conv["channel"],
                body="Chegou agora",
            )
        )
    )
    assert status == 201
    message = orjson.loads(body)
    assert message["conversation_id"] == cid
    new_id = message["id"]
    release.set()
    old = await asyncio.wait_for(reader, 10)
    assert old is not None and new_id not in _message_ids(old.json_bytes())  # its own answer

    stored = await raw.get(key)  # ...but Redis keeps the write's
    assert stored is not None, "the inbound message's detail is not in Redis"
    value = decode(stored)
    assert value is not None and new_id in _message_ids(value.json_bytes())
    before = cache.metrics()[DETAIL]
    hit = await cache.get_or_load(CacheKind.CONVERSATION_DETAIL, key, slow_reader_load)
    assert hit is not None and new_id in _message_ids(hit.json_bytes())
    assert cache.metrics()[DETAIL]["hits"] == before["hits"] + 1


def _message_ids(detail: bytes) -> list[int]:
    return [m["id"] for m in orjson.loads(detail)["messages"]]
