"""Re-reads of held keys that went stale, until each succeeds (issue 18).

A key is *wanted* when an invalidation, a resync, a reconnect or a stale read says the copy
held in memory may be out of date. The refresher loads every wanted key (joining a load that
is already running, so a load that fails is never the last word), keeps the ones that failed
and tries them again with capped exponential backoff and full jitter while the server is
reachable; :meth:`Refresher.kick` (the server answers again) ends a backoff wait. A key
leaves only when a load succeeded and nothing invalidated it meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
from collections.abc import Callable, Iterable
from typing import Protocol

from inbox_app.client.errors import ClientError
from inbox_app.client.tasks import stop_task

log = logging.getLogger(__name__)


class Reloader(Protocol):
    """What loads a key again: :class:`~inbox_app.client.reads.repository.Repository`."""

    def can_reload(self, key: str) -> bool: ...

    async def reload(self, key: str) -> bool: ...


class Refresher:
    """Keeps re-reading the wanted keys until each is current."""

    def __init__(self, reloader: Reloader | None = None, *, may_run: Callable[[], bool],
                 base: float = 0.25, cap: float = 10.0,
                 rng: random.Random | None = None) -> None:
        self.reloader = reloader
        self._may_run = may_run
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()
        self._wanted: dict[str, int] = {}  # key -> the mark of its latest want
        self._marks = itertools.count(1)
        self._work = asyncio.Event()  # something is wanted, or the server answers again
        self._kicked = asyncio.Event()  # the server answers again: skip the backoff
        self._progress = asyncio.Event()  # a round ended
        self._failed_round = 0  # rounds that ended with a failure (for settled())
        self.failures = 0  # failed rounds in a row (the backoff)
        self._task: asyncio.Task[None] | None = None

    @property
    def wanted(self) -> frozenset[str]:
        """The keys still waiting for a successful re-read."""
        return frozenset(self._wanted)

    def want(self, keys: Iterable[str]) -> None:
        """Re-read ``keys`` (those read in this run; the others have no loader)."""
        added = False
        for key in keys:
            if self.reloader is not None and self.reloader.can_reload(key):
                self._wanted[key] = next(self._marks)
                added = True
        if added:
            self._work.set()

    def kick(self) -> None:
        """The server answers again: retry now instead of waiting out the backoff."""
        self._kicked.set()
        self._work.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="refresher")

    async def close(self) -> None:
        task, self._task = self._task, None
        await stop_task(task)

    async def settled(self) -> None:
        """Waits until nothing is wanted, or a round after this call failed (then the
        backoff goes on in the background)."""
        failed = self._failed_round
        while self._wanted and self._failed_round == failed:
            self._progress.clear()
            await self._progress.wait()

    async def _run(self) -> None:
        while True:
            await self._work.wait()
            self._work.clear()
            if not self._wanted or not self._may_run():
                continue  # woken again by a want, or by the server answering
            self._kicked.clear()
            ok = await self._round()
            self._progress.set()
            if ok:
                self.failures = 0
            else:
                self._failed_round += 1
                self.failures += 1
                delay = self._rng.uniform(0, min(self.cap, self.base * 2 ** (self.failures - 1)))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._kicked.wait(), delay)
            if self._wanted:
                self._work.set()

    async def _round(self) -> bool:
        """Loads every wanted key once, side by side; False when some load failed."""
        assert self.reloader is not None
        batch = dict(self._wanted)
        results = await asyncio.gather(*(self.reloader.reload(k) for k in batch),
                                       return_exceptions=True)
        ok = True
        for (key, mark), result in zip(batch.items(), results, strict=True):
            if isinstance(result, asyncio.CancelledError):
                raise result
            if isinstance(result, BaseException):
                ok = False
                if not isinstance(result, ClientError):
                    log.error("re-read of %s failed unexpectedly", key, exc_info=result)
                else:
                    log.info("re-read of %s failed: %s", key, result.message)
                continue
            if result and self._wanted.get(key) == mark:
                del self._wanted[key]  # current, and not wanted again since the load began
        return ok
