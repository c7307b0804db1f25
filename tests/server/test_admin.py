"""inbox_app/server/commands/admin.py and db/accounts.py: every ``inbox-server admin`` command,
its bad input, the first-user hint of a server on an empty database, and a disabled user's
token and live socket dying on another instance at once.

The commands run in-process (``admin.main``) with a real stdin stream; one run goes through
a real terminal (a pty) for the asked-twice password.
"""

from __future__ import annotations

import asyncio
import io
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from inbox_app.contract.events import CLOSE_UNAUTHORIZED
from inbox_app.server.commands import admin
from tests.server.live_support import closed_with, connect
from tests.support import RedisProcess, ServerProcess, login

PASSWORD = "correct horse"


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str,
        *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = admin.main(["--database-url", url, *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_every_command_on_a_new_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        server_factory: Callable[..., ServerProcess]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'clinic.db'}"
    server = server_factory(database_url=url, demo_size=None)
    assert "inbox-server admin --database-url" in server.text()
    assert "add-clinic" in server.text() and "add-user" in server.text()

    assert run(monkeypatch, capsys, url, "add-clinic", "Clínica Sol")[0] == 0
    status, out, _ = run(monkeypatch, capsys, url, "add-user", "--clinic", "Clínica Sol",
                         "--name", "Rita", "--email", "Rita@Sol.example", "--role", "admin",
                         stdin=PASSWORD + "\n")
    assert status == 0 and "rita@sol.example (admin)" in out
    assert run(monkeypatch, capsys, url, "add-user", "--clinic", "1", "--name", "Joana",
               "--email", "joana@sol.example", stdin=PASSWORD + "\n")[0] == 0
    _, session = login(server.url, "rita@sol.example", PASSWORD)
    assert session["clinic"]["name"] == "Clínica Sol" and session["user"]["role"] == "admin"

    status, out, _ = run(monkeypatch, capsys, url, "list-users", "--clinic", "Clínica Sol")
    assert status == 0
    assert [line.split("\t")[2:5] for line in out.strip().splitlines()[1:]] == [
        ["joana@sol.example", "receptionist", "active"],
        ["rita@sol.example", "admin", "active"]]

    assert run(monkeypatch, capsys, url, "disable", "joana@sol.example")[0] == 0
    assert "disabled" in run(monkeypatch, capsys, url, "list-users")[1]
    with pytest.raises(httpx.HTTPStatusError):
        login(server.url, "joana@sol.example", PASSWORD)
    assert run(monkeypatch, capsys, url, "enable", "joana@sol.example")[0] == 0
    login(server.url, "joana@sol.example", PASSWORD)

    assert run(monkeypatch, capsys, url, "reset-password", "joana@sol.example",
               stdin="another secret\n")[0] == 0
    with pytest.raises(httpx.HTTPStatusError):
        login(server.url, "joana@sol.example", PASSWORD)
    login(server.url, "joana@sol.example", "another secret")


def test_bad_input_is_refused_with_a_clear_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'clinic.db'}"
    assert run(monkeypatch, capsys, url, "add-clinic", "Sol")[0] == 0
    assert run(monkeypatch, capsys, url, "add-clinic", "Sol")[2].strip().endswith(
        "a clinic named 'Sol' already exists")
    user = ["add-user", "--clinic", "Sol", "--name", "Rita", "--email", "rita@sol.example"]
    assert run(monkeypatch, capsys, url, *user, stdin=PASSWORD + "\n")[0] == 0
    cases = {
        "a user with the e-mail rita@sol.example already exists":
            (["add-user", "--clinic", "Sol", "--name", "R", "--email", "RITA@sol.example"],
             PASSWORD),
        "the password is empty": ([*user[:-1], "nova@sol.example"], ""),
        "the password is shorter than 8 characters": ([*user[:-1], "nova@sol.example"], "abc"),
        "no user with the e-mail nobody@sol.example": (["disable", "nobody@sol.example"], ""),
        "no clinic 'Lua'": (["add-user", "--clinic", "Lua", "--name", "R", "--email",
                             "r@lua.example"], PASSWORD),
        "not an e-mail address: 'rita'": ([*user[:-1], "rita"], PASSWORD),
    }
    for message, (args, password) in cases.items():
        status, out, err = run(monkeypatch, capsys, url, *args, stdin=password + "\n")
        assert (status, out) == (1, ""), (message, err)
        assert message in err, err
    users = run(monkeypatch, capsys, url, "list-users")[1].strip().splitlines()
    assert len(users) == 2  # the header and Rita: nothing was half-added
    with pytest.raises(SystemExit):  # a role that does not exist: argparse's own error
        run(monkeypatch, capsys, url, *user[:-1], "x@sol.example", "--role", "owner")


def test_on_a_terminal_the_password_is_asked_twice_without_echo(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'clinic.db'}"
    base = [sys.executable, "-m", "inbox_app.server", "admin", "--database-url", url]
    subprocess.run([*base, "add-clinic", "Sol"], check=True, capture_output=True, timeout=120)

    def add(email: str, first: str, second: str) -> tuple[int, str]:
        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [*base, "add-user", "--clinic", "Sol", "--name", "Rita", "--email", email],
            stdin=follower, stdout=follower, stderr=follower, start_new_session=True)
        os.close(follower)
        seen = b""

        def read_until(marker: bytes | None) -> None:
            # getpass flushes typed-ahead input when it turns echo off: answer each prompt
            nonlocal seen
            while marker is None or marker not in seen:
                ready, _, _ = select.select([leader], [], [], 120)
                assert ready, f"no {marker!r} in {seen!r}"
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # EIO: the child closed the terminal
                    return
                if not chunk:
                    return
                seen += chunk

        read_until(b"Password: ")
        os.write(leader, f"{first}\n".encode())
        read_until(b"again: ")
        os.write(leader, f"{second}\n".encode())
        read_until(None)
        os.close(leader)
        return proc.wait(timeout=120), seen.decode(errors="replace")

    status, text = add("rita@sol.example", PASSWORD, "something else")
    assert status == 1 and "the two passwords differ" in text
    status, text = add("rita@sol.example", PASSWORD, PASSWORD)
    assert status == 0 and "Added user" in text
    assert PASSWORD not in text  # never echoed


@pytest.mark.redis
async def test_a_disabled_users_token_and_socket_die_at_once_on_another_instance(
        server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess,
        postgres_demo_url: str) -> None:
    a, b = (server_factory(database_url=postgres_demo_url, redis_url=redis_proc.url,
                           demo_size=None, env={"INBOX_WEBHOOK_SECRET": "shared"})
            for _ in range(2))
    token, _ = login(a.url, "ana@aurora.example")
    auth = {"Authorization": f"Bearer {token}"}
    ws_b = await connect(b.ws_url, token)
    try:
        async with httpx.AsyncClient(base_url=b.url, timeout=10, headers=auth) as on_b:
            assert (await on_b.get("/api/session")).status_code == 200  # B trusts it now
            status = await asyncio.to_thread(
                admin.main, ["--database-url", postgres_demo_url, "--redis-url",
                             redis_proc.url, "disable", "ana@aurora.example"])
            assert status == 0
            # within the token memo's 5 s only the revocation makes B close and forget it
            assert (await closed_with(ws_b))[0] == CLOSE_UNAUTHORIZED
            assert (await on_b.get("/api/session")).status_code == 401
        async with httpx.AsyncClient(base_url=a.url, timeout=10, headers=auth) as on_a:
            assert (await on_a.get("/api/session")).status_code == 401
    finally:
        await ws_b.close()
