"""Warming covers the unread conversations' details (inbox_app/server/cache/warming.py,
issue 14): at start and after a resync, each warmed clinic's newest unread details, and
their patients (the desktop client prefetches both), are loaded into Redis, at most
``INBOX_WARM_UNREAD_LIMIT`` per clinic, and the first open of one is a hit.

Real server processes and a real Redis; waiting on another process has no event to await,
so those waits poll with a bound (``until``).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import redis
import websockets

from inbox_app.contract.policy import detail_key
from inbox_app.server.cache import warming
from inbox_app.server.cache.aside import Cache
from inbox_app.server.db.database import Database
from tests.server.conftest import ApiUser, sign_in
from tests.server.test_instances import until
from tests.support import RedisProcess, ServerProcess, server_cache_keys

pytestmark = pytest.mark.redis

LIMIT = 3
WARMED = "cache: warmed"


def newest_unread(user: ApiUser) -> list[int]:
    """The clinic's unread conversations in the list's order (the latest message first)."""
    return [c["id"] for c in user.conversations() if c["unread_count"] > 0]


def patients_of(user: ApiUser, conversation_ids: Iterable[int]) -> set[int]:
    patient = {c["id"]: c["patient_id"] for c in user.conversations()}
    return {patient[cid] for cid in conversation_ids}


def cached_patients(store: redis.Redis) -> set[int]:
    return {int(k.decode().rsplit(":", 2)[-2]) for k in server_cache_keys(store, "patient:*:data")}


def cached_details(store: redis.Redis) -> set[int]:
    return {
        int(k.decode().rsplit(":", 2)[-2])
        for k in server_cache_keys(store, "conversation:*:detail")
    }


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """None: the factory's fresh SQLite copy; else a fresh PostgreSQL clone of the demo."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_demo_url")


def test_start_warms_each_clinics_newest_unread_details_and_patients_within_the_bound(
    server_factory: Callable[..., ServerProcess],
    redis_proc: RedisProcess,
    database_url: str | None,
) -> None:
    server = server_factory(
        database_url=database_url,
        redis_url=redis_proc.url,
        demo_size=None if database_url else "small",
        env={"INBOX_WARM_UNREAD_LIMIT": str(LIMIT)},
    )
    until(lambda: WARMED in server.text(), within=30)
    store = redis.Redis.from_url(redis_proc.url)
    users = [sign_in(server, "ana@aurora.example"), sign_in(server, "bruno@boavista.example")]
    try:
        warmed = cached_details(store)  # before anyone read a detail or a patient
        warmed_patients = cached_patients(store)
        unread = {u.email: newest_unread(u) for u in users}
        assert all(len(ids) > LIMIT for ids in unread.values()), unread  # the bound bites
        assert warmed == {cid for ids in unread.values() for cid in ids[:LIMIT]}
        assert warmed_patients == {
            pid for u in users for pid in patients_of(u, unread[u.email][:LIMIT])
        }
        ana = users[0]
        first = unread[ana.email][0]
        before = ana.http.get("/api/metrics").json()["cache"]
        ana.detail(first)
        patient = ana.http.get(f"/api/patients/{patients_of(ana, [first]).pop()}")
        assert patient.status_code == 200
        after = ana.http.get("/api/metrics").json()["cache"]
        for kind in ("conversation_detail", "patient_data"):
            assert (after[kind]["hits"], after[kind]["misses"]) == (
                before[kind]["hits"] + 1,
                before[kind]["misses"],
            ), kind
    finally:
        store.close()
        for user in users:
            user.close()


def test_unread_warming_can_be_switched_off(
    server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess
) -> None:
    server = server_factory(redis_url=redis_proc.url, env={"INBOX_WARM_UNREAD": "0"})
    until(lambda: WARMED in server.text(), within=30)
    store = redis.Redis.from_url(redis_proc.url)
    try:
        assert len(server_cache_keys(store, "conversations:clinic:*")) == 2
        assert cached_details(store) == set()
        assert cached_patients(store) == set()
    finally:
        store.close()


async def test_a_resync_warms_the_clinics_unread_details_again(
    server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess
) -> None:
    server = server_factory(
        redis_url=redis_proc.url,
        env={"INBOX_EVENT_LOG_SIZE": "2", "INBOX_WARM_UNREAD_LIMIT": str(LIMIT)},
    )
    until(lambda: WARMED in server.text(), within=30)
    ana = sign_in(server, "ana@aurora.example")
    store = redis.Redis.from_url(redis_proc.url)
    try:
        expected = set(newest_unread(ana)[:LIMIT])
        read = next(c["id"] for c in ana.conversations() if c["unread_count"] == 0)
        for i in range(4):  # more events than the log keeps (notes change no unread count)
            answer = ana.http.post(
                f"/api/conversations/{read}/notes",
                json={"body": f"n{i}"},
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
            assert answer.status_code == 201
        held = server_cache_keys(store, "conversation:*:detail")
        if held:
            store.delete(*held)  # as if Redis had restarted
        ws = await websockets.connect(
            server.ws_url, additional_headers={"Authorization": f"Bearer {ana.token}"}
        )
        try:
            await ws.send(json.dumps({"type": "hello", "since": 1}))  # a gap the log lost
            event = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert event["type"] == "resync"
            until(lambda: cached_details(store) >= expected)
        finally:
            await ws.close()
        assert not cached_details(store) - expected - {read}
        assert all(server_cache_keys(store, detail_key(cid)) for cid in expected)
    finally:
        store.close()
        ana.close()


async def test_resync_warms_of_one_clinic_run_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every socket of a clinic that resyncs asks for a warm: one runs, and the asks that
    come while it runs share one more run after it (other clinics are not held back)."""
    runs: list[list[int]] = []
    running, release = asyncio.Event(), asyncio.Event()
    real = warming.warm

    async def counted(cache: Cache, db: Database, clinics: Iterable[int] | None = None) -> int:
        runs.append(list(clinics or []))
        running.set()
        await release.wait()
        return await real(cache, db, clinics)

    monkeypatch.setattr(warming, "warm", counted)
    cache = await Cache.create(None)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
    warmer = warming.ResyncWarmer(cache, db)
    try:
        for _ in range(3):  # asked before the warm starts: that warm serves them
            warmer.after_resync(1)
        await asyncio.wait_for(running.wait(), 10)
        for _ in range(5):  # asked while it runs: one more run
            warmer.after_resync(1)
        warmer.after_resync(2)
        release.set()
        await asyncio.wait_for(warmer.settle(), 10)
    finally:
        await warmer.close()
        await cache.close()
        await db.close()
    assert sorted(runs) == [[1], [1], [2]]
