"""The PREVIOUS mixed workload of bench_server_cache.py, kept so its numbers can be compared.

Its receptionists GET the detail and the patient on every open (the desktop client would serve
a conversation it holds fresh, and a patient for 10 minutes, from its own cache), and re-read
after a write only at their next step, only the list and the conversation on screen. The
definition the targets are judged on is ``cache_bench_workload.ClientWorkload``.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid

import orjson

from tests.benchmarks.cache_bench_workload import Conn, conversations_of, metrics, summarize


class LegacyWorkload:
    """The PREVIOUS workload definition (kept so its numbers can be compared): 20
    receptionists (10 per clinic) with the app open, and their patients writing in.

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
        self.members: dict[int, list[LegacyReceptionist]] = {}
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
                member = LegacyReceptionist(self, clinic, tokens[i % len(tokens)])
                self.members[clinic].append(member)
                receptionists.append(member)
        for member in receptionists:
            await member.open()
        await asyncio.gather(*(m.work() for m in receptionists))
        for member in receptionists:
            await member.conn.close()
            await member.webhook.close()


class LegacyReceptionist:
    def __init__(self, load: LegacyWorkload, clinic: int, token: str) -> None:
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


async def run_legacy(port: int, tokens: dict[int, list[str]], admin: str, *, db_name: str,
                       secret: str, steps: int, warmup: int, think: float) -> dict:
    """``warmup`` unmeasured steps (the morning's first opens clear the seeded unread
    counts and fill the cache), then ``steps`` measured ones."""
    if warmup:
        warm = LegacyWorkload(port, tokens, await conversations_of(db_name), secret=secret,
                        steps=warmup, think=think, seed=1)
        await asyncio.wait_for(warm.run(), 300)
    before = await metrics(port, admin)
    load = LegacyWorkload(port, tokens, await conversations_of(db_name), secret=secret, steps=steps,
                    think=think)
    start = time.perf_counter()
    await asyncio.wait_for(load.run(), 300)
    elapsed = time.perf_counter() - start
    after = await metrics(port, admin)
    return summarize(before, after, elapsed, load.authed_requests, load.writes)
