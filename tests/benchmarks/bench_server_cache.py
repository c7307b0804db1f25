"""Benchmark of the server's Redis cache-aside (issue 3), against real processes on loopback.

One run starts: its own redis-server, a fresh PostgreSQL database seeded with the full demo
(2 clinics x ~500 conversations), the inbox server WITH Redis (A) and WITHOUT Redis (B) on that
database, a floor app and a cashews app (tests/benchmarks/cache_bench_apps.py). It prints:

1. latency (p50/p99, one connection) of a cache hit (A) versus the database path (B) for the
   500-conversation list, a detail and a patient, beside the floor (bare ASGI constant bytes,
   and bare ASGI + one raw redis-py GET of the stored value) and cashews' @cache on the list;
2. throughput at 32 connections on one hot key (the list): A, cashews, floor;
3. a mixed workload (documented in README.md) run on A and on B: hit rate per kind, DB queries;
4. Redis killed, then hung (SIGSTOP): A's latency versus B (no Redis at all).

Everything is bounded in count and time. Requests are sent by a minimal HTTP/1.1 keep-alive
client (httpx's own per-request cost, ~0.3 ms, would swamp what is measured).

    .venv/bin/python -m tests.benchmarks.bench_server_cache [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import asyncpg
import orjson

from tests.support import RedisProcess, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"


# --- a minimal HTTP/1.1 client --------------------------------------------------------


class Conn:
    """One keep-alive HTTP/1.1 connection; bodies are read by Content-Length."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token
        self.reader: asyncio.StreamReader
        self.writer: asyncio.StreamWriter

    async def open(self) -> Conn:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.used = time.monotonic()
        return self

    async def request(self, method: str, path: str, body: bytes | None = None,
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        if time.monotonic() - self.used > 4.0:  # uvicorn drops keep-alive connections idle 5 s
            await self.close()
            await self.open()
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Accept-Encoding: deflate"]
        if self.token:
            lines.append(f"Authorization: Bearer {self.token}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        payload = body or b""
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        match = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
        data = await self.reader.readexactly(int(match.group(1))) if match else b""
        self.used = time.monotonic()
        return status, data

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(Exception):
            await self.writer.wait_closed()


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


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
    on this shared machine hits them all alike. ``count`` samples each, ms."""
    samples: dict[str, list[float]] = {name: [] for name in targets}
    for conn, path in targets.values():
        await conn.open()
        for _ in range(warmup):
            status, _ = await conn.request("GET", path)
            assert status == 200, (path, status)
    try:
        deadline = time.monotonic() + budget
        while min(map(len, samples.values())) < count and time.monotonic() < deadline:
            for name, (conn, path) in targets.items():
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
    stop = time.monotonic() + seconds

    async def loop(conn: Conn) -> None:
        nonlocal done
        while time.monotonic() < stop:
            status, _ = await conn.request("GET", path)
            assert status == 200
            done += 1

    for conn in conns:  # warm-up
        await conn.request("GET", path)
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
                 env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log = log_dir / f"{name}.log"
        self.proc = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.PIPE, stderr=open(self.log, "wb"),  # noqa: SIM115
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
                 secret: str) -> Proc:
    args = [PY, "-m", "inbox_app.server", "--port", "0", "--database-url", db_url,
            "--demo-data", "--demo-size", "full"]
    if redis_url:
        args += ["--redis-url", redis_url]
    return Proc(name, args, log_dir, env={"INBOX_WEBHOOK_SECRET": secret})


async def login(port: int, email: str) -> tuple[str, int]:
    conn = await Conn(port).open()
    status, body = await conn.request(
        "POST", "/api/auth/login", orjson.dumps({"email": email, "password": "demo1234"}))
    await conn.close()
    assert status == 200, body
    answer = orjson.loads(body)
    return answer["token"], answer["session"]["clinic"]["id"]


async def metrics(port: int, token: str) -> dict:
    conn = await Conn(port, token).open()
    status, body = await conn.request("GET", "/api/metrics")
    await conn.close()
    assert status == 200, body
    return orjson.loads(body)


async def fetch_json(port: int, token: str, path: str) -> dict:
    import zlib
    conn = await Conn(port, token).open()
    status, body = await conn.request("GET", path)
    await conn.close()
    assert status == 200, (path, status)
    return orjson.loads(zlib.decompress(body) if body[:1] == b"x" else body)


# --- the mixed workload ---------------------------------------------------------------


class Workload:
    """20 receptionists (10 per clinic) with the app open, and their patients writing in.

    Each receptionist, ``steps`` times: opens a conversation picked with a Zipf skew (s=1.1)
    over the clinic's conversations ranked by recency (GET detail, GET patient, and POST read
    if it has unread messages); 3% of the time adds a note to it, 1% changes its priority;
    10% of the time a patient of that clinic writes in (the webhook; Zipf-picked
    conversation); then thinks (0.5-1.5 s by default). Every write stands for the live event
    the server sends: each receptionist of that clinic re-reads the list (their local cache
    dropped it), and one who has that conversation open re-reads its detail, as the desktop
    client does.
    Patient messages are tied to steps, not to the clock, so a slower server gets the same
    work, and the runs with and without Redis are comparable. The think time keeps a clinic's
    writes a few hundred ms apart: compressed from real life (a receptionist opens a
    conversation every 20-60 s), but not so much that a 25 ms list load overlaps most writes,
    which no clinic sees.
    """

    def __init__(self, port: int, tokens: dict[int, list[str]], convs: dict[int, list[dict]],
                 *, secret: str, steps: int, think: float = 1.0, seed: int = 7) -> None:
        self.port, self.tokens, self.convs, self.secret = port, tokens, convs, secret
        self.steps = steps
        self.think = think  # mean seconds between a receptionist's steps
        self.rng = random.Random(seed)
        self.unread = {c["id"]: c["unread_count"] for cs in convs.values() for c in cs}
        self.weights = {clinic: [1 / (rank + 1) ** 1.1 for rank in range(len(cs))]
                        for clinic, cs in convs.items()}
        self.members: dict[int, list[Receptionist]] = {}
        self.authed_requests = 0
        self.writes = 0

    def pick(self, clinic: int) -> dict:
        return self.rng.choices(self.convs[clinic], weights=self.weights[clinic])[0]

    def changed(self, clinic: int, conversation_id: int) -> None:
        self.writes += 1
        for member in self.members[clinic]:
            member.notices.put_nowait(conversation_id)

    async def run(self) -> None:
        receptionists = []
        for clinic, tokens in self.tokens.items():
            self.members[clinic] = []
            for i in range(10):
                member = Receptionist(self, clinic, tokens[i % len(tokens)])
                self.members[clinic].append(member)
                receptionists.append(member)
        for member in receptionists:
            await member.open()
        await asyncio.gather(*(m.work() for m in receptionists))
        for member in receptionists:
            await member.conn.close()
            await member.webhook.close()


class Receptionist:
    def __init__(self, load: Workload, clinic: int, token: str) -> None:
        self.load, self.clinic = load, clinic
        self.conn = Conn(load.port, token)
        self.webhook = Conn(load.port)  # the patients of this receptionist's clinic
        self.notices: asyncio.Queue[int] = asyncio.Queue()
        self.open_conversation: int | None = None

    async def open(self) -> None:
        await self.conn.open()
        await self.webhook.open()
        await self.get(f"/api/clinics/{self.clinic}/conversations")

    async def get(self, path: str) -> None:
        self.load.authed_requests += 1
        status, _ = await self.conn.request("GET", path)
        assert status == 200, (path, status)

    async def write(self, method: str, path: str, body: bytes) -> None:
        self.load.authed_requests += 1
        status, answer = await self.conn.request(
            method, path, body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert status in (200, 201), (path, status, answer)

    async def catch_up(self) -> None:
        changed: set[int] = set()
        while not self.notices.empty():
            changed.add(self.notices.get_nowait())
        if changed:
            await self.get(f"/api/clinics/{self.clinic}/conversations")
            if self.open_conversation in changed:
                await self.get(f"/api/conversations/{self.open_conversation}")

    async def work(self) -> None:
        rng = self.load.rng
        for _ in range(self.load.steps):
            await self.catch_up()
            conv = self.load.pick(self.clinic)
            cid = conv["id"]
            self.open_conversation = cid
            await self.get(f"/api/conversations/{cid}")
            await self.get(f"/api/patients/{conv['patient_id']}")
            if self.load.unread[cid] > 0:
                self.load.unread[cid] = 0
                await self.write("POST", f"/api/conversations/{cid}/read", b"")
                self.load.changed(self.clinic, cid)
            roll = rng.random()
            if roll < 0.03:
                await self.write("POST", f"/api/conversations/{cid}/notes",
                                 orjson.dumps({"body": "Paciente avisado por telefone."}))
                self.load.changed(self.clinic, cid)
            elif roll < 0.04:
                await self.write("PUT", f"/api/conversations/{cid}/priority",
                                 orjson.dumps({"priority": rng.choice(["high", "normal"])}))
                self.load.changed(self.clinic, cid)
            if rng.random() < 0.10:
                await self.patient_writes()
            await asyncio.sleep(rng.uniform(self.load.think / 2, self.load.think * 1.5))

    async def patient_writes(self) -> None:
        conv = self.load.pick(self.clinic)
        status, body = await self.webhook.request(
            "POST", "/api/inbound", orjson.dumps({
                "clinic_id": self.clinic, "phone": conv["phone"], "body": "Oi, tudo bem?"}),
            headers={"X-Webhook-Secret": self.load.secret})
        assert status == 201, body
        self.load.unread[conv["id"]] += 1
        self.load.changed(self.clinic, conv["id"])


async def conversations_of(db_name: str) -> dict[int, list[dict]]:
    conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{db_name}")
    try:
        rows = await conn.fetch(
            "SELECT c.id, c.clinic_id, c.patient_id, c.unread_count, p.phone "
            "FROM conversations c JOIN patients p ON p.id = c.patient_id "
            "ORDER BY c.last_message_at DESC")
    finally:
        await conn.close()
    out: dict[int, list[dict]] = {}
    for row in rows:
        out.setdefault(row["clinic_id"], []).append(dict(row))
    return out


async def run_workload(port: int, tokens: dict[int, list[str]], admin: str, *, db_name: str,
                       secret: str, steps: int, warmup: int, think: float) -> dict:
    """``warmup`` unmeasured steps (the morning's first opens clear the seeded unread
    counts and fill the cache), then ``steps`` measured ones."""
    if warmup:
        warm = Workload(port, tokens, await conversations_of(db_name), secret=secret,
                        steps=warmup, think=think, seed=1)
        await asyncio.wait_for(warm.run(), 300)
    before = await metrics(port, admin)
    load = Workload(port, tokens, await conversations_of(db_name), secret=secret, steps=steps,
                    think=think)
    start = time.perf_counter()
    await asyncio.wait_for(load.run(), 300)
    elapsed = time.perf_counter() - start
    after = await metrics(port, admin)
    kinds = {}
    for kind, figures in after["cache"].items():
        old = before["cache"][kind]
        delta = {k: figures[k] - old[k] for k in ("hits", "misses", "coalesced", "loads",
                                                     "skipped")}
        # a read that joined another's Redis read or load counts as that read's outcome
        reads = delta["hits"] + delta["misses"] + delta["skipped"]
        delta["reads"] = reads
        delta["hit_rate"] = delta["hits"] / reads if reads else 0.0
        delta["no_load_rate"] = 1 - delta["loads"] / reads if reads else 0.0
        kinds[kind] = delta
    return {
        "seconds": elapsed,
        "requests": after["requests"]["total"] - before["requests"]["total"] - 1,
        "authed_requests": load.authed_requests,
        "writes": load.writes,
        "db_queries": after["db"]["queries"] - before["db"]["queries"],
        "kinds": kinds,
    }


# --- the run --------------------------------------------------------------------------


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
        a = inbox_server("server_redis", pg, redis.url, log_dir, secret)
        procs.append(a)
        port_a = a.wait_listening(600)  # seeds the full demo on first start
        b = inbox_server("server_noredis", pg, None, log_dir, secret)
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
        raw_list = await asyncio.to_thread(
            subprocess.check_output, ["redis-cli", "-p", str(redis.port), "STRLEN",
                                      f"conversations:clinic:{clinic}"])
        print(f"\nlist: {len(listing)} conversations, stored {int(raw_list)} bytes in Redis")

        print("\n## 1. Latency, one connection (Accept-Encoding: deflate)\n")
        print("Rows of one block are measured interleaved, request by request.\n")
        print(HEADER)
        got = await interleaved({
            "floor: bare ASGI, constant list bytes": (Conn(port_floor), "/const"),
            "floor: bare ASGI + raw redis GET, list": (
                Conn(port_floor), f"/redis/conversations:clinic:{clinic}"),
            "inbox server, cache hit, list": (Conn(port_a, tok_a), lst),
            "cashews @cache (Redis backend), list": (
                Conn(port_cashews), f"/cashews/list/{clinic}"),
        }, n, budget)
        floor = pct(got["floor: bare ASGI + raw redis GET, list"], 0.5)
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
        print(f"\ninbox / cashews: {ours / theirs:.2f}x; floor / cashews: "
              f"{floor_tp / theirs:.2f}x")

        print(f"\n## 3. Mixed workload: 20 receptionists, {args.warmup} warm-up steps each, "
              f"then {args.steps} measured, think {args.think:.2f} s\n")
        tokens: dict[int, list[str]] = {}
        for email in ("ana@aurora.example", "carla@aurora.example",
                      "bruno@boavista.example", "diego@boavista.example"):
            token, clinic_id = await login(port_a, email)
            tokens.setdefault(clinic_id, []).append(token)
        with_redis = await run_workload(port_a, tokens, tok_a, db_name=db_name, secret=secret,
                                        steps=args.steps, warmup=args.warmup,
                                        think=args.think)
        tokens_b: dict[int, list[str]] = {}
        for email in ("ana@aurora.example", "carla@aurora.example",
                      "bruno@boavista.example", "diego@boavista.example"):
            token, clinic_id = await login(port_b, email)
            tokens_b.setdefault(clinic_id, []).append(token)
        without = await run_workload(port_b, tokens_b, tok_b, db_name=db_name, secret=secret,
                                     steps=args.steps, warmup=args.warmup,
                                        think=args.think)
        print("| kind | reads | Redis hit rate | reads without a DB load | DB loads |")
        print("|---|---:|---:|---:|---:|")
        for kind, d in with_redis["kinds"].items():
            if d["reads"]:
                print(f"| {kind} | {d['reads']} | {d['hit_rate']:.1%} | "
                      f"{d['no_load_rate']:.1%} | {d['loads']} |")
        print("\n| | with Redis | without Redis | reduction |\n|---|---:|---:|---:|")
        for label, key in (("HTTP requests", "requests"), ("writes", "writes"),
                           ("DB queries", "db_queries")):
            w, wo = with_redis[key], without[key]
            print(f"| {label} | {w} | {wo} | {1 - w / wo:.1%} |" if key == "db_queries"
                  else f"| {label} | {w} | {wo} | |")
        w = sum(d["loads"] for d in with_redis["kinds"].values())
        wo = sum(d["loads"] for d in without["kinds"].values())
        print(f"| DB loads of cached reads (read path) | {w} | {wo} | {1 - w / wo:.1%} |")
        print(f"| wall time s | {with_redis['seconds']:.1f} | {without['seconds']:.1f} | |")

        print("\n## 4. Redis killed, then hung (SIGSTOP), against no Redis at all\n")
        print("Requests alternate between the server whose Redis failed (no warm-up: the "
              "requests that trip the breaker are included) and the server without Redis, "
              "on one database, so both see the same load.\n")
        print("| path | Redis | p50 ms | p99 ms | max ms | no-Redis p50 | no-Redis p99 | "
              "p99 added | n |\n|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for fault in ("killed", "hung"):
            redis.kill() if fault == "killed" else redis.pause()
            for name, path in (("list", lst), ("detail", detail), ("patient", patient)):
                hurt, base = await paired(Conn(port_a, tok_a), Conn(port_b, tok_b), path,
                                          n, budget)
                print(f"| {name} | {fault} | {pct(hurt, .5):.3f} | {pct(hurt, .99):.3f} | "
                      f"{max(hurt):.2f} | {pct(base, .5):.3f} | {pct(base, .99):.3f} | "
                      f"{pct(hurt, .99) - pct(base, .99):+.3f} | {len(hurt)} |")
            figures = (await metrics(port_a, tok_a))["cache"]
            print(f"| (server A's cache so far) | {fault} | errors "
                  f"{sum(f['errors'] for f in figures.values())}, skipped "
                  f"{sum(f['skipped'] for f in figures.values())} | | | | | | |")
            redis.start() if fault == "killed" else redis.resume()
            await wait_health(port_a, "up")
    finally:
        for proc in reversed(procs):
            proc.stop()
        redis.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        await admin.close()


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
    parser.add_argument("--quick", action="store_true", help="small counts, a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.budget, args.seconds, args.rounds = 100, 5.0, 2.0, 2
        args.steps, args.warmup, args.think = 8, 4, 0.05
    with tempfile.TemporaryDirectory(prefix="bench_cache_") as tmp:
        try:
            import uvloop
            uvloop.install()
        except ImportError:
            pass
        asyncio.run(bench(args, Path(tmp)))


if __name__ == "__main__":
    main()
