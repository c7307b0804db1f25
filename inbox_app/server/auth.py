"""Passwords, tokens and the ``current_user`` dependency.

Passwords are hashed with argon2id at OWASP's advised cost (19 MiB, 2 passes, 1 lane); a
hash of the older form (scrypt at N=2**14) still verifies and is replaced by an argon2id
hash at the user's next successful sign-in. Failed sign-ins are throttled per account and
per address (:mod:`inbox_app.server.guard.throttle`): 429 with Retry-After. Tokens are 256
random bits; only their SHA-256 is stored, so a copy of the database holds no usable token.
A token expires after ``token_ttl_seconds`` and dies at logout.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request
from sqlalchemy import delete, insert, select, update

from inbox_app.contract.errors import ErrorCode
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import tokens, users
from inbox_app.server.guard.throttle import LoginThrottle
from inbox_app.server.http.errors import ApiError, unauthorized

#: OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1 (its first choice)
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
#: the scrypt cost of hashes made before argon2id (verified, then upgraded)
_N, _R, _P, _DKLEN = 2**14, 8, 1, 32


def hash_password(password: str) -> str:
    """An argon2id hash (``$argon2id$v=19$m=19456,t=2,p=1$salt$hash``), random salt."""
    return _HASHER.hash(password)


def legacy_scrypt_hash(password: str) -> str:
    """The former ``scrypt$n$r$p$salt$hash`` form (kept to test its upgrade)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    salt_b64, digest_b64 = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    return f"scrypt${_N}${_R}${_P}${salt_b64}${digest_b64}"


def needs_rehash(stored: str) -> bool:
    """Whether a verified hash should be replaced (older scheme or cost)."""
    if not stored.startswith("$argon2id$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against an argon2id or legacy scrypt hash."""
    if stored.startswith("$argon2"):
        try:
            return _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError, ValueError):
            return False
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

    def __init__(self, db: Database, token_ttl_seconds: int,
                 throttle: LoginThrottle | None = None) -> None:
        self.db = db
        self.ttl = timedelta(seconds=token_ttl_seconds)
        self._memo: dict[str, tuple[AuthUser, float]] = {}
        self.throttle = throttle

    async def login(self, email: str, password: str,
                    address: str = "") -> tuple[str, AuthUser] | None:
        """A new token for valid credentials, else ``None``; a 429 :class:`ApiError` while
        this account or address must wait after failed sign-ins."""
        if self.throttle is None:
            return await self._login(email, password, address)
        # one attempt per account at a time here: a burst is judged one by one, each after
        # the previous failure was counted, instead of all before the first one is
        async with self.throttle.turn(email):
            return await self._login(email, password, address)

    async def _login(self, email: str, password: str,
                     address: str) -> tuple[str, AuthUser] | None:
        throttle = self.throttle
        if throttle is not None:
            wait = await throttle.retry_after(email, address)
            if wait:
                raise ApiError(
                    ErrorCode.RATE_LIMITED, "too many failed sign-ins; try again later",
                    {"retry_after": wait}, headers={"Retry-After": str(wait)},
                )
        async with self.db.read() as conn:
            row = (await conn.execute(
                select(users).where(users.c.email == email.strip().lower())
            )).mappings().first()
        stored = row["password_hash"] if row is not None else _DUMMY_HASH
        ok = await asyncio.to_thread(verify_password, password, stored)
        if row is None or not ok or row["disabled"]:
            if throttle is not None:
                await throttle.failed(email, address)
            return None
        if throttle is not None:
            await throttle.succeeded(email, address)
        if needs_rehash(stored):
            # the next successful sign-in upgrades an older hash (scrypt, or a lower cost)
            fresh = await asyncio.to_thread(hash_password, password)
            async with self.db.write() as conn:
                await conn.execute(update(users).where(users.c.id == row["id"])
                                   .values(password_hash=fresh))
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
    return bearer_of(getattr(request_headers, "raw", ()), query_token)


def bearer_of(raw_headers: Iterable[tuple[bytes, bytes]],
              query_token: str | None = None) -> str | None:
    """:func:`bearer_token` from ASGI's raw headers (lower-case names). Two
    ``Authorization`` headers are refused (``None``) on every path, the fast read path's
    included: which one a layer would pick is not something to leave to chance."""
    header: bytes | None = None
    for name, value in raw_headers:
        if name == b"authorization":
            if header is not None:
                return None
            header = value
    if header:
        scheme, _, token = header.decode("latin-1").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
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
