"""Cross-instance fan-out of live events (ARCHITECTURE.md section 6).

Every committed event goes through :meth:`Bus.publish`. The bus hands it at once to this
process's subscribers (the live hub), so an instance's own sockets never depend on Redis;
with a Redis URL it also publishes it on one pub/sub channel, and every other instance's
listener hands it to *its* subscribers. A message carries the publishing instance's id so an
instance never delivers its own events twice.

The channels belong to one database, as the cache's keys do (``namespace``, from
:mod:`inbox_app.server.db.identity`): two servers on two databases that share one Redis
never hear each other's events or revocations (the same demo ids, or a database restored
from another's backup, would otherwise reach the wrong sockets).

Ordering and gaps are the hub's job: the database numbers events per clinic, and the hub
fills a gap (an event lost while pub/sub was down, or one overtaken by a later one) from the
database event log. :meth:`Bus.on_reconnect` tells it when the listener was deaf for a while.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError

from inbox_app.contract.events import LiveEvent
from inbox_app.server.aio import cancel_and_wait
from inbox_app.server.redis.breaker import CircuitBreaker
from inbox_app.server.redis.client import REDIS_ERRORS, connect

logger = logging.getLogger(__name__)

Subscriber = Callable[[LiveEvent], Awaitable[None] | None]
ReconnectHook = Callable[[], Awaitable[None] | None]
RevokedHook = Callable[[str], Awaitable[None] | None]

#: the pub/sub channel every instance of one database publishes to and listens on (after
#: the database's namespace: :func:`channels`)
CHANNEL = "inbox:live"
#: the channel of tokens that died (logout): every instance forgets them and closes their
#: sockets at once, instead of trusting its token memo for a few more seconds
REVOKED_CHANNEL = "inbox:revoked"
_TOKEN_HASH = re.compile(r"[0-9a-f]{64}")
#: seconds between attempts to re-subscribe after the listener lost Redis (doubling to 1 s)
_RETRY_FIRST, _RETRY_MAX = 0.05, 1.0


def channels(namespace: str = "") -> tuple[str, str]:
    """The live and revoked channels of the database whose namespace is ``namespace``
    (:func:`inbox_app.server.db.identity.cache_namespace`, the cache keys' prefix)."""
    return namespace + CHANNEL, namespace + REVOKED_CHANNEL


class Bus:
    """Hands every published event to every subscriber of every instance of one database.

    ``namespace`` prefixes both channel names (the database's identity, as for the cache)."""

    def __init__(
        self,
        client=None,
        listen_client=None,
        *,
        cooldown: float = 1.0,
        owns_client: bool = True,
        namespace: str = "",
    ) -> None:
        self.origin = uuid.uuid4().hex
        self.channel, self.revoked_channel = channels(namespace)
        self._owns_client = owns_client
        self._subscribers: list[Subscriber] = []
        self._reconnect_hooks: list[ReconnectHook] = []
        self._revoked_hooks: list[RevokedHook] = []
        #: per clinic, the latest event Redis did not take (down, hung): published again when
        #: it is back, so the other instances learn of it and fill what came before it from
        #: the log (a hung Redis does not break their listeners, so they cannot tell)
        self._unsent: dict[int, LiveEvent] = {}
        self._redis = client
        self._listen_client = listen_client
        self._listener: asyncio.Task[None] | None = None
        #: set while the listener is subscribed (tests and health read it)
        self.listening = asyncio.Event()
        self.breaker = CircuitBreaker("bus", self._probe, cooldown=cooldown)

    @classmethod
    async def create(
        cls, redis_url: str | None, *, cooldown: float = 1.0, client=None, namespace: str = ""
    ) -> Bus:
        """A bus over Redis pub/sub at ``redis_url``, or in process for ``None``.

        ``client``: the process's pooled client (the cache's) to publish through; it stays
        open when the bus closes. Listening needs a connection of its own either way: a
        subscribed connection can run nothing else, and its reads wait without a timeout.
        Never fails because Redis is down: the listener keeps trying in the background and
        local delivery works meanwhile. ``namespace``: the database's (see :class:`Bus`).
        """
        if not redis_url:
            return cls(namespace=namespace)
        bus = cls(
            client if client is not None else connect(redis_url),
            connect(redis_url, read_timeout=None, max_connections=2),
            cooldown=cooldown,
            owns_client=client is None,
            namespace=namespace,
        )
        bus._listener = asyncio.get_running_loop().create_task(bus._listen(), name="bus-listen")
        # give the subscription a moment so events published right after start reach us;
        # a Redis that is down does not hold the start-up longer than this
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(bus.listening.wait(), 0.5)
        return bus

    def subscribe(self, callback: Subscriber) -> None:
        """Registers ``callback`` (sync or async) for every event, local or remote."""
        self._subscribers.append(callback)

    def on_reconnect(self, callback: ReconnectHook) -> None:
        """Registers ``callback`` for when the listener re-subscribes after losing Redis:
        events published meanwhile by other instances were missed (fill them from the log)."""
        self._reconnect_hooks.append(callback)

    def on_revoked(self, callback: RevokedHook) -> None:
        """Registers ``callback(token_hash)`` for a token another instance logged out."""
        self._revoked_hooks.append(callback)

    async def publish_revoked(self, token_hash: str) -> None:
        """Tells the other instances that a token died (this one already acted on it).

        Never raises: without Redis there is no other instance; one that misses it while
        Redis is down stops trusting the token when its memo expires (seconds) and closes
        the token's sockets when its listener is back (``on_reconnect``)."""
        if self._redis is not None:
            await self._try_publish(self.revoked_channel, token_hash.encode(), "a revoked token")

    async def publish(self, event: LiveEvent) -> None:
        """Delivers ``event`` here, then to the other instances. Never raises for Redis."""
        await self._deliver(event)
        if self._redis is not None and not await self._try_publish(
            self.channel, event.model_dump_json().encode(), f"seq={event.seq}"
        ):
            self._keep_unsent(event)

    async def _try_publish(self, channel: str, body: bytes, what: str) -> bool:
        """Publishes ``body`` on ``channel`` through the breaker; whether Redis took it."""
        if not self.breaker.allow():
            return False
        try:
            await self._publish(channel, body)
        except REDIS_ERRORS as exc:
            logger.debug("bus: publish of %s failed: %r", what, exc)
            self.breaker.failure(exc)
            return False
        self.breaker.success()
        return True

    async def _publish(self, channel: str, body: bytes) -> None:
        """One message, marked with this instance's id (raises what Redis raises)."""
        await self._redis.publish(channel, self.origin.encode() + b" " + body)

    def _keep_unsent(self, event: LiveEvent) -> None:
        kept = self._unsent.get(event.clinic_id)
        if kept is None or kept.seq < event.seq:
            self._unsent[event.clinic_id] = event

    async def close(self) -> None:
        """Stops listening and delivering."""
        self._subscribers.clear()
        self._reconnect_hooks.clear()
        self._revoked_hooks.clear()
        await cancel_and_wait([self._listener])
        self._listener = None
        await self.breaker.close()
        for client in (self._redis if self._owns_client else None, self._listen_client):
            if client is not None:
                await client.aclose()

    def health(self) -> str:
        """``up``, ``down`` (publishing or listening fails) or ``disabled`` (in process)."""
        if self._redis is None:
            return "disabled"
        return "up" if self.listening.is_set() and self.breaker.allow() else "down"

    async def _probe(self) -> None:
        """The breaker's probe: Redis answers, and what it missed is published again."""
        await self._redis.ping()
        for clinic, event in sorted(self._unsent.items()):
            await self._publish(self.channel, event.model_dump_json().encode())
            if self._unsent.get(clinic) is event:
                del self._unsent[clinic]
        logger.debug("bus: published again the latest event of each clinic Redis missed")

    async def _listen(self) -> None:
        delay = _RETRY_FIRST
        lost = False
        revoked = self.revoked_channel.encode()
        while True:
            pubsub = self._listen_client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel, self.revoked_channel)
                self.listening.set()
                delay = _RETRY_FIRST
                if lost:
                    lost = False
                    logger.warning("bus: listening on Redis again")
                    await _call_each(self._reconnect_hooks, what="a reconnect hook")
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if message is None or message.get("type") != "message":
                        continue
                    if message.get("channel") == revoked:
                        await self._on_revoked(message["data"])
                    else:
                        await self._on_message(message["data"])
            except REDIS_ERRORS as exc:
                if self.listening.is_set():
                    logger.warning("bus: lost Redis pub/sub (%r); local delivery only", exc)
                self.listening.clear()
                lost = True
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)  # back-off between reconnect attempts, not a poll
            delay = min(delay * 2, _RETRY_MAX)

    async def _on_message(self, data: bytes) -> None:
        origin, _, body = data.partition(b" ")
        if origin.decode(errors="replace") == self.origin:
            return  # delivered locally when published
        try:
            event = LiveEvent.model_validate_json(body)
        except ValidationError as exc:
            logger.warning("bus: dropped a message that is not a live event: %s", exc)
            return
        await self._deliver(event)

    async def _on_revoked(self, data: bytes) -> None:
        origin, _, body = data.partition(b" ")
        if origin.decode(errors="replace") == self.origin:
            return
        token_hash = body.decode(errors="replace")
        if not _TOKEN_HASH.fullmatch(token_hash):
            logger.warning("bus: dropped a revocation that is not a token hash")
            return
        await _call_each(self._revoked_hooks, token_hash, what="a revocation hook")

    async def _deliver(self, event: LiveEvent) -> None:
        await _call_each(self._subscribers, event, what=f"a subscriber of seq={event.seq}")


async def _call_each(callbacks: list[Callable[..., Any]], *args: Any, what: str) -> None:
    """Calls each callback (sync or async) with ``args``; one that fails is logged and the
    others still run."""
    for callback in list(callbacks):
        try:
            result = callback(*args)
            if inspect.isawaitable(result):
                await result
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("bus: %s failed", what)
