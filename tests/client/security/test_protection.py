"""Issue 7 through the real InboxClient and a real server: the defaults are the sealed ones.

Logout leaves no file of the user (outbox sent first, or refused and nothing deleted), a second
user cannot read the first's cache, files are private, the app works without an OS keyring
(the file key), and the idle lock clears memory and unlocks with the password only — online
(server) and offline (the sealed verifier).
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import stat
from pathlib import Path

import pytest

from inbox_app.client import (
    InboxClient,
    PendingActionsError,
    RejectedError,
    TooManyAttemptsError,
)
from inbox_app.client.files.folders import Folders
from inbox_app.client.security.crypto import SealedCodec, TamperedError
from inbox_app.client.session.unlock import FREE_ATTEMPTS
from inbox_app.contract.policy import patient_key
from tests.client.conftest import ClientFactory, wait_state
from tests.client.faultproxy import FaultProxy
from tests.support import ServerProcess

pytestmark = pytest.mark.usefixtures("no_keyring")


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def user_files(client: InboxClient) -> list[Path]:
    """Every file that belongs to the client's user: cache, data, key and session files."""
    folders = client.folders
    user_id = client.session.user.id
    found = files_under(folders.user_cache(user_id), folders.user_data(user_id))
    found += [p for p in (client.keystore.key_file, folders.session_file) if p.exists()]
    return found


async def test_works_without_keyring_with_a_private_key_file(
        server: ServerProcess, make_client: ClientFactory) -> None:
    client, _ = await make_client(server.url)
    first = (await client.conversations()).value[0].summary
    await client.patient(first.patient_id)
    assert client.keystore.uses_fallback
    assert "no OS keyring" in client.keystore.backend_description
    key_file = client.keystore.key_file
    assert key_file.exists() and key_file.parent == client.folders.key_dir
    assert isinstance(client.cache.codec, SealedCodec)
    assert isinstance(client.outbox.codec, SealedCodec)
    # every file and folder the client made is closed to group and others
    made = [client.folders.data_root, client.folders.cache_root]
    for root in made:
        for path in [*root.rglob("*")]:
            assert stat.S_IMODE(os.lstat(path).st_mode) & 0o077 == 0, path
    # the remembered session holds no token in clear
    assert client.api.token is not None
    assert client.api.token.encode() not in client.folders.session_file.read_bytes()


async def test_logout_sends_the_outbox_then_leaves_no_file_of_the_user(
        server: ServerProcess, make_client: ClientFactory) -> None:
    client, recorder = await make_client(server.url)
    await wait_state(recorder, "online")
    first = (await client.conversations()).value[0].summary
    await client.conversation(first.id)
    client.add_note(first.id, "nota antes de sair")
    stray = client.cache.folder / "ab" / "cd" / "stray.val"  # a value file left by a crash
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"stray")
    assert client.keystore.key_file.exists() and user_files(client)
    await client.logout()
    assert user_files(client) == []
    assert not client.folders.user_cache(client.session.user.id).exists()
    assert not client.folders.user_data(client.session.user.id).exists()
    assert not client.keystore.has_key()
    # the note went out before the files were deleted
    again, _ = await make_client(server.url, folder="again")
    notes = (await again.conversation(first.id)).value.notes
    assert any(n.body == "nota antes de sair" for n in notes)


async def test_logout_with_unsent_actions_refuses_then_discards_on_request(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    first = (await client.conversations()).value[0].summary
    await proxy.stop_listening()
    await proxy.drop_connections()
    client.reply(first.id, "resposta sem rede")
    with pytest.raises(PendingActionsError) as info:
        await client.logout(send_within=0.5)
    assert info.value.count == 1
    assert list(client.outbox.folder.glob("*.action"))  # nothing deleted: the user decides
    assert client.keystore.has_key()
    await client.logout(discard_pending=True)
    assert user_files(client) == []


async def test_a_second_user_cannot_read_the_first_users_cache(
        server: ServerProcess, make_client: ClientFactory, tmp_path: Path) -> None:
    ana, _ = await make_client(server.url)
    first = (await ana.conversations()).value[0].summary
    name = (await ana.patient(first.patient_id)).value.name
    await ana.close()
    carla, _ = await make_client(server.url, email="carla@aurora.example")
    await carla.conversations()
    # same PC, same app folders, separate folders and keys
    ana_folder = ana.folders.user_cache(ana.session.user.id)
    assert carla.cache.folder != ana_folder
    assert carla.keystore.key() != ana.keystore.key()
    db = sqlite3.connect(ana_folder / "cache.db")
    try:
        rows = db.execute("SELECT key, value FROM Cache WHERE value IS NOT NULL").fetchall()
    finally:
        db.close()
    assert rows
    codec = carla.keystore.codec("cache")
    for key, value in rows:
        assert name.encode() not in bytes(value)
        with pytest.raises(TamperedError):
            codec.decode(bytes(value), associated=key)


async def test_idle_lock_clears_memory_and_unlocks_with_the_password_only(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    first = (await client.conversations()).value[0].summary
    await client.patient(first.patient_id)
    assert client.cache.peek(patient_key(first.patient_id)) is not None
    client.lock()
    assert client.locked and client.cache.held() == []
    assert client.conversation_view(first.id) is None
    await client.conversations()  # a background read while locked keeps nothing decoded
    assert client.cache.held() == []
    with pytest.raises(RejectedError):
        await client.unlock("errada")
    assert client.locked
    await client.unlock("demo1234")  # the server checks it
    assert not client.locked
    # offline: the verifier sealed at login checks it
    client.lock()
    await proxy.stop_listening()
    await proxy.drop_connections()
    with pytest.raises(RejectedError):
        await client.unlock("errada")
    assert client.locked
    await client.unlock("demo1234")
    assert not client.locked
    await client.conversations()
    assert client.cache.held()


async def test_resume_uses_the_sealed_session(
        server: ServerProcess, make_client: ClientFactory, tmp_path: Path) -> None:
    client, _ = await make_client(server.url)
    token = client.api.token
    await client.close()
    dirs = {"data_dir": tmp_path / "client" / "data", "cache_dir": tmp_path / "client" / "cache"}
    assert token is not None
    stored = b"".join(p.read_bytes() for p in files_under(tmp_path / "client"))
    assert token.encode() not in stored
    again = await InboxClient.resume(server.url, **dirs)
    assert again is not None
    try:
        assert again.api.token == token
    finally:
        await again.close()
    # a damaged session file means "log in again", never a crash
    Folders.for_server(server.url, **dirs).session_file.write_bytes(b"\x80pickle")
    assert await InboxClient.resume(server.url, **dirs) is None


class Boom:
    """A planted pickle that would create ``marker`` if anything ever unpickled it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (str(self.marker),))


async def test_flipped_byte_and_planted_pickle_are_dropped_never_shown(
        server: ServerProcess, make_client: ClientFactory, tmp_path: Path) -> None:
    from diskcache.core import MODE_PICKLE

    from inbox_app.client import NotAvailableOffline
    from inbox_app.contract.policy import detail_key, patient_key

    client, _ = await make_client(server.url, start=False)
    first = (await client.conversations()).value[0].summary
    await client.conversation(first.id)
    await client.patient(first.patient_id)
    folder = client.cache.folder
    await client.close()
    marker = tmp_path / "pwned"
    db = sqlite3.connect(folder / "cache.db", isolation_level=None)
    try:
        key = patient_key(first.patient_id)
        (value,) = db.execute("SELECT value FROM Cache WHERE key = ?", (key,)).fetchone()
        flipped = bytearray(value)
        flipped[-5] ^= 0x01
        db.execute("UPDATE Cache SET value = ? WHERE key = ?", (bytes(flipped), key))
        db.execute("UPDATE Cache SET mode = ?, value = ? WHERE key = ?",
                   (MODE_PICKLE, pickle.dumps(Boom(marker)), detail_key(first.id)))
    finally:
        db.close()
    server.stop()  # offline: a dropped entry cannot be quietly refetched
    dirs = {"data_dir": tmp_path / "client" / "data", "cache_dir": tmp_path / "client" / "cache"}
    again = await InboxClient.resume(server.url, **dirs)
    assert again is not None
    try:
        assert (await again.conversations()).value  # the intact entry still reads
        with pytest.raises(NotAvailableOffline):
            await again.patient(first.patient_id)
        with pytest.raises(NotAvailableOffline):
            await again.conversation(first.id)
    finally:
        await again.close()
    assert not marker.exists()
    db = sqlite3.connect(folder / "cache.db")
    try:
        keys = {k for (k,) in db.execute("SELECT key FROM Cache")}
    finally:
        db.close()
    assert patient_key(first.patient_id) not in keys and detail_key(first.id) not in keys


async def test_offline_unlock_meets_the_attempt_limit(
        proxy: FaultProxy, make_client: ClientFactory) -> None:
    """Issue 16: guessing at the lock screen while offline meets growing delays."""
    client, recorder = await make_client(proxy.url)
    await wait_state(recorder, "online")
    client.lock()
    await proxy.stop_listening()
    await proxy.drop_connections()
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(RejectedError) as wrong:
            await client.unlock("errada")
        assert not isinstance(wrong.value, TooManyAttemptsError)
    with pytest.raises(TooManyAttemptsError) as refused:
        await client.unlock("demo1234")  # inside the delay: refused unchecked
    assert refused.value.retry_after is not None and refused.value.retry_after > 0
    assert client.locked
