"""Cross-instance fan-out of live events (ARCHITECTURE.md section 6).

First step: the surface the live hub codes against (INTERFACES.md section B), in process.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable

from inbox_app.contract.events import LiveEvent

logger = logging.getLogger(__name__)

Subscriber = Callable[[LiveEvent], Awaitable[None] | None]


class Bus:
    """Hands every published event to every subscriber (in process without Redis)."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    @classmethod
    async def create(cls, redis_url: str | None) -> Bus:
        """A bus over Redis pub/sub at ``redis_url``, or in process for ``None``."""
        return cls()

    async def publish(self, event: LiveEvent) -> None:
        """Delivers ``event`` to every subscriber; a failing subscriber never stops the others."""
        await self._deliver(event)

    def subscribe(self, callback: Subscriber) -> None:
        """Registers ``callback`` for every event, sync or async."""
        self._subscribers.append(callback)

    async def close(self) -> None:
        """Stops delivery."""
        self._subscribers.clear()

    async def _deliver(self, event: LiveEvent) -> None:
        for callback in list(self._subscribers):
            try:
                result = callback(event)
                if inspect.isawaitable(result):
                    await result
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("bus subscriber failed on event seq=%s", event.seq)
