"""The optimistic engine: pending actions, their order, retries and the views they imply.

The user sees ``base + pending``: the last server summary of a conversation with every
pending action re-applied in order through :func:`inbox_app.client.actions.record.apply`
(ARCHITECTURE.md section 7). Confirm makes the answer the base and drops the action; a
rejection drops that one action and the view is re-derived, so a rollback never undoes a
later action; new server state replaces the base and the pending actions stay on top.

One worker task per conversation sends its actions one at a time, in order; conversations
run in parallel. Transient failures retry with capped exponential backoff and full jitter,
honouring Retry-After; while the server is unreachable the worker pauses without spending
attempts. Every change is published as one :class:`~inbox_app.client.views.Change`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from inbox_app.client.actions.outbox import Outbox
from inbox_app.client.actions.record import ActionKind, Mutation, apply_all
from inbox_app.client.errors import (
    ClientError,
    OfflineError,
    RejectedError,
    TransientError,
    UnauthorizedError,
)
from inbox_app.client.views import Change, ChangeCause, ConversationView, PendingItem
from inbox_app.contract.models import ConversationSummary, Message, Note

log = logging.getLogger(__name__)

Answer = ConversationSummary | Note | Message


class Sender(Protocol):
    """Sends one action to the server and returns the server's answer (or raises ClientError)."""

    async def send(self, mutation: Mutation) -> Answer: ...


@dataclass
class RetryPolicy:
    """Capped exponential backoff with full jitter (AWS architecture blog), plus Retry-After.

    Attempt n (1-based) waits ``uniform(0, min(cap, base * 2**(n-1)))`` unless the server sent
    Retry-After, which is honoured as sent. After ``max_attempts`` failed attempts a toggle
    rolls back and a note or reply becomes "failed". While offline the worker probes every
    ``offline_probe`` seconds (or sooner, when told the connection is back).
    """

    base: float = 0.5
    cap: float = 30.0
    max_attempts: int = 6
    offline_probe: float = 5.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1``."""
        if retry_after is not None:
            return retry_after
        return self.rng.uniform(0.0, min(self.cap, self.base * 2 ** (attempt - 1)))


class MutationEngine:
    """Owns the pending actions: submit, send, confirm, roll back, and derive views."""

    def __init__(
        self,
        sender: Sender,
        outbox: Outbox,
        *,
        emit: Callable[[Change], None],
        policy: RetryPolicy | None = None,
        on_confirmed: Callable[[Mutation, Answer], None] | None = None,
        on_offline: Callable[[], None] | None = None,
        on_unauthorized: Callable[[], None] | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.sender = sender
        self.outbox = outbox
        self.policy = policy or RetryPolicy()
        self._emit = emit
        self._on_confirmed = on_confirmed
        self._on_offline = on_offline
        self._on_unauthorized = on_unauthorized
        self._sleep = sleep
        self.pending: list[Mutation] = []
        self.bases: dict[int, ConversationSummary] = {}
        self._online = asyncio.Event()
        self._online.set()
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self._started = False
        self._closed = False

    # --- lifecycle -----------------------------------------------------------------------

    def load(self) -> int:
        """Loads the outbox left by an earlier run (crash or restart); returns how many."""
        known = {m.id for m in self.pending}
        for mutation in self.outbox.load():
            if mutation.id not in known:
                self.pending.append(mutation)
        self.pending.sort(key=lambda m: m.seq)
        return len(self.pending)

    def start(self) -> None:
        """Starts sending: resends everything queued (Idempotency-Keys make repeats safe)."""
        self._started = True
        for conversation_id in {m.conversation_id for m in self.pending}:
            self._kick(conversation_id)
        self._update_idle()

    async def close(self) -> None:
        """Stops the workers (what they were sending stays in the outbox) and the flushes."""
        self._closed = True
        workers = list(self._workers.values())
        for task in workers:
            task.cancel()
        for task in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._workers.clear()
        self.outbox.close()

    @property
    def online(self) -> bool:
        """Whether sending runs (False: paused, spending no attempts)."""
        return self._online.is_set()

    def set_online(self, online: bool) -> None:
        """Told by the live connection (or a successful request) that the server is back."""
        if online:
            self._online.set()
            for conversation_id in {m.conversation_id for m in self.pending}:
                self._kick(conversation_id)
        else:
            self._online.clear()

    async def drained(self) -> None:
        """Waits until nothing is queued or sending (failed items may remain)."""
        await self._idle.wait()

    # --- actions -------------------------------------------------------------------------

    def submit(self, kind: ActionKind, conversation_id: int, args: dict[str, Any] | None = None
               ) -> Mutation:
        """Records an action durably, publishes "pending", and queues it for sending."""
        mutation = Mutation(kind=kind, conversation_id=conversation_id, args=dict(args or {}))
        self.outbox.put(mutation)  # durable BEFORE anyone sees it as pending
        self.pending.append(mutation)
        self._publish("pending", mutation)
        self._kick(conversation_id)
        return mutation

    def retry(self, mutation_id: str) -> None:
        """Queues a failed note or reply again, with fresh attempts."""
        mutation = self.find(mutation_id)
        if mutation is None or mutation.state != "failed":
            return
        mutation.state, mutation.attempts, mutation.error = "queued", 0, None
        mutation.error_code = None
        self.outbox.put(mutation)
        self._publish("pending", mutation)
        self._kick(mutation.conversation_id)

    def discard(self, mutation_id: str) -> None:
        """Drops a failed (or not yet sent) action at the user's request."""
        mutation = self.find(mutation_id)
        if mutation is None or mutation.state == "sending":
            return
        self._drop(mutation)
        self._publish("rolled_back", mutation, reason=None)

    def find(self, mutation_id: str) -> Mutation | None:
        """The pending or failed action with this id, if any."""
        return next((m for m in self.pending if m.id == mutation_id), None)

    # --- views ---------------------------------------------------------------------------

    def rebase(self, summary: ConversationSummary) -> bool:
        """New server state becomes the base unless an equal or newer version is known."""
        known = self.bases.get(summary.id)
        if known is not None and known.version > summary.version:
            return False
        self.bases[summary.id] = summary
        return True

    def base_of(self, summary: ConversationSummary) -> ConversationSummary:
        """``summary``, or the newer version of it the engine already knows."""
        known = self.bases.get(summary.id)
        return known if known is not None and known.version > summary.version else summary

    def of(self, conversation_id: int) -> list[Mutation]:
        """The pending and failed actions of one conversation, oldest first."""
        return [m for m in self.pending if m.conversation_id == conversation_id]

    def views(self, summaries: Iterable[ConversationSummary]) -> list[ConversationView]:
        """:meth:`view` of many rows, grouping the pending actions once (500-row inbox)."""
        by_conversation: dict[int, list[Mutation]] = {}
        for mutation in self.pending:
            by_conversation.setdefault(mutation.conversation_id, []).append(mutation)
        out = []
        for summary in summaries:
            base = self.base_of(summary)
            mine = by_conversation.get(summary.id)
            out.append(self._derive(base, mine) if mine else ConversationView(base))
        return out

    def view(self, summary: ConversationSummary) -> ConversationView:
        """The row as the user sees it: the newest base with pending actions on top."""
        return self._derive(self.base_of(summary), self.of(summary.id))

    @staticmethod
    def _derive(base: ConversationSummary, mine: list[Mutation]) -> ConversationView:
        if not mine:
            return ConversationView(base)
        return ConversationView(
            apply_all(mine, base),
            pending=any(m.state != "failed" for m in mine),
            failed=any(m.state == "failed" for m in mine),
        )

    def pending_items(self, conversation_id: int) -> list[PendingItem]:
        """The notes and replies of a conversation not confirmed yet, as the detail shows them."""
        return [
            PendingItem(
                mutation_id=m.id, kind="note" if m.kind is ActionKind.ADD_NOTE else "reply",
                body=m.args["body"], created_at=m.created_at,
                state=m.state,
                error=m.error,
                error_code=m.error_code,
            )
            for m in self.of(conversation_id) if m.is_text
        ]

    def pending_count(self) -> int:
        """Actions queued or being sent (failed ones wait for the user)."""
        return sum(1 for m in self.pending if m.state != "failed")

    # --- sending -------------------------------------------------------------------------

    def _kick(self, conversation_id: int) -> None:
        if not self._started or self._closed:
            return
        task = self._workers.get(conversation_id)
        if task is None or task.done():
            self._workers[conversation_id] = asyncio.create_task(
                self._work(conversation_id), name=f"outbox-conversation-{conversation_id}")
        self._update_idle()

    def _next(self, conversation_id: int) -> Mutation | None:
        return next((m for m in self.pending
                     if m.conversation_id == conversation_id and m.state == "queued"), None)

    async def _work(self, conversation_id: int) -> None:
        offline_round = 0
        try:
            while (mutation := self._next(conversation_id)) is not None:
                if not self._online.is_set():
                    # Paused: no attempt is spent. Probe now and then in case nobody tells us.
                    offline_round += 1
                    probe = min(self.policy.offline_probe, self.policy.base * 2 ** offline_round)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._online.wait(), probe)
                mutation.state = "sending"
                try:
                    answer = await self.sender.send(mutation)
                except OfflineError as exc:
                    mutation.state = "queued"
                    log.info("outbox: server unreachable, pausing (%s)", exc.message)
                    self._go_offline()
                    continue
                except UnauthorizedError as exc:
                    mutation.state = "queued"
                    log.warning("outbox: session rejected, pausing until login: %s", exc.message)
                    self._online.clear()
                    if self._on_unauthorized is not None:
                        self._on_unauthorized()
                    continue
                except RejectedError as exc:
                    self._reject(mutation, exc.message, exc.reason)
                    continue
                except ClientError as exc:  # transient, or an answer that breaks the contract
                    await self._failed_attempt(mutation, exc)
                    continue
                except Exception as exc:  # a bug must not leave the action "sending" forever
                    log.exception("outbox: sending %s failed unexpectedly", mutation.kind)
                    self._reject(mutation, f"unexpected error: {type(exc).__name__}")
                    continue
                offline_round = 0
                if not self._online.is_set():
                    self.set_online(True)
                self._confirm(mutation, answer)
        finally:
            if self._workers.get(conversation_id) is asyncio.current_task():
                del self._workers[conversation_id]
            self._update_idle()

    async def _failed_attempt(self, mutation: Mutation, exc: ClientError) -> None:
        mutation.attempts += 1
        mutation.error = exc.message
        if mutation.attempts >= self.policy.max_attempts:
            log.warning("outbox: %s gave up after %d attempts: %s",
                        mutation.kind, mutation.attempts, exc.message)
            self._reject(mutation, exc.message)
            return
        retry_after = exc.retry_after if isinstance(exc, TransientError) else None
        delay = self.policy.delay(mutation.attempts, retry_after)
        log.info("outbox: %s attempt %d failed (%s), retrying in %.2f s",
                 mutation.kind, mutation.attempts, exc.message, delay)
        mutation.state = "queued"
        await self._sleep(delay)

    def _confirm(self, mutation: Mutation, answer: Answer) -> None:
        self._drop(mutation)
        if isinstance(answer, ConversationSummary):
            self.rebase(answer)
        if self._on_confirmed is not None:
            try:
                self._on_confirmed(mutation, answer)
            except Exception:
                log.exception("outbox: on_confirmed hook failed")
        self._publish("confirmed", mutation)

    def _reject(self, mutation: Mutation, reason: str, code: str | None = None) -> None:
        mutation.error_code = code
        if mutation.is_text:
            # The user typed it: keep it visible as failed, with Retry and Discard.
            mutation.state, mutation.error = "failed", reason
            self.outbox.put(mutation)
            self._publish("failed", mutation, reason=reason)
        else:
            self._drop(mutation)
            self._publish("rolled_back", mutation, reason=reason)

    def _drop(self, mutation: Mutation) -> None:
        self.outbox.remove(mutation.id)
        with contextlib.suppress(ValueError):
            self.pending.remove(mutation)
        self._update_idle()

    def _go_offline(self) -> None:
        was_online = self._online.is_set()
        self._online.clear()
        if was_online and self._on_offline is not None:
            self._on_offline()

    def _update_idle(self) -> None:
        busy = self._started and any(m.state != "failed" for m in self.pending)
        if busy:
            self._idle.clear()
        else:
            self._idle.set()

    def _publish(self, cause: ChangeCause, mutation: Mutation, *,
                 reason: str | None = None) -> None:
        self._emit(Change(cause=cause,
                          conversation_ids=frozenset((mutation.conversation_id,)),
                          mutation_id=mutation.id, action=mutation.kind.value, reason=reason,
                          reason_code=mutation.error_code if reason is not None else None))
