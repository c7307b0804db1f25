"""Tests for inbox_app/client/reads/prefetch.py through the real client and a real server
(issue 14): what the receptionist will open next is on this computer before she opens it,
within its bounds, behind her own reads, and never while locked or offline.

The fault proxy in front of the server records the requests in the order they reach it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from inbox_app.client import InboxClient
from inbox_app.client.reads.listing import sort_key
from inbox_app.client.reads.prefetch import Prefetcher, PrefetchSettings
from inbox_app.client.views import ConversationView
from inbox_app.contract.models import ConversationSummary
from inbox_app.contract.policy import detail_key, patient_key
from tests.client.conftest import ClientFactory, wait_state
from tests.client.faultproxy import FaultProxy
from tests.support import ServerProcess, login

pytestmark = pytest.mark.usefixtures("no_keyring")

SECRET = "prefetch-webhook-secret"
DETAIL = r"/api/conversations/\d+"
PATIENT = r"/api/patients/\d+"
ANY_KEY = f"{DETAIL}|{PATIENT}"


def colleague(server: ServerProcess) -> httpx.AsyncClient:
    """Carla, of the same clinic, straight to the server (no proxy)."""
    token, _ = login(server.url, "carla@aurora.example")
    return httpx.AsyncClient(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


async def unread_on_server(server: ServerProcess, clinic_id: int) -> list[ConversationSummary]:
    """The clinic's open unread conversations as the server has them, newest first."""
    async with colleague(server) as carla:
        items = (await carla.get(f"/api/clinics/{clinic_id}/conversations")).json()["items"]
    views = [ConversationView(ConversationSummary.model_validate(i)) for i in items]
    return [
        v.summary
        for v in sorted(views, key=sort_key)
        if v.summary.status == "open" and v.summary.unread_count > 0
    ]


async def settled(prefetch: Prefetcher, plans: int = 1, within: float = 60.0) -> None:
    """Waits until ``plans`` plans were made and nothing is planned, queued or loading."""
    await asyncio.wait_for(
        prefetch.until(
            lambda: prefetch.stats.plans >= plans and not prefetch.busy and prefetch.state == "idle"
        ),
        within,
    )


async def state(prefetch: Prefetcher, wanted: str, within: float = 15.0) -> None:
    await asyncio.wait_for(prefetch.until(lambda: prefetch.state == wanted), within)


async def requested(proxy: FaultProxy, path: str, count: int) -> None:
    """Waits until the proxy has seen ``count`` GETs matching ``path``."""
    while len(proxy.requests("GET", path)) < count:
        proxy.request_seen.clear()
        await asyncio.wait_for(proxy.request_seen.wait(), 15)


async def test_unread_conversations_are_on_this_computer_before_they_are_opened(
    server: ServerProcess, make_client: ClientFactory, tmp_path: Path
) -> None:
    client, recorder = await make_client(server.url)
    await wait_state(recorder, "online")
    await settled(client.prefetch)
    unread = await unread_on_server(server, client.clinic_id)
    assert len(unread) >= 5
    for summary in unread:  # nobody opened them: the prefetch loaded them
        assert client.cache.peek(detail_key(summary.id)) is not None
        assert client.cache.peek(patient_key(summary.patient_id)) is not None
    assert client.metrics()["conversation_detail"]["misses"] == 0
    async with colleague(server) as carla:
        expected = {
            s.id: (await carla.get(f"/api/conversations/{s.id}")).json()["messages"] for s in unread
        }

    await asyncio.to_thread(server.stop)
    await wait_state(recorder, "offline")
    for summary in unread:  # offline, each opens like one that was opened
        snap = await client.conversation(summary.id)
        assert snap.offline and snap.value.summary.id == summary.id
        assert [m.id for m in snap.value.messages] == [m["id"] for m in expected[summary.id]]
        assert (await client.patient(summary.patient_id)).value.id == summary.patient_id

    # the same sealed disk cache as any read: a restart while the server is down reads them
    await client.close()
    again = await InboxClient.resume(
        server.url, data_dir=tmp_path / "client" / "data", cache_dir=tmp_path / "client" / "cache"
    )
    assert again is not None
    try:
        snap = await again.conversation(unread[-1].id)
        assert snap.offline and len(snap.value.messages) == len(expected[unread[-1].id])
    finally:
        await again.close()


async def test_a_clinic_with_5000_unread_prefetches_at_most_the_bound(
    server_factory: Callable[..., ServerProcess], make_client: ClientFactory
) -> None:
    server = server_factory(demo_size="large")
    proxy = await FaultProxy(server.port).start()
    try:
        client, recorder = await make_client(proxy.url)
        await wait_state(recorder, "online")
        await settled(client.prefetch)
        unread = await unread_on_server(server, client.clinic_id)
        assert len(unread) >= 5000
        bound = PrefetchSettings().unread
        details = proxy.requests("GET", DETAIL)
        assert len(details) == bound  # the newest unread ones, each once
        assert {p for _m, p, _s in details} == {
            f"/api/conversations/{s.id}" for s in unread[:bound]
        }
        assert len(proxy.requests("GET", PATIENT)) <= bound
        assert client.prefetch.stats.requests == len(details) + len(proxy.requests("GET", PATIENT))
        assert client.cache.peek(detail_key(unread[bound].id)) is None
    finally:
        await proxy.close()


async def test_the_budget_holds_requests_and_bytes_per_minute(
    proxy: FaultProxy, make_client: ClientFactory
) -> None:
    now = [1000.0]
    client, recorder = await make_client(
        proxy.url, start=False, prefetch=PrefetchSettings(requests_per_minute=4)
    )
    client.prefetch.budget.clock = lambda: now[0]
    await client.start()
    await wait_state(recorder, "online")
    await state(client.prefetch, "budget")
    assert client.prefetch.stats.requests == 4
    await requested(proxy, ANY_KEY, 4)
    now[0] += 59.0  # still within the minute
    client.prefetch.kick()
    await state(client.prefetch, "budget")
    assert client.prefetch.stats.requests == 4
    now[0] += 1.0  # the first four leave the window: four more
    client.prefetch.kick()
    await asyncio.wait_for(
        client.prefetch.until(
            lambda: client.prefetch.stats.requests == 8 and client.prefetch.state == "budget"
        ),
        15,
    )
    await requested(proxy, ANY_KEY, 8)
    assert len(proxy.requests("GET", ANY_KEY)) == 8

    # bytes: one answer fills a one-byte budget, and the next request waits for the window
    other, others = await make_client(
        proxy.url, folder="other", prefetch=PrefetchSettings(bytes_per_minute=1)
    )
    await wait_state(others, "online")
    await state(other.prefetch, "budget")
    assert other.prefetch.stats.requests == 1 and other.prefetch.stats.bytes > 1


async def test_a_user_read_is_never_held_by_prefetch_and_goes_before_it(
    server_factory: Callable[..., ServerProcess], make_client: ClientFactory
) -> None:
    server = server_factory(demo_size="full")
    proxy = await FaultProxy(server.port).start()
    try:
        client, recorder = await make_client(proxy.url)
        inbox = (await client.conversations()).value
        unread = {s.id for s in await unread_on_server(server, client.clinic_id)}
        mine = [v.summary for v in inbox if v.id not in unread][:2]
        # every detail but the user's own waits in the proxy: the lane is stuck in flight
        gate = proxy.stall("GET", rf"/api/conversations/(?!({mine[0].id}|{mine[1].id})$)\d+")
        await wait_state(recorder, "online")
        await requested(proxy, DETAIL, 1)
        stuck = proxy.requests("GET", DETAIL)
        assert len(stuck) == 1  # one lane: one prefetch in flight, the rest queued

        snap = await client.conversation(mine[0].id)  # not held by the stuck prefetch
        assert snap.value.summary.id == mine[0].id and snap.value.messages
        assert (await client.patient(mine[0].patient_id)).value.id == mine[0].patient_id

        # a user read in flight: the prefetch lets its stuck load finish, then waits for it
        answer = proxy.stall_answers(f"/api/conversations/{mine[1].id}")
        reading = asyncio.create_task(client.conversation(mine[1].id))
        await requested(proxy, f"/api/conversations/{mine[1].id}", 1)
        asked = len(proxy.seen)
        gate.set()
        stuck_key = detail_key(int(stuck[0][1].rsplit("/", 1)[1]))
        await asyncio.wait_for(
            client.prefetch.until(lambda: client.cache.peek(stuck_key) is not None), 15
        )
        await state(client.prefetch, "yielding")
        assert [
            s for s in proxy.seen[asked:] if s[0] == "GET" and re.fullmatch(ANY_KEY, s[1])
        ] == []
        answer.set()
        assert (await reading).value.summary.id == mine[1].id
        await settled(client.prefetch, plans=2)
        order = [p for m, p, _s in proxy.seen if m == "GET" and re.fullmatch(DETAIL, p)]
        # the server saw each user read before every prefetch that was queued at the time
        assert order.index(f"/api/conversations/{mine[0].id}") == 1
        assert order.index(f"/api/conversations/{mine[1].id}") == 2
        assert len(order) > 3
    finally:
        await proxy.close()


async def test_prefetch_pauses_while_locked_and_goes_on_after_unlock(
    server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory
) -> None:
    gate = proxy.stall("GET", DETAIL)
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    await requested(proxy, DETAIL, 1)
    client.lock()
    gate.set()
    await state(client.prefetch, "paused")
    asked = len(proxy.requests("GET", ANY_KEY))
    assert asked == 1
    # a reconnect while locked plans again, and still nothing goes out
    mark, rounds = recorder.mark(), client.prefetch.rounds
    await proxy.drop_connections()
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
    await asyncio.wait_for(
        client.prefetch.until(
            lambda: client.prefetch.rounds > rounds and client.prefetch.state == "paused"
        ),
        15,
    )
    assert len(proxy.requests("GET", ANY_KEY)) == asked

    await client.unlock("demo1234")
    await settled(client.prefetch, plans=2)
    for summary in await unread_on_server(server, client.clinic_id):
        assert client.cache.peek(detail_key(summary.id)) is not None


async def test_prefetch_pauses_offline_and_finishes_when_the_server_is_back(
    server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory
) -> None:
    gate = proxy.stall("GET", DETAIL)
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    await requested(proxy, DETAIL, 1)
    await proxy.stop_listening()  # the prefetch in flight fails: the server is gone
    proxy.stalls.clear()
    gate.set()
    await wait_state(recorder, "offline")
    await state(client.prefetch, "paused")
    assert client.prefetch.stats.failures == 1  # paused: no request tried while offline

    mark = recorder.mark()
    await proxy.start()
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
    await settled(client.prefetch, plans=2)
    assert client.prefetch.stats.failures == 1
    for summary in await unread_on_server(server, client.clinic_id):
        assert client.cache.peek(detail_key(summary.id)) is not None
        assert client.cache.peek(patient_key(summary.patient_id)) is not None


async def test_a_prefetch_cut_off_alone_is_tried_again_and_the_rest_follows(
    server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory
) -> None:
    """One prefetch's connection dies while the rest of the client stays up: the lane takes
    it up again (no busy loop, no stall until the next reconnect)."""
    gate = proxy.stall("GET", DETAIL)
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    await requested(proxy, DETAIL, 1)
    connects = client.live.connects
    await proxy.drop_stalled()  # that request fails with a network error, the socket stays
    proxy.stalls.clear()
    gate.set()
    await asyncio.wait_for(client.prefetch.until(lambda: client.prefetch.stats.failures == 1), 15)
    await settled(client.prefetch)
    unread = await unread_on_server(server, client.clinic_id)
    for summary in unread:
        assert client.cache.peek(detail_key(summary.id)) is not None
    assert client.prefetch.stats.failures == 1
    assert client.live.connects == connects  # not a reconnect's new plan: the lane went on


async def test_a_live_event_refreshes_a_prefetched_conversation(
    server: ServerProcess, make_client: ClientFactory
) -> None:
    client, recorder = await make_client(server.url)
    await wait_state(recorder, "online")
    await settled(client.prefetch)
    target = (await unread_on_server(server, client.clinic_id))[0]
    before = client.cache.peek(detail_key(target.id))
    assert before is not None and before.value.notes == []
    mark = recorder.mark()
    async with colleague(server) as carla:
        answer = await carla.post(
            f"/api/conversations/{target.id}/notes", json={"body": "Ligar depois das 14h"}
        )
        assert answer.status_code == 201
    # nobody opened it: the client re-read it alone, as any held key
    await recorder.wait(
        lambda c: c.cause == "server_update" and target.id in c.conversation_ids, after=mark
    )
    entry = client.cache.peek(detail_key(target.id))
    assert entry is not None and not entry.invalidated
    assert [n.body for n in entry.value.notes] == ["Ligar depois das 14h"]

    await asyncio.to_thread(server.stop)
    await wait_state(recorder, "offline")
    snap = await client.conversation(target.id)
    assert snap.offline and [n.body for n in snap.value.notes] == ["Ligar depois das 14h"]


async def test_after_a_reconnect_with_resync_what_became_unread_is_prefetched(
    server_factory: Callable[..., ServerProcess], make_client: ClientFactory
) -> None:
    server = server_factory(env={"INBOX_EVENT_LOG_SIZE": "2", "INBOX_WEBHOOK_SECRET": SECRET})
    proxy = await FaultProxy(server.port).start()
    try:
        client, recorder = await make_client(proxy.url)
        await wait_state(recorder, "online")
        await settled(client.prefetch)
        await proxy.stop_listening()
        await wait_state(recorder, "offline")
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            for i in range(4):  # more events than the log keeps: the reconnect is a resync
                answer = await http.post(
                    "/api/inbound",
                    headers={"X-Webhook-Secret": SECRET},
                    json={
                        "clinic_id": client.clinic_id,
                        "phone": f"+55 11 98888-00{i:02d}",
                        "name": f"Paciente Novo {i}",
                        "body": "Bom dia, tem horário amanhã?",
                    },
                )
                assert answer.status_code in (200, 201), answer.text
        new = [
            s
            for s in await unread_on_server(server, client.clinic_id)
            if s.patient_name.startswith("Paciente Novo")
        ]
        assert len(new) == 4
        mark = recorder.mark()
        await proxy.start()
        await recorder.wait(lambda c: c.cause == "resync", after=mark)
        await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
        await settled(client.prefetch, plans=2)
        for summary in new:
            assert client.cache.peek(detail_key(summary.id)) is not None
            assert client.cache.peek(patient_key(summary.patient_id)) is not None
        assert client.metrics()["conversation_detail"]["misses"] == 0
    finally:
        await proxy.close()
