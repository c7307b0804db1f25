"""Helpers shared by the test suites: free ports, required tools, a Redis the tests own.

Tests talk to real parts (ARCHITECTURE.md, standards). A part that is missing on this machine
makes its tests skip with a reason naming what to install, and fail instead under ``CI=true``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any, NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str) -> NoReturn:
    """Skip the test (or fail it under CI=true) because a real part is missing."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0, host: str = "127.0.0.1") -> None:
    """Blocks until something accepts connections on ``port`` (startup of a subprocess)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {host}:{port} after {timeout} s") from None
            time.sleep(0.02)  # polling a port another process opens: no event to await


class RedisProcess:
    """A ``redis-server`` of the tests' own on a free port: they can kill, stop, restart it."""

    def __init__(self, tmp: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            missing("redis-server is not installed (Debian package: redis-server)")
        self.binary = binary
        self.dir = tmp
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections but nothing answers (a hung Redis)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        self.kill()
        self.start()

    def close(self) -> None:
        if self.proc is not None:
            self.resume()
            self.kill()


# --- a real inbox server in a subprocess (INTERFACES.md section A) ----------------------

DEMO_PASSWORD = "demo1234"
_LISTENING = re.compile(r"Listening on (https?://[\d.]+:(\d+))")


class ServerProcess:
    """``python -m inbox_app.server`` on loopback; tests can stop, kill -9 and restart it.

    ``start()`` returns once the server printed ``Listening on …`` (it accepts connections
    then). Its output (stdout and stderr) is kept in ``.output`` for failure messages.
    """

    def __init__(
        self,
        database_url: str,
        *,
        redis_url: str | None = None,
        demo_size: str | None = "small",
        env: dict[str, str] | None = None,
        extra_args: list[str] | None = None,
        port: int = 0,
    ) -> None:
        self.database_url = database_url
        self.redis_url = redis_url
        self.demo_size = demo_size
        self.env = dict(env or {})
        self.extra_args = list(extra_args or [])
        self.port = port
        self.proc: subprocess.Popen[str] | None = None
        self.output: list[str] = []
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/live"

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "inbox_app.server", "--host", "127.0.0.1",
               "--port", str(self.port), "--database-url", self.database_url]
        if self.redis_url:
            cmd += ["--redis-url", self.redis_url]
        if self.demo_size:
            cmd += ["--demo-data", "--demo-size", self.demo_size]
        return cmd + self.extra_args

    def start(self, timeout: float = 60.0) -> ServerProcess:
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("server already running")
        self._ready.clear()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        if self.redis_url:
            # instances sharing Redis must share the webhook secret (the server refuses a
            # random per-process one then)
            env.setdefault("INBOX_WEBHOOK_SECRET", "tests-shared-webhook-secret")
        self.proc = subprocess.Popen(
            self.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=env, encoding="utf-8", errors="replace",
        )
        threading.Thread(target=self._pump, args=(self.proc,), daemon=True).start()
        if not self._ready.wait(timeout) or self.proc.poll() is not None:
            output = self.text()
            self.kill()
            raise RuntimeError(f"inbox server did not start:\n{output}")
        return self

    def _pump(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.output.append(line)
            match = _LISTENING.search(line)
            if match:
                self.port = int(match.group(2))
                self._ready.set()
        self._ready.set()  # exited: wake start() so it reports the output at once

    def text(self) -> str:
        return "".join(self.output[-200:])

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM and wait (SIGKILL if it does not stop in time)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def kill(self) -> None:
        """SIGKILL (no cleanup), like a crash."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None

    def restart(self) -> ServerProcess:
        """Stops (if running) and starts again on the same port and database."""
        self.stop()
        return self.start()


def login(server_url: str, email: str, password: str = DEMO_PASSWORD) -> tuple[str, dict]:
    """Logs in with plain httpx: ``(token, session JSON)``; raises on a non-200."""
    import httpx

    answer = httpx.post(f"{server_url}/api/auth/login",
                        json={"email": email, "password": password}, timeout=10)
    answer.raise_for_status()
    body = answer.json()
    return body["token"], body["session"]


class SqliteTemplates:
    """One seeded SQLite file per demo size per test session; servers start on copies."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[str, Path] = {}
        self._lock = threading.Lock()

    def copy(self, demo_size: str, target: Path) -> str:
        with self._lock:
            template = self._made.get(demo_size)
            if template is None:
                template = self.folder / f"template-{demo_size}.db"
                subprocess.run(
                    [sys.executable, "-m", "inbox_app.server", "--database-url",
                     f"sqlite+aiosqlite:///{template}", "--demo-data", "--demo-size",
                     demo_size, "--init-only"],
                    check=True, capture_output=True, timeout=300,
                )
                self._made[demo_size] = template
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)
        return f"sqlite+aiosqlite:///{target}"


POSTGRES_ADMIN_DSN = os.environ.get(
    "INBOX_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _pg_admin(statement: str) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


def postgres_available() -> bool:
    try:
        _pg_admin("SELECT 1")
    except Exception:
        return False
    return True


def pg_url(name: str) -> str:
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


def create_pg_database(template: str | None = None) -> tuple[str, str]:
    """A fresh database (optionally cloned from ``template``): ``(name, async URL)``."""
    name = f"inbox_test_{uuid.uuid4().hex[:12]}"
    clause = f" TEMPLATE {template}" if template else ""
    _pg_admin(f'CREATE DATABASE "{name}"{clause}')
    return name, pg_url(name)


def drop_pg_database(name: str) -> None:
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_cache_keys(store: Any, key: str) -> list[bytes]:
    """The Redis keys under which running servers keep cache ``key`` (a glob pattern
    allowed): each server's keys carry its database's identity (server/db/identity.py)."""
    return store.keys("db:" + "?" * 32 + ":" + key)
