"""server/whatsapp/worker.py and outbound.py across processes: a reply in flight when its
server is killed is sent by the restarted server, and two servers on one database (SQLite
file, PostgreSQL) send every reply exactly once.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.server.conftest import sign_in
from tests.server.whatsapp.conftest import (
    AURORA,
    BOA_VISTA,
    message,
    patient_writes,
    reply,
    server_env,
    set_channel,
    until,
)
from tests.server.whatsapp.standin import GraphStandIn
from tests.support import ServerProcess, SqliteTemplates


@pytest.fixture
def graph() -> Iterator[GraphStandIn]:
    standin = GraphStandIn(
        tokens={
            AURORA.phone_number_id: AURORA.access_token,
            BOA_VISTA.phone_number_id: BOA_VISTA.access_token,
        }
    )
    standin.start()
    yield standin
    standin.close()


def test_a_reply_in_flight_when_its_server_dies_is_sent_after_the_restart(
    tmp_path: Path, sqlite_templates: SqliteTemplates, graph: GraphStandIn
) -> None:
    url = sqlite_templates.copy("small", tmp_path / "inbox.db")
    set_channel(url, AURORA)
    # a short lease: the restarted server takes the dead one's reply over soon
    server = ServerProcess(url, env=server_env(graph, INBOX_WHATSAPP_LEASE_SECONDS="2"))
    server.start()
    try:
        ana = sign_in(server, AURORA.email)
        _wa_id, conversation = patient_writes(server, ana)
        arrived, release = graph.hold_next("unavailable")
        created = reply(ana, conversation["id"], "Enviada antes da queda").json()
        assert arrived.wait(20), server.text()
        server.kill()  # kill -9 while the Graph API has not answered
        release.set()
        graph.wait_for(lambda seen: len(seen) == 1)
        server.start()  # the same database, the same port
        ana = sign_in(server, AURORA.email)
        sent = until(
            lambda: message(ana, conversation["id"], created["id"])["delivery"]["state"] == "sent"
        )
        assert sent
    finally:
        server.stop()
    assert [r.status for r in graph.received] == [503, 200]
    assert graph.texts() == ["Enviada antes da queda"]


def two_servers_send_once(url: str, graph: GraphStandIn) -> None:
    set_channel(url, AURORA)
    env = server_env(graph, INBOX_WHATSAPP_POLL_SECONDS="0.1")
    first = ServerProcess(url, env=env).start()
    second = ServerProcess(url, env=env).start()
    try:
        users = [sign_in(first, AURORA.email), sign_in(second, AURORA.email)]
        conversations = [patient_writes(first, users[0])[1]["id"] for _ in range(4)]
        graph.latency = 0.05  # sends overlap: each server holds some while the other claims
        bodies = [f"Resposta {n}" for n in range(24)]

        def send(n: int) -> int:
            answer = reply(users[n % 2], conversations[n % 4], bodies[n])
            assert answer.status_code == 201, answer.text
            return int(answer.json()["id"])

        with ThreadPoolExecutor(6) as pool:
            ids = list(pool.map(send, range(len(bodies))))
        graph.wait_for(lambda seen: len(seen) >= len(bodies))

        def all_sent() -> bool:
            states = [
                message(users[0], conversations[n % 4], ids[n])["delivery"]["state"]
                for n in range(len(bodies))
            ]
            return all(state == "sent" for state in states)

        assert until(all_sent)
    finally:
        first.stop()
        second.stop()
    counts = collections.Counter(graph.texts())
    assert counts == collections.Counter(bodies), counts
    assert all(r.status == 200 for r in graph.received)
    # both instances delivered some: the queue was shared, not split by who took the reply
    assert "whatsapp: reply" in first.text() and "whatsapp: reply" in second.text()


def test_two_servers_on_one_sqlite_file_send_every_reply_once(
    tmp_path: Path, sqlite_templates: SqliteTemplates, graph: GraphStandIn
) -> None:
    two_servers_send_once(sqlite_templates.copy("small", tmp_path / "inbox.db"), graph)


def test_two_servers_on_one_postgresql_send_every_reply_once(
    postgres_demo_url: str, graph: GraphStandIn
) -> None:
    two_servers_send_once(postgres_demo_url, graph)
