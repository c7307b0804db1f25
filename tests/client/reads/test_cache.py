"""Tests for inbox_app/client/reads/cache.py: freshness, invalidation, safety, rebuild."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from typing import Any

import diskcache
import pytest

from inbox_app.client.reads.cache import LocalCache
from inbox_app.contract.models import ConversationList
from inbox_app.contract.policy import list_key, patient_key
from tests.client.scripted import summary


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def inbox() -> tuple[ConversationList, Any]:
    model = ConversationList(items=[summary(1), summary(2)])
    return model, model.model_dump(mode="json")


async def test_ttl_is_freshness_and_entries_survive_a_restart(tmp_path: Path) -> None:
    clock = Clock()
    cache = LocalCache(tmp_path / "c", clock=clock)
    key = list_key(1)
    value, wire = inbox()
    await cache.put(key, value, wire)
    entry = await cache.get(key, ConversationList.model_validate)
    assert entry is not None and entry.value is value  # decoded once, kept in memory
    assert cache.is_fresh(key, entry)
    clock.now += 301  # conversations_list TTL is 300 s
    assert not cache.is_fresh(key, entry) and not cache.too_old(entry)
    clock.now += 7 * 24 * 3600
    assert cache.too_old(entry)
    await cache.close()

    again = LocalCache(tmp_path / "c", clock=clock)
    entry = await again.get(key, ConversationList.model_validate)
    assert entry is not None and entry.value == value and entry.value is not value
    await again.close()


async def test_invalidation_marks_stale_and_keeps_the_value(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "c")
    key = list_key(1)
    await cache.put(key, *inbox())
    assert await cache.invalidate([key, patient_key(9)]) == [key]
    entry = cache.peek(key)
    assert entry is not None and not cache.is_fresh(key, entry)
    await cache.close()
    again = LocalCache(tmp_path / "c")  # the mark is on disk too
    entry = await again.get(key, ConversationList.model_validate)
    assert entry is not None and not again.is_fresh(key, entry)
    await again.put(key, *inbox())  # a new fetch clears it
    assert again.is_fresh(key, again.peek(key))  # type: ignore[arg-type]
    await again.close()


async def test_resync_makes_everything_stale(tmp_path: Path) -> None:
    clock = Clock()
    cache = LocalCache(tmp_path / "c", clock=clock)
    await cache.put(list_key(1), *inbox())
    clock.now += 1
    await cache.mark_all_stale()
    await cache.close()
    again = LocalCache(tmp_path / "c", clock=clock)
    entry = await again.get(list_key(1), ConversationList.model_validate)
    assert entry is not None and not again.is_fresh(list_key(1), entry)
    await again.close()


async def test_planted_pickle_is_refused_and_dropped(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "c")
    await cache.close()
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[Any, ...]:
            return (marker.write_text, ("x",))

    plain = diskcache.Cache(str(tmp_path / "c"))  # default Disk: pickles
    plain.set(list_key(1), Evil())
    plain.close()
    assert b"write_text" in pickle.dumps(Evil())
    cache = LocalCache(tmp_path / "c")
    assert await cache.get(list_key(1), ConversationList.model_validate) is None
    assert not marker.exists()
    await cache.close()


async def test_off_contract_entry_is_a_miss(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "c")
    await cache.put(list_key(1), *inbox())
    await cache.close()
    cache = LocalCache(tmp_path / "c")  # the next start: only the disk copy
    assert await cache.get(list_key(1), lambda v: (_ for _ in ()).throw(ValueError("bad"))) \
        is None
    assert await cache.get(list_key(1), ConversationList.model_validate) is None  # dropped
    await cache.close()


@pytest.mark.parametrize("damage", ["garbage", "empty"])
async def test_corrupted_folder_is_rebuilt(tmp_path: Path, damage: str,
                                           caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "c"
    cache = LocalCache(folder)
    await cache.put(list_key(1), *inbox())
    await cache.close()
    db = folder / "cache.db"
    db.write_bytes(b"this is not sqlite" * 100 if damage == "garbage" else b"")
    for extra in folder.glob("cache.db-*"):
        extra.unlink()
    cache = LocalCache(folder)
    assert await cache.get(list_key(1), ConversationList.model_validate) is None
    await cache.put(list_key(1), *inbox())  # and it works again
    assert (await cache.get(list_key(1), ConversationList.model_validate)) is not None
    await cache.close()
    if damage == "garbage":
        assert "rebuilding" in caplog.text
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from Cache").fetchone()[0] >= 1


async def test_destroy_removes_the_folder(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "c")
    await cache.put(list_key(1), *inbox())
    await cache.destroy()
    assert not (tmp_path / "c").exists()


async def test_close_is_idempotent_and_destroy_after_close_still_deletes(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "c")
    await cache.put(list_key(1), *inbox())
    await cache.close()
    await cache.close()
    assert (tmp_path / "c" / "cache.db").exists()
    await cache.destroy()
    assert not (tmp_path / "c").exists()


async def test_a_load_that_races_an_invalidation_is_stored_stale(tmp_path: Path) -> None:
    clock = Clock()
    cache = LocalCache(tmp_path / "c", clock=clock)
    key = list_key(1)
    started, generation = clock(), cache.generation(key)
    clock.now += 1
    await cache.invalidate([key])  # an event arrives while the load is on the wire
    clock.now += 1
    entry = await cache.put(key, *inbox(), fetched_at=started, generation=generation)
    assert entry.invalidated and not cache.is_fresh(key, entry)
    await cache.close()
    again = LocalCache(tmp_path / "c", clock=clock)  # and on disk too
    entry = await again.get(key, ConversationList.model_validate)
    assert entry is not None and not again.is_fresh(key, entry)
    await again.put(key, *inbox(), generation=again.generation(key))
    assert again.is_fresh(key, again.peek(key))  # type: ignore[arg-type]
    await again.close()
