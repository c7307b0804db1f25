"""Tests for inbox_app/client/session/sign_in.py and inbox.py: resume, logout, expired sessions,
off-contract answers, stray frames and dead sockets (real server on loopback)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from inbox_app.client import InboxClient, InvalidAnswerError, RejectedError
from inbox_app.client.alerts import NotificationPrivacy
from inbox_app.client.files.folders import Folders
from inbox_app.client.net.live import LiveListener
from inbox_app.client.preferences import Preferences
from inbox_app.client.security.crypto import SealedCodec, new_key
from inbox_app.contract.events import LiveEvent
from inbox_app.contract.policy import parse_policy_document
from tests.client.conftest import ClientFactory, wait_state
from tests.client.faultproxy import FaultProxy
from tests.client.session.plain_store import PlainSessionStore
from tests.support import ServerProcess


async def test_wrong_password_is_a_clear_rejection(server: ServerProcess,
                                                   tmp_path: Path) -> None:
    with pytest.raises(RejectedError) as info:
        await InboxClient.login(server.url, "ana@aurora.example", "errada",
                                data_dir=tmp_path / "d", cache_dir=tmp_path / "c")
    assert info.value.message


async def test_resume_and_logout(server: ServerProcess, make_client: ClientFactory,
                                 tmp_path: Path) -> None:
    client, _ = await make_client(server.url)
    first = (await client.conversations()).value[0]
    # the server's cache policy is mirrored and kept for offline starts
    assert parse_policy_document(await client.cache.get_meta("cache-policy")) == \
        client.cache.policy
    await client.close()
    dirs = {"data_dir": tmp_path / "client" / "data", "cache_dir": tmp_path / "client" / "cache"}
    again = await InboxClient.resume(server.url, **dirs)
    assert again is not None and again.session.user.email == "ana@aurora.example"
    await again.start()
    assert (await again.conversation(first.id)).value.summary.id == first.id
    cache_folder = again.cache.folder
    assert cache_folder.exists()
    await again.logout()
    assert not cache_folder.exists()
    assert await InboxClient.resume(server.url, **dirs) is None


async def test_session_ended_elsewhere_asks_for_login(
        server: ServerProcess, make_client: ClientFactory) -> None:
    client, recorder = await make_client(server.url)
    await wait_state(recorder, "online")
    async with httpx.AsyncClient(base_url=server.url) as other:
        answer = await other.post("/api/auth/logout",
                                  headers={"Authorization": f"Bearer {client.api.token}"})
        assert answer.status_code == 204
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "unauthorized")
    assert client.needs_login
    with pytest.raises(RejectedError):
        await client.reauthenticate("errada")
    mark = recorder.mark()
    await client.reauthenticate("demo1234")
    assert not client.needs_login
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
    first = (await client.conversations()).value[0]
    mutation_id = client.mark_unread(first.id)
    await recorder.wait(lambda c: c.mutation_id == mutation_id and c.cause == "confirmed")


async def test_unlock_after_the_session_ended_elsewhere_resumes_sending(
        server: ServerProcess, make_client: ClientFactory) -> None:
    client, recorder = await make_client(server.url)
    await wait_state(recorder, "online")
    first = (await client.conversations()).value[0]
    async with httpx.AsyncClient(base_url=server.url) as other:
        await other.post("/api/auth/logout",
                         headers={"Authorization": f"Bearer {client.api.token}"})
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "unauthorized")
    client.lock()
    mutation_id = client.mark_unread(first.id)  # refused with the ended session: it waits
    assert client.needs_login
    await client.unlock("demo1234")  # the idle lock's password also renews the session
    assert not client.locked and not client.needs_login
    await recorder.wait(lambda c: c.mutation_id == mutation_id and c.cause == "confirmed")


async def test_off_contract_answer_is_a_clear_error_and_nothing_breaks(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, _ = await make_client(proxy.url)
    first = (await client.conversations()).value[0].summary
    proxy.inject("GET", f"/api/patients/{first.patient_id}", 200, body=b'{"id": "x"}')
    with pytest.raises(InvalidAnswerError, match="contract"):
        await client.patient(first.patient_id)
    assert (await client.patient(first.patient_id)).value.id == first.patient_id


def test_stray_frames_are_skipped() -> None:
    for frame in ("not json", "[]", '{"seq": -1, "type": "x"}', b"\xff\xfe"):
        assert LiveListener._parse(frame) is None
    event = LiveListener._parse('{"seq": 3, "type": "resync", "clinic_id": 1}')
    assert event is not None and event.seq == 3


def test_events_of_another_clinic_or_already_seen_do_not_move_the_sequence() -> None:
    async def ignore(_: object) -> None:
        return None

    listener = LiveListener("http://127.0.0.1:1", lambda: None, on_event=ignore,
                            on_state=lambda _: None, clinic_id=1, since=5)

    def event(seq: int, clinic_id: int = 1, type_: str = "conversation.updated") -> LiveEvent:
        return LiveEvent(seq=seq, type=type_, clinic_id=clinic_id)  # type: ignore[arg-type]

    assert not listener._accept(event(10**9, clinic_id=2)) and listener.last_seq == 5
    assert not listener._accept(event(5)) and listener.last_seq == 5  # replayed
    assert listener._accept(event(6)) and listener.last_seq == 6
    assert listener._accept(event(2, type_="resync")) and listener.last_seq == 2


async def test_pings_notice_a_dead_connection(proxy: FaultProxy,
                                              make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url, ping_interval=0.3, ping_timeout=0.3)
    await wait_state(recorder, "online")
    mark = recorder.mark()
    proxy.mode = "hold"  # the socket stays open but nothing comes back, pongs included
    await recorder.wait(lambda c: c.cause == "connection" and c.reason != "online",
                        within=10, after=mark)
    proxy.mode = "pass"
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online",
                        within=10, after=mark)
    assert client.live.connects >= 2


async def test_codec_and_session_store_plug_in(server: ServerProcess, tmp_path: Path) -> None:
    key = new_key()
    stores: list[PlainSessionStore] = []

    def store_factory(url: str, folders: Folders) -> PlainSessionStore:
        store = PlainSessionStore(folders, folders.server_data / "other-session.json")
        stores.append(store)
        return store

    options = {
        "data_dir": tmp_path / "d", "cache_dir": tmp_path / "c",
        "codec_factory": lambda s, f: SealedCodec(key, context="cache"),
        "outbox_codec_factory": lambda s, f: SealedCodec(key, context="outbox"),
        "session_store_factory": store_factory,
    }
    client = await InboxClient.login(server.url, "ana@aurora.example", "demo1234", **options)
    first = (await client.conversations()).value[0].summary
    name = (await client.patient(first.patient_id)).value.name
    await client.close()
    assert stores[0].path.exists() and not (stores[0].path.parent / "session.json").exists()
    stored = b"".join(p.read_bytes() for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert name.encode() not in stored
    again = await InboxClient.resume(server.url, **options)
    assert again is not None
    try:
        assert (await again.patient(first.patient_id)).value.name == name
    finally:
        await again.close()


async def test_preferences_are_the_users_apply_at_once_and_go_with_sign_out(
        server: ServerProcess, make_client: ClientFactory, tmp_path: Path) -> None:
    client, _ = await make_client(server.url, start=False)
    assert client.preferences == Preferences()
    assert client.cache.max_stale == Preferences().max_stale_seconds
    chosen = Preferences(max_stale_days=2, lock_minutes=3,
                         notification_privacy=NotificationPrivacy.NOTHING)
    client.set_preferences(chosen)
    assert client.cache.max_stale == 2 * 24 * 3600  # applied without a restart
    await client.close()
    dirs = {"data_dir": tmp_path / "client" / "data", "cache_dir": tmp_path / "client" / "cache"}
    again = await InboxClient.resume(server.url, **dirs)
    assert again is not None and again.preferences == chosen
    assert again.cache.max_stale == 2 * 24 * 3600
    # another user of the same computer has their own
    other, _ = await make_client(server.url, "carla@aurora.example", start=False)
    assert other.preferences == Preferences()
    await again.logout()  # signing out leaves no file of the user: their settings neither
    assert not again.folders.preferences_file(again.session.user.id).exists()
