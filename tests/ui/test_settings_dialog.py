"""Tests of inbox_app/ui/settings_dialog.py and ui/menus.py: Account → Preferences shows the
user's settings, saves them per user, applies lock minutes, notifications and max-stale at
once and the language when the window opens next (real server, offscreen Qt)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from inbox_app.client import InboxClient
from inbox_app.client.alerts import NotificationPrivacy
from inbox_app.client.preferences import Preferences
from inbox_app.ui import app as ui_app
from tests.support import ServerProcess
from tests.ui.conftest import Signed, close_window, run

TIMEOUT = 15_000


def test_preferences_are_shown_saved_per_user_and_applied(
    signed: Signed, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INBOX_LOCK_SECONDS", raising=False)
    window, client = signed.window, signed.client
    window.menus.preferences_action.trigger()
    dialog = window.menus.preferences_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
    # what is saved now (the defaults), and the server, read-only
    assert dialog.language.currentData() is None
    assert dialog.lock_minutes.value() == 15
    assert dialog.privacy.currentData() == "patient"
    assert dialog.privacy.currentText() == "The patient only"
    assert dialog.max_stale.value() == 7
    assert dialog.server.text() == signed.server.url and dialog.server.isReadOnly()
    assert dialog.server_note.text() == "To use another server, sign out and sign in there."

    dialog.language.setCurrentIndex(dialog.language.findData("pt_BR"))
    dialog.lock_minutes.setValue(2)
    dialog.privacy.setCurrentIndex(dialog.privacy.findData("nothing"))
    dialog.max_stale.setValue(3)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.menus.preferences_dialog is None, timeout=TIMEOUT)

    chosen = Preferences(
        language="pt_BR",
        lock_minutes=2,
        max_stale_days=3,
        notification_privacy=NotificationPrivacy.NOTHING,
    )
    assert client.preferences == chosen
    # applied at once: the idle lock, what the next notification says, offline data's age
    assert window.idle.seconds == 120 and window.idle.active
    assert client.cache.max_stale == 3 * 24 * 3600
    # saved for this user: the next start reads them
    from inbox_app.client import preferences

    assert preferences.load(client.folders.preferences_file(client.session.user.id)) == chosen


def test_the_language_applies_when_the_window_opens_next(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path
) -> None:
    dirs = {"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"}
    client = run(qtbot, InboxClient.login(server.url, "ana@aurora.example", "demo1234", **dirs))
    client.set_preferences(Preferences(language="pt_BR"))
    run(qtbot, client.close())
    app = QApplication.instance()
    app._inbox_language_fixed = False  # type: ignore[union-attr]  # as without --lang
    try:
        resumed = run(qtbot, InboxClient.resume(server.url, **dirs))
        assert resumed is not None
        resumed.lock()  # as a remembered session starts
        window = run(qtbot, ui_app.open_window(resumed))
        try:
            assert [m.title() for m in (a.menu() for a in window.menuBar().actions())] == [
                "&Conta",
                "A&juda",
            ]
            assert window.lock_screen.unlock_button.text() == "Desbloquear"
        finally:
            close_window(qtbot, window)
    finally:
        ui_app.create_application(language="en")


def test_sign_out_from_the_preferences(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    window.menus.show_preferences()
    dialog = window.menus.preferences_dialog
    assert dialog is not None
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        dialog.sign_out_button.click()
    assert window.signed_out
