"""The live listener: ``WS /api/live`` with hello{since}, replay, reconnects and pings.

It reconnects forever with capped exponential backoff and full jitter, pings so a dead
connection is noticed within about ``ping_interval + ping_timeout`` seconds (20 s by
default), skips events it has already seen (a replay may repeat some), and reports its
state (online, reconnecting, offline). What an event *means* is the app's business: each
valid event goes to ``on_event``; a frame that breaks the contract is logged and skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable

import orjson
from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from inbox_app.client.errors import UnauthorizedError, from_exception
from inbox_app.client.net import tls
from inbox_app.client.views import ConnectionState
from inbox_app.contract.events import CLOSE_UNAUTHORIZED, EventType, LiveEvent

log = logging.getLogger(__name__)


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
        ping_interval: float = 10.0,
        ping_timeout: float = 10.0,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        rng: random.Random | None = None,
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
        self.state = ConnectionState.RECONNECTING
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._ws: ClientConnection | None = None
        self.connects = 0  # successful connections so far (tests and metrics)

    def start(self) -> None:
        """Starts the connect-listen-reconnect loop as a background task."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="live-listener")

    async def close(self) -> None:
        """Stops the loop and closes the socket."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def poke(self) -> None:
        """Try to reconnect now (e.g. after a successful HTTP request or a re-login)."""
        self._wake.set()

    def _set_state(self, state: ConnectionState) -> None:
        if state is not self.state:
            self.state = state
            self._on_state(state)

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                await self._session()
                failures = 0  # it was up; a clean drop retries soon
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
            except Exception as exc:
                error = from_exception(exc)
                log.info("live: connection failed or dropped: %s", error.message)
            failures += 1
            # first failure after being up: "reconnecting"; still failing: "offline"
            self._set_state(ConnectionState.RECONNECTING if failures == 1
                            else ConnectionState.OFFLINE)
            delay = self._rng.uniform(0, min(self.backoff_cap,
                                             self.backoff_base * 2 ** (failures - 1)))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _session(self) -> None:
        token = self._token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            secure = {"ssl": tls.ssl_context()} if self.url.startswith("wss:") else {}
            async with connect(self.url, additional_headers=headers, open_timeout=5, **secure,
                               ping_interval=self.ping_interval, ping_timeout=self.ping_timeout,
                               close_timeout=2, max_size=2**22) as ws:
                self._ws = ws
                await ws.send(orjson.dumps({"type": "hello", "since": self.last_seq}).decode())
                self.connects += 1
                self._set_state(ConnectionState.ONLINE)
                async for frame in ws:
                    event = self._parse(frame)
                    if event is None or not self._accept(event):
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
