"""End to end: the client process dies (kill -9) with actions pending; at restart they are
sent and applied exactly once (outbox on disk + Idempotency-Key), real server on loopback."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx

from inbox_app.client import InboxClient
from tests.client.faultproxy import FaultProxy
from tests.support import ServerProcess, login

ROOT = Path(__file__).resolve().parents[2]


async def test_kill_9_with_pending_actions_then_restart_applies_each_once(
        server: ServerProcess, tmp_path: Path) -> None:
    proxy = await FaultProxy(server.port).start()
    token, _ = login(server.url, "carla@aurora.example")
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as other:
        clinic = (await other.get("/api/session")).json()["clinic"]["id"]
        items = (await other.get(f"/api/clinics/{clinic}/conversations")).json()["items"]
        cid = next(i["id"] for i in items if i["status"] == "open")
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.e2e.crash_child", proxy.url, str(tmp_path / "data"),
            str(tmp_path / "cache"), str(cid), cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        try:
            assert child.stdout is not None and child.stdin is not None
            assert (await asyncio.wait_for(child.stdout.readline(), 30)).strip() == b"READY"
            proxy.mode = "hold"  # requests reach the server, answers never come back
            child.stdin.write(b"go\n")
            await child.stdin.drain()
            queued = (await asyncio.wait_for(child.stdout.readline(), 10)).split()
            assert queued[0] == b"QUEUED"
            # the note reached the server and was applied; its answer is withheld
            await asyncio.wait_for(
                proxy.answer_withheld(f"/api/conversations/{cid}/notes"), 10)
        finally:
            child.kill()  # SIGKILL: no cleanup, no flush, nothing graceful
            await child.wait()
        proxy.mode = "pass"

        client = await InboxClient.resume(proxy.url, data_dir=tmp_path / "data",
                                          cache_dir=tmp_path / "cache")
        assert client is not None
        try:
            assert client.pending_count() == 2
            assert [m.id for m in client.pending()] == [q.decode() for q in queued[1:]]
            await client.start()
            await asyncio.wait_for(client.drained(), 20)
            assert client.pending_count() == 0
        finally:
            await client.close()
        detail = (await other.get(f"/api/conversations/{cid}")).json()
    notes = [n["body"] for n in detail["notes"]]
    assert len(proxy.requests("POST", f"/api/conversations/{cid}/notes")) == 2  # sent twice
    assert notes.count("nota antes do crash") == 1  # ... applied once
    assert detail["summary"]["status"] == "archived"
    assert list((tmp_path / "data").rglob("*.action")) == []
    await proxy.close()
