"""The window as a screen reader reads it (issue 13), through AT-SPI on a real X screen.

The window runs as its own process (tests/ui/atspi_app.py) on Xvfb against a real server,
with Qt's accessibility on (``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``); a reader under the system
Python (tests/ui/atspi_reader.py, pyatspi) reads its tree from the AT-SPI registry and
presses buttons through their "Press" action, as Orca does. In Portuguese, the receptionist's
language.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import ServerProcess, login
from tests.ui.atspi_desktop import AtspiDesktop, walk

ROOT = Path(__file__).resolve().parents[2]
APP = "Clinic Inbox"  # QCoreApplication.applicationName: the application's name on the bus
CHILD_TIMEOUT = 120

#: Roles a user operates; each needs a name (focusable nodes of any role too).
CONTROL_ROLES = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "entry",
    "spin button",
    "slider",
    "table",
    "tree",
    "tree table",
    "list",
    "page tab",
    "menu item",
    "menu",
    "link",
}
CHANNELS = {"whatsapp": "WhatsApp", "sms": "SMS", "email": "E-mail", "instagram": "Instagram"}
PRIORITIES = {
    "urgent": "Prioridade urgente",
    "high": "Prioridade alta",
    "normal": "Prioridade normal",
    "low": "Prioridade baixa",
}


def unread_words(count: int) -> str:
    return "1 mensagem não lida" if count == 1 else f"{count} mensagens não lidas"


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AtspiDesktop]:
    screen = AtspiDesktop(tmp_path_factory.mktemp("atspi"))
    try:
        yield screen
    finally:
        screen.close()


class Window:
    """The window's process: started signed in, spoken to on stdin, closed at the end."""

    def __init__(self, desktop: AtspiDesktop, server: ServerProcess, tmp: Path) -> None:
        env = dict(
            desktop.env,
            HOME=str(tmp / "home"),
            XDG_CONFIG_HOME=str(tmp / "config"),
            XDG_DATA_HOME=str(tmp / "data"),
            XDG_CACHE_HOME=str(tmp / "cache"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            PYTHONPATH=str(ROOT),
        )
        self.err = (tmp / "window.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.ui.atspi_app", server.url, "pt_BR", str(tmp)],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.err,
            text=True,
        )
        self.log = tmp / "window.log"
        self.open_id = int(self.expect("READY"))

    def expect(self, word: str) -> str:
        """The rest of the next line the window prints, which must start with ``word``."""
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line.startswith(word), f"{line!r}\n{self.log.read_text()[-3000:]}"
        return line.removeprefix(word).strip()

    def say(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.say("quit")
            try:
                self.proc.wait(timeout=CHILD_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.err.close()


@pytest.fixture
def window(desktop: AtspiDesktop, server: ServerProcess, tmp_path: Path) -> Iterator[Window]:
    shown = Window(desktop, server, tmp_path)
    try:
        yield shown
    finally:
        shown.close()


def conversations(server: ServerProcess) -> list[dict[str, Any]]:
    token, session = login(server.url, "ana@aurora.example")
    answer = httpx.get(
        f"{server.url}/api/clinics/{session['clinic']['id']}/conversations",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    answer.raise_for_status()
    return list(answer.json()["items"])


def cells(tree: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the conversation list, as table cells."""
    table = next(n for n in walk(tree) if n["role"] == "table" and n["name"] == "Conversas")
    return [n for n in walk(table) if n["role"] == "table cell"]


def row_of(
    tree: dict[str, Any], summary: dict[str, Any], *, newest: bool = False
) -> dict[str, Any]:
    """The cell of one conversation: its patient and channel start what is said (one open
    conversation per patient and channel; ``newest``: the first of several, as the list
    shows the newest first, where earlier ones on that channel are archived too)."""
    start = f"{summary['patient_name']}, {CHANNELS[summary['channel']]}, "
    found = [c for c in cells(tree) if c["name"].startswith(start)]
    assert len(found) == 1 or (newest and found), (start, [c["name"] for c in cells(tree)])
    return found[0]


def test_every_control_is_named_and_every_row_says_what_its_icons_show(
    desktop: AtspiDesktop, window: Window, server: ServerProcess
) -> None:
    tree = desktop.read(APP, "dump")
    nodes = walk(tree)
    # every control, shown or not (the lock screen's password field is in the tree too)
    unnamed = [
        (n["role"], n["description"])
        for n in nodes
        if (n["role"] in CONTROL_ROLES or "focusable" in n["states"])
        and not n["name"].strip()
        and not n["labelled_by"]
    ]
    assert not unnamed, unnamed
    assert any(n["role"] == "password text" and n["name"] == "Senha" for n in nodes)
    assert any(n["role"] == "text" and n["name"] == "Buscar conversas" for n in nodes)
    assert any(n["role"] == "text" and n["name"] == "Responder ao paciente" for n in nodes)
    # a combo box's name is its value on Linux: what it is comes from its label
    assert any(n["role"] == "combo box" and n["labelled_by"] == ["Prioridade"] for n in nodes)

    listed = [s for s in conversations(server) if s["status"] == "open"]
    assert len(cells(tree)) == len(listed)
    for summary in listed:
        cell = row_of(tree, summary)
        said = cell["name"].split(", ")
        assert PRIORITIES[summary["priority"]] in said, cell
        if summary["id"] != window.open_id:  # opening it marked it read meanwhile
            unread = summary["unread_count"]
            assert (unread_words(unread) in said) == (unread > 0), cell
        assert "arquivada" not in said and "salvando" not in said, cell
        assert summary["last_message_preview"][:40] in cell["description"], cell


def test_states_are_spoken_and_toasts_announced(
    desktop: AtspiDesktop, window: Window, server: ServerProcess
) -> None:
    before = {s["id"]: s for s in conversations(server)}
    archived = before[window.open_id]
    # a screen reader user presses Archive: the toast that offers Undo is announced
    pressed = desktop.read(APP, "press", "Arquivar")
    spoken = [a["text"] for a in pressed["events"]]
    assert spoken and spoken[0].startswith("Arquivada. "), pressed
    assert archived["patient_name"] in spoken[0] and spoken[0].endswith("Desfazer"), spoken

    # the next conversation opened; a note the server rejects leaves it "not sent"
    window.say("fail-note")
    failed = before[int(window.expect("FAILED"))]
    # the first row, opened online (its messages on this computer), then acted on offline
    window.say("open 0")
    waiting = before[int(window.expect("OPENED"))]
    server.stop()
    pressed = desktop.read(APP, "press", "Marcar como lida|Marcar como não lida")
    assert pressed["events"], pressed  # its Undo toast, once the action is on screen

    tree = desktop.read(APP, "dump")
    assert "não enviada" in row_of(tree, failed)["name"].split(", ")
    assert "salvando" in row_of(tree, waiting)["name"].split(", ")
    checked = desktop.read(APP, "press", "Arquivadas", "10", "object:state-changed:checked")
    assert checked["events"], checked
    tree = desktop.read(APP, "dump")
    assert "arquivada" in row_of(tree, archived, newest=True)["name"].split(", ")
