"""The delivery worker: an asyncio task of each server instance that sends queued replies.

It claims due replies (``outbound.claim``: a lease, so several instances never hold one
reply at once), sends each through the :class:`~inbox_app.server.whatsapp.graph.Sender`,
and records the outcome through the write pipeline: the wamid and one tick, or the failure
and its reason. A transient failure (network, 5xx, 429 and Meta's rate limits) goes back to
the queue for a while: Retry-After when the answer had one, else capped exponential backoff
with full jitter, until ``max_attempts``. The queue lives in the database, so a restart
loses nothing: what was due is sent after it, and what a dead instance held is taken over
when its lease ends.

It wakes when a reply is queued (the ``message.created`` event of any instance, through the
bus) and otherwise looks at the queue when the next retry falls due, or every
``poll_seconds`` at the longest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random

from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.contract.models import DeliveryState
from inbox_app.server.aio import cancel_and_wait
from inbox_app.server.db.database import Database
from inbox_app.server.db.writes import Writer
from inbox_app.server.live.bus import Bus
from inbox_app.server.whatsapp import delivery, outbound
from inbox_app.server.whatsapp.graph import Sender, SendError
from inbox_app.server.whatsapp.outbound import Job
from inbox_app.server.whatsapp.settings import WhatsAppSettings

log = logging.getLogger(__name__)

#: replies one round claims and sends at once
BATCH = 8


class DeliveryWorker:
    """Sends the queue's replies for as long as the server runs."""

    def __init__(
        self,
        db: Database,
        writer: Writer,
        settings: WhatsAppSettings,
        sender: Sender,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.writer = writer
        self.settings = settings
        self.sender = sender
        self._rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()

    def start(self, bus: Bus) -> None:
        bus.subscribe(self._on_event)
        self._task = asyncio.create_task(self._run(), name="whatsapp-delivery")

    async def close(self) -> None:
        await cancel_and_wait([self._task, *self._sending])
        self._task = None
        await self.sender.close()

    def wake(self) -> None:
        self._wake.set()

    def _on_event(self, event: LiveEvent) -> None:
        if event.type is EventType.MESSAGE_CREATED and event.data is not None:
            state = (event.data.get("delivery") or {}).get("state")
            if state == DeliveryState.QUEUED.value:
                self.wake()

    def backoff(self, attempts: int) -> float:
        """Seconds before attempt ``attempts + 1``: full jitter over a capped doubling."""
        ceiling = min(
            self.settings.retry_cap, self.settings.retry_base * 2 ** min(attempts - 1, 30)
        )
        return self._rng.uniform(0, ceiling)

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            wait = self.settings.poll_seconds
            try:
                jobs = await outbound.claim(
                    self.db, lease_seconds=self.settings.lease_seconds, limit=BATCH
                )
                if jobs:
                    await self._send_all(jobs)
                    continue
                wait = await outbound.seconds_to_next(self.db, self.settings.poll_seconds)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database away: try again after the poll interval
                log.exception("whatsapp: a delivery round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _send_all(self, jobs: list[Job]) -> None:
        tasks = [
            asyncio.create_task(self._deliver(job), name=f"whatsapp-send-{job.id}") for job in jobs
        ]
        self._sending.update(tasks)
        try:
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self._sending.difference_update(tasks)

    async def _deliver(self, job: Job) -> None:
        try:
            parcel = await outbound.parcel(self.db, job)
            if parcel is None:  # the message is gone: nothing to send
                await self.writer.run(delivery.failed(job, None, "the message no longer exists"))
                return
            try:
                wamid = await self.sender.send(parcel)
            except SendError as exc:
                await self._failed(job, exc)
                return
            await self.writer.run(delivery.sent(job, wamid))
            log.info("whatsapp: reply %s sent (attempt %s)", job.message_id, job.attempts)
        except asyncio.CancelledError:
            raise
        except Exception:  # recording failed: the lease runs out and the reply is retried
            log.exception("whatsapp: delivering reply %s failed", job.message_id)

    async def _failed(self, job: Job, exc: SendError) -> None:
        if exc.transient and job.attempts < self.settings.max_attempts:
            delay = exc.retry_after if exc.retry_after is not None else self.backoff(job.attempts)
            await outbound.later(self.db, job, delay, exc.title)
            log.info(
                "whatsapp: reply %s failed for now (%s, code %s); retry in %.1f s",
                job.message_id,
                exc.title,
                exc.code,
                delay,
            )
            return
        log.warning(
            "whatsapp: reply %s failed (code %s) after %s attempt(s)",
            job.message_id,
            exc.code,
            job.attempts,
        )
        await self.writer.run(delivery.failed(job, exc.code, exc.title))
