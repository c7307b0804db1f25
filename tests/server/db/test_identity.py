"""Tests for inbox_app/server/db/identity.py: the cache belongs to its database.

Two servers on two SQLite files seeded alike (the same ids) share one real Redis: what one
caches or patches for its database is never served or patched by the other (issue 16).
"""

from __future__ import annotations

import uuid

import httpx
import pytest
import redis

from inbox_app.server.db import identity
from inbox_app.server.db.database import Database
from tests.support import RedisProcess, login, server_cache_keys

pytestmark = pytest.mark.redis


def _client(url: str) -> httpx.Client:
    token, _session = login(url, "ana@aurora.example")
    return httpx.Client(base_url=url, timeout=10, headers={"Authorization": f"Bearer {token}"})


def _note(http: httpx.Client, cid: int, body: str) -> None:
    answer = http.post(f"/api/conversations/{cid}/notes", json={"body": body},
                       headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == 201, answer.text


def test_two_databases_on_one_redis_never_see_each_others_values(
        server_factory, redis_proc: RedisProcess) -> None:
    first = server_factory(redis_url=redis_proc.url)
    second = server_factory(redis_url=redis_proc.url)
    with _client(first.url) as a, _client(second.url) as b:
        clinic = a.get("/api/session").json()["clinic"]["id"]
        cid = a.get(f"/api/clinics/{clinic}/conversations").json()["items"][0]["id"]
        assert b.get(f"/api/clinics/{clinic}/conversations").json()["items"][0]["id"] == cid
        a.get(f"/api/conversations/{cid}")  # cached for the first database
        _note(a, cid, "only in the first database")  # patched into its cached detail
        in_b = b.get(f"/api/conversations/{cid}").json()
        assert "only in the first database" not in [n["body"] for n in in_b["notes"]]
        _note(b, cid, "only in the second database")  # patches the second's value only
        notes_a = [n["body"] for n in a.get(f"/api/conversations/{cid}").json()["notes"]]
        notes_b = [n["body"] for n in b.get(f"/api/conversations/{cid}").json()["notes"]]
        assert "only in the first database" in notes_a
        assert "only in the second database" not in notes_a
        assert "only in the second database" in notes_b
        assert "only in the first database" not in notes_b
    store = redis.Redis.from_url(redis_proc.url)
    try:
        assert len(server_cache_keys(store, f"conversation:{cid}:detail")) == 2
    finally:
        store.close()


async def test_the_identity_is_written_once_and_a_restore_can_renew_it(tmp_path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}")
    try:
        await db.create_schema()
        made = await identity.ensure(db)
        assert await identity.ensure(db) == made
        renewed = await identity.renew(db)
        assert renewed != made and await identity.ensure(db) == renewed
        assert identity.cache_namespace(renewed) != identity.cache_namespace(made)
    finally:
        await db.close()
