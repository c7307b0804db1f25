"""Renders the main states of the window to PNG files for review (in Portuguese).

States: inbox, conversation with notes, failed note, offline, pending. The files go to
``$INBOX_SCREENSHOTS`` when set (e.g. ``build/screenshots``, git-ignored), else to the
test's tmp folder. Run: ``INBOX_SCREENSHOTS=build/screenshots pytest tests/ui/test_screenshots.py``.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from inbox_app.client import PendingItem
from inbox_app.contract.models import Note
from inbox_app.ui import app as ui_app
from inbox_app.ui import theme
from inbox_app.ui.main_window import MainWindow
from tests.support import ServerProcess
from tests.ui.conftest import close_window, open_window, press, sign_in
from tests.ui.test_window_size import show_longest

TIMEOUT = 15_000


def colours(image: QImage) -> set[int]:
    """The distinct colours on a grid of every 8th pixel."""
    return {image.pixel(x, y)
            for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)}


def shoot(qtbot: Any, window: MainWindow, folder: Path, name: str) -> Path:
    for _ in range(3):  # let every pending layout pass run before painting
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    qtbot.waitUntil(lambda: window.pane.thread_view.at_bottom, timeout=TIMEOUT)
    window.repaint()
    path = folder / f"{name}.png"
    assert window.grab().save(str(path)), path
    # the file holds a painted window: text, icons and rows in many shades, not a blank
    # or single-colour surface
    assert len(colours(QImage(str(path)))) > 30, name
    return path


def region(path: Path, widget: QWidget, window: MainWindow) -> QImage:
    """The part of a shot where ``widget`` is now."""
    return QImage(str(path)).copy(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()))


def test_render_main_states(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path
) -> None:
    folder = Path(os.environ.get("INBOX_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    ui_app.create_application(language="pt_BR")
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        window.resize(1280, 780)
        model = window.bridge.model
        cid = model.ids()[1]
        window.conversations.select(cid)
        qtbot.waitUntil(lambda: window.pane.detail is not None, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: window.patient.name.text() != "", timeout=TIMEOUT)
        shots = [shoot(qtbot, window, folder, "1-inbox")]

        composer = window.pane.composer
        composer.set_kind("note")
        composer.text.setPlainText("Paciente pediu retorno por telefone depois das 14h.")
        composer.submit()
        qtbot.waitUntil(lambda: any(isinstance(b.item, Note) and "14h" in b.item.body
                                    for b in window.pane.thread_view.bubbles), timeout=TIMEOUT)
        composer.set_kind("reply")
        shots.append(shoot(qtbot, window, folder, "2-conversation-with-notes"))

        composer.set_kind("note")
        composer.text.setPlainText("nota com caractere inválido \x00")
        with qtbot.waitSignal(window.toasts.shown, timeout=TIMEOUT):
            composer.submit()
        qtbot.waitUntil(lambda: any(isinstance(b.item, PendingItem) and b.item.state == "failed"
                                    for b in window.pane.thread_view.bubbles), timeout=TIMEOUT)
        composer.set_kind("reply")
        shots.append(shoot(qtbot, window, folder, "3-failed"))

        server.stop()
        qtbot.waitUntil(window.banner.isVisible, timeout=TIMEOUT)
        shots.append(shoot(qtbot, window, folder, "4-offline"))
        # the offline shot shows the banner where the inbox shot had none
        assert region(shots[3], window.banner, window) != region(shots[0], window.banner, window)

        press(qtbot, window, Qt.Key.Key_1)
        composer.text.setPlainText("Confirmado, até quinta às 9h!")
        composer.submit()
        qtbot.waitUntil(lambda: model.view_of(cid).pending and any(
            isinstance(b.item, PendingItem) and b.item.state != "failed"
            for b in window.pane.thread_view.bubbles), timeout=TIMEOUT)
        shots.append(shoot(qtbot, window, folder, "5-pending"))
        assert all(p.stat().st_size > 10_000 for p in shots)
        # each state looks different from the one before it
        images = [QImage(str(p)) for p in shots]
        assert all(a != b for a, b in itertools.pairwise(images))
    finally:
        close_window(qtbot, window)
        ui_app.create_application(language="en")


SIZES = ((1280, 720), (1366, 768), (1920, 1080))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["pt_BR", "en"])
def test_render_screen_sizes(  # noqa: PLR0917 - fixtures and parameters
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path,
    language: str, scheme: str,
) -> None:
    """A conversation open with the longest name the contract allows, offline, at the sizes
    of ordinary screens (issue 12), light and dark (issue 13):
    ``fit-{language}-{scheme}-{width}x{height}.png``."""
    folder = Path(os.environ.get("INBOX_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    app = ui_app.create_application(language=language)
    theme.apply(app, Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light)
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        window.conversations.select(window.bridge.model.ids()[1])
        qtbot.waitUntil(lambda: window.pane.detail is not None, timeout=TIMEOUT)
        show_longest(qtbot, window)
        for width, height in SIZES:
            window.resize(width, height)
            qtbot.waitUntil(lambda w=width: window.width() == w, timeout=TIMEOUT)
            path = shoot(qtbot, window, folder, f"fit-{language}-{scheme}-{width}x{height}")
            assert QImage(str(path)).width() == width
            assert window.pane.composer.send_button.isVisible()
            assert window.pane.card_button.isVisible()
    finally:
        close_window(qtbot, window)
        ui_app.create_application(language="en")
