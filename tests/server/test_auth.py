"""Auth (inbox_app/server/auth.py): argon2id-hashed passwords, hashed random tokens that expire
and die at logout."""

from __future__ import annotations

import sqlite3

import httpx

from inbox_app.contract.events import CLOSE_UNAUTHORIZED
from inbox_app.contract.models import LoginAnswer
from inbox_app.server.auth import hash_password, token_hash, verify_password
from tests.server.conftest import sign_in
from tests.server.live_support import closed_with, connect
from tests.support import ServerProcess


def test_password_hash_round_trip_and_salt() -> None:
    one, two = hash_password("demo1234"), hash_password("demo1234")
    assert one.startswith("$argon2id$") and one != two  # random salt
    assert verify_password("demo1234", one)
    assert not verify_password("demo12345", one)
    assert not verify_password("demo1234", "garbage")


def test_login_logout_and_the_token_dies(server: ServerProcess) -> None:
    answer = httpx.post(f"{server.url}/api/auth/login",
                        json={"email": "  ANA@aurora.example ", "password": "demo1234"})
    assert answer.status_code == 200
    login = LoginAnswer.model_validate_json(answer.content)
    assert len(login.token) >= 40
    headers = {"Authorization": f"Bearer {login.token}"}
    assert httpx.get(f"{server.url}/api/session", headers=headers).status_code == 200
    assert httpx.post(f"{server.url}/api/auth/logout", headers=headers).status_code == 204
    after = httpx.get(f"{server.url}/api/session", headers=headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "unauthorized"
    assert httpx.post(f"{server.url}/api/auth/logout", headers=headers).status_code == 401


def test_wrong_credentials_are_401(server: ServerProcess) -> None:
    for email, password in [("ana@aurora.example", "wrong"), ("nobody@x.example", "demo1234")]:
        answer = httpx.post(f"{server.url}/api/auth/login",
                            json={"email": email, "password": password})
        assert answer.status_code == 401
        assert answer.json()["error"] == {
            "code": "unauthorized", "message": "wrong email or password", "details": None}


def test_database_holds_no_password_and_no_token(server: ServerProcess) -> None:
    user = sign_in(server, "ana@aurora.example")
    path = server.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM users")]
        tokens = [row[0] for row in db.execute("SELECT token_hash FROM tokens")]
    assert hashes and all(h.startswith("$argon2id$") and "demo1234" not in h for h in hashes)
    assert user.token not in tokens
    assert token_hash(user.token) in tokens
    user.close()


async def test_token_expires(server_factory) -> None:
    server = server_factory(env={"INBOX_TOKEN_TTL_SECONDS": "2"})
    user = sign_in(server, "bruno@boavista.example")
    ws = await connect(server.ws_url, user.token, since=10**9)
    # The server closes the socket at the token's deadline: the event to wait for. (On a
    # slow machine the token may already be dead when the socket opens: also a 4401.)
    code, reason = await closed_with(ws)
    assert code == CLOSE_UNAUTHORIZED
    assert reason in {"token expired", "missing, invalid or expired token"}
    assert user.http.get("/api/session").status_code == 401
    ws = await connect(server.ws_url, user.token, since=0)
    assert (await closed_with(ws))[0] == CLOSE_UNAUTHORIZED
    user.close()
