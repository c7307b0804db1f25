"""``--ssl-certfile`` / ``--ssl-keyfile`` (and ``INBOX_SSL_*``): the server speaks HTTPS and
WSS itself, with a certificate from a trustme CA (inbox_app/server/main.py, settings.py)."""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import trustme
import websockets

from inbox_app.server.settings import parse_settings
from tests.support import ServerProcess


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[trustme.CA, Path, Path]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    chain, key = tmp_path / "chain.pem", tmp_path / "key.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(chain))
    cert.private_key_pem.write_to_path(str(key))
    return ca, chain, key


async def test_https_and_wss_with_the_clinics_certificate(
        server_factory: Callable[..., ServerProcess],
        certificate: tuple[trustme.CA, Path, Path]) -> None:
    ca, chain, key = certificate
    server = server_factory(env={"INBOX_SSL_CERTFILE": str(chain), "INBOX_SSL_KEYFILE": str(key)})
    assert f"Listening on https://127.0.0.1:{server.port}" in server.text()
    base = f"https://127.0.0.1:{server.port}"
    trusted = ssl.create_default_context()
    ca.configure_trust(trusted)
    async with httpx.AsyncClient(base_url=base, verify=trusted) as http:
        answer = await http.post("/api/auth/login",
                                 json={"email": "ana@aurora.example", "password": "demo1234"})
    assert answer.status_code == 200
    token = answer.json()["token"]
    async with httpx.AsyncClient(base_url=base) as http:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await http.get("/api/health")  # an unknown CA is refused by a normal client
    async with httpx.AsyncClient(base_url=server.url) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/api/health")  # plain HTTP is not served on that port
    async with websockets.connect(f"wss://127.0.0.1:{server.port}/api/live", ssl=trusted,
                                  additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        await ws.send(json.dumps({"type": "hello", "since": 10**9}))
        event = json.loads(await ws.recv())
        assert event["type"] == "resync"


def test_a_certificate_needs_its_key_and_both_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="both"):
        parse_settings(["--ssl-certfile", str(tmp_path / "c.pem")], {})
    with pytest.raises(SystemExit, match="no such file"):
        parse_settings(["--ssl-certfile", str(tmp_path / "c.pem"), "--ssl-keyfile",
                        str(tmp_path / "k.pem")], {})
