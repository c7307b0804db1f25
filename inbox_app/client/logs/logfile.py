"""The app's logging setup: console + a rotating file in the user's log folder, scrubbed.

Issue 7: logs never contain patient names, phone numbers or message text. The code logs ids
and kinds; :mod:`logscrub` is installed on every handler as the net under that rule. The file
(``platformdirs.user_log_dir("ClinicInbox")/inbox-app.log``, 0600 in a 0700 folder) is what a
maintainer asks a clinic for, and what the canary test searches.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs

from inbox_app.client.files.folders import APP_NAME
from inbox_app.client.files.private import create_private_file, private_dir
from inbox_app.client.logs import scrub as logscrub

LOG_NAME = "inbox-app.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 3
#: the name of the handlers configure() adds, so that a second call replaces them
HANDLER_NAME = "inbox_app"

_configured: dict[str, Path] = {}


def current_path() -> Path | None:
    """The log file :func:`configure` set up (for the about box), or None."""
    return _configured.get("path")


def default_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def configure(level: int = logging.INFO, *, log_dir: Path | None = None,
              console: bool = True) -> Path:
    """Sets up the root logger (console and file) with the scrubber; returns the file path.

    Idempotent: handlers it added before are replaced, others are left alone (pytest's)."""
    folder = private_dir(log_dir if log_dir is not None else default_log_dir())
    path = create_private_file(folder / LOG_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    handlers: list[logging.Handler] = [logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")]
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.set_name(HANDLER_NAME)
        root.addHandler(handler)
    root.setLevel(level)
    logscrub.install(root)
    # (rotated files are created by the handler under the process umask: the app sets 077)
    _configured["path"] = path
    return path
