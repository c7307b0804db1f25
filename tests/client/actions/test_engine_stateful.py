"""Hypothesis stateful test of inbox_app/client/actions/engine.py against a model server.

Random sequences of actions, server answers (confirm, reject, transient, "applied but the
answer was lost"), changes by other users, offline spells and crash-restarts. After every
step: the view equals the server's state with the still-pending actions applied in order
(computed by the model, not by the engine), nothing was lost, every send the engine made is
accounted for (one per outcome the server gave, none after the action was confirmed, rolled
back or discarded), and the server applied each confirmed action once.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from inbox_app.client.actions.engine import MutationEngine, RetryPolicy
from inbox_app.client.actions.outbox import Outbox
from inbox_app.client.actions.record import ActionKind, Mutation, apply
from inbox_app.client.errors import OfflineError, RejectedError, TransientError
from inbox_app.client.views import Change
from inbox_app.contract.models import ConversationSummary, Priority
from tests.client.scripted import server_answer, summary

T = TypeVar("T")
CONVERSATIONS = (1, 2)
TOGGLES = [ActionKind.MARK_READ, ActionKind.MARK_UNREAD, ActionKind.ARCHIVE,
           ActionKind.UNARCHIVE, ActionKind.SET_PRIORITY]


@dataclass
class ModelServer:
    """The truth: summaries, and the Idempotency-Key store (key -> stored answer), as the real
    server keeps it: a repeated key gets the stored answer. ``applied`` counts the changes
    made, per key."""

    truth: dict[int, ConversationSummary] = field(
        default_factory=lambda: {c: summary(c) for c in CONVERSATIONS})
    answers: dict[str, object] = field(default_factory=dict)
    applied: dict[str, int] = field(default_factory=dict)

    def apply(self, mutation: Mutation) -> object:
        if mutation.id in self.answers:  # a repeat: the stored answer, never applied twice
            return self.answers[mutation.id]
        current = self.truth[mutation.conversation_id]
        answer = server_answer(mutation, current)
        if isinstance(answer, ConversationSummary):
            self.truth[current.id] = answer
        elif mutation.kind is ActionKind.REPLY:
            self.truth[current.id] = apply(mutation, current).model_copy(
                update={"version": current.version + 1})
        self.answers[mutation.id] = answer
        self.applied[mutation.id] = self.applied.get(mutation.id, 0) + 1
        return answer


class Sender:
    def __init__(self) -> None:
        self.calls: dict[str, tuple[Mutation, asyncio.Future[object]]] = {}
        self.sends: Counter[str] = Counter()  # every send the engine made, per action

    async def send(self, mutation: Mutation) -> object:
        self.sends[mutation.id] += 1
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self.calls[mutation.id] = (mutation.copy(), future)
        try:
            return await future
        finally:
            self.calls.pop(mutation.id, None)


async def _settle() -> None:
    for _ in range(8):
        await asyncio.sleep(0)


async def _no_sleep(_: float) -> None:
    await asyncio.sleep(0)


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = Path(tempfile.mkdtemp(prefix="engine-machine-"))
        self.server = ModelServer()
        self.sender = Sender()
        self.changes: list[Change] = []
        self.submitted: list[Mutation] = []
        self.fate: dict[str, str] = {}  # pending | confirmed | rolled_back | failed
        self.transient_failures: dict[str, int] = {}
        self.outcomes: Counter[str] = Counter()  # sends that got an answer, or were cut off
        self.settled_sends: dict[str, int] = {}  # confirmed/rolled back/failed: sends then
        self.engine = self.call(self._new_engine)

    def _new_engine(self) -> MutationEngine:
        engine = MutationEngine(
            self.sender, Outbox(self.folder, fsync=False), emit=self.changes.append,
            policy=RetryPolicy(base=0.0, cap=0.0, max_attempts=10_000, offline_probe=0.0),
            sleep=_no_sleep)
        engine.load()
        for truth in self.server.truth.values():
            engine.rebase(truth)
        engine.start()
        return engine

    def run(self, coro: object) -> None:
        self.loop.run_until_complete(coro)  # type: ignore[arg-type]
        self.loop.run_until_complete(_settle())

    def call(self, fn: Callable[[], T]) -> T:
        """Runs ``fn`` on the loop (the engine creates tasks), then lets the loop settle."""

        async def inside() -> T:
            return fn()

        result = self.loop.run_until_complete(inside())
        self.loop.run_until_complete(_settle())
        return result

    def _push(self, conversation_id: int) -> None:
        """A live event: the server's new state reaches the engine."""
        self.engine.rebase(self.server.truth[conversation_id])

    # --- rules -----------------------------------------------------------------------------

    @rule(kind=st.sampled_from(TOGGLES), cid=st.sampled_from(CONVERSATIONS),
          priority=st.sampled_from(list(Priority)))
    def toggle(self, kind: ActionKind, cid: int, priority: Priority) -> None:
        args = {"priority": priority.value} if kind is ActionKind.SET_PRIORITY else {}
        self._submit(kind, cid, args)

    @rule(kind=st.sampled_from([ActionKind.ADD_NOTE, ActionKind.REPLY]),
          cid=st.sampled_from(CONVERSATIONS), body=st.sampled_from(["a", "b c", "ok"]))
    def text(self, kind: ActionKind, cid: int, body: str) -> None:
        self._submit(kind, cid, {"body": body})

    def _submit(self, kind: ActionKind, cid: int, args: dict[str, str]) -> None:
        mutation = self.call(lambda: self.engine.submit(kind, cid, args))
        self.submitted.append(mutation.copy())
        self.fate[mutation.id] = "pending"

    def _call(self, index: int) -> tuple[Mutation, asyncio.Future[object]]:
        # by conversation (one call in flight each), not by the random mutation ids, so a
        # replayed example draws the same call
        calls = sorted(self.sender.calls.values(), key=lambda c: c[0].conversation_id)
        return calls[index % len(calls)]

    @precondition(lambda self: self.sender.calls)
    @rule(index=st.integers(0, 9))
    def confirm(self, index: int) -> None:
        mutation, future = self._call(index)
        answer = self.server.apply(mutation)
        self._push(mutation.conversation_id)
        self._settle(mutation.id, "confirmed")
        future.set_result(answer)
        self.run(_settle())

    @precondition(lambda self: self.sender.calls)
    @rule(index=st.integers(0, 9))
    def reject(self, index: int) -> None:
        mutation, future = self._call(index)
        if mutation.id in self.server.answers:
            return  # already applied once: a repeat gets the stored answer, not a 4xx
        self._settle(mutation.id, "failed" if mutation.is_text else "rolled_back")
        future.set_exception(RejectedError("não", code="conflict"))
        self.run(_settle())

    @precondition(lambda self: self.sender.calls)
    @rule(index=st.integers(0, 9), applied=st.booleans())
    def transient(self, index: int, applied: bool) -> None:
        mutation, future = self._call(index)
        if applied:  # the server applied it, the answer was lost on the way
            self.server.apply(mutation)
            self._push(mutation.conversation_id)
        self.transient_failures[mutation.id] = self.transient_failures.get(mutation.id, 0) + 1
        self.outcomes[mutation.id] += 1
        future.set_exception(TransientError("HTTP 503", status=503))
        self.run(_settle())

    @precondition(lambda self: self.sender.calls)
    @rule(index=st.integers(0, 9))
    def offline(self, index: int) -> None:
        mutation, future = self._call(index)
        self.outcomes[mutation.id] += 1
        future.set_exception(OfflineError("connection refused"))
        self.run(_settle())
        self.call(lambda: self.engine.set_online(True))

    @rule(cid=st.sampled_from(CONVERSATIONS), priority=st.sampled_from(list(Priority)))
    def other_user(self, cid: int, priority: Priority) -> None:
        current = self.server.truth[cid]
        self.server.truth[cid] = current.model_copy(
            update={"priority": priority, "unread_count": current.unread_count + 1,
                    "version": current.version + 1})
        self._push(cid)
        self.run(_settle())

    @rule(applied=st.booleans())
    def crash_and_restart(self, applied: bool) -> None:
        if applied:  # whatever was in flight reached the server before the crash
            for mutation, _ in list(self.sender.calls.values()):
                self.server.apply(mutation)
        self.outcomes.update(list(self.sender.calls))  # those sends are cut off by the crash
        self.run(self.engine.close())
        self.sender.calls.clear()
        self.engine = self.call(self._new_engine)

    @precondition(lambda self: any(f == "failed" for f in self.fate.values()))
    @rule(index=st.integers(0, 9), discard=st.booleans())
    def retry_or_discard(self, index: int, discard: bool) -> None:
        failed = [i for i, f in self.fate.items() if f == "failed"]
        mutation_id = failed[index % len(failed)]
        if discard:
            self.call(lambda: self.engine.discard(mutation_id))
            self.fate[mutation_id] = "discarded"
        else:
            self.fate[mutation_id] = "pending"
            del self.settled_sends[mutation_id]  # Retry: it may be sent again
            self.call(lambda: self.engine.retry(mutation_id))

    def _settle(self, mutation_id: str, fate: str) -> None:
        """The engine gets the outcome that ends this action's sending (until a Retry)."""
        self.fate[mutation_id] = fate
        self.outcomes[mutation_id] += 1
        self.settled_sends[mutation_id] = self.sender.sends[mutation_id]

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def view_is_server_state_plus_pending(self) -> None:
        for cid in CONVERSATIONS:
            expected = self.server.truth[cid]
            for m in self.submitted:
                if m.conversation_id == cid and self.fate[m.id] == "pending":
                    expected = apply(m, expected)
            # the oldest summary as argument: the engine must know the newest base itself
            assert self.engine.view(summary(cid)).summary == expected

    @invariant()
    def nothing_lost_nothing_twice(self) -> None:
        engine_ids = [m.id for m in self.engine.pending]
        expected = [m.id for m in self.submitted if self.fate[m.id] in ("pending", "failed")]
        assert engine_ids == expected
        for m in self.engine.pending:
            assert (m.state == "failed") == (self.fate[m.id] == "failed")
        on_disk = {m.id for m in Outbox(self.folder, fsync=False).load()}
        assert on_disk == set(engine_ids)

    @invariant()
    def every_send_accounted_for(self) -> None:
        """One send per outcome the model gave (no second send of an action while one is in
        flight), and none after the action was confirmed, rolled back or discarded."""
        for mutation_id, sends in self.sender.sends.items():
            in_flight = 1 if mutation_id in self.sender.calls else 0
            assert sends == self.outcomes[mutation_id] + in_flight, mutation_id
            if mutation_id in self.settled_sends:
                assert sends == self.settled_sends[mutation_id], "sent after its outcome"

    @invariant()
    def applied_once(self) -> None:
        """Each confirmed action changed the server once; what the server applied without the
        engine knowing yet (answer lost, crash) is still pending, so it will be confirmed."""
        confirmed = {i for i, f in self.fate.items() if f == "confirmed"}
        pending = {i for i, f in self.fate.items() if f == "pending"}
        assert all(self.server.applied.get(i) == 1 for i in confirmed)
        assert set(self.server.applied) <= confirmed | pending

    def teardown(self) -> None:
        try:
            self.loop.run_until_complete(self.engine.close())
        finally:
            self.loop.close()
            shutil.rmtree(self.folder, ignore_errors=True)


EngineMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_engine_state_machine = EngineMachine.TestCase
