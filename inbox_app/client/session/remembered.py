"""The remembered login, with the token in the OS keyring: a drop-in for ``SessionStore``.

``paths.SessionStore`` keeps ``{"token", "session"}`` as plain JSON in ``session.json``.
Issue 7 wants the token in the keyring, not in a file. :class:`SealedSessionStore` has the same
``load``/``save``/``clear`` and ``path``: the token goes to the user's :class:`KeyStore` (the
keyring, or its sealed fallback file), and ``session.json`` keeps only the user id in clear
(needed to find that user's key at start-up, before anything is decrypted) and the
``UserSession`` JSON sealed with the user's key.
"""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path
from typing import Any

import orjson
from keyring.backend import KeyringBackend

from inbox_app.client.files.private import write_private
from inbox_app.client.security.crypto import TamperedError
from inbox_app.client.security.keystore import KeyStore, KeyStoreError

log = logging.getLogger(__name__)

_CONTEXT = b"session"
_FORMAT = 1


def user_name(user_id: int) -> str:
    """The KeyStore identity of a user: the same id the per-user folders are named by."""
    return f"user-{user_id}"


def keystore_for(
    server_url: str,
    user_id: int,
    *,
    key_dir: Path | None = None,
    backend: KeyringBackend | None = None,
) -> KeyStore:
    """The :class:`KeyStore` of ``user_id`` on ``server_url``."""
    return KeyStore(server_url, user_name(user_id), key_dir=key_dir, backend=backend)


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
        """``{"token", "session"}`` as ``SessionStore.load`` returns it, or None."""
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
