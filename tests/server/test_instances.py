"""Real server processes with Redis: the cache through the API on SQLite and PostgreSQL, warming,
Redis dying mid-run, and two instances on one PostgreSQL + one Redis behaving as one.

Covers inbox_app/server/cache/aside.py, bus.py and warming.py as the app wires them (issue 3).
Waiting on another process (a server, redis-server) has no event to await: those waits poll
with a bound.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import redis
import websockets

from inbox_app.contract.events import CLOSE_UNAUTHORIZED
from inbox_app.contract.policy import POLICY, CacheKind
from tests.server.live_support import closed_with
from tests.support import RedisProcess, ServerProcess, login, server_cache_keys

pytestmark = pytest.mark.redis

ANA, CARLA = "ana@aurora.example", "carla@aurora.example"


def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    """Polls a condition on another process (no signal crosses the process boundary)."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


class User:
    def __init__(self, server: ServerProcess, email: str) -> None:
        self.token, self.session = login(server.url, email)
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=10,
                                 headers={"Authorization": f"Bearer {self.token}"})

    @property
    def clinic(self) -> int:
        return self.session["clinic"]["id"]

    def get(self, path: str) -> Any:
        answer = self.http.get(path)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def conversations(self) -> list[dict[str, Any]]:
        return self.get(f"/api/clinics/{self.clinic}/conversations")["items"]

    def set_priority(self, conversation_id: int, priority: str) -> dict[str, Any]:
        answer = self.http.put(f"/api/conversations/{conversation_id}/priority",
                               json={"priority": priority},
                               headers={"Idempotency-Key": str(uuid.uuid4())})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def add_note(self, conversation_id: int, body: str) -> dict[str, Any]:
        answer = self.http.post(f"/api/conversations/{conversation_id}/notes",
                                json={"body": body},
                                headers={"Idempotency-Key": str(uuid.uuid4())})
        assert answer.status_code == 201, answer.text
        return answer.json()

    def metrics(self) -> dict[str, Any]:
        return self.get("/api/metrics")

    def health(self) -> dict[str, Any]:
        return self.http.get("/api/health").json()


def summary(user: User, conversation_id: int) -> dict[str, Any]:
    return next(c for c in user.conversations() if c["id"] == conversation_id)


@pytest.fixture
def two_instances(server_factory, redis_proc: RedisProcess,
                  postgres_demo_url: str) -> tuple[ServerProcess, ServerProcess]:
    """Two server processes on one PostgreSQL (the small demo) and one Redis."""
    return tuple(server_factory(database_url=postgres_demo_url, redis_url=redis_proc.url,
                                demo_size=None) for _ in range(2))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """None: the factory's fresh SQLite copy; else a fresh PostgreSQL clone of the demo."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_demo_url")


def test_every_kind_misses_then_hits_through_the_api_with_its_ttl(
        server_factory, redis_proc: RedisProcess, database_url: str | None) -> None:
    server = server_factory(database_url=database_url, redis_url=redis_proc.url,
                            demo_size=None if database_url else "small",
                            extra_args=["--verbose"])
    ana = User(server, ANA)
    conv = ana.conversations()[0]
    paths = {
        CacheKind.CONVERSATIONS_LIST: f"/api/clinics/{ana.clinic}/conversations",
        CacheKind.CONVERSATION_DETAIL: f"/api/conversations/{conv['id']}",
        CacheKind.PATIENT_DATA: f"/api/patients/{conv['patient_id']}",
        CacheKind.USER_SESSION: "/api/session",
    }
    before = ana.metrics()["cache"]
    for path in paths.values():
        first, second = ana.get(path), ana.get(path)
        assert first == second
    after = ana.metrics()["cache"]
    for kind in paths:
        assert after[kind.value]["hits"] >= before[kind.value]["hits"] + 1, kind
    store = redis.Redis.from_url(redis_proc.url)
    keys = {CacheKind.CONVERSATIONS_LIST: f"conversations:clinic:{ana.clinic}",
            CacheKind.CONVERSATION_DETAIL: f"conversation:{conv['id']}:detail",
            CacheKind.PATIENT_DATA: f"patient:{conv['patient_id']}:data",
            CacheKind.USER_SESSION: f"user:{ana.session['user']['id']}:session"}
    for kind, cache_key in keys.items():
        [stored] = server_cache_keys(store, cache_key)
        assert POLICY[kind].ttl_seconds - 10 <= store.ttl(stored) <= POLICY[kind].ttl_seconds
    store.close()
    assert ana.health()["cache"] == "up"
    until(lambda: f"cache HIT conversation:{conv['id']}:detail (" in "".join(server.output))


def test_the_busiest_lists_are_warmed_at_start(server_factory,
                                               redis_proc: RedisProcess) -> None:
    server_factory(redis_url=redis_proc.url)
    store = redis.Redis.from_url(redis_proc.url)
    try:
        until(lambda: len(server_cache_keys(store, "conversations:clinic:*")) == 2)
    finally:
        store.close()


@pytest.mark.parametrize("fault", ["killed", "hung"])
def test_redis_failing_mid_run_fails_no_request_and_leaves_nothing_stale(
        fault: str, server_factory, redis_proc: RedisProcess) -> None:
    server = server_factory(redis_url=redis_proc.url)
    ana = User(server, ANA)
    conv = ana.conversations()[0]
    ana.conversations()  # the list is in Redis now

    redis_proc.kill() if fault == "killed" else redis_proc.pause()
    for _ in range(10):
        ana.conversations()  # every read answers, from the database
    new = "low" if conv["priority"] != "low" else "high"
    ana.set_priority(conv["id"], new)  # its invalidation cannot reach Redis
    assert summary(ana, conv["id"])["priority"] == new
    health = ana.health()
    assert (health["status"], health["cache"]) == ("degraded", "down")
    assert ana.metrics()["cache"]["conversations_list"]["skipped"] > 0

    redis_proc.start() if fault == "killed" else redis_proc.resume()
    until(lambda: ana.health()["cache"] == "up")
    # a hung Redis kept the old list: the missed invalidation was applied before reuse
    assert summary(ana, conv["id"])["priority"] == new
    assert summary(ana, conv["id"])["priority"] == new


async def _live(server: ServerProcess, token: str) -> Any:
    ws = await websockets.connect(server.ws_url,
                                  additional_headers={"Authorization": f"Bearer {token}"})
    await ws.send(json.dumps({"type": "hello", "since": 0}))
    return ws


async def _seq_of_note(ws: Any, body: str) -> int:
    """Reads (replayed and live) events until the note with ``body``; answers its seq."""
    while True:
        event = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if event["type"] == "note.created" and (event["data"] or {}).get("body") == body:
            return event["seq"]


async def _next_events(ws: Any, count: int, after: int) -> list[dict[str, Any]]:
    """The next ``count`` events with seq > ``after`` (replayed older ones are skipped)."""
    got: list[dict[str, Any]] = []
    while len(got) < count:
        event = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if event["seq"] > after and event["type"] != "ready":
            got.append(event)
    return got


async def test_two_instances_on_one_postgres_and_redis_behave_as_one(
        two_instances: tuple[ServerProcess, ServerProcess]) -> None:
    a, b = two_instances
    ana_a, carla_b = User(a, ANA), User(b, CARLA)
    convs = carla_b.conversations()[:4]
    carla_b.conversations()  # B's list is in Redis now
    ws_a, ws_b = await _live(a, ana_a.token), await _live(b, carla_b.token)
    try:
        marker = f"marker {uuid.uuid4()}"
        ana_a.add_note(convs[0]["id"], marker)  # through A...
        base = await _seq_of_note(ws_b, marker)  # ...reaches B's socket
        assert await _seq_of_note(ws_a, marker) == base
        first = ana_a.set_priority(convs[0]["id"], "urgent")
        # the list B cached was dropped by A's write
        assert summary(carla_b, convs[0]["id"])["priority"] == "urgent"
        base += 1
        for user in (ana_a, carla_b):  # both instances' reads put the details in Redis
            for conv in convs:
                user.get(f"/api/conversations/{conv['id']}")
        writers = [ana_a, carla_b] * 5
        for i, writer in enumerate(writers):  # interleaved writes through both instances
            writer.add_note(convs[i % 4]["id"], f"note {i}")
        expected = list(range(base + 1, base + len(writers) + 1))
        for ws in (ws_a, ws_b):
            events = await _next_events(ws, len(writers), base)
            assert [e["seq"] for e in events] == expected  # gapless, ordered, no duplicate
            assert all(e["invalidate"] for e in events)
        # every note is visible through both instances' caches (details were dropped)
        for user in (ana_a, carla_b):
            for i in range(4):
                notes = user.get(f"/api/conversations/{convs[i]['id']}")["notes"]
                assert {f"note {j}" for j in range(i, len(writers), 4)} <= {
                    n["body"] for n in notes}
        assert first["priority"] == "urgent"
        assert carla_b.metrics()["cache"]["conversations_list"]["hits"] > 0
    finally:
        await ws_a.close()
        await ws_b.close()


async def test_with_redis_down_own_sockets_still_get_events_and_the_other_instance_catches_up(
        two_instances: tuple[ServerProcess, ServerProcess], redis_proc: RedisProcess) -> None:
    a, b = two_instances
    ana_a, carla_b = User(a, ANA), User(b, CARLA)
    conv = ana_a.conversations()[0]
    ws_a, ws_b = await _live(a, ana_a.token), await _live(b, carla_b.token)
    try:
        marker = f"marker {uuid.uuid4()}"
        ana_a.add_note(conv["id"], marker)
        base = await _seq_of_note(ws_a, marker)
        assert await _seq_of_note(ws_b, marker) == base

        redis_proc.kill()
        ana_a.add_note(conv["id"], "while Redis is down")
        [own] = await _next_events(ws_a, 1, base)  # A's own socket, without Redis
        assert (own["seq"], own["data"]["body"]) == (base + 1, "while Redis is down")

        redis_proc.start()  # B's listener re-subscribes and fills what it missed
        [caught_up] = await _next_events(ws_b, 1, base)
        assert (caught_up["seq"], caught_up["data"]["body"]) == (base + 1,
                                                                 "while Redis is down")
    finally:
        await ws_a.close()
        await ws_b.close()


async def test_an_event_written_while_redis_hangs_reaches_the_other_instance_when_it_resumes(
        two_instances: tuple[ServerProcess, ServerProcess], redis_proc: RedisProcess) -> None:
    """A hung Redis (SIGSTOP) does not break the other instance's listener, so it cannot
    tell it missed anything: the writer's bus publishes again what Redis did not take."""
    a, b = two_instances
    ana_a, carla_b = User(a, ANA), User(b, CARLA)
    conv = ana_a.conversations()[0]
    ws_b = await _live(b, carla_b.token)
    try:
        marker = f"marker {uuid.uuid4()}"
        ana_a.add_note(conv["id"], marker)
        base = await _seq_of_note(ws_b, marker)
        redis_proc.pause()
        try:
            ana_a.add_note(conv["id"], "while Redis hangs")  # answers; the publish times out
        finally:
            redis_proc.resume()
        [missed] = await _next_events(ws_b, 1, base)
        assert (missed["seq"], missed["data"]["body"]) == (base + 1, "while Redis hangs")
    finally:
        await ws_b.close()


async def test_a_logout_through_one_instance_ends_the_token_on_the_other_at_once(
        two_instances: tuple[ServerProcess, ServerProcess]) -> None:
    a, b = two_instances
    token, _ = login(a.url, ANA)
    auth = {"Authorization": f"Bearer {token}"}
    on_a = httpx.AsyncClient(base_url=a.url, timeout=10, headers=auth)
    on_b = httpx.AsyncClient(base_url=b.url, timeout=10, headers=auth)
    ws_b = await _live(b, token)
    try:
        assert (await on_b.get("/api/session")).status_code == 200  # B trusts it (memo)
        assert (await on_a.post("/api/auth/logout")).status_code == 204  # through A
        # B closes the token's socket: without the revocation it would stay open until the
        # token's expiry (hours), so the close proves the logout crossed instances
        assert (await closed_with(ws_b))[0] == CLOSE_UNAUTHORIZED
        # and B forgot its memo of the token before closing it
        assert (await on_b.get("/api/session")).status_code == 401
    finally:
        await on_a.aclose()
        await on_b.aclose()
        await ws_b.close()


async def test_a_logout_while_redis_is_down_reaches_the_other_instance_when_it_is_back(
        two_instances: tuple[ServerProcess, ServerProcess], redis_proc: RedisProcess) -> None:
    a, b = two_instances
    token, _ = login(a.url, ANA)
    ws_b = await _live(b, token)
    on_a = httpx.AsyncClient(base_url=a.url, timeout=10,
                             headers={"Authorization": f"Bearer {token}"})
    try:
        redis_proc.kill()
        assert (await on_a.post("/api/auth/logout")).status_code == 204  # not published
        redis_proc.start()
        # B's listener re-subscribes, checks the tokens of its sockets and closes this one
        assert (await closed_with(ws_b))[0] == CLOSE_UNAUTHORIZED
    finally:
        await on_a.aclose()
        await ws_b.close()


async def test_a_resync_warms_the_clinic_list(server_factory,
                                              redis_proc: RedisProcess) -> None:
    server = server_factory(redis_url=redis_proc.url, env={"INBOX_EVENT_LOG_SIZE": "2"})
    ana = User(server, ANA)
    conv = ana.conversations()[0]
    for i in range(4):  # more events than the log keeps
        ana.add_note(conv["id"], f"note {i}")
    store = redis.Redis.from_url(redis_proc.url)
    try:
        store.delete(*server_cache_keys(store, f"conversations:clinic:{ana.clinic}"))
        ws = await websockets.connect(server.ws_url,
                                      additional_headers={"Authorization": f"Bearer {ana.token}"})
        try:
            await ws.send(json.dumps({"type": "hello", "since": 1}))  # a gap the log lost
            event = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert event["type"] == "resync"
            until(lambda: len(server_cache_keys(store, f"conversations:clinic:{ana.clinic}"))
                  == 1)
        finally:
            await ws.close()
    finally:
        store.close()
