"""Passwords, tokens and the ``current_user`` dependency.

Passwords are hashed with scrypt (stdlib, memory-hard). Tokens are 256 random bits; only
their SHA-256 is stored, so a copy of the database holds no usable token. A token expires
after ``token_ttl_seconds`` and dies at logout.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import Request
from sqlalchemy import delete, insert, select

from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import tokens, users
from inbox_app.server.http.errors import unauthorized

# scrypt cost: 16 MiB and ~40 ms per hash here, the usual interactive-login setting.
_N, _R, _P, _DKLEN = 2**14, 8, 1, 32


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` with a random 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    salt_b64, digest_b64 = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    return f"scrypt${_N}${_R}${_P}${salt_b64}${digest_b64}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a :func:`hash_password` string."""
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        digest = hashlib.scrypt(
            password.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


#: Verified against when the email is unknown, so both cases cost the same time.
_DUMMY_HASH = hash_password(secrets.token_hex(8))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuthUser:
    """The user behind a valid token."""

    id: int
    clinic_id: int
    name: str
    email: str
    role: str
    token_hash: str
    expires_at: datetime


#: Seconds a verified token is trusted without asking the database again. The token check
#: was the largest part of a cache hit (one PostgreSQL round trip per request, several times
#: the Redis GET). A logout forgets the token at once, on every instance through the bus's
#: revocations (bus.REVOKED_CHANNEL); only while Redis pub/sub is down does another
#: instance trust it for up to this many seconds more.
TOKEN_MEMO_SECONDS = 5.0
_MEMO_MAX = 10_000


class Auth:
    """Logins, token checks and logouts against the database."""

    def __init__(self, db: Database, token_ttl_seconds: int) -> None:
        self.db = db
        self.ttl = timedelta(seconds=token_ttl_seconds)
        self._memo: dict[str, tuple[AuthUser, float]] = {}

    async def login(self, email: str, password: str) -> tuple[str, AuthUser] | None:
        """A new token for valid credentials, else ``None``."""
        async with self.db.read() as conn:
            row = (await conn.execute(
                select(users).where(users.c.email == email.strip().lower())
            )).mappings().first()
        stored = row["password_hash"] if row is not None else _DUMMY_HASH
        ok = await asyncio.to_thread(verify_password, password, stored)
        if row is None or not ok or row["disabled"]:
            return None
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        expires = now + self.ttl
        async with self.db.write() as conn:
            await conn.execute(insert(tokens).values(
                token_hash=token_hash(token), user_id=row["id"], created_at=now,
                expires_at=expires,
            ))
            # Expired tokens of this user are swept at each login: the table stays small.
            await conn.execute(delete(tokens).where(
                tokens.c.user_id == row["id"], tokens.c.expires_at <= now
            ))
        return token, AuthUser(
            id=row["id"], clinic_id=row["clinic_id"], name=row["name"], email=row["email"],
            role=row["role"], token_hash=token_hash(token), expires_at=expires,
        )

    async def check(self, token: str | None) -> AuthUser | None:
        """The user of a live token, else ``None``."""
        if not token or len(token) > 200:
            return None
        digest = token_hash(token)
        memo = self._memo.get(digest)
        if memo is not None:
            user, checked = memo
            if (time.monotonic() - checked < TOKEN_MEMO_SECONDS
                    and user.expires_at > datetime.now(UTC)):
                return user
            del self._memo[digest]
        async with self.db.read() as conn:
            row = (await conn.execute(
                select(users, tokens.c.expires_at)
                .join(tokens, tokens.c.user_id == users.c.id)
                .where(tokens.c.token_hash == digest,
                       tokens.c.expires_at > datetime.now(UTC), users.c.disabled.is_(False))
            )).mappings().first()
        if row is None:
            return None
        user = AuthUser(
            id=row["id"], clinic_id=row["clinic_id"], name=row["name"], email=row["email"],
            role=row["role"], token_hash=digest, expires_at=row["expires_at"],
        )
        if len(self._memo) >= _MEMO_MAX:
            self._memo.clear()
        self._memo[digest] = (user, time.monotonic())
        return user

    async def alive(self, hashes: Collection[str]) -> set[str]:
        """Which of these token hashes still belong to a live token."""
        alive: set[str] = set()
        wanted = list(hashes)
        async with self.db.read() as conn:
            for start in range(0, len(wanted), 1000):  # bounded IN lists
                alive.update((await conn.execute(
                    select(tokens.c.token_hash).where(
                        tokens.c.token_hash.in_(wanted[start:start + 1000]),
                        tokens.c.expires_at > datetime.now(UTC))
                )).scalars())
        return alive

    def forget(self, token_hash: str) -> None:
        """Stops trusting a memo of this token (another instance logged it out)."""
        self._memo.pop(token_hash, None)

    async def logout(self, user: AuthUser) -> None:
        self._memo.pop(user.token_hash, None)
        async with self.db.write() as conn:
            await conn.execute(delete(tokens).where(tokens.c.token_hash == user.token_hash))


def bearer_token(request_headers: object, query_token: str | None = None) -> str | None:
    """The token of ``Authorization: Bearer …`` (or of a ``token`` query parameter)."""
    header = getattr(request_headers, "get", lambda _k: None)("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return None
    return query_token or None


async def current_user(request: Request) -> AuthUser:
    """FastAPI dependency: the authenticated user, or a 401 in the contract's shape."""
    auth: Auth = request.app.state.inbox.auth
    user = await auth.check(bearer_token(request.headers))
    if user is None:
        raise unauthorized()
    request.state.user = user
    return user
