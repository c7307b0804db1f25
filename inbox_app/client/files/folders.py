"""Where the client keeps its files: one folder per server and user (platformdirs).

``<cache root>/<server>/user-<id>/`` holds the disk cache (disposable); ``<data root>/
<server>/user-<id>/outbox/`` the pending actions (data, never evicted). ``<data root>/
<server>/session.json`` remembers the last login for :meth:`InboxClient.resume` (sealed, its
token in the keyring: :mod:`inbox_app.client.session.remembered`); ``<data root>/keys/`` holds
the data keys when the machine has no OS keyring.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "ClinicInbox"


def server_slug(server_url: str) -> str:
    """A folder name for a server: readable host and port, plus a hash to keep it unique."""
    url = server_url.strip().rstrip("/").lower()
    readable = re.sub(r"[^a-z0-9]+", "-", url.split("://", 1)[-1]).strip("-")[:40]
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return f"{readable}-{digest}"


@dataclass(frozen=True, slots=True)
class Folders:
    """The folders of one server (and, once logged in, one user)."""

    data_root: Path
    cache_root: Path
    server: str

    @classmethod
    def for_server(cls, server_url: str, *, data_dir: Path | None = None,
                   cache_dir: Path | None = None) -> Folders:
        data = Path(data_dir) if data_dir else Path(platformdirs.user_data_dir(APP_NAME))
        cache = Path(cache_dir) if cache_dir else Path(platformdirs.user_cache_dir(APP_NAME))
        return cls(data, cache, server_slug(server_url))

    @property
    def server_data(self) -> Path:
        return self.data_root / self.server

    def user_data(self, user_id: int) -> Path:
        return self.server_data / f"user-{user_id}"

    def user_cache(self, user_id: int) -> Path:
        return self.cache_root / self.server / f"user-{user_id}"

    def outbox(self, user_id: int) -> Path:
        return self.user_data(user_id) / "outbox"

    @property
    def session_file(self) -> Path:
        return self.server_data / "session.json"

    @property
    def key_dir(self) -> Path:
        """Fallback key files (no OS keyring): beside the data, 0600 files in a 0700 folder.

        Under the data root rather than ``keystore.default_key_dir()`` so that the one
        ``data_dir`` a deployment or a test passes holds everything of this app."""
        return self.data_root / "keys"

    def preferences_file(self, user_id: int) -> Path:
        """The user's own settings (language, lock minutes, notifications, max-stale)."""
        return self.user_data(user_id) / "preferences.json"

    def unlock_file(self, user_id: int) -> Path:
        """The sealed password verifier that unlocks the idle lock while offline."""
        return self.user_data(user_id) / "unlock.sealed"

