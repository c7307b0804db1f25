"""Tests of inbox_app/client/preferences.py and inbox_app/client/alerts.py: the user's own
settings on disk, and what a notification may show under each privacy setting."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from inbox_app.client import preferences
from inbox_app.client.alerts import Alert, NotificationPrivacy, alert_for
from inbox_app.client.preferences import Preferences


def test_defaults_when_nothing_was_saved(tmp_path: Path) -> None:
    loaded = preferences.load(tmp_path / "preferences.json")
    assert loaded == Preferences()
    assert loaded.language is None and loaded.lock_minutes == 15
    assert loaded.notification_privacy is NotificationPrivacy.PATIENT
    assert loaded.max_stale_seconds == 7 * 24 * 3600


def test_saved_and_read_back_as_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "user-1" / "preferences.json"
    chosen = Preferences(
        language="en",
        lock_minutes=5,
        max_stale_days=2,
        notification_privacy=NotificationPrivacy.NOTHING,
    )
    preferences.save(path, chosen)
    assert preferences.load(path) == chosen
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_an_unreadable_file_gives_the_defaults(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "preferences.json"
    path.write_bytes(content)
    assert preferences.load(path) == Preferences()


def test_a_bad_field_falls_back_alone_and_its_value_is_not_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(
        '{"lock_minutes": 0, "language": "klingon-secret", "max_stale_days": 3,'
        ' "notification_privacy": "patient_and_text", "future": 1}'
    )
    loaded = preferences.load(path)
    assert loaded.lock_minutes == 15 and loaded.language is None
    assert loaded.max_stale_days == 3
    assert loaded.notification_privacy is NotificationPrivacy.PATIENT_AND_TEXT
    assert "lock_minutes" in caplog.text and "klingon-secret" not in caplog.text


def test_the_ranges_are_enforced() -> None:
    with pytest.raises(ValueError):
        Preferences(lock_minutes=0)
    with pytest.raises(ValueError):
        Preferences(max_stale_days=1000)


def test_what_a_notification_shows_under_each_setting() -> None:
    assert alert_for(NotificationPrivacy.PATIENT_AND_TEXT, 7, "Maria", "Dói") == Alert(
        7, "Maria", "Dói"
    )
    assert alert_for(NotificationPrivacy.PATIENT, 7, "Maria", "Dói") == Alert(7, "Maria", None)
    assert alert_for(NotificationPrivacy.NOTHING, 7, "Maria", "Dói") == Alert(7, None, None)
    # a name the list does not know yet shows as hidden, not as an empty name
    assert alert_for(NotificationPrivacy.PATIENT_AND_TEXT, 7, "", "Dói") == Alert(7, None, "Dói")
