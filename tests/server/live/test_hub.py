"""WS /api/live (inbox_app/server/live/hub.py): events with seq and invalidate, replay after hello,
resync, isolation, and the 4401/4400 closes."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from inbox_app.contract.events import CLOSE_PROTOCOL, CLOSE_UNAUTHORIZED, EventType
from inbox_app.contract.models import ConversationSummary, Message, Note
from inbox_app.contract.policy import detail_key, list_key
from tests.server.conftest import ApiUser, ConversationPicker, sign_in
from tests.server.live_support import closed_with, connect, next_event, next_frame
from tests.support import ServerProcess


async def seq_now(ws_url: str, user: ApiUser) -> int:
    ws = await connect(ws_url, user.token, since=2**30)
    try:
        event = await next_event(ws)
    finally:
        await ws.close()
    assert event.type is EventType.RESYNC
    return event.seq


async def post(user: ApiUser, method: str, path: str, json: dict | None = None) -> httpx.Response:
    async with httpx.AsyncClient(base_url=user.server.url, timeout=15, headers={
        "Authorization": f"Bearer {user.token}", "Idempotency-Key": str(uuid.uuid4())
    }) as http:
        return await http.request(method, path, json=json)


async def test_each_write_is_an_event_with_its_invalidate_keys(
    shared_server: ServerProcess, aurora: ApiUser, picker: ConversationPicker
) -> None:
    chosen = picker.take(aurora, status="open")
    cid = chosen["id"]
    start = await seq_now(shared_server.ws_url, aurora)
    ws = await connect(shared_server.ws_url, aurora.token, since=start)
    try:
        assert (await post(aurora, "POST", f"/api/conversations/{cid}/archive")).is_success
        updated = await next_event(ws)
        assert updated.type is EventType.CONVERSATION_UPDATED
        assert updated.seq == start + 1
        assert updated.clinic_id == aurora.clinic_id and updated.conversation_id == cid
        assert ConversationSummary.model_validate(updated.data).status == "archived"
        assert updated.invalidate == [list_key(aurora.clinic_id), detail_key(cid)]

        await post(aurora, "POST", f"/api/conversations/{cid}/notes", {"body": "nota"})
        note = await next_event(ws)
        assert (note.type, note.seq) == (EventType.NOTE_CREATED, start + 2)
        assert Note.model_validate(note.data).body == "nota"
        assert note.invalidate == [detail_key(cid)]  # a note leaves the list as it was

        await post(aurora, "POST", f"/api/conversations/{cid}/messages", {"body": "oi"})
        message = await next_event(ws)
        assert (message.type, message.seq) == (EventType.MESSAGE_CREATED, start + 3)
        assert Message.model_validate(message.data).direction == "outbound"
        assert message.invalidate == [list_key(aurora.clinic_id), detail_key(cid)]
    finally:
        await ws.close()


async def test_replay_after_hello_since(
    shared_server: ServerProcess, aurora: ApiUser, picker: ConversationPicker
) -> None:
    cid = picker.take(aurora)["id"]
    start = await seq_now(shared_server.ws_url, aurora)
    for text in ("um", "dois", "três"):
        await post(aurora, "POST", f"/api/conversations/{cid}/notes", {"body": text})
    ws = await connect(shared_server.ws_url, aurora.token, since=start + 1)
    try:
        replayed = [await next_frame(ws), await next_frame(ws)]
        assert [e.seq for e in replayed] == [start + 2, start + 3]
        assert [e.data["body"] for e in replayed] == ["dois", "três"]
        # the marker that ends the replay: the client is caught up from here (issue 18)
        ready = await next_frame(ws)
        assert (ready.type, ready.seq) == (EventType.READY, start + 3)
        # and live events keep coming after the replay, without a gap or a repeat
        await post(aurora, "POST", f"/api/conversations/{cid}/notes", {"body": "quatro"})
        live = await next_event(ws)
        assert (live.seq, live.data["body"]) == (start + 4, "quatro")
    finally:
        await ws.close()


async def test_future_since_gets_resync_at_the_current_seq(
    shared_server: ServerProcess, aurora: ApiUser
) -> None:
    ws = await connect(shared_server.ws_url, aurora.token, since=10**9)
    try:
        event = await next_event(ws)
        assert event.type is EventType.RESYNC
        assert event.clinic_id == aurora.clinic_id
        assert event.seq < 10**9
    finally:
        await ws.close()


async def test_gap_beyond_the_log_gets_resync(server_factory) -> None:
    server = server_factory(env={"INBOX_EVENT_LOG_SIZE": "3"})
    user = sign_in(server, "ana@aurora.example")
    cid = user.conversations()[0]["id"]
    for n in range(5):
        await post(user, "POST", f"/api/conversations/{cid}/notes", {"body": f"n{n}"})
    ws = await connect(server.ws_url, user.token, since=1)  # seq 2 is gone from the log
    try:
        event = await next_frame(ws)
        assert (event.type, event.seq) == (EventType.RESYNC, 5)
        assert (await next_frame(ws)).type is EventType.READY  # a resync ends the replay too
        await post(user, "POST", f"/api/conversations/{cid}/notes", {"body": "depois"})
        assert (await next_event(ws)).seq == 6
    finally:
        await ws.close()
    ws = await connect(server.ws_url, user.token, since=3)  # 4..6 still in the log
    try:
        assert [(await next_event(ws)).seq for _ in range(3)] == [4, 5, 6]
    finally:
        await ws.close()
    user.close()


async def test_other_clinics_events_never_arrive(
    shared_server: ServerProcess, aurora: ApiUser, boa_vista: ApiUser,
    picker: ConversationPicker,
) -> None:
    bruno_seq = await seq_now(shared_server.ws_url, boa_vista)
    ws = await connect(shared_server.ws_url, boa_vista.token, since=bruno_seq)
    try:
        await post(aurora, "POST", f"/api/conversations/{picker.take(aurora)['id']}/notes",
                   {"body": "só para a Aurora"})
        own = boa_vista.conversations()[0]["id"]
        await post(boa_vista, "POST", f"/api/conversations/{own}/notes", {"body": "da Boa Vista"})
        event = await next_event(ws)  # the first thing Bruno hears is his own clinic's note
        assert event.clinic_id == boa_vista.clinic_id
        assert event.data["body"] == "da Boa Vista"
        assert event.seq == bruno_seq + 1
    finally:
        await ws.close()


@pytest.mark.parametrize("token", [None, "not-a-token"])
async def test_bad_token_closes_4401(shared_server: ServerProcess, token: str | None) -> None:
    ws = await connect(shared_server.ws_url, token, since=None)
    code, reason = await closed_with(ws)
    assert code == CLOSE_UNAUTHORIZED
    assert "token" in reason


async def test_token_in_query_parameter(shared_server: ServerProcess, aurora: ApiUser) -> None:
    ws = await connect(f"{shared_server.ws_url}?token={aurora.token}", None, since=10**9)
    try:
        assert (await next_event(ws)).type is EventType.RESYNC
    finally:
        await ws.close()


@pytest.mark.parametrize("frame", ["not json", b"\x00\x01binary", '{"type": "subscribe"}',
                                   '{"type": "hello", "since": -1}', "[1, 2]"])
async def test_protocol_breaking_first_frame_closes_4400(
    shared_server: ServerProcess, aurora: ApiUser, frame: str | bytes
) -> None:
    ws = await connect(shared_server.ws_url, aurora.token, since=None)
    await ws.send(frame)
    code, reason = await closed_with(ws)
    assert code == CLOSE_PROTOCOL
    assert reason


async def test_stray_frame_after_hello_closes_4400_and_loses_nothing(
    shared_server: ServerProcess, aurora: ApiUser, picker: ConversationPicker
) -> None:
    cid = picker.take(aurora)["id"]
    start = await seq_now(shared_server.ws_url, aurora)
    ws = await connect(shared_server.ws_url, aurora.token, since=start)
    await ws.send("{oops")
    code, reason = await closed_with(ws)
    assert (code, reason) == (CLOSE_PROTOCOL, "frame is not JSON")
    await post(aurora, "POST", f"/api/conversations/{cid}/notes", {"body": "não se perde"})
    ws = await connect(shared_server.ws_url, aurora.token, since=start)  # reconnect: replay
    try:
        assert (await next_event(ws)).data["body"] == "não se perde"
    finally:
        await ws.close()


async def test_logout_closes_the_tokens_sockets(shared_server: ServerProcess) -> None:
    user = sign_in(shared_server, "carla@aurora.example")
    ws = await connect(shared_server.ws_url, user.token, since=10**9)
    assert (await next_event(ws)).type is EventType.RESYNC
    assert (await post(user, "POST", "/api/auth/logout")).status_code == 204
    assert (await closed_with(ws))[0] == CLOSE_UNAUTHORIZED
    user.close()


async def test_concurrent_writes_get_gapless_ordered_seqs(
    shared_server: ServerProcess, aurora: ApiUser, picker: ConversationPicker
) -> None:
    ids = [picker.take(aurora)["id"] for _ in range(4)]
    start = await seq_now(shared_server.ws_url, aurora)
    ws = await connect(shared_server.ws_url, aurora.token, since=start)
    try:
        await asyncio.gather(*(
            post(aurora, "POST", f"/api/conversations/{cid}/notes", {"body": f"c{n}"})
            for n in range(5) for cid in ids
        ))
        seqs = [(await next_event(ws)).seq for _ in range(20)]
        assert seqs == list(range(start + 1, start + 21))
    finally:
        await ws.close()


async def test_two_processes_on_one_postgres_share_one_gapless_seq(
    server_factory, postgres_demo_url: str
) -> None:
    """seq comes from the database row lock, so two server processes never hand out the
    same number or skip one; the hub of A fills B's events from the log (no Redis here)."""
    a = server_factory(database_url=postgres_demo_url)
    b = server_factory(database_url=postgres_demo_url)
    on_a, on_b = sign_in(a, "ana@aurora.example"), sign_in(b, "carla@aurora.example")
    ids = [c["id"] for c in on_a.conversations()[:4]]
    start = await seq_now(a.ws_url, on_a)
    ws = await connect(a.ws_url, on_a.token, since=start)
    try:
        await asyncio.gather(*(
            post(user, "POST", f"/api/conversations/{cid}/notes", {"body": f"{n}"})
            for n in range(5) for cid in ids for user in (on_a, on_b)
        ))
        await post(on_a, "POST", f"/api/conversations/{ids[0]}/notes", {"body": "última"})
        events = [await next_event(ws) for _ in range(41)]
        assert [e.seq for e in events] == list(range(start + 1, start + 42))
        assert events[-1].data["body"] == "última"
        authors = {e.data["author_id"] for e in events}
        assert authors == {on_a.user_id, on_b.user_id}
    finally:
        await ws.close()
        on_a.close()
        on_b.close()


async def test_second_hello_replays_from_its_seq(
    shared_server: ServerProcess, aurora: ApiUser, picker: ConversationPicker
) -> None:
    import json

    cid = picker.take(aurora)["id"]
    start = await seq_now(shared_server.ws_url, aurora)
    ws = await connect(shared_server.ws_url, aurora.token, since=start)
    try:
        await post(aurora, "POST", f"/api/conversations/{cid}/notes", {"body": "primeira"})
        assert (await next_event(ws)).seq == start + 1
        await ws.send(json.dumps({"type": "hello", "since": start}))  # e.g. a client reset
        again = await next_event(ws)
        assert (again.seq, again.data["body"]) == (start + 1, "primeira")
    finally:
        await ws.close()
