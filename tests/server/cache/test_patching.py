"""Writes patch the cached list and detail in place (inbox_app/server/cache/patching.py).

Two levels: :meth:`Cache.invalidate` with a patcher against a real Redis (the generation
guard, the TTL, the fallbacks), and whole servers on SQLite and PostgreSQL where a random
run of every kind of write goes through a server with Redis (A) and, after each write, what
A serves from Redis is compared with what a server without Redis (B) loads from the same
database.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio as aioredis

from inbox_app.contract.policy import CacheKind
from inbox_app.server.cache.aside import Cache
from inbox_app.server.cache.values import CachedValue, decode
from tests.server.cache.test_aside import Loader
from tests.support import RedisProcess, ServerProcess, login, server_cache_keys

pytestmark = pytest.mark.redis

LIST = "conversations:clinic:1"


async def test_a_patch_replaces_the_value_keeps_its_expiry_and_costs_no_load(
    cache: Cache, raw: aioredis.Redis
) -> None:
    load = Loader(value=b'{"v":1}')
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, load)
    await raw.pexpire(LIST, 50_000)  # as if loaded a while ago
    seen: list[bytes | None] = []

    def patch(key: str, old: bytes | None) -> tuple[int, bytes]:
        seen.append(old)
        return 1, b'{"v":2}'

    assert await cache.invalidate([LIST], patch) == []  # nothing left to load back
    assert seen == [b'{"v":1}']
    assert decode(await raw.get(LIST)) == CachedValue(1, b'{"v":2}')
    assert 0 < await raw.pttl(LIST) <= 50_000
    value = await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, load)
    assert value.body == b'{"v":2}' and load.calls == 1
    assert cache.metrics()["conversations_list"]["patches"] == 1


async def test_a_compressed_value_is_patched_from_its_json(
    cache: Cache, raw: aioredis.Redis
) -> None:
    big = json.dumps({"items": ["x" * 40] * 100}).encode()
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, Loader(value=big))
    assert (await raw.get(LIST)).startswith(b"1:z@")
    seen: list[bytes | None] = []
    await cache.invalidate([LIST], lambda key, old: seen.append(old) or (1, old + b" "))
    assert seen == [big]
    value = await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, Loader(value=b"unused"))
    assert value.json_bytes() == big + b" "


@pytest.mark.parametrize("outcome", ["declines", "raises", "other owner"])
async def test_a_key_that_cannot_be_patched_is_dropped_and_returned_to_load_back(
    outcome: str, cache: Cache, raw: aioredis.Redis
) -> None:
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, Loader(value=b'{"v":1}'))

    def patch(key: str, old: bytes | None) -> tuple[int, bytes] | None:
        if outcome == "raises":
            raise RuntimeError("a bug in a patch")
        return (2, b'{"v":2}') if outcome == "other owner" else None

    assert await cache.invalidate([LIST], patch) == [LIST]
    assert await raw.exists(LIST) == 0
    assert cache.metrics()["conversations_list"]["patches"] == 0


async def test_a_key_nobody_cached_is_stored_only_when_the_patch_builds_it_whole(
    cache: Cache, raw: aioredis.Redis
) -> None:
    detail = "conversation:5:detail"
    await cache.invalidate(
        [LIST, detail], lambda key, old: (1, b'{"new":1}') if key == detail else None
    )
    assert await raw.exists(LIST) == 0
    assert decode(await raw.get(detail)) == CachedValue(1, b'{"new":1}')
    assert 110_000 < await raw.pttl(detail) <= 120_000  # a whole new value: the full TTL


async def test_a_slow_reader_cannot_overwrite_a_patched_value(
    cache: Cache, raw: aioredis.Redis
) -> None:
    """The reader loaded the row before the write; the write patches; the reader's late
    store must not replace the patched (newer) value."""
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, Loader(value=b'{"v":1}'))
    await cache.invalidate([LIST])  # the reader below misses...
    loading, release = asyncio.Event(), asyncio.Event()

    async def slow_old_load() -> tuple[int, bytes]:
        loading.set()
        await release.wait()
        return 1, b'{"v":"old"}'

    reader = asyncio.create_task(
        cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, slow_old_load)
    )
    await asyncio.wait_for(loading.wait(), 5)
    await raw.set(LIST, b'1:j:{"v":1}')  # another instance stored the pre-write value
    await cache.invalidate([LIST], lambda key, old: (1, b'{"v":"patched"}'))
    release.set()
    assert (await asyncio.wait_for(reader, 5)).body == b'{"v":"old"}'  # its own answer...
    # ...but not stored over ours
    assert decode(await raw.get(LIST)) == CachedValue(1, b'{"v":"patched"}')


async def test_a_later_write_drop_wins_over_an_earlier_patch(
    cache: Cache, raw: aioredis.Redis, redis_proc: RedisProcess
) -> None:
    """Two writes: the second drops the key while the first computes its patch; the first
    patch must not be stored (it lacks the second change); the key, which someone had
    cached, is handed back to be loaded (the load then reads both writes)."""
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, Loader(value=b'{"v":1}'))

    def patch_overtaken_by_a_second_write(key: str, old: bytes | None) -> tuple[int, bytes]:
        second = redis.Redis.from_url(redis_proc.url)  # another instance's drop, meanwhile
        second.delete(LIST)
        second.incr("gen:" + LIST)
        second.close()
        return 1, b'{"v":"first write only"}'

    assert await cache.invalidate([LIST], patch_overtaken_by_a_second_write) == [LIST]
    assert await raw.exists(LIST) == 0
    assert cache.metrics()["conversations_list"]["patches"] == 0


def join_id(new: int) -> Callable[[str, bytes | None], tuple[int, bytes] | None]:
    """A patch that adds ``new`` to the cached ids, as a write's join would (and cannot
    build a value nobody cached, as for the list)."""

    def patch(key: str, old: bytes | None) -> tuple[int, bytes] | None:
        if old is None:
            return None
        ids = json.loads(old)["ids"]
        return 1, json.dumps({"ids": sorted({*ids, new})}).encode()

    return patch


async def test_readers_arriving_while_a_write_patches_are_answered_its_value_without_a_load(
    cache: Cache,
) -> None:
    """Between the drop and the patched store the key is absent from Redis; the readers of
    this process arriving then wait for the patch instead of missing (issue 14: 3% of the
    list reads of 20 receptionists fell in that window and went to the database)."""
    load = Loader(value=b'{"ids": [0]}')
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, load)
    # the write starts first (it drops the key); the readers come while it patches
    write = cache.invalidate([LIST], join_id(1))
    reads = [cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, load) for _ in range(5)]
    held, *values = await asyncio.gather(write, *reads)
    assert held == []
    assert {value.json_bytes() for value in values} == {b'{"ids": [0, 1]}'}
    assert load.calls == 1  # the first read's only
    figures = cache.metrics()["conversations_list"]
    assert (figures["hits"], figures["misses"]) == (5, 1)


async def test_a_read_that_began_before_the_write_and_missed_takes_the_patch_not_a_load(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader was already on its way (its read began before the write) but its GET
    reached Redis between the write's drop and its patched store: it takes the write's
    value too, instead of loading the row from the database. The reader's GET and the
    writer's store are held at those two points (the order is Redis's, not asyncio's)."""
    load = Loader(value=b'{"ids": [0]}')
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, load)
    link = cache._link
    redis_get, store = link.redis.get, link.store_if_current
    get_may_go, got = asyncio.Event(), asyncio.Event()

    async def held_get(name: str) -> bytes | None:
        if name != link.redis_key(LIST):
            return await redis_get(name)
        await get_may_go.wait()
        try:
            return await redis_get(name)
        finally:
            got.set()

    async def held_store(key: str, generation: bytes | int, stored: bytes, ttl_ms: int) -> bool:
        get_may_go.set()  # the key is dropped and not stored yet: the reader's GET goes now
        await got.wait()
        return await store(key, generation, stored, ttl_ms)

    monkeypatch.setattr(link.redis, "get", held_get)
    monkeypatch.setattr(link, "store_if_current", held_store)
    reader = asyncio.create_task(cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, load))
    writer = asyncio.create_task(cache.invalidate([LIST], join_id(1)))
    value, held = await asyncio.wait_for(asyncio.gather(reader, writer), 10)
    assert held == []
    assert value.json_bytes() == b'{"ids": [0, 1]}' and load.calls == 1
    assert cache.metrics()["conversations_list"]["hits"] == 1


async def test_concurrent_writes_of_one_key_all_land_and_none_is_loaded_back(
    cache: Cache, raw: aioredis.Redis
) -> None:
    """Writes of one key in one process patch it one at a time: a second write does not drop
    the key under the first's patch (whose store the generation guard would then refuse,
    leaving the key to a database load), it patches the value the first stored."""
    await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, LIST, Loader(value=b'{"ids": [0]}'))
    held = await asyncio.gather(*(cache.invalidate([LIST], join_id(i)) for i in range(1, 21)))
    assert held == [[]] * 20
    value = decode(await raw.get(LIST))
    assert value is not None and json.loads(value.json_bytes()) == {"ids": list(range(21))}
    assert cache.metrics()["conversations_list"]["patches"] == 20


async def test_writes_of_overlapping_keys_in_opposite_orders_do_not_deadlock(
    cache: Cache, raw: aioredis.Redis
) -> None:
    detail = "conversation:5:detail"
    for key in (LIST, detail):
        await cache.get_or_load(CacheKind.CONVERSATIONS_LIST, key, Loader(value=b'{"ids": [0]}'))
    await asyncio.wait_for(
        asyncio.gather(
            *(
                cache.invalidate([LIST, detail] if i % 2 else [detail, LIST], join_id(i))
                for i in range(1, 11)
            )
        ),
        30,
    )
    for key in (LIST, detail):
        value = decode(await raw.get(key))
        assert value is not None and json.loads(value.json_bytes())["ids"] == list(range(11))


# --- through the API, on both databases ---------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_demo_url")


class Client:
    def __init__(self, server: ServerProcess, email: str) -> None:
        self.token, session = login(server.url, email)
        self.clinic = session["clinic"]["id"]
        self.http = httpx.Client(
            base_url=server.url, timeout=10, headers={"Authorization": f"Bearer {self.token}"}
        )

    def get(self, path: str) -> Any:
        answer = self.http.get(path)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def write(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        answer = self.http.request(
            method, path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
        assert answer.status_code in (200, 201), answer.text
        return answer.json()


def test_after_every_kind_of_write_redis_holds_what_the_database_answers(
    server_factory, redis_proc: RedisProcess, database_url: str | None
) -> None:
    secret = "patch-test"
    a = server_factory(
        database_url=database_url,
        redis_url=redis_proc.url,
        demo_size=None if database_url else "small",
        env={"INBOX_WEBHOOK_SECRET": secret},
    )
    b = server_factory(database_url=a.database_url, demo_size=None)
    ana_a, ana_b = Client(a, "ana@aurora.example"), Client(b, "ana@aurora.example")
    list_path = f"/api/clinics/{ana_a.clinic}/conversations"
    convs = ana_a.get(list_path)["items"][:6]
    for conv in convs:  # what receptionists had open: cached in Redis
        ana_a.get(f"/api/conversations/{conv['id']}")
    opened = {conv["id"] for conv in convs}
    cold = 0  # details read for the first time
    through = 0  # details nobody had read, loaded by an inbound message's write-through
    store = redis.Redis.from_url(redis_proc.url)
    rng = random.Random(7)
    phones = [ana_a.get(f"/api/patients/{c['patient_id']}")["phone"] for c in convs]
    before = ana_a.get("/api/metrics")["cache"]
    writes = [
        "read",
        "unread",
        "archive",
        "unarchive",
        "priority",
        "note",
        "reply",
        "inbound",
        "inbound new patient",
    ]
    try:
        for step in range(45):
            kind = writes[step % len(writes)] if step < len(writes) else rng.choice(writes)
            conv = rng.choice(convs)
            cid = conv["id"]
            if kind == "priority":
                ana_a.write(
                    "PUT",
                    f"/api/conversations/{cid}/priority",
                    {"priority": rng.choice(["urgent", "high", "normal", "low"])},
                )
            elif kind == "note":
                ana_a.write("POST", f"/api/conversations/{cid}/notes", {"body": f"note {step}"})
            elif kind == "reply":
                ana_a.write(
                    "POST", f"/api/conversations/{cid}/messages", {"body": f"reply {step} ação"}
                )
            elif kind.startswith("inbound"):
                new = kind.endswith("new patient")
                answer = a_http_inbound(
                    a,
                    secret,
                    {
                        "clinic_id": ana_a.clinic,
                        "phone": f"+55 11 9{step:04d}-{rng.randrange(10_000):04d}"
                        if new
                        else phones[convs.index(conv)],
                        "name": f"Paciente {step}" if new else None,
                        "channel": conv["channel"],
                        "body": f"mensagem {step}",
                    },
                )
                cid = answer["conversation_id"]
            else:
                ana_a.write("POST", f"/api/conversations/{cid}/{kind}")
            # the keys stayed in Redis (patched, not dropped), and hold what B loads
            assert server_cache_keys(store, f"conversations:clinic:{ana_a.clinic}"), kind
            detail = f"/api/conversations/{cid}"
            # an inbound message's detail is built whole (a new conversation) or written
            # through (issue 14)
            if cid in opened or kind.startswith("inbound"):
                assert server_cache_keys(store, f"conversation:{cid}:detail"), kind
                through += kind == "inbound" and cid not in opened
            else:
                cold += 1
            assert ana_a.get(list_path) == ana_b.get(list_path), kind
            assert ana_a.get(detail) == ana_b.get(detail), kind
            opened.add(cid)
        after = ana_a.get("/api/metrics")["cache"]
    finally:
        store.close()
    for kind in ("conversations_list", "conversation_detail"):
        assert after[kind]["patches"] - before[kind]["patches"] >= 10, kind
    # no write needed a reload but the write-through ones, and every read above but the cold
    # ones hit Redis
    assert after["conversations_list"]["refreshes"] == before["conversations_list"]["refreshes"]
    assert (
        after["conversation_detail"]["refreshes"]
        == before["conversation_detail"]["refreshes"] + through
    )
    assert after["conversations_list"]["misses"] == before["conversations_list"]["misses"]
    assert after["conversation_detail"]["misses"] == before["conversation_detail"]["misses"] + cold


def a_http_inbound(server: ServerProcess, secret: str, body: dict[str, Any]) -> Any:
    answer = httpx.post(
        f"{server.url}/api/inbound", json=body, timeout=10, headers={"X-Webhook-Secret": secret}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()
