"""A real D-Bus session bus of the tests' own, and the one stand-in: a tiny desktop
notification service on it (``org.freedesktop.Notifications``, as GNOME Shell, KDE Plasma's
and dunst implement it), recording what the desktop was handed and able to click a
notification as the receptionist would.

``dbus-daemon`` is a real bus (Debian package ``dbus-daemon``); tests that need it skip with
that reason when it is missing, and fail under ``CI=true`` (tests.support.missing).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from dbus_fast import Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusInt32, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.service import ServiceInterface, method, signal

from tests.support import missing

Strings = Annotated[list[str], DBusSignature("as")]
Hints = Annotated[dict[str, Variant], DBusSignature("a{sv}")]
ServerInfo = Annotated[list[str], DBusSignature("ssss")]
Action = Annotated[list[Any], DBusSignature("us")]
Closed = Annotated[list[int], DBusSignature("uu")]


@dataclass(frozen=True)
class Shown:
    """One notification as the desktop received it."""

    id: int
    app_name: str
    summary: str
    body: str
    actions: list[str]


class Notifications(ServiceInterface):
    """The desktop side of the freedesktop notification protocol, recording each Notify."""

    def __init__(self) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.shown: list[Shown] = []
        self._lock = threading.Lock()

    @method()
    def Notify(  # noqa: PLR0917 (the protocol's eight arguments)
        self,
        app_name: DBusStr,
        replaces_id: DBusUInt32,
        app_icon: DBusStr,
        summary: DBusStr,
        body: DBusStr,
        actions: Strings,
        hints: Hints,
        expire_timeout: DBusInt32,
    ) -> DBusUInt32:
        with self._lock:
            number = len(self.shown) + 1
            self.shown.append(Shown(number, app_name, summary, body, list(actions)))
        return number

    @method()
    def GetCapabilities(self) -> Strings:
        return ["actions", "body"]

    @method()
    def GetServerInformation(self) -> ServerInfo:
        return ["tests-notifications", "Clinic Inbox tests", "1.0", "1.2"]

    @method()
    def CloseNotification(self, id: DBusUInt32):  # no return annotation: no D-Bus reply value
        self.NotificationClosed(id, 3)

    @signal()
    def ActionInvoked(self, id: int, action_key: str) -> Action:
        return [id, action_key]

    @signal()
    def NotificationClosed(self, id: int, reason: int) -> Closed:
        return [id, reason]


class Desktop:
    """The notification service running on its own thread and loop, as a desktop's would."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.service = Notifications()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="test-desktop", daemon=True)

    def start(self) -> Desktop:
        self._thread.start()
        if not self._ready.wait(10):
            raise TimeoutError("the test notification service did not start")
        return self

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        bus = await MessageBus(bus_address=self.address).connect()
        bus.export("/org/freedesktop/Notifications", self.service)
        await bus.request_name("org.freedesktop.Notifications")
        self._stop = asyncio.Event()
        self._ready.set()
        await self._stop.wait()
        bus.disconnect()

    @property
    def shown(self) -> list[Shown]:
        return list(self.service.shown)

    def click(self, shown: Shown) -> None:
        """The receptionist clicks the notification: the default action, then it closes."""

        def invoke() -> None:
            self.service.ActionInvoked(shown.id, "default")
            self.service.NotificationClosed(shown.id, 2)

        self._loop.call_soon_threadsafe(invoke)

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@contextmanager
def session_bus() -> Iterator[str]:
    """A ``dbus-daemon --session`` of the test's own; yields its address. Its socket is in a
    short temporary folder (a Unix socket path has at most 107 bytes)."""
    binary = shutil.which("dbus-daemon")
    if binary is None:
        missing("dbus-daemon is not installed (Debian package: dbus-daemon)")
    with tempfile.TemporaryDirectory(prefix="bus-") as folder:
        process = subprocess.Popen(
            [binary, "--session", "--nofork", "--print-address=1", f"--address=unix:dir={folder}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert process.stdout is not None
            address = process.stdout.readline().strip()  # printed once the bus listens
            if not address:
                raise RuntimeError(f"dbus-daemon did not start (exit code {process.poll()})")
            yield address
        finally:
            process.terminate()
            process.wait(10)


@contextmanager
def desktop_notifications() -> Iterator[Desktop]:
    """A session bus with the notification service on it, as the app's session bus."""
    with session_bus() as address:
        saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        desktop = Desktop(address).start()
        try:
            yield desktop
        finally:
            desktop.stop()
            if saved is None:
                os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
            else:
                os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved
