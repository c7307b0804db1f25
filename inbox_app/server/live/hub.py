"""The live hub: ``WS /api/live`` sockets, replay after ``hello``, per-clinic ordered fan-out.

Every committed event reaches the hub through the :class:`Bus` (in process, or from other
instances over Redis). The hub delivers each clinic's events in seq order and without gaps:
an event whose seq skips ahead (a concurrent writer published later than it committed, or a
message lost between instances) makes it read the missing ones from the database log first.
A socket that falls too far behind, or asks for a gap the bounded log no longer holds, gets a
``resync`` and starts over from the current seq.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from inbox_app.contract.events import (
    CLOSE_PROTOCOL,
    CLOSE_TOO_MANY_REPLAYS,
    CLOSE_TOO_MANY_SOCKETS,
    CLOSE_UNAUTHORIZED,
    EventType,
    Hello,
    LiveEvent,
)
from inbox_app.server.aio import cancel_and_wait
from inbox_app.server.auth import Auth, AuthUser, bearer_token
from inbox_app.server.db.database import Database, DatabaseUnavailable
from inbox_app.server.live import event_log
from inbox_app.server.live.bus import Bus

log = logging.getLogger(__name__)

HELLO_TIMEOUT_SECONDS = 30.0
#: RFC 6455 "try again later": the client reconnects with its usual backoff.
CLOSE_TRY_AGAIN_LATER = 1013
#: Events a socket may have queued before it is told to resync instead.
QUEUE_LIMIT = 1000
#: A hello is ~30 characters; a longer frame is refused before it is parsed (a deeply
#: nested one would otherwise exhaust the parser's recursion).
MAX_FRAME_CHARS = 1024
DEFAULT_SOCKETS_PER_TOKEN = 5
DEFAULT_REPLAYS_PER_MINUTE = 10


class _Socket:
    """One connected socket: its user, its queue, the last seq it was sent."""

    def __init__(self, ws: WebSocket, user: AuthUser) -> None:
        self.ws = ws
        self.user = user
        self.queue: deque[LiveEvent] = deque()
        self.last_sent = 0
        self.overflowed = False
        self.kicked = False  # logout: close with 4401
        #: set by every offer and kick: the send loop waits on this one event, so it needs
        #: no helper tasks (three per wait used to outlive every closed socket)
        self.wake = asyncio.Event()
        # A replay (after a second hello) and the send loop must not interleave frames.
        self.send_lock = asyncio.Lock()
        #: monotonic times of the latest hellos, for the replay rate limit
        self.hellos: deque[float] = deque()

    def offer(self, event: LiveEvent) -> None:
        if len(self.queue) >= QUEUE_LIMIT:
            self.overflowed = True
        else:
            self.queue.append(event)
        self.wake.set()

    def kick(self) -> None:
        self.kicked = True
        self.wake.set()


class ProtocolError(Exception):
    """A client frame that breaks the protocol (closes with 4400)."""


def resync_event(clinic_id: int, seq: int) -> LiveEvent:
    return LiveEvent(seq=seq, type=EventType.RESYNC, clinic_id=clinic_id, invalidate=[])


def ready_event(clinic_id: int, seq: int) -> LiveEvent:
    """The end of a replay: the client may call itself caught up (issue 18)."""
    return LiveEvent(seq=seq, type=EventType.READY, clinic_id=clinic_id, invalidate=[])


class Hub:
    """Per-clinic fan-out of bus events to the sockets of this process."""

    def __init__(
        self, db: Database, auth: Auth, bus: Bus, *,
        sockets_per_token: int = DEFAULT_SOCKETS_PER_TOKEN,
        replays_per_minute: int = DEFAULT_REPLAYS_PER_MINUTE,
        hello_timeout: float = HELLO_TIMEOUT_SECONDS,
    ) -> None:
        self.db = db
        self.auth = auth
        self.bus = bus
        self.sockets_per_token = sockets_per_token
        self.replays_per_minute = replays_per_minute
        self.hello_timeout = hello_timeout
        #: open sockets per token hash, counted from the accept (before the hello)
        self._per_token: dict[str, int] = defaultdict(int)
        self._sockets: dict[int, set[_Socket]] = defaultdict(set)
        self._delivered: dict[int, int] = {}
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        #: called with a clinic id when its sockets are told to resync (they are about to
        #: re-read everything: the app warms that clinic's list in the cache)
        self.on_resync: Callable[[int], None] | None = None

    async def start(self) -> None:
        async with self.db.read() as conn:
            self._delivered = await event_log.all_seqs(conn)
        self.bus.subscribe(self.on_event)
        self.bus.on_reconnect(self.catch_up)
        self.bus.on_reconnect(self.revalidate)
        self.bus.on_revoked(self.revoked)

    async def catch_up(self) -> None:
        """Delivers events other instances committed while the bus was deaf (Redis down)."""
        latest: list[LiveEvent] = []
        async with self.db.read() as conn:
            for clinic, seq in (await event_log.all_seqs(conn)).items():
                if seq > self._delivered.get(clinic, seq):
                    found = await event_log.since(conn, clinic, seq - 1, seq)
                    latest.append(found[0] if found else resync_event(clinic, seq))
        for event in latest:
            await self.on_event(event)  # fills the gap before it from the log

    def _resynced(self, clinic_id: int) -> None:
        if self.on_resync is not None:
            self.on_resync(clinic_id)

    def client_count(self) -> int:
        return sum(len(s) for s in self._sockets.values())

    async def on_event(self, event: LiveEvent) -> None:
        """Delivers a committed event (from the bus) in seq order, filling gaps from the DB."""
        clinic = event.clinic_id
        async with self._locks[clinic]:
            last = self._delivered.get(clinic, event.seq - 1)
            if event.seq <= last:
                return  # already delivered (read from the log while filling a gap)
            batch: list[LiveEvent] = [event]
            if event.seq > last + 1:
                async with self.db.read() as conn:
                    missing = await event_log.since(conn, clinic, last, event.seq - 1)
                if missing is None:
                    log.warning("clinic %s: events %s..%s lost, sending resync",
                                clinic, last + 1, event.seq - 1)
                    batch = [resync_event(clinic, event.seq)]
                    self._resynced(clinic)
                else:
                    batch = [*missing, event]
            self._delivered[clinic] = event.seq
            for sock in list(self._sockets.get(clinic, ())):
                for item in batch:
                    sock.offer(item)

    async def revalidate(self) -> None:
        """After the bus was deaf (Redis down), revocations other instances published were
        missed: closes the sockets whose token no longer lives (one query)."""
        held = {sock.user.token_hash for sockets in self._sockets.values() for sock in sockets}
        if not held:
            return
        for token_hash in held - await self.auth.alive(held):
            self.revoked(token_hash)

    def revoked(self, token_hash: str) -> None:
        """Another instance logged this token out: forget it here and close its sockets."""
        self.auth.forget(token_hash)
        self.kick_token(token_hash)

    def kick_token(self, token_hash: str) -> None:
        """Closes (4401) every socket of a token that just logged out."""
        for sockets in self._sockets.values():
            for sock in sockets:
                if sock.user.token_hash == token_hash:
                    sock.kick()

    async def serve(self, ws: WebSocket) -> None:
        """Runs one ``WS /api/live`` connection to its end."""
        try:
            user = await self.auth.check(bearer_token(ws.headers, ws.query_params.get("token")))
        except DatabaseUnavailable:
            await ws.accept()
            await ws.close(CLOSE_TRY_AGAIN_LATER, "database unavailable, retry soon")
            return
        await ws.accept()
        if user is None:
            await ws.close(CLOSE_UNAUTHORIZED, "missing, invalid or expired token")
            return
        held = self._per_token[user.token_hash]
        if held >= self.sockets_per_token:
            log.info("live: user %s already holds %s sockets, refusing one more", user.id, held)
            with contextlib.suppress(Exception):
                await ws.close(CLOSE_TOO_MANY_SOCKETS, "too many live sockets for this token")
            self._forget_token_if_idle(user.token_hash)
            return
        self._per_token[user.token_hash] += 1
        try:
            await self._serve_user(ws, user)
        finally:
            self._per_token[user.token_hash] -= 1
            self._forget_token_if_idle(user.token_hash)

    def _forget_token_if_idle(self, token_hash: str) -> None:
        if self._per_token.get(token_hash, 1) <= 0:
            del self._per_token[token_hash]

    async def _serve_user(self, ws: WebSocket, user: AuthUser) -> None:
        try:
            hello = await asyncio.wait_for(_receive_hello(ws), self.hello_timeout)
        except (ProtocolError, TimeoutError) as exc:
            reason = str(exc) or "expected a hello frame in time"
            log.warning("live: user %s closed with %s: %s", user.id, CLOSE_PROTOCOL, reason)
            with contextlib.suppress(Exception):
                await ws.close(CLOSE_PROTOCOL, reason[:120])
            return
        except WebSocketDisconnect:
            return
        sock = _Socket(ws, user)
        sock.hellos.append(time.monotonic())
        self._sockets[user.clinic_id].add(sock)
        log.debug("live: user %s connected (since=%s)", user.id, hello.since)
        tasks: list[asyncio.Task[tuple[int, str] | None]] = []
        try:
            await self._replay(sock, hello.since)
            tasks = [
                asyncio.create_task(self._send_loop(sock), name="live-send"),
                asyncio.create_task(self._receive_loop(sock), name="live-receive"),
                asyncio.create_task(self._expiry(sock), name="live-expiry"),
            ]
            done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            close = next(iter(done)).result()
            if close is not None:
                with contextlib.suppress(Exception):
                    await ws.close(*close)
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass  # the client went away
        finally:
            await cancel_and_wait(tasks)
            self._sockets[user.clinic_id].discard(sock)

    async def _replay(self, sock: _Socket, since: int) -> None:
        async with sock.send_lock:
            await self._replay_locked(sock, since)

    async def _replay_locked(self, sock: _Socket, since: int) -> None:
        clinic = sock.user.clinic_id
        async with self.db.read() as conn:
            current = await event_log.current_seq(conn, clinic)
            missed = None if since > current else await event_log.since(
                conn, clinic, since, current
            )
        if missed is None:  # a gap the log no longer holds, or a seq from another database
            await self._send(sock, resync_event(clinic, current))
            self._resynced(clinic)
        else:
            sock.last_sent = since
            for event in missed:
                await self._send(sock, event)
        # not through _send: the marker must not move last_sent past events still queued
        await sock.ws.send_text(ready_event(clinic, current).model_dump_json())

    async def _send(self, sock: _Socket, event: LiveEvent) -> None:
        await sock.ws.send_text(event.model_dump_json())
        sock.last_sent = event.seq

    async def _send_loop(self, sock: _Socket) -> tuple[int, str] | None:
        while True:
            await sock.wake.wait()
            sock.wake.clear()
            if sock.kicked:
                return CLOSE_UNAUTHORIZED, "logged out"
            if sock.overflowed:
                sock.overflowed = False
                sock.queue.clear()
                async with self.db.read() as conn:
                    current = await event_log.current_seq(conn, sock.user.clinic_id)
                async with sock.send_lock:
                    await self._send(sock, resync_event(sock.user.clinic_id, current))
            while sock.queue and not sock.kicked and not sock.overflowed:
                event = sock.queue.popleft()
                async with sock.send_lock:
                    if event.type is EventType.RESYNC or event.seq > sock.last_sent:
                        await self._send(sock, event)

    async def _receive_loop(self, sock: _Socket) -> tuple[int, str] | None:
        while True:
            try:
                hello = await _receive_hello(sock.ws)
            except ProtocolError as exc:
                log.warning("live: user %s closed with %s: %s", sock.user.id, CLOSE_PROTOCOL,
                            exc)
                return CLOSE_PROTOCOL, str(exc)[:120]
            except WebSocketDisconnect:
                return None
            now = time.monotonic()
            while sock.hellos and now - sock.hellos[0] >= 60.0:
                sock.hellos.popleft()
            if len(sock.hellos) >= self.replays_per_minute:
                log.info("live: user %s asked for more than %s replays a minute, closing",
                         sock.user.id, self.replays_per_minute)
                return CLOSE_TOO_MANY_REPLAYS, "too many hellos (replays) per minute"
            sock.hellos.append(now)
            # A second hello asks for a replay from its seq, e.g. after a client-side reset.
            await self._replay(sock, hello.since)

    async def _expiry(self, sock: _Socket) -> tuple[int, str] | None:
        remaining = (sock.user.expires_at - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(max(remaining, 0))  # the token's deadline, not a poll
        return CLOSE_UNAUTHORIZED, "token expired"


async def _receive_hello(ws: WebSocket) -> Hello:
    message = await ws.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    text = message.get("text")
    if text is None:
        raise ProtocolError("frames must be JSON text, got a binary frame")
    if len(text) > MAX_FRAME_CHARS:
        raise ProtocolError(f"frame longer than {MAX_FRAME_CHARS} characters")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ProtocolError("frame is not JSON") from None
    try:
        return Hello.model_validate(data)
    except ValidationError:
        raise ProtocolError('expected {"type": "hello", "since": <seq>}') from None
