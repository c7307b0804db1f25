"""Entry points: ``inbox-app`` (the desktop app, ``serve``, ``--demo``) and ``inbox-server``.

The only module that knows both the ui and the server (ARCHITECTURE.md section 2): the
embedded demo starts one beside the other.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from inbox_app import __version__

log = logging.getLogger(__name__)

DEMO_EMAIL = "ana@aurora.example"
DEMO_PASSWORD = "demo1234"
#: seconds between simulated patient messages in the demo
DEMO_INBOUND_SECONDS = 20.0
#: seconds between a demo reply's steps: queued, sent, delivered, read (issue 17)
DEMO_DELIVERY_SECONDS = 1.5
SERVER_START_TIMEOUT = 60.0


def server_main(argv: list[str] | None = None) -> int:
    """``inbox-server``: runs the API server (see ``inbox_app.server.main``), or one of its
    administration subcommands (``inbox_app.server.commands``) without loading the server."""
    from inbox_app.server.commands import run as run_command

    status = run_command(sys.argv[1:] if argv is None else argv)
    if status is not None:
        return status
    from inbox_app.server.main import main as run_server

    return run_server(argv)


# --- the embedded demo server ----------------------------------------------------------


@dataclass
class EmbeddedServer:
    """A server subprocess on loopback and the URL it printed."""

    process: subprocess.Popen[str]
    url: str

    def stop(self, timeout: float = 10.0) -> None:
        """Terminates the server, and kills it if it has not ended after ``timeout``."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)


def server_command(*args: str) -> list[str]:
    """How to run the server as a child process, from source or frozen.

    Frozen by PyInstaller there is no ``python``: the same executable runs the server
    through its ``serve`` subcommand (issue 6).
    """
    if getattr(sys, "frozen", False):
        return [sys.executable, "serve", *args]
    return [sys.executable, "-m", "inbox_app.server", *args]


def start_server(*args: str, timeout: float = SERVER_START_TIMEOUT) -> EmbeddedServer:
    """Starts the server with ``args`` and returns once it printed ``Listening on URL``."""
    command = server_command("--host", "127.0.0.1", "--port", "0", *args)
    log.info("starting the server: %s", " ".join(command))
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=None, text=True, bufsize=1,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
    )
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        # keeps draining stdout for the server's life so it never blocks on a full pipe
        assert process.stdout is not None
        for line in process.stdout:
            if not found and line.startswith("Listening on "):
                found.append(line.removeprefix("Listening on ").strip())
                ready.set()
            log.debug("server: %s", line.rstrip())
        ready.set()

    threading.Thread(target=read, name="server-stdout", daemon=True).start()
    if not ready.wait(timeout) or not found:
        process.kill()
        process.wait()
        raise RuntimeError(
            f"the demo server did not start (exit code {process.returncode}); see its log above"
        )
    return EmbeddedServer(process, found[0])


@contextlib.contextmanager
def demo_server(inbound_seconds: float = DEMO_INBOUND_SECONDS,
                database_dir: Path | None = None) -> Iterator[EmbeddedServer]:
    """A demo server with fresh demo data, stopped when the block ends."""
    with tempfile.TemporaryDirectory(prefix="clinic-inbox-demo-") as tmp:
        folder = database_dir or Path(tmp)
        server = start_server(
            "--database-url", f"sqlite+aiosqlite:///{folder / 'demo.db'}",
            "--demo-data", "--simulate-inbound", str(inbound_seconds),
            "--simulate-delivery", str(DEMO_DELIVERY_SECONDS),
        )
        try:
            yield server
        finally:
            server.stop()


# --- the desktop app -------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inbox-app", description="Clinic Inbox desktop app")
    parser.add_argument("--demo", action="store_true",
                        help="start a local demo server and open the inbox signed in")
    parser.add_argument("--server", metavar="URL", help="the clinic's server URL")
    parser.add_argument("--lang", choices=("pt_BR", "en"),
                        help="language (default: Portuguese on a Portuguese system)")
    parser.add_argument("--inbound-seconds", type=float, default=DEMO_INBOUND_SECONDS,
                        help="demo: seconds between simulated patient messages")
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--exit-when-ready", action="store_true",
                        help="close once the list is shown (smoke tests)")
    parser.add_argument("--verbose", action="store_true")
    # issue 7: idle lock after this many seconds (tests and demos; the setting is in minutes)
    parser.add_argument("--lock-seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--log-dir", type=Path, help=argparse.SUPPRESS)
    # issue 6 (packaging): what an installer or a support call asks an installed app
    parser.add_argument("--version", action="version", version=f"inbox-app {__version__}")
    parser.add_argument("--self-check", action="store_true",
                        help="check this installation (Qt, resources, translations, local "
                             "cache; with --server also the server) and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    """``inbox-app``: the desktop app; ``inbox-app serve …`` runs the server."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "serve":
        return server_main(args[1:])
    options = _parser().parse_args(args)
    if os.name == "posix":
        # issue 7: every file and folder the app (or a library under it) creates is the
        # user's alone, whatever the session's umask
        os.umask(0o077)
    if not options.self_check:
        begin_start()
    from inbox_app.client.logs import logfile

    # console + a file in the user's log folder, with patient data scrubbed (issue 7)
    logfile.configure(logging.DEBUG if options.verbose else logging.INFO,
                      log_dir=options.log_dir)
    if not options.verbose:
        # one line per HTTP request is noise for a receptionist's terminal
        logging.getLogger("httpx").setLevel(logging.WARNING)
    if options.self_check:
        from inbox_app.ui import selfcheck

        return selfcheck.run(options.server, language=options.lang)
    from inbox_app.ui import app as ui

    if options.demo:
        return _run_demo(options)

    async def desktop() -> int:
        # one app per user: a second launch brings the first window forward (issue 12)
        instance = ui.claim_instance(options.data_dir)
        if instance is None:
            print("Clinic Inbox is already open: its window was brought forward.", flush=True)
            return 0
        try:
            return await signed_in()
        finally:
            instance.release()

    async def signed_in() -> int:
        while True:  # signing out offers the sign-in again
            client = await ui.sign_in(options.server, data_dir=options.data_dir,
                                      cache_dir=options.cache_dir)
            if client is None:
                return 1
            signed_out = await ui.run_window(client, exit_when_ready=options.exit_when_ready,
                                             lock_after=options.lock_seconds)
            if not signed_out:
                return 0

    return ui.run(desktop, language=options.lang)


def begin_start() -> None:
    """What the desktop app does before it imports Qt and the window, so that its first
    paint comes sooner (issue 13, tests/benchmarks/bench_ui.py):

    - Python's cyclic garbage collector pauses until the window has painted
      (``ui.app`` resumes it): the start-up allocates hundreds of thousands of objects that
      all live on, and the collector walked them ~190 times (~0.1 s) before the first paint;
      reference counting still frees everything else at once;
    - the client core (pydantic, the contract, the facade) and asyncio are imported before
      Qt: once PySide6 is imported, its import hook reads the source of every module
      imported after it (its ``__feature__`` check, ~40 ms over these), and its look at
      pydantic's lazy attributes can break pydantic's own first import midway;
    - the keyring lookup (~0.3 s, mostly waiting for child processes and files) starts on a
      thread, beside the imports of Qt and the window.
    """
    gc.disable()
    import asyncio  # noqa: F401  (see above: before Qt)

    from inbox_app.client.security.keystore import find_keyring_early  # the client core

    find_keyring_early()


def _run_demo(options: argparse.Namespace) -> int:
    from inbox_app.client import InboxClient
    from inbox_app.ui import app as ui_app

    # issue 12: `kill` (SIGTERM) or a closed terminal (SIGHUP) while the demo server starts
    # still runs the `with` blocks' cleanup (server stopped, temporary folders removed); once
    # the window is up, ui.run closes the window instead
    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, _exit_on_signal)
    with tempfile.TemporaryDirectory(prefix="clinic-inbox-demo-user-") as user_dir, \
            demo_server(options.inbound_seconds) as server:
        print(f"Demo server at {server.url} (signed in as {DEMO_EMAIL})", flush=True)
        data_dir = options.data_dir or Path(user_dir) / "data"
        cache_dir = options.cache_dir or Path(user_dir) / "cache"

        async def demo() -> int:
            client = await InboxClient.login(server.url, DEMO_EMAIL, DEMO_PASSWORD,
                                             data_dir=data_dir, cache_dir=cache_dir)
            await ui_app.run_window(client, exit_when_ready=options.exit_when_ready,
                                    lock_after=options.lock_seconds)
            return 0

        return ui_app.run(demo, language=options.lang)


def _exit_on_signal(number: int, _frame: object) -> None:
    raise SystemExit(128 + number)


def _die_with_parent() -> None:  # pragma: no cover (runs in the child, before exec)
    """Linux: the kernel sends the server SIGTERM when the app that started it is gone,
    also after a kill -9 of the app (issue 12)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


PR_SET_PDEATHSIG = 1


if __name__ == "__main__":
    sys.exit(main())
