"""Client prefetch benchmarks (issue 14): the first open of an unread conversation, and what
the prefetch costs.

Run: ``.venv/bin/python tests/benchmarks/bench_prefetch.py`` (about 8 minutes). Not collected
by pytest. Real server subprocesses (SQLite, no Redis), real clients; the fault proxy of the
client tests adds the network latency.

1. Open of an unread conversation to its messages, through a proxy that adds
   ``--latency`` ms per round trip (half each way), for unread conversations nobody opened
   on this computer, with the prefetch on (after it settled) and off: (a) in the real window
   (offscreen Qt, qasync, a child process per run), from selecting the row to the first
   paint of a message bubble of that conversation; (b) ``client.conversation(id)`` alone
   returning the DetailView the pane paints from, also with the prefetched copies read
   from the sealed disk (decoded models dropped: the first open after a restart). Runs
   alternate the arms, on fresh client folders, over the same conversations.
2. Prefetch cost on a workload: receptionists of one clinic sign in, then every ``--think``
   seconds each opens the newest unread conversation (detail and patient, as the window
   does), marks it read and sometimes replies, while patients write (``--simulate-inbound``).
   The same workload with the prefetch on and off: requests and bytes each client received
   (the sign-in's plan apart, then the steady state per hour), and the share of opens the
   local cache answered without the network.
3. The server's latency on user reads while 20 clients sign in at once and prefetch, beside
   20 clients without: a separate reader GETs conversation details all along (p50/p99).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inbox_app.client import InboxClient  # noqa: E402
from inbox_app.client.reads.listing import sort_key  # noqa: E402
from inbox_app.client.reads.prefetch import PrefetchSettings  # noqa: E402
from inbox_app.client.views import ConnectionState, ConversationView  # noqa: E402
from inbox_app.contract.models import ConversationSummary  # noqa: E402
from tests.client.faultproxy import FaultProxy  # noqa: E402
from tests.support import ServerProcess, login  # noqa: E402

OFF = PrefetchSettings(enabled=False)
AURORA = ("ana@aurora.example", "carla@aurora.example", "eduarda@aurora.example")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def row(name: str, values: list[float]) -> str:
    return (f"{name:52s} {statistics.median(values):8.2f} {pct(values, 95):8.2f}"
            f" {pct(values, 99):8.2f} {len(values):6d}")


HEADER = f"{'':52s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'n':>6s}"


@dataclass
class Traffic:
    """What one client received over HTTP (the live socket aside)."""

    requests: int = 0
    bytes: int = 0

    def hook(self, client: InboxClient) -> None:
        async def on_response(response: httpx.Response) -> None:
            await response.aread()
            self.requests += 1
            self.bytes += response.num_bytes_downloaded

        client.api.http.event_hooks["response"].append(on_response)


async def sign_in(url: str, folder: Path, email: str = AURORA[0],
                  settings: PrefetchSettings | None = None,
                  traffic: Traffic | None = None) -> InboxClient:
    client = await InboxClient.login(url, email, "demo1234", data_dir=folder / "data",
                                     cache_dir=folder / "cache", prefetch=settings)
    if traffic is not None:
        traffic.hook(client)
    await client.start()
    return client


async def online(client: InboxClient, within: float = 30.0) -> None:
    """Waits until the live socket is up (after the replay)."""
    up = asyncio.Event()
    stop = client.subscribe(lambda c: client.connection is ConnectionState.ONLINE and up.set())
    try:
        if client.connection is not ConnectionState.ONLINE:
            await asyncio.wait_for(up.wait(), within)
    finally:
        stop()


async def settled(client: InboxClient, within: float = 300.0) -> None:
    await online(client)
    prefetch = client.prefetch
    await asyncio.wait_for(prefetch.until(
        lambda: prefetch.stats.plans >= 1 and not prefetch.busy and prefetch.state == "idle"),
        within)


def unread_of(items: list[dict[str, Any]]) -> list[ConversationSummary]:
    views = sorted((ConversationView(ConversationSummary.model_validate(i)) for i in items),
                   key=sort_key)
    return [v.summary for v in views if v.summary.status == "open" and v.summary.unread_count]


async def server_unread(url: str, email: str = "carla@aurora.example") -> list[ConversationSummary]:
    token, session = login(url, email)
    async with httpx.AsyncClient(base_url=url, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        answer = await http.get(f"/api/clinics/{session['clinic']['id']}/conversations")
        return unread_of(answer.json()["items"])


# --- 1. open of an unread conversation ---------------------------------------------------

async def paint_run(url: str, folder: Path, prefetch: bool,
                    ids: list[int]) -> tuple[list[float], list[float]]:
    """In the child: the window over a signed-in client; ms from selecting each row to the
    bridge handing the pane its detail, and to the first paint of a bubble of it."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from inbox_app.ui import app as ui_app
    from inbox_app.ui.conversations.thread import Bubble

    client = await sign_in(url, folder, settings=None if prefetch else OFF)
    window = await ui_app.open_window(client)
    await (settled(client) if prefetch else online(client))
    pane = window.pane
    loop = asyncio.get_running_loop()
    waiting: list[tuple[int, asyncio.Future[float]]] = []

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and waiting and isinstance(obj, Bubble):
                cid, done = waiting[0]
                if (not done.done() and pane.detail is not None
                        and pane.detail.summary.id == cid and obj in pane.thread_view.bubbles):
                    done.set_result(time.perf_counter())
            return False

    shown: dict[int, float] = {}
    window.bridge.detailChanged.connect(
        lambda snap: shown.setdefault(snap.value.summary.id, time.perf_counter()))
    watch = Watch()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    to_detail, to_paint = [], []
    try:
        for cid in ids:
            done: asyncio.Future[float] = loop.create_future()
            waiting[:] = [(cid, done)]
            started = time.perf_counter()
            assert window.conversations.select(cid), cid
            to_paint.append((await asyncio.wait_for(done, 30) - started) * 1000)
            to_detail.append((shown[cid] - started) * 1000)
    finally:
        app.removeEventFilter(watch)
        await window.bridge.close()
        await client.close()
        window.close()
    return to_detail, to_paint


def paint_child(spec: str) -> None:
    """``--paint-child '{"url", "folder", "prefetch", "ids"}'``: prints the samples."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from inbox_app.ui import app as ui_app

    args = json.loads(spec)
    app = QApplication([])
    ui_app.create_application(language="en")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        samples = loop.run_until_complete(paint_run(
            args["url"], Path(args["folder"]), args["prefetch"], args["ids"]))
    print("SAMPLES " + json.dumps(samples), flush=True)


async def painted(url: str, server_url: str, folder: Path, prefetch: bool,
                  ids: list[int]) -> tuple[list[float], list[float]]:
    """One window run in a child process; opening marks read, so they are made unread again
    (as carla) for the next run."""
    spec = json.dumps({"url": url, "folder": str(folder), "prefetch": prefetch, "ids": ids})
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--paint-child", spec,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await child.communicate()
    text = out.decode(errors="replace")
    token, _ = login(server_url, "carla@aurora.example")  # straight, not through the proxy
    async with httpx.AsyncClient(base_url=server_url, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        for cid in ids:
            (await http.post(f"/api/conversations/{cid}/unread")).raise_for_status()
    for line in text.splitlines():
        if line.startswith("SAMPLES "):
            to_detail, to_paint = json.loads(line[8:])
            return to_detail, to_paint
    raise RuntimeError(f"the paint run failed:\n{text[-3000:]}")


async def read_run(url: str, folder: Path, arm: str, ids: list[int]) -> list[float]:
    """ms of ``client.conversation(id)`` for each id, in one fresh client."""
    client = await sign_in(url, folder, settings=OFF if arm == "not prefetched" else None)
    try:
        if arm == "not prefetched":
            await online(client)
        else:
            await settled(client)
        if arm.endswith("disk"):
            client.cache.lock_memory()  # drop the decoded models: the disk copy is read
            client.cache.unlock_memory()
        samples = []
        for cid in ids:
            started = time.perf_counter()
            snap = await client.conversation(cid)
            samples.append((time.perf_counter() - started) * 1000)
            assert snap.value.messages
        return samples
    finally:
        await client.close()


async def bench_open(tmp: Path, latency_ms: float, rounds: int) -> None:
    server = ServerProcess(f"sqlite+aiosqlite:///{tmp / 'open.db'}", demo_size="full").start()
    proxy = await FaultProxy(server.port).start()
    proxy.mode, proxy.delay = "delay", latency_ms / 2000
    try:
        bound = PrefetchSettings().unread
        ids = [s.id for s in (await server_unread(server.url))[:bound]]
        paint: dict[str, list[float]] = {"prefetched": [], "not prefetched": []}
        detail: dict[str, list[float]] = {"prefetched": [], "not prefetched": []}
        reads: dict[str, list[float]] = {"prefetched": [], "prefetched, from the disk": [],
                                         "not prefetched": []}
        for r in range(rounds):
            for arm in (list(paint) if r % 2 == 0 else list(paint)[::-1]):
                to_detail, to_paint = await painted(proxy.url, server.url,
                                                    tmp / f"paint-{r}-{arm}",
                                                    arm == "prefetched", ids)
                detail[arm] += to_detail
                paint[arm] += to_paint
            for arm in (list(reads) if r % 2 == 0 else list(reads)[::-1]):
                reads[arm] += await read_run(proxy.url, tmp / f"read-{r}-{arm}", arm, ids)
        print(f"\n1. Open of an unread conversation to its messages, {latency_ms:.0f} ms "
              f"added per round trip ({rounds} runs x {len(ids)} conversations per arm)")
        print(HEADER)
        for arm, values in detail.items():
            print(row(f"select row -> detail handed to the pane, {arm}", values))
        for arm, values in paint.items():
            print(row(f"select row -> first bubble painted, {arm}", values))
        for arm, values in reads.items():
            print(row(f"conversation() -> DetailView, {arm}", values))
    finally:
        await proxy.close()
        server.stop()


# --- 2. prefetch cost on a workload --------------------------------------------------------

async def receptionist(client: InboxClient, stop: float, think: float,
                       rng: random.Random) -> int:
    """Opens the newest unread conversation every ``think`` s (jittered), as the window
    does (detail, then patient), marks it read and sometimes replies; returns the opens."""
    opens = 0
    await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < stop:
        rows = (await client.conversations()).value
        waiting = sorted((v for v in rows if v.summary.status == "open"
                          and v.summary.unread_count), key=sort_key)
        if waiting:  # one of the three newest unread
            pick = waiting[rng.randrange(min(3, len(waiting)))]
        else:  # nothing waits: one of the top of the list
            pick = sorted(rows, key=sort_key)[rng.randrange(min(20, len(rows)))]
        snap = await client.conversation(pick.id)
        await client.patient(snap.value.summary.patient_id)
        client.mark_read(pick.id)
        if rng.random() < 0.5:
            client.reply(pick.id, "Olá! Obrigada pela mensagem, já verificamos para você.")
        opens += 1
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    return opens


async def workload(tmp: Path, label: str, settings: PrefetchSettings | None, *,
                   seconds: float, think: float, inbound: float) -> dict[str, float]:
    server = ServerProcess(f"sqlite+aiosqlite:///{tmp / f'work-{label}.db'}", demo_size="full",
                           extra_args=["--simulate-inbound", str(inbound)]).start()
    clients: list[InboxClient] = []
    traffic = [Traffic() for _ in AURORA]
    try:
        for i, email in enumerate(AURORA):
            clients.append(await sign_in(server.url, tmp / f"work-{label}-{i}", email,
                                         settings=settings, traffic=traffic[i]))
        for client in clients:
            await (settled(client) if settings is None else online(client))
        plan = (sum(t.requests for t in traffic), sum(t.bytes for t in traffic))
        lane = sum(c.prefetch.stats.requests for c in clients)
        stop = time.monotonic() + seconds
        rng = random.Random(7)
        opens = await asyncio.gather(*(receptionist(c, stop, think, random.Random(rng.random()))
                                       for c in clients))
        for client in clients:
            await client.drained()
        hits = sum(c.metrics()["conversation_detail"]["fresh_hits"]
                   + c.metrics()["conversation_detail"]["stale_hits"] for c in clients)
        misses = sum(c.metrics()["conversation_detail"]["misses"] for c in clients)
        per_hour = 3600 / seconds / len(clients)
        return {
            "sign-in requests": plan[0] / len(clients),
            "sign-in KiB": plan[1] / len(clients) / 1024,
            "requests/h": (sum(t.requests for t in traffic) - plan[0]) * per_hour,
            "KiB/h": (sum(t.bytes for t in traffic) - plan[1]) * per_hour / 1024,
            "of which the prefetch lane's/h": (sum(c.prefetch.stats.requests for c in clients)
                                               - lane) * per_hour,
            "opens/h": sum(opens) * per_hour,
            "opens from the local cache %": 100 * hits / max(1, hits + misses),
        }
    finally:
        for client in clients:
            await client.close()
        server.stop()


async def bench_cost(tmp: Path, seconds: float, think: float, inbound: float) -> None:
    on = await workload(tmp, "on", None, seconds=seconds, think=think, inbound=inbound)
    off = await workload(tmp, "off", OFF, seconds=seconds, think=think, inbound=inbound)
    print(f"\n2. Prefetch cost, {len(AURORA)} receptionists of one clinic for {seconds:.0f} s "
          f"(an open every ~{think:.0f} s each, a patient message every {inbound:.0f} s), "
          "per receptionist")
    print(f"{'':44s} {'prefetch on':>12s} {'prefetch off':>12s}")
    for name in on:
        print(f"{name:44s} {on[name]:12.1f} {off[name]:12.1f}")


# --- 3. server latency on user reads while 20 clients prefetch -----------------------------

async def reader(url: str, ids: list[int], stop: asyncio.Event) -> list[float]:
    token, _ = login(url, "bruno@boavista.example")
    samples: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        i = 0
        while not stop.is_set():
            started = time.perf_counter()
            (await http.get(f"/api/conversations/{ids[i % len(ids)]}")).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
            i += 1
            await asyncio.sleep(0.01)  # the reader's pace
    return samples


async def storm(tmp: Path, label: str, settings: PrefetchSettings | None,
                clients_n: int, seconds: float) -> tuple[list[float], float]:
    """The reader's samples over ``seconds`` from the start of the sign-ins, and when the
    last client was done (online, its prefetch settled)."""
    server = ServerProcess(f"sqlite+aiosqlite:///{tmp / f'storm-{label}.db'}",
                           demo_size="full").start()
    try:
        ids = [s.id for s in await server_unread(server.url, "diego@boavista.example")]
        stop = asyncio.Event()
        reading = asyncio.create_task(reader(server.url, ids, stop))
        emails = [AURORA[i % 3] for i in range(clients_n)]
        started = time.monotonic()
        clients = await asyncio.gather(*(sign_in(server.url, tmp / f"storm-{label}-{i}", e,
                                                 settings=settings)
                                         for i, e in enumerate(emails)))
        try:
            for client in clients:
                await (settled(client) if settings is None else online(client))
            done = time.monotonic() - started
            await asyncio.sleep(max(0.0, seconds - done))  # the same window for both arms
        finally:
            stop.set()
            samples = await reading
            for client in clients:
                await client.close()
        return samples, done
    finally:
        server.stop()


async def bench_storm(tmp: Path, clients_n: int, seconds: float) -> None:
    on, on_done = await storm(tmp, "on", None, clients_n, seconds)
    off, off_done = await storm(tmp, "off", OFF, clients_n, seconds)
    print(f"\n3. Another clinic's user reads (GET detail, one reader) for {seconds:.0f} s from "
          f"the moment {clients_n} clients sign in at once, with and without prefetch")
    print(HEADER)
    print(row(f"user reads, prefetch on (all settled after {on_done:.1f} s)", on))
    print(row(f"user reads, prefetch off (all online after {off_done:.1f} s)", off))


async def main() -> None:
    asyncio.get_running_loop().set_exception_handler(quiet)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=50.0, help="ms per round trip")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=120.0, help="workload length")
    parser.add_argument("--think", type=float, default=10.0, help="seconds between opens")
    parser.add_argument("--simulate-inbound", type=float, default=5.0, dest="inbound")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--storm-seconds", type=float, default=30.0, dest="storm")
    parser.add_argument("--only", choices=("open", "cost", "storm"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.only in (None, "open"):
            await bench_open(tmp, args.latency, args.rounds)
        if args.only in (None, "cost"):
            await bench_cost(tmp, args.seconds, args.think, args.inbound)
        if args.only in (None, "storm"):
            await bench_storm(tmp, args.clients, args.storm)


def quiet(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The proxy's connection tasks cancelled at its close are not worth a traceback."""
    if not isinstance(context.get("exception"), asyncio.CancelledError):
        loop.default_exception_handler(context)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--paint-child":
        paint_child(sys.argv[2])
    else:
        asyncio.run(main())
