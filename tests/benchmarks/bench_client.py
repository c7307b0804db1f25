"""Client core benchmarks (issue 4): optimistic apply, cache read, live invalidation.

Run: ``.venv/bin/python tests/benchmarks/bench_client.py`` (about a minute). Not collected by
pytest. Prints one table per measurement with medians and percentiles, and ratios measured
side by side in the same run.

1. Optimistic apply: ``client.archive(id)`` to the "pending" Change reaching a subscriber,
   500-conversation inbox in memory; with the outbox fsync'd (what ships) and without (to
   show what the durability costs); plus the re-derived 500-row list the UI then reads.
2. Cache read of the 500-conversation list into the ConversationView rows the UI shows:
   warm (decoded models in memory: every read after the first) and cold (disk, decode and
   contract validation on the cache thread: the first read after start) against the floor,
   a raw diskcache get of the same bytes + orjson.loads, interleaved round by round.
3. Live invalidation to refreshed data on loopback: another session changes a
   conversation's priority; time from the PUT leaving until our client's subscriber sees the
   "server_update" carrying the new priority (server write, invalidate event over the
   WebSocket, background refetch of the list, view re-derived). Real server subprocess.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import diskcache
import httpx
import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inbox_app.client import Change, InboxClient  # noqa: E402
from inbox_app.client.files.folders import Folders  # noqa: E402
from inbox_app.client.net.api import Api  # noqa: E402
from inbox_app.client.reads.cache import DISK_MIN_FILE_SIZE, LocalCache  # noqa: E402
from inbox_app.client.security.crypto import SealedCodec, new_key  # noqa: E402
from inbox_app.contract.models import (  # noqa: E402
    Clinic,
    ConversationList,
    ConversationSummary,
    User,
    UserSession,
)
from inbox_app.contract.policy import list_key  # noqa: E402
from tests.support import ServerProcess, login  # noqa: E402

N = 500


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def row(name: str, values: list[float], floor: float | None = None) -> str:
    p50 = statistics.median(values)
    ratio = f"{p50 / floor:9.2f}" if floor else " " * 9
    return (f"{name:44s} {p50:8.3f} {pct(values, 95):8.3f} {pct(values, 99):8.3f}"
            f" {ratio}")


HEADER = f"{'':44s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'x floor':>9s}"


def inbox(n: int = N) -> tuple[ConversationList, object]:
    now = datetime.now(UTC)
    items = [ConversationSummary(
        id=i + 1, clinic_id=1, patient_id=i + 1, patient_name=f"Paciente Sobrenome {i}",
        channel="whatsapp", status="open", priority="normal", unread_count=i % 3,
        last_message_preview="Bom dia, gostaria de remarcar minha consulta para a próxima "
                             "semana, se for possível, obrigado",
        last_message_at=now - timedelta(minutes=i), updated_at=now, version=3,
        patient_phone=f"+55 11 9{i:04d}-0000") for i in range(n)]
    model = ConversationList(items=items)
    return model, model.model_dump(mode="json")


def forget_memory(cache: LocalCache) -> None:
    """Drops the decoded models (the next read decodes the disk copy), as the idle lock does."""
    cache.lock_memory()
    cache.unlock_memory()


def session() -> UserSession:
    return UserSession(user=User(id=1, clinic_id=1, name="Ana", email="ana@x", role="r"),
                       clinic=Clinic(id=1, name="Aurora"),
                       expires_at=datetime.now(UTC) + timedelta(hours=1))


async def bench_apply(folder: Path, rounds: int) -> None:
    print(f"\n1. Optimistic apply, {N}-conversation inbox ({rounds} actions per variant)")
    print(HEADER)
    value, wire = inbox()
    results: dict[str, list[float]] = {}
    variants = {"outbox fsync'd": (True, False), "fsync deferred": (True, True),
                "no fsync": (False, False)}
    for label, (fsync, deferred) in variants.items():
        client = InboxClient(Api("http://127.0.0.1:9"), session(),
                             Folders.for_server("http://bench", data_dir=folder / label,
                                                cache_dir=folder / f"c-{label}"),
                             deferred_fsync=deferred)
        client.outbox._fsync = fsync
        await client.cache.put(list_key(1), value, wire)
        await client.conversations()
        seen: list[float] = []
        client.subscribe(lambda c, seen=seen: seen.append(time.perf_counter()))
        to_change, to_view = [], []
        for i in range(rounds):
            start = time.perf_counter()
            mutation_id = (client.archive if i % 2 == 0 else client.unarchive)(1 + i % N)
            to_change.append((seen[-1] - start) * 1000)
            await client.conversations()  # the UI re-reads the rows
            to_view.append((time.perf_counter() - start) * 1000)
            client.discard(mutation_id)  # untimed: keep a realistic handful pending
        results[f"action -> Change ({label})"] = to_change
        results[f"action -> 500 rows re-derived ({label})"] = to_view
        await client.engine.close()
        await client.cache.close()
        await client.api.close()
    for name, values in results.items():
        print(row(name, values))


async def bench_cache_read(folder: Path, rounds: int, reads: int) -> None:
    print(f"\n2. Cache read of the {N}-conversation list into UI rows "
          f"({rounds} rounds x {reads} reads, interleaved)")
    value, wire = inbox()
    cache = LocalCache(folder / "cache")  # plain JSON codec
    # what InboxClient uses by default since issue 7: AES-GCM with the user's key
    sealed = LocalCache(folder / "sealed", codec=SealedCodec(new_key(), context="cache"))
    key = list_key(1)
    await cache.put(key, value, wire)
    await sealed.put(key, value, wire)
    stored = cache.codec.encode({"fetched_at": time.time(), "value": wire})
    raw = diskcache.Cache(str(folder / "floor"), disk_min_file_size=DISK_MIN_FILE_SIZE)
    raw.set(key, stored)
    client = InboxClient(Api("http://127.0.0.1:9"), session(),
                         Folders.for_server("http://bench", data_dir=folder / "d",
                                            cache_dir=folder / "c"))
    await client.cache.put(key, value, wire)
    print(f"stored value: {len(stored) / 1024:.0f} KiB")
    print(HEADER)
    floor, cold, warm, validate, inline = [], [], [], [], []
    sealed_cold, sealed_inline = [], []
    for _ in range(rounds):
        for _ in range(reads):
            t = time.perf_counter()
            orjson.loads(raw.get(key))
            floor.append((time.perf_counter() - t) * 1000)
        for _ in range(reads):
            forget_memory(cache)
            t = time.perf_counter()
            await cache.get(key, ConversationList.model_validate)
            cold.append((time.perf_counter() - t) * 1000)
        for _ in range(reads):
            t = time.perf_counter()
            await client.conversations()
            warm.append((time.perf_counter() - t) * 1000)
        for _ in range(reads):
            forget_memory(sealed)
            t = time.perf_counter()
            await sealed.get(key, ConversationList.model_validate)
            sealed_cold.append((time.perf_counter() - t) * 1000)
        for _ in range(reads):
            t = time.perf_counter()
            cache._load(key, ConversationList.model_validate)  # same thread, no hop
            inline.append((time.perf_counter() - t) * 1000)
        for _ in range(reads):
            t = time.perf_counter()
            sealed._load(key, ConversationList.model_validate)
            sealed_inline.append((time.perf_counter() - t) * 1000)
        decoded = orjson.loads(raw.get(key))["value"]
        for _ in range(reads // 5):
            t = time.perf_counter()
            ConversationList.model_validate(decoded)
            validate.append((time.perf_counter() - t) * 1000)
    f50 = statistics.median(floor)
    print(row("floor: diskcache get + orjson.loads", floor, f50))
    print(row("warm: conversations() -> 500 ConversationView", warm, f50))
    print(row("cold: disk + decode + contract validation", cold, f50))
    print(row("cold, sealed (AES-GCM, the app's default)", sealed_cold, f50))
    print(row("cold, on the caller's thread (no hop)", inline, f50))
    print(row("cold, sealed, on the caller's thread", sealed_inline, f50))
    print(f"sealed / plain cold read, p50: "
          f"{statistics.median(sealed_cold) / statistics.median(cold):.2f}x (with the hop), "
          f"{statistics.median(sealed_inline) / statistics.median(inline):.2f}x (no hop)")
    print(row("  of which pydantic validation alone", validate, f50))
    raw.close()
    await cache.close()
    await sealed.close()
    await client.close()


async def bench_live(folder: Path, rounds: int) -> None:
    print(f"\n3. Live invalidation to refreshed data, loopback ({rounds} changes)")
    server = ServerProcess(f"sqlite+aiosqlite:///{folder / 'live.db'}", demo_size="small")
    await asyncio.to_thread(server.start)
    try:
        client = await InboxClient.login(server.url, "ana@aurora.example", "demo1234",
                                         data_dir=folder / "ld", cache_dir=folder / "lc")
        arrived: asyncio.Queue[tuple[float, Change]] = asyncio.Queue()
        client.subscribe(lambda c: arrived.put_nowait((time.perf_counter(), c)))
        await client.start()
        rows = (await client.conversations()).value
        while client.connection.value != "online":
            await arrived.get()
        token, _ = await asyncio.to_thread(login, server.url, "carla@aurora.example")
        to_invalidated, to_fresh = [], []
        async with httpx.AsyncClient(base_url=server.url,
                                     headers={"Authorization": f"Bearer {token}"}) as other:
            for i in range(rounds):
                cid = rows[i % len(rows)].id
                views = {v.id: v for v in (await client.conversations()).value}
                # a real change (the same priority again is answered without an event)
                priority = "low" if views[cid].summary.priority.value != "low" else "urgent"
                while not arrived.empty():
                    arrived.get_nowait()
                start = time.perf_counter()
                answer = await other.put(f"/api/conversations/{cid}/priority",
                                         json={"priority": priority})
                answer.raise_for_status()
                got_invalidated = None
                while True:
                    when, change = await asyncio.wait_for(arrived.get(), 10)
                    if cid not in change.conversation_ids:
                        continue
                    if change.cause == "invalidated" and got_invalidated is None:
                        got_invalidated = when
                    if change.cause == "server_update":
                        views = {v.id: v for v in (await client.conversations()).value}
                        if views[cid].summary.priority.value == priority:
                            to_fresh.append((time.perf_counter() - start) * 1000)
                            break
                if got_invalidated is not None:
                    to_invalidated.append((got_invalidated - start) * 1000)
        print(HEADER)
        print(row("write -> invalidation event at the client", to_invalidated))
        print(row("write -> refreshed list (server_update)", to_fresh))
        await client.close()
    finally:
        await asyncio.to_thread(server.stop)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--live", type=int, default=100)
    parser.add_argument("--only", choices=("apply", "cache", "live"),
                        help="run one section (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "apply"):
            await bench_apply(folder, args.actions)
        if args.only in (None, "cache"):
            await bench_cache_read(folder, args.rounds, 25)
        if args.only in (None, "live"):
            await bench_live(folder, args.live)


if __name__ == "__main__":
    asyncio.run(main())
