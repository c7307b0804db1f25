"""``--simulate-delivery SECONDS``: the demo's WhatsApp, so ``inbox-app --demo`` shows a reply's
whole way (issue 17): a clock while it waits, then one tick, two ticks and two blue ticks, each
after ``SECONDS``.

It stands in for the Graph API behind the real delivery worker (the queue, the claims, the
events are the server's own) and reports delivered and read through the same status change
Meta's webhook goes through (``whatsapp.delivery.status``). Every reply of the demo clinics
goes this way, whatever its conversation's channel; the 24-hour window still applies to
WhatsApp conversations.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from inbox_app.contract.models import DeliveryState
from inbox_app.server.aio import cancel_and_wait
from inbox_app.server.db.writes import Writer
from inbox_app.server.whatsapp import delivery
from inbox_app.server.whatsapp.outbound import Parcel

log = logging.getLogger(__name__)


class SimulatedSender:
    """A :class:`~inbox_app.server.whatsapp.graph.Sender` that always gets through."""

    def __init__(self, writer: Writer, step_seconds: float) -> None:
        self.writer = writer
        self.step = step_seconds
        self._later: set[asyncio.Task[None]] = set()

    async def send(self, parcel: Parcel) -> str:
        await asyncio.sleep(self.step)  # the demo's pace: the clock shows for a moment
        wamid = f"wamid.demo.{uuid.uuid4().hex}"
        task = asyncio.create_task(self._receipts(parcel.clinic_id, wamid), name="demo-receipts")
        self._later.add(task)
        task.add_done_callback(self._later.discard)
        return wamid

    async def _receipts(self, clinic_id: int, wamid: str) -> None:
        for state in (DeliveryState.DELIVERED, DeliveryState.READ):
            await asyncio.sleep(self.step)  # the demo's pace, by definition a timer
            try:
                await self.writer.run(delivery.status(clinic_id, wamid, state, None, None))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("demo: a simulated delivery receipt failed")
                return

    async def close(self) -> None:
        await cancel_and_wait(self._later)
