"""Tests for the optimistic actions of inbox_app/client/inbox.py against a real server.

Faults come from tests/client/faultproxy.py wrapping the real server: injected 4xx/5xx/429
answers, stalled requests, refused connections.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import httpx

from inbox_app.client import Change, ConversationView, InboxClient, Mutation, OfflineError
from inbox_app.contract.models import Priority, Status
from inbox_app.contract.policy import list_key
from tests.client.conftest import ClientFactory, wait_state
from tests.client.faultproxy import FaultProxy
from tests.support import ServerProcess, login


async def row(client: InboxClient, conversation_id: int) -> ConversationView:
    views = (await client.conversations()).value
    return next(v for v in views if v.id == conversation_id)


def server_summary(server: ServerProcess, token: str, conversation_id: int) -> dict:
    answer = httpx.get(f"{server.url}/api/conversations/{conversation_id}",
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)
    answer.raise_for_status()
    return answer.json()


async def open_conversation(client: InboxClient, status: Status = Status.OPEN) -> int:
    inbox = (await client.conversations()).value
    return next(v.id for v in inbox if v.summary.status is status)


async def test_rejection_rolls_back_with_the_server_reason_and_is_not_retried(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    cid = await open_conversation(client)
    proxy.inject("POST", f"/api/conversations/{cid}/archive", 409, code="conflict",
                 message="Conversa arquivada por outra pessoa")
    assert client.conversation_view(cid).summary.status is Status.OPEN  # type: ignore[union-attr]
    mutation_id = client.archive(cid)
    assert (await row(client, cid)).summary.status is Status.ARCHIVED  # optimistic, at once
    assert client.conversation_view(cid) == await row(client, cid)  # same row, from memory
    assert client.conversation_view(10**6) is None
    change = await recorder.wait(lambda c: c.mutation_id == mutation_id
                                 and c.cause == "rolled_back")
    assert change.reason == "Conversa arquivada por outra pessoa"
    assert change.action == "archive"
    view = await row(client, cid)
    assert view.summary.status is Status.OPEN and not view.pending
    assert len(proxy.requests("POST", f"/api/conversations/{cid}/archive")) == 1


async def test_first_rejected_second_survives_on_the_server(
        server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    cid = await open_conversation(client)
    proxy.inject("POST", f"/api/conversations/{cid}/archive", 422, code="validation",
                 message="não pode arquivar agora")
    first = client.archive(cid)
    second = client.set_priority(cid, Priority.URGENT)
    view = await row(client, cid)
    assert view.summary.status is Status.ARCHIVED and view.summary.priority is Priority.URGENT
    await recorder.wait(lambda c: c.mutation_id == second and c.cause == "confirmed")
    causes = [(c.mutation_id, c.cause) for c in recorder.changes if c.mutation_id]
    assert causes.index((first, "rolled_back")) < causes.index((second, "confirmed"))
    view = await row(client, cid)
    assert view.summary.status is Status.OPEN and view.summary.priority is Priority.URGENT
    token, _ = login(server.url, "carla@aurora.example")
    on_server = await asyncio.to_thread(server_summary, server, token, cid)
    assert on_server["summary"]["priority"] == "urgent"
    assert on_server["summary"]["status"] == "open"


async def test_server_update_mid_flight_keeps_the_pending_action_on_top(
        server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    cid = await open_conversation(client)
    gate = proxy.stall("POST", f"/api/conversations/{cid}/archive")
    mutation_id = client.archive(cid)
    # another receptionist changes the priority while our archive is in flight
    token, _ = login(server.url, "carla@aurora.example")
    async with httpx.AsyncClient(base_url=server.url,
                                 headers={"Authorization": f"Bearer {token}"}) as other:
        answer = await other.put(f"/api/conversations/{cid}/priority", json={"priority": "low"})
        assert answer.status_code == 200
    await recorder.wait(lambda c: c.cause == "invalidated" and cid in c.conversation_ids)
    view = await row(client, cid)
    assert view.summary.priority is Priority.LOW  # the new server state is the base ...
    assert view.summary.status is Status.ARCHIVED and view.pending  # ... pending on top
    gate.set()
    await recorder.wait(lambda c: c.mutation_id == mutation_id and c.cause == "confirmed")
    view = await row(client, cid)
    assert (view.summary.priority, view.summary.status, view.pending) == (
        Priority.LOW, Status.ARCHIVED, False)


async def test_transient_errors_retry_honouring_retry_after(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    cid = await open_conversation(client)
    path = f"/api/conversations/{cid}/priority"
    proxy.inject("PUT", path, 503)
    proxy.inject("PUT", path, 429, retry_after="0.3", code="rate_limited")
    proxy.inject("PUT", path, 500, code="internal")
    asked: list[float] = []
    real_sleep = client.engine._sleep

    async def recording_sleep(seconds: float) -> None:
        asked.append(seconds)
        await real_sleep(seconds)

    client.engine._sleep = recording_sleep
    mutation_id = client.set_priority(cid, "high")
    await recorder.wait(lambda c: c.mutation_id == mutation_id and c.cause == "confirmed")
    assert [s for _, _, s in proxy.requests("PUT", path)] == [503, 429, 500, None]
    policy = client.engine.policy
    assert len(asked) == 3 and asked[1] == 0.3  # Retry-After as sent
    assert 0 <= asked[0] <= policy.base and 0 <= asked[2] <= min(policy.cap, policy.base * 4)
    assert (await row(client, cid)).summary.priority is Priority.HIGH


async def test_toggle_exhausting_retries_rolls_back_and_a_note_stays_failed(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    cid = await open_conversation(client)
    attempts = client.engine.policy.max_attempts
    proxy.inject("POST", f"/api/conversations/{cid}/archive", 503, times=attempts)
    proxy.inject("POST", f"/api/conversations/{cid}/notes", 502, times=attempts)
    archive = client.archive(cid)
    note = client.add_note(cid, "Paciente pediu retorno")
    rolled = await recorder.wait(lambda c: c.mutation_id == archive and c.cause == "rolled_back")
    assert rolled.reason
    await recorder.wait(lambda c: c.mutation_id == note and c.cause == "failed")
    detail = (await client.conversation(cid)).value
    [item] = detail.pending_items
    assert (item.state, item.body) == ("failed", "Paciente pediu retorno")
    assert detail.failed and detail.summary.status is Status.OPEN
    client.retry(note)
    await recorder.wait(lambda c: c.mutation_id == note and c.cause == "confirmed")
    detail = (await client.conversation(cid)).value
    assert detail.pending_items == []
    assert [n.body for n in detail.notes].count("Paciente pediu retorno") == 1


async def test_queue_pauses_offline_and_drains_when_back(
        server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    cid = await open_conversation(client)
    await client.conversation(cid)
    await proxy.stop_listening()
    await wait_state(recorder, "offline")
    refused: list[str] = []
    three_refused = asyncio.Event()
    api_send = client.api.send

    async def counting_send(mutation: Mutation) -> object:
        try:
            return await api_send(mutation)
        except OfflineError:
            refused.append(mutation.id)
            if len(refused) >= 3:
                three_refused.set()
            raise

    client.engine.sender = SimpleNamespace(send=counting_send)  # type: ignore[assignment]
    ids = [client.mark_unread(cid), client.add_note(cid, "offline 1"), client.reply(cid, "Oi!")]
    assert client.pending_count() == 3
    detail = (await client.conversation(cid)).value
    assert [i.body for i in detail.pending_items] == ["offline 1", "Oi!"]
    assert detail.summary.last_message_preview == "Oi!"
    # several probe rounds pass without spending attempts
    await asyncio.wait_for(three_refused.wait(), 10)
    assert all(m.attempts == 0 for m in client.pending())
    assert proxy.requests("POST", r"/api/conversations/\d+/.*") == []
    await proxy.start()
    await asyncio.wait_for(client.drained(), 20)
    assert {c.mutation_id for c in recorder.changes if c.cause == "confirmed"} >= set(ids)
    token, _ = login(server.url, "carla@aurora.example")
    detail_json = await asyncio.to_thread(server_summary, server, token, cid)
    assert [n["body"] for n in detail_json["notes"]].count("offline 1") == 1
    assert [m["body"] for m in detail_json["messages"]].count("Oi!") == 1


async def test_live_note_from_another_session_arrives_through_an_invalidation(
        server: ServerProcess, make_client: ClientFactory) -> None:
    client, recorder = await make_client(server.url)
    await wait_state(recorder, "online")
    cid = await open_conversation(client)
    assert (await client.conversation(cid)).value.notes == []
    token, _ = login(server.url, "carla@aurora.example")
    async with httpx.AsyncClient(base_url=server.url,
                                 headers={"Authorization": f"Bearer {token}"}) as other:
        answer = await other.post(f"/api/conversations/{cid}/notes",
                                  json={"body": "Nota da Carla"})
        assert answer.status_code == 201
    await recorder.wait(lambda c: c.cause == "invalidated" and cid in c.conversation_ids)
    await recorder.wait(lambda c: c.cause == "server_update" and cid in c.conversation_ids)
    snap = await client.conversation(cid)
    assert [n.body for n in snap.value.notes] == ["Nota da Carla"] and not snap.stale


async def test_replay_after_a_dropped_socket_fills_the_gap(
        server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    inbox = (await client.conversations()).value
    seen_seq = client.live.last_seq
    await proxy.stop_listening()
    await wait_state(recorder, "offline")
    token, _ = login(server.url, "carla@aurora.example")
    # three that are not urgent yet (making an urgent one urgent changes nothing: no event)
    changed = [v.id for v in inbox if v.summary.priority is not Priority.URGENT][:3]
    async with httpx.AsyncClient(base_url=server.url,
                                 headers={"Authorization": f"Bearer {token}"}) as other:
        for cid in changed:
            answer = await other.put(f"/api/conversations/{cid}/priority",
                                     json={"priority": "urgent"})
            assert answer.status_code == 200
    mark = recorder.mark()
    await proxy.start()
    for cid in changed:
        await recorder.wait(lambda c, cid=cid: c.cause == "invalidated"
                            and cid in c.conversation_ids, after=mark)
    assert client.live.last_seq == seen_seq + 3
    assert not any(c.cause == "resync" for c in recorder.changes)
    await recorder.wait(lambda c: c.cause == "server_update", after=mark)
    views = {v.id: v for v in (await client.conversations()).value}
    assert all(views[cid].summary.priority is Priority.URGENT for cid in changed)


async def test_too_old_since_yields_resync_and_everything_goes_stale(
        server_factory, make_client: ClientFactory) -> None:
    server = server_factory(env={"INBOX_EVENT_LOG_SIZE": "2"})
    proxy = await FaultProxy(server.port).start()
    try:
        client, recorder = await make_client(proxy.url)
        await wait_state(recorder, "online")
        inbox = (await client.conversations()).value
        await client.conversation(inbox[0].id)
        await proxy.stop_listening()
        await wait_state(recorder, "offline")
        token, _ = login(server.url, "carla@aurora.example")
        async with httpx.AsyncClient(base_url=server.url,
                                     headers={"Authorization": f"Bearer {token}"}) as other:
            for v in inbox[:5]:
                answer = await other.put(f"/api/conversations/{v.id}/priority",
                                         json={"priority": "high"})
                assert answer.status_code == 200
        mark = recorder.mark()
        await proxy.start()
        await recorder.wait(lambda c: c.cause == "resync", after=mark)

        def list_reloaded(change: Change) -> bool:
            # the detail's reload announces itself too, and may come first: wait for the list's
            entry = client.cache.peek(list_key(client.clinic_id))
            return change.cause == "server_update" and entry is not None \
                and not entry.invalidated

        await recorder.wait(list_reloaded, after=mark)
        views = {v.id: v for v in (await client.conversations()).value}
        assert all(views[v.id].summary.priority is Priority.HIGH for v in inbox[:5])
    finally:
        await proxy.close()




async def test_a_load_racing_an_invalidation_is_loaded_again(
        server: ServerProcess, proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    inbox = (await client.conversations()).value
    first, second = inbox[0], inbox[1]
    list_path = f"/api/clinics/{client.clinic_id}/conversations"
    gate = proxy.stall_answers(list_path)
    token, _ = login(server.url, "carla@aurora.example")
    async with httpx.AsyncClient(base_url=server.url,
                                 headers={"Authorization": f"Bearer {token}"}) as other:
        new_a = "low" if first.summary.priority is not Priority.LOW else "high"
        proxy.request_seen.clear()
        assert (await other.put(f"/api/conversations/{first.id}/priority",
                                json={"priority": new_a})).status_code == 200
        # the invalidation makes the client reload the list; that load reached the server
        # (it sees change A) but its answer is held back ...
        while not proxy.requests("GET", list_path)[1:]:
            proxy.request_seen.clear()
            await asyncio.wait_for(proxy.request_seen.wait(), 10)
        mark = recorder.mark()
        new_b = "low" if second.summary.priority is not Priority.LOW else "high"
        assert (await other.put(f"/api/conversations/{second.id}/priority",
                                json={"priority": new_b})).status_code == 200
        # ... while change B is invalidated too
        await recorder.wait(lambda c: c.cause == "invalidated" and second.id in
                            c.conversation_ids, after=mark)
    proxy.answer_stalls.clear()
    gate.set()
    # the held answer (without B) is stored stale and the list is loaded once more
    await recorder.wait(lambda c: c.cause == "server_update" and second.id in
                        c.conversation_ids, after=mark)
    cached = client.cache.peek(list_key(client.clinic_id))
    assert cached is not None
    by_id = {s.id: s for s in cached.value.items}
    assert by_id[second.id].priority.value == new_b
    assert by_id[first.id].priority.value == new_a
