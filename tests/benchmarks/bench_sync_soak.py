"""Sync soak (issue 18): network faults while a colleague writes; does the client converge?

A real server (SQLite, small demo data) behind the fault proxy, a real ``InboxClient`` with
the production settings (ping, backoff) holding the inbox and a few open conversations.
Carla, of the same clinic, writes straight to the server all along (priorities, read and
unread, notes, replies). Faults, ``--faults`` of each kind, in turn: a reset of every
connection, a blackhole of 1-8 s (nothing answers, pongs included; how long the pings take to
notice it is reported), a server restart by
SIGTERM, and one by SIGKILL. After each fault the time from "the server is reachable again"
to the client saying "online" is measured; after the last one the writes stop, and the
client's held list and details are compared with the server's: mismatches are reported at
the moment they reach 0 (or 10 s after the last fault, the target).

Run: ``.venv/bin/python tests/benchmarks/bench_sync_soak.py [--faults 2] [--log-size 40]``
(both event-log sizes when ``--log-size`` is not given). Exit code 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inbox_app.client import Change, InboxClient  # noqa: E402
from inbox_app.client.net.live import PING_INTERVAL, PING_TIMEOUT  # noqa: E402
from inbox_app.contract.policy import detail_key, list_key  # noqa: E402
from tests.client.faultproxy import FaultProxy  # noqa: E402
from tests.support import ServerProcess, login  # noqa: E402

KINDS = ("reset", "blackhole", "sigterm", "sigkill")
CONVERGE_WITHIN = 10.0
RECONNECT_P95 = 2.0
OPEN_DETAILS = 4
WRITERS = 3  # Carla's concurrent sessions: enough events to overrun a 40-event log


class Soak:
    def __init__(self, folder: Path, log_size: int | None, rng: random.Random) -> None:
        env = {"INBOX_EVENT_LOG_SIZE": str(log_size)} if log_size else {}
        self.server = ServerProcess(f"sqlite+aiosqlite:///{folder / 'soak.db'}",
                                    demo_size="small", env=env)
        self.folder = folder
        self.rng = rng
        self.online = asyncio.Event()
        self.writes = 0
        self.resyncs = 0
        self.left_online: float | None = None
        self.is_online = False
        self.noticed: list[float] = []  # blackhole start -> client no longer "online"

    def on_change(self, change: Change) -> None:
        if change.cause == "connection":
            if change.reason == "online":
                self.online.set()
            else:
                if self.is_online:
                    self.left_online = time.perf_counter()
                self.online.clear()
            self.is_online = change.reason == "online"
        elif change.cause == "resync":
            self.resyncs += 1

    async def writer(self, stop: asyncio.Event, ids: list[int], token: str) -> None:
        async with httpx.AsyncClient(base_url=self.server.url, timeout=5, headers={
                "Authorization": f"Bearer {token}"}) as carla:
            while not stop.is_set():
                cid = self.rng.choice(ids)
                base = f"/api/conversations/{cid}"
                choice = self.rng.randrange(5)
                try:
                    if choice == 0:
                        priority = self.rng.choice(["urgent", "high", "normal", "low"])
                        await carla.put(f"{base}/priority", json={"priority": priority})
                    elif choice == 1:
                        await carla.post(f"{base}/{self.rng.choice(['read', 'unread'])}")
                    elif choice == 2:
                        await carla.post(f"{base}/notes", json={"body": "nota de teste"})
                    elif choice == 3:
                        await carla.post(f"{base}/messages", json={"body": "resposta"})
                    else:
                        await carla.post(f"{base}/{self.rng.choice(['archive', 'unarchive'])}")
                    self.writes += 1
                except httpx.HTTPError:
                    pass  # the server is restarting: the next write goes when it is back
                await asyncio.sleep(self.rng.uniform(0.0, 0.03))  # the colleague's pace

    async def fault(self, kind: str, proxy: FaultProxy) -> float:
        """Injects one fault; returns when the server is reachable again (perf_counter)."""
        if kind == "reset":
            await proxy.drop_connections(reset=True)
        elif kind == "blackhole":
            proxy.mode = "hold"
            started, self.left_online = time.perf_counter(), None
            await asyncio.sleep(self.rng.uniform(1.0, 8.0))  # the outage itself
            proxy.mode = "pass"
            if self.left_online is not None:  # the pings noticed it before it ended
                self.noticed.append(self.left_online - started)
            await proxy.drop_connections(reset=True)  # the held connections stay dead
        elif kind == "sigterm":
            await asyncio.to_thread(self.server.stop)
            await asyncio.to_thread(self.server.start)
        else:
            await asyncio.to_thread(self.server.kill)
            await asyncio.to_thread(self.server.start)
        return time.perf_counter()

    async def mismatches(self, client: InboxClient, token: str) -> int:
        """Rows and held details that differ from the server's."""
        async with httpx.AsyncClient(base_url=self.server.url, timeout=10, headers={
                "Authorization": f"Bearer {token}"}) as http:
            items = (await http.get(f"/api/clinics/{client.clinic_id}/conversations")
                     ).json()["items"]
            entry = client.cache.peek(list_key(client.clinic_id))
            held = {s.id: s for s in entry.value.items} if entry else {}
            bad = sum(1 for item in items if (held.get(item["id"]) is None or (
                held[item["id"]].version, held[item["id"]].priority,
                held[item["id"]].status, held[item["id"]].unread_count) != (
                item["version"], item["priority"], item["status"], item["unread_count"])))
            for key in client.cache.held():
                if not key.startswith("conversation:"):
                    continue
                cid = int(key.split(":")[1])
                server = (await http.get(f"/api/conversations/{cid}")).json()
                mine = client.cache.peek(detail_key(cid))
                if mine is None or (mine.value.summary.version, len(mine.value.notes),
                                    [m.id for m in mine.value.messages]) != (
                        server["summary"]["version"], len(server["notes"]),
                        [m["id"] for m in server["messages"]]):
                    bad += 1
        return bad

    async def run(self, faults: int, kinds: tuple[str, ...] = KINDS) -> dict[str, Any]:
        await asyncio.to_thread(self.server.start)
        proxy = await FaultProxy(self.server.port).start()
        client = await InboxClient.login(proxy.url, "ana@aurora.example", "demo1234",
                                         data_dir=self.folder / "d",
                                         cache_dir=self.folder / "c")
        client.subscribe(self.on_change)
        stop = asyncio.Event()
        writers: list[asyncio.Task[None]] = []
        try:
            await client.start()
            await asyncio.wait_for(self.online.wait(), 30)
            rows = (await client.conversations()).value
            ids = [v.id for v in rows[:12]]
            for cid in ids[:OPEN_DETAILS]:
                await client.conversation(cid)
            carla, _ = await asyncio.to_thread(login, self.server.url, "carla@aurora.example")
            writers = [asyncio.create_task(self.writer(stop, ids, carla))
                       for _ in range(WRITERS)]
            plan = [kind for kind in kinds for _ in range(faults)]
            self.rng.shuffle(plan)
            reconnect: dict[str, list[float]] = {k: [] for k in kinds}
            last_fault = time.perf_counter()
            for kind in plan:
                self.online.clear()
                back = await self.fault(kind, proxy)
                await asyncio.wait_for(self.online.wait(), 60)
                reconnect[kind].append(time.perf_counter() - back)
                last_fault = back
                await asyncio.sleep(self.rng.uniform(0.5, 1.5))  # writes between faults
            stop.set()
            await asyncio.gather(*writers)
            token, _ = await asyncio.to_thread(login, self.server.url, "ana@aurora.example")
            counts = []
            while True:
                bad = await self.mismatches(client, token)
                counts.append(bad)
                waited = time.perf_counter() - last_fault
                if bad == 0 or waited > CONVERGE_WITHIN:
                    break
                await asyncio.sleep(0.25)  # polling the comparison: no event says "equal"
            return {"reconnect": reconnect, "mismatches": bad, "converged_after": waited,
                    "writes": self.writes, "resyncs": self.resyncs, "noticed": self.noticed,
                    "held": len(client.cache.held())}
        finally:
            stop.set()
            for task in writers:
                task.cancel()
            await client.close()
            await proxy.close()
            await asyncio.to_thread(self.server.stop)


def faults_of(result: dict[str, Any]) -> int:
    return len(result["reconnect"].get("blackhole", []))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", type=int, default=2, help="faults of each kind")
    parser.add_argument("--log-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--kinds", default=",".join(KINDS), help="faults to inject")
    parser.add_argument("--verbose", action="store_true", help="the client's sync log")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # the proxy's tasks at its close
    if args.verbose:
        logging.getLogger("inbox_app.client.net").setLevel(logging.INFO)
    kinds = tuple(k for k in args.kinds.split(",") if k in KINDS)
    sizes = [args.log_size] if args.log_size else [None, 40]
    ok = True
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = await Soak(Path(tmp), size, random.Random(args.seed)).run(args.faults, kinds)
        label = f"INBOX_EVENT_LOG_SIZE={size}" if size else "default event log"
        print(f"\n{label}: {args.faults} faults of each kind, {result['writes']} writes, "
              f"{result['resyncs']} resyncs, {result['held']} keys held, "
              f"{time.perf_counter() - started:.0f} s")
        print(f"{'fault':<10} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"
              "   (server reachable again -> client online)")
        every: list[float] = []
        for kind, times in result["reconnect"].items():
            every += times
            if not times:
                continue
            print(f"{kind:<10} {len(times):>3} {statistics.median(times):>7.2f} "
                  f"{pct(times, 0.95):>7.2f} {max(times):>7.2f}")
        p95 = pct(every, 0.95)
        print(f"{'all':<10} {len(every):>3} {statistics.median(every):>7.2f} {p95:>7.2f} "
              f"{max(every):>7.2f}   target p95 <= {RECONNECT_P95} s")
        noticed = result["noticed"]
        if noticed:
            print(f"blackholes noticed by the pings: {len(noticed)} of {faults_of(result)}, "
                  f"after p50 {statistics.median(noticed):.2f} s, max {max(noticed):.2f} s "
                  f"(ping every {PING_INTERVAL:.0f} s, pong within {PING_TIMEOUT:.0f} s)")
        print(f"mismatches: {result['mismatches']} at {result['converged_after']:.1f} s after "
              f"the last fault (target 0 within {CONVERGE_WITHIN:.0f} s)")
        ok = ok and result["mismatches"] == 0 and p95 <= RECONNECT_P95
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
