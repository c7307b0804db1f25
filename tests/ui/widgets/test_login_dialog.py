"""Tests of inbox_app/ui/widgets/login_dialog.py: a real login, and clear messages when it fails."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt

from inbox_app.client import InboxClient
from inbox_app.ui.widgets.login_dialog import LoginDialog
from tests.client.faultproxy import FaultProxy
from tests.support import ServerProcess, free_port
from tests.ui.conftest import run

TIMEOUT = 15_000


def dialog_for(qtbot: Any, tmp_path: Path) -> tuple[LoginDialog, QSettings]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    async def login(url: str, email: str, password: str) -> InboxClient:
        return await InboxClient.login(url, email, password, data_dir=tmp_path / "data",
                                       cache_dir=tmp_path / "cache")

    dialog = LoginDialog(login, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, settings


def fill(qtbot: Any, dialog: LoginDialog, url: str, email: str, password: str) -> None:
    dialog.server.setText(url)
    dialog.email.setText(email)
    dialog.password.setText(password)


def test_wrong_password_says_so_and_keeps_the_dialog(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path
) -> None:
    dialog, _settings = dialog_for(qtbot, tmp_path)
    fill(qtbot, dialog, server.url, "ana@aurora.example", "errada")
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert failed.args == ["Wrong e-mail or password."]
    assert dialog.error.isVisible() and dialog.error.text() == "Wrong e-mail or password."
    assert dialog.isVisible() and dialog.result_value is None
    assert dialog.submit_button.isEnabled()


def test_unreachable_server_names_the_address(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    dialog, _settings = dialog_for(qtbot, tmp_path)
    url = f"http://127.0.0.1:{free_port()}"
    fill(qtbot, dialog, url, "ana@aurora.example", "demo1234")
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        dialog.submit()
    assert failed.args[0].startswith(f"Cannot reach the server at {url}")


def test_empty_fields_are_refused_before_any_request(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    dialog, _settings = dialog_for(qtbot, tmp_path)
    fill(qtbot, dialog, "http://127.0.0.1:1", "", "")
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        dialog.submit()
    assert failed.args == ["Fill in the server, e-mail and password."]


def test_success_remembers_server_and_email(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path
) -> None:
    dialog, settings = dialog_for(qtbot, tmp_path)
    fill(qtbot, dialog, server.url, "ana@aurora.example", "demo1234")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.submit()
    client = dialog.result_value
    assert isinstance(client, InboxClient)
    assert client.session.user.email == "ana@aurora.example"
    assert settings.value("server_url") == server.url
    assert settings.value("email") == "ana@aurora.example"
    assert dialog.password.text() == ""  # the password is not kept
    # a remembered session comes back without the dialog
    task = qloop.create_task(client.close())
    qtbot.waitUntil(task.done, timeout=TIMEOUT)
    resumed_task = qloop.create_task(InboxClient.resume(
        server.url, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache"))
    qtbot.waitUntil(resumed_task.done, timeout=TIMEOUT)
    resumed = resumed_task.result()
    assert resumed is not None and resumed.session.user.email == "ana@aurora.example"
    task = qloop.create_task(resumed.close())
    qtbot.waitUntil(task.done, timeout=TIMEOUT)


def test_sign_in_flow_dialog_first_then_remembered_session(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path
) -> None:
    """``inbox-app`` without --demo: the dialog the first time, the session afterwards."""
    from PySide6.QtWidgets import QApplication

    from inbox_app.ui import app as ui_app

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    dirs = {"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"}
    first = qloop.create_task(ui_app.sign_in(server.url, **dirs))

    def dialog() -> LoginDialog | None:
        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, LoginDialog) and w.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: dialog() is not None, timeout=TIMEOUT)
    shown = dialog()
    assert shown is not None and shown.server.text() == server.url
    fill(qtbot, shown, server.url, "ana@aurora.example", "demo1234")
    shown.submit()
    qtbot.waitUntil(first.done, timeout=TIMEOUT)
    client = first.result()
    assert isinstance(client, InboxClient)
    closing = qloop.create_task(client.close())
    qtbot.waitUntil(closing.done, timeout=TIMEOUT)
    # next start: no dialog, the remembered server and session
    again = qloop.create_task(ui_app.sign_in(None, **dirs))
    qtbot.waitUntil(again.done, timeout=TIMEOUT)
    resumed = again.result()
    assert resumed is not None and resumed.session.user.email == "ana@aurora.example"
    assert resumed.locked, "a remembered session must start locked (issue 7)"
    assert dialog() is None
    closing = qloop.create_task(resumed.close())
    qtbot.waitUntil(closing.done, timeout=TIMEOUT)


def test_closing_the_dialog_while_signing_in_cancels_the_sign_in(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path
) -> None:
    proxy = run(qtbot, FaultProxy(server.port).start())
    gate = proxy.stall("POST", "/api/auth/login")  # the server is slow to answer
    try:
        dialog, settings = dialog_for(qtbot, tmp_path)
        fill(qtbot, dialog, proxy.url, "ana@aurora.example", "demo1234")
        dialog.submit()
        qtbot.waitUntil(lambda: bool(proxy.requests("POST", "/api/auth/login")),
                        timeout=TIMEOUT)
        task = dialog._task
        assert task is not None and not task.done()
        dialog.reject()
        qtbot.waitUntil(task.done, timeout=TIMEOUT)
        assert task.cancelled() and dialog.result_value is None
        gate.set()
        assert dialog.result() == 0 and settings.value("email") is None
    finally:
        gate.set()
        run(qtbot, proxy.close())


# --- plain HTTP beyond this machine, and certificates (issue 15) ---------------------------


def test_plain_http_to_a_lan_address_needs_a_confirmation_remembered_per_server(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    calls: list[str] = []

    async def login(url: str, email: str, password: str) -> str:
        calls.append(url)
        return "signed in"

    dialog = LoginDialog(login, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, "http://192.168.0.10:8765", "ana@aurora.example", "demo1234")
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        dialog.submit()
    assert "is not encrypted" in failed.args[0]
    assert calls == [] and dialog.plain_http.isVisible()  # nothing was sent
    dialog.plain_http.setChecked(True)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result_value == "signed in", timeout=TIMEOUT)
    assert calls == ["http://192.168.0.10:8765"]

    again = LoginDialog(login, settings)  # the next start: this server was confirmed
    qtbot.addWidget(again)
    again.show()
    fill(qtbot, again, "http://192.168.0.10:8765", "ana@aurora.example", "demo1234")
    again.submit()
    qtbot.waitUntil(lambda: again.result_value == "signed in", timeout=TIMEOUT)
    assert not again.plain_http.isVisible()

    other = LoginDialog(login, settings)  # another LAN server asks again
    qtbot.addWidget(other)
    other.show()
    fill(qtbot, other, "http://192.168.0.11:8765", "ana@aurora.example", "demo1234")
    with qtbot.waitSignal(other.failed, timeout=TIMEOUT):
        other.submit()
    assert calls == ["http://192.168.0.10:8765"] * 2


def test_a_typed_host_gets_https_and_loopback_http_needs_no_confirmation(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    calls: list[str] = []

    async def login(url: str, email: str, password: str) -> str:
        calls.append(url)
        return "ok"

    dialog = LoginDialog(login, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.server.text().startswith("http://") or "127.0.0.1" in dialog.server.text()
    fill(qtbot, dialog, "inbox.clinic.lan:8765", "ana@aurora.example", "demo1234")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result_value == "ok", timeout=TIMEOUT)
    assert calls == ["https://inbox.clinic.lan:8765"]


def test_an_unknown_certificate_authority_is_a_clear_message(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server_factory: Any, tmp_path: Path
) -> None:
    import trustme

    cert = trustme.CA().issue_cert("127.0.0.1")
    chain, key = tmp_path / "chain.pem", tmp_path / "key.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(chain))
    cert.private_key_pem.write_to_path(str(key))
    server = server_factory(extra_args=["--ssl-certfile", str(chain), "--ssl-keyfile", str(key)])
    dialog, _settings = dialog_for(qtbot, tmp_path)
    fill(qtbot, dialog, f"https://127.0.0.1:{server.port}", "ana@aurora.example", "demo1234")
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        dialog.submit()
    assert failed.args[0].startswith("The server's certificate could not be verified")
    assert dialog.result_value is None
