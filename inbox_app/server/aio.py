"""Asyncio chores the server's parts share."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any


async def cancel_and_wait(tasks: Iterable[asyncio.Task[Any] | None]) -> None:
    """Cancels ``tasks`` (``None`` entries skipped) and waits until each has ended, whatever
    it ended with: at shutdown, or when the connection a task served is gone. A cancellation
    of the caller itself still propagates."""
    pending = [task for task in tasks if task is not None]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
