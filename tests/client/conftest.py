"""Fixtures of the client suite: a client factory against a real server, a fault proxy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from inbox_app.client import Change, InboxClient
from inbox_app.client.actions.engine import RetryPolicy
from tests.client.faultproxy import FaultProxy
from tests.support import ServerProcess


def fast_retry(**changes: Any) -> RetryPolicy:
    """A retry policy with the production shape and test-sized delays."""
    options: dict[str, Any] = {"base": 0.02, "cap": 0.1, "max_attempts": 4,
                               "offline_probe": 0.3}
    options.update(changes)
    return RetryPolicy(**options)


class Recorder:
    """Collects every Change and lets a test await one that matches."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self._waiters: list[tuple[Callable[[Change], bool], asyncio.Future[Change]]] = []

    def __call__(self, change: Change) -> None:
        self.changes.append(change)
        for predicate, future in list(self._waiters):
            if not future.done() and predicate(change):
                future.set_result(change)

    def mark(self) -> int:
        """A position in the change log, for :meth:`wait` ``after=``."""
        return len(self.changes)

    async def wait(self, predicate: Callable[[Change], bool], within: float = 10.0, *,
                   after: int = 0) -> Change:
        """The first matching change at or after position ``after`` (seen or still to come)."""
        for change in self.changes[after:]:
            if predicate(change):
                return change
        return await self.next(predicate, within)

    async def next(self, predicate: Callable[[Change], bool], within: float = 10.0) -> Change:
        """The first matching change from now on (ignores what was already seen)."""
        future: asyncio.Future[Change] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        try:
            return await asyncio.wait_for(future, within)
        finally:
            self._waiters.remove((predicate, future))


ClientFactory = Callable[..., Awaitable[tuple[InboxClient, Recorder]]]


@pytest.fixture
async def make_client(tmp_path: Path) -> AsyncIterator[ClientFactory]:
    """``await make_client(url, email="ana@aurora.example", start=True, **options)``."""
    clients: list[InboxClient] = []

    async def make(url: str, email: str = "ana@aurora.example", *, start: bool = True,
                   folder: str = "client", **options: Any) -> tuple[InboxClient, Recorder]:
        options.setdefault("retry", fast_retry())
        # the production live backoff and pings (issue 18: a 0.5 s cap here hid a backoff
        # that grew across healthy connections)
        client = await InboxClient.login(url, email, "demo1234", data_dir=tmp_path / folder /
                                         "data", cache_dir=tmp_path / folder / "cache",
                                         **options)
        clients.append(client)
        recorder = Recorder()
        client.subscribe(recorder)
        if start:
            await client.start()
        return client, recorder

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def proxy(server: ServerProcess) -> AsyncIterator[FaultProxy]:
    """A fault-injecting proxy in front of the real ``server``."""
    proxy = await FaultProxy(server.port).start()
    yield proxy
    await proxy.close()


async def wait_state(recorder: Recorder, state: str, within: float = 15.0) -> None:
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == state, within)
