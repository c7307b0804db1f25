"""Tests of inbox_app/client/files/private.py: 0700/0600 whatever the umask, full removal."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox_app.client.files.private import (
    create_private_file,
    is_private,
    private_dir,
    remove_tree,
    tighten_tree,
    write_private,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    """The common 022 umask would make files world-readable: the helpers must not care."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_private_dir_creates_missing_parents_0700(tmp_path: Path) -> None:
    target = private_dir(tmp_path / "a" / "b" / "c")
    for folder in (tmp_path / "a", tmp_path / "a" / "b", target):
        assert mode_of(folder) == 0o700


def test_private_dir_tightens_an_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    private_dir(folder)
    assert mode_of(folder) == 0o700


def test_private_dir_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        private_dir(tmp_path / "f")


def test_write_private_is_0600_atomic_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "d" / "outbox.json"
    write_private(path, b"one")
    write_private(path, b"two")
    assert path.read_bytes() == b"two"
    assert mode_of(path) == 0o600 and mode_of(path.parent) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["outbox.json"]  # no temp file left


def test_create_private_file_keeps_content_and_tightens(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    path.write_bytes(b"db")
    path.chmod(0o644)
    create_private_file(path)
    assert path.read_bytes() == b"db"
    assert mode_of(path) == 0o600
    assert is_private(path)


def test_tighten_tree_fixes_what_a_library_created(tmp_path: Path) -> None:
    root = private_dir(tmp_path / "cache")
    (root / "ab" / "cd").mkdir(parents=True)  # like diskcache's value sub-folders (umask 022)
    (root / "ab" / "cd" / "x.val").write_bytes(b"v")
    changed = tighten_tree(root)
    assert root / "ab" / "cd" / "x.val" in changed
    for path in root.rglob("*"):
        assert is_private(path), path


def test_remove_tree_removes_everything_even_read_only(tmp_path: Path) -> None:
    root = private_dir(tmp_path / "user")
    (root / "ab").mkdir()
    (root / "ab" / "stray.val").write_bytes(b"v")
    (root / "cache.db-wal").write_bytes(b"w")
    (root / "ab").chmod(0o500)  # a folder whose files cannot be unlinked as it is
    remove_tree(root)
    assert not root.exists()
    remove_tree(root)  # already gone: fine
