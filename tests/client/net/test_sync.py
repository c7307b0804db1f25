"""Tests for inbox_app/client/net/sync.py: after any network fault the client converges to the
server and says so truthfully (issue 18). Real server, faults from the fault proxy."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx

from inbox_app.client import Change
from inbox_app.contract.policy import detail_key, list_key
from tests.client.conftest import ClientFactory, Recorder, wait_state
from tests.client.faultproxy import FaultProxy
from tests.support import ServerProcess, login


class LongestWaits(random.Random):
    """Backoff jitter that always picks the longest wait (the listener's worst case)."""

    def uniform(self, a: float, b: float) -> float:
        return b


def colleague(server: ServerProcess) -> httpx.AsyncClient:
    """Carla, of the same clinic, writing straight to the server (no proxy)."""
    token, _ = login(server.url, "carla@aurora.example")
    return httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {token}"})


async def requested(proxy: FaultProxy, method: str, path: str, count: int) -> None:
    """Waits until the proxy has seen ``count`` requests for ``path``."""
    while len(proxy.requests(method, path)) < count:
        proxy.request_seen.clear()
        await asyncio.wait_for(proxy.request_seen.wait(), 10)


def updated(recorder: Recorder, conversation_id: int, after: int) -> Any:
    return recorder.wait(lambda c: c.cause == "server_update"
                         and conversation_id in c.conversation_ids, after=after)


async def test_a_reread_that_fails_while_the_socket_reconnects_is_tried_again(
        server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory) -> None:
    """Seen 1 and 5: the re-read in flight when the connection drops failed and was never
    tried again; the key stayed invalidated and the facade said "offline" while online."""
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    cid = (await client.conversations()).value[0].id
    assert (await client.conversation(cid)).value.notes == []
    path = f"/api/conversations/{cid}"
    before = len(proxy.requests("GET", path))
    gate = proxy.stall("GET", path)  # the background re-read waits in the proxy
    async with colleague(server) as carla:
        assert (await carla.post(f"{path}/notes", json={"body": "Nota"})).status_code == 201
    await requested(proxy, "GET", path, before + 1)
    mark = recorder.mark()
    await proxy.drop_connections(spare_stalled=True)  # the socket drops and comes back ...
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
    await proxy.drop_stalled()  # ... and only then the re-read fails
    proxy.stalls.clear()
    gate.set()
    await updated(recorder, cid, after=mark)  # nobody read it: the client re-read it alone
    entry = client.cache.peek(detail_key(cid))
    assert entry is not None and not entry.invalidated and len(entry.value.notes) == 1
    snap = await client.conversation(cid)
    assert not snap.stale and not snap.offline and len(snap.value.notes) == 1


async def test_after_a_resync_every_held_row_converges_even_if_the_reload_fails(
        server_factory: Any, make_client: ClientFactory) -> None:
    """Seen 2: with a short event log a reconnect gets a resync; a reload of the list that
    failed then left rows behind the server for good."""
    server = server_factory(env={"INBOX_EVENT_LOG_SIZE": "2"})
    proxy = await FaultProxy(server.port).start()
    try:
        client, recorder = await make_client(proxy.url)
        await wait_state(recorder, "online")
        inbox = (await client.conversations()).value
        await proxy.stop_listening()
        await wait_state(recorder, "offline")
        async with colleague(server) as carla:
            for view in inbox[:5]:
                priority = "low" if view.summary.priority != "low" else "high"
                answer = await carla.put(f"/api/conversations/{view.id}/priority",
                                         json={"priority": priority})
                assert answer.status_code == 200
            await carla.post(f"/api/conversations/{inbox[5].id}/read")
            expected = (await carla.get(f"/api/clinics/{client.clinic_id}/conversations")
                        ).json()["items"]
        list_path = f"/api/clinics/{client.clinic_id}/conversations"
        proxy.inject("GET", list_path, 503, times=1)  # the resync's reload fails once
        mark = recorder.mark()
        await proxy.start()
        await recorder.wait(lambda c: c.cause == "resync", after=mark)
        await recorder.wait(lambda c: c.cause == "server_update"
                            and inbox[0].id in c.conversation_ids, after=mark)
        assert [r for r in proxy.requests("GET", list_path) if r[2] == 503]
        entry = client.cache.peek(list_key(client.clinic_id))
        assert entry is not None and not entry.invalidated
        rows = {v.id: v.summary for v in (await client.conversations()).value}
        for item in expected:
            row = rows[item["id"]]
            assert (row.version, row.priority, row.status, row.unread_count) == (
                item["version"], item["priority"], item["status"], item["unread_count"])
    finally:
        await proxy.close()


async def test_healthy_connections_reset_the_backoff(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    """Seen 3: after a run of healthy connections each dropped, the waits grew to 30 s and
    the status said "offline" on every drop after the first."""
    client, recorder = await make_client(proxy.url, live_backoff_cap=30.0)
    client.live._rng = LongestWaits()
    await wait_state(recorder, "online")
    for _ in range(6):
        mark = recorder.mark()
        await proxy.drop_connections()
        await recorder.wait(lambda c: c.cause == "connection" and c.reason == "reconnecting",
                            after=mark)
        await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online",
                            after=mark)
    states = [c.reason for c in recorder.changes if c.cause == "connection"]
    assert "offline" not in states


async def test_online_is_announced_only_after_the_replay_is_applied(
        server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory) -> None:
    """Seen 4: a read made on the "online" change returned pre-outage data marked fresh."""
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    cid = (await client.conversations()).value[0].id
    assert not (await client.conversation(cid)).stale
    await proxy.stop_listening()
    await wait_state(recorder, "offline")
    async with colleague(server) as carla:
        answer = await carla.post(f"/api/conversations/{cid}/notes", json={"body": "Nota"})
        assert answer.status_code == 201
    reads: list[asyncio.Task[Any]] = []

    def read_when_online(change: Change) -> None:
        if change.cause == "connection" and change.reason == "online" and not reads:
            reads.append(asyncio.get_running_loop().create_task(client.conversation(cid)))

    client.subscribe(read_when_online)
    mark = recorder.mark()
    await proxy.start()
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
    snap = (await reads[0])
    assert snap.stale or len(snap.value.notes) == 1, "pre-outage data read as fresh"


async def test_the_socket_reconnects_as_soon_as_the_server_answers_again(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    """Seen 3 and Wanted 4: the socket waited out its backoff although the server was back;
    now a probe finds the server and the socket reconnects at once."""
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    # a backoff that would never end by itself
    client.live._rng = LongestWaits()
    client.live.backoff_base = client.live.backoff_cap = 3600.0
    mark = recorder.mark()
    await proxy.stop_listening()
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "reconnecting",
                        after=mark)
    mark = recorder.mark()
    await proxy.start()
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
    assert client.connection.value == "online"


async def test_a_blackhole_is_noticed_by_pings_and_left_when_the_server_answers(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    """Wanted 4: with the default ping settings a blackholed connection is dropped within a
    few seconds, and the socket is back as soon as the route is."""
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    client.live._rng = LongestWaits()
    client.live.backoff_base = client.live.backoff_cap = 3600.0
    mark = recorder.mark()
    proxy.mode = "hold"  # nothing comes back, pongs included; new connections hang too
    await recorder.wait(lambda c: c.cause == "connection" and c.reason != "online",
                        within=12, after=mark)
    mark = recorder.mark()
    proxy.mode = "pass"
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
