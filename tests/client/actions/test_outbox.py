"""Tests for inbox_app/client/actions/outbox.py: durable records, order, corrupted files."""

from __future__ import annotations

from pathlib import Path

import orjson

from inbox_app.client.actions.outbox import Outbox
from inbox_app.client.actions.record import ActionKind, Mutation


def test_records_come_back_in_order_with_their_state(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    first = Mutation(kind=ActionKind.ADD_NOTE, conversation_id=2, args={"body": "um"})
    second = Mutation(kind=ActionKind.ARCHIVE, conversation_id=1)
    box.put(first)
    box.put(second)
    first.state, first.error = "failed", "HTTP 502"
    box.put(first)  # rewritten in place, keeps its order
    again = Outbox(tmp_path).load()
    assert [(m.id, m.state) for m in again] == [(first.id, "failed"), (second.id, "queued")]
    box.remove(first.id)
    assert [m.id for m in Outbox(tmp_path).load()] == [second.id]


def test_new_records_after_a_restart_keep_counting(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    old = Mutation(kind=ActionKind.MARK_READ, conversation_id=1)
    box.put(old)
    box2 = Outbox(tmp_path)
    box2.load()
    new = Mutation(kind=ActionKind.MARK_UNREAD, conversation_id=1)
    box2.put(new)
    assert new.seq > old.seq
    assert [m.id for m in Outbox(tmp_path).load()] == [old.id, new.id]


def test_unreadable_record_is_moved_aside_not_lost(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    good = Mutation(kind=ActionKind.MARK_READ, conversation_id=1)
    box.put(good)
    bad = tmp_path / "4b0c7c1e-0000-4000-8000-000000000000.action"
    bad.write_bytes(b"\x00not json")
    (tmp_path / "half-written.tmp").write_bytes(b"{")  # a crash before the rename
    loaded = Outbox(tmp_path).load()
    assert [m.id for m in loaded] == [good.id]
    assert (tmp_path / "corrupt" / bad.name).read_bytes() == b"\x00not json"
    assert not (tmp_path / "half-written.tmp").exists()


def test_deferred_fsync_writes_at_once_and_flushes_after(tmp_path: Path) -> None:
    box = Outbox(tmp_path, deferred_fsync=True)
    m = Mutation(kind=ActionKind.ARCHIVE, conversation_id=1)
    box.put(m)
    # written and renamed before put returns: another process (a restart after kill -9) sees it
    assert [x.id for x in Outbox(tmp_path).load()] == [m.id]
    box.remove(m.id)
    box.close()
    assert Outbox(tmp_path).load() == []


def test_records_with_a_naive_time_or_odd_error_still_load_in_order(tmp_path: Path) -> None:
    """A plain-JSON record edited by hand or written by an older version: a naive time beside
    aware ones must not make the sort (and so the start of the app) fail."""
    box = Outbox(tmp_path)
    aware = Mutation(kind=ActionKind.ARCHIVE, conversation_id=1)
    box.put(aware)
    naive = Mutation(kind=ActionKind.MARK_READ, conversation_id=1)
    record = naive.to_record() | {"created_at": "2026-01-01T00:00:00", "seq": aware.seq,
                                  "error": {"detail": 1}}
    (tmp_path / f"{naive.id}.action").write_bytes(orjson.dumps(record))
    loaded = Outbox(tmp_path).load()
    assert [m.id for m in loaded] == [naive.id, aware.id]
    assert loaded[0].created_at.tzinfo is not None and isinstance(loaded[0].error, str)
