"""A remembered-login store without protection: the tests' control case.

It keeps ``{"token", "session"}`` as plain JSON in a file only the user reads, with the three
methods of :class:`inbox_app.client.session.remembered.SessionStoreLike`; the tests plug it in
through ``session_store_factory`` to show that the sealed default is what keeps the token out
of the files (and that another store can be plugged in at all).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from inbox_app.client.files.folders import Folders
from inbox_app.client.files.private import write_private


class PlainSessionStore:
    """``{"token", "session"}`` as plain JSON in ``path`` (default the server's session file)."""

    def __init__(self, folders: Folders, path: Path | None = None) -> None:
        self.path = path or folders.session_file

    def load(self) -> dict[str, Any] | None:
        try:
            data = orjson.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        return data if isinstance(data, dict) and isinstance(data.get("token"), str) else None

    def save(self, token: str, session: Any) -> None:
        write_private(self.path, orjson.dumps({"token": token, "session": session}))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
