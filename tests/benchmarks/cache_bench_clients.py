"""Real desktop clients on bench_server_cache.py's mixed workload (issue 14, section 3c).

Each receptionist is a real :class:`~inbox_app.client.InboxClient` (its own folders, sealed
local cache, outbox, live socket, refresher and, when on, prefetch lane), so what reaches the
server is exactly what the app sends: nothing is modelled but the person at the keyboard.
The actions and their ratios are those of ``cache_bench_workload.ClientWorkload`` (3a); per
step each receptionist:

- opens a conversation picked with a Zipf skew (s=1.1) over the clinic's conversations by
  recency (the order at the start, the same in every variant), as the window does: marked
  read first when its row shows unread messages (``bridge.open``), then the detail, then the
  patient (``bridge._load_detail``);
- adds a note to it (3% of steps) or changes its priority (1%);
- 10% of steps a patient of the clinic writes in (the webhook, Zipf-picked conversation);
- thinks 0.5-1.5x ``think`` seconds.

Per open it records how the local cache answered the detail: fresh (no request at all),
stale (shown at once, re-read in the background), or a miss (the open waited for the
network). One random stream per receptionist, so every variant makes the same choices.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import random
import re
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from inbox_app.client import InboxClient
from inbox_app.client.errors import ClientError
from inbox_app.client.reads.prefetch import PrefetchSettings
from inbox_app.client.views import Change, ConnectionState
from inbox_app.contract.models import Priority
from tests.benchmarks.cache_bench_workload import Pool

#: the accounts, 10 receptionists per clinic over them (as in 3a)
EMAILS = (
    "ana@aurora.example",
    "carla@aurora.example",
    "bruno@boavista.example",
    "diego@boavista.example",
)
PER_CLINIC = 10


@dataclass
class Opens:
    """How the local cache answered the receptionists' opens (the detail; and the patient)."""

    fresh: int = 0  # a fresh copy: no request
    stale: int = 0  # shown at once from the cache, re-read behind
    network: int = 0  # not held: the open waited for the server
    patient_local: int = 0  # the patient too came from the cache (fresh or stale)
    failed: int = 0  # the open failed (the window shows the error): not in the total

    @property
    def total(self) -> int:
        return self.fresh + self.stale + self.network

    def add(self, other: Opens) -> None:
        self.fresh += other.fresh
        self.stale += other.stale
        self.network += other.network
        self.patient_local += other.patient_local
        self.failed += other.failed


#: why a client read went to the server: "open" (the receptionist's own reads: the list's
#: first, then each open), "prefetch" (the prefetch lane's), "background" (the refresher
#: re-reading a held key a live event dropped, and the prefetch's read of the list); set in
#: the receptionist's task, inherited by the loads it starts
SOURCE: contextvars.ContextVar[str] = contextvars.ContextVar("source", default="background")

_KINDS = (
    (re.compile(r"^/api/clinics/\d+/conversations$"), "conversations_list"),
    (re.compile(r"^/api/conversations/(\d+)$"), "conversation_detail"),
    (re.compile(r"^/api/patients/(\d+)$"), "patient_data"),
)


class Ledger:
    """Every cached read the clients sent, by kind and source, and which of them were cold:
    the first read of a key in its clinic that neither warming nor a write-through had put
    in Redis (nothing short of loading keys nobody asked for answers those without a load;
    they bound the server's hit rate). Keys never expire within a run (the TTLs are not
    scaled), so "in Redis" is: warmed, written through, or read before in the clinic."""

    def __init__(self, present: dict[int, set[str]], *, write_through: bool) -> None:
        self.present = present
        self.write_through = write_through
        self.reads: Counter[tuple[str, str]] = Counter()
        self.cold: Counter[tuple[str, str]] = Counter()
        self._marked: tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]] = (
            Counter(),
            Counter(),
        )

    def mark(self) -> None:
        """The measured window starts: :meth:`count` ``since_mark`` counts from here."""
        self._marked = (Counter(self.reads), Counter(self.cold))

    def read(self, clinic: int, path: str, source: str) -> None:
        kind = next((k for pattern, k in _KINDS if pattern.match(path)), None)
        if kind is None:
            return
        self.reads[(kind, source)] += 1
        present = self.present.setdefault(clinic, set())
        if path not in present:
            present.add(path)
            self.cold[(kind, source)] += 1

    def inbound(self, clinic: int, conversation_id: int) -> None:
        """A patient wrote: with write-through the detail is in Redis from now on."""
        if self.write_through:
            self.present.setdefault(clinic, set()).add(f"/api/conversations/{conversation_id}")

    def count(self, kind: str, *, cold: bool = False, since_mark: bool = False) -> dict[str, int]:
        """Reads (or cold reads) of ``kind`` by source, in the session or since :meth:`mark`."""
        table = self.cold if cold else self.reads
        if since_mark:
            table = table - self._marked[1 if cold else 0]
        return {source: n for (k, source), n in table.items() if k == kind}


def watch(client: InboxClient, clinic: int, ledger: Ledger) -> None:
    """Counts each read ``client`` sends in ``ledger``, with its source."""
    api = client.api
    get_json: Callable[..., Awaitable[Any]] = api.get_json

    async def counted(path: str, *args: Any, **kwargs: Any) -> Any:
        source = "prefetch" if kwargs.get("meter") is not None else SOURCE.get()
        ledger.read(clinic, path, source)
        return await get_json(path, *args, **kwargs)

    api.get_json = counted  # type: ignore[method-assign]


@dataclass
class Traffic:
    """HTTP requests one client sent (the live socket aside)."""

    requests: int = 0

    def hook(self, client: InboxClient) -> None:
        async def on_response(response: httpx.Response) -> None:
            self.requests += 1

        client.api.http.event_hooks["response"].append(on_response)


@dataclass
class Receptionist:
    client: InboxClient
    clinic: int
    rng: random.Random
    traffic: Traffic
    opens: Opens = field(default_factory=Opens)


class ClientsWorkload:
    """20 real clients (10 per clinic) against one server; ``prefetch`` on or off."""

    def __init__(
        self,
        url: str,
        convs: dict[int, list[dict]],
        folder: Path,
        ledger: Ledger,
        *,
        secret: str,
        prefetch: bool,
        think: float,
        seed: int = 7,
    ) -> None:
        self.url, self.convs, self.folder, self.secret = url, convs, folder, secret
        self.ledger = ledger
        self.settings = PrefetchSettings() if prefetch else PrefetchSettings(enabled=False)
        self.think = think
        self.rng = random.Random(seed)
        self.weights = {
            clinic: [1 / (rank + 1) ** 1.1 for rank in range(len(cs))]
            for clinic, cs in convs.items()
        }
        self.members: list[Receptionist] = []
        self.writes = 0
        self.failures: list[str] = []  # opens that failed, why
        self._webhook: Pool | None = None  # the clinics' patients

    async def start(self) -> None:
        """Signs every receptionist in (one after the other, as a morning's arrivals) and
        waits until each is online (its live socket caught up)."""
        self._webhook = Pool(int(self.url.rsplit(":", 1)[1]), None)
        index = 0
        for clinic_emails in (EMAILS[:2], EMAILS[2:]):
            for i in range(PER_CLINIC):
                # one random stream per receptionist: the same choices in every variant
                rng = random.Random(self.rng.random())
                traffic = Traffic()
                client = await InboxClient.login(
                    self.url,
                    clinic_emails[i % 2],
                    "demo1234",
                    data_dir=self.folder / f"r{index}" / "data",
                    cache_dir=self.folder / f"r{index}" / "cache",
                    prefetch=self.settings,
                )
                traffic.hook(client)
                watch(client, client.clinic_id, self.ledger)
                await client.start()
                self.members.append(Receptionist(client, client.clinic_id, rng, traffic))
                index += 1
        for member in self.members:
            await online(member.client)
        token = SOURCE.set("open")
        try:
            for member in self.members:
                await member.client.conversations()  # the window's first read: the list
        finally:
            SOURCE.reset(token)

    async def run(self, steps: int) -> None:
        await asyncio.gather(*(self._work(m, steps) for m in self.members))

    async def settle(self, seqs: dict[int, int], within: float = 120) -> None:
        """Until every client has handled every event up to ``seqs``, sent its outbox and
        re-read what the events dropped."""

        async def one(member: Receptionist) -> None:
            client = member.client
            await seen(client, seqs.get(member.clinic, 0))
            await client.drained()
            await client.sync.settled()

        await asyncio.wait_for(asyncio.gather(*(one(m) for m in self.members)), within)

    async def quiet_prefetch(self, within: float) -> None:
        """Gives the prefetch lanes up to ``within`` seconds to finish their plans (one that
        waits on its per-minute budget is cut there)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(m.client.prefetch.idle() for m in self.members)), within
            )

    async def stop(self) -> None:
        for member in self.members:
            await member.client.close()
        if self._webhook is not None:
            await self._webhook.close()

    def opens(self) -> Opens:
        total = Opens()
        for member in self.members:
            total.add(member.opens)
        return total

    def requests(self) -> tuple[int, int]:
        """HTTP requests the clients sent, and of them the prefetch lanes'."""
        return (
            sum(m.traffic.requests for m in self.members),
            sum(m.client.prefetch.stats.requests for m in self.members),
        )

    # -- the receptionist --------------------------------------------------------------

    def _pick(self, clinic: int, rng: random.Random) -> dict:
        return rng.choices(self.convs[clinic], weights=self.weights[clinic])[0]

    async def _work(self, member: Receptionist, steps: int) -> None:
        client, rng = member.client, member.rng
        SOURCE.set("open")
        for _ in range(steps):
            conv = self._pick(member.clinic, rng)
            cid = conv["id"]
            row = client.conversation_view(cid)
            if row is not None and row.summary.unread_count > 0:
                client.mark_read(cid)
                self.writes += 1
            metrics = client.cache.metrics
            detail = metrics.of(f"conversation:{cid}:detail")
            assert detail is not None
            before = (detail.fresh_hits, detail.stale_hits)
            try:
                await client.conversation(cid)
                if detail.fresh_hits > before[0]:
                    member.opens.fresh += 1
                elif detail.stale_hits > before[1]:
                    member.opens.stale += 1
                else:
                    member.opens.network += 1
                patient = metrics.of(f"patient:{conv['patient_id']}:data")
                assert patient is not None
                misses = patient.misses
                await client.patient(conv["patient_id"])
                if patient.misses == misses:
                    member.opens.patient_local += 1
            except ClientError as exc:  # what the window shows as "unavailable"
                member.opens.failed += 1
                self.failures.append(exc.message)
            roll = rng.random()
            if roll < 0.03:
                client.add_note(cid, "Paciente avisado por telefone.")
                self.writes += 1
            elif roll < 0.04:
                client.set_priority(cid, rng.choice([Priority.HIGH, Priority.NORMAL]))
                self.writes += 1
            if rng.random() < 0.10:
                await self._patient_writes(member)
            await asyncio.sleep(rng.uniform(self.think / 2, self.think * 1.5))

    async def _patient_writes(self, member: Receptionist) -> None:
        conv = self._pick(member.clinic, member.rng)
        assert self._webhook is not None
        self.writes += 1
        status, body = await self._webhook.request(
            "POST",
            "/api/inbound",
            orjson.dumps(
                {"clinic_id": member.clinic, "phone": conv["phone"], "body": "Oi, tudo bem?"}
            ),
            headers={"X-Webhook-Secret": self.secret},
        )
        assert status == 201, body
        message = orjson.loads(zlib.decompress(body) if body[:1] == b"x" else body)
        self.ledger.inbound(member.clinic, message["conversation_id"])


async def online(client: InboxClient, within: float = 60.0) -> None:
    """Until the client's live socket is up (after its replay)."""
    await _until(client, lambda: client.connection is ConnectionState.ONLINE, within)


async def seen(client: InboxClient, seq: int, within: float = 120.0) -> None:
    """Until the client has handled the events of its clinic up to ``seq``."""
    await _until(client, lambda: client.live.last_seq >= seq, within)


async def _until(client: InboxClient, condition: object, within: float) -> None:
    assert callable(condition)
    if condition():
        return
    done = asyncio.Event()

    def check(_change: Change) -> None:
        if condition():
            done.set()

    unsubscribe = client.subscribe(check)
    try:
        if not condition():
            await asyncio.wait_for(done.wait(), within)
    finally:
        unsubscribe()
