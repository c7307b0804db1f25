"""A diskcache ``Disk`` that stores bytes only and never unpickles what it finds.

diskcache's default ``Disk`` pickles any value or key that is not str/bytes/int/float, and on
read unpickles every row whose ``mode`` column says "pickle" — whoever can write the cache
folder can then run code in the app (CVE-2025-69872). diskcache's ``JSONDisk`` does not close
this: its ``fetch`` and ``get`` call the base class first, which unpickles a planted pickle row
(``mode=4``) or key (``raw=0``) before JSON is even tried.

:class:`SafeDisk` takes only ``bytes`` values (the client stores :class:`SealedCodec` output),
keeps them inline in SQLite below ``min_file_size`` or in a 0600 file above it, and raises
:class:`TamperedError` for any row it did not write that way: pickle rows, text rows, numbers,
pickled keys. The cache layer catches it, deletes the entry and treats it as a miss.

Keys must be str, bytes or int (the client's keys are ``inbox_app.contract.policy`` keys:
ids only, no patient data, so they are stored as they are).

Usage::

    cache = diskcache.Cache(folder, disk=SafeDisk, disk_min_file_size=1 << 20)
"""

from __future__ import annotations

import io
import logging
import os
import sqlite3
from typing import Any

from diskcache import Disk
from diskcache.core import MODE_BINARY, MODE_RAW, UNKNOWN

from inbox_app.client.files.private import FILE_MODE, private_dir
from inbox_app.client.security.crypto import TamperedError

log = logging.getLogger(__name__)

_INT64 = (-(2**63), 2**63 - 1)


class SafeDisk(Disk):  # type: ignore[misc]  # diskcache ships no types: Disk is Any
    """Bytes-only serialisation for ``diskcache.Cache``: nothing pickled, nothing unpickled."""

    def __init__(self, directory: str, min_file_size: int = 0, pickle_protocol: int = 0,
                 **unknown: Any) -> None:
        # diskcache passes every ``disk_*`` row of the folder's Settings table as a keyword:
        # a planted or foreign row must not make the cache impossible to open.
        if unknown:
            log.warning("cache folder settings ignored: %s", ", ".join(sorted(unknown)))
        super().__init__(directory, min_file_size=min_file_size, pickle_protocol=pickle_protocol)

    def put(self, key: Any) -> tuple[Any, bool]:
        """Key to (db key, raw); only str, bytes and 64-bit int keys (never pickled)."""
        if type(key) is bytes:
            return sqlite3.Binary(key), True
        if type(key) is str or (type(key) is int and _INT64[0] <= key <= _INT64[1]):
            return key, True
        raise TypeError(f"SafeDisk keys are str, bytes or int, not {type(key).__name__}")

    def get(self, key: Any, raw: bool) -> Any:
        """Db key back to a key; a non-raw (pickled) key was planted: TamperedError."""
        if not raw:
            raise TamperedError("cache row with a pickled key: not written by this app")
        return bytes(key) if type(key) is sqlite3.Binary else key

    def store(self, value: Any, read: bool, key: Any = UNKNOWN) -> tuple[int, int, str | None, Any]:
        """Bytes (or a binary file object with ``read=True``) to (size, mode, filename, value)."""
        if read:
            value = value.read()
        if type(value) is not bytes:
            raise TypeError(
                f"SafeDisk stores bytes only (seal values first), not {type(value).__name__}"
            )
        if len(value) < self.min_file_size:
            return 0, MODE_RAW, None, sqlite3.Binary(value)
        filename, full_path = self.filename(key, value)
        self._write_private(full_path, value)
        return len(value), MODE_BINARY, filename, None

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        """Row fields back to bytes; any row we would not have written: TamperedError.

        Never reaches ``pickle``: only the raw-bytes and binary-file modes are read.
        """
        if mode == MODE_RAW:
            if type(value) is not sqlite3.Binary and type(value) is not bytes:
                raise TamperedError(f"cache row holds a {type(value).__name__}, not bytes")
            return bytes(value)
        if mode == MODE_BINARY and filename is not None:
            full_path = self._full_path(filename)
            if read:
                return open(full_path, "rb")  # the caller owns (and closes) the handle
            with open(full_path, "rb") as reader:
                return reader.read()
        raise TamperedError(f"cache row in mode {mode}: not written by this app, not read")

    def _full_path(self, filename: str) -> str:
        # A planted row could name "../../somewhere"; stay inside the cache folder.
        root = os.path.realpath(self._directory)
        full = os.path.realpath(os.path.join(root, filename))
        if os.path.commonpath([root, full]) != root:
            raise TamperedError("cache row points outside the cache folder")
        return full

    @staticmethod
    def _write_private(full_path: str, data: bytes) -> None:
        private_dir(os.path.dirname(full_path))
        fd = os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with io.FileIO(fd, "wb") as writer:
            writer.write(data)
