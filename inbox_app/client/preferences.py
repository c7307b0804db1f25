"""The receptionist's own settings, kept per server and user (issue 13, settings dialog).

Language, idle-lock minutes, what a desktop notification shows and how old offline data may
be shown. They live in ``preferences.json`` in the user's data folder, so signing out removes
them with everything else of that user (issue 7: no file of the user stays). Nothing in them
is about patients, so the file is plain JSON (0600). A missing, unreadable or half-valid file
gives the defaults for what it gets wrong: a settings file never stops the app.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inbox_app.client.alerts import DEFAULT_PRIVACY, NotificationPrivacy
from inbox_app.client.files.private import write_private

log = logging.getLogger(__name__)

FILE_NAME = "preferences.json"
DAY = 24 * 3600.0
DEFAULT_LOCK_MINUTES = 15
LOCK_MINUTES_RANGE = (1, 240)
DEFAULT_MAX_STALE_DAYS = 7
MAX_STALE_DAYS_RANGE = (1, 90)

Language = Literal["pt_BR", "en"]


class Preferences(BaseModel):
    """One user's settings. ``language`` None follows the system (Portuguese on a Portuguese
    system, English otherwise)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    language: Language | None = None
    lock_minutes: int = Field(DEFAULT_LOCK_MINUTES, ge=LOCK_MINUTES_RANGE[0],
                              le=LOCK_MINUTES_RANGE[1])
    notification_privacy: NotificationPrivacy = DEFAULT_PRIVACY
    max_stale_days: int = Field(DEFAULT_MAX_STALE_DAYS, ge=MAX_STALE_DAYS_RANGE[0],
                                le=MAX_STALE_DAYS_RANGE[1])

    @property
    def max_stale_seconds(self) -> float:
        """How old offline data may be and still be shown, in seconds."""
        return self.max_stale_days * DAY


def load(path: Path) -> Preferences:
    """The preferences saved at ``path``; the default for every field that is missing or
    not valid there (a warning names the field, never its value)."""
    try:
        raw = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return Preferences()
    except (OSError, orjson.JSONDecodeError) as exc:
        log.warning("preferences not readable, using the defaults: %s", type(exc).__name__)
        return Preferences()
    if not isinstance(raw, dict):
        log.warning("preferences are not an object, using the defaults")
        return Preferences()
    kept = dict(raw)
    while True:
        try:
            return Preferences.model_validate(kept)
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
            if not bad & kept.keys():
                return Preferences()
            log.warning("preferences: %s not valid, using the default", ", ".join(sorted(bad)))
            for name in bad:
                kept.pop(name, None)


def save(path: Path, preferences: Preferences) -> None:
    """Writes the preferences atomically as a file only the user can read."""
    write_private(path, orjson.dumps(preferences.model_dump(mode="json"),
                                     option=orjson.OPT_INDENT_2))
