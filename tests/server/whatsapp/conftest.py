"""Fixtures of the WhatsApp tests: the Graph API stand-in, and real servers pointed at it
with the demo clinics' channels set through ``inbox-server whatsapp set``."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.server.commands import whatsapp as whatsapp_command
from tests.server.conftest import ApiUser, sign_in
from tests.server.live_support import connect
from tests.server.whatsapp.standin import GraphStandIn, messages_payload, text
from tests.support import ServerProcess, SqliteTemplates, create_pg_database, drop_pg_database


@dataclass(frozen=True)
class Clinic:
    """A demo clinic's WhatsApp channel as the tests set it."""

    name: str
    email: str
    phone_number_id: str
    access_token: str
    app_secret: str
    verify_token: str

    def secrets(self) -> dict[str, str]:
        return {
            "access_token": self.access_token,
            "app_secret": self.app_secret,
            "verify_token": self.verify_token,
        }


AURORA = Clinic(
    "Clínica Aurora",
    "ana@aurora.example",
    "106540352242922",
    "EAAJaurora0token0for0tests",
    "aurora-app-secret-5f1c",
    "aurora-verify-77",
)
BOA_VISTA = Clinic(
    "Clínica Boa Vista",
    "bruno@boavista.example",
    "106540352242923",
    "EAAJboavista0token0for0tests",
    "boavista-app-secret-9d2e",
    "boavista-verify-31",
)

#: short waits, so retries and the other instance's pick-ups take tenths of a second
FAST = {
    "INBOX_WHATSAPP_RETRY_BASE": "0.05",
    "INBOX_WHATSAPP_RETRY_CAP": "0.2",
    "INBOX_WHATSAPP_POLL_SECONDS": "0.5",
}


def set_channel(database_url: str, clinic: Clinic) -> None:
    """``inbox-server whatsapp set`` for ``clinic`` (in process, secrets given)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = whatsapp_command.main(
            [
                "--database-url",
                database_url,
                "set",
                "--clinic",
                clinic.name,
                "--phone-number-id",
                clinic.phone_number_id,
            ],
            secrets=clinic.secrets,
        )
    assert status == 0, out.getvalue()


def server_env(graph: GraphStandIn, **extra: str) -> dict[str, str]:
    return {"INBOX_GRAPH_API_URL": graph.url, **FAST, **extra}


@pytest.fixture(scope="module")
def graph() -> Iterator[GraphStandIn]:
    standin = GraphStandIn(
        tokens={
            AURORA.phone_number_id: AURORA.access_token,
            BOA_VISTA.phone_number_id: BOA_VISTA.access_token,
        }
    )
    standin.start()
    try:
        yield standin
    finally:
        standin.close()


@pytest.fixture(autouse=True)
def _fresh_standin(graph: GraphStandIn) -> None:
    """Each test sees only the requests its own replies made."""
    graph.reset()


@contextlib.contextmanager
def channel_server(
    backend: str,
    folder: Path,
    sqlite_templates: SqliteTemplates,
    postgres_demo_template: str | None,
    graph: GraphStandIn,
) -> Iterator[ServerProcess]:
    """A server with small demo data on ``backend``, both demo clinics' channels set, its
    Graph API the stand-in."""
    from tests.support import missing

    pg_name = None
    if backend == "sqlite":
        url = sqlite_templates.copy("small", folder / "inbox.db")
    else:
        if postgres_demo_template is None:
            missing("PostgreSQL is not reachable on 127.0.0.1:5432 as user postgres")
        pg_name, url = create_pg_database(template=postgres_demo_template)
    for clinic in (AURORA, BOA_VISTA):
        set_channel(url, clinic)
    proc = ServerProcess(url, env=server_env(graph))
    try:
        proc.start()
        yield proc
    finally:
        proc.stop()
        if pg_name:
            drop_pg_database(pg_name)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def wa_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_templates: SqliteTemplates,
    _postgres_ok: bool,
    _postgres_demo_template: str | None,
    graph: GraphStandIn,
) -> Iterator[ServerProcess]:
    """One server per module and backend, channels set, pointed at the stand-in."""
    with channel_server(
        request.param,
        tmp_path_factory.mktemp("wa"),
        sqlite_templates,
        _postgres_demo_template if _postgres_ok else None,
        graph,
    ) as proc:
        yield proc


@pytest.fixture(scope="module")
def ana(wa_server: ServerProcess) -> Iterator[ApiUser]:
    user = sign_in(wa_server, AURORA.email)
    yield user
    user.close()


_PHONES = iter(range(10**8))


def new_wa_id() -> str:
    """A Brazilian mobile number in WhatsApp's form (digits, country code first), new to
    the demo data."""
    return f"55119{next(_PHONES) + 10**7:08d}"


def patient_writes(
    server: ServerProcess,
    user: ApiUser,
    body: str = "Oi, bom dia!",
    clinic: Clinic = AURORA,
    name: str | None = "Maria Teste",
) -> tuple[str, dict[str, Any]]:
    """A new patient writes to ``clinic`` on WhatsApp: (their wa_id, the conversation)."""
    wa_id = new_wa_id()
    answer = GraphStandIn.notify(
        server.url,
        messages_payload(clinic.phone_number_id, wa_id, name, text(body)),
        clinic.app_secret,
    )
    assert answer.status_code == 200, answer.text
    return wa_id, conversation_of(user, wa_id)


def conversation_of(user: ApiUser, wa_id: str) -> dict[str, Any]:
    found = [c for c in user.conversations() if c["patient_phone"] == "+" + wa_id]
    assert len(found) == 1, found
    return found[0]


def reply(user: ApiUser, conversation_id: int, body: str) -> httpx.Response:
    return user.http.post(f"/api/conversations/{conversation_id}/messages", json={"body": body})


def message(user: ApiUser, conversation_id: int, message_id: int) -> dict[str, Any]:
    found = [m for m in user.detail(conversation_id)["messages"] if m["id"] == message_id]
    assert len(found) == 1
    return found[0]


def until(condition: Callable[[], Any], within: float = 20.0) -> Any:
    """Polls a condition on the server process (no signal crosses the process boundary)."""
    import time

    deadline = time.monotonic() + within
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)
    return value


@contextlib.asynccontextmanager
async def live(server: ServerProcess, user: ApiUser) -> AsyncIterator[Any]:
    """A live socket of ``user``, caught up (past the replay)."""
    async with contextlib.AsyncExitStack() as stack:
        ws = await connect(server.ws_url, user.token, since=None)
        stack.push_async_callback(ws.close)
        seq = 0
        async with asyncio.timeout(10):
            hello = await connect(server.ws_url, user.token, since=10**9)  # learn the seq
            while True:
                frame = LiveEvent.model_validate_json(await hello.recv())
                if frame.type is EventType.READY:
                    seq = frame.seq
                    break
            await hello.close()
        await ws.send(f'{{"type": "hello", "since": {seq}}}')
        yield ws
