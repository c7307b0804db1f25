"""``inbox-app --self-check``: proves an installation (frozen or from source) has every part.

Starts Qt (offscreen unless ``QT_QPA_PLATFORM`` names another platform, so it runs on a
machine without a screen; under ``QT_QPA_PLATFORM=xcb`` it also opens a real window), loads
every icon, the stylesheet and every translation through :mod:`importlib.resources`, draws a
chart, opens a sealed local cache in a temporary folder and reads back what it wrote, imports
the embedded server's parts that are only imported by name at run time, and, with a server
URL, asks the server for ``/api/health``. Each check prints one line; the exit code is 0 only
when every check passed (issue 6).
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from inbox_app import bundle
from inbox_app.contract import VERSION
from inbox_app.ui import assets

#: How long a real window may take to be shown by the window system.
EXPOSE_TIMEOUT = 10.0
#: How long the server may take to answer ``/api/health``.
HEALTH_TIMEOUT = 10.0


class CheckFailed(Exception):
    """One check found something missing or broken (its message says what)."""


class SelfCheck:
    """Runs the checks in order and prints ``ok``/``FAILED`` lines to ``out``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failures = 0

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def check(self, name: str, run: Callable[[], str]) -> None:
        """Runs one check; ``run`` returns what it saw, or raises."""
        started = time.perf_counter()
        try:
            detail = run()
        except Exception as exc:  # report every failure, keep checking the rest
            self.failures += 1
            self.say(f"FAILED {name}: {type(exc).__name__}: {exc}")
            if not isinstance(exc, CheckFailed):
                self.say(traceback.format_exc().rstrip())
            return
        ms = (time.perf_counter() - started) * 1000
        self.say(f"ok     {name}: {detail} ({ms:.0f} ms)")


def run(server_url: str | None = None, *, language: str | None = None,
        out: TextIO | None = None) -> int:
    """Runs every check; returns the process exit code (0: all passed)."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    checks = SelfCheck(out or sys.stdout)
    frozen = "frozen (PyInstaller)" if getattr(sys, "frozen", False) else "from source"
    checks.say(f"inbox-app {VERSION} self-check, {frozen}, Python {sys.version.split()[0]}")
    if os.environ["QT_QPA_PLATFORM"] == "xcb" and not os.environ.get("DISPLAY"):
        # Qt would abort the whole process (qFatal) before any check could report
        checks.say("FAILED Qt: QT_QPA_PLATFORM=xcb but DISPLAY is not set")
        return 1

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    checks.check("Qt", lambda: _qt(app))
    checks.check("stylesheet", lambda: _stylesheet(app))
    checks.check("icons", _icons)
    for qm in _translation_files():
        checks.check(f"translation {qm}", functools.partial(_translation, qm))
    checks.check("language", lambda: f"{assets.choose_language(language)} would be used")
    checks.check("window", lambda: _window(app))
    checks.check("charts", _charts)
    checks.check("local cache", lambda: asyncio.run(_local_cache()))
    checks.check("keyring", _keyring)
    checks.check("embedded server parts", _server_parts)
    if server_url:
        checks.check(f"server {server_url}", lambda: asyncio.run(_server(server_url)))
    QCoreApplication.processEvents()
    if checks.failures:
        checks.say(f"self-check FAILED: {checks.failures} check(s) failed")
        return 1
    checks.say("self-check passed")
    return 0


# --- the checks --------------------------------------------------------------------------


def _qt(app: object) -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    return f"Qt {qVersion()}, PySide6 {pyside_version}, platform {QGuiApplication.platformName()}"


def _stylesheet(app: object) -> str:
    from PySide6.QtWidgets import QApplication

    from inbox_app.ui import theme

    if not assets.stylesheet().strip():
        raise CheckFailed("style.qss is empty")
    assert isinstance(app, QApplication)
    # both palettes fill in every value the stylesheet names; the desktop's is applied
    text = theme.stylesheet(theme.DARK, app.font())
    applied = theme.apply(app)
    return f"style.qss, {len(text)} characters, {applied.name} palette"


def _icons() -> str:
    names = assets.icon_names()
    if not names:
        raise CheckFailed("no icons found in inbox_app.resources/icons")
    for name in names:
        if assets.pixmap(name, 16).isNull():
            raise CheckFailed(f"icon {name}.svg rendered empty")
        if assets.icon(name).isNull():
            raise CheckFailed(f"icon {name}.svg gave an empty QIcon")
    return f"{len(names)} SVG icons rendered ({', '.join(names)})"


def _translation_files() -> list[str]:
    """The translation of every language the app offers, and any other ``.qm`` found.

    Listing the folder alone would pass a bundle that lost a language: the expected files
    are named from :data:`assets.LANGUAGES`, so a missing one fails its check.
    """
    expected = {f"inbox_{language}.qm" for language in assets.LANGUAGES}
    folder = assets.resource_root().joinpath("translations")
    found = {p.name for p in folder.iterdir() if p.name.endswith(".qm")} if folder.is_dir() \
        else set()
    return sorted(expected | found)


def _translation(filename: str) -> str:
    from PySide6.QtCore import QTranslator

    data = assets.read_bytes("translations", filename)
    translator = QTranslator()
    if not translator.load(data):
        raise CheckFailed(f"{filename} is not a Qt translation file")
    language = translator.language() or filename.removeprefix("inbox_").removesuffix(".qm")
    # English is the source language: its file may carry no translations at all
    if translator.isEmpty() and not language.startswith("en"):
        raise CheckFailed(f"{filename} holds no translations")
    return f"{len(data)} bytes, language {language}"


def _window(app: object) -> str:
    """Shows a real top-level window and waits until the window system exposes it."""
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QLabel

    label = QLabel("Clinic Inbox self-check")
    label.resize(320, 80)
    label.show()
    deadline = time.monotonic() + EXPOSE_TIMEOUT
    handle = label.windowHandle()
    try:
        while handle is None or not handle.isExposed():
            if time.monotonic() > deadline:
                raise CheckFailed(f"the window was not shown within {EXPOSE_TIMEOUT:.0f} s")
            # waiting for the window system's expose event: process events as they come
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            handle = label.windowHandle()
        image = label.grab().toImage()
        if image.isNull():
            raise CheckFailed("the window could not be painted")
        return (f"shown and painted ({image.width()}x{image.height()}) on "
                f"{QGuiApplication.platformName()}")
    finally:
        label.close()
        label.deleteLater()


def _charts() -> str:
    import pyqtgraph as pg

    plot = pg.PlotWidget()
    plot.addItem(pg.BarGraphItem(x=[1, 2], height=[3, 4], width=0.5))
    plot.resize(200, 120)
    image = plot.grab().toImage()
    plot.deleteLater()
    if image.isNull():
        raise CheckFailed("pyqtgraph drew nothing")
    return f"pyqtgraph {pg.__version__} drew a bar chart"


async def _local_cache() -> str:
    """Writes, closes, reopens and reads back a sealed cache in a temporary folder."""
    from inbox_app.client.reads.cache import LocalCache
    from inbox_app.client.security.crypto import SealedCodec, new_key
    from inbox_app.contract.policy import list_key

    key = new_key()
    cache_key = list_key(0)
    value = [{"id": 1, "check": "self-check"}]
    with tempfile.TemporaryDirectory(prefix="inbox-selfcheck-") as tmp:
        folder = Path(tmp) / "cache"
        cache = LocalCache(folder, codec=SealedCodec(key, context="cache"))
        await cache.put(cache_key, value, value)
        await cache.close()
        reopened = LocalCache(folder, codec=SealedCodec(key, context="cache"))
        try:
            entry = await reopened.get(cache_key, lambda wire: wire)
        finally:
            await reopened.close()
        if entry is None or entry.value != value:
            raise CheckFailed("the cache did not give back what it stored")
        files = sum(1 for p in folder.rglob("*") if p.is_file())
    return f"sealed diskcache opened, written, reopened, read back, closed ({files} files)"


def _keyring() -> str:
    from inbox_app.client.security.keystore import secure_default_backend

    if getattr(sys, "frozen", False) and _importable("keyrings.alt"):
        # installed, it becomes keyring's default: a plaintext file (build.spec leaves it out)
        raise CheckFailed("keyrings.alt (a plaintext test backend) was bundled")
    backend = secure_default_backend()
    if backend is None:
        return "no recommended OS keyring here: keys go to a private key file"
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _server_parts() -> str:
    names = bundle.runtime_check_modules()
    failed = bundle.import_all(names)
    if failed:
        raise CheckFailed("; ".join(f"{name}: {error}" for name, error in failed.items()))
    return f"{len(names)} modules imported by name at run time are present"


async def _server(server_url: str) -> str:
    from inbox_app.client.net.api import Api

    api = Api(server_url)
    try:
        answer = await asyncio.wait_for(api.health(), HEALTH_TIMEOUT)
    finally:
        await api.close()
    if answer.status != "ok":
        raise CheckFailed(f"unexpected health answer: {answer!r}")
    return f"healthy, version {answer.version}, database {answer.db}"
