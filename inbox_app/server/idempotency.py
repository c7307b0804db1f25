"""``Idempotency-Key``: (user, key) -> the first answer, kept 24 hours.

The key row is inserted in the write's own transaction, before the change: a second request
with the same key waits for the first (PostgreSQL's unique index) or finds its answer, so an
action never applies twice, also when a client resends after a crash. The same key with a
different request is a 422: the client reused a key by mistake and must not get an answer
that belongs to another action.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.contract.errors import ErrorCode
from inbox_app.server.errors import ApiError
from inbox_app.server.schema import idempotency

KEEP = timedelta(hours=24)
_KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,200}")


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    status_code: int
    body: bytes


class KeyTaken(Exception):
    """Another request holds this key (raised inside the transaction, caught outside)."""


def check_key(key: str | None) -> str | None:
    """The key if well formed (1-200 visible ASCII characters), a 422 otherwise."""
    if key is None:
        return None
    if not _KEY_PATTERN.fullmatch(key):
        raise ApiError(
            ErrorCode.VALIDATION,
            "Idempotency-Key must be 1 to 200 visible ASCII characters",
        )
    return key


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What identifies a request for its key: method, path and canonical body."""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


async def lookup(
    conn: AsyncConnection, user_id: int, key: str, print_: str
) -> StoredAnswer | None:
    """The stored answer of ``key``; a 422 if the key was used for another request."""
    row = (await conn.execute(
        select(idempotency).where(
            idempotency.c.user_id == user_id, idempotency.c.key == key,
            idempotency.c.created_at > datetime.now(UTC) - KEEP,
        )
    )).mappings().first()
    if row is None or row["status_code"] == 0:
        return None
    if row["fingerprint"] != print_:
        raise ApiError(
            ErrorCode.VALIDATION,
            "this Idempotency-Key was already used for a different request",
            {"idempotency_key": key},
        )
    return StoredAnswer(row["status_code"], bytes(row["body"]))


async def claim(conn: AsyncConnection, user_id: int, key: str, print_: str) -> None:
    """Reserves the key in the current transaction (raises :class:`KeyTaken` if held)."""
    now = datetime.now(UTC)
    # An expired row of the same key would block the insert: it is dead, drop it first.
    await conn.execute(delete(idempotency).where(
        idempotency.c.user_id == user_id, idempotency.c.key == key,
        idempotency.c.created_at <= now - KEEP,
    ))
    try:
        await conn.execute(insert(idempotency).values(
            user_id=user_id, key=key, fingerprint=print_, status_code=0, body=b"",
            created_at=now,
        ))
    except IntegrityError:
        # PostgreSQL: a concurrent request with this key committed first. The transaction
        # is aborted; the caller leaves it and replays the stored answer.
        raise KeyTaken(key) from None


async def store(
    conn: AsyncConnection, user_id: int, key: str, status_code: int, body: bytes
) -> None:
    await conn.execute(update(idempotency).where(
        idempotency.c.user_id == user_id, idempotency.c.key == key
    ).values(status_code=status_code, body=body))


async def purge(conn: AsyncConnection) -> int:
    """Deletes answers older than 24 h; returns how many."""
    result = await conn.execute(
        delete(idempotency).where(idempotency.c.created_at <= datetime.now(UTC) - KEEP)
    )
    return result.rowcount or 0
