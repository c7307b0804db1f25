"""Fixtures shared by every suite: a Redis the tests own, PostgreSQL, offscreen Qt."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from tests.support import (
    RedisProcess,
    ServerProcess,
    SqliteTemplates,
    create_pg_database,
    drop_pg_database,
    missing,
    postgres_available,
)

# Qt tests run offscreen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def redis_proc(tmp_path: Path) -> Iterator[RedisProcess]:
    """A fresh redis-server on a free port, killed after the test."""
    redis = RedisProcess(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.close()


# --- inbox servers (INTERFACES.md section A) ---------------------------------------------


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    """Seeded SQLite files, made once per session; each server starts on a copy."""
    return SqliteTemplates(tmp_path_factory.mktemp("sqlite-templates"))


@pytest.fixture(scope="session")
def _postgres_ok() -> bool:
    return postgres_available()


@pytest.fixture
def postgres_url(_postgres_ok: bool) -> Iterator[str]:
    """A fresh, empty PostgreSQL database on 127.0.0.1:5432 (dropped after the test)."""
    if not _postgres_ok:
        missing("PostgreSQL is not reachable on 127.0.0.1:5432 as user postgres (trust auth)")
    name, url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(name)


@pytest.fixture(scope="session")
def _postgres_demo_template(_postgres_ok: bool) -> Iterator[str | None]:
    """A PostgreSQL database seeded once with small demo data, cloned per test."""
    if not _postgres_ok:
        yield None
        return
    name, url = create_pg_database()
    subprocess.run(
        [sys.executable, "-m", "inbox_app.server", "--database-url", url, "--demo-data",
         "--demo-size", "small", "--init-only"], check=True, capture_output=True, timeout=300,
    )
    try:
        yield name
    finally:
        drop_pg_database(name)


@pytest.fixture
def postgres_demo_url(_postgres_demo_template: str | None) -> Iterator[str]:
    """A fresh PostgreSQL database holding the small demo data (dropped after the test)."""
    if _postgres_demo_template is None:
        missing("PostgreSQL is not reachable on 127.0.0.1:5432 as user postgres (trust auth)")
    assert _postgres_demo_template is not None
    name, url = create_pg_database(template=_postgres_demo_template)
    try:
        yield url
    finally:
        drop_pg_database(name)


@pytest.fixture
def server_factory(
    tmp_path: Path, sqlite_templates: SqliteTemplates
) -> Iterator[Callable[..., ServerProcess]]:
    """``(database_url=None, redis_url=None, demo_size="small", env={}, extra_args=[])``
    -> a started :class:`ServerProcess`; ``database_url=None`` is a fresh SQLite file.
    Every server started here is stopped at the end of the test."""
    started: list[ServerProcess] = []

    def make(
        *, database_url: str | None = None, redis_url: str | None = None,
        demo_size: str | None = "small", env: dict[str, str] | None = None,
        extra_args: list[str] | None = None, start: bool = True,
    ) -> ServerProcess:
        if database_url is None:
            target = tmp_path / f"inbox-{len(started)}.db"
            database_url = (sqlite_templates.copy(demo_size, target) if demo_size
                            else f"sqlite+aiosqlite:///{target}")
        proc = ServerProcess(database_url, redis_url=redis_url, demo_size=demo_size, env=env,
                             extra_args=extra_args)
        started.append(proc)
        return proc.start() if start else proc

    try:
        yield make
    finally:
        for proc in started:
            if proc.proc is not None and proc.proc.poll() is not None:
                # A server that died on its own: its output goes into the test's report.
                print(f"server on port {proc.port} exited by itself "
                      f"(code {proc.proc.returncode}):\n{proc.text()}")
            proc.stop()


@pytest.fixture
def server(server_factory: Callable[..., ServerProcess]) -> ServerProcess:
    """A started server with the small demo data on a fresh SQLite file."""
    return server_factory()


# --- keyrings (issue 7) ------------------------------------------------------------------


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """This machine's situation made explicit: no OS keyring, so the key-file fallback runs."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def file_keyring(tmp_path: Path) -> KeyringBackend:
    """A real file-backed keyring backend (keyrings.alt), its file in tmp."""
    try:
        from keyrings.alt.file import PlaintextKeyring
    except ImportError:
        missing("keyrings.alt is not installed (pip install keyrings.alt: the test extra)")
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    return backend
