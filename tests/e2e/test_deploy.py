"""The README's recipes for running the server for a clinic, exercised here.

One machine: the systemd unit in resources/deploy/ passes ``systemd-analyze verify``; the
server started the way it says (its environment and arguments) on an empty SQLite file
prints the first-user commands, the README's admin commands create the clinic and user who
then signs in, and ``inbox-server backup`` copies it. Several instances: the shared webhook
secret is required once Redis is configured, and with it a webhook through one instance
reaches a live socket on the other.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import trustme
import websockets

from tests.server.live_support import connect, next_event
from tests.support import (
    RedisProcess,
    ServerProcess,
    free_port,
    login,
    missing,
    wait_for_port,
)

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "resources" / "deploy" / "inbox-server.service"


def unit_settings() -> tuple[dict[str, str], list[str]]:
    """The unit's ``Environment=`` variables and its ``ExecStart`` arguments."""
    env: dict[str, str] = {}
    args: list[str] = []
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line.startswith("Environment="):
            key, _, value = line.removeprefix("Environment=").partition("=")
            env[key] = value
        elif line.startswith("ExecStart="):
            command = line.removeprefix("ExecStart=").split()
            assert command[0].endswith("/inbox-server")
            args = command[1:]
    return env, args


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Running it for a clinic", 1)[1].split("\n## ", 1)[0]


def test_the_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        missing("systemd-analyze is not installed (Debian package: systemd)")
    # verify needs the executable to exist and the user to be known: point it at this venv
    text = UNIT.read_text(encoding="utf-8").replace(
        "/opt/clinic-inbox/.venv/bin/inbox-server", str(Path(sys.executable).parent /
                                                        "inbox-server"))
    text = re.sub(r"^(User|Group)=.*$", "", text, flags=re.M)
    copy = tmp_path / "inbox-server.service"
    copy.write_text(text, encoding="utf-8")
    checked = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True,
                             timeout=60)
    assert (checked.returncode, checked.stderr) == (0, "")


def test_one_machine_as_the_unit_and_the_readme_say(
        server_factory: Callable[..., ServerProcess], tmp_path: Path) -> None:
    env, args = unit_settings()
    assert env["INBOX_DATABASE_URL"].startswith("sqlite:////var/lib/clinic-inbox/")
    url = f"sqlite:///{tmp_path / 'inbox.db'}"
    env = {**env, "INBOX_DATABASE_URL": url}
    server = server_factory(database_url=url, demo_size=None, env=env, extra_args=args)
    assert "inbox-server admin --database-url" in server.text()  # the first-user hint

    section = readme_section()
    for command in ("add-clinic", "add-user", "backup"):
        assert f"inbox-server {command}" in section or f" {command} " in section, command
    base = [sys.executable, "-m", "inbox_app.server"]
    subprocess.run([*base, "admin", "--database-url", url, "add-clinic", "Clínica Sol"],
                   check=True, capture_output=True, timeout=120)
    subprocess.run([*base, "admin", "--database-url", url, "add-user", "--clinic",
                    "Clínica Sol", "--name", "Rita", "--email", "rita@sol.example", "--role",
                    "admin"], input="a good password\n", text=True, check=True,
                   capture_output=True, timeout=120)
    _token, session = login(server.url, "rita@sol.example", "a good password")
    assert session["clinic"]["name"] == "Clínica Sol"
    copy = tmp_path / "inbox-backup.db"
    subprocess.run([*base, "backup", str(copy), "--database-url", url], check=True,
                   capture_output=True, timeout=120)
    assert copy.stat().st_size > 0
    # the unit's --log-format json: the server's log lines are JSON objects
    logs = [line for line in server.output if line.startswith("{")]
    assert logs and all(json.loads(line)["level"] for line in logs)


def test_instances_sharing_redis_need_the_shared_webhook_secret(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'inbox.db'}"
    refused = subprocess.run(
        [sys.executable, "-m", "inbox_app.server", "--database-url", url, "--redis-url",
         "redis://127.0.0.1:6399/0", "--init-only"], capture_output=True, text=True,
        timeout=120, env={k: v for k, v in os.environ.items()
                          if k != "INBOX_WEBHOOK_SECRET"})
    assert refused.returncode == 2
    assert "set INBOX_WEBHOOK_SECRET to one shared value" in refused.stderr


def nginx_config(folder: Path, port: int, upstreams: list[str], cert: Path, key: Path) -> Path:
    """The README's nginx block, pointed at these instances and this certificate, in a
    configuration nginx runs from ``folder`` as this user."""
    block = re.search(r"```nginx\n(.+?)\n```", readme_section(), flags=re.S)
    assert block, "the README's several-instances recipe has no nginx block"
    site = block.group(1)
    site = re.sub(r"upstream inbox \{[^}]*\}",
                  "upstream inbox { " + " ".join(f"server {u};" for u in upstreams) + " }",
                  site)
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl; "
                        f"ssl_certificate {cert}; ssl_certificate_key {key};")
    temp = " ".join(f"{name}_temp_path {folder / name};"
                    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(f"daemon off; pid {folder / 'nginx.pid'}; error_log {folder / 'error.log'};\n"
                    f"events {{}}\nhttp {{ access_log off; {temp}\n{site}\n}}\n",
                    encoding="utf-8")
    return conf


@pytest.mark.redis
async def test_several_instances_share_the_database_redis_and_the_webhook_secret(
        server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess,
        postgres_demo_url: str, tmp_path: Path) -> None:
    shared = {"INBOX_WEBHOOK_SECRET": "one-secret-for-all", "INBOX_METRICS_TOKEN": "scrape"}
    a, b = (server_factory(database_url=postgres_demo_url, redis_url=redis_proc.url,
                           demo_size=None, env=shared) for _ in range(2))
    token, session = login(b.url, "ana@aurora.example")
    ws = await connect(b.ws_url, token, since=10**9)
    try:
        assert (await next_event(ws)).type == "resync"
        async with httpx.AsyncClient(base_url=a.url, timeout=15) as http:
            answer = await http.post(
                "/api/inbound", headers={"X-Webhook-Secret": "one-secret-for-all"},
                json={"clinic_id": session["clinic"]["id"], "phone": "+55 11 90000-0001",
                      "name": "Paciente Novo", "body": "Olá"})
        assert answer.status_code in (200, 201), answer.text
        event = await next_event(ws)  # written through A, delivered by B
        assert event.clinic_id == session["clinic"]["id"]
    finally:
        await ws.close()
    await through_the_readmes_proxy([a, b], token, tmp_path)


@contextlib.contextmanager
def readme_proxy(instances: list[ServerProcess], folder: Path
                 ) -> Iterator[tuple[str, ssl.SSLContext]]:
    """nginx set up as the README says, in front of ``instances``: (base URL, trust)."""
    nginx = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if nginx is None:
        missing("nginx is not installed (Debian package: nginx-light)")
    assert nginx is not None
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1")
    cert, key = folder / "proxy.pem", folder / "proxy.key"
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    port = free_port()
    conf = nginx_config(folder, port, [f"127.0.0.1:{i.port}" for i in instances], cert, key)
    proxy = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        trusted = ssl.create_default_context()
        ca.configure_trust(trusted)
        yield f"https://127.0.0.1:{port}", trusted
    finally:
        proxy.terminate()
        proxy.wait(15)


async def through_the_readmes_proxy(instances: list[ServerProcess], token: str,
                                    folder: Path) -> None:
    """HTTPS, the WebSocket upgrade and request ids through nginx as the README sets it up."""
    with readme_proxy(instances, folder) as (base, trusted):
        async with httpx.AsyncClient(base_url=base, verify=trusted, timeout=15) as http:
            ready = await http.get("/api/health/ready")
            assert ready.status_code == 200, ready.text
            assert re.fullmatch(r"[0-9a-f]{32}", ready.headers["X-Request-Id"])  # nginx's id
            session = await http.get("/api/session",
                                     headers={"Authorization": f"Bearer {token}"})
            assert session.status_code == 200
        ws_base = base.replace("https://", "wss://")
        async with websockets.connect(f"{ws_base}/api/live", ssl=trusted,
                                      additional_headers={"Authorization": f"Bearer {token}"}
                                      ) as ws:
            await ws.send(json.dumps({"type": "hello", "since": 10**9}))
            assert json.loads(await ws.recv())["type"] == "resync"
