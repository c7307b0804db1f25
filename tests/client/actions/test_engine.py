"""Tests for inbox_app/client/actions/engine.py: the optimistic engine, with a scripted sender."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from inbox_app.client.actions.engine import MutationEngine, RetryPolicy
from inbox_app.client.actions.outbox import Outbox
from inbox_app.client.actions.record import ActionKind
from inbox_app.client.errors import OfflineError, RejectedError, TransientError
from inbox_app.client.views import Change
from inbox_app.contract.models import Priority, Status
from tests.client.scripted import ScriptedSender, server_answer, summary


def make(tmp_path: Path, **policy: object) -> tuple[MutationEngine, ScriptedSender, list[Change],
                                                     list[float]]:
    sender = ScriptedSender()
    changes: list[Change] = []
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        # Records the schedule instead of waiting: the schedule is what the test checks.
        sleeps.append(seconds)

    engine = MutationEngine(
        sender, Outbox(tmp_path / "outbox", fsync=False), emit=changes.append,
        policy=RetryPolicy(rng=random.Random(7), **policy),  # type: ignore[arg-type]
        sleep=fake_sleep)
    engine.rebase(summary())
    engine.start()
    return engine, sender, changes, sleeps


async def test_pending_is_shown_at_once_and_confirm_replaces_the_base(tmp_path: Path) -> None:
    engine, sender, changes, _ = make(tmp_path)
    m = engine.submit(ActionKind.ARCHIVE, 1)
    assert changes[-1].cause == "pending" and changes[-1].action == "archive"
    view = engine.view(summary())
    assert view.summary.status is Status.ARCHIVED and view.pending
    call = await sender.next()
    call.answer(server_answer(call.mutation, summary()))
    await asyncio.wait_for(engine.drained(), 5)
    assert [c.cause for c in changes] == ["pending", "confirmed"]
    assert changes[-1].mutation_id == m.id
    view = engine.view(summary())
    assert view.summary.status is Status.ARCHIVED and view.summary.version == 2
    assert not view.pending and list((tmp_path / "outbox").glob("*.action")) == []


async def test_first_rejected_second_survives(tmp_path: Path) -> None:
    engine, sender, changes, _ = make(tmp_path)
    engine.submit(ActionKind.ARCHIVE, 1)
    engine.submit(ActionKind.SET_PRIORITY, 1, {"priority": "urgent"})
    first = await sender.next()
    assert first.mutation.kind is ActionKind.ARCHIVE
    assert sender.calls.empty()  # one in flight per conversation
    first.fail(RejectedError("Conversa já arquivada por outra pessoa", code="conflict"))
    second = await sender.next()
    rolled = [c for c in changes if c.cause == "rolled_back"]
    assert rolled[0].reason == "Conversa já arquivada por outra pessoa"
    view = engine.view(summary())
    assert view.summary.status is Status.OPEN  # the archive alone is undone ...
    assert view.summary.priority is Priority.URGENT  # ... the later action stays
    second.answer(server_answer(second.mutation, summary()))
    await asyncio.wait_for(engine.drained(), 5)
    assert engine.view(summary()).summary.priority is Priority.URGENT


async def test_server_update_mid_flight_keeps_pending_on_top(tmp_path: Path) -> None:
    engine, sender, _, _ = make(tmp_path)
    engine.submit(ActionKind.MARK_READ, 1)
    call = await sender.next()
    newer = summary(version=5, unread_count=7, last_message_preview="nova mensagem")
    engine.rebase(newer)
    view = engine.view(summary())
    assert view.summary.last_message_preview == "nova mensagem"  # the new base ...
    assert view.summary.unread_count == 0 and view.pending  # ... with the read on top
    call.answer(server_answer(call.mutation, newer))
    await asyncio.wait_for(engine.drained(), 5)
    assert engine.view(summary()).summary.version == 6


async def test_stale_server_state_never_replaces_a_newer_base(tmp_path: Path) -> None:
    engine, _, _, _ = make(tmp_path)
    assert engine.rebase(summary(version=4))
    assert not engine.rebase(summary(version=3, priority="low"))
    assert engine.view(summary()).summary.version == 4


async def test_conversations_run_in_parallel(tmp_path: Path) -> None:
    engine, sender, _, _ = make(tmp_path)
    engine.rebase(summary(2))
    engine.submit(ActionKind.ARCHIVE, 1)
    engine.submit(ActionKind.ARCHIVE, 2)
    a, b = await sender.next(), await sender.next()
    assert {a.mutation.conversation_id, b.mutation.conversation_id} == {1, 2}
    b.answer(server_answer(b.mutation, summary(2)))
    a.answer(server_answer(a.mutation, summary(1)))
    await asyncio.wait_for(engine.drained(), 5)


async def test_transient_errors_follow_backoff_and_retry_after(tmp_path: Path) -> None:
    engine, sender, changes, sleeps = make(tmp_path, base=0.5, cap=2.0, max_attempts=5)
    engine.submit(ActionKind.SET_PRIORITY, 1, {"priority": "high"})
    (await sender.next()).fail(TransientError("HTTP 503", status=503))
    (await sender.next()).fail(TransientError("HTTP 429", status=429, retry_after=7.0))
    (await sender.next()).fail(TransientError("timed out"))
    (await sender.next()).fail(TransientError("HTTP 500", status=500))
    last = await sender.next()
    last.answer(server_answer(last.mutation, summary()))
    await asyncio.wait_for(engine.drained(), 5)
    expected = random.Random(7)
    assert sleeps == [expected.uniform(0, 0.5), 7.0, expected.uniform(0, 2.0),
                      expected.uniform(0, 2.0)]
    assert changes[-1].cause == "confirmed"


async def test_toggle_that_exhausts_retries_rolls_back(tmp_path: Path) -> None:
    engine, sender, changes, sleeps = make(tmp_path, max_attempts=3)
    engine.submit(ActionKind.ARCHIVE, 1)
    for _ in range(3):
        (await sender.next()).fail(TransientError("HTTP 500", status=500))
    await asyncio.wait_for(engine.drained(), 5)
    assert len(sleeps) == 2
    assert changes[-1].cause == "rolled_back" and changes[-1].reason == "HTTP 500"
    assert engine.view(summary()).summary.status is Status.OPEN


async def test_note_that_fails_stays_visible_with_retry_and_discard(tmp_path: Path) -> None:
    engine, sender, changes, _ = make(tmp_path, max_attempts=1)
    m = engine.submit(ActionKind.ADD_NOTE, 1, {"body": "Ligar amanhã"})
    (await sender.next()).fail(TransientError("HTTP 502", status=502))
    await asyncio.wait_for(engine.drained(), 5)
    [item] = engine.pending_items(1)
    assert (item.state, item.error, item.body) == ("failed", "HTTP 502", "Ligar amanhã")
    assert changes[-1].cause == "failed" and engine.view(summary()).failed
    # survives a restart as failed
    again = Outbox(tmp_path / "outbox").load()
    assert [(x.id, x.state) for x in again] == [(m.id, "failed")]
    engine.retry(m.id)
    call = await sender.next()
    assert call.mutation.id == m.id  # same Idempotency-Key
    call.fail(RejectedError("Texto inválido", code="validation"))
    await asyncio.wait_for(engine.drained(), 5)
    assert engine.pending_items(1)[0].error == "Texto inválido"
    engine.discard(m.id)
    assert engine.pending_items(1) == [] and changes[-1].cause == "rolled_back"
    assert list((tmp_path / "outbox").glob("*.action")) == []


async def test_offline_pauses_without_spending_attempts(tmp_path: Path) -> None:
    # base scales the offline probe interval: tiny so the probes come quickly here
    engine, sender, _, sleeps = make(tmp_path, max_attempts=2, base=0.001)
    offline_calls: list[int] = []
    engine._on_offline = lambda: offline_calls.append(1)
    m = engine.submit(ActionKind.ARCHIVE, 1)
    for _ in range(3):  # more failures than max_attempts, yet nothing rolls back
        (await sender.next()).fail(OfflineError("connection refused"))
    assert m.attempts == 0 and engine.find(m.id) is not None and sleeps == []
    assert not engine.online and len(offline_calls) == 1
    engine.set_online(True)  # the live connection is back: resume at once
    call = await sender.next()
    call.answer(server_answer(call.mutation, summary()))
    await asyncio.wait_for(engine.drained(), 5)
    assert engine.online and engine.find(m.id) is None
