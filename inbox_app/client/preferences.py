"""The receptionist's own settings, kept per server and user (issue 13, settings dialog).

Language, idle-lock minutes, what a desktop notification shows and how old offline data may
be shown. They live in ``preferences.json`` in the user's data folder, so signing out removes
them with everything else of that user (issue 7: no file of the user stays). Nothing in them
is about patients, so the file is plain JSON (0600). A missing, unreadable or half-valid file
gives the defaults for what it gets wrong: a settings file never stops the app.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args

import orjson

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
LANGUAGES: tuple[str, ...] = get_args(Language)


def _in_range(name: str, value: object, bounds: tuple[int, int]) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (bounds[0] <= value <= bounds[1])
    ):
        raise ValueError(f"{name} must be a whole number from {bounds[0]} to {bounds[1]}")
    return value


@dataclass(frozen=True, slots=True)
class Preferences:
    """One user's settings, checked when made (ValueError names the field). ``language``
    None follows the system (Portuguese on a Portuguese system, English otherwise).

    A plain dataclass, not a pydantic model: the window reads it at start, and building a
    model class costs start-up time for four fields."""

    language: Language | None = None
    lock_minutes: int = DEFAULT_LOCK_MINUTES
    notification_privacy: NotificationPrivacy = DEFAULT_PRIVACY
    max_stale_days: int = DEFAULT_MAX_STALE_DAYS

    def __post_init__(self) -> None:
        if self.language is not None and self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)} or none")
        _in_range("lock_minutes", self.lock_minutes, LOCK_MINUTES_RANGE)
        _in_range("max_stale_days", self.max_stale_days, MAX_STALE_DAYS_RANGE)
        # "patient" from the file becomes the enum; anything else raises ValueError
        object.__setattr__(
            self, "notification_privacy", NotificationPrivacy(self.notification_privacy)
        )

    @property
    def max_stale_seconds(self) -> float:
        """How old offline data may be and still be shown, in seconds."""
        return self.max_stale_days * DAY

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "notification_privacy": self.notification_privacy.value}


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
    kept: dict[str, Any] = {}
    for field in fields(Preferences):
        if field.name not in raw:
            continue
        try:
            Preferences(**{field.name: raw[field.name]})
        except (TypeError, ValueError):
            log.warning("preferences: %s not valid, using the default", field.name)
            continue
        kept[field.name] = raw[field.name]
    return Preferences(**kept)


def save(path: Path, preferences: Preferences) -> None:
    """Writes the preferences atomically as a file only the user can read."""
    write_private(path, orjson.dumps(preferences.as_json(), option=orjson.OPT_INDENT_2))
