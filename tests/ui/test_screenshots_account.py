"""Renders issue 13's new surfaces for review, in Portuguese and English at 1366x768: the
preferences dialog, the password prompt after the session ended (with an action waiting in
the status bar), Help → Diagnostics, and the tray's badge. Each dialog is drawn over the
window where it stands, as a person sees it.

Files: ``account-{language}-{state}.png`` in ``$INBOX_SCREENSHOTS`` (else the test's tmp
folder). For a real X screen: ``xvfb-run -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb
INBOX_SCREENSHOTS=build/screenshots pytest tests/ui/test_screenshots_account.py``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from inbox_app.ui import app as ui_app
from inbox_app.ui.main_window import MainWindow
from inbox_app.ui.tray import badge_icon
from tests.support import ServerProcess
from tests.ui.conftest import close_window, open_window, run, sign_in
from tests.ui.test_screenshots import colours

TIMEOUT = 15_000


def over_window(window: MainWindow, dialog: QWidget | None, folder: Path, name: str) -> Path:
    """The window with ``dialog`` painted where it stands (a window-modal sheet or a dialog
    centred on it), saved as ``name``.png."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    window.repaint()
    image = window.grab().toImage()
    if dialog is not None:
        dialog.repaint()
        painter = QPainter(image)
        at = dialog.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
        if not image.rect().contains(at):  # offscreen: no placement, centre it as xcb does
            at = QPoint(
                (window.width() - dialog.width()) // 2, (window.height() - dialog.height()) // 3
            )
        # its frame and title, as a window manager draws them (Xvfb runs none)
        title = QFontMetrics(painter.font()).height() + 12
        frame = QRect(at.x() - 1, at.y() - title, dialog.width() + 2, dialog.height() + title + 1)
        painter.fillRect(frame, QColor("#d0d5dd"))
        painter.setPen(QColor("#101828"))
        painter.drawText(
            frame.adjusted(12, 0, 0, -dialog.height()),
            Qt.AlignmentFlag.AlignVCenter,
            dialog.windowTitle(),
        )
        painter.drawPixmap(at, dialog.grab())
        painter.end()
    path = folder / f"{name}.png"
    assert image.save(str(path)), path
    assert len(colours(QImage(str(path)))) > 30, name
    return path


@pytest.mark.qt_log_ignore(r"^This plugin does not support raise\(\)$")
@pytest.mark.parametrize("language", ["pt_BR", "en"])
def test_render_account_states(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    server: ServerProcess,
    tmp_path: Path,
    language: str,
) -> None:
    folder = Path(os.environ.get("INBOX_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    ui_app.create_application(language=language)
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        window.resize(1366, 768)
        qtbot.waitUntil(lambda: window.width() == 1366, timeout=TIMEOUT)
        cid = window.bridge.model.ids()[1]
        window.conversations.select(cid)
        qtbot.waitUntil(lambda: window.pane.detail is not None, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: window.patient.name.text() != "", timeout=TIMEOUT)

        window.menus.show_preferences()
        dialog = window.menus.preferences_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
        over_window(window, dialog, folder, f"account-{language}-preferences")
        dialog.reject()

        async def end_session() -> None:
            async with httpx.AsyncClient(base_url=server.url) as http:
                await http.post(
                    "/api/auth/logout", headers={"Authorization": f"Bearer {client.api.token}"}
                )

        run(qtbot, end_session())
        window.bridge.compose(
            "note",
            "Retornar a ligação depois das 14h" if language == "pt_BR" else "Call back after 2 pm",
        )
        qtbot.waitUntil(
            lambda: window.renewal.prompt is not None and window.renewal.prompt.isVisible(),
            timeout=TIMEOUT,
        )
        qtbot.waitUntil(lambda: client.pending_count() == 1, timeout=TIMEOUT)
        over_window(window, window.renewal.prompt, folder, f"account-{language}-sign-in-again")

        window.menus.show_metrics()
        metrics = window.menus.metrics_window
        qtbot.waitUntil(lambda: metrics.refreshed_count >= 1, timeout=TIMEOUT)
        assert metrics.grab().save(str(folder / f"account-{language}-diagnostics.png"))
        metrics.close()
        assert badge_icon(12).pixmap(64, 64).save(str(folder / "tray-badge-12.png"))
    finally:
        close_window(qtbot, window)
        ui_app.create_application(language="en")
