"""The local cache (L1): decoded models in memory over a diskcache folder on disk.

Keys and TTLs come from :mod:`inbox_app.contract.policy` (mirrored from the server at
login). The TTL is *freshness*: a fresh entry needs no network, a stale one is still served
(the repository revalidates it in the background), up to ``max_stale``. An invalidation
does not delete: it marks the entry stale, so the data stays readable offline.

Safety: values are bytes from a :class:`~inbox_app.client.security.codec.Codec` (JSON, or sealed by
the data-protection codec) and ``safe_disk.SafeDisk`` refuses to unpickle anything, so a
value planted in the folder cannot run code (CVE-2025-69872). A folder that cannot be opened is
rebuilt with a warning; an entry that cannot be decoded is dropped and counted as a miss.

diskcache calls block (SQLite, files), so every disk access runs on one worker thread; the
decode and validation of large values run there too (about 1 ms for 200 KB of JSON), and the
decoded model is kept in memory so repaints never re-read the disk.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import diskcache

from inbox_app.client.files.private import (
    create_private_file,
    private_dir,
    remove_tree,
    tighten_tree,
)
from inbox_app.client.security.codec import Codec, CodecError, JsonCodec, KeyedCodec
from inbox_app.client.security.safe_disk import SafeDisk
from inbox_app.contract.policy import POLICY, CacheKind, KindPolicy, kind_of_key

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Values above this go to separate files (slower, and orphaned after a crash); the
#: 500-conversation list is ~200 KB, so keep everything we store inline in SQLite.
DISK_MIN_FILE_SIZE = 8 * 1024 * 1024
#: Default max-stale age: stale data is served offline up to this age.
DEFAULT_MAX_STALE = 7 * 24 * 3600.0

_INVALIDATED = "meta:invalidated:"  # + key -> time of the invalidation
_STALE_BEFORE = "meta:stale-before"  # resync: everything fetched before this is stale


@dataclass(slots=True)
class Entry:
    """A decoded cache entry. ``fetched_at`` is epoch seconds."""

    value: Any
    fetched_at: float
    invalidated: bool = False

    @property
    def fetched_at_dt(self) -> datetime:
        return datetime.fromtimestamp(self.fetched_at, UTC)


@dataclass
class KindMetrics:
    fresh_hits: int = 0
    stale_hits: int = 0
    misses: int = 0
    revalidations: int = 0
    read_ms_total: float = 0.0
    reads: int = 0

    def as_dict(self) -> dict[str, float]:
        hits = self.fresh_hits + self.stale_hits
        return {
            "fresh_hits": self.fresh_hits, "stale_hits": self.stale_hits,
            "misses": self.misses, "revalidations": self.revalidations,
            "avg_read_ms": self.read_ms_total / self.reads if self.reads else 0.0,
            "hit_rate": hits / (hits + self.misses) if hits + self.misses else 0.0,
        }


@dataclass
class CacheMetrics:
    kinds: dict[CacheKind, KindMetrics] = field(
        default_factory=lambda: {k: KindMetrics() for k in CacheKind})

    def of(self, key: str) -> KindMetrics | None:
        kind = kind_of_key(key)
        return self.kinds[kind] if kind is not None else None

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {k.value: m.as_dict() for k, m in self.kinds.items()}


class LocalCache:
    """Memory + disk cache of decoded contract models, per server and user folder."""

    def __init__(
        self,
        folder: Path,
        *,
        policy: Mapping[CacheKind, KindPolicy] = POLICY,
        codec: Codec | None = None,
        max_stale: float = DEFAULT_MAX_STALE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = Path(folder)
        self.policy: Mapping[CacheKind, KindPolicy] = policy
        self.codec: Codec = codec or JsonCodec()
        self._codec = KeyedCodec(self.codec)  # entries bound to their key when supported
        self.max_stale = max_stale
        self.clock = clock
        self.metrics = CacheMetrics()
        self._memory: dict[str, Entry] = {}
        self._hold = True  # keep decoded models in memory (False while the app is locked)
        self._stale_before = 0.0
        self._generations: dict[str, int] = {}
        self._epoch = 0
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="inbox-cache")
        self._shut_down = False
        self._disk: diskcache.Cache | None = None
        # diskcache keeps one SQLite connection per thread: every disk call, this one too,
        # runs on the one cache thread so close() really closes.
        self._executor.submit(self._open).result()

    # --- folder --------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self._disk = self._open_disk()
            self._stale_before = float(self._read_meta(_STALE_BEFORE) or 0.0)
        except (sqlite3.Error, OSError, CodecError, ValueError) as exc:
            log.warning("local cache folder unreadable (%s); rebuilding it empty", exc)
            self._rebuild()

    def _open_disk(self) -> diskcache.Cache:
        # readable by the user alone (issue 7): SQLite gives -wal/-shm the mode of cache.db,
        # and a folder left by an older version is tightened once.
        private_dir(self.folder)
        tighten_tree(self.folder)
        create_private_file(self.folder / "cache.db")
        disk = diskcache.Cache(str(self.folder), disk=SafeDisk,
                               disk_min_file_size=DISK_MIN_FILE_SIZE,
                               eviction_policy="least-recently-stored")
        return disk

    def _rebuild(self) -> None:
        if self._disk is not None:
            try:
                self._disk.close()
            except Exception:  # a broken folder may fail to close; we are dropping it anyway
                log.debug("closing the broken cache failed", exc_info=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        self._disk = self._open_disk()
        self._stale_before = 0.0

    def _read_meta(self, key: str) -> Any:
        assert self._disk is not None
        data = self._disk.get(key)
        return None if data is None else self._codec.decode(key, data)

    # --- reads ---------------------------------------------------------------------------

    def peek(self, key: str) -> Entry | None:
        """The in-memory entry, without touching the disk."""
        return self._memory.get(key)

    def held(self) -> list[str]:
        """The keys whose decoded value is held in memory."""
        return list(self._memory)

    async def get(self, key: str, parse: Callable[[Any], T]) -> Entry | None:
        """The entry for ``key`` (memory, else disk decoded with ``parse``), or None."""
        entry = self._memory.get(key)
        if entry is not None:
            return entry
        loop = asyncio.get_running_loop()
        entry = await loop.run_in_executor(self._executor, self._load, key, parse)
        if entry is not None and self._hold:
            # a put that raced the disk read wins: it is newer
            entry = self._memory.setdefault(key, entry)
        return entry

    def _load(self, key: str, parse: Callable[[Any], Any]) -> Entry | None:
        try:
            assert self._disk is not None
            data = self._disk.get(key)
            if data is None:
                return None
            envelope = self._codec.decode(key, data)
            if not isinstance(envelope, dict) or "value" not in envelope:
                raise CodecError("cache envelope does not fit")
            fetched_at = float(envelope["fetched_at"])
            value = parse(envelope["value"])
            marked = self._disk.get(_INVALIDATED + key)
            invalidated = marked is not None and \
                float(self._codec.decode(_INVALIDATED + key, marked)) >= fetched_at
            return Entry(value, fetched_at, invalidated)
        except (sqlite3.DatabaseError, OSError) as exc:
            log.warning("local cache unreadable (%s); rebuilding it", exc)
            self._rebuild()
            return None
        except Exception as exc:  # corrupted, tampered, planted or off-contract: drop it
            log.warning("dropping unreadable cache entry %s: %s", key, exc)
            self._discard(key)
            return None

    def _discard(self, key: str) -> None:
        try:
            assert self._disk is not None
            self._disk.delete(key)
        except (sqlite3.Error, OSError):
            log.debug("could not delete %s", key, exc_info=True)

    def age(self, entry: Entry) -> float:
        return max(0.0, self.clock() - entry.fetched_at)

    def is_fresh(self, key: str, entry: Entry) -> bool:
        """Younger than the kind's TTL and not invalidated since it was fetched."""
        if entry.invalidated or entry.fetched_at <= self._stale_before:
            return False
        kind = kind_of_key(key)
        ttl = self.policy[kind].ttl_seconds if kind is not None else 0
        return self.age(entry) < ttl

    def too_old(self, entry: Entry) -> bool:
        return self.age(entry) > self.max_stale

    # --- writes --------------------------------------------------------------------------

    def generation(self, key: str) -> tuple[int, int]:
        """Changes whenever ``key`` is invalidated (or everything is, at a resync)."""
        return self._epoch, self._generations.get(key, 0)

    async def put(self, key: str, value: Any, wire: Any, *, fetched_at: float | None = None,
                  generation: tuple[int, int] | None = None) -> Entry:
        """Keeps ``value`` (decoded) in memory and ``wire`` (its JSON form) on disk.

        A load passes the :meth:`generation` it started at and its start time as
        ``fetched_at``: if the key was invalidated meanwhile, the value may predate the change
        and is stored already stale (the caller loads again), never as fresh.
        """
        entry = Entry(value, self.clock() if fetched_at is None else fetched_at)
        entry.invalidated = generation is not None and generation != self.generation(key)
        if self._hold:
            self._memory[key] = entry
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._store, key, entry.fetched_at, wire,
                                   entry.invalidated)
        return entry

    def put_memory(self, key: str, value: Any, *, fetched_at: float) -> Entry:
        """Replaces the in-memory value only (a local patch, e.g. a confirmed note)."""
        entry = Entry(value, fetched_at)
        if self._hold:
            self._memory[key] = entry
        return entry

    def _store(self, key: str, fetched_at: float, wire: Any, raced: bool = False) -> None:
        try:
            assert self._disk is not None
            data = self._codec.encode(key, {"fetched_at": fetched_at, "value": wire})
            with self._disk.transact():
                self._disk.set(key, data)
                if not raced:  # raced: the invalidation mark (newer than fetched_at) stays
                    self._disk.delete(_INVALIDATED + key)
        except (sqlite3.Error, OSError) as exc:
            log.warning("local cache write failed (%s); rebuilding it", exc)
            self._rebuild()

    async def invalidate(self, keys: Iterable[str]) -> list[str]:
        """Marks ``keys`` stale (kept for offline reading); returns the ones held in memory."""
        now = self.clock()
        keys = list(keys)
        held = []
        for key in keys:
            self._generations[key] = self._generations.get(key, 0) + 1
            entry = self._memory.get(key)
            if entry is not None:
                entry.invalidated = True
                held.append(key)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._mark, keys, now)
        return held

    def _mark(self, keys: list[str], now: float) -> None:
        try:
            assert self._disk is not None
            with self._disk.transact():
                for key in keys:
                    self._disk.set(_INVALIDATED + key, self._codec.encode(_INVALIDATED + key, now))
        except (sqlite3.Error, OSError) as exc:
            log.warning("local cache write failed (%s); rebuilding it", exc)
            self._rebuild()

    async def mark_all_stale(self) -> list[str]:
        """Resync: every key of the user's clinic (this folder) is stale from now on."""
        now = self.clock()
        self._stale_before = now
        self._epoch += 1
        for entry in self._memory.values():
            entry.invalidated = True
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._set_meta, _STALE_BEFORE, now)
        return self.held()

    def _set_meta(self, key: str, value: Any) -> None:
        try:
            assert self._disk is not None
            self._disk.set(key, self._codec.encode(key, value))
        except (sqlite3.Error, OSError) as exc:
            log.warning("local cache write failed (%s)", exc)

    async def set_meta(self, key: str, value: Any) -> None:
        """Small JSON values beside the cache (policy table, last live seq)."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._set_meta, "meta:" + key, value)

    async def get_meta(self, key: str) -> Any:
        loop = asyncio.get_running_loop()

        def read() -> Any:
            try:
                return self._read_meta("meta:" + key)
            except Exception as exc:
                log.warning("dropping unreadable cache meta %s: %s", key, exc)
                return None

        return await loop.run_in_executor(self._executor, read)

    def lock_memory(self) -> None:
        """Idle lock: drops the decoded models and keeps none until :meth:`unlock_memory`
        (reads and background refreshes still go through the sealed disk copy)."""
        self._hold = False
        self._memory.clear()

    def unlock_memory(self) -> None:
        self._hold = True

    async def close(self) -> None:
        """Closes the disk cache; the folder stays for the next start."""
        await self._shut(remove=False)

    async def destroy(self) -> None:
        """Logout: closes and deletes the whole folder (stray value files included).

        Raises ``OSError`` if anything is left: logout must not pretend."""
        self._memory.clear()
        await self._shut(remove=True)

    async def _shut(self, *, remove: bool) -> None:
        if self._shut_down:  # closed before: only the folder may be left to delete
            if remove:
                remove_tree(self.folder)
            return
        self._shut_down = True

        def shut() -> None:  # on the cache thread: a large folder takes a while to delete
            if self._disk is not None:
                self._disk.close()
            if remove:
                remove_tree(self.folder)

        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, shut)
        finally:
            self._executor.shutdown(wait=True)
