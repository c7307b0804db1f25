"""Tests of inbox_app/ui/notifications.py and ui/tray.py: a patient writes while the window is
not active, and the desktop's own notification service is told as much as the receptionist's
setting lets; clicking the notification opens that conversation and raises the window.

Real server, real webhook, a real D-Bus session bus (dbus-daemon) with the desktop's side of
``org.freedesktop.Notifications`` as the only stand-in (tests/ui/desktop_bus.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from inbox_app.client.alerts import NotificationPrivacy
from inbox_app.client.preferences import Preferences
from inbox_app.client.reads.listing import Filter
from inbox_app.ui.tray import Tray, badge_icon
from tests.support import ServerProcess
from tests.ui.conftest import Signed, close_window, open_window, run, sign_in
from tests.ui.desktop_bus import desktop_notifications

TIMEOUT = 15_000
SECRET = "segredo"
#: Bringing the window forward raises it; Qt's offscreen plugin (these tests) has no window
#: stack and says so. xcb, Windows and macOS raise it.
RAISES = pytest.mark.qt_log_ignore(r"^This plugin does not support raise\(\)$")


async def _inbound(url: str, body: dict[str, Any]) -> int:
    async with httpx.AsyncClient(base_url=url) as http:
        answer = await http.post("/api/inbound", json=body, headers={"X-Webhook-Secret": SECRET})
        return answer.status_code


@RAISES
def test_the_desktop_is_told_as_much_as_the_setting_lets_and_a_click_opens_the_conversation(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    server_factory: Callable[..., ServerProcess],
    tmp_path: Path,
) -> None:
    server = server_factory(env={"INBOX_WEBHOOK_SECRET": SECRET})
    with desktop_notifications() as desktop:
        client = sign_in(qtbot, server, tmp_path)
        window = open_window(qtbot, client)
        try:
            model = window.bridge.model
            summary = model.view_of(model.ids()[-1]).summary
            name = summary.patient_name
            phone = run(qtbot, client.patient(summary.patient_id)).value.phone
            qtbot.waitUntil(lambda: window.status.connection.text() == "Online", timeout=TIMEOUT)
            # the receptionist is in another program
            other = QWidget()
            qtbot.addWidget(other)
            other.show()
            other.activateWindow()
            qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=TIMEOUT)

            def patient_writes(text: str) -> Any:
                before = len(desktop.shown)
                with qtbot.waitSignal(window.notified, timeout=TIMEOUT) as notified:
                    assert (
                        run(
                            qtbot,
                            _inbound(
                                server.url,
                                {
                                    "clinic_id": summary.clinic_id,
                                    "phone": phone,
                                    "body": text,
                                    "channel": summary.channel,
                                },
                            ),
                        )
                        == 201
                    )
                assert len(desktop.shown) == before + 1
                shown = desktop.shown[-1]
                assert notified.args == [shown.summary, shown.body]  # the window's record
                return shown

            # the default: the patient only (a notification is seen by anyone passing by)
            assert client.preferences.notification_privacy is NotificationPrivacy.PATIENT
            shown = patient_writes("Estou com febre desde ontem")
            assert (shown.app_name, shown.summary, shown.body) == (
                "Clinic Inbox",
                f"New message from {name}",
                "",
            )
            assert "default" in shown.actions  # clicking it is the default action

            client.set_preferences(
                Preferences(notification_privacy=NotificationPrivacy.PATIENT_AND_TEXT)
            )
            shown = patient_writes("Posso remarcar para sexta?")
            assert (shown.summary, shown.body) == (
                f"New message from {name}",
                "Posso remarcar para sexta?",
            )

            client.set_preferences(Preferences(notification_privacy=NotificationPrivacy.NOTHING))
            shown = patient_writes("Meu exame saiu")
            assert (shown.summary, shown.body) == ("New message", "")
            assert window.notifier.desktop_works

            # the receptionist clicks it: that conversation opens, the window comes forward
            assert window.bridge.open_id != summary.id
            desktop.click(shown)
            qtbot.waitUntil(lambda: window.bridge.open_id == summary.id, timeout=TIMEOUT)
            qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
            qtbot.waitUntil(
                lambda: (
                    window.pane.detail is not None and window.pane.detail.summary.id == summary.id
                ),
                timeout=TIMEOUT,
            )
            # while the window is active, nobody needs telling
            patient_count = len(desktop.shown)
            assert (
                run(
                    qtbot,
                    _inbound(
                        server.url,
                        {
                            "clinic_id": summary.clinic_id,
                            "phone": phone,
                            "body": "Obrigada!",
                            "channel": summary.channel,
                        },
                    ),
                )
                == 201
            )
            qtbot.waitUntil(
                lambda: (
                    window.pane.detail is not None
                    and any(m.body == "Obrigada!" for m in window.pane.detail.messages)
                ),
                timeout=TIMEOUT,
            )
            assert len(desktop.shown) == patient_count
        finally:
            close_window(qtbot, window)


@RAISES
def test_without_a_notification_service_the_tray_shows_it(signed: Signed, qtbot: Any) -> None:
    window = signed.window
    tray = Tray(window)
    window.use_tray(tray)
    shown: list[tuple[int, str, str]] = []
    tray.show_message = lambda *args: shown.append(args)  # type: ignore[method-assign]
    window.notifier._desktop, window.notifier._loaded = None, True  # no desktop service
    cid = window.bridge.model.ids()[0]
    with qtbot.waitSignal(window.notifier.shown, timeout=TIMEOUT):
        window.notifier.notify(cid, "Maria", "Oi")
    assert shown == [(cid, "New message from Maria", "")]
    assert window.notifier.desktop_works is False
    # its balloon, clicked, opens the conversation as the desktop's does
    tray.messageClicked.emit(cid)
    qtbot.waitUntil(lambda: window.bridge.open_id == cid, timeout=TIMEOUT)


@RAISES
def test_the_tray_shows_the_unread_count_and_its_menu_opens_locks_and_quits(
    signed: Signed, qtbot: Any
) -> None:
    window = signed.window
    tray = Tray(window)
    window.use_tray(tray)
    unread = window.bridge.model.count(Filter.UNREAD)
    assert unread > 0
    assert tray.unread == unread
    assert tray.icon.toolTip() == f"Clinic Inbox — {unread} conversations unread"
    # the count is drawn on the icon
    plain = assets_image(badge_icon(0))
    assert assets_image(tray.icon.icon()) != plain
    assert [a.text() for a in tray.menu.actions() if not a.isSeparator()] == [
        "&Open Clinic Inbox",
        "&Lock",
        "&Quit",
    ]
    tray.lock_action.trigger()
    assert window.locked and not tray.lock_action.isEnabled()
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=TIMEOUT)
    tray.open_action.trigger()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        tray.quit_action.trigger()
    assert not window.isVisible()


def assets_image(icon: Any) -> QImage:
    return icon.pixmap(32, 32).toImage()
