"""Loading ahead into the server cache: the lists of the most active clinics (warming), and
what a write just changed (write-through refresh).

A list is the read every receptionist opens first and the one every change invalidates, so
after a start (empty Redis), a Redis restart or a ``resync`` (every socket of a clinic is
about to re-read it at once) it is loaded once ahead of them.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable

from inbox_app.contract.events import LiveEvent
from inbox_app.contract.policy import CacheKind, detail_key, list_key
from inbox_app.server.cache.aside import Cache, Loader
from inbox_app.server.db import store
from inbox_app.server.db.database import Database
from inbox_app.server.live import event_log

logger = logging.getLogger(__name__)

#: how many clinics' lists are warmed at start (the most active ones)
WARM_CLINICS = 20


def _list_loader(db: Database, clinic_id: int) -> Loader:
    return store.loader(db, store.load_list, clinic_id)


def reloads(db: Database, event: LiveEvent,
            cached: Collection[str] | None = None) -> list[tuple[CacheKind, str, Loader]]:
    """What a write should load back into the cache (:meth:`Cache.refresh`): the list and
    the detail among the keys its event invalidates, the reads every client repeats at once;
    with ``cached``, only those of them that held a value before the invalidation."""
    wanted = set(event.invalidate if cached is None else cached) & set(event.invalidate)
    entries: list[tuple[CacheKind, str, Loader]] = []
    if list_key(event.clinic_id) in wanted:
        entries.append((CacheKind.CONVERSATIONS_LIST, list_key(event.clinic_id),
                        _list_loader(db, event.clinic_id)))
    cid = event.conversation_id
    if cid is not None and detail_key(cid) in wanted:
        entries.append((CacheKind.CONVERSATION_DETAIL, detail_key(cid),
                        store.loader(db, store.load_detail, cid)))
    return entries


async def most_active_clinics(db: Database, limit: int = WARM_CLINICS) -> list[int]:
    """Clinic ids by how many events they ever had (their live seq), busiest first."""
    async with db.read() as conn:
        seqs = await event_log.all_seqs(conn)
    return sorted(seqs, key=lambda clinic: seqs[clinic], reverse=True)[:limit]


async def warm_lists(cache: Cache, db: Database, clinics: Iterable[int] | None = None) -> int:
    """Loads the lists of ``clinics`` (default: the most active) not already in Redis.

    Returns how many were loaded. Never raises: warming is an optimisation.
    """
    if cache.health() != "up":
        return 0
    try:
        ids = list(clinics) if clinics is not None else await most_active_clinics(db)
        warmed = await cache.warm(
            (CacheKind.CONVERSATIONS_LIST, list_key(c), _list_loader(db, c)) for c in ids)
    except Exception:
        logger.exception("cache warming failed")
        return 0
    if warmed:
        logger.info("cache: warmed %d conversation lists", warmed)
    return warmed
