"""Stopping a background task for sure.

On Python 3.11 ``asyncio.wait_for`` can swallow a cancellation that arrives just as the
awaited event fires (CPython gh-86296), and a loop around it then runs on; a close that
cancels once and awaits would wait forever. :func:`stop_task` cancels again until the task
has ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

log = logging.getLogger(__name__)


async def stop_task(task: asyncio.Task[Any] | None) -> None:
    """Cancels ``task`` (again, if a cancellation was swallowed) and waits for its end."""
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)
    with contextlib.suppress(asyncio.CancelledError):
        if task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())
