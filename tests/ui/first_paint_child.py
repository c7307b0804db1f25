"""Run by tests/ui/test_startup.py in a fresh process: the app's start path up to the first
painted list, from a remembered session and its cache, then what it had imported by then.

``python -m tests.ui.first_paint_child SERVER_URL DATA_DIR CACHE_DIR`` prints one JSON line:
``{"rows", "at_paint": [heavy modules imported when the list was first painted], "started":
whether the network had started by then, "started_after": it started after the paint,
"after": [heavy modules imported once it ran]}``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
from pathlib import Path

#: What the first paint must not wait for: the network, the live socket, charts, the server.
HEAVY = (
    "httpx",
    "httpcore",
    "websockets",
    "truststore",
    "pyqtgraph",
    "numpy",
    "sqlalchemy",
    "fastapi",
    "starlette",
    "uvicorn",
    "alembic",
    "faker",
    "redis",
    "argon2",
    "inbox_app.server",
)


def heavy_loaded() -> list[str]:
    return sorted(name for name in HEAVY if name in sys.modules)


def main() -> int:
    url, data_dir, cache_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    # what `inbox-app` (cli.main) does before it paints: the start-up steps first (the
    # collector paused, the keyring lookup on its thread), then the facade and the window
    from inbox_app import cli

    cli.begin_start()
    from PySide6.QtCore import QEvent, QObject

    from inbox_app.client import InboxClient
    from inbox_app.ui import app as ui

    report: dict[str, object] = {}

    async def start() -> int:
        instance = ui.claim_instance(data_dir)
        assert instance is not None, "another app holds the data folder"
        try:
            client = await InboxClient.resume(url, data_dir=data_dir, cache_dir=cache_dir)
            assert client is not None, "no remembered session"
            online = asyncio.Event()
            client.subscribe(
                lambda change: (
                    online.set()
                    if change.cause == "connection" and change.reason == "online"
                    else None
                )
            )
            window = await ui.open_window(client)
            painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            class FirstPaint(QObject):
                def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                    if (
                        event.type() == QEvent.Type.Paint
                        and window.bridge.model.rowCount()
                        and not painted.done()
                    ):
                        report["at_paint"] = heavy_loaded()
                        report["started"] = client._started
                        report["gc_at_paint"] = gc.isenabled()
                        report["rows"] = window.bridge.model.rowCount()
                        painted.set_result(None)
                    return False

            watcher = FirstPaint()
            window.conversations.view.viewport().installEventFilter(watcher)
            window.conversations.view.viewport().update()
            await asyncio.wait_for(painted, 60)
            # the network starts once the list is on screen: the live socket comes online
            await asyncio.wait_for(online.wait(), 60)
            report["started_after"] = client._started
            report["gc_after"] = gc.isenabled()
            report["after"] = heavy_loaded()
            window.close()
            await window.bridge.close()
            await client.close()
        finally:
            instance.release()
        return 0

    status = ui.run(start, language="en")
    print(json.dumps(report), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
