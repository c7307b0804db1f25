"""Benchmark of the server's Redis cache-aside (issue 3), against real processes on loopback.

One run starts: its own redis-server, a fresh PostgreSQL database seeded with the full demo
(2 clinics x ~500 conversations), the inbox server WITH Redis (A) and WITHOUT Redis (B) on that
database, a floor app and a cashews app (tests/benchmarks/cache_bench_apps.py), and later a
second server without Redis (C, the control of section 5). It prints:

1. latency (p50/p99, one connection) of a cache hit (A) versus the database path (B) for the
   500-conversation list, a detail and a patient, beside the floor (bare ASGI constant bytes,
   and bare ASGI + one raw redis-py GET of the stored value) and cashews' @cache on the list;
2. throughput at 32 connections on one hot key (the list): A, cashews, floor;
3. the mixed workload run on A and on B: hit rate per kind, DB queries. 3a: receptionists
   whose apps behave as the desktop client does (cache_bench_workload.ClientWorkload, the
   definition the targets are judged on); 3b: the previous definition, for comparison;
   3c: issue 14 side by side with real desktop clients (cache_bench_variants.py): Redis with
   write-through, warming, early refresh and client prefetch on, Redis with them off, and
   no Redis;
4. DB queries per write of each kind, with and without Redis, and the CPU of patching the
   cached list after a write against loading it back;
5. Redis killed, then hung (SIGSTOP): A's latency versus B (no Redis) and C (no Redis, the
   control), in interleaved rounds with the same request mix.

Everything is bounded in count and time. Requests are sent by a minimal HTTP/1.1 keep-alive
client (httpx's own per-request cost, ~0.3 ms, would swamp what is measured).

    .venv/bin/python -m tests.benchmarks.bench_server_cache [--quick] [--only 1,2,3,4,5]
        [--workload client|legacy|both|variants|all] [--variants A,B,C,D] [--server-tree DIR]

``--server-tree DIR`` runs the inbox servers from another source tree (e.g. an older commit
exported with ``git archive COMMIT | tar -x -C DIR``), first on their PYTHONPATH, while this
bench, its client and the floor stay this tree's: a before/after comparison where only the
server differs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import asyncpg
import orjson

from inbox_app.contract.models import ConversationList
from inbox_app.server.cache.patching import Delta
from inbox_app.server.cache.values import decode, encode
from inbox_app.server.db import store
from inbox_app.server.db.database import Database
from tests.benchmarks.cache_bench_legacy import run_legacy
from tests.benchmarks.cache_bench_variants import run_variants
from tests.benchmarks.cache_bench_workload import (
    Conn,
    Pool,
    metrics,
    pct,
    run_client,
)
from tests.support import RedisProcess, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"


# --- a minimal HTTP/1.1 client --------------------------------------------------------



async def latency(port: int, path: str, token: str | None, count: int, budget: float, *,
                  warmup: int = 20) -> list[float]:
    """``count`` sequential GETs on one connection (after ``warmup`` more), ms each."""
    conn = await Conn(port, token).open()
    try:
        for _ in range(warmup):
            status, _ = await conn.request("GET", path)
            assert status == 200, (port, path, status)
        samples: list[float] = []
        deadline = time.monotonic() + budget
        while len(samples) < count and time.monotonic() < deadline:
            start = time.perf_counter()
            status, _ = await conn.request("GET", path)
            samples.append((time.perf_counter() - start) * 1000)
            assert status == 200, (port, path, status)
        return samples
    finally:
        await conn.close()


async def interleaved(targets: dict[str, tuple[Conn, str]], count: int, budget: float,
                      warmup: int = 20) -> dict[str, list[float]]:
    """Round-robin GETs over several servers, one request each per round, so a busy moment
    on this shared machine hits them all alike; the order rotates each round, so none always
    follows the same neighbour. ``count`` samples each, ms."""
    samples: dict[str, list[float]] = {name: [] for name in targets}
    for conn, path in targets.values():
        await conn.open()
        for _ in range(warmup):
            status, _ = await conn.request("GET", path)
            assert status == 200, (path, status)
    try:
        deadline = time.monotonic() + budget
        order = list(targets.items())
        while min(map(len, samples.values())) < count and time.monotonic() < deadline:
            order = order[1:] + order[:1]
            for name, (conn, path) in order:
                start = time.perf_counter()
                status, _ = await conn.request("GET", path)
                samples[name].append((time.perf_counter() - start) * 1000)
                assert status == 200, (path, status)
        return samples
    finally:
        for conn, _path in targets.values():
            await conn.close()


async def paired(x: Conn, y: Conn, path: str, count: int,
                 budget: float) -> tuple[list[float], list[float]]:
    """Alternating GETs of ``path`` on two servers (no warm-up on x), ms each."""
    await x.open()
    await y.open()
    samples: tuple[list[float], list[float]] = ([], [])
    try:
        await y.request("GET", path)
        deadline = time.monotonic() + budget
        while len(samples[0]) < count and time.monotonic() < deadline:
            for conn, into in ((x, samples[0]), (y, samples[1])):
                start = time.perf_counter()
                status, _ = await conn.request("GET", path)
                into.append((time.perf_counter() - start) * 1000)
                assert status == 200, (path, status)
        return samples
    finally:
        await x.close()
        await y.close()


async def throughput(port: int, path: str, token: str | None, connections: int,
                     seconds: float) -> float:
    """Requests per second with ``connections`` clients looping on one key."""
    conns = [await Conn(port, token).open() for _ in range(connections)]
    done = 0

    async def loop(conn: Conn) -> None:
        nonlocal done
        while time.monotonic() < stop:
            status, _ = await conn.request("GET", path)
            assert status == 200
            done += 1

    for conn in conns:  # warm-up
        await conn.request("GET", path)
    # the round starts after the warm-up: with the deadline set before it, a slow server's
    # 32 warm-up requests (cashews' first miss and unpickling) used up a quick round and it
    # was credited 0 req/s
    stop = time.monotonic() + seconds
    start = time.perf_counter()
    await asyncio.gather(*(loop(c) for c in conns))
    elapsed = time.perf_counter() - start
    for conn in conns:
        await conn.close()
    return done / elapsed


# --- processes ------------------------------------------------------------------------


class Proc:
    """A subprocess whose output goes to a log file; stopped at the end of the run."""

    def __init__(self, name: str, args: list[str], log_dir: Path,
                 env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
        self.name = name
        self.log = log_dir / f"{name}.log"
        self.proc = subprocess.Popen(
            args, cwd=cwd, stdout=subprocess.PIPE, stderr=open(self.log, "wb"),  # noqa: SIM115
            env={**os.environ, **(env or {})}, text=True)
        self.url: str | None = None
        self._listening = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("Listening on "):
                self.url = line.split()[-1].strip()
                self._listening.set()

    def wait_listening(self, timeout: float) -> int:
        if not self._listening.wait(timeout):
            raise RuntimeError(f"{self.name} did not start; see {self.log}")
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def inbox_server(name: str, db_url: str, redis_url: str | None, log_dir: Path,
                 secret: str, *, tree: Path = ROOT) -> Proc:
    """An inbox server with the full demo, run from the source tree ``tree``."""
    args = [PY, "-m", "inbox_app.server", "--port", "0", "--database-url", db_url,
            "--demo-data", "--demo-size", "full"]
    if redis_url:
        args += ["--redis-url", redis_url]
    env = {"INBOX_WEBHOOK_SECRET": secret}
    if tree != ROOT:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(tree), os.environ.get("PYTHONPATH")]))
    return Proc(name, args, log_dir, env=env, cwd=tree)


async def login(port: int, email: str) -> tuple[str, int]:
    conn = await Conn(port).open()
    status, body = await conn.request(
        "POST", "/api/auth/login", orjson.dumps({"email": email, "password": "demo1234"}))
    await conn.close()
    assert status == 200, body
    answer = orjson.loads(body)
    return answer["token"], answer["session"]["clinic"]["id"]


async def fetch_json(port: int, token: str, path: str) -> dict:
    import zlib
    conn = await Conn(port, token).open()
    status, body = await conn.request("GET", path)
    await conn.close()
    assert status == 200, (path, status)
    return orjson.loads(zlib.decompress(body) if body[:1] == b"x" else body)


# --- the run ---------------------------------------------------------------


def row(name: str, samples: list[float], floor: float | None = None) -> str:
    p50, p99 = pct(samples, 0.5), pct(samples, 0.99)
    ratio = f"{p50 / floor:6.2f}x" if floor else "       "
    return (f"| {name:<44} | {p50:8.3f} | {p99:8.3f} | {max(samples):8.2f} | {ratio} "
            f"| {len(samples):5} |")


HEADER = ("| what (1 connection)                          |  p50 ms  |  p99 ms  |  max ms  | "
          "p50/floor |   n   |\n|---|---:|---:|---:|---:|---:|")


async def bench(args: argparse.Namespace, log_dir: Path) -> None:
    n, budget = args.requests, args.budget
    db_name = f"bench_cache_{os.getpid()}"
    pg = PG.format(db=db_name)
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    await admin.execute(f'CREATE DATABASE "{db_name}"')
    redis = RedisProcess(log_dir)
    redis.start()
    secret = uuid.uuid4().hex
    procs: list[Proc] = []
    try:
        a = inbox_server("server_redis", pg, redis.url, log_dir, secret, tree=args.server_tree)
        procs.append(a)
        port_a = a.wait_listening(600)  # seeds the full demo on first start
        b = inbox_server("server_noredis", pg, None, log_dir, secret, tree=args.server_tree)
        procs.append(b)
        port_b = b.wait_listening(120)
        tok_a, clinic = await login(port_a, "ana@aurora.example")
        tok_b, _ = await login(port_b, "ana@aurora.example")
        lst = f"/api/clinics/{clinic}/conversations"
        listing = (await fetch_json(port_a, tok_a, lst))["items"]
        conv = listing[0]
        detail, patient = f"/api/conversations/{conv['id']}", f"/api/patients/{conv['patient_id']}"
        await fetch_json(port_a, tok_a, detail)
        await fetch_json(port_a, tok_a, patient)
        port_floor, port_cashews = free_port(), free_port()
        procs.append(Proc("floor", [PY, "-m", "tests.benchmarks.cache_bench_apps", "floor",
                                    str(port_floor), redis.url], log_dir))
        procs.append(Proc("cashews", [PY, "-m", "tests.benchmarks.cache_bench_apps", "cashews",
                                      str(port_cashews), redis.url, pg], log_dir))
        wait_for_port(port_floor, 60)
        wait_for_port(port_cashews, 60)
        [stored_list] = (await asyncio.to_thread(
            subprocess.check_output, ["redis-cli", "-p", str(redis.port), "--scan", "--pattern",
                                      "db:" + "?" * 32 + f":conversations:clinic:{clinic}"])
        ).split() or [f"conversations:clinic:{clinic}".encode()]
        raw_list = await asyncio.to_thread(
            subprocess.check_output, ["redis-cli", "-p", str(redis.port), "STRLEN",
                                      stored_list])
        print(f"\nlist: {len(listing)} conversations, stored {int(raw_list)} bytes in Redis")

        only = set(args.only.split(","))
        if "1" in only:
            await latencies(n, budget, port_a=port_a, tok_a=tok_a, port_b=port_b, tok_b=tok_b,
                            port_floor=port_floor, port_cashews=port_cashews, clinic=clinic,
                            lst=lst, detail=detail, patient=patient, conv=conv)
        if "2" in only:
            await hot_key(args, port_a=port_a, tok_a=tok_a, port_floor=port_floor,
                          port_cashews=port_cashews, clinic=clinic, lst=lst)
        if "3" in only:
            print("\n## 3. Mixed workload: 20 receptionists (documented in README.md)\n")
            if args.workload != "variants":
                await workloads(args, redis, a=(port_a, tok_a), b=(port_b, tok_b),
                                db_name=db_name, secret=secret)
            if args.workload in ("variants", "all"):
                await run_variants(args, log_dir)
        if "4" in only:
            print(f"\n## 4. DB queries per write, {WRITES_EACH} of each kind in a row on a "
                  "quiet server\n")
            await write_costs(port_a, port_b, tok_a, tok_b, conv=conv, clinic=clinic,
                              secret=secret, db_name=db_name)
            await patch_cost(pg, clinic, n)
        if "5" in only:
            c = inbox_server("server_noredis_control", pg, None, log_dir, secret,
                             tree=args.server_tree)
            procs.append(c)
            port_c = c.wait_listening(120)
            tok_c, _ = await login(port_c, "ana@aurora.example")
            await faults(args, redis, hurt=(port_a, tok_a), base=(port_b, tok_b),
                         control=(port_c, tok_c),
                         paths=[("list", lst), ("detail", detail), ("patient", patient)])
            await breaker_cost(redis)
    finally:
        for proc in reversed(procs):
            proc.stop()
        redis.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        await admin.close()


async def latencies(n: int, budget: float, *, port_a: int, tok_a: str, port_b: int,
                    tok_b: str, port_floor: int, port_cashews: int, clinic: int, lst: str,
                    detail: str, patient: str, conv: dict) -> None:
    print("\n## 1. Latency, one connection (Accept-Encoding: deflate)\n")
    print("Rows of one block are measured interleaved, request by request, the order rotating "
          "each round; each block's ratios are to its own floor row.\n")
    print(HEADER)
    got = await interleaved({
        "floor: bare ASGI, constant list bytes": (Conn(port_floor), "/const"),
        "floor: bare ASGI + raw redis GET, list": (
            Conn(port_floor), f"/redis/conversations:clinic:{clinic}"),
        "inbox server, cache hit, list": (Conn(port_a, tok_a), lst),
    }, n, budget)
    floor = pct(got["floor: bare ASGI + raw redis GET, list"], 0.5)
    for name, samples in got.items():
        print(row(name, samples, floor))
    # cashews in a block of its own, beside the floor again: interleaved with the others,
    # its hits (1.6 ms of unpickling and re-encoding, another process on a 2-core machine)
    # slowed whichever request came next, the inbox server's most (1.6x the floor instead of
    # 1.3x in the same session)
    got = await interleaved({
        "floor: bare ASGI + raw redis GET, list (cashews' block)": (
            Conn(port_floor), f"/redis/conversations:clinic:{clinic}"),
        "cashews @cache (Redis backend), list": (
            Conn(port_cashews), f"/cashews/list/{clinic}"),
    }, n, budget)
    floor = pct(got["floor: bare ASGI + raw redis GET, list (cashews' block)"], 0.5)
    for name, samples in got.items():
        print(row(name, samples, floor))
    print(row("inbox server, no Redis (DB path), list",
              await latency(port_b, lst, tok_b, n, budget), floor))
    for name, path, key in (("detail", detail, f"conversation:{conv['id']}:detail"),
                            ("patient", patient, f"patient:{conv['patient_id']}:data")):
        got = await interleaved({
            f"floor: bare ASGI + raw redis GET, {name}": (Conn(port_floor), f"/redis/{key}"),
            f"inbox server, cache hit, {name}": (Conn(port_a, tok_a), path),
        }, n, budget)
        floor = pct(got[f"floor: bare ASGI + raw redis GET, {name}"], 0.5)
        for label, samples in got.items():
            print(row(label, samples, floor))
        print(row(f"inbox server, no Redis (DB path), {name}", await latency(
            port_b, path, tok_b, n, budget), floor))


async def hot_key(args: argparse.Namespace, *, port_a: int, tok_a: str, port_floor: int,
                  port_cashews: int, clinic: int, lst: str) -> None:
    print(f"\n## 2. Throughput, 32 connections, one hot key (the list), "
          f"{args.rounds} interleaved rounds of {args.seconds / args.rounds:.1f} s\n")
    print("| server | req/s (median of rounds) | rounds |\n|---|---:|---|")
    targets = {"inbox server, cache hit": (port_a, lst, tok_a),
               "cashews @cache": (port_cashews, f"/cashews/list/{clinic}", None),
               "floor: bare ASGI + raw redis GET": (
                   port_floor, f"/redis/conversations:clinic:{clinic}", None)}
    rounds: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(args.rounds):  # interleaved, so a busy moment hits every server
        for name, (port, path, token) in targets.items():
            rounds[name].append(await throughput(port, path, token, 32,
                                                 args.seconds / args.rounds))
    for name, got in rounds.items():
        print(f"| {name} | {pct(got, 0.5):,.0f} | "
              f"{', '.join(f'{r:,.0f}' for r in got)} |")
    ours, theirs = pct(rounds["inbox server, cache hit"], 0.5), pct(rounds["cashews @cache"],
                                                                      0.5)
    floor_tp = pct(rounds["floor: bare ASGI + raw redis GET"], 0.5)
    print(f"\ninbox / cashews: {ratio(ours, theirs)}; floor / cashews: "
          f"{ratio(floor_tp, theirs)}; inbox / floor: {ratio(ours, floor_tp)}")


def ratio(x: float, y: float) -> str:
    """``x / y`` as ``1.23x``, or why not: a server that answered nothing in a round (cashews
    took longer than a quick round for its first answers) has no ratio."""
    return f"{x / y:.2f}x" if y > 0 else "n/a (0 req/s)"


# --- 3. the mixed workloads -----------------------------------------------------------

EMAILS = ("ana@aurora.example", "carla@aurora.example",
          "bruno@boavista.example", "diego@boavista.example")


async def tokens_of(port: int) -> dict[int, list[str]]:
    tokens: dict[int, list[str]] = {}
    for email in EMAILS:
        token, clinic_id = await login(port, email)
        tokens.setdefault(clinic_id, []).append(token)
    return tokens


async def flush_redis(redis: RedisProcess) -> None:
    """Each workload on the Redis server starts from an empty Redis (its warm-up fills it):
    no run inherits the previous run's cache, and the no-Redis runs' writes (which that
    server cannot invalidate) leave nothing stale behind."""
    await asyncio.to_thread(subprocess.check_output,
                            ["redis-cli", "-p", str(redis.port), "FLUSHALL"])


def workload_table(title: str, with_redis: dict, without: dict) -> None:
    print(f"\n### {title}\n")
    cold = with_redis.get("cold")
    print("| kind | reads | Redis hit rate | reads without a DB load | DB loads | of which "
          "write-through | patched in place |"
          + (" cold reads | best hit rate possible |" if cold is not None else "")
          + "\n|---|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if cold is not None else ""))
    for kind, d in with_redis["kinds"].items():
        if d["reads"]:
            extra = ""
            if cold is not None:
                n = cold.get(kind, 0)
                extra = f" {n} | {1 - n / d['reads']:.1%} |"
            print(f"| {kind} | {d['reads']} | {d['hit_rate']:.1%} | {d['no_load_rate']:.1%} | "
                  f"{d['loads']} | {d['refreshes']} | {d['patches']} |{extra}")
    print("\n| | with Redis | without Redis | reduction |\n|---|---:|---:|---:|")
    for label, key in (("HTTP requests", "requests"), ("writes", "writes"),
                       ("DB queries", "db_queries")):
        w, wo = with_redis[key], without[key]
        print(f"| {label} | {w} | {wo} | {1 - w / wo:.1%} |" if key == "db_queries"
              else f"| {label} | {w} | {wo} | |")
    w, wo = with_redis["db_write_queries"], without["db_write_queries"]
    print(f"| - of which inside write transactions (no cache removes them) | {w} | {wo} | |")
    w = with_redis["db_queries"] - with_redis["db_write_queries"]
    wo = without["db_queries"] - without["db_write_queries"]
    print(f"| - of which reads (what a cache can remove) | {w} | {wo} | {1 - w / wo:.1%} |")
    w = sum(d["loads"] for d in with_redis["kinds"].values())
    wo = sum(d["loads"] for d in without["kinds"].values())
    print(f"| DB loads of cached reads (read path + write-through) | {w} | {wo} | "
          f"{1 - w / wo:.1%} |")
    print(f"| DB queries per write (all queries / writes) | "
          f"{with_redis['db_queries'] / max(1, with_redis['writes']):.1f} | "
          f"{without['db_queries'] / max(1, without['writes']):.1f} | |")
    print(f"| wall time s | {with_redis['seconds']:.1f} | {without['seconds']:.1f} | |")
    if "sent" in with_redis:
        print("\nRequests the clients sent, by reason (with Redis / without):\n")
        print("| reason | with Redis | without Redis |\n|---|---:|---:|")
        for reason in sorted(set(with_redis["sent"]) | set(without["sent"])):
            print(f"| {reason} | {with_redis['sent'].get(reason, 0)} | "
                  f"{without['sent'].get(reason, 0)} |")


async def unread_state(db_name: str,
                       restore: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The conversations' unread counts; with ``restore``, puts those counts back first, so
    the run without Redis starts from the state the run with Redis started from (it then
    marks the same conversations read). Only the server without Redis runs next, and it
    caches nothing."""
    conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{db_name}")
    try:
        if restore is not None:
            await conn.executemany("UPDATE conversations SET unread_count = $2 WHERE id = $1",
                                   restore)
        return [(r["id"], r["unread_count"]) for r in await conn.fetch(
            "SELECT id, unread_count FROM conversations")]
    finally:
        await conn.close()


async def workloads(args: argparse.Namespace, redis: RedisProcess, *, a: tuple[int, str],
                    b: tuple[int, str], db_name: str, secret: str) -> None:
    (port_a, tok_a), (port_b, tok_b) = a, b
    options = {"db_name": db_name, "secret": secret, "steps": args.steps,
               "warmup": args.warmup, "think": args.think}
    tokens_a, tokens_b = await tokens_of(port_a), await tokens_of(port_b)
    steps = (f"{args.warmup} warm-up steps, {args.steps} measured, "
             f"think {args.think:.2f} s")
    definitions = [
        ("client", run_client, "3a. The desktop client's behaviour (the definition the "
                               f"targets are judged on): {steps}"),
        ("legacy", run_legacy, "3b. The PREVIOUS definition (re-GETs detail and patient on "
                               f"every open, re-reads at its next step): {steps}"),
    ]
    for name, run, title in definitions:
        if args.workload not in (name, "both", "all"):
            continue
        await flush_redis(redis)
        start_state = await unread_state(db_name)
        with_redis = await run(port_a, tokens_a, tok_a, **options)
        await unread_state(db_name, restore=start_state)
        without = await run(port_b, tokens_b, tok_b, **options)
        workload_table(title, with_redis, without)


# --- 4. DB queries per write ----------------------------------------------------------

WRITES_EACH = 20


async def write_costs(port_a: int, port_b: int, tok_a: str, tok_b: str, *, conv: dict,
                      clinic: int, secret: str, db_name: str) -> None:
    """Queries per write of each kind, with Redis (the write + its write-through reloads of
    the list and detail, both cached beforehand) and without (the write alone), from the
    servers' own query counters."""
    cid = conv["id"]
    conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{db_name}")
    try:
        phone = await conn.fetchval(
            "SELECT p.phone FROM conversations c JOIN patients p ON p.id = c.patient_id "
            "WHERE c.id = $1", cid)
    finally:
        await conn.close()
    kinds = {
        "summary change (priority high/normal)": lambda i: (
            "PUT", f"/api/conversations/{cid}/priority",
            orjson.dumps({"priority": "high" if i % 2 == 0 else "normal"}), True),
        "note": lambda i: ("POST", f"/api/conversations/{cid}/notes",
                           orjson.dumps({"body": f"nota {i}"}), True),
        "inbound (webhook, known patient)": lambda i: (
            "POST", "/api/inbound", orjson.dumps({"clinic_id": clinic, "phone": phone,
                                                  "body": f"mensagem {i}"}), False),
    }
    print("| write | queries with Redis | without Redis | write-through reloads |")
    print("|---|---:|---:|---:|")
    for name, make in kinds.items():
        got = []
        for port, token in ((port_a, tok_a), (port_b, tok_b)):
            pool = Pool(port, token)
            await pool.request("PUT", f"/api/conversations/{cid}/priority",
                               orjson.dumps({"priority": "normal"}))  # a known start
            # read as a client holding them would: cached, so A's writes reload both
            for path in (f"/api/clinics/{clinic}/conversations", f"/api/conversations/{cid}"):
                status, _ = await pool.request("GET", path)
                assert status == 200, (path, status)
            idle = ((await metrics(port, token))["db"]["queries"],
                    (await metrics(port, token))["db"]["queries"])
            before = (await metrics(port, token))["db"]["queries"]
            for i in range(WRITES_EACH):
                method, path, body, keyed = make(i)
                headers = ({"Idempotency-Key": str(uuid.uuid4())} if keyed
                           else {"X-Webhook-Secret": secret})
                status, answer = await pool.request(method, path, body, headers)
                assert status in (200, 201), (path, status, answer)
            after = (await metrics(port, token))["db"]["queries"]
            await pool.close()
            got.append((after - before - (idle[1] - idle[0])) / WRITES_EACH)
        print(f"| {name} | {got[0]:.1f} | {got[1]:.1f} | {round(got[0] - got[1], 1) + 0.0:.1f} |")


async def patch_cost(pg: str, clinic: int, n: int) -> None:
    """What keeping the list in Redis costs a write, in process: patching the stored value
    (zlib decode, merge one summary, re-sort, zlib encode: what Cache.invalidate and
    patching.Delta do) against loading it back from PostgreSQL (store.load_list and the
    same encode: what the write-through did), interleaved."""
    db = Database(pg)
    try:
        async with db.read() as conn:
            loaded = await store.load_list(conn, clinic)
        assert loaded is not None
        _, body = loaded
        items = ConversationList.model_validate_json(body).items
        stored, _ = encode(clinic, body)
        timings: dict[str, list[float]] = {"patch in place": [], "load back": []}
        for i in range(min(n, 300)):
            changed = items[i % len(items)].model_copy(
                update={"version": items[i % len(items)].version + 1, "unread_count": 0})
            started = time.perf_counter()
            old = decode(stored)
            assert old is not None
            patched = Delta(changed).patch(f"conversations:clinic:{clinic}", old.json_bytes())
            assert patched is not None
            encode(*patched)
            timings["patch in place"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            async with db.read() as conn:
                fresh = await store.load_list(conn, clinic)
            assert fresh is not None
            encode(*fresh)
            timings["load back"].append((time.perf_counter() - started) * 1000)
    finally:
        await db.close()
    base = pct(timings["load back"], 0.5)
    print("\nKeeping the list current after a write, in process (500 conversations):\n")
    print("| how | p50 ms | p99 ms | p50 / load back | n |\n|---|---:|---:|---:|---:|")
    for name, got in timings.items():
        print(f"| {name} | {pct(got, 0.5):.3f} | {pct(got, 0.99):.3f} | "
              f"{pct(got, 0.5) / base:.2f}x | {len(got)} |")


# --- 5. a dead or hung Redis ----------------------------------------------------------


def bootstrap_p99_delta(x: list[float], y: list[float], rounds: int = 300,
                        seed: int = 3) -> tuple[float, float]:
    """A 90% bootstrap interval of p99(x) - p99(y)."""
    rng = random.Random(seed)
    deltas = sorted(pct(rng.choices(x, k=len(x)), .99) - pct(rng.choices(y, k=len(y)), .99)
                    for _ in range(rounds))
    return deltas[int(rounds * .05)], deltas[int(rounds * .95)]


async def faults(args: argparse.Namespace, redis: RedisProcess, *, hurt: tuple[int, str],
                 base: tuple[int, str], control: tuple[int, str],
                 paths: list[tuple[str, str]]) -> None:
    """Rounds of: fault on, the same request mix (list, detail, patient) sent round-robin to
    the server whose Redis failed, the server without Redis, and a second server without
    Redis (the control: how far apart two healthy processes' tails are), fault off.

    Each round starts on fresh connections with no warm-up, so each includes the requests
    that pay the failures before the breaker opens. The servers' order rotates per cycle."""
    print(f"\n## 5. Redis killed, then hung (SIGSTOP), against no Redis at all: "
          f"{args.fault_rounds} rounds x {args.fault_cycles} cycles\n")
    print("Per cycle, each of list, detail and patient is requested once from each of three "
          "servers on one database, the servers' order rotating: A (its Redis failed), B (no "
          "Redis), C (no Redis: the control). Redis comes back between rounds; each round "
          "starts on fresh connections, no warm-up, so the requests that trip the breaker are "
          "in ('all'); 'breaker open' leaves out each round's first cycle (the reads before "
          "the breaker opened), which a single outage pays once, not once per round. 'p99 "
          "added' is A - B; 'control' is C - B, the gap between two healthy processes; the "
          "interval is a 90% bootstrap interval of A - B.\n")
    print("| path | Redis | A p50 | A p99 | B p50 | B p99 | C p99 | p99 added (A-B) | 90% "
          "interval | control (C-B) | n |\n|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    servers = {"A": hurt, "B": base, "C": control}
    for fault in ("killed", "hung"):
        samples = {name: {p: [] for p, _ in paths} for name in servers}
        steady = {name: {p: [] for p, _ in paths} for name in servers}
        errors = skipped = 0
        before = (await metrics(*hurt))["cache"]
        for _ in range(args.fault_rounds):
            redis.kill() if fault == "killed" else redis.pause()
            conns = {name: await Conn(port, token).open()
                     for name, (port, token) in servers.items()}
            try:
                order = list(servers)
                for cycle in range(args.fault_cycles):
                    turn = order[cycle % 3:] + order[:cycle % 3]
                    for pname, path in paths:
                        for name in turn:
                            start = time.perf_counter()
                            status, _ = await conns[name].request("GET", path)
                            ms = (time.perf_counter() - start) * 1000
                            samples[name][pname].append(ms)
                            if cycle:  # the first cycle holds the reads that trip the breaker
                                steady[name][pname].append(ms)
                            assert status == 200, (name, path, status)
            finally:
                for conn_ in conns.values():
                    await conn_.close()
            redis.start() if fault == "killed" else redis.resume()
            await wait_health(hurt[0], "up")
        after = (await metrics(*hurt))["cache"]
        errors = sum(after[k]["errors"] - before[k]["errors"] for k in after)
        skipped = sum(after[k]["skipped"] - before[k]["skipped"] for k in after)
        for label, figures in (("all", samples), ("breaker open", steady)):
            for pname, _path in paths:
                a, b, c = (figures[name][pname] for name in "ABC")
                low, high = bootstrap_p99_delta(a, b)
                print(f"| {pname} ({label}) | {fault} | {pct(a, .5):.3f} | {pct(a, .99):.3f} | "
                      f"{pct(b, .5):.3f} | {pct(b, .99):.3f} | {pct(c, .99):.3f} | "
                      f"{pct(a, .99) - pct(b, .99):+.3f} | {low:+.2f} .. {high:+.2f} | "
                      f"{pct(c, .99) - pct(b, .99):+.3f} | {len(a)} |")
        first = sorted((x for p, _ in paths for x in samples["A"][p][::args.fault_cycles]),
                       reverse=True)
        print(f"| (A: first request of each path in each round, ms) | {fault} | "
              f"{', '.join(f'{x:.1f}' for x in first)} | | | | | | | | |")
        print(f"| (A's cache over these rounds) | {fault} | requests that paid a Redis failure: "
              f"{errors}; skipped Redis: {skipped} | | | | | | | | |")


async def breaker_cost(redis: RedisProcess, calls: int = 20_000) -> None:
    """In process, without the network or the database: what one read costs the cache layer
    when Redis is dead (breaker open) against no Redis at all, and what the reads before the
    breaker opens cost. The loader returns the same bytes at once, so only the cache differs."""
    from inbox_app.contract.policy import CacheKind
    from inbox_app.server.cache.aside import Cache
    from inbox_app.server.redis.client import connect

    body = b'{"items": []}'

    async def load() -> tuple[int, bytes]:
        return 1, body

    print("\n### 5b. The cache layer alone (in process, a loader that answers at once)\n")
    print("| what | p50 us | p99 us | max us | n |\n|---|---:|---:|---:|---:|")
    onset: dict[str, list[float]] = {}
    for fault in ("killed", "hung"):
        redis.kill() if fault == "killed" else redis.pause()
        # a cache that believes Redis is up: its first reads pay the failures
        fresh = Cache(connect(redis.url))
        onset[fault] = []
        for _ in range(fresh.breaker.threshold + 1):
            start = time.perf_counter()
            await fresh.get_or_load(CacheKind.PATIENT_DATA, "patient:1:data", load)
            onset[fault].append((time.perf_counter() - start) * 1e6)
        samples: dict[str, list[float]] = {f"Redis {fault}, breaker open": [],
                                           "no Redis (disabled)": []}
        disabled = await Cache.create(None)
        caches = dict(zip(samples, (fresh, disabled), strict=True))
        for _block in range(20):  # interleaved blocks, so a busy moment hits both
            for name, cache in caches.items():
                for _ in range(calls // 20):
                    start = time.perf_counter_ns()
                    await cache.get_or_load(CacheKind.PATIENT_DATA, "patient:1:data", load)
                    samples[name].append((time.perf_counter_ns() - start) / 1000)
        for name, got in samples.items():
            print(f"| {name} | {pct(got, .5):.1f} | {pct(got, .99):.1f} | {max(got):.0f} | "
                  f"{len(got)} |")
        for cache in caches.values():
            await cache.close()
        redis.start() if fault == "killed" else redis.resume()
    for fault, got in onset.items():
        print(f"| Redis {fault}: reads 1-{len(got)} on a cache that believed it up | "
              f"{', '.join(f'{x:,.0f}' for x in got)} | | | |")


async def wait_health(port: int, cache: str, within: float = 30) -> None:
    deadline = time.monotonic() + within
    conn = await Conn(port).open()
    try:
        while time.monotonic() < deadline:
            _status, body = await conn.request("GET", "/api/health")
            if orjson.loads(body)["cache"] == cache:
                return
            await asyncio.sleep(0.05)  # polling another process's health: nothing to await
    finally:
        await conn.close()
    raise RuntimeError(f"cache never became {cache}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="samples per latency row")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per latency row")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="throughput time per server, split in rounds")
    parser.add_argument("--rounds", type=int, default=5, help="throughput rounds")
    parser.add_argument("--steps", type=int, default=30, help="workload steps per receptionist")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured steps before")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a receptionist thinks between steps")
    parser.add_argument("--workload", choices=("client", "legacy", "both", "variants", "all"),
                        default="all", help="which workload(s) to run: 3a, 3b, both, 3c "
                        "(issue 14's variants, real clients), or all")
    parser.add_argument("--variants", default="A,B,C",
                        help="3c's variants, of A (Redis, issue 14 on), B (Redis, off), C (no "
                        "Redis), D (no Redis, prefetch on)")
    parser.add_argument("--prefetch-grace", type=float, default=15.0,
                        help="3c: seconds the prefetch lanes get to finish after the last step")
    parser.add_argument("--fault-rounds", type=int, default=4, help="rounds per fault")
    parser.add_argument("--fault-cycles", type=int, default=250,
                        help="request cycles per round (list, detail, patient x 3 servers)")
    parser.add_argument("--quick", action="store_true", help="small counts, a smoke run")
    parser.add_argument("--only", default="1,2,3,4,5",
                        help="sections to run, e.g. 3,4 (default: all)")
    parser.add_argument("--server-tree", type=Path, default=ROOT,
                        help="source tree the inbox servers run from (default: this one)")
    args = parser.parse_args()
    args.server_tree = args.server_tree.resolve()
    if args.server_tree != ROOT:
        print(f"inbox servers from {args.server_tree}")
    if args.quick:
        args.requests, args.budget, args.seconds, args.rounds = 100, 5.0, 2.0, 2
        args.steps, args.warmup, args.think = 8, 4, 0.05
        args.fault_rounds, args.fault_cycles = 2, 30
        args.prefetch_grace = 3.0
    with tempfile.TemporaryDirectory(prefix="bench_cache_") as tmp:
        try:
            import uvloop
            uvloop.install()
        except ImportError:
            pass
        if set(args.only.split(",")) == {"3"} and args.workload == "variants":
            asyncio.run(run_variants(args, Path(tmp)))  # needs none of the shared servers
        else:
            asyncio.run(bench(args, Path(tmp)))


if __name__ == "__main__":
    main()
