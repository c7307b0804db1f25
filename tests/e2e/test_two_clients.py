"""End to end: two receptionists' clients on one real server see each other's work live."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from inbox_app.client import Change, InboxClient
from inbox_app.contract.models import Priority, Status
from tests.support import ServerProcess


def waiter(client: InboxClient) -> asyncio.Queue[Change]:
    queue: asyncio.Queue[Change] = asyncio.Queue()
    client.subscribe(queue.put_nowait)
    return queue


async def until(queue: asyncio.Queue[Change], predicate: Callable[[Change], bool]) -> Change:
    async with asyncio.timeout(15):
        while True:
            change = await queue.get()
            if predicate(change):
                return change


async def test_actions_of_one_reach_the_other_live(server: ServerProcess,
                                                   tmp_path: Path) -> None:
    ana = await InboxClient.login(server.url, "ana@aurora.example", "demo1234",
                                  data_dir=tmp_path / "ana", cache_dir=tmp_path / "ana-c")
    carla = await InboxClient.login(server.url, "carla@aurora.example", "demo1234",
                                    data_dir=tmp_path / "carla", cache_dir=tmp_path / "carla-c")
    try:
        ana_q = waiter(ana)
        carla_q = waiter(carla)
        await ana.start()
        await carla.start()
        for queue in (ana_q, carla_q):
            await until(queue, lambda c: c.cause == "connection" and c.reason == "online")
        cid = next(v.id for v in (await ana.conversations()).value
                   if v.summary.status is Status.OPEN)
        await carla.conversations()
        await carla.conversation(cid)

        ana.archive(cid)
        ana.add_note(cid, "Retornar ligação às 15h")
        priority = ana.set_priority(cid, Priority.URGENT)
        await until(ana_q, lambda c: c.mutation_id == priority and c.cause == "confirmed")
        assert ana.pending_count() == 0  # one conversation: sent in order, the last confirms

        async def carla_sees_it() -> None:
            while True:
                await until(carla_q, lambda c: c.cause == "server_update"
                            and cid in c.conversation_ids)
                detail = (await carla.conversation(cid)).value
                if (detail.summary.status is Status.ARCHIVED
                        and detail.summary.priority is Priority.URGENT
                        and [n.body for n in detail.notes] == ["Retornar ligação às 15h"]):
                    return

        await asyncio.wait_for(carla_sees_it(), 15)
        row = carla.conversation_view(cid)
        assert row is not None and row.summary.status is Status.ARCHIVED
    finally:
        await ana.close()
        await carla.close()

