"""The window fits the screen it is on (issue 12): tests of main_window.py's layout, of
widgets/elided_label.py and of the remembered splitter and patient card.

The longest patient name the contract allows (200 characters), the offline subtitle and the
banner must not make the minimum size grow: it stays under 1280×720 in both languages.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication

from inbox_app.ui import app as ui_app
from inbox_app.ui.main_window import CARD_KEY, SPLITTER_KEY, MainWindow
from tests.support import ServerProcess
from tests.ui.conftest import close_window, open_window, sign_in
from tests.ui.test_keys import open_row

TIMEOUT = 10_000
LONGEST_NAME = ("Maria Aparecida Conceição dos Santos Oliveira Albuquerque Cavalcanti " * 3)[:200]


@pytest.fixture
def settings_in(tmp_path: Path) -> Iterator[Path]:
    """QSettings written under the test's folder, not the user's."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    QSettings().clear()
    try:
        yield folder
    finally:
        QSettings().clear()


def settle() -> None:
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def show_longest(qtbot: Any, window: MainWindow) -> None:
    """The open conversation as the longest name and the offline subtitle make it."""
    detail = window.pane.detail
    assert detail is not None
    long_summary = detail.summary.model_copy(update={"patient_name": LONGEST_NAME})
    window.pane.show_detail(dataclasses.replace(detail, summary=long_summary), stale=True,
                            fetched_at=window.bridge.list_snapshot.fetched_at)
    qtbot.waitUntil(lambda: window.patient.name.text() != "", timeout=TIMEOUT)
    window.patient.name.setText(LONGEST_NAME)
    window.banner.show_offline(window.bridge.list_snapshot.fetched_at, reconnecting=True)
    settle()


@pytest.mark.usefixtures("settings_in")
@pytest.mark.parametrize("language", ["pt_BR", "en"])
def test_minimum_size_never_depends_on_data(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path,
    language: str,
) -> None:
    ui_app.create_application(language=language)
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        open_row(qtbot, window, 1)
        settle()
        before = window.inbox_page.minimumSizeHint()
        show_longest(qtbot, window)
        after = window.inbox_page.minimumSizeHint()
        assert after.width() == before.width()
        assert after.width() < 1280 and after.height() < 720 - 60  # (menu and status bars)
        window.resize(1280, 720)
        settle()
        title = window.pane.title
        assert title.elided and title.toolTip() == LONGEST_NAME
        assert title.width() < 1280
    finally:
        close_window(qtbot, window)
        ui_app.create_application(language="en")


def test_splitter_sizes_and_card_are_remembered(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess, tmp_path: Path,
    settings_in: Path,
) -> None:
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        window.resize(1366, 768)
        settle()
        window.splitter.setSizes([420, 700, 220])
        window.splitter.splitterMoved.emit(420, 1)  # what dragging the handle emits
        qtbot.mouseClick(window.pane.card_button, Qt.MouseButton.LeftButton)
        assert window.patient.isHidden()
        assert QSettings().value(CARD_KEY) == "false"
        saved = [int(v) for v in QSettings().value(SPLITTER_KEY)]
        assert saved[0] == 420
        run_again = MainWindow(window.bridge)  # a new window reads what the last one left
        try:
            assert run_again.patient.isHidden()
            assert not run_again.pane.card_button.isChecked()
            assert [int(v) for v in QSettings().value(SPLITTER_KEY)] == saved
        finally:
            run_again.keys.detach()
            run_again.idle.remove()
            run_again.deleteLater()
    finally:
        close_window(qtbot, window)
