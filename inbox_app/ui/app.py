"""Running the desktop app: QApplication + qasync loop, exception hook, sign-in, window.

``run(...)`` is what ``inbox-app`` calls (cli.py). The flow: resume a remembered session
(works offline, from the cache) or show the login dialog; then the main window until it is
closed; then close the client cleanly.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs
import qasync
from PySide6.QtCore import QEvent, QLocale, QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from inbox_app.client import InboxClient
from inbox_app.client.files.folders import APP_NAME
from inbox_app.ui import assets, theme
from inbox_app.ui.bridge import ClientBridge
from inbox_app.ui.conversations.model import ConversationListModel
from inbox_app.ui.main_window import MainWindow
from inbox_app.ui.single_instance import SingleInstance, bring_forward

log = logging.getLogger(__name__)

ORGANIZATION = "ClinicInbox"
APPLICATION = "Clinic Inbox"
#: The desktop entry (``resources/clinic-inbox.desktop``) and icon name: the desktop finds
#: the app's name and icon by it (the Wayland app id, the X11 window class).
DESKTOP_FILE_NAME = "clinic-inbox"
#: The network starts at the latest this long after the window was built, painted or not
#: (a window that never paints: minimised at start, on a hidden desktop).
FIRST_PAINT_LIMIT_MS = 2000
#: The garbage collector paused by cli.begin_start runs again after this at the latest.
GC_PAUSE_LIMIT_MS = 5000


def install_exception_hook() -> None:
    """Every uncaught exception (a Qt slot, an asyncSlot, a loop callback) is logged.

    PySide prints slot exceptions to stderr and carries on; a receptionist never sees
    stderr, and the maintainer needs the traceback in the log.
    """
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        text = "".join(traceback.format_exception(kind, value, tb))
        log.critical("uncaught exception:\n%s", text)

    sys.excepthook = hook


def loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The qasync loop's exception handler: an error no task awaited is logged, not lost."""
    exc = context.get("exception")
    log.error("asyncio: %s", context.get("message"), exc_info=exc)


def create_application(argv: list[str] | None = None, *, language: str | None = None
                       ) -> QApplication:
    """The QApplication with style, icon and translations (idempotent for tests).

    ``language`` given (``--lang``) holds for the whole run; None follows the system until a
    signed-in user's preference says otherwise (:func:`use_language`)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or [sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(QIcon(assets.icon("app")))
    theme.apply(app)  # the desktop's light or dark preference and the user's font size
    app.setQuitOnLastWindowClosed(False)  # the loop ends when the main window closes
    app._inbox_language_fixed = language is not None  # type: ignore[attr-defined]
    _install_language(app, assets.choose_language(language))
    return app


def use_language(preferred: str | None) -> None:
    """The signed-in user's language preference (None: the system's), unless ``--lang``
    chose one for this run. Applies to what is built from now on (the window opening)."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and not getattr(app, "_inbox_language_fixed", False):
        _install_language(app, assets.choose_language(preferred))


def _install_language(app: QApplication, chosen: str) -> None:
    # dates and weekday names follow the chosen language, not only the translated texts
    QLocale.setDefault(QLocale("pt_BR")
                       if chosen == "pt_BR" else QLocale("en_US"))
    if getattr(app, "_inbox_language", None) != chosen:
        for old in getattr(app, "_inbox_translators", []):
            app.removeTranslator(old)
        translators = [assets.install_translator(app, chosen),
                       assets.install_qt_translator(app, chosen)]  # Qt's own buttons
        app._inbox_translators = [t for t in translators if t is not None]  # type: ignore[attr-defined]
        app._inbox_language = chosen  # type: ignore[attr-defined]


async def open_window(client: InboxClient, *, lock_after: float | None = None) -> MainWindow:
    """Builds the window over a signed-in client and starts loading (cache first).

    ``lock_after``: idle seconds before the lock (default: the user's preference, 15
    minutes)."""
    use_language(client.preferences.language)
    model = ConversationListModel()
    bridge = ClientBridge(client, model)
    window = MainWindow(bridge, lock_after=lock_after)
    model.setParent(window)
    bridge.setParent(window)
    if client.locked:
        window.lock()  # a resumed session: the password first, then patient data
    window.show()
    await bridge.load_list()
    # The network (httpx, websockets, TLS: ~0.25 s of imports, then connections) starts
    # once the list (or the lock screen) is on screen, not before it (issue 13).
    window.update()

    def painted() -> None:
        gc.enable()  # the start-up pause of the collector (cli.begin_start) ends here
        bridge.tasks.run(bridge.start_sync(), name="start sync")

    after_first_paint(window, painted)
    return window


class _AfterFirstPaint(QObject):
    """Calls ``callback`` once, on the loop's next turn after a widget of ``window`` was
    painted (so the whole frame is out), or after :data:`FIRST_PAINT_LIMIT_MS`."""

    def __init__(self, window: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(window)  # gone with the window: no callback after that
        self._window = window
        self._callback = callback
        self._done = False
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)  # every widget's paint, for this one frame only
        QTimer.singleShot(FIRST_PAINT_LIMIT_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and watched.window() is self._window):
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if not self._done:
            self._done = True
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            self._callback()


def after_first_paint(window: QWidget, callback: Callable[[], object]) -> None:
    """Runs ``callback`` right after ``window``'s next paint (see :class:`_AfterFirstPaint`)."""
    _AfterFirstPaint(window, callback)


async def run_window(client: InboxClient, *, exit_when_ready: bool = False,
                     lock_after: float | None = None) -> bool:
    """Shows the inbox until the user closes the window or signs out, then closes the client.
    Returns True when the user signed out (the caller offers the sign-in again).

    ``exit_when_ready`` closes the window as soon as the list is painted (smoke runs of the
    demo and of the frozen build).
    """
    closed = asyncio.Event()
    window = await open_window(client, lock_after=lock_after)
    window.closed.connect(closed.set)
    try:
        if exit_when_ready:
            window.repaint()
            print(f"Ready: {window.bridge.model.rowCount()} conversations shown", flush=True)
            window.close()
        await closed.wait()
        return window.signed_out
    finally:
        await window.bridge.close()
        await client.close()
        window.deleteLater()


async def sign_in(server_url: str | None, *, data_dir: Path | None = None,
                  cache_dir: Path | None = None) -> InboxClient | None:
    """A remembered session (locked until the password) when there is one, else the login
    dialog (None if cancelled)."""
    settings = QSettings()
    url = server_url or str(settings.value("server_url", "") or "")
    if url:
        client = await InboxClient.resume(url, data_dir=data_dir, cache_dir=cache_dir)
        if client is not None:
            # A remembered session starts locked: otherwise quitting a locked app and starting
            # it again would skip the idle lock's password (issue 7). The server and the
            # e-mail are remembered; the password unlocks, offline too.
            client.lock()
            return client

    # only without a remembered session: not on the way to a resumed window's first paint
    from inbox_app.ui.widgets.login_dialog import LoginDialog

    async def login(url: str, email: str, password: str) -> InboxClient:
        return await InboxClient.login(url, email, password, data_dir=data_dir,
                                       cache_dir=cache_dir)

    dialog = LoginDialog(login, settings)
    if url:
        dialog.server.setText(url)
    done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: None if done.done() else done.set_result(bool(code)))
    dialog.show()
    accepted = await done
    signed_in = dialog.result_value if accepted else None
    dialog.deleteLater()
    return signed_in if isinstance(signed_in, InboxClient) else None


SIGNAL_CHECK_MS = 250
_CLOSING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def claim_instance(data_dir: Path | None = None) -> SingleInstance | None:
    """Makes this process the one app of the user's data folder (``data_dir``, default the
    platform's); None when another one runs (it was asked to come forward)."""
    folder = Path(data_dir) if data_dir else Path(platformdirs.user_data_dir(APP_NAME))
    instance = SingleInstance(folder)
    if not instance.claim():
        return None
    instance.activated.connect(bring_forward)
    return instance


def run(main: Callable[[], Awaitable[int]], *, language: str | None = None) -> int:
    """Runs ``main`` on a qasync loop over a fresh QApplication; returns its exit code."""
    install_exception_hook()
    app = create_application(language=language)
    # the collector paused for the start-up (cli.begin_start) runs again once the window has
    # painted, and at the latest after this, whatever happens (a login dialog waiting)
    QTimer.singleShot(GC_PAUSE_LIMIT_MS, gc.enable)
    # Ctrl+C in the terminal closes the windows (the Qt loop would otherwise swallow it), and
    # so do `kill` (SIGTERM) and a closed terminal (SIGHUP): the app then ends as when its
    # window is closed (the demo server stopped, its temporary folders removed)
    for number in _CLOSING_SIGNALS:
        signal.signal(number, lambda *_: app.closeAllWindows())
    # Python runs a signal handler only between bytecodes: wake it up now and then
    wake = QTimer(app, interval=SIGNAL_CHECK_MS)
    wake.timeout.connect(lambda: None)
    wake.start()
    loop = qasync.QEventLoop(app)
    loop.set_exception_handler(loop_exception_handler)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(main())
    finally:
        asyncio.set_event_loop(None)
