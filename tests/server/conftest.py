"""Fixtures of the server suite: a server per module and backend, and signed-in users.

Most tests share one server per module and backend (SQLite, PostgreSQL) and pick their own
conversation, so the suite stays quick; tests that need a fresh or specially configured
server use ``server_factory``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from inbox_app.server.cache.aside import Cache
from tests.support import (
    RedisProcess,
    ServerProcess,
    SqliteTemplates,
    create_pg_database,
    drop_pg_database,
    login,
    missing,
)

AURORA = "ana@aurora.example"
AURORA_2 = "carla@aurora.example"
BOA_VISTA = "bruno@boavista.example"


@dataclass
class ApiUser:
    """A signed-in user with a plain httpx client (sync) on a real server."""

    server: ServerProcess
    email: str
    token: str
    session: dict[str, Any]
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            base_url=self.server.url, timeout=15,
            headers={"Authorization": f"Bearer {self.token}"},
        )

    @property
    def clinic_id(self) -> int:
        return self.session["clinic"]["id"]

    @property
    def user_id(self) -> int:
        return self.session["user"]["id"]

    def conversations(self) -> list[dict[str, Any]]:
        answer = self.http.get(f"/api/clinics/{self.clinic_id}/conversations")
        assert answer.status_code == 200, answer.text
        return answer.json()["items"]

    def detail(self, conversation_id: int) -> dict[str, Any]:
        answer = self.http.get(f"/api/conversations/{conversation_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def close(self) -> None:
        self.http.close()


def sign_in(server: ServerProcess, email: str) -> ApiUser:
    token, session = login(server.url, email)
    return ApiUser(server, email, token, session)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
    sqlite_templates: SqliteTemplates, _postgres_ok: bool,
    _postgres_demo_template: str | None,
) -> Iterator[ServerProcess]:
    """One server with small demo data per test module, on SQLite and on PostgreSQL."""
    with demo_server(request.param, tmp_path_factory.mktemp("db"), sqlite_templates,
                     _postgres_demo_template if _postgres_ok else None) as proc:
        yield proc


@contextlib.contextmanager
def demo_server(
    backend: str, folder: Path, sqlite_templates: SqliteTemplates,
    postgres_demo_template: str | None, *, env: dict[str, str] | None = None,
) -> Iterator[ServerProcess]:
    """A started server with small demo data on ``backend`` ("sqlite" or "postgres"): a
    copy of the seeded SQLite template in ``folder``, or a clone of the seeded PostgreSQL
    database, dropped afterwards."""
    pg_name = None
    if backend == "sqlite":
        url = sqlite_templates.copy("small", folder / "inbox.db")
    else:
        if postgres_demo_template is None:
            missing("PostgreSQL is not reachable on 127.0.0.1:5432 as user postgres")
        pg_name, url = create_pg_database(template=postgres_demo_template)
    proc = ServerProcess(url, env=env)
    try:
        proc.start()
        yield proc
    finally:
        proc.stop()
        if pg_name:
            drop_pg_database(pg_name)


@pytest.fixture(scope="module")
def aurora(shared_server: ServerProcess) -> Iterator[ApiUser]:
    """Ana, receptionist of Clínica Aurora."""
    user = sign_in(shared_server, AURORA)
    yield user
    user.close()


@pytest.fixture(scope="module")
def boa_vista(shared_server: ServerProcess) -> Iterator[ApiUser]:
    """Bruno, receptionist of Clínica Boa Vista (the other clinic)."""
    user = sign_in(shared_server, BOA_VISTA)
    yield user
    user.close()


class ConversationPicker:
    """Hands each test its own conversation of a clinic, so shared-server tests never
    step on each other's state."""

    def __init__(self) -> None:
        self.used: set[int] = set()

    def take(self, user: ApiUser, **where: Any) -> dict[str, Any]:
        for item in user.conversations():
            if item["id"] in self.used:
                continue
            if all(item.get(k) == v for k, v in where.items()):
                self.used.add(item["id"])
                return item
        raise AssertionError(f"no unused conversation with {where}")


@pytest.fixture(scope="module")
def picker(shared_server: ServerProcess) -> ConversationPicker:
    return ConversationPicker()


# --- the server cache against a real Redis (test_cache, test_cache_faults, test_patching) --


@pytest.fixture
async def raw(redis_proc: RedisProcess) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_proc.url)
    yield client
    await client.aclose()


@pytest.fixture
async def cache(redis_proc: RedisProcess) -> AsyncIterator[Cache]:
    cache = await Cache.create(redis_proc.url, verbose=True, cooldown=0.05)
    yield cache
    await cache.close()
