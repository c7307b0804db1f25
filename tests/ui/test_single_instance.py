"""One app per user, and a demo that cleans up after itself (issue 12): tests of
inbox_app/ui/single_instance.py and of the signal handling in ui/app.py and cli.py."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from inbox_app.ui.single_instance import LOCK_NAME, SingleInstance

TIMEOUT = 10_000
_CLAIM = (
    "import sys; from pathlib import Path; from PySide6.QtWidgets import QApplication; "
    "from inbox_app.ui.single_instance import SingleInstance; app = QApplication([]); "
    "held = SingleInstance(Path(sys.argv[1])); print(held.claim(), flush=True); "
    "import os; os._exit(0)"  # no unlock: what a crash leaves behind
)


def claim_in_another_process(folder: Path) -> bool:
    out = subprocess.run([sys.executable, "-c", _CLAIM, str(folder)], capture_output=True,
                         text=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1] == "True"


def test_a_second_launch_wakes_the_first_and_gives_up(qtbot: Any, tmp_path: Path) -> None:
    first = SingleInstance(tmp_path)
    assert first.claim()
    try:
        with qtbot.waitSignal(first.activated, timeout=TIMEOUT):
            assert claim_in_another_process(tmp_path) is False
    finally:
        first.release()
    # released: the next launch is the app
    assert claim_in_another_process(tmp_path) is True


def test_a_stale_lock_from_a_crashed_app_is_taken_over(qtbot: Any, tmp_path: Path) -> None:
    assert claim_in_another_process(tmp_path) is True  # it "crashed" holding the lock
    assert (tmp_path / LOCK_NAME).exists()
    again = SingleInstance(tmp_path)
    try:
        assert again.claim()
    finally:
        again.release()


def _get(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return json.loads(answer.read())
    except OSError:
        return None


def _start_demo(tmp_path: Path) -> tuple[subprocess.Popen[str], str]:
    app = subprocess.Popen(
        [sys.executable, "-m", "inbox_app.cli", "--demo", "--lang", "en",
         "--inbound-seconds", "3600", "--log-dir", str(tmp_path / "logs")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)},
    )
    assert app.stdout is not None
    url = None
    for line in app.stdout:
        found = re.search(r"Demo server at (http://127\.0\.0\.1:\d+)", line)
        if found:
            url = found.group(1)
            break
    assert url is not None, "the demo did not start"
    # the window is up once its live socket reached the server
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        metrics = _get(f"{url}/api/metrics")
        if metrics and metrics.get("live", {}).get("clients", 0) >= 1:
            break
        time.sleep(0.2)  # polling another process's HTTP answer: no signal to await
    else:
        pytest.fail("the demo window never connected")
    return app, url


def _leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.glob("clinic-inbox-demo-*"))


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_end_the_demo_as_closing_the_window(
    tmp_path: Path, number: int
) -> None:
    app, url = _start_demo(tmp_path)
    assert len(_leftovers(tmp_path)) == 2  # the demo database and the user's folders
    app.send_signal(number)
    assert app.wait(timeout=60) == 0
    assert _get(f"{url}/api/health") is None  # the server stopped with it
    assert _leftovers(tmp_path) == []


def test_the_demo_server_exits_when_its_app_is_killed(tmp_path: Path) -> None:
    app, url = _start_demo(tmp_path)
    app.kill()  # kill -9: no cleanup runs in the app
    app.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _get(f"{url}/api/health") is not None and time.monotonic() < deadline:
        time.sleep(0.2)  # another process ending: nothing to await from here
    assert _get(f"{url}/api/health") is None
