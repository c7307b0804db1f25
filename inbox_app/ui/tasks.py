"""Named background tasks of the UI on the qasync loop.

Strong references (asyncio keeps only weak ones, so a task nobody holds can vanish
mid-flight), a name per job so a newer job replaces an older one (opening conversation B
cancels loading A), and every failure logged: no exception disappears.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Tasks:
    """Holds the UI's running tasks; ``run(coro, name=..., replace=True)`` for latest-wins."""

    def __init__(self) -> None:
        self._named: dict[str, asyncio.Task[Any]] = {}
        self._all: set[asyncio.Task[Any]] = set()

    def run(
        self, coro: Coroutine[Any, Any, Any], *, name: str, replace: bool = False
    ) -> asyncio.Task[Any]:
        """Starts ``coro``; with ``replace`` an unfinished task of the same name is cancelled."""
        old = self._named.get(name)
        if replace and old is not None and not old.done():
            old.cancel()
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._named[name] = task
        self._all.add(task)
        task.add_done_callback(self._finished)
        return task

    def running(self, name: str) -> bool:
        """Whether a task of this name is still running."""
        task = self._named.get(name)
        return task is not None and not task.done()

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._all.discard(task)
        if self._named.get(task.get_name()) is task:
            del self._named[task.get_name()]
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("task %s failed", task.get_name(), exc_info=exc)

    def cancel(self) -> None:
        """Cancels every running task without waiting for it (a widget that closes)."""
        for task in list(self._all):
            task.cancel()

    async def cancel_all(self) -> None:
        """Cancels every running task and waits until all have finished."""
        tasks = list(self._all)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def __len__(self) -> int:
        return len(self._all)
