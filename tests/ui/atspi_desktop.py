"""A desktop a screen reader can read, for tests/ui/test_accessibility.py.

A real X screen (Xvfb), a session D-Bus of the test's own, and the AT-SPI accessibility bus on
it (``at-spi-bus-launcher``, which starts the registry ``at-spi2-registryd`` when a client
asks). Applications started with :attr:`AtspiDesktop.env` publish their accessibility tree
there (Qt: ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``), and :meth:`AtspiDesktop.read` runs
``atspi_reader.py`` under the system Python with pyatspi, as Orca reads it.

Missing parts skip with the Debian packages to install (and fail under ``CI=true``).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

from tests.support import missing

READER = Path(__file__).with_name("atspi_reader.py")
#: The system Python that has pyatspi (Debian installs it for /usr/bin/python3 only).
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
READ_TIMEOUT = 120


def _prerequisites() -> str:
    """The AT-SPI bus launcher's path; skips (fails under CI) naming what is missing."""
    if shutil.which("Xvfb") is None:
        missing("Xvfb is not installed (Debian packages: xvfb xauth)")
    if shutil.which("dbus-daemon") is None:
        missing("dbus-daemon is not installed (Debian package: dbus-daemon)")
    launcher = next(
        (p for p in BUS_LAUNCHERS if os.access(p, os.X_OK)), shutil.which("at-spi-bus-launcher")
    )
    if launcher is None:
        missing("at-spi-bus-launcher is not installed (Debian package: at-spi2-core)")
    probe = (
        subprocess.run(
            [SYSTEM_PYTHON, "-c", "import pyatspi"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if os.access(SYSTEM_PYTHON, os.X_OK)
        else None
    )
    if probe is None or probe.returncode != 0:
        missing(
            "pyatspi is not installed for /usr/bin/python3 (Debian packages: "
            "python3-pyatspi gir1.2-atspi-2.0 python3-gi)"
        )
    return str(launcher)


def _read_line(fd: int, what: str, timeout: float = 30) -> str:
    """One line a child writes on a pipe at start (a display number, a bus address)."""
    data = b""
    while not data.endswith(b"\n"):
        readable, _, _ = select.select([fd], [], [], timeout)
        chunk = os.read(fd, 4096) if readable else b""
        if not chunk:
            raise RuntimeError(f"{what} did not start (said {data!r})")
        data += chunk
    return data.decode().strip()


class AtspiDesktop:
    """Xvfb + a session bus + the accessibility bus; :meth:`close` stops them all."""

    def __init__(self, tmp: Path, size: str = "1366x768") -> None:
        launcher = _prerequisites()
        self._procs: list[subprocess.Popen[bytes]] = []
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k
            not in {
                "DISPLAY",
                "WAYLAND_DISPLAY",
                "DBUS_SESSION_BUS_ADDRESS",
                "AT_SPI_BUS_ADDRESS",
                "QT_QPA_PLATFORM",
            }
        }
        runtime = tmp / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        self.env.update(
            XDG_RUNTIME_DIR=str(runtime),
            NO_AT_BRIDGE="0",
            QT_QPA_PLATFORM="xcb",
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        )
        try:
            read_end, write_end = os.pipe()
            self._start(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_end),
                    "-screen",
                    "0",
                    f"{size}x24",
                    "-nolisten",
                    "tcp",
                ],
                pass_fds=(write_end,),
            )
            os.close(write_end)
            self.env["DISPLAY"] = ":" + _read_line(read_end, "Xvfb")
            os.close(read_end)
            read_end, write_end = os.pipe()
            self._start(
                [
                    "dbus-daemon",
                    "--session",
                    "--nofork",
                    "--nosyslog",
                    f"--print-address={write_end}",
                ],
                pass_fds=(write_end,),
            )
            os.close(write_end)
            self.env["DBUS_SESSION_BUS_ADDRESS"] = _read_line(read_end, "dbus-daemon")
            os.close(read_end)
            # the accessibility bus; the registry daemon starts on it when first asked
            self._start([launcher, "--launch-immediately"])
        except BaseException:
            self.close()
            raise

    def _start(self, command: list[str], pass_fds: tuple[int, ...] = ()) -> None:
        # each in its own process group: close() ends what it started, children included
        self._procs.append(
            subprocess.Popen(
                command,
                env=self.env,
                pass_fds=pass_fds,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )

    def read(self, app: str, *args: str, timeout: float = READ_TIMEOUT) -> Any:
        """Runs the reader (``atspi_reader.py APP ARGS…``) and returns what it printed (JSON)."""
        result = subprocess.run(
            [SYSTEM_PYTHON, str(READER), app, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"atspi_reader {args} failed:\n{result.stderr[-4000:]}")
        return json.loads(result.stdout)

    def close(self) -> None:
        for proc in reversed(self._procs):
            # the whole group: the launcher's accessibility bus and registry go with it
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        self._procs.clear()


def walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Every node of a tree the reader dumped, depth first."""
    found = [node]
    for child in node.get("children", []):
        found += walk(child)
    return found
