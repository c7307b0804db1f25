"""Tests of inbox_app/ui/privacy.py and the window's data protection (issue 7), pytest-qt on a
real server: the idle lock engages (patient data hidden, memory cleared) and only the right
password unlocks; sign-out with unsent actions asks (stay / discard / send) and leaves no file
of the user; the about box says where the key is kept."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QLabel

from inbox_app.ui import app as ui_app
from inbox_app.ui.main_window import MainWindow
from inbox_app.ui.privacy import lock_seconds
from tests.client.security.test_protection import user_files
from tests.support import ServerProcess
from tests.ui.conftest import Signed, close_window, open_window, run, sign_in

TIMEOUT = 15_000


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """This machine's situation made explicit: no OS keyring, the key-file fallback."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def visible_texts(window: MainWindow) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel)
                     if label.isVisibleTo(window))


def test_idle_lock_hides_patient_data_and_only_the_password_unlocks(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess,
        tmp_path: Path) -> None:
    client = sign_in(qtbot, server, tmp_path)
    window = run(qtbot, ui_app.open_window(client, lock_after=1.0))
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.bridge.model.rowCount() > 0, timeout=TIMEOUT)
        first = window.bridge.model.view_at(0)
        window.conversations.conversationSelected.emit(first.summary.id)
        qtbot.waitUntil(lambda: window.pane.detail is not None, timeout=TIMEOUT)
        assert first.summary.patient_name in visible_texts(window)
        assert client.cache._memory

        with qtbot.waitSignal(window.lockChanged, timeout=TIMEOUT) as locked:
            pass  # no input for a second: the idle timer fires
        assert locked.args == [True] and window.locked
        assert window.lock_screen.isVisibleTo(window)
        assert not window.inbox_page.isVisibleTo(window)
        assert window.bridge.model.rowCount() == 0 and window.pane.detail is None
        assert client.locked and client.cache._memory == {}
        assert first.summary.patient_name not in visible_texts(window)

        qtbot.keyClicks(window.lock_screen.password, "errada")
        window.lock_screen.unlock_button.click()
        qtbot.waitUntil(window.lock_screen.unlock_button.isEnabled, timeout=TIMEOUT)
        assert window.lock_screen.error.text() == "Wrong password."
        assert window.lock_screen.error.property("problem") is True  # shown in red
        assert window.locked and client.locked and window.bridge.model.rowCount() == 0

        qtbot.keyClicks(window.lock_screen.password, "demo1234")
        with qtbot.waitSignal(window.lockChanged, timeout=TIMEOUT) as unlocked:
            window.lock_screen.unlock_button.click()
        assert unlocked.args == [False] and not window.locked and not client.locked
        assert window.inbox_page.isVisibleTo(window)
        assert window.bridge.model.rowCount() > 0
    finally:
        close_window(qtbot, window)


def test_a_remembered_session_starts_locked_and_unlocks_offline_with_the_password(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess,
        tmp_path: Path) -> None:
    """Quitting a locked app and starting it again must not skip the password: the
    remembered session opens on the lock screen, and the password unlocks it even with the
    server down (the verifier sealed at login)."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings().setValue("server_url", server.url)
    client = sign_in(qtbot, server, tmp_path)
    close_window(qtbot, open_window(qtbot, client))  # the list is now in the local cache
    server.stop()

    resumed = run(qtbot, ui_app.sign_in(None, data_dir=tmp_path / "data",
                                        cache_dir=tmp_path / "cache"))
    assert resumed is not None and resumed.locked
    window = run(qtbot, ui_app.open_window(resumed))
    qtbot.addWidget(window)
    try:
        assert window.locked and window.lock_screen.isVisibleTo(window)
        assert window.bridge.model.rowCount() == 0 and resumed.cache._memory == {}
        qtbot.keyClicks(window.lock_screen.password, "errada")
        window.lock_screen.unlock_button.click()
        qtbot.waitUntil(window.lock_screen.unlock_button.isEnabled, timeout=TIMEOUT)
        assert window.locked and window.bridge.model.rowCount() == 0

        qtbot.keyClicks(window.lock_screen.password, "demo1234")
        with qtbot.waitSignal(window.lockChanged, timeout=TIMEOUT) as unlocked:
            window.lock_screen.unlock_button.click()
        assert unlocked.args == [False] and not resumed.locked
        qtbot.waitUntil(lambda: window.bridge.model.rowCount() > 0, timeout=TIMEOUT)
        assert window.bridge.list_snapshot is not None and window.bridge.list_snapshot.offline
    finally:
        close_window(qtbot, window)


def test_lock_time_is_the_users_preference_with_a_testing_override(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INBOX_LOCK_SECONDS", raising=False)
    assert lock_seconds() == 15 * 60
    assert lock_seconds(minutes=5) == 300  # Account → Preferences (tests/ui/test_settings_dialog)
    monkeypatch.setenv("INBOX_LOCK_SECONDS", "2")
    assert lock_seconds(minutes=5) == 2
    assert lock_seconds(0.01, minutes=5) == 1.0  # never below a second


def test_sign_out_with_unsent_actions_asks_and_leaves_no_file(
        qtbot: Any, signed: Signed) -> None:
    window, client = signed.window, signed.client
    first = window.bridge.model.view_at(0).summary
    signed.server.stop()  # the actions cannot go out
    client.add_note(first.id, "nota sem rede")
    assert client.unsent_count() == 1

    # "Stay signed in": nothing changes
    task = asyncio.get_running_loop().create_task(window.sign_out())
    qtbot.waitUntil(lambda: window.unsent_dialog is not None
                    and window.unsent_dialog.isVisible(), timeout=TIMEOUT)
    assert window.unsent_dialog.text() == "1 action not sent yet."  # a plural form, not "(s)"
    window.unsent_dialog.keep_button.click()
    qtbot.waitUntil(task.done, timeout=TIMEOUT)
    assert task.result() is False and window.isVisible() and not window.signed_out
    assert client.unsent_count() == 1 and user_files(client)

    # "Discard them and sign out": signed out, nothing of the user left
    task = asyncio.get_running_loop().create_task(window.sign_out())
    qtbot.waitUntil(lambda: window.unsent_dialog is not None
                    and window.unsent_dialog.isVisible(), timeout=TIMEOUT)
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        window.unsent_dialog.discard_button.click()
    qtbot.waitUntil(task.done, timeout=TIMEOUT)
    assert task.result() is True and window.signed_out
    assert user_files(client) == []
    assert not client.keystore.has_key()


def test_sign_out_sends_the_outbox_first(qtbot: Any, signed: Signed) -> None:
    window, client = signed.window, signed.client
    first = window.bridge.model.view_at(0).summary
    client.add_note(first.id, "nota enviada ao sair")
    task = asyncio.get_running_loop().create_task(window.sign_out())
    qtbot.waitUntil(lambda: window.unsent_dialog is not None
                    and window.unsent_dialog.isVisible(), timeout=TIMEOUT)
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        window.unsent_dialog.send_button.click()
    qtbot.waitUntil(task.done, timeout=TIMEOUT)
    assert task.result() is True and user_files(client) == []
    other = sign_in(qtbot, signed.server, signed.data_dir.parent / "other")
    try:
        notes = run(qtbot, other.conversation(first.id)).value.notes
        assert any(n.body == "nota enviada ao sair" for n in notes)
    finally:
        run(qtbot, other.close())


def test_about_box_says_where_the_key_is(qtbot: Any, signed: Signed) -> None:
    signed.window.menus.about_action.trigger()
    about = signed.window.menus.about
    assert about is not None and about.isVisible()
    assert signed.client.keystore.uses_fallback
    assert str(signed.client.keystore.key_file) in about.text.text()
    assert "AES-256-GCM" in about.text.text()
    about.close()


def test_offline_unlock_attempts_meet_a_growing_delay_on_the_lock_screen(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess,
        tmp_path: Path) -> None:
    """Issue 16: guessing at the lock screen offline is answered with a wait, not a check."""
    from PySide6.QtCore import QSettings

    from inbox_app.client.session.unlock import FREE_ATTEMPTS

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings().setValue("server_url", server.url)
    client = sign_in(qtbot, server, tmp_path)
    close_window(qtbot, open_window(qtbot, client))
    server.stop()
    resumed = run(qtbot, ui_app.sign_in(None, data_dir=tmp_path / "data",
                                        cache_dir=tmp_path / "cache"))
    assert resumed is not None and resumed.locked
    window = run(qtbot, ui_app.open_window(resumed))
    qtbot.addWidget(window)
    try:
        for _ in range(FREE_ATTEMPTS):
            qtbot.keyClicks(window.lock_screen.password, "errada")
            window.lock_screen.unlock_button.click()
            qtbot.waitUntil(window.lock_screen.unlock_button.isEnabled, timeout=TIMEOUT)
            assert window.lock_screen.error.text() == "Wrong password."
        qtbot.keyClicks(window.lock_screen.password, "demo1234")
        window.lock_screen.unlock_button.click()
        qtbot.waitUntil(window.lock_screen.unlock_button.isEnabled, timeout=TIMEOUT)
        assert window.lock_screen.error.text().startswith("Too many wrong passwords. Try again")
        assert window.locked and resumed.locked
    finally:
        close_window(qtbot, window)


def test_about_box_says_when_the_connection_is_plain_http_beyond_this_machine(
        qtbot: Any, signed: Signed) -> None:
    from inbox_app.ui.privacy import AboutDialog

    local = AboutDialog(signed.client)
    qtbot.addWidget(local)
    assert "plain HTTP" not in local.text.text()  # the loopback demo server
    real_url = signed.client.api.server_url
    signed.client.api.server_url = "http://192.168.0.10:8765"  # as a confirmed LAN server
    try:
        lan = AboutDialog(signed.client)
        qtbot.addWidget(lan)
        assert "Connection: plain HTTP, not encrypted" in lan.text.text()
    finally:
        signed.client.api.server_url = real_url
