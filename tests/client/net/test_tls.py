"""inbox_app/client/net/tls.py and the API client over HTTPS: the OS trust store plus an
optional CA file; an unknown CA is a CertificateError with the reason, never a fallback;
plain HTTP beyond loopback is flagged for confirmation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from inbox_app.client.errors import CertificateError
from inbox_app.client.net import tls
from inbox_app.client.net.api import Api
from inbox_app.client.net.live import LiveListener
from inbox_app.client.views import ConnectionState
from tests.support import ServerProcess


@pytest.fixture(autouse=True)
def fresh_contexts() -> Iterator[None]:
    tls.ssl_context.cache_clear()
    yield
    tls.ssl_context.cache_clear()


async def test_an_unknown_ca_is_refused_and_the_clinics_ca_file_is_trusted(
        server_factory: Callable[..., ServerProcess], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    chain, key, ca_file = tmp_path / "chain.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(chain))
    cert.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(str(ca_file))
    server = server_factory(extra_args=["--ssl-certfile", str(chain), "--ssl-keyfile", str(key)])
    url = f"https://127.0.0.1:{server.port}"
    monkeypatch.delenv(tls.CA_FILE_VARIABLE, raising=False)

    api = Api(url)
    try:
        with pytest.raises(CertificateError, match="certificate could not be verified"):
            await api.login("ana@aurora.example", "demo1234")
    finally:
        await api.close()

    monkeypatch.setenv(tls.CA_FILE_VARIABLE, str(ca_file))
    tls.ssl_context.cache_clear()
    api = Api(url)
    try:
        answer = await api.login("ana@aurora.example", "demo1234")
        assert answer.session.clinic.name == "Clínica Aurora"
    finally:
        await api.close()

    online = asyncio.Event()

    async def ignore(_event: object) -> None:
        return None

    def on_state(state: ConnectionState) -> None:
        if state is ConnectionState.ONLINE:
            online.set()

    listener = LiveListener(url, lambda: answer.token, on_event=ignore, on_state=on_state)
    listener.start()  # wss:// through the same verifying context
    try:
        await asyncio.wait_for(online.wait(), 20)
    finally:
        await listener.close()


def test_plain_http_beyond_this_machine_needs_confirmation() -> None:
    assert tls.needs_confirmation("http://192.168.0.10:8765")
    assert tls.needs_confirmation("http://inbox.clinic.lan")
    assert not tls.needs_confirmation("http://127.0.0.1:8765")
    assert not tls.needs_confirmation("http://localhost:8765")
    assert not tls.needs_confirmation("http://[::1]:8765")
    assert not tls.needs_confirmation("https://192.168.0.10:8765")
    assert tls.with_scheme("inbox.clinic.lan:8765") == "https://inbox.clinic.lan:8765"
    assert tls.with_scheme("127.0.0.1:8765") == "http://127.0.0.1:8765"
    assert tls.with_scheme("http://10.0.0.2") == "http://10.0.0.2"
