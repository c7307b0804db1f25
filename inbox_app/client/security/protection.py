"""The client's data protection (issue 7): sealed storage defaults, idle lock, logout.

- Defaults: the cache and the outbox are sealed with AES-GCM under one key per (server,
  user) — :func:`user_keystore`: the OS keyring, or a 0600 key file in ``Folders.key_dir``
  where there is none (:func:`sealed_codecs`); the remembered login keeps its token in the
  keyring (:mod:`inbox_app.client.session.remembered`).
- :class:`Protection`, one per client, owns the idle lock: :meth:`Protection.lock` drops
  every decoded model held in memory; :meth:`Protection.unlock` asks the server to check the
  password, or, offline, the scrypt verifier sealed at the last login
  (:mod:`inbox_app.client.session.unlock`).
- Logout sends the outbox first (:meth:`Protection.send_pending`, or refuses, so the user can
  choose), then :meth:`Protection.erase` deletes the user's data folder and key (the facade
  deletes the cache folder as it stops).

:class:`Protection` names what it needs of the cache, the engine and the sign-in as protocols,
so this room imports none of theirs (no cycle between the client's rooms).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, MutableMapping, Sized
from pathlib import Path
from typing import Any, Protocol

from inbox_app.client.errors import (
    PendingActionsError,
    RejectedError,
    TooManyAttemptsError,
    TransientError,
)
from inbox_app.client.files.folders import Folders
from inbox_app.client.files.private import remove_tree
from inbox_app.client.security.codec import Codec
from inbox_app.client.security.keystore import KeyStore, keystore_for

log = logging.getLogger(__name__)

#: Idle time before the window locks (issue 7); the UI reads its setting, this is the default.
DEFAULT_LOCK_SECONDS = 15 * 60.0
#: How long logout waits for the outbox to be sent before it asks the user.
LOGOUT_SEND_SECONDS = 10.0


def user_keystore(server_url: str, folders: Folders, user_id: int) -> KeyStore:
    """The data key of one (server, user): OS keyring, else a 0600 file in ``key_dir``."""
    return keystore_for(server_url, user_id, key_dir=folders.key_dir)


def sealed_codecs(keystore: KeyStore, codec: Codec | None,
                  outbox_codec: Codec | None) -> tuple[Codec, Codec]:
    """(cache codec, outbox codec): without ``codec`` both are sealed with the user's key;
    with one, the outbox shares it unless it has its own."""
    if codec is None:
        codec = keystore.codec("cache")
        outbox_codec = outbox_codec or keystore.codec("outbox")
    return codec, outbox_codec or codec


class DecodedMemory(Protocol):
    """The cache's decoded models (:class:`~inbox_app.client.reads.cache.LocalCache`)."""

    def lock_memory(self) -> None: ...

    def unlock_memory(self) -> None: ...


class Sending(Protocol):
    """The outbox's sender (:class:`~inbox_app.client.actions.engine.MutationEngine`)."""

    @property
    def pending(self) -> Sized: ...

    @property
    def bases(self) -> MutableMapping[int, Any]: ...

    async def drained(self) -> None: ...


class PasswordCheck(Protocol):
    """The sign-in (:class:`~inbox_app.client.session.sign_in.SignIn`)."""

    async def renew(self, password: str) -> None: ...

    async def check_offline(self, password: str) -> bool: ...


class Protection:
    """The idle lock of one user's client, and the erasure of that user's files at logout."""

    def __init__(self, keystore: KeyStore, cache: DecodedMemory, engine: Sending,
                 sign_in: PasswordCheck, user_data: Path, *,
                 on_lock: Callable[[], None] = lambda: None) -> None:
        """``on_lock`` drops what the owner keeps decoded beside the cache (its row index)."""
        self.keystore = keystore
        self._cache = cache
        self._engine = engine
        self._sign_in = sign_in
        self._user_data = user_data
        self._on_lock = on_lock
        self.locked = False

    def lock(self) -> None:
        """Idle lock: drops every decoded model held in memory (the sealed disk copy stays),
        and keeps none until :meth:`unlock`. Pending actions keep being sent."""
        self.locked = True
        self._cache.lock_memory()
        self._engine.bases.clear()  # the last server states, decoded
        self._on_lock()
        log.info("locked: in-memory views cleared")

    async def unlock(self, password: str) -> bool:
        """Unlocks with the user's password: checked by the server, or — when the server
        cannot be reached — against the verifier sealed at the last login. Returns whether
        the server renewed the session. Raises RejectedError for a wrong password (the client
        stays locked), and TooManyAttemptsError while the server's or the offline attempt
        limit holds."""
        try:
            await self._sign_in.renew(password)
        except TransientError as exc:
            if exc.status == 429:  # the server throttles: no offline guessing around it
                raise TooManyAttemptsError("too many wrong passwords",
                                           retry_after=exc.retry_after) from None
            if not await self._sign_in.check_offline(password):
                raise RejectedError("wrong password", code="unauthorized") from None
            renewed = False
            log.info("unlocked offline (local verifier)")
        else:
            renewed = True
            log.info("unlocked")
        self.locked = False
        self._cache.unlock_memory()
        return renewed

    def unsent_count(self) -> int:
        """Actions that would be lost by logging out: pending and failed ones."""
        return len(self._engine.pending)

    async def send_pending(self, send_within: float) -> None:
        """Waits up to ``send_within`` seconds for the outbox to drain (the engine must be
        running); raises :class:`PendingActionsError` if something is still unsent."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._engine.drained(), send_within)
        if self._engine.pending:
            raise PendingActionsError(len(self._engine.pending))

    def erase(self) -> None:
        """Deletes the user's data folder (outbox, unlock verifier) completely, and the
        user's key from the keyring (or its key file), so any copy left is unreadable."""
        remove_tree(self._user_data)
        self.keystore.delete()
        log.info("signed out; the user's local files and key are deleted")
