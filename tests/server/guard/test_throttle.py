"""Failed sign-ins are throttled per account and per address, through Redis across instances,
without locking a receptionist out from another address (inbox_app/server/guard/throttle.py);
old scrypt hashes become argon2id at the next successful sign-in (inbox_app/server/auth.py).

Each test runs its own server with 3 free failures and a first delay of 60 s, so a throttled
answer is unmistakable and no test waits for a delay to pass. The receptionist signs in from
127.0.0.2 (a loopback address of its own), the attacker from 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

import httpx

from inbox_app.server.auth import legacy_scrypt_hash
from inbox_app.server.guard.throttle import CLEAN_ADDRESS_DELAY
from tests.server.conftest import AURORA, AURORA_2
from tests.support import DEMO_PASSWORD

THROTTLE = {"INBOX_LOGIN_FREE_FAILURES": "3", "INBOX_LOGIN_BASE_DELAY": "60"}


def attempt(url: str, email: str, password: str, source: str = "127.0.0.1") -> httpx.Response:
    with httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30) as http:
        return http.post(f"{url}/api/auth/login", json={"email": email, "password": password})


def test_failures_beyond_the_free_ones_are_429_with_retry_after(server_factory) -> None:
    server = server_factory(env=THROTTLE)
    for _ in range(3):
        assert attempt(server.url, AURORA, "wrong").status_code == 401
    throttled = attempt(server.url, AURORA, "wrong")
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "rate_limited"
    assert 0 < int(throttled.headers["Retry-After"]) <= 60
    # the attacker's address is throttled for every account, the right password included
    assert attempt(server.url, AURORA, DEMO_PASSWORD).status_code == 429
    assert attempt(server.url, AURORA_2, DEMO_PASSWORD).status_code == 429
    # an unknown e-mail is throttled the same way (per account), from a fresh address
    for _ in range(3):
        assert attempt(server.url, "nobody@x.example", "x", "127.0.0.3").status_code == 401
    assert attempt(server.url, "nobody@x.example", "x", "127.0.0.4").status_code == 429


def test_an_attacker_cannot_lock_a_receptionist_out_from_another_address(
    server_factory
) -> None:
    server = server_factory(env=THROTTLE)
    for _ in range(3):
        assert attempt(server.url, AURORA, "guess").status_code == 401
    for _ in range(5):  # the attacker keeps trying: refused unchecked
        assert attempt(server.url, AURORA, "guess").status_code == 429
    answer = attempt(server.url, AURORA, DEMO_PASSWORD, "127.0.0.2")
    if answer.status_code == 429:  # inside the small bound after the latest checked failure
        wait = int(answer.headers["Retry-After"])
        assert wait <= CLEAN_ADDRESS_DELAY
        time.sleep(wait)  # what Retry-After asks of the client
        answer = attempt(server.url, AURORA, DEMO_PASSWORD, "127.0.0.2")
    assert answer.status_code == 200, answer.text


def test_the_counts_are_shared_by_instances_through_redis(server_factory, redis_proc) -> None:
    one = server_factory(env=THROTTLE, redis_url=redis_proc.url)
    two = server_factory(env=THROTTLE, redis_url=redis_proc.url)
    for server in (one, two, one):
        assert attempt(server.url, AURORA, "wrong").status_code == 401
    assert attempt(two.url, AURORA, "wrong").status_code == 429


def test_an_old_scrypt_hash_is_upgraded_at_the_next_successful_sign_in(server_factory) -> None:
    server = server_factory(start=False)
    path = server.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE users SET password_hash = ? WHERE email = ?",
                   (legacy_scrypt_hash(DEMO_PASSWORD), AURORA))
    server.start()

    def stored() -> str:
        with sqlite3.connect(path) as db:
            return db.execute("SELECT password_hash FROM users WHERE email = ?",
                              (AURORA,)).fetchone()[0]

    assert attempt(server.url, AURORA, "wrong").status_code == 401
    assert stored().startswith("scrypt$")  # a failure changes nothing
    assert attempt(server.url, AURORA, DEMO_PASSWORD).status_code == 200
    assert stored().startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert attempt(server.url, AURORA, DEMO_PASSWORD).status_code == 200


async def test_a_burst_of_concurrent_guesses_gets_only_the_free_ones_checked(
    server_factory
) -> None:
    server = server_factory(env=THROTTLE)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        answers = await asyncio.gather(*(
            http.post("/api/auth/login", json={"email": AURORA, "password": f"guess{i}"})
            for i in range(20)))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [401] * 3 + [429] * 17, codes
