"""Issue 14 side by side (bench_server_cache.py section 3c): the mixed workload with real
desktop clients (cache_bench_clients.py) on three servers, one after the other, each on its
own copy of one seeded PostgreSQL database (so each starts from the same rows):

- A: Redis, with issue 14's server parts on (inbound write-through, warming of the unread
  conversations' details and patients, early refresh) and the clients' prefetch on: what
  ships;
- B: Redis with all of them off (``INBOX_WRITE_THROUGH=0``, ``INBOX_WARM_UNREAD=0``,
  ``INBOX_EARLY_REFRESH=0``) and the clients' prefetch off: the behaviour before issue 14;
- C: no Redis, prefetch off: the baseline of the query counts;
- D (optional, ``--variants A,B,C,D``): no Redis with the clients' prefetch on.

Each variant starts its server on an empty Redis and waits for its warming at start (the
morning: the server was up before the receptionists arrived), then signs the 20
receptionists in, runs the warm-up steps and the measured steps, lets the clients settle
and closes them. Two windows are reported: the session (everything from the server's start:
warming, sign-ins and their prefetch, every step: the figures the targets are judged on) and
the measured steps alone (comparable with 3a).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import orjson

from tests.benchmarks.cache_bench_clients import ClientsWorkload, Ledger, Opens
from tests.benchmarks.cache_bench_tables import ZERO, Result, Variant, Window, delta, report
from tests.benchmarks.cache_bench_workload import (
    PG_DSN,
    Conn,
    clinic_seqs,
    conversations_of,
)
from tests.support import RedisProcess, ServerProcess, pg_url

OFF = {"INBOX_WRITE_THROUGH": "0", "INBOX_WARM_UNREAD": "0", "INBOX_EARLY_REFRESH": "0"}
_WARMED = re.compile(r"cache: warmed (\d+) conversation lists and (\d+) unread")


VARIANTS = {
    "A": Variant("A: Redis, issue 14 on", redis=True, prefetch=True),
    "B": Variant("B: Redis, issue 14 off", redis=True, prefetch=False, env=OFF),
    "C": Variant("C: no Redis", redis=False, prefetch=False),
    "D": Variant("D: no Redis, prefetch on", redis=False, prefetch=True),
}


async def server_metrics(port: int, token: str) -> dict:
    conn = await Conn(port, token).open()
    try:
        status, body = await conn.request("GET", "/api/metrics")
    finally:
        await conn.close()
    assert status == 200, body
    return orjson.loads(body)


async def warmed(server: ServerProcess, within: float = 120) -> tuple[int, int]:
    """Waits for the server's warming at start; the lists, and the unread conversations'
    details and patients, it loaded."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for line in server.output:
            match = _WARMED.search(line)
            if match:
                return int(match.group(1)), int(match.group(2))
        await asyncio.sleep(0.1)  # another process's log: nothing to await
    raise RuntimeError(f"the server never logged its warming:\n{server.text()}")


async def redis_keys(redis: RedisProcess) -> list[str]:
    """The cache keys Redis holds (without the database's namespace)."""
    out = await asyncio.to_thread(
        subprocess.check_output, ["redis-cli", "-p", str(redis.port), "--scan", "--pattern", "db:*"]
    )
    return [k.decode().split(":", 2)[2] for k in out.split()]


async def present_after_warming(redis: RedisProcess | None, db_name: str) -> dict[int, set[str]]:
    """Per clinic, the API paths whose values warming put in Redis (a detail's or a
    patient's clinic is looked up in the database)."""
    if redis is None:
        return {}
    keys = await redis_keys(redis)
    conn = await asyncpg.connect(PG_DSN.format(db=db_name))
    try:
        clinic_of = {
            r["id"]: r["clinic_id"]
            for r in await conn.fetch("SELECT id, clinic_id FROM conversations")
        }
        patient_clinic = {
            r["id"]: r["clinic_id"] for r in await conn.fetch("SELECT id, clinic_id FROM patients")
        }
    finally:
        await conn.close()
    present: dict[int, set[str]] = {}
    for key in keys:
        parts = key.split(":")
        if parts[0] == "conversations" and parts[1] == "clinic":
            clinic = int(parts[2])
            present.setdefault(clinic, set()).add(f"/api/clinics/{clinic}/conversations")
        elif parts[0] == "conversation" and parts[-1] == "detail":
            cid = int(parts[1])
            present.setdefault(clinic_of[cid], set()).add(f"/api/conversations/{cid}")
        elif parts[0] == "patient" and parts[-1] == "data":
            pid = int(parts[1])
            present.setdefault(patient_clinic[pid], set()).add(f"/api/patients/{pid}")
    return present


async def run_variant(
    variant: Variant, args: argparse.Namespace, *, template: str, redis: RedisProcess, folder: Path
) -> Result:
    db_name = f"{template}_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(PG_DSN.format(db="postgres"))
    await admin.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{template}"')
    secret, metrics_token = uuid.uuid4().hex, uuid.uuid4().hex
    if variant.redis:
        await asyncio.to_thread(
            subprocess.check_output, ["redis-cli", "-p", str(redis.port), "FLUSHALL"]
        )
    server = ServerProcess(
        pg_url(db_name),
        redis_url=redis.url if variant.redis else None,
        demo_size=None,
        env={**variant.env, "INBOX_WEBHOOK_SECRET": secret, "INBOX_METRICS_TOKEN": metrics_token},
    )
    load: ClientsWorkload | None = None
    try:
        started = time.perf_counter()
        server.start(120)
        port = server.port
        lists_details = await warmed(server) if variant.redis else (0, 0)
        present = await present_after_warming(redis if variant.redis else None, db_name)
        ledger = Ledger(
            present, write_through=variant.redis and "INBOX_WRITE_THROUGH" not in variant.env
        )
        load = ClientsWorkload(
            server.url,
            await conversations_of(db_name),
            folder / variant.label[0],
            ledger,
            secret=secret,
            prefetch=variant.prefetch,
            think=args.think,
        )
        await load.start()
        if args.warmup:
            await load.run(args.warmup)
            await load.settle(await clinic_seqs(db_name))
        before = await server_metrics(port, metrics_token)
        ledger.mark()
        opens_before, requests_before = Opens(), load.requests()
        opens_before.add(load.opens())
        writes_before, measured_started = load.writes, time.perf_counter()
        await load.run(args.steps)
        await load.settle(await clinic_seqs(db_name))
        after = await server_metrics(port, metrics_token)
        measured_seconds = time.perf_counter() - measured_started
        requests_after = load.requests()
        opens = load.opens()
        measured_opens = Opens(
            opens.fresh - opens_before.fresh,
            opens.stale - opens_before.stale,
            opens.network - opens_before.network,
            opens.patient_local - opens_before.patient_local,
            opens.failed - opens_before.failed,
        )
        measured = Window(
            delta(before, after),
            measured_seconds,
            measured_opens,
            requests_after[0] - requests_before[0],
            requests_after[1] - requests_before[1],
            load.writes - writes_before,
        )
        await load.quiet_prefetch(args.prefetch_grace)
        await load.stop()
        requests, prefetched = load.requests()
        final = await server_metrics(port, metrics_token)
        session = Window(
            delta(ZERO, final),
            time.perf_counter() - started,
            opens,
            requests,
            prefetched,
            load.writes,
        )
        load = None
        return Result(variant, session, measured, lists_details, ledger)
    finally:
        if load is not None:
            await load.stop()
        server.stop()
        await admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        await admin.close()


async def run_variants(args: argparse.Namespace, log_dir: Path) -> None:
    """Section 3c: seeds a template database, runs each variant on its own copy, prints."""
    # 20 clients in one process: each one's first start says where its key is kept
    logging.getLogger("inbox_app.client.security.keystore").setLevel(logging.ERROR)
    template = f"bench_cache_{os.getpid()}_template"
    admin = await asyncpg.connect(PG_DSN.format(db="postgres"))
    await admin.execute(f'CREATE DATABASE "{template}"')
    redis = RedisProcess(log_dir)
    redis.start()
    try:
        await asyncio.to_thread(
            subprocess.run,
            [
                sys.executable,
                "-m",
                "inbox_app.server",
                "--database-url",
                pg_url(template),
                "--demo-data",
                "--demo-size",
                "full",
                "--init-only",
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        results = []
        for name in args.variants.split(","):
            results.append(
                await run_variant(
                    VARIANTS[name.strip()],
                    args,
                    template=template,
                    redis=redis,
                    folder=log_dir / "clients",
                )
            )
        report(args, results)
    finally:
        redis.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        await admin.close()
