"""Issue 13, "Measured": the app paints its list before it loads what the first paint does not
need — the network (httpx, websockets, truststore), charts (pyqtgraph, numpy) and the
server's parts — and starts the network only after that paint.

Each check runs a fresh interpreter, since this test process has imported all of them already.
tests/benchmarks/bench_ui.py measures what this buys (tests/benchmarks/README.md).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inbox_app.client import InboxClient
from tests.support import ServerProcess
from tests.ui.first_paint_child import HEAVY

ROOT = Path(__file__).resolve().parents[2]
DEMO_EMAIL = "ana@aurora.example"
DEMO_PASSWORD = "demo1234"


def run_child(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )


def test_the_entry_modules_import_no_network_charts_or_server() -> None:
    """What `inbox-app` imports before it runs anything: the entry point, the Qt app module
    and the client facade."""
    code = (
        "import sys, json\n"
        "import inbox_app.cli, inbox_app.client, inbox_app.ui.app\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    out = run_child("-c", code)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


@pytest.mark.slow
def test_the_list_is_painted_from_the_cache_before_the_network_starts(
    server: ServerProcess, tmp_path: Path
) -> None:
    """A remembered session resumed from its cache, as `inbox-app` starts: when the list is
    first painted nothing heavy is imported and the network has not started; right after,
    it starts (the live socket comes online) and the garbage collector runs again."""
    data_dir, cache_dir = tmp_path / "data", tmp_path / "cache"

    async def cache_the_list() -> None:
        client = await InboxClient.login(
            server.url, DEMO_EMAIL, DEMO_PASSWORD, data_dir=data_dir, cache_dir=cache_dir
        )
        try:
            assert (await client.conversations()).value
        finally:
            await client.close()

    asyncio.run(cache_the_list())
    out = run_child("-m", "tests.ui.first_paint_child", server.url, str(data_dir), str(cache_dir))
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["rows"] > 0
    assert report["at_paint"] == []
    assert report["started"] is False
    assert report["started_after"] is True
    # the collector paused for the start-up runs again once the window has painted
    assert report["gc_at_paint"] is False
    assert report["gc_after"] is True
    assert {"httpx", "websockets"} <= set(report["after"])
