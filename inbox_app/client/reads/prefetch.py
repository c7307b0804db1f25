"""Prefetch: the conversations the receptionist will most likely open next, loaded before she
opens them (issue 14), so the first open is a cache hit, also offline.

What: the details (and patients) of the unread open conversations, newest first (at most
:attr:`PrefetchSettings.unread`), then of the conversations around the open one in its list
(:attr:`PrefetchSettings.around`) — :func:`plan`. When: after login, after every reconnect
and after a ``resync`` (the client's change feed says "online" or "resync"), and when the
user opens another conversation. How:

- into the same sealed local cache, through the repository, with the same freshness rules: a
  fresh copy is not loaded again; a prefetched key is held like a read one, so a live event
  naming it re-reads it (the sync's refresher);
- in its own lane, at most :attr:`PrefetchSettings.lane` requests in flight, and never ahead
  of the user: while one of the user's own reads runs no prefetch request starts, and a
  prefetch request never holds a user's read (its own connection; a user read of the same
  key joins it);
- within a budget of requests and answer bytes per rolling minute (:class:`Budget`);
- paused while the client is locked, offline, or signed out (``may_run``), and resumed by
  :meth:`Prefetcher.resume` (unlocked, the server answers again) or a new plan. A load that
  met no server goes back to the head of the queue, tried again when the server answers or
  after :data:`UNREACHABLE_PAUSE`; a 4xx drops that one; a busy server (429, 5xx) ends the
  plan until the next trigger.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from inbox_app.client.actions.engine import MutationEngine
from inbox_app.client.errors import ClientError, RejectedError, unreachable
from inbox_app.client.reads.listing import home_tab, in_tab, sort_key
from inbox_app.client.reads.repository import Repository
from inbox_app.client.tasks import stop_task
from inbox_app.client.views import Change, ConnectionState, ConversationView
from inbox_app.contract.models import ConversationDetail, ConversationList, Patient, Status
from inbox_app.contract.policy import detail_key, list_key, patient_key

log = logging.getLogger(__name__)

WINDOW = 60.0  # the budget's rolling window, seconds
#: After a load met no server while the client still thinks it reachable (a dropped
#: connection), the lane waits this long, or until the next plan, before it tries again.
UNREACHABLE_PAUSE = 5.0

State = Literal["idle", "running", "yielding", "budget", "paused"]
Fetch = Callable[[], Awaitable[tuple[Any, Any]]]
#: Told the bytes an answer took on the wire.
Meter = Callable[[int], None]


class Loads(Protocol):
    """The reads the prefetch makes (:class:`~inbox_app.client.net.api.Api`'s), named here
    so this room does not import the network's (no cycle between the client's rooms)."""

    async def conversations(self, clinic_id: int) -> tuple[ConversationList, Any]: ...

    async def conversation(
        self, conversation_id: int, *, meter: Meter | None = None
    ) -> tuple[ConversationDetail, Any]: ...

    async def patient(
        self, patient_id: int, *, meter: Meter | None = None
    ) -> tuple[Patient, Any]: ...


@dataclass(frozen=True, slots=True)
class PrefetchSettings:
    """How much the client prefetches. The defaults cover a busy morning's unread inbox
    (50 conversations and their patients, a few hundred KB) within a minute or two at a cost
    a server of 20 receptionists does not notice (tests/benchmarks/README.md, prefetch)."""

    enabled: bool = True
    #: unread open conversations per plan, newest first
    unread: int = 50
    #: conversations around the open one (below it first, then above, alternating)
    around: int = 4
    #: the patient of each prefetched conversation too
    patients: bool = True
    #: prefetch requests per rolling minute
    requests_per_minute: int = 120
    #: answer bytes (as sent) per rolling minute; one answer may overshoot it once
    bytes_per_minute: int = 4 * 1024 * 1024
    #: prefetch requests in flight at once (1 or 2: a lane beside the user's reads)
    lane: int = 1


@dataclass
class PrefetchStats:
    """What the prefetch cost and did, since the client started."""

    plans: int = 0
    requests: int = 0
    bytes: int = 0
    failures: int = 0
    skipped_current: int = 0  # planned keys already fresh (or being loaded)


def plan(
    views: Iterable[ConversationView], open_id: int | None, *, unread: int, around: int
) -> list[ConversationView]:
    """The conversations to prefetch, most likely next first: the unread open ones, newest
    first (at most ``unread``), then those around ``open_id`` in its tab's order (the one
    below, the one above, two below, ...; at most ``around``), each once."""
    rows = list(views)
    waiting = sorted(
        (v for v in rows if v.summary.status == Status.OPEN and v.summary.unread_count > 0),
        key=sort_key,
    )[: max(0, unread)]
    chosen = {v.id: v for v in waiting}
    opened = next((v for v in rows if v.id == open_id), None) if open_id is not None else None
    if opened is not None and around > 0:
        tab = home_tab(opened.summary)
        listed = sorted((v for v in rows if in_tab(v.summary, tab)), key=sort_key)
        at = next(i for i, v in enumerate(listed) if v.id == open_id)
        near: list[ConversationView] = []
        for step in range(1, len(listed)):
            for index in (at + step, at - step):
                if 0 <= index < len(listed) and len(near) < around:
                    near.append(listed[index])
            if len(near) >= around:
                break
        for view in near:
            chosen.setdefault(view.id, view)
    chosen.pop(open_id or 0, None)  # the open one is the user's own read
    return list(chosen.values())


class Budget:
    """Requests and answer bytes within a rolling minute."""

    def __init__(self, requests: int, nbytes: int, clock: Callable[[], float]) -> None:
        self.requests = requests
        self.bytes = nbytes
        self.clock = clock
        self._spent: deque[list[float]] = deque()  # [start time, bytes]

    def wait(self) -> float:
        """Seconds until one more request fits (0: now)."""
        now = self.clock()
        while self._spent and self._spent[0][0] <= now - WINDOW:
            self._spent.popleft()
        full = len(self._spent) >= self.requests or sum(b for _t, b in self._spent) >= self.bytes
        return self._spent[0][0] + WINDOW - now if full and self._spent else 0.0

    def take(self) -> Meter:
        """Spends one request now; the returned meter adds its answer's bytes."""
        slot = [self.clock(), 0.0]
        self._spent.append(slot)

        def meter(nbytes: int) -> None:
            slot[1] += nbytes

        return meter


@dataclass(frozen=True, slots=True)
class _Item:
    key: str
    model: type[BaseModel]
    fetch: Fetch  # how the key is read (registered for its later re-reads)
    metered: Fetch  # the same, counted in the budget


class Prefetcher:
    """The background prefetch of one user's client (see the module's docstring)."""

    def __init__(
        self,
        repo: Repository,
        api: Loads,
        engine: MutationEngine,
        *,
        clinic_id: int,
        may_run: Callable[[], bool],
        settings: PrefetchSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.repo = repo
        self.api = api
        self.engine = engine
        self.clinic_id = clinic_id
        self.settings = settings or PrefetchSettings()
        self.budget = Budget(
            self.settings.requests_per_minute, self.settings.bytes_per_minute, clock
        )
        self.stats = PrefetchStats()
        self.state: State = "idle"
        self._may_run = may_run
        self._queue: deque[_Item] = deque()
        self._replan = False
        self._clock = clock
        self._retry_at = float("-inf")  # a load met no server: not before this time
        self._open_id: int | None = None
        self._wake = asyncio.Event()  # a plan is wanted, or a pause may be over
        self._nudge = asyncio.Event()  # ends a budget wait early (to re-check)
        self._user_reads = 0
        self._user_idle = asyncio.Event()
        self._user_idle.set()
        self._lane = asyncio.Semaphore(max(1, self.settings.lane))
        self._loads: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Event()  # state or progress changed (for waiters)
        self._task: asyncio.Task[None] | None = None
        #: wake-ups handled (tests wait for one after a trigger)
        self.rounds = 0

    # --- what the client tells it ------------------------------------------------------

    def start(self) -> None:
        """Starts the lane (not when disabled, or when the budget allows nothing)."""
        settings = self.settings
        if (
            self._task is None
            and settings.enabled
            and settings.requests_per_minute > 0
            and settings.bytes_per_minute > 0
        ):
            self._task = asyncio.create_task(self._run(), name="prefetch")

    async def close(self) -> None:
        task, self._task = self._task, None
        await stop_task(task)
        for load in list(self._loads):
            await stop_task(load)

    def schedule(self) -> None:
        """Plan again (login, reconnect, resync, another open conversation) and go."""
        self._replan = True
        self._retry_at = float("-inf")
        self.kick()

    def resume(self) -> None:
        """What paused the prefetch is over (unlocked, the server answers again): go on now,
        also with a load that met no server."""
        self._retry_at = float("-inf")
        self.kick()

    def kick(self) -> None:
        """Something that paused the prefetch may be over: look again."""
        self._wake.set()
        self._nudge.set()
        self._changed.set()

    def on_change(self, change: Change) -> None:
        """The client's change feed: online (login, reconnect) and resync start a plan."""
        if change.cause == "resync" or (
            change.cause == "connection" and change.reason == ConnectionState.ONLINE.value
        ):
            self.schedule()

    def opened(self, conversation_id: int) -> None:
        """The user opened this conversation: its neighbours come next."""
        if conversation_id != self._open_id:
            self._open_id = conversation_id
            self.schedule()

    @contextlib.asynccontextmanager
    async def user_read(self) -> AsyncIterator[None]:
        """Around each of the user's own reads: no prefetch request starts meanwhile."""
        self._user_reads += 1
        self._user_idle.clear()
        try:
            yield
        finally:
            self._user_reads -= 1
            if not self._user_reads:
                self._user_idle.set()

    # --- what tests and benchmarks wait on ----------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a plan is wanted, queued or in flight."""
        return self._replan or bool(self._queue) or bool(self._loads)

    async def until(self, condition: Callable[[], bool]) -> None:
        """Waits until ``condition()`` holds, checked at every change of state or load."""
        while not condition():
            self._changed.clear()
            await self._changed.wait()

    async def idle(self) -> None:
        """Waits until nothing is planned, queued or loading."""
        await self.until(lambda: not self.busy and self.state == "idle")

    # --- the lane ------------------------------------------------------------------------

    def _set(self, state: State) -> None:
        self.state = state
        self._changed.set()

    async def _run(self) -> None:
        while True:
            if not self._wake.is_set():
                self._set("paused" if self.busy else "idle")
            await self._wake.wait()
            self._wake.clear()
            self.rounds += 1
            self._changed.set()
            if not self._may_run():
                continue
            self._set("running")
            if self._replan and not await self._make_plan():
                continue
            await self._drain()
            if self._loads:
                await asyncio.wait(set(self._loads))
            if self._replan or (self._queue and self._may_run()):
                self._wake.set()  # a new plan came, or a load put its key back: go round
            # else done, or paused (locked, offline): a kick or the next plan wakes it

    async def _make_plan(self) -> bool:
        self._replan = False
        key = list_key(self.clinic_id)
        try:
            inbox = await self.repo.background_read(
                key, ConversationList, lambda: self.api.conversations(self.clinic_id)
            )
        except ClientError as exc:
            log.info("prefetch: the inbox could not be read: %s", exc.message)
            self._replan = unreachable(exc)  # offline: plan again once back
            return False
        views = self.engine.views(inbox.items)
        chosen = plan(
            views, self._open_id, unread=self.settings.unread, around=self.settings.around
        )
        self._queue = deque(self._items(chosen))
        self.stats.plans += 1
        log.debug("prefetch: %d keys planned", len(self._queue))
        return True

    def _items(self, chosen: list[ConversationView]) -> Iterable[_Item]:
        patients: set[int] = set()
        for view in chosen:
            yield self._detail(view.id)
            pid = view.summary.patient_id
            if self.settings.patients and pid not in patients:
                patients.add(pid)
                yield self._patient(pid)

    def _detail(self, cid: int) -> _Item:
        return _Item(
            detail_key(cid),
            ConversationDetail,
            lambda: self.api.conversation(cid),
            lambda: self.api.conversation(cid, meter=self._spend()),
        )

    def _patient(self, pid: int) -> _Item:
        return _Item(
            patient_key(pid),
            Patient,
            lambda: self.api.patient(pid),
            lambda: self.api.patient(pid, meter=self._spend()),
        )

    def _spend(self) -> Meter:
        """One request of the budget, taken as it starts."""
        self.stats.requests += 1
        take = self.budget.take()

        def meter(nbytes: int) -> None:
            take(nbytes)
            self.stats.bytes += nbytes

        return meter

    async def _drain(self) -> None:
        """Loads the queued keys in order, side by side up to the lane's width."""
        while self._queue and not self._replan:
            item = self._queue[0]
            if not await self._ready(budget=False):
                return
            if await self.repo.current(item.key, item.model):
                if self._queue and self._queue[0] is item:
                    self._queue.popleft()
                    self.stats.skipped_current += 1
                continue
            await self._lane.acquire()  # then the budget, once the answers before are in
            try:
                ready = await self._ready(budget=True)
            except BaseException:
                self._lane.release()
                raise
            if not ready or not self._queue or self._queue[0] is not item:
                self._lane.release()  # paused, or the queue changed meanwhile
                if not ready:
                    return
                continue
            self._queue.popleft()
            load = asyncio.create_task(self._load(item), name=f"prefetch {item.key}")
            self._loads.add(load)
            load.add_done_callback(self._loaded)

    async def _ready(self, *, budget: bool) -> bool:
        """Waits until the user's reads are done and (``budget``) the budget has room for a
        request. False when the prefetch must pause (locked, offline, signed out) or plan
        again."""
        while True:
            if not self._may_run() or self._replan:
                return False
            if self._user_reads:
                self._set("yielding")
                await self._user_idle.wait()
                continue
            held = self._retry_at - self._clock()
            if held > 0:
                await self._pause("paused", held)
                continue
            wait = self.budget.wait() if budget else 0.0
            if wait > 0:
                await self._pause("budget", wait)
                continue
            self._set("running")
            return True

    async def _pause(self, state: State, seconds: float) -> None:
        """Waits ``seconds``, or less when kicked (then the caller checks again)."""
        self._set(state)
        self._nudge.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._nudge.wait(), seconds)

    async def _load(self, item: _Item) -> None:
        try:
            await self.repo.preload(item.key, item.fetch, via=item.metered)
        except ClientError as exc:
            self.stats.failures += 1
            log.info("prefetch of %s failed: %s", item.key, exc.message)
            if unreachable(exc):
                self._queue.appendleft(item)  # first again once back (online: a new plan)
                self._retry_at = self._clock() + UNREACHABLE_PAUSE
            elif not isinstance(exc, RejectedError):
                self._queue.clear()  # the server is busy (429, 5xx): no more until next time
        finally:
            self._lane.release()

    def _loaded(self, task: asyncio.Task[None]) -> None:
        self._loads.discard(task)
        self._changed.set()
