"""A circuit breaker for the Redis cache and bus: a dead or hung Redis must cost milliseconds.

After ``threshold`` consecutive failures the breaker opens: callers skip Redis at once (no
timeout paid per request). A timeout opens it at once: each one cost a request the whole
read timeout (100 ms), against ~0.3 ms for a refused connection, and a Redis that let one
command time out is hung or overloaded, so the next ones would wait as long. A background
probe then tries Redis every ``cooldown`` seconds and closes the breaker when the probe
succeeds, so requests never pay for probing a dead server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import redis.exceptions

from inbox_app.server.aio import cancel_and_wait

logger = logging.getLogger(__name__)

Probe = Callable[[], Awaitable[None]]

#: failures that open the breaker at once (redis-py's own is not the builtin one)
TIMEOUTS: tuple[type[BaseException], ...] = (TimeoutError, redis.exceptions.TimeoutError)


class CircuitBreaker:
    """Closed (use Redis) or open (skip it while a background probe waits for recovery)."""

    def __init__(self, name: str, probe: Probe, *, threshold: int = 3,
                 cooldown: float = 1.0) -> None:
        self.name = name
        self.threshold = threshold
        self.cooldown = cooldown
        self._probe = probe
        self._failures = 0
        self._closed = asyncio.Event()
        self._closed.set()
        self._probe_task: asyncio.Task[None] | None = None

    @property
    def is_open(self) -> bool:
        return not self._closed.is_set()

    def allow(self) -> bool:
        """Whether a caller may use Redis now."""
        return self._closed.is_set()

    def success(self) -> None:
        self._failures = 0

    def failure(self, error: BaseException | None = None) -> None:
        """Counts a failure; the ``threshold``-th in a row, or a timeout, opens the breaker."""
        self._failures += 1
        if self._closed.is_set() and (self._failures >= self.threshold
                                      or isinstance(error, TIMEOUTS)):
            self.trip(error)

    def trip(self, error: BaseException | None = None) -> None:
        """Opens the breaker now (e.g. Redis unreachable at start) and starts probing."""
        if not self._closed.is_set():
            return
        self._closed.clear()
        logger.warning("%s: Redis unavailable (%s); skipping it, probing every %.2f s",
                       self.name, error or "failures", self.cooldown)
        self._probe_task = asyncio.get_running_loop().create_task(
            self._probe_until_closed(), name=f"{self.name}-breaker-probe")

    async def wait_closed(self) -> None:
        """Returns once Redis is usable again."""
        await self._closed.wait()

    async def _probe_until_closed(self) -> None:
        while not self._closed.is_set():
            # a timer, not a poll for an event: the cool-down between probes
            await asyncio.sleep(self.cooldown)
            try:
                await self._probe()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any failure keeps it open; the next probe tries again
                logger.debug("%s: probe failed: %s", self.name, exc)
                continue
            self._failures = 0
            self._closed.set()
            logger.warning("%s: Redis is back; using it again", self.name)

    async def close(self) -> None:
        task, self._probe_task = self._probe_task, None
        await cancel_and_wait([task])
