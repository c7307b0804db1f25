"""Tests of inbox_app/client/session/remembered.py: the remembered login without a plain token."""

from __future__ import annotations

import stat
from pathlib import Path

from keyring.backend import KeyringBackend

from inbox_app.client.session.remembered import SealedSessionStore

SERVER = "http://127.0.0.1:8000"
TOKEN = "tok-7f3a9c-very-secret"
SESSION = {"user": {"id": 12, "name": "Ana Recepção", "email": "ana@aurora.example"},
           "clinic": {"id": 1, "name": "Clínica Aurora"}, "expires_at": "2026-11-25T00:00:00Z"}


def test_fallback_keeps_no_plain_token_or_session(no_keyring: None, tmp_path: Path) -> None:
    path = tmp_path / "data" / "server" / "session.json"
    store = SealedSessionStore(SERVER, path, key_dir=tmp_path / "keys")
    assert store.load() is None
    store.save(TOKEN, SESSION)
    assert store.load() == {"token": TOKEN, "session": SESSION}
    for file in [p for p in tmp_path.rglob("*") if p.is_file()]:
        data = file.read_bytes()
        assert TOKEN.encode() not in data, file
        assert "Recepção".encode() not in data and b"ana@aurora" not in data, file
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    # next start of the app
    assert SealedSessionStore(SERVER, path, key_dir=tmp_path / "keys").load()["token"] == TOKEN


def test_keyring_holds_the_token(file_keyring: KeyringBackend, tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    store = SealedSessionStore(SERVER, path, key_dir=tmp_path / "keys", backend=file_keyring)
    store.save(TOKEN, SESSION)
    assert file_keyring.get_password(f"clinic-inbox:{SERVER}", "user-12:session-token") == TOKEN
    assert TOKEN.encode() not in path.read_bytes()
    assert not (tmp_path / "keys").exists()
    assert store.load() == {"token": TOKEN, "session": SESSION}
    store.clear()
    assert file_keyring.get_password(f"clinic-inbox:{SERVER}", "user-12:session-token") is None
    assert not path.exists()
    assert store.load() is None


def test_tampered_or_swapped_session_is_ignored(no_keyring: None, tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    store = SealedSessionStore(SERVER, path, key_dir=tmp_path / "keys")
    store.save(TOKEN, SESSION)
    original = path.read_bytes()
    # someone edits the clear user id to take over another user's remembered session
    path.write_bytes(original.replace(b'"user_id":12', b'"user_id":13'))
    assert store.load() is None
    path.write_bytes(original.replace(b'"session":"', b'"session":"AAAA'))
    assert store.load() is None
    path.write_bytes(b"not json")
    assert store.load() is None
    path.write_bytes(original)
    assert store.load() is not None


def test_clear_forgets_the_token_but_keeps_the_key(no_keyring: None, tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    store = SealedSessionStore(SERVER, path, key_dir=tmp_path / "keys")
    store.save(TOKEN, SESSION)
    key = store.keystore(12).key()
    store.clear()
    assert store.load() is None
    assert not list((tmp_path / "keys").glob("*.token"))
    assert store.keystore(12).key() == key  # the outbox may still need it
