"""Fixtures of the UI tests: a qasync loop inside pytest-qt, a signed-in window on a real server.

The tests are plain (sync) pytest-qt tests: the qasync loop is installed as the running
asyncio loop over pytest-qt's QApplication, so coroutines and client tasks advance whenever
``qtbot.waitUntil`` / ``waitSignal`` process Qt events. No sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from inbox_app.client import InboxClient
from inbox_app.ui import app as ui_app
from inbox_app.ui.main_window import MainWindow
from tests.support import ServerProcess

T = TypeVar("T")
DEMO_EMAIL = "ana@aurora.example"
DEMO_PASSWORD = "demo1234"


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop marked running, so tasks advance while pytest-qt processes events."""
    ui_app.create_application(language="en")
    loop = qasync.QEventLoop(qapp, already_running=True)
    loop.set_exception_handler(ui_app.loop_exception_handler)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        for _ in range(200):
            if all(t.done() for t in pending):
                break
            qapp.processEvents()
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


def run(qtbot: Any, coro: Coroutine[Any, Any, T], timeout: int = 15_000) -> T:
    """Runs a coroutine on the qasync loop while Qt processes events; returns its result."""
    task = asyncio.get_running_loop().create_task(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@dataclass
class Signed:
    """A window signed in as Ana on a real server, and what the test needs around it."""

    server: ServerProcess
    client: InboxClient
    window: MainWindow
    data_dir: Path
    cache_dir: Path


def sign_in(qtbot: Any, server: Any, tmp_path: Path, *, email: str = DEMO_EMAIL
            ) -> InboxClient:
    return run(qtbot, InboxClient.login(
        server.url, email, DEMO_PASSWORD,
        data_dir=tmp_path / "data", cache_dir=tmp_path / "cache"))


def open_window(qtbot: Any, client: InboxClient) -> MainWindow:
    window = run(qtbot, ui_app.open_window(client))
    qtbot.waitUntil(lambda: window.bridge.model.rowCount() > 0, timeout=15_000)
    return window


def press(qtbot: Any, window: MainWindow, key: Any) -> None:
    """Presses a single-letter shortcut as a receptionist does: with the list focused."""
    view = window.conversations.view
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=15_000)
    qtbot.keyClick(view, key)


def close_window(qtbot: Any, window: MainWindow) -> None:
    run(qtbot, window.bridge.close())
    run(qtbot, window.bridge.client.close())
    window.close()
    window.deleteLater()


@pytest.fixture
def signed(qtbot: Any, qloop: asyncio.AbstractEventLoop, server: ServerProcess,
           tmp_path: Path) -> Iterator[Signed]:
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        yield Signed(server, client, window, tmp_path / "data", tmp_path / "cache")
    finally:
        close_window(qtbot, window)
