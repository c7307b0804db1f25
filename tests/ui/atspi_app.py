"""The inbox window as its own process, for tests/ui/test_accessibility.py.

    python -m tests.ui.atspi_app SERVER_URL LANGUAGE FOLDER

Signs in as Ana on the server, opens the window (the app's own ``open_window``), opens the
second conversation and prints ``READY <id>``; then obeys lines on stdin and answers each
with one line:

- ``open ROW``: opens the conversation on that row of the list -> ``OPENED <id>`` once
  its messages are shown
- ``fail-note``: writes an internal note the server rejects (a NUL character, which no
  screen reader can type) in the open conversation -> ``FAILED <id>`` once its row says so
- ``quit``: closes the window (the process exits)
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSocketNotifier

from inbox_app.client import InboxClient
from inbox_app.ui import app as ui_app
from inbox_app.ui.main_window import MainWindow
from tests.support import DEMO_PASSWORD

EMAIL = "ana@aurora.example"


def say(line: str) -> None:
    print(line, flush=True)


class Commands:
    """Reads stdin lines on the Qt loop and acts on the window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._buffer = b""
        self._notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._read)
        self._failing: int | None = None
        self._opening: int | None = None
        window.bridge.model.dataChanged.connect(lambda *_: self._check_failed())
        window.bridge.detailChanged.connect(self._opened)

    def _read(self) -> None:
        chunk = os.read(sys.stdin.fileno(), 4096)
        if not chunk:
            self._notifier.setEnabled(False)
            self.window.close()
            return
        self._buffer += chunk
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            self.run(line.decode().strip())

    def run(self, line: str) -> None:
        command, _, argument = line.partition(" ")
        window = self.window
        if command == "open":
            cid = window.bridge.model.ids()[int(argument)]
            self._opening = cid
            window.conversations.select(cid)
        elif command == "fail-note":
            self._failing = window.bridge.open_id
            composer = window.pane.composer
            composer.set_kind("note")
            composer.text.setPlainText("nota com caractere inválido \x00")
            composer.submit()
        elif command == "quit":
            window.close()
        else:
            say(f"UNKNOWN {line}")

    def _opened(self, snapshot: Any) -> None:
        if self._opening is not None and snapshot.value.summary.id == self._opening:
            say(f"OPENED {self._opening}")
            self._opening = None

    def _check_failed(self) -> None:
        if self._failing is None:
            return
        view = self.window.bridge.model.view_of(self._failing)
        if view is not None and view.failed:
            say(f"FAILED {self._failing}")
            self._failing = None


async def main(url: str, folder: Path) -> int:
    client = await InboxClient.login(
        url, EMAIL, DEMO_PASSWORD, data_dir=folder / "data", cache_dir=folder / "cache"
    )
    window = await ui_app.open_window(client, lock_after=3600)
    loaded = asyncio.Event()
    window.bridge.listLoaded.connect(lambda _snapshot: loaded.set())
    if not window.bridge.model.rowCount():
        await loaded.wait()
    opened = asyncio.Event()
    cid = window.bridge.model.ids()[1]
    window.bridge.detailChanged.connect(
        lambda snapshot: opened.set() if snapshot.value.summary.id == cid else None
    )
    window.conversations.select(cid)
    await opened.wait()
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    commands = Commands(window)
    say(f"READY {cid}")
    try:
        await closed.wait()
    finally:
        del commands
        await window.bridge.close()
        await client.close()
    return 0


if __name__ == "__main__":
    server_url, language, where = sys.argv[1:4]
    sys.exit(ui_app.run(lambda: main(server_url, Path(where)), language=language))
