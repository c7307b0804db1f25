"""The client's data protection (issue 7): sealed storage defaults, idle lock, logout.

Mixed into :class:`~inbox_app.client.inbox.InboxClient` (the facade stays one object for the
UI); kept apart so the facade module stays about reads, actions and sync.

- Defaults: the cache and the outbox are sealed with AES-GCM under one key per (server,
  user) — :func:`user_keystore`: the OS keyring, or a 0600 key file in ``Folders.key_dir``
  where there is none — and the remembered login keeps its token in the keyring
  (:func:`sealed_session_store`).
- Idle lock: :meth:`DataProtection.lock` drops every decoded model held in memory;
  :meth:`DataProtection.unlock` asks the server to check the password, or, offline, the scrypt
  verifier sealed at the last login (:mod:`inbox_app.client.session.unlock`).
- Logout sends the outbox first (or refuses, so the user can choose), then deletes the
  user's cache and data folders completely and the user's key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from inbox_app.client.errors import (
    ClientError,
    PendingActionsError,
    RejectedError,
    TooManyAttemptsError,
    TransientError,
)
from inbox_app.client.files.folders import Folders
from inbox_app.client.files.private import remove_tree
from inbox_app.client.security.keystore import KeyStore
from inbox_app.client.session.remembered import SealedSessionStore, keystore_for
from inbox_app.client.session.unlock import UnlockRefused

if TYPE_CHECKING:
    from inbox_app.client.inbox import InboxClient

log = logging.getLogger(__name__)

#: Idle time before the window locks (issue 7); the UI reads its setting, this is the default.
DEFAULT_LOCK_SECONDS = 15 * 60.0
#: How long logout waits for the outbox to be sent before it asks the user.
LOGOUT_SEND_SECONDS = 10.0


def sealed_session_store(server_url: str, folders: Folders) -> SealedSessionStore:
    """The default remembered-login store: token in the keyring (or sealed key-file
    fallback), session sealed with the user's key (issue 7)."""
    return SealedSessionStore(server_url, folders.session_file, key_dir=folders.key_dir)


def user_keystore(server_url: str, folders: Folders, user_id: int) -> KeyStore:
    """The data key of one (server, user): OS keyring, else a 0600 file in ``key_dir``."""
    return keystore_for(server_url, user_id, key_dir=folders.key_dir)


class DataProtection:
    """Lock, unlock and logout of :class:`InboxClient` (uses its cache, engine, api...)."""

    locked: bool

    def lock(self: InboxClient) -> None:
        """Idle lock: drops every decoded model held in memory (the sealed disk copy stays),
        and keeps none until :meth:`unlock`. Pending actions keep being sent."""
        self.locked = True
        self.cache.lock_memory()
        self.engine.bases.clear()
        self._row_index = (None, {})
        log.info("locked: in-memory views cleared")

    async def unlock(self: InboxClient, password: str) -> None:
        """Unlocks with the user's password: checked by the server, or — when the server
        cannot be reached — against the verifier sealed at the last login. Raises
        RejectedError for a wrong password (the client stays locked), and
        TooManyAttemptsError while the server's or the offline attempt limit holds."""
        try:
            await self._renew_session(password)
        except TransientError as exc:
            if exc.status == 429:  # the server throttles: no offline guessing around it
                raise TooManyAttemptsError("too many wrong passwords",
                                           retry_after=exc.retry_after) from None
            try:
                ok = await self._verifier.check_async(password)
            except UnlockRefused as refused:
                raise TooManyAttemptsError("too many wrong passwords",
                                           retry_after=refused.retry_after) from None
            if not ok:
                raise RejectedError("wrong password", code="unauthorized") from None
            log.info("unlocked offline (local verifier)")
        else:
            if self.needs_login:
                self._resume_after_login()
            log.info("unlocked")
        self.locked = False
        self.cache.unlock_memory()

    def unsent_count(self: InboxClient) -> int:
        """Actions that would be lost by logging out: pending and failed ones."""
        return len(self.engine.pending)

    async def logout(self: InboxClient, *, discard_pending: bool = False,
                     send_within: float = LOGOUT_SEND_SECONDS) -> None:
        """Ends the session and leaves no file of this user on the machine (issue 7).

        Actions not yet sent go out first: logout waits up to ``send_within`` seconds for the
        outbox to drain; if something is still unsent (offline, failed) it raises
        :class:`PendingActionsError` and changes nothing, so the UI can ask the user to keep
        waiting, discard them (``discard_pending=True``) or stay signed in. Then: the server
        session ends, the remembered login is forgotten, the cache folder and the data folder
        (outbox, unlock verifier) are deleted completely — stray files included — and the
        user's key leaves the keyring (or its key file), so any copy left elsewhere is
        unreadable.
        """
        if self.engine.pending and not discard_pending:
            if not self._started:
                await self.start()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.engine.drained(), send_within)
            if self.engine.pending:
                raise PendingActionsError(len(self.engine.pending))
        with contextlib.suppress(ClientError):
            await self.api.logout()
        self._session_store.clear()
        await self._stop(destroy_cache=True)
        remove_tree(self.folders.user_data(self.session.user.id))
        self.keystore.delete()
        log.info("signed out; the user's local files and key are deleted")
