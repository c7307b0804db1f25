"""The live listener: ``WS /api/live`` with hello{since}, replay, reconnects and pings.

It reconnects forever with capped exponential backoff and full jitter; a connection that
caught up (the server's ``ready`` after the replay) counts as healthy and resets the backoff,
so a run of short-lived connections never drifts into long waits. :meth:`LiveListener.poke`
(the server answered again) cuts a wait, or a connect attempt that hangs, short. Pings notice
a dead connection within ``ping_interval + ping_timeout`` seconds (5 s by default: a
blackholed network, issue 18). It skips events it has already seen (a replay may repeat
some) and reports its state: "online" only once the replay is applied, "reconnecting" while
connecting or catching up, "offline" after repeated failures. Every attempt's outcome goes
to the shared :class:`~inbox_app.client.net.reachability.Reachability`. What an event
*means* is the app's business: each valid event goes to ``on_event``; a frame that breaks
the contract is logged and skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import orjson
from pydantic import ValidationError

from inbox_app.client.errors import UnauthorizedError, from_exception, unreachable
from inbox_app.client.net import tls
from inbox_app.client.net.reachability import Reachability
from inbox_app.client.tasks import stop_task
from inbox_app.client.views import ConnectionState
from inbox_app.contract.events import CLOSE_UNAUTHORIZED, EventType, LiveEvent

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

log = logging.getLogger(__name__)

#: Seconds between pings, and to wait for the pong: a blackholed connection is dropped within
#: their sum. Chosen in tests/benchmarks/bench_sync_soak.py (blackhole to "reconnecting").
PING_INTERVAL = 2.0
PING_TIMEOUT = 3.0
#: Seconds a connect may take before it counts as a failure (a blackholed server).
OPEN_TIMEOUT = 3.0
#: Frames buffered while an event is handled (a resync's reloads hold the loop for a while):
#: past it websockets stops reading the socket, pongs included, and the pings would drop a
#: healthy connection. Events are about 1 KB.
MAX_QUEUE = 4096
#: Seconds a connect runs before a poke may cut it short and start a new one.
POKE_PATIENCE = 1.0


class _Poked(Exception):
    """A connect attempt was cut short because the server answered elsewhere: retry now."""


def ws_url(server_url: str) -> str:
    """The live endpoint of ``server_url`` (http -> ws, https -> wss)."""
    base = server_url.rstrip("/")
    if base.startswith("https://"):
        return "wss://" + base.removeprefix("https://") + "/api/live"
    return "ws://" + base.removeprefix("http://") + "/api/live"


class LiveListener:
    """Keeps one live socket open for the app's life.

    ``token()`` gives the current session token at each connect; ``on_event`` gets every new
    event of ``clinic_id`` (any clinic when None) in order, ``on_state`` every state change,
    ``on_unauthorized`` a rejected session (the listener then waits for :meth:`poke`).
    """

    def __init__(
        self,
        server_url: str,
        token: Callable[[], str | None],
        *,
        on_event: Callable[[LiveEvent], Awaitable[None]],
        on_state: Callable[[ConnectionState], None],
        on_unauthorized: Callable[[], None] | None = None,
        clinic_id: int | None = None,
        since: int = 0,
        ping_interval: float = PING_INTERVAL,
        ping_timeout: float = PING_TIMEOUT,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        rng: random.Random | None = None,
        reachability: Reachability | None = None,
    ) -> None:
        self.url = ws_url(server_url)
        self._token = token
        self._on_event = on_event
        self._on_state = on_state
        self._on_unauthorized = on_unauthorized
        self.clinic_id = clinic_id
        self.last_seq = since
        self.ping_interval = ping_interval
        self.ping_timeout = ping_timeout
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._rng = rng or random.Random()
        self.reachability = reachability or Reachability()
        self.state = ConnectionState.RECONNECTING
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._ws: ClientConnection | None = None
        self._caught_up = False
        self._opened = False
        self.connects = 0  # successful connections so far (tests and metrics)
        self.failures = 0  # failed attempts since the last healthy connection
        #: the last attempt was refused by the server itself (an HTTP status, not the
        #: network): an answer elsewhere is then no reason to try again at once
        self.refused = False

    def start(self) -> None:
        """Starts the connect-listen-reconnect loop as a background task."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="live-listener")

    async def close(self) -> None:
        """Stops the loop and closes the socket."""
        task, self._task = self._task, None
        await stop_task(task)

    def poke(self) -> None:
        """Try to reconnect now (e.g. the server answered again, or a re-login): ends a
        backoff wait, or a connect attempt that hangs."""
        self._wake.set()

    @property
    def connected(self) -> bool:
        """Whether a socket is open (caught up or still replaying)."""
        return self._ws is not None

    def _set_state(self, state: ConnectionState) -> None:
        if state is not self.state:
            self.state = state
            self._on_state(state)

    async def _run(self) -> None:
        while True:
            self._wake.clear()  # a poke from now on cuts this attempt or its wait short
            self._caught_up = self._opened = False
            try:
                await self._session()
            except UnauthorizedError as exc:
                log.warning("live: session rejected (%s); waiting for a new login", exc.message)
                self._set_state(ConnectionState.OFFLINE)
                if self._on_unauthorized is not None:
                    self._on_unauthorized()
                self._wake.clear()
                await self._wake.wait()
                continue
            except asyncio.CancelledError:
                raise
            except _Poked:
                log.info("live: the server answers again; connecting anew")
                continue
            except Exception as exc:
                error = from_exception(exc)
                log.info("live: connection failed or dropped: %s", error.message)
                if self._opened:
                    # dropped (reset, ping timeout, server restart): until something answers,
                    # the server may be gone; the sync's probe finds out within a second
                    self.reachability.failed(self.reachability.now())
            if self._caught_up:
                self.failures = 0  # it was healthy: the drop is news, not a failing server
            self.failures += 1
            # first failure after being up: "reconnecting"; still failing: "offline"
            self._set_state(ConnectionState.RECONNECTING if self.failures == 1
                            else ConnectionState.OFFLINE)
            delay = self._rng.uniform(0, min(self.backoff_cap,
                                             self.backoff_base * 2 ** (self.failures - 1)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _open(self) -> ClientConnection:
        """Connects; its outcome goes to the reachability. Raises :class:`_Poked` when a poke
        comes first (the attempt may hang on a dead route the server no longer uses)."""
        # websockets loads with the first connect, not with this module: the app paints its
        # window before it opens the live socket (issue 13)
        from websockets.asyncio.client import connect

        token = self._token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        started = self.reachability.now()

        # wss: the operating system's trust store plus the clinic's own CA (client/net/tls.py)
        context = tls.ssl_context() if self.url.startswith("wss:") else None

        async def dial() -> ClientConnection:
            return await connect(self.url, additional_headers=headers, ssl=context,
                                 open_timeout=OPEN_TIMEOUT, ping_interval=self.ping_interval,
                                 ping_timeout=self.ping_timeout, close_timeout=2,
                                 max_size=2**22, max_queue=MAX_QUEUE)

        dialing = asyncio.create_task(dial(), name="live-connect")
        try:
            # a handshake takes milliseconds: only one that hangs may be cut short by a poke
            # (HTTP answers arriving meanwhile must not restart a healthy one forever)
            await asyncio.wait({dialing}, timeout=POKE_PATIENCE)
            if not dialing.done():
                poked = asyncio.create_task(self._wake.wait(), name="live-poked")
                try:
                    await asyncio.wait({dialing, poked}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    poked.cancel()
        finally:
            if not dialing.done():
                dialing.cancel()
        try:
            ws = await dialing
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the listener itself is being stopped
            raise _Poked() from None
        except Exception as exc:
            error = from_exception(exc)
            self.refused = not unreachable(error)
            if self.refused:
                self.reachability.answered()  # it answered, with a refusal
            else:
                self.reachability.failed(started)
            raise
        self.refused = False
        self.reachability.answered()
        return ws

    async def _session(self) -> None:
        from websockets.exceptions import ConnectionClosed  # loaded by _open already

        ws = await self._open()
        self._opened = True
        try:
            async with ws:
                self._ws = ws
                await ws.send(orjson.dumps({"type": "hello", "since": self.last_seq}).decode())
                self.connects += 1
                if self.state is ConnectionState.OFFLINE:
                    self._set_state(ConnectionState.RECONNECTING)  # connected, catching up
                async for frame in ws:
                    self.reachability.answered()  # newer news than any request in flight
                    event = self._parse(frame)
                    if event is None:
                        continue
                    if event.type is EventType.READY:
                        self._ready(event)
                        continue
                    if not self._accept(event):
                        continue
                    try:
                        await self._on_event(event)
                    except Exception:  # one bad event must not kill the listener
                        log.exception("live: handling event %s failed", event.seq)
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == CLOSE_UNAUTHORIZED:
                raise UnauthorizedError("live connection closed: session expired") from exc
            raise
        finally:
            self._ws = None

    def _ready(self, event: LiveEvent) -> None:
        """The replay is over and every event of it was handled: "online" from here."""
        if self.clinic_id is not None and event.clinic_id != self.clinic_id:
            return
        self._caught_up = True
        self.reachability.answered()
        self._set_state(ConnectionState.ONLINE)

    def _accept(self, event: LiveEvent) -> bool:
        """Whether ``event`` goes on to ``on_event``; advances :attr:`last_seq` if so.

        An event of another clinic is dropped before it can move the sequence (a stray one
        with a large seq would make every real event look already seen), and so is one
        already seen (a replay may overlap what we had). A resync restarts the sequence."""
        if self.clinic_id is not None and event.clinic_id != self.clinic_id:
            log.warning("live: ignoring an event of another clinic")
            return False
        if event.type is not EventType.RESYNC and event.seq <= self.last_seq:
            return False
        self.last_seq = event.seq
        return True

    @staticmethod
    def _parse(frame: str | bytes) -> LiveEvent | None:
        try:
            return LiveEvent.model_validate(orjson.loads(frame))
        except (orjson.JSONDecodeError, ValidationError) as exc:
            log.warning("live: ignoring a frame that breaks the contract: %s", exc)
            return None
