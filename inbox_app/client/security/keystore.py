"""One data key and one session token per (server, user), kept in the OS keyring.

The key seals everything the client writes about patients (:mod:`inbox_app.client.security.crypto`);
the token is the remembered login. Both live in the OS keyring (``keyring``: Windows
Credential Locker, macOS Keychain, Secret Service on a Linux desktop).

Where there is no trustworthy keyring — a headless Linux box, where ``keyring`` picks its
``fail`` backend and raises ``NoKeyringError`` — the key goes to a file readable by the user
alone (0600 in a 0700 folder) and the token is sealed with that key into a file beside it. This
is said once in the log as a warning and by :attr:`KeyStore.backend_description` /
:attr:`KeyStore.uses_fallback` for the about box.

Backends that ``keyring`` itself ranks as not recommended (priority below 1: ``fail``,
``null``, an empty chainer, and ``keyrings.alt``'s plaintext file, which would otherwise become
the default as soon as that package is installed) are not trusted when picked automatically:
our own fallback file is no weaker than them and, unlike them, is reported as what it is.
A backend passed in explicitly is used as given.

A keyring that exists but fails (locked, D-Bus error) raises :class:`KeyStoreError` instead of
silently minting a new key: a new key would make the user's outbox — data, not cache —
unreadable.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from inbox_app.client.files.folders import APP_NAME
from inbox_app.client.files.private import is_private, private_dir, write_private
from inbox_app.client.security.crypto import KEY_BYTES, SealedCodec, TamperedError, new_key

# ``keyring`` is imported where it is used, not here: importing it and finding the backend
# take ~0.3 s on Linux (its macOS backend looks for Apple's libraries with ldconfig, gcc and
# ld), which the app runs on a thread beside its start-up (find_keyring_early, issue 13).
if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE_PREFIX = "clinic-inbox"
RECOMMENDED_PRIORITY = 1.0
"""``keyring``'s scale: backends below 1 are fallbacks it does not recommend."""

_TOKEN_CONTEXT = b"session-token"
_WARNED: set[Path] = set()


class KeyStoreError(RuntimeError):
    """The key or token could not be read or written (e.g. the OS keyring is locked)."""


def default_key_dir() -> Path:
    """Where fallback key files go when no folder is given (the app passes
    ``Folders.key_dir``): the user's config folder, named like the app's other folders."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "keys"


def normalise_server(server_url: str) -> str:
    """``HTTP://Host:8000/`` and ``http://host:8000`` name the same server."""
    url = server_url.strip().rstrip("/")
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url.lower()
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


#: the lookup find_keyring_early() started, if it did
_finder: list[threading.Thread] = []


def find_keyring_early() -> None:
    """Starts importing ``keyring`` and finding the OS keyring on a background thread, so
    that the first :class:`KeyStore` finds it ready. The desktop app calls it before it
    loads Qt (``cli.begin_start``): the lookup mostly waits for child processes and files,
    and runs while Qt and the window load."""
    if not _finder:
        thread = threading.Thread(target=_find_keyring, name="keyring-finder", daemon=True)
        thread.start()
        _finder.append(thread)


def _find_keyring() -> None:
    try:
        import keyring

        keyring.get_keyring()  # keyring keeps what it found
    except Exception:  # secure_default_backend() meets it again, and says so
        log.debug("finding the keyring failed", exc_info=True)


def secure_default_backend() -> KeyringBackend | None:
    """The keyring backend ``keyring`` would use, or None when it is not a recommended one."""
    for thread in _finder:
        thread.join()  # the lookup started early: use what it found, do not start another
    import keyring
    from keyring.backends import chainer

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyringrc or backend import must not stop the app
        log.warning("keyring backend could not be loaded (%s): using a key file", exc)
        return None
    effective: KeyringBackend | None = backend
    if isinstance(backend, chainer.ChainerBackend):
        # The chainer writes to its first (highest-priority) backend.
        chained = list(backend.backends)
        effective = chained[0] if chained else None
    if effective is None or effective.priority < RECOMMENDED_PRIORITY:
        return None
    return backend


class KeyStore:
    """The data key and session token of one (server, user).

    ``backend``: a keyring backend to use as given (tests, or a deployment's choice);
    default: the system's keyring if it is a recommended one, else the key file.
    ``key_dir``: folder of fallback key/token files (default :func:`default_key_dir`).
    """

    def __init__(
        self,
        server_url: str,
        user: str,
        *,
        backend: KeyringBackend | None = None,
        key_dir: Path | None = None,
    ) -> None:
        if not user:
            raise ValueError("KeyStore needs a user (e.g. the login email)")
        self.server = normalise_server(server_url)
        self.user = user.strip().lower()
        self._service = f"{SERVICE_PREFIX}:{self.server}"
        self._backend = backend if backend is not None else secure_default_backend()
        self._key_dir = Path(key_dir) if key_dir is not None else default_key_dir()
        # File names carry a hash, not the server or the email.
        stem = hashlib.sha256(f"{self.server}\n{self.user}".encode()).hexdigest()[:32]
        self._key_file = self._key_dir / f"{stem}.key"
        self._token_file = self._key_dir / f"{stem}.token"
        self._key: bytes | None = None
        if backend is None and self._backend is not None and not self._keyring_answers():
            self._backend = None
        self._uses_file = self._backend is None
        if self._uses_file and self._key_dir not in _WARNED:
            _WARNED.add(self._key_dir)  # once per folder, not once per KeyStore object
            log.warning(
                "No OS keyring available: the data key is kept in a file readable by this "
                "user alone (%s)", self._key_dir
            )

    def _keyring_answers(self) -> bool:
        """False when the picked keyring turns out to be missing (``NoKeyringError``)."""
        import keyring.errors

        assert self._backend is not None
        try:
            self._backend.get_password(self._service, self._name("data-key"))
        except keyring.errors.NoKeyringError:
            return False
        except keyring.errors.KeyringError:
            return True  # exists but failed (e.g. locked): key() says so clearly later
        return True

    # -- what the about box shows ----------------------------------------------------------

    @property
    def uses_fallback(self) -> bool:
        """True when the key lives in a 0600 file instead of the OS keyring."""
        return self._uses_file

    @property
    def backend_description(self) -> str:
        """Where the key is kept, for the about box and the log (not translated here)."""
        if self._uses_file:
            return f"file {self._key_file} (no OS keyring)"
        backend = self._backend
        return f"keyring {type(backend).__module__}.{type(backend).__name__}"

    @property
    def key_file(self) -> Path:
        """The fallback key file (exists only when the fallback is in use)."""
        return self._key_file

    # -- the data key ----------------------------------------------------------------------

    def key(self) -> bytes:
        """The user's 256-bit data key, created on first use."""
        if self._key is None:
            self._key = self._load_key() or self._create_key()
        return self._key

    def codec(self, context: bytes | str) -> SealedCodec:
        """A :class:`SealedCodec` with this user's key for one purpose ("cache", "outbox")."""
        return SealedCodec(self.key(), context=context)

    def has_key(self) -> bool:
        """Whether a key exists already (without creating one)."""
        return self._key is not None or self._load_key() is not None

    def _load_key(self) -> bytes | None:
        if not self._uses_file:
            text = self._keyring_get("data-key")
            if text is not None:
                return _decode_key(text, where="the keyring")
        if self._key_file.exists():
            # Also with a keyring: a key made while no keyring existed stays this user's key.
            return self._read_key_file()
        return None

    def _create_key(self) -> bytes:
        key = new_key()
        if self._uses_file:
            write_private(self._key_file, base64.b64encode(key) + b"\n")
        else:
            text = base64.b64encode(key).decode("ascii")
            self._keyring_set("data-key", text)
            if self._keyring_get("data-key") != text:
                # e.g. a chainer whose backends all refuse: never run with a key we cannot
                # find again, the outbox would be lost at the next start.
                raise KeyStoreError("the OS keyring did not keep the data key")
        log.info("created a data key for %s on %s (%s)", self.user, self.server,
                 "file" if self._uses_file else "keyring")
        return key

    def _read_key_file(self) -> bytes:
        if not is_private(self._key_file) or not is_private(self._key_file.parent):
            log.warning("key file %s was readable by others: tightening it", self._key_file)
            private_dir(self._key_file.parent)
            self._key_file.chmod(0o600)
        return _decode_key(self._key_file.read_text("ascii"), where=str(self._key_file))

    # -- the session token -----------------------------------------------------------------

    def save_token(self, token: str) -> None:
        """Remembers the session token (keyring, or sealed in a 0600 file)."""
        if self._uses_file:
            sealed = self.codec(_TOKEN_CONTEXT).seal(token.encode(), associated=self.user)
            write_private(self._token_file, sealed)
        else:
            self._keyring_set("session-token", token)

    def load_token(self) -> str | None:
        """The remembered token, or None (none saved, or its file was tampered with)."""
        if not self._uses_file:
            return self._keyring_get("session-token")
        if not self._token_file.exists() or not self.has_key():
            return None
        try:
            plain = self.codec(_TOKEN_CONTEXT).unseal(
                self._token_file.read_bytes(), associated=self.user
            )
        except TamperedError as exc:
            log.warning("session token file rejected (%s): removing it", exc)
            self._token_file.unlink(missing_ok=True)
            return None
        return plain.decode()

    def forget_token(self) -> None:
        """Removes the remembered token (logout)."""
        if not self._uses_file:
            self._keyring_delete("session-token")
        self._token_file.unlink(missing_ok=True)

    # -- logout ----------------------------------------------------------------------------

    def delete(self) -> None:
        """Removes the key and the token from the keyring and their fallback files.

        After this, everything sealed with the key is unreadable for good; the caller deletes
        the user's cache folder too (``private_paths.remove_tree``).
        """
        if not self._uses_file:
            self._keyring_delete("data-key")
            self._keyring_delete("session-token")
        self._key_file.unlink(missing_ok=True)
        self._token_file.unlink(missing_ok=True)
        self._key = None

    # -- keyring access, errors translated once -------------------------------------------

    def _name(self, item: str) -> str:
        return f"{self.user}:{item}"

    def _keyring_get(self, item: str) -> str | None:
        import keyring.errors

        assert self._backend is not None
        try:
            return self._backend.get_password(self._service, self._name(item))
        except keyring.errors.KeyringError as exc:
            raise KeyStoreError(f"the OS keyring could not be read: {exc}") from exc

    def _keyring_set(self, item: str, value: str) -> None:
        import keyring.errors

        assert self._backend is not None
        try:
            self._backend.set_password(self._service, self._name(item), value)
        except keyring.errors.KeyringError as exc:
            raise KeyStoreError(f"the OS keyring could not be written: {exc}") from exc

    def _keyring_delete(self, item: str) -> None:
        import keyring.errors

        assert self._backend is not None
        try:
            self._backend.delete_password(self._service, self._name(item))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already gone
        except keyring.errors.KeyringError as exc:
            raise KeyStoreError(f"the OS keyring could not be cleared: {exc}") from exc


def _decode_key(text: str, *, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        # Do not mint a new key over it: the old one may still be recoverable by hand, and
        # a silent new key would make the outbox unreadable.
        raise KeyStoreError(f"the data key in {where} is damaged")
    return key


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
