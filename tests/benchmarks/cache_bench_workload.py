"""The client side of bench_server_cache.py: a minimal HTTP/1.1 client and the mixed workloads.

Two workload definitions run against a real inbox server on loopback:

- :class:`ClientWorkload` (the one the targets are judged on): each receptionist behaves as the
  desktop client (inbox_app/client) does towards the server — a local cache of what it has
  read (fresh for the policy's TTL, dropped by live events), a real ``WS /api/live`` socket,
  and on every event a background re-read of every key the event's ``invalidate`` names that
  it holds (its list, and each conversation it has opened). Opening a conversation it holds
  fresh costs no request, as in the app.
- ``cache_bench_legacy.LegacyWorkload``: the previous definition, kept for comparison. It
  re-GETs the detail and the patient on every open (the real client would serve them from its
  cache) and re-reads after writes only at its next step, and only the open conversation.

Both share the actions, their ratios and the Zipf pick, so only the reads differ.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import time
import uuid
from dataclasses import dataclass

import asyncpg
import orjson
from websockets.asyncio.client import connect as ws_connect

from inbox_app.contract.policy import POLICY, CacheKind, detail_key, list_key, patient_key

PG_DSN = "postgresql://postgres@127.0.0.1:5432/{db}"


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



async def metrics(port: int, token: str) -> dict:
    conn = await Conn(port, token).open()
    status, body = await conn.request("GET", "/api/metrics")
    await conn.close()
    assert status == 200, body
    return orjson.loads(body)


def summarize(before: dict, after: dict, elapsed: float, authed: int, writes: int) -> dict:
    """What a workload run cost the server, from its /api/metrics before and after."""
    kinds = {}
    for kind, figures in after["cache"].items():
        old = before["cache"][kind]
        delta = {k: figures[k] - old[k] for k in ("hits", "misses", "coalesced", "loads",
                                                     "skipped", "refreshes", "patches")}
        # a read that joined another's Redis read or load counts as that read's outcome
        reads = delta["hits"] + delta["misses"] + delta["skipped"]
        delta["reads"] = reads
        delta["hit_rate"] = delta["hits"] / reads if reads else 0.0
        delta["no_load_rate"] = 1 - delta["loads"] / reads if reads else 0.0
        kinds[kind] = delta
    return {
        "seconds": elapsed,
        "requests": after["requests"]["total"] - before["requests"]["total"] - 1,
        "authed_requests": authed,
        "writes": writes,
        "db_queries": after["db"]["queries"] - before["db"]["queries"],
        "db_write_queries": after["db"]["write_queries"] - before["db"]["write_queries"],
        "kinds": kinds,
    }


class Pool:
    """Keep-alive connections of one user, opened as concurrent requests need them (the
    desktop client's one httpx client does the same)."""

    def __init__(self, port: int, token: str | None) -> None:
        self.port, self.token = port, token
        self.idle: list[Conn] = []

    async def request(self, method: str, path: str, body: bytes | None = None,
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = self.idle.pop() if self.idle else await Conn(self.port, self.token).open()
        try:
            answer = await conn.request(method, path, body, headers)
        except BaseException:
            await conn.close()
            raise
        self.idle.append(conn)
        return answer

    async def close(self) -> None:
        for conn in self.idle:
            await conn.close()
        self.idle.clear()


async def conversations_of(db_name: str) -> dict[int, list[dict]]:
    conn = await asyncpg.connect(PG_DSN.format(db=db_name))
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


async def clinic_seqs(db_name: str) -> dict[int, int]:
    conn = await asyncpg.connect(PG_DSN.format(db=db_name))
    try:
        return {r["clinic_id"]: r["seq"] for r in await conn.fetch(
            "SELECT clinic_id, seq FROM clinic_seq")}
    finally:
        await conn.close()


# --- the desktop client's behaviour ----------------------------------------------------


@dataclass(slots=True)
class Held:
    """One key in a receptionist's local cache (InboxClient keeps every read in memory)."""

    path: str
    fetched_at: float
    invalidated: bool = False


class ClientWorkload:
    """20 receptionists (10 per clinic) whose apps behave as inbox_app/client does.

    Actions per step, as in the previous definition: open a conversation picked with a Zipf
    skew (s=1.1) over the clinic's conversations by recency; mark it read if it has unread
    messages; 3% add a note, 1% change its priority; 10% a patient of the clinic writes in
    (the webhook, Zipf-picked conversation); think 0.5-1.5x ``think`` seconds.

    What reaches the server is what the client sends (client/repository.py, client/app.py):
    - at start: the list (GET), and a live socket (hello with the clinic's current seq);
    - opening a conversation: its detail and its patient, each only if not held fresh (held
      and not invalidated and younger than the policy TTL: no request; held but stale: shown
      at once and re-read in the background; not held: GET);
    - every live event: the keys of its ``invalidate`` list this client holds are marked stale
      and re-read in the background at once (the list, and every conversation it opened);
      one load per key at a time, and a load that raced an invalidation is made again;
    - a resync event: everything held is re-read.
    """

    def __init__(self, port: int, tokens: dict[int, list[str]], convs: dict[int, list[dict]],
                 *, secret: str, think: float = 1.0, seed: int = 7) -> None:
        self.port, self.tokens, self.convs, self.secret = port, tokens, convs, secret
        self.think = think
        self.rng = random.Random(seed)
        self.unread = {c["id"]: c["unread_count"] for cs in convs.values() for c in cs}
        self.weights = {clinic: [1 / (rank + 1) ** 1.1 for rank in range(len(cs))]
                        for clinic, cs in convs.items()}
        self.members: list[ClientModel] = []
        self.writes = 0
        self.sent: dict[str, int] = {}  # requests by reason (documented in the table)
        # keys some receptionist of the clinic already asked the server for (since the run
        # began on an empty Redis), and the reads of a key nobody had asked for: no
        # cache-aside can answer those without a load (they bound the hit rate)
        self.requested: dict[int, set[str]] = {clinic: set() for clinic in convs}
        self.cold: dict[str, int] = {}
        self.failures: list[str] = []  # background re-reads that failed (none expected)

    def count(self, reason: str) -> None:
        self.sent[reason] = self.sent.get(reason, 0) + 1

    def pick(self, clinic: int, rng: random.Random) -> dict:
        return rng.choices(self.convs[clinic], weights=self.weights[clinic])[0]

    async def start(self, seqs: dict[int, int]) -> None:
        for clinic, tokens in self.tokens.items():
            for i in range(10):
                # one random stream per receptionist: the same choices whatever the timing,
                # so the runs with and without Redis do the same work
                rng = random.Random(self.rng.random())
                self.members.append(ClientModel(self, clinic, tokens[i % len(tokens)], rng))
        for member in self.members:
            await member.start(seqs.get(member.clinic, 0))

    async def run(self, steps: int) -> None:
        await asyncio.gather(*(m.work(steps) for m in self.members))

    async def settle(self, seqs: dict[int, int], within: float = 60) -> None:
        """Until every client has seen every event up to ``seqs`` and its re-reads are done."""
        deadline = time.monotonic() + within
        for member in self.members:
            await asyncio.wait_for(member.seen(seqs.get(member.clinic, 0)),
                                   max(0.1, deadline - time.monotonic()))
        while any(m.inflight for m in self.members):
            tasks = [t for m in self.members for t in m.inflight.values()]
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True),
                                   max(0.1, deadline - time.monotonic()))

    async def stop(self) -> None:
        for member in self.members:
            await member.stop()


class ClientModel:
    """One receptionist's InboxClient, as far as the server can tell."""

    def __init__(self, load: ClientWorkload, clinic: int, token: str,
                 rng: random.Random) -> None:
        self.load, self.clinic, self.token, self.rng = load, clinic, token, rng
        self.pool = Pool(load.port, token)
        self.webhook = Conn(load.port)  # the patients of this receptionist's clinic
        self.held: dict[str, Held] = {}
        self.generations: dict[str, int] = {}
        self.inflight: dict[str, asyncio.Task[None]] = {}
        self.again: set[str] = set()
        self.last_seq = 0
        self._seq_changed = asyncio.Condition()
        self._listener: asyncio.Task[None] | None = None
        self._ws = None

    async def start(self, since: int) -> None:
        self.last_seq = since
        await self.webhook.open()
        self._ws = await ws_connect(
            f"ws://127.0.0.1:{self.load.port}/api/live",
            additional_headers={"Authorization": f"Bearer {self.token}"}, max_size=2**22)
        await self._ws.send(orjson.dumps({"type": "hello", "since": since}).decode())
        self._listener = asyncio.create_task(self._listen())
        await self.read(list_key(self.clinic), f"/api/clinics/{self.clinic}/conversations",
                        CacheKind.CONVERSATIONS_LIST, "list: first read")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(BaseException):
                await self._listener
        if self._ws is not None:
            await self._ws.close()
        await self.pool.close()
        await self.webhook.close()

    async def seen(self, seq: int) -> None:
        async with self._seq_changed:
            await self._seq_changed.wait_for(lambda: self.last_seq >= seq)

    # -- the repository -------------------------------------------------------------------

    async def read(self, key: str, path: str, kind: CacheKind, reason: str) -> None:
        held = self.held.get(key)
        if held is not None:
            fresh = (not held.invalidated
                     and time.time() - held.fetched_at < POLICY[kind].ttl_seconds)
            if not fresh:
                self.revalidate(key, "stale on open")
            return
        await self.fetch(key, path, reason)

    def revalidate(self, key: str, reason: str) -> None:
        """A background re-read of a held key (skipped while one is running)."""
        if key not in self.inflight:
            self._start(key, self.held[key].path, reason)

    async def fetch(self, key: str, path: str, reason: str) -> None:
        task = self.inflight.get(key) or self._start(key, path, reason)
        await asyncio.shield(task)

    def _start(self, key: str, path: str, reason: str) -> asyncio.Task[None]:
        task = asyncio.create_task(self._load(key, path, reason))
        self.inflight[key] = task
        task.add_done_callback(lambda t, k=key: self._loaded(k, t))
        return task

    async def _load(self, key: str, path: str, reason: str) -> None:
        generation, started = self.generations.get(key, 0), time.time()
        self.load.count(f"{key.split(':', maxsplit=1)[0]}: {reason}")
        requested = self.load.requested[self.clinic]
        if key not in requested:
            requested.add(key)
            kind = key.split(":", maxsplit=1)[0]
            self.load.cold[kind] = self.load.cold.get(kind, 0) + 1
        status, _ = await self.pool.request("GET", path)
        assert status == 200, (path, status)
        raced = generation != self.generations.get(key, 0)
        self.held[key] = Held(path, started, invalidated=raced)
        if raced:  # invalidated while loading: this copy may predate the change
            self.again.add(key)

    def _loaded(self, key: str, task: asyncio.Task[None]) -> None:
        if self.inflight.get(key) is task:
            del self.inflight[key]
        if not task.cancelled() and task.exception() is not None:
            self.load.failures.append(repr(task.exception()))
        if key in self.again:
            self.again.discard(key)
            self.revalidate(key, "event (load raced it)")

    # -- live events ----------------------------------------------------------------------

    async def _listen(self) -> None:
        assert self._ws is not None
        async for frame in self._ws:
            event = orjson.loads(frame)
            if event["type"] != "resync" and event["seq"] <= self.last_seq:
                continue
            if event["type"] == "resync":
                for key, held in self.held.items():
                    held.invalidated = True
                    self.generations[key] = self.generations.get(key, 0) + 1
                    self.revalidate(key, "resync")
            else:
                for key in event["invalidate"]:
                    self.generations[key] = self.generations.get(key, 0) + 1
                    held = self.held.get(key)
                    if held is not None:
                        held.invalidated = True
                        self.revalidate(key, "event")
            async with self._seq_changed:
                self.last_seq = max(self.last_seq, event["seq"])
                self._seq_changed.notify_all()

    # -- the receptionist -----------------------------------------------------------------

    async def write(self, method: str, path: str, body: bytes) -> None:
        self.load.writes += 1
        status, answer = await self.pool.request(
            method, path, body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert status in (200, 201), (path, status, answer)

    async def work(self, steps: int) -> None:
        load, rng = self.load, self.rng
        for _ in range(steps):
            conv = load.pick(self.clinic, rng)
            cid = conv["id"]
            await self.read(detail_key(cid), f"/api/conversations/{cid}",
                            CacheKind.CONVERSATION_DETAIL, "first open")
            await self.read(patient_key(conv["patient_id"]),
                            f"/api/patients/{conv['patient_id']}", CacheKind.PATIENT_DATA,
                            "first open")
            if load.unread[cid] > 0:
                load.unread[cid] = 0
                await self.write("POST", f"/api/conversations/{cid}/read", b"")
            roll = rng.random()
            if roll < 0.03:
                await self.write("POST", f"/api/conversations/{cid}/notes",
                                 orjson.dumps({"body": "Paciente avisado por telefone."}))
            elif roll < 0.04:
                await self.write("PUT", f"/api/conversations/{cid}/priority",
                                 orjson.dumps({"priority": rng.choice(["high", "normal"])}))
            if rng.random() < 0.10:
                await self.patient_writes()
            await asyncio.sleep(rng.uniform(load.think / 2, load.think * 1.5))

    async def patient_writes(self) -> None:
        conv = self.load.pick(self.clinic, self.rng)
        self.load.writes += 1
        status, body = await self.webhook.request(
            "POST", "/api/inbound", orjson.dumps({
                "clinic_id": self.clinic, "phone": conv["phone"], "body": "Oi, tudo bem?"}),
            headers={"X-Webhook-Secret": self.load.secret})
        assert status == 201, body
        self.load.unread[conv["id"]] += 1


async def run_client(port: int, tokens: dict[int, list[str]], admin: str, *, db_name: str,
                     secret: str, steps: int, warmup: int, think: float) -> dict:
    """The same apps through ``warmup`` unmeasured steps (the morning's first opens: they
    clear the seeded unread counts and fill both caches), then ``steps`` measured ones."""
    load = ClientWorkload(port, tokens, await conversations_of(db_name), secret=secret,
                          think=think)
    await load.start(await clinic_seqs(db_name))
    try:
        if warmup:
            await asyncio.wait_for(load.run(warmup), 300)
            await load.settle(await clinic_seqs(db_name))
        load.sent.clear()
        load.cold.clear()
        writes_before = load.writes
        before = await metrics(port, admin)
        start = time.perf_counter()
        await asyncio.wait_for(load.run(steps), 300)
        await load.settle(await clinic_seqs(db_name))
        elapsed = time.perf_counter() - start
        after = await metrics(port, admin)
    finally:
        await load.stop()
    if load.failures:
        raise RuntimeError(f"{len(load.failures)} re-reads failed, e.g. {load.failures[0]}")
    result = summarize(before, after, elapsed, sum(load.sent.values()),
                       load.writes - writes_before)
    result["sent"] = dict(sorted(load.sent.items()))
    names = {"conversations": CacheKind.CONVERSATIONS_LIST, "conversation":
             CacheKind.CONVERSATION_DETAIL, "patient": CacheKind.PATIENT_DATA}
    result["cold"] = {names[prefix].value: n for prefix, n in load.cold.items()}
    return result
