"""Tests for inbox_app/client/inbox.py reads: fresh, stale, offline, max-stale (real server)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from inbox_app.client import ConnectionState, InboxClient, NotAvailableOffline
from inbox_app.client.reads.prefetch import PrefetchSettings
from tests.client.conftest import ClientFactory, wait_state
from tests.support import ServerProcess


async def test_offline_reading_serves_everything_seen_as_stale_with_age(
        server: ServerProcess, make_client: ClientFactory, tmp_path: Path) -> None:
    # no prefetch: what is read here is what was seen (tests/client/reads/test_prefetch.py
    # shows prefetched conversations read the same way offline)
    client, recorder = await make_client(server.url,
                                         prefetch=PrefetchSettings(enabled=False))
    await wait_state(recorder, "online")
    inbox = await client.conversations()
    assert not inbox.stale and not inbox.offline and len(inbox.value) > 5
    first, unseen = inbox.value[0].summary, inbox.value[1].summary
    detail = await client.conversation(first.id)
    patient = await client.patient(first.patient_id)
    assert not detail.stale and patient.value.id == first.patient_id

    await asyncio.to_thread(server.stop)
    await wait_state(recorder, "offline")
    assert client.connection is ConnectionState.OFFLINE
    for read, online in ((client.conversations(), inbox), (client.conversation(first.id), detail),
                         (client.patient(first.patient_id), patient)):
        snap = await read
        assert snap.stale and snap.offline
        # the data of the online read, aged since then: not re-stamped by the offline read
        assert snap.fetched_at == online.fetched_at
    assert (await client.conversation(first.id)).value.summary.id == first.id
    with pytest.raises(NotAvailableOffline, match="not available offline"):
        await client.conversation(unseen.id)
    metrics = client.metrics()
    assert metrics["conversation_detail"]["stale_hits"] >= 2
    assert metrics["conversation_detail"]["misses"] >= 2

    # a restart of the app while the server is still down: the disk copy is served
    await client.close()
    again = await InboxClient.resume(server.url, data_dir=tmp_path / "client" / "data",
                                     cache_dir=tmp_path / "client" / "cache")
    assert again is not None
    try:
        snap = await again.conversations()
        assert snap.stale and [v.id for v in snap.value] == [v.id for v in inbox.value]
        assert (await again.patient(first.patient_id)).value.name == patient.value.name
    finally:
        await again.close()


async def test_fresh_reads_skip_the_network_and_trust_returns_with_the_connection(
        server: ServerProcess, make_client: ClientFactory) -> None:
    client, recorder = await make_client(server.url)
    await wait_state(recorder, "online")
    first = (await client.conversations()).value[0].summary
    await client.conversation(first.id)
    snap = await client.conversation(first.id)
    assert not snap.stale
    assert client.metrics()["conversation_detail"]["fresh_hits"] == 1

    await asyncio.to_thread(server.stop)
    await wait_state(recorder, "offline")
    assert (await client.conversation(first.id)).stale
    mark = recorder.mark()
    await asyncio.to_thread(server.start)
    await recorder.wait(lambda c: c.cause == "connection" and c.reason == "online", after=mark)
    # the reconnect replayed whatever was missed (nothing here): the entry is fresh again
    snap = await client.conversation(first.id)
    assert not snap.stale and not snap.offline


async def test_max_stale_limits_offline_reading(server: ServerProcess,
                                                make_client: ClientFactory) -> None:
    client, recorder = await make_client(server.url, max_stale=0.0)
    await wait_state(recorder, "online")
    assert not (await client.conversations()).stale
    await asyncio.to_thread(server.stop)
    await wait_state(recorder, "offline")
    with pytest.raises(NotAvailableOffline):
        await client.conversations()
