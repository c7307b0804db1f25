"""Loading ahead into the server cache: what a write just changed (write-through), and the
reads receptionists are about to make (warming).

Write-through (:func:`write_through`) is the step every write takes after its commit: the
keys it changed are patched in place where someone had them cached, loaded back where they
cannot be patched, and a key the writer knows is about to be read (an inbound message's
conversation detail: the receptionist's next open) is loaded even if nobody had it cached.
The write pipeline (:meth:`inbox_app.server.db.writes.Writer.run`) calls it, so every writer
that goes through the pipeline gets it; a writer outside the pipeline calls it itself.

Warming (:func:`warm`): a list is the read every receptionist opens first and the one every
change invalidates, and the unread conversations are the ones they open next (and the ones
every desktop client prefetches after its sign-in, detail and patient,
:mod:`inbox_app.client.reads.prefetch`), so after a start (empty Redis), a Redis restart or a
``resync`` (every socket of a clinic is about to re-read it at once) each is loaded once
ahead of them, through the shared read (a reader arriving meanwhile joins the load instead
of starting another).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Iterable

from inbox_app.contract.events import LiveEvent
from inbox_app.contract.policy import CacheKind, detail_key, list_key, patient_key
from inbox_app.server.aio import cancel_and_wait
from inbox_app.server.cache.aside import Cache, Loader, Patcher
from inbox_app.server.db import store
from inbox_app.server.db.database import Database
from inbox_app.server.live import event_log

logger = logging.getLogger(__name__)

#: how many clinics' lists are warmed at start (the most active ones)
WARM_CLINICS = 20


def _list_loader(db: Database, clinic_id: int) -> Loader:
    return store.loader(db, store.load_list, clinic_id)


def _detail_loader(db: Database, conversation_id: int) -> Loader:
    return store.loader(db, store.load_detail, conversation_id)


def _patient_loader(db: Database, patient_id: int) -> Loader:
    return store.loader(db, store.load_patient, patient_id)


def reloads(
    db: Database, event: LiveEvent, cached: Collection[str] | None = None
) -> list[tuple[CacheKind, str, Loader]]:
    """What a write should load back into the cache (:meth:`Cache.refresh`): the list and
    the detail among the keys its event invalidates, the reads every client repeats at once;
    with ``cached``, only those of them that held a value before the invalidation."""
    wanted = set(event.invalidate if cached is None else cached) & set(event.invalidate)
    entries: list[tuple[CacheKind, str, Loader]] = []
    if list_key(event.clinic_id) in wanted:
        entries.append(
            (
                CacheKind.CONVERSATIONS_LIST,
                list_key(event.clinic_id),
                _list_loader(db, event.clinic_id),
            )
        )
    cid = event.conversation_id
    if cid is not None and detail_key(cid) in wanted:
        entries.append((CacheKind.CONVERSATION_DETAIL, detail_key(cid), _detail_loader(db, cid)))
    return entries


async def write_through(
    cache: Cache,
    db: Database,
    event: LiveEvent,
    patch: Patcher | None = None,
    load_back: Collection[str] = (),
) -> None:
    """After a write's commit, before its event is published: drops the keys ``event``
    invalidates, patching them with ``patch`` where they were cached, and loads back the
    list and detail among them that were cached but could not be patched, and those in
    ``load_back`` (keys the writer knows are read next) that were not patched.

    Every value stored obeys the generation guard, so a reader that loaded the row before
    the commit cannot store it over the new one, and a later write wins over this one.
    ``load_back`` is ignored when ``CacheTuning.write_through`` is off. Never raises."""
    loaded = await cache.invalidate(event.invalidate, patch, load_back=load_back)
    await cache.refresh(reloads(db, event, loaded))


async def most_active_clinics(db: Database, limit: int = WARM_CLINICS) -> list[int]:
    """Clinic ids by how many events they ever had (their live seq), busiest first."""
    async with db.read() as conn:
        seqs = await event_log.all_seqs(conn)
    return sorted(seqs, key=lambda clinic: seqs[clinic], reverse=True)[:limit]


async def unread_entries(
    cache: Cache, db: Database, clinics: Iterable[int]
) -> list[tuple[CacheKind, str, Loader]]:
    """The details of each clinic's unread open conversations, at most
    ``CacheTuning.warm_unread_limit`` per clinic, the newest first, then their patients
    (none when ``CacheTuning.warm_unread`` is off): what each desktop client prefetches."""
    tuning = cache.tuning
    if not tuning.warm_unread:
        return []
    details: list[tuple[CacheKind, str, Loader]] = []
    patients: dict[int, tuple[CacheKind, str, Loader]] = {}
    async with db.read() as conn:
        for clinic in clinics:
            for cid, pid in await store.unread_conversations(
                conn, clinic, tuning.warm_unread_limit
            ):
                details.append(
                    (CacheKind.CONVERSATION_DETAIL, detail_key(cid), _detail_loader(db, cid))
                )
                patients.setdefault(
                    pid, (CacheKind.PATIENT_DATA, patient_key(pid), _patient_loader(db, pid))
                )
    return details + list(patients.values())


async def warm(cache: Cache, db: Database, clinics: Iterable[int] | None = None) -> int:
    """Loads the lists of ``clinics`` (default: the most active), then the details of their
    unread conversations (bounded per clinic) and those conversations' patients, each only
    if not already in Redis.

    Returns how many values were loaded. Never raises: warming is an optimisation.
    """
    if cache.health() != "up":
        return 0
    try:
        ids = list(clinics) if clinics is not None else await most_active_clinics(db)
        lists = await cache.warm(
            (CacheKind.CONVERSATIONS_LIST, list_key(c), _list_loader(db, c)) for c in ids
        )
        details = await cache.warm(await unread_entries(cache, db, ids))
    except Exception:
        logger.exception("cache warming failed")
        return 0
    if lists or details:
        logger.info(
            "cache: warmed %d conversation lists and %d unread conversations' details and patients",
            lists,
            details,
        )
    return lists + details


class ResyncWarmer:
    """Warms a clinic after its sockets were told to ``resync`` (:attr:`Hub.on_resync`), in
    the background, one warm at a time per clinic: every socket of a clinic that reconnects
    across a lost gap asks, and the asks that come while a warm runs share one more run
    after it (which finds most keys there and only reads Redis for them)."""

    def __init__(self, cache: Cache, db: Database) -> None:
        self._cache = cache
        self._db = db
        self._running: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()

    def after_resync(self, clinic_id: int) -> None:
        """Warms ``clinic_id`` now, or once more after the warm of it that is running."""
        if clinic_id in self._running:
            self._again.add(clinic_id)
            return
        self._running[clinic_id] = asyncio.get_running_loop().create_task(
            self._warm(clinic_id), name=f"cache-warm clinic {clinic_id}"
        )

    async def _warm(self, clinic_id: int) -> None:
        try:
            while True:
                self._again.discard(clinic_id)
                await warm(self._cache, self._db, [clinic_id])
                if clinic_id not in self._again:
                    return
        finally:
            self._running.pop(clinic_id, None)

    async def settle(self) -> None:
        """Returns once no warm is running."""
        while self._running:
            await asyncio.wait(list(self._running.values()))

    async def close(self) -> None:
        """Cancels the warms still running (the server is stopping)."""
        await cancel_and_wait(list(self._running.values()))
