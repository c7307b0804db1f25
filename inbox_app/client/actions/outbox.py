"""The outbox: pending actions on disk, durable before the user sees them as pending.

One file per action in the user's *data* folder (never the cache folder: it is never
evicted). A record is written to a temporary file, fsync'd, renamed into place and the
folder fsync'd, so after kill -9 or a power cut each record is either wholly there or wholly
absent. A file that cannot be read is moved to ``corrupt/`` with a warning, never deleted.

Why files and not SQLite: the outbox holds a handful of records, written once and deleted
once; a rename is atomic on every platform we ship to and needs no schema.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from inbox_app.client.actions.record import Mutation
from inbox_app.client.files.private import private_dir
from inbox_app.client.security.codec import Codec, CodecError, JsonCodec, KeyedCodec

log = logging.getLogger(__name__)

SUFFIX = ".action"


class Outbox:
    """Durable store of :class:`Mutation` records, in submission order."""

    def __init__(self, folder: Path, *, codec: Codec | None = None, fsync: bool = True,
                 deferred_fsync: bool = False) -> None:
        """``fsync``: flush records to the disk (off only in tests). ``deferred_fsync``: a put
        returns once the record is written and renamed into place (what survives kill -9 of
        the app) and the flush runs on a background thread right after; the default flushes
        before returning, so a record survives a power cut too (~2-5 ms here)."""
        self.folder = Path(folder)
        private_dir(self.folder)  # readable by the user alone, parents created 0700 too
        self.codec: Codec = codec or JsonCodec()
        self._codec = KeyedCodec(self.codec)  # a record is bound to its file name
        self._fsync = fsync
        self._deferred = deferred_fsync
        self._flusher: ThreadPoolExecutor | None = None
        self._next_seq = 1

    def _path(self, mutation_id: str) -> Path:
        return self.folder / f"{mutation_id}{SUFFIX}"

    def load(self) -> list[Mutation]:
        """Every stored record, oldest first. Unreadable files go to ``corrupt/``."""
        found: list[Mutation] = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            try:
                name = path.name.removesuffix(SUFFIX)
                mutation = Mutation.from_record(self._codec.decode(name, path.read_bytes()))
                if mutation.id != path.name.removesuffix(SUFFIX):
                    raise ValueError("record id does not match its file name")
            except (OSError, CodecError, ValueError) as exc:
                self._quarantine(path, exc)
                continue
            found.append(mutation)
        for tmp in self.folder.glob("*.tmp"):  # a crash mid-write: the rename never happened
            tmp.unlink(missing_ok=True)
        found.sort(key=lambda m: (m.seq, m.created_at))
        if found:
            self._next_seq = found[-1].seq + 1
        return found

    def put(self, mutation: Mutation) -> None:
        """Writes (or rewrites) ``mutation`` durably. Assigns its ``seq`` on first write."""
        if mutation.seq == 0:
            mutation.seq = self._next_seq
            self._next_seq += 1
        data = self._codec.encode(mutation.id, mutation.to_record())
        final = self._path(mutation.id)
        tmp = final.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            if self._fsync and not self._deferred:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, final)
        if self._deferred:
            self._later(self._flush_file, final)
        else:
            self._sync_folder()

    def remove(self, mutation_id: str) -> None:
        self._path(mutation_id).unlink(missing_ok=True)
        # A removal lost to a power cut only means one resend, which the server's
        # Idempotency-Key store answers without applying twice: flush it in the background.
        self._later(self._sync_folder)

    def close(self) -> None:
        """Waits for background flushes."""
        if self._flusher is not None:
            self._flusher.shutdown(wait=True)
            self._flusher = None

    def _later(self, fn: Callable[..., None], *args: Any) -> None:
        if not self._fsync:
            return
        if self._flusher is None:
            self._flusher = ThreadPoolExecutor(1, thread_name_prefix="inbox-outbox")
        self._flusher.submit(fn, *args)

    def _flush_file(self, path: Path) -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return  # already confirmed and removed
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self._sync_folder()

    def _sync_folder(self) -> None:
        # The rename or unlink is only durable once the directory entry is on disk.
        if not self._fsync or os.name != "posix":
            return
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _quarantine(self, path: Path, exc: Exception) -> None:
        log.warning("outbox: unreadable record %s moved to corrupt/: %s", path.name, exc)
        target = self.folder / "corrupt"
        target.mkdir(exist_ok=True, mode=0o700)
        try:
            os.replace(path, target / path.name)
        except OSError:
            log.exception("outbox: could not move %s aside", path.name)
