"""The client core's cache and outbox with the sealed codecs and the keystore plugged in.

Uses LocalCache and Outbox as they are (their ``codec=`` parameter), to show the wiring issue 7
needs: 100 canaries through cache and outbox leave no plaintext in the cache, data or key
folders; tampered and planted entries are dropped; another user's key reads nothing; the
client's logout leaves no file of that user.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from diskcache.core import MODE_PICKLE

from inbox_app.client import InboxClient
from inbox_app.client.actions.outbox import Outbox
from inbox_app.client.actions.record import ActionKind, Mutation
from inbox_app.client.files.folders import Folders
from inbox_app.client.net.api import Api
from inbox_app.client.reads.cache import LocalCache
from inbox_app.client.security.keystore import keystore_for
from inbox_app.client.session.remembered import sealed_session_store
from inbox_app.contract import policy
from inbox_app.contract.models import Clinic, User, UserSession
from tests.client.security.test_crypto_diskcache import canaries

SERVER = "http://127.0.0.1:9"  # nothing listens there: the client's logout runs offline


pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def folders(tmp_path: Path) -> Folders:
    return Folders.for_server(SERVER, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")


@pytest.fixture
def dirs(folders: Folders) -> dict[str, Path]:
    """User 12's folders, where the client keeps them."""
    return {"cache": folders.user_cache(12), "data": folders.user_data(12),
            "keys": folders.key_dir}


def same(value: object) -> object:
    return value


def all_bytes(root: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in root.rglob("*") if p.is_file()]


async def fill(dirs: dict[str, Path], words: list[str]) -> None:
    store = keystore_for(SERVER, 12, key_dir=dirs["keys"])
    cache = LocalCache(dirs["cache"], codec=store.codec("cache"))
    rows = [{"id": i, "patient_name": w, "last_message_preview": w} for i, w in enumerate(words)]
    await cache.put(policy.list_key(1), rows, rows)
    for i, word in enumerate(words):
        await cache.put(policy.patient_key(i), {"name": word}, {"name": word})
    await cache.invalidate([policy.patient_key(0)])
    await cache.close()
    outbox = Outbox(dirs["data"] / "outbox", codec=store.codec("outbox"))
    for i, word in enumerate(words[:20]):
        outbox.put(Mutation(kind=ActionKind.REPLY, conversation_id=i + 1, args={"body": word}))


async def test_canaries_leave_no_plaintext_and_read_back(
    dirs: dict[str, Path], tmp_path: Path
) -> None:
    words = canaries()
    await fill(dirs, words)
    files = all_bytes(tmp_path)
    assert any(p.name.endswith(".action") for p, _ in files)
    assert any(p.name in {"cache.db", "cache.db-wal"} for p, _ in files)
    assert [w for w in words if any(w.encode() in data for _, data in files)] == []

    store = keystore_for(SERVER, 12, key_dir=dirs["keys"])
    cache = LocalCache(dirs["cache"], codec=store.codec("cache"))
    entry = await cache.get(policy.patient_key(5), same)
    assert entry is not None and entry.value == {"name": words[5]}
    await cache.close()
    loaded = Outbox(dirs["data"] / "outbox", codec=store.codec("outbox")).load()
    assert sorted(m.args["body"] for m in loaded) == sorted(words[:20])


async def test_tampered_and_planted_entries_are_dropped(
    dirs: dict[str, Path], tmp_path: Path
) -> None:
    await fill(dirs, canaries(10))
    db = sqlite3.connect(dirs["cache"] / "cache.db", isolation_level=None)
    try:
        key = policy.patient_key(3)
        (value,) = db.execute("SELECT value FROM Cache WHERE key = ?", (key,)).fetchone()
        flipped = bytearray(value)
        flipped[20] ^= 0x01
        db.execute("UPDATE Cache SET value = ? WHERE key = ?", (bytes(flipped), key))
        marker = tmp_path / "pwned"

        class Boom:
            def __reduce__(self):  # type: ignore[no-untyped-def]
                return (os.mkdir, (str(marker),))

        db.execute("UPDATE Cache SET mode = ?, value = ? WHERE key = ?",
                   (MODE_PICKLE, pickle.dumps(Boom()), policy.patient_key(4)))
    finally:
        db.close()
    store = keystore_for(SERVER, 12, key_dir=dirs["keys"])
    cache = LocalCache(dirs["cache"], codec=store.codec("cache"))
    try:
        assert await cache.get(policy.patient_key(3), same) is None
        assert await cache.get(policy.patient_key(4), same) is None
        assert (await cache.get(policy.patient_key(5), same)) is not None
    finally:
        await cache.close()
    assert not marker.exists()


async def test_another_user_reads_nothing(dirs: dict[str, Path]) -> None:
    await fill(dirs, canaries(10))
    carla = keystore_for(SERVER, 13, key_dir=dirs["keys"])
    cache = LocalCache(dirs["cache"], codec=carla.codec("cache"))
    try:
        assert await cache.get(policy.patient_key(1), same) is None
        assert await cache.get(policy.list_key(1), same) is None
    finally:
        await cache.close()
    outbox = Outbox(dirs["data"] / "outbox", codec=carla.codec("outbox"))
    assert outbox.load() == []  # moved to corrupt/, never deleted, still sealed


async def test_entry_copied_under_another_key_is_rejected(dirs: dict[str, Path]) -> None:
    await fill(dirs, canaries(10))
    db = sqlite3.connect(dirs["cache"] / "cache.db", isolation_level=None)
    try:
        (value,) = db.execute("SELECT value FROM Cache WHERE key = ?",
                              (policy.patient_key(1),)).fetchone()
        db.execute("UPDATE Cache SET value = ? WHERE key = ?", (value, policy.patient_key(2)))
    finally:
        db.close()
    store = keystore_for(SERVER, 12, key_dir=dirs["keys"])
    cache = LocalCache(dirs["cache"], codec=store.codec("cache"))
    try:
        assert await cache.get(policy.patient_key(2), same) is None
    finally:
        await cache.close()


async def test_logout_leaves_no_file_of_the_user(
    dirs: dict[str, Path], folders: Folders, tmp_path: Path
) -> None:
    await fill(dirs, canaries(10))
    bruno = keystore_for(SERVER, 20, key_dir=dirs["keys"])
    bruno.key()
    session = UserSession(
        user=User(id=12, clinic_id=1, name="Ana", email="ana@x", role="receptionist"),
        clinic=Clinic(id=1, name="Aurora"), expires_at=datetime.now(UTC) + timedelta(hours=1))
    sealed_session_store(SERVER, folders).save("tok", session.model_dump(mode="json"))
    client = InboxClient(Api(SERVER, token="tok"), session, folders)
    assert client.unsent_count() == 10 and folders.session_file.exists()
    await client.logout(discard_pending=True)  # the server cannot be reached: ends offline
    left = [p for p, _ in all_bytes(tmp_path)]
    assert left == [bruno.key_file]
    assert sealed_session_store(SERVER, folders).load() is None
