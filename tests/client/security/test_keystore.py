"""Tests of inbox_app/client/security/keystore.py with this machine's real keyring situation.

On a headless box ``keyring`` has no backend (its ``fail`` one): the key falls back to a 0600
file. A real file-based keyring backend (keyrings.alt's PlaintextKeyring, writing to a file in
tmp) stands in for an OS keyring to test the keyring path.
"""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from inbox_app.client.security.crypto import KEY_BYTES, TamperedError
from inbox_app.client.security.keystore import KeyStore, KeyStoreError, secure_default_backend

SERVER = "http://127.0.0.1:8000"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "config" / "keys"


# -- no keyring: the fallback file --------------------------------------------------------


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_keyring_backend_falls_back_to_a_private_key_file(
    restore_keyring: None, backend: KeyringBackend, key_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(backend)
    assert secure_default_backend() is None
    with caplog.at_level(logging.WARNING, logger="inbox_app.client.security.keystore"):
        store = KeyStore(SERVER, "ana@aurora.example", key_dir=key_dir)
    assert "No OS keyring" in caplog.text
    assert store.uses_fallback
    assert "no OS keyring" in store.backend_description
    key = store.key()
    assert len(key) == KEY_BYTES
    assert store.key_file.exists()
    assert mode_of(store.key_file) == 0o600
    assert mode_of(key_dir) == 0o700
    # A new KeyStore (next start of the app) finds the same key.
    assert KeyStore(SERVER, "ana@aurora.example", key_dir=key_dir).key() == key


def test_this_machine_default_is_handled(key_dir: Path) -> None:
    """Whatever keyring this machine has, a key comes out and its location is reported."""
    store = KeyStore(SERVER, "ana@aurora.example", key_dir=key_dir)
    assert len(store.key()) == KEY_BYTES
    assert store.backend_description
    if store.uses_fallback:
        assert mode_of(store.key_file) == 0o600
    store.delete()


def test_plaintext_keyring_is_not_trusted_when_picked_automatically(
    restore_keyring: None, file_keyring: KeyringBackend, key_dir: Path, tmp_path: Path
) -> None:
    # Installing keyrings.alt makes its plaintext file keyring ``keyring``'s default (priority
    # 0.5 beats ``fail``). It must not silently become where patient-data keys go.
    keyring.set_keyring(file_keyring)
    store = KeyStore(SERVER, "ana@aurora.example", key_dir=key_dir)
    assert store.uses_fallback
    store.key()
    assert not (tmp_path / "keyring" / "keyring_pass.cfg").exists()


def test_no_keyring_error_at_runtime_falls_back(key_dir: Path, restore_keyring: None) -> None:
    class Missing(KeyringBackend):
        priority = 5  # claims to be good, then has nothing behind it

        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.NoKeyringError("no backend behind it")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.NoKeyringError("no backend behind it")

        def delete_password(self, service: str, username: str) -> None:
            raise keyring.errors.NoKeyringError("no backend behind it")

    keyring.set_keyring(Missing())
    store = KeyStore(SERVER, "ana@aurora.example", key_dir=key_dir)
    assert store.uses_fallback
    assert len(store.key()) == KEY_BYTES


def test_loose_key_file_is_tightened(key_dir: Path) -> None:
    store = fallback_store(key_dir, "ana@aurora.example")
    key = store.key()
    store.key_file.chmod(0o644)
    key_dir.chmod(0o755)
    assert fallback_store(key_dir, "ana@aurora.example").key() == key
    assert mode_of(store.key_file) == 0o600
    assert mode_of(key_dir) == 0o700


def test_damaged_key_file_is_an_error_not_a_new_key(key_dir: Path) -> None:
    store = fallback_store(key_dir, "ana@aurora.example")
    store.key()
    store.key_file.write_text("not base64 at all")
    with pytest.raises(KeyStoreError, match="damaged"):
        fallback_store(key_dir, "ana@aurora.example").key()
    assert store.key_file.read_text() == "not base64 at all"


def fallback_store(key_dir: Path, user: str, server: str = SERVER) -> KeyStore:
    """A KeyStore on the file fallback whatever this machine has (``fail`` backend picked)."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        return KeyStore(server, user, key_dir=key_dir)
    finally:
        keyring.set_keyring(before)


# -- users and servers are kept apart -----------------------------------------------------


@pytest.mark.parametrize("where", ["file", "keyring"])
def test_two_users_get_different_keys_and_cannot_read_each_other(
    where: str, key_dir: Path, file_keyring: KeyringBackend
) -> None:
    def make(user: str, server: str = SERVER) -> KeyStore:
        if where == "file":
            return fallback_store(key_dir, user, server)
        return KeyStore(server, user, key_dir=key_dir, backend=file_keyring)

    ana, carla = make("ana@aurora.example"), make("carla@aurora.example")
    ana_elsewhere = make("ana@aurora.example", "https://other.example")
    assert len({ana.key(), carla.key(), ana_elsewhere.key()}) == 3
    sealed = ana.codec("cache").encode({"name": "Maria Canário"}, associated="patient:1:data")
    for other in (carla, ana_elsewhere):
        with pytest.raises(TamperedError):
            other.codec("cache").decode(sealed, associated="patient:1:data")
    assert make("ANA@aurora.example", SERVER + "/").codec("cache").decode(
        sealed, associated="patient:1:data"
    ) == {"name": "Maria Canário"}


# -- the keyring path ---------------------------------------------------------------------


def test_key_and_token_live_in_the_keyring(file_keyring: KeyringBackend, key_dir: Path) -> None:
    store = KeyStore(SERVER, "ana@aurora.example", key_dir=key_dir, backend=file_keyring)
    assert not store.uses_fallback
    assert "PlaintextKeyring" in store.backend_description
    key = store.key()
    store.save_token("tok-123")
    assert file_keyring.get_password(f"clinic-inbox:{SERVER}", "ana@aurora.example:session-token")
    again = KeyStore(SERVER, "ana@aurora.example", key_dir=key_dir, backend=file_keyring)
    assert again.key() == key
    assert again.load_token() == "tok-123"
    assert not key_dir.exists()  # nothing written beside the keyring

    again.delete()
    service = f"clinic-inbox:{SERVER}"
    for item in ("data-key", "session-token"):
        assert file_keyring.get_password(service, f"ana@aurora.example:{item}") is None
    assert again.load_token() is None
    assert not again.has_key()


def test_locked_keyring_is_a_clear_error_not_a_new_key(key_dir: Path) -> None:
    class Locked(KeyringBackend):
        priority = 5

        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("the keyring is locked")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.KeyringLocked("the keyring is locked")

        def delete_password(self, service: str, username: str) -> None:
            raise keyring.errors.KeyringLocked("the keyring is locked")

    store = KeyStore(SERVER, "ana@aurora.example", key_dir=key_dir, backend=Locked())
    with pytest.raises(KeyStoreError, match="could not be read"):
        store.key()
    assert not key_dir.exists()


# -- the session token on the fallback ----------------------------------------------------


def test_token_on_fallback_is_sealed_in_a_private_file(key_dir: Path) -> None:
    store = fallback_store(key_dir, "ana@aurora.example")
    assert store.load_token() is None
    store.save_token("secret-token-abc")
    (token_file,) = key_dir.glob("*.token")
    assert b"secret-token-abc" not in token_file.read_bytes()
    assert mode_of(token_file) == 0o600
    assert fallback_store(key_dir, "ana@aurora.example").load_token() == "secret-token-abc"
    # Another user cannot take it over by copying the file.
    carla = fallback_store(key_dir, "carla@aurora.example")
    carla.key()
    carla_token = key_dir / (carla.key_file.stem + ".token")
    carla_token.write_bytes(token_file.read_bytes())
    assert carla.load_token() is None
    assert not carla_token.exists()  # rejected and removed


def test_tampered_token_file_is_dropped(key_dir: Path) -> None:
    store = fallback_store(key_dir, "ana@aurora.example")
    store.save_token("secret-token-abc")
    (token_file,) = key_dir.glob("*.token")
    data = bytearray(token_file.read_bytes())
    data[-3] ^= 0x10
    token_file.write_bytes(bytes(data))
    assert store.load_token() is None
    assert not token_file.exists()


def test_forget_token_keeps_the_key(key_dir: Path) -> None:
    store = fallback_store(key_dir, "ana@aurora.example")
    key = store.key()
    store.save_token("t")
    store.forget_token()
    assert store.load_token() is None
    assert store.key() == key


# -- delete -------------------------------------------------------------------------------


def test_delete_leaves_nothing(key_dir: Path) -> None:
    store = fallback_store(key_dir, "ana@aurora.example")
    bruno = fallback_store(key_dir, "bruno@boavista.example")
    bruno.key()
    key = store.key()
    store.save_token("t")
    sealed = store.codec("outbox").encode(["reply"])
    store.delete()
    assert sorted(p.name for p in key_dir.iterdir()) == [bruno.key_file.name]
    assert not store.has_key()
    assert store.load_token() is None
    # A later login makes a new key: the old entries are unreadable for good.
    again = fallback_store(key_dir, "ana@aurora.example")
    assert again.key() != key
    with pytest.raises(TamperedError):
        again.codec("outbox").decode(sealed)


def test_user_is_required(key_dir: Path) -> None:
    with pytest.raises(ValueError):
        KeyStore(SERVER, "", key_dir=key_dir)
