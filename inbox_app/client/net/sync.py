"""Live sync of one client: the socket, reachability, catch-up and re-reads (issue 18).

:class:`Sync` owns what keeps the held data converging to the server's:

- the :class:`~inbox_app.client.net.live.LiveListener` and what its events mean: an event
  invalidates the keys it names, a ``resync`` every key of the clinic; "online" is announced
  only once the replay (and a resync's reloads) have been applied;
- the :class:`~inbox_app.client.net.reachability.Reachability` shared with the HTTP API, so
  every request and the socket update one answer; when the server answers again the outbox
  resumes, the socket reconnects at once and failed re-reads go again; while it does not, a
  cheap probe asks every second or so;
- the :class:`~inbox_app.client.reads.refresher.Refresher`, which re-reads every invalidated
  or stale key the client holds until a load of it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Iterable

from pydantic import ValidationError

from inbox_app.client.actions.engine import MutationEngine
from inbox_app.client.errors import ClientError
from inbox_app.client.net.api import Api
from inbox_app.client.net.inbound import patient_wrote
from inbox_app.client.net.live import PING_INTERVAL, PING_TIMEOUT, LiveListener
from inbox_app.client.net.reachability import Reachability
from inbox_app.client.reads.cache import LocalCache
from inbox_app.client.reads.refresher import Refresher, Reloader
from inbox_app.client.tasks import stop_task
from inbox_app.client.views import Change, ConnectionState
from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.contract.models import ConversationSummary

log = logging.getLogger(__name__)

_SEQ_META = "live-seq"
#: While the server cannot be reached, it is probed every PROBE_EVERY seconds (with jitter),
#: each probe giving up after PROBE_LIMIT: the socket is back within about two seconds of
#: the server (tests/benchmarks/README.md, sync soak).
PROBE_EVERY = (0.2, 0.6)
PROBE_LIMIT = 1.0
#: How long a resync may hold back "online" while its reloads run (they go on after that).
RESYNC_WAIT = 10.0


class Sync:
    """Live sync, reachability and re-reads of one user's clinic."""

    def __init__(
        self,
        api: Api,
        cache: LocalCache,
        engine: MutationEngine,
        *,
        clinic_id: int,
        emit: Callable[[Change], None],
        unauthorized: Callable[[], None],
        ping_interval: float = PING_INTERVAL,
        ping_timeout: float = PING_TIMEOUT,
        backoff_cap: float = 30.0,
        rng: random.Random | None = None,
    ) -> None:
        self.api = api
        self.cache = cache
        self.engine = engine
        self._emit = emit
        self._rng = rng or random.Random()
        self.reachability: Reachability = api.reachability
        self.live = LiveListener(
            api.server_url, lambda: self.api.token, on_event=self._live_event,
            on_state=self._state_changed, on_unauthorized=unauthorized, clinic_id=clinic_id,
            ping_interval=ping_interval, ping_timeout=ping_timeout, backoff_cap=backoff_cap,
            rng=self._rng, reachability=self.reachability)
        self.refresher = Refresher(may_run=self._may_reload, rng=self._rng)
        self._unreachable = asyncio.Event()
        if not self.reachability.reachable:
            self._unreachable.set()
        self._unsubscribe = self.reachability.subscribe(self._reachability_changed)
        self._probe_task: asyncio.Task[None] | None = None
        self.started = False
        self.closed = False

    def attach(self, reloader: Reloader) -> None:
        """What re-reads keys (the repository, built after this object)."""
        self.refresher.reloader = reloader

    # --- life cycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Opens the live socket (from the last seq seen) and starts re-reads and probes."""
        if self.started:
            return
        self.started = True
        seq = await self.cache.get_meta(_SEQ_META)
        if isinstance(seq, int) and seq >= 0:
            self.live.last_seq = seq
        self.refresher.start()
        self._probe_task = asyncio.create_task(self._probe(), name="reachability-probe")
        self.live.start()

    async def close(self) -> None:
        """Stops the socket, the probes and the re-reads."""
        self.closed = True
        self._unsubscribe()
        await self.live.close()
        task, self._probe_task = self._probe_task, None
        await stop_task(task)
        await self.refresher.close()

    # --- what reads ask ------------------------------------------------------------------

    @property
    def connection(self) -> ConnectionState:
        """The live connection's state, as the status bar shows it."""
        return self.live.state

    def trusted(self) -> bool:
        """Whether a young entry may be called fresh: the server answers and, once live sync
        runs, its invalidations reach us (while the socket is down, changes go unseen)."""
        live_ok = not self.started or self.live.state is ConnectionState.ONLINE
        return self.reachability.reachable and live_ok

    def offline(self) -> bool:
        """Whether reads are served from the cache because the server cannot be reached."""
        return not self.reachability.reachable or self.live.state is ConnectionState.OFFLINE

    def want(self, keys: Iterable[str]) -> None:
        """Re-read these held keys until each succeeds."""
        self.refresher.want(keys)

    async def settled(self) -> None:
        """Waits until no held key waits for a re-read (or a round of them failed)."""
        await self.refresher.settled()

    def _may_reload(self) -> bool:
        return self.reachability.reachable and not self.closed

    # --- reachability --------------------------------------------------------------------

    def _reachability_changed(self, reachable: bool, changed: bool) -> None:
        if not reachable:
            self._unreachable.set()
            self.engine.set_online(False)
            return
        self._unreachable.clear()
        if changed:
            self.engine.set_online(True)
            self.refresher.kick()
        if not self.live.connected and (changed or not self.live.refused):
            # the server answers (again): reconnect now, not after the backoff; a server that
            # refused the socket itself is left to the backoff unless it was away meanwhile
            self.live.poke()

    def outbox_paused(self) -> None:
        """The outbox met an unreachable server. The reachability heard it from the API; if
        something newer answered since (the socket came back), the outbox goes on."""
        if self.reachability.reachable:
            self.engine.set_online(True)

    async def _probe(self) -> None:
        """While the server cannot be reached, asks it now and then (the answer, through
        the reachability, resumes everything at once)."""
        while True:
            await self._unreachable.wait()
            await asyncio.sleep(self._rng.uniform(*PROBE_EVERY))  # the probe's pace
            if self.reachability.reachable:
                continue
            with contextlib.suppress(ClientError):
                await self.api.probe(PROBE_LIMIT)

    # --- the live socket -----------------------------------------------------------------

    def _state_changed(self, state: ConnectionState) -> None:
        if state is ConnectionState.ONLINE:
            # what was read while we were away may be out of date
            self.want(key for key in self.cache.held() if not self._fresh(key))
        self._emit(Change("connection", reason=state.value))

    def _fresh(self, key: str) -> bool:
        entry = self.cache.peek(key)
        return entry is None or self.cache.is_fresh(key, entry)

    async def _live_event(self, event: LiveEvent) -> None:
        """One new event of this clinic (the listener drops the others and repeats)."""
        if event.type is EventType.RESYNC:
            held = await self.cache.mark_all_stale()
            self._emit(Change("resync"))
            self.want(held)
            # "online" (the listener's next frame is the replay's end) waits for the reloads
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.refresher.settled(), RESYNC_WAIT)
        else:
            held = await self.cache.invalidate(event.invalidate)
            if event.type in (EventType.CONVERSATION_UPDATED, EventType.CONVERSATION_CREATED) \
                    and event.data is not None:
                try:
                    self.engine.rebase(ConversationSummary.model_validate(event.data))
                except ValidationError as exc:
                    log.warning("live: event data breaks the contract: %s", exc)
            ids = frozenset({event.conversation_id} if event.conversation_id else ())
            self._emit(Change("invalidated", ids, patient_wrote=patient_wrote(event)))
            self.want(held)
        await self.cache.set_meta(_SEQ_META, event.seq)
