"""The remembered login: what :meth:`InboxClient.resume` starts from, the whole of it here.

A store of the remembered login has three methods (:class:`SessionStoreLike`): ``load`` gives
``{"token", "session"}`` (the ``UserSession`` JSON) or None, ``save`` remembers them,
``clear`` forgets them. The default, :func:`sealed_session_store`, is
:class:`SealedSessionStore` (issue 7): the token goes to the user's :class:`KeyStore` (the OS
keyring, or its sealed fallback file), and ``session.json`` keeps only the user id in clear
(needed to find that user's key at start-up, before anything is decrypted) and the
``UserSession`` JSON sealed with the user's key. ``InboxClient.login`` and ``resume`` take
another store through ``session_store_factory``.
"""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from inbox_app.client.files.folders import Folders
from inbox_app.client.files.private import write_private
from inbox_app.client.security.crypto import TamperedError
from inbox_app.client.security.keystore import KeyStore, KeyStoreError, keystore_for

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

_CONTEXT = b"session"
_FORMAT = 1


class SessionStoreLike(Protocol):
    """What remembers a login: :class:`SealedSessionStore`, or another with its methods."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, token: str, session: Any) -> None: ...

    def clear(self) -> None: ...


class SealedSessionStore:
    """Remembered session of one server; token in the keystore, session sealed on disk."""

    def __init__(
        self,
        server_url: str,
        path: Path,
        *,
        key_dir: Path | None = None,
        backend: KeyringBackend | None = None,
    ) -> None:
        self.server_url = server_url
        self.path = Path(path)
        self._key_dir = key_dir
        self._backend = backend

    def keystore(self, user_id: int) -> KeyStore:
        """The keystore of ``user_id`` (for the cache and outbox codecs, and logout)."""
        return keystore_for(self.server_url, user_id, key_dir=self._key_dir,
                            backend=self._backend)

    def _remembered(self) -> tuple[int, dict[str, Any]] | None:
        """(user id, the file's document), or None when there is none that fits."""
        try:
            document = orjson.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as exc:
            log.warning("remembered session unreadable, ignoring it: %s", exc)
            return None
        user_id = document.get("user_id") if isinstance(document, dict) else None
        if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id < 1:
            log.warning("remembered session does not fit, ignoring it")
            return None
        return user_id, document

    def load(self) -> dict[str, Any] | None:
        """``{"token", "session"}``, or None when nothing (readable) is remembered."""
        remembered = self._remembered()
        if remembered is None:
            return None
        user_id, document = remembered
        store = self.keystore(user_id)
        try:
            token = store.load_token()
            if token is None:
                return None
            sealed = base64.b64decode(document.get("session", ""), validate=True)
            session = store.codec(_CONTEXT).decode(sealed, associated=str(user_id))
        except (TamperedError, binascii.Error, ValueError, TypeError) as exc:
            log.warning("remembered session rejected, ignoring it: %s", exc)
            return None
        except KeyStoreError as exc:
            log.warning("remembered session unavailable: %s", exc)
            return None
        return {"token": token, "session": session}

    def save(self, token: str, session: Any) -> None:
        """Remembers ``token`` (keystore) and ``session`` (the UserSession JSON, sealed)."""
        user_id = session["user"]["id"]
        store = self.keystore(user_id)
        store.save_token(token)
        sealed = store.codec(_CONTEXT).encode(session, associated=str(user_id))
        write_private(self.path, orjson.dumps({
            "format": _FORMAT, "user_id": user_id,
            "session": base64.b64encode(sealed).decode("ascii"),
        }))

    def clear(self) -> None:
        """Forgets the token and the session file (the user's key stays: see logout)."""
        remembered = self._remembered()
        if remembered is not None:
            try:
                self.keystore(remembered[0]).forget_token()
            except KeyStoreError as exc:
                log.warning("could not remove the session token from the keyring: %s", exc)
        self.path.unlink(missing_ok=True)


def sealed_session_store(server_url: str, folders: Folders) -> SealedSessionStore:
    """The default remembered-login store of a server: token in the keyring (or the sealed
    key-file fallback), session sealed with the user's key (issue 7)."""
    return SealedSessionStore(server_url, folders.session_file, key_dir=folders.key_dir)
