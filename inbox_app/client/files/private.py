"""Folders and files readable by the user alone (0700 / 0600), and removing them completely.

Reception PCs are shared by several receptionists with their own OS accounts (issue 7): every
folder and file the client creates must be closed to the others. Modes are set explicitly
rather than trusting the process umask (a common 022 would leave files world-readable).

On Windows, POSIX modes mean little; the per-user profile folders that platformdirs returns
are already closed to other accounts by their ACLs, so the helpers only create there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"


def private_dir(path: Path | str) -> Path:
    """Creates ``path`` (and missing parents) as 0700, or tightens an existing one to 0700.

    Parents that already exist are left as they are (e.g. ``~/.cache``); parents created here
    get 0700 too.
    """
    path = Path(path)
    missing: list[Path] = []
    for candidate in (path, *path.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
        _chmod(folder, DIR_MODE)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} exists and is not a folder")
    _tighten(path, DIR_MODE)
    return path


def write_private(path: Path | str, data: bytes) -> Path:
    """Writes ``data`` to ``path`` atomically, as a 0600 file in a 0700 folder.

    The bytes go to a temporary 0600 file in the same folder, are flushed to disk, and replace
    ``path`` in one rename: a crash leaves the old file or the new one, never half of one.
    """
    path = Path(path)
    private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file as 0600 whatever the umask.
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _chmod(path, FILE_MODE)
    return path


def create_private_file(path: Path | str) -> Path:
    """Creates ``path`` empty as 0600 if it does not exist; tightens it to 0600 if it does.

    Used before a library creates the file itself: SQLite gives its -wal and -shm files the
    mode of the database file, so a 0600 ``cache.db`` keeps those private as well.
    """
    path = Path(path)
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    _tighten(path, FILE_MODE)
    return path


def is_private(path: Path | str) -> bool:
    """Whether ``path`` gives nothing to group or others (always True off POSIX)."""
    if not _POSIX:
        return True
    return stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0


def tighten_tree(root: Path | str) -> list[Path]:
    """Sets every folder under ``root`` to 0700 and every file to 0600; returns what changed.

    For folders a library filled with its own modes (diskcache's value sub-folders), run at
    start-up; with ``root`` itself 0700 nobody else can reach them in between anyway.
    """
    changed: list[Path] = []
    if not _POSIX:
        return changed
    root = Path(root)
    for here, dirs, files in os.walk(root):
        for name in dirs:
            if _tighten(Path(here, name), DIR_MODE):
                changed.append(Path(here, name))
        for name in files:
            if _tighten(Path(here, name), FILE_MODE):
                changed.append(Path(here, name))
    if _tighten(root, DIR_MODE):
        changed.append(root)
    return changed


def remove_tree(root: Path | str) -> None:
    """Deletes ``root`` and everything under it (stray diskcache value files, WAL included).

    Raises ``OSError`` if anything is left afterwards: logout must not claim to have removed a
    user's data when it did not.
    """
    root = Path(root)
    if not root.exists():
        return
    # A read-only file or folder inside (e.g. tightened to 0500 by someone) must not stop it.
    if sys.version_info >= (3, 12):
        shutil.rmtree(root, onexc=_force_remove)
    else:  # Python 3.11; onerror is deprecated from 3.12 on
        shutil.rmtree(root, onerror=_force_remove)
    if root.exists():
        raise OSError(f"could not remove {root} completely")


def _force_remove(func: Callable[[str], object], path: str, _exc: object) -> None:
    with contextlib.suppress(OSError):
        os.chmod(os.path.dirname(path) or ".", DIR_MODE)
        os.chmod(path, DIR_MODE if os.path.isdir(path) else FILE_MODE)
    func(path)


def _chmod(path: Path, mode: int) -> None:
    if _POSIX:
        os.chmod(path, mode)


def _tighten(path: Path, mode: int) -> bool:
    """chmod ``path`` to ``mode`` if it is looser or different; True if it changed."""
    if not _POSIX:
        return False
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        return False  # never follow a planted symlink out of the folder
    if stat.S_IMODE(info.st_mode) != mode:
        os.chmod(path, mode)
        return True
    return False
