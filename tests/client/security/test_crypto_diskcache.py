"""Sealed values in a real diskcache.Cache (inbox_app/client/security/safe_disk.py + crypto.py).

No plaintext anywhere in the cache folder (SQLite db, WAL, value files); a flipped byte is
rejected, and the client's cache (LocalCache) drops the entry; a planted pickle is rejected and
never executed. The JSONDisk test shows that diskcache's own JSON disk does run a planted
pickle, i.e. why SafeDisk exists.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import diskcache
import orjson
import pytest
from diskcache.core import MODE_BINARY, MODE_PICKLE, MODE_TEXT
from faker import Faker

from inbox_app.client.files.private import create_private_file, private_dir
from inbox_app.client.reads.cache import DISK_MIN_FILE_SIZE, LocalCache
from inbox_app.client.security.crypto import SealedCodec, TamperedError, new_key
from inbox_app.client.security.safe_disk import SafeDisk
from inbox_app.contract import policy


def get_sealed(cache: diskcache.Cache, key: str, codec: SealedCodec) -> Any:
    """Reads and unseals ``key`` (raises TamperedError for what is not a sealed entry)."""
    return codec.decode(cache.get(key), associated=key)


def same(value: Any) -> Any:
    return value


async def put_as_client(folder: Path, codec: SealedCodec, values: dict[str, Any]) -> None:
    """Stores ``values`` through the client's cache (sealed, each bound to its key)."""
    cache = LocalCache(folder, codec=codec)
    try:
        for key, value in values.items():
            await cache.put(key, value, value)
    finally:
        await cache.close()


async def read_as_client(folder: Path, codec: SealedCodec, key: str) -> Any:
    """Reads ``key`` through a fresh client cache (nothing in memory): the value, or None for
    a miss — a rejected entry is a miss, and LocalCache drops it from the disk."""
    cache = LocalCache(folder, codec=codec)
    try:
        entry = await cache.get(key, same)
        return None if entry is None else entry.value
    finally:
        await cache.close()


def stored(folder: Path, key: str) -> bool:
    """Whether the cache's table still holds a row for ``key``."""
    with _rows(folder) as db:
        return db.execute("SELECT 1 FROM Cache WHERE key = ?", (key,)).fetchone() is not None


def set_sealed(cache: diskcache.Cache, key: str, codec: SealedCodec, value: Any) -> None:
    """Seals ``value`` bound to ``key`` and stores it."""
    cache.set(key, codec.encode(value, associated=key))


INLINE_LIMIT = 64 * 1024  # values below stay in SQLite; the big list goes to a value file


def canaries(count: int = 100) -> list[str]:
    """Patient-like strings: names, phones, notes, each made unique by a serial."""
    fake = Faker("pt_BR")
    Faker.seed(7)
    made = []
    for i in range(count):
        kind = i % 3
        if kind == 0:
            made.append(f"{fake.name()} Canário{i:03d}")
        elif kind == 1:
            made.append(f"+55 11 9{i:04d}-{fake.random_number(digits=4, fix_len=True)}")
        else:
            made.append(f"nota {i:03d}: {fake.sentence(nb_words=8)}")
    return made


def open_cache(folder: Path) -> diskcache.Cache:
    private_dir(folder)
    # SQLite gives -wal/-shm the database file's mode: create it 0600 first.
    create_private_file(folder / "cache.db")
    return diskcache.Cache(str(folder), disk=SafeDisk, disk_min_file_size=INLINE_LIMIT)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def cache(folder: Path) -> Iterator[diskcache.Cache]:
    c = open_cache(folder)
    yield c
    c.close()


@pytest.fixture
def codec() -> SealedCodec:
    return SealedCodec(new_key(), context=b"cache")


def fill(cache: diskcache.Cache, codec: SealedCodec, words: list[str]) -> None:
    """Details and patients with one canary each, plus one big list holding them all."""
    for i, word in enumerate(words):
        set_sealed(cache, policy.detail_key(i), codec, {"id": i, "messages": [{"body": word}]})
        set_sealed(cache, policy.patient_key(i), codec, {"id": i, "name": word, "phone": word})
    big = [{"id": i, "patient": w, "preview": w * 20} for i, w in enumerate(words)]
    set_sealed(cache, policy.list_key(1), codec, big)


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def found_in(folder: Path, words: list[str]) -> set[str]:
    blobs = [p.read_bytes() for p in files_under(folder)]
    return {w for w in words if any(w.encode() in b for b in blobs)}


def test_no_canary_in_any_file_of_the_folder(
    cache: diskcache.Cache, codec: SealedCodec, folder: Path
) -> None:
    words = canaries()
    fill(cache, codec, words)
    names = {p.name for p in files_under(folder)}
    # The search covers what it must: the db, its WAL, and a large value file.
    assert "cache.db-wal" in names, names
    assert any(n.endswith(".val") for n in names), names
    assert found_in(folder, words) == set()
    for i, word in enumerate(words):
        assert get_sealed(cache, policy.patient_key(i), codec)["name"] == word
    big = get_sealed(cache, policy.list_key(1), codec)
    assert [row["patient"] for row in big] == words


def test_plain_json_would_leak_the_canaries(tmp_path: Path) -> None:
    # The byte search can fail: the same data as plain JSON bytes is found at once.
    words = canaries(10)
    with diskcache.Cache(str(tmp_path), disk=SafeDisk, disk_min_file_size=INLINE_LIMIT) as plain:
        for i, w in enumerate(words):
            plain.set(policy.patient_key(i), orjson.dumps({"name": w}))
        assert found_in(tmp_path, words) == set(words)


def test_files_and_folders_are_private(
    cache: diskcache.Cache, codec: SealedCodec, folder: Path
) -> None:
    fill(cache, codec, canaries(9))
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


@contextlib.contextmanager
def _opened(folder: Path) -> Iterator[diskcache.Cache]:
    with diskcache.Cache(str(folder), disk=SafeDisk) as cache:
        yield cache


@contextlib.contextmanager
def _rows(folder: Path) -> Iterator[sqlite3.Connection]:
    """A second SQLite connection to the cache's db, as another process would open it."""
    db = sqlite3.connect(folder / "cache.db", isolation_level=None)
    try:
        yield db
    finally:
        db.close()


async def test_flipped_byte_inline_is_rejected_and_dropped(
    codec: SealedCodec, folder: Path
) -> None:
    key, intact = policy.patient_key(5), policy.patient_key(6)
    await put_as_client(folder, codec, {key: {"name": "Ana Canário"}, intact: {"name": "Bia"}})
    with _rows(folder) as db:
        (value,) = db.execute("SELECT value FROM Cache WHERE key = ?", (key,)).fetchone()
        damaged = bytearray(value)
        damaged[len(damaged) // 2] ^= 0x04
        db.execute("UPDATE Cache SET value = ? WHERE key = ?", (bytes(damaged), key))
    with pytest.raises(TamperedError), _opened(folder) as cache:
        codec.decode(cache.get(key), associated=key)
    assert await read_as_client(folder, codec, key) is None
    assert not stored(folder, key)  # dropped, so the next read fetches from the server
    assert await read_as_client(folder, codec, intact) == {"name": "Bia"}


async def test_flipped_byte_in_value_file_is_rejected_and_dropped(
    codec: SealedCodec, folder: Path
) -> None:
    key = policy.list_key(1)
    big = ["x" * 1000] * (DISK_MIN_FILE_SIZE // 1000 + 1)  # past the inline limit: a file
    await put_as_client(folder, codec, {key: big})
    (val_file,) = [p for p in files_under(folder) if p.suffix == ".val"]
    data = bytearray(val_file.read_bytes())
    data[-1] ^= 0x01
    val_file.write_bytes(bytes(data))
    assert await read_as_client(folder, codec, key) is None
    assert not stored(folder, key)
    assert not val_file.exists()  # diskcache removed the value file with the row


async def test_entry_moved_to_another_key_is_rejected_and_dropped(
    codec: SealedCodec, folder: Path
) -> None:
    first, second = policy.patient_key(1), policy.patient_key(2)
    await put_as_client(folder, codec, {first: {"name": "Bia"}, second: {"name": "Caio"}})
    with _rows(folder) as db:
        db.execute("UPDATE Cache SET value = (SELECT value FROM Cache WHERE key = ?)"
                   " WHERE key = ?", (first, second))
    assert await read_as_client(folder, codec, second) is None
    assert not stored(folder, second)
    assert await read_as_client(folder, codec, first) == {"name": "Bia"}


class Boom:
    """A pickle whose loading creates ``marker``: proof that something unpickled it."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (self.marker,))


def plant_row(folder: Path, key: str, *, mode: int, value: bytes | None, filename=None) -> None:
    """Writes a row into the cache's SQLite table as an attacker with folder access could."""
    now = time.time()
    with _rows(folder) as db:
        db.execute("DELETE FROM Cache WHERE key = ?", (key,))
        db.execute(
            "INSERT INTO Cache (key, raw, store_time, expire_time, access_time, access_count,"
            " tag, size, mode, filename, value) VALUES (?, 1, ?, NULL, ?, 0, NULL, ?, ?, ?, ?)",
            (key, now, now, 0, mode, filename, value),
        )


async def test_planted_pickle_row_is_rejected_and_not_run(
    cache: diskcache.Cache, codec: SealedCodec, folder: Path
) -> None:
    marker = folder.parent / "pwned"
    key = policy.list_key(1)
    plant_row(folder, key, mode=MODE_PICKLE, value=pickle.dumps(Boom(marker)))
    with pytest.raises(TamperedError, match="mode 4"):
        cache.get(key)
    assert await read_as_client(folder, codec, key) is None
    assert not stored(folder, key)
    assert not marker.exists()


async def test_planted_pickle_file_is_rejected_and_not_run(
    cache: diskcache.Cache, codec: SealedCodec, folder: Path
) -> None:
    marker = folder.parent / "pwned"
    (folder / "ab").mkdir()
    (folder / "ab" / "evil.val").write_bytes(pickle.dumps(Boom(marker)))
    key = policy.detail_key(3)
    plant_row(folder, key, mode=MODE_PICKLE, value=None, filename="ab/evil.val")
    with pytest.raises(TamperedError, match="mode 4"):
        cache.get(key)
    assert await read_as_client(folder, codec, key) is None
    assert not stored(folder, key)
    # A pickle disguised as a binary value file reaches the codec, which rejects it.
    (folder / "ab").mkdir(exist_ok=True)  # the drop removed the file and its empty folder
    (folder / "ab" / "evil.val").write_bytes(pickle.dumps(Boom(marker)))
    plant_row(folder, key, mode=MODE_BINARY, value=None, filename="ab/evil.val")
    with pytest.raises(TamperedError, match="not a sealed entry"):
        get_sealed(cache, key, codec)
    assert await read_as_client(folder, codec, key) is None
    assert not stored(folder, key)
    assert not marker.exists()


def test_planted_pickled_key_is_rejected_and_not_run(
    cache: diskcache.Cache, folder: Path
) -> None:
    marker = folder.parent / "pwned"
    now = time.time()
    with _rows(folder) as db:
        db.execute(
            "INSERT INTO Cache (key, raw, store_time, expire_time, access_time, access_count,"
            " tag, size, mode, filename, value) VALUES (?, 0, ?, NULL, ?, 0, NULL, 0, 1, NULL,"
            " ?)",
            (pickle.dumps(Boom(marker)), now, now, b"x"),
        )
    with pytest.raises(TamperedError, match="pickled key"):
        list(cache)
    assert not marker.exists()


@pytest.mark.parametrize(
    "row",
    [(MODE_TEXT, None, "ab/x.val"), (1, "a text row", None), (1, 12, None),
     (MODE_BINARY, None, "../../outside.val")],
)
async def test_other_foreign_rows_are_rejected_and_dropped(
    cache: diskcache.Cache, codec: SealedCodec, folder: Path, row: tuple
) -> None:
    mode, value, filename = row
    key = policy.patient_key(9)
    plant_row(folder, key, mode=mode, value=value, filename=filename)
    with pytest.raises(TamperedError):
        get_sealed(cache, key, codec)
    assert await read_as_client(folder, codec, key) is None
    assert not stored(folder, key)


def test_diskcache_jsondisk_does_run_a_planted_pickle(tmp_path: Path) -> None:
    """Why SafeDisk: JSONDisk's fetch calls Disk.fetch first, which unpickles mode-4 rows."""
    folder = tmp_path / "jsondisk"
    marker = tmp_path / "pwned"
    with diskcache.Cache(str(folder), disk=diskcache.JSONDisk) as c:
        c.set("k", {"a": 1})
        key_blob, _ = c.disk.put("k")
        now = time.time()
        with _rows(folder) as db:
            db.execute("DELETE FROM Cache")
            db.execute(
                "INSERT INTO Cache (key, raw, store_time, expire_time, access_time,"
                " access_count, tag, size, mode, filename, value)"
                " VALUES (?, 1, ?, NULL, ?, 0, NULL, 0, ?, NULL, ?)",
                (key_blob, now, now, MODE_PICKLE, pickle.dumps(Boom(marker))),
            )
        with pytest.raises(TypeError):  # zlib of what the pickle returned (None)
            c.get("k")
    assert marker.exists()


def test_safedisk_refuses_what_it_would_have_to_pickle(cache: diskcache.Cache) -> None:
    with pytest.raises(TypeError, match="bytes only"):
        cache.set("k", {"name": "Ana"})
    with pytest.raises(TypeError, match="bytes only"):
        cache.set("k", "text")
    with pytest.raises(TypeError, match="keys are"):
        cache.set(("tuple", "key"), b"x")
    assert len(cache) == 0


def test_value_files_are_created_0600_whatever_the_umask(
    cache: diskcache.Cache, folder: Path
) -> None:
    old = os.umask(0o022)
    try:
        cache.set("big", b"\x00" * (INLINE_LIMIT + 1))
    finally:
        os.umask(old)
    (val_file,) = [p for p in files_under(folder) if p.suffix == ".val"]
    assert stat.S_IMODE(val_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(val_file.parent.stat().st_mode) == 0o700


def test_planted_disk_setting_does_not_stop_the_cache_opening(folder: Path) -> None:
    # diskcache hands every disk_* row of its Settings table to the Disk constructor.
    open_cache(folder).close()
    with _rows(folder) as db:
        db.execute("INSERT INTO Settings VALUES ('disk_evil', 'x')")
    with open_cache(folder) as reopened:
        reopened.set("k", b"v")
        assert reopened.get("k") == b"v"
