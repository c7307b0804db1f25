"""Tests of the ``inbox-app --demo`` command (inbox_app/cli.py): one command, a real server.

The demo starts the server as a subprocess on a free loopback port, signs in as Ana, shows
the list, and stops the server when the window closes (``--exit-when-ready`` closes it as
soon as the list is painted).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import pytest

from inbox_app import cli


def test_demo_opens_the_inbox_and_stops_its_server() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "inbox_app.cli", "--demo", "--exit-when-ready", "--lang", "en",
         "--inbound-seconds", "3600"],
        capture_output=True, text=True, timeout=150,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    url = re.search(r"Demo server at (http://127\.0\.0\.1:(\d+))", result.stdout)
    assert url is not None, result.stdout
    shown = re.search(r"Ready: (\d+) conversations shown", result.stdout)
    assert shown is not None and int(shown.group(1)) > 0
    # the window closed: the server went with it
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(url.group(2)))) != 0


def test_server_command_uses_the_same_executable_when_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli.server_command("--port", "0")[1:3] == ["-m", "inbox_app.server"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert cli.server_command("--port", "0") == [sys.executable, "serve", "--port", "0"]
