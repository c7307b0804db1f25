"""``Idempotency-Key``: (user, key) -> the first answer, kept 24 hours.

The answer is recorded in the write's own transaction, after the change, by one upsert that
fails to take a key already answered: the change is then rolled back and the first answer
given, so an action never applies twice, also when a client resends after a crash. A second
request racing the first waits on the unique index (PostgreSQL) and finds its answer. The
same key with a different request is a 422: the client reused a key by mistake and must not
get an answer that belongs to another action.

Recording after the change, rather than claiming the key before it, costs a replay the work
of a change that is rolled back; it saves every first request (all but a few) a statement.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.contract.errors import ErrorCode
from inbox_app.server.db.schema import idempotency
from inbox_app.server.http.errors import ApiError

KEEP = timedelta(hours=24)
_KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,200}")


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    status_code: int
    body: bytes


class KeyTaken(Exception):
    """This key was answered before (raised inside the transaction to roll the change back,
    caught outside to replay the answer)."""


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


def _upsert(conn: AsyncConnection) -> Any:
    """The dialect's ``INSERT`` with ``ON CONFLICT`` (PostgreSQL and SQLite >= 3.35)."""
    return pg_insert if conn.dialect.name == "postgresql" else sqlite_insert


async def record(
    conn: AsyncConnection, user_id: int, key: str, print_: str, *, status_code: int,
    body: bytes,
) -> bool:
    """Stores the answer of ``key`` in the current transaction, after the change; whether
    it did. ``False``: a live row holds the key, so this request was answered before — the
    caller rolls the change back and answers as the first use did (:func:`lookup`).

    One statement: an upsert that takes the key when it is free or only held by an expired
    row. On PostgreSQL a concurrent request with the same key waits here on the unique index
    until the holder commits, then sees its row; SQLite writes one at a time anyway.
    """
    now = datetime.now(UTC)
    values = {"fingerprint": print_, "status_code": status_code, "body": body,
              "created_at": now}
    stmt = _upsert(conn)(idempotency).values(user_id=user_id, key=key, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[idempotency.c.user_id, idempotency.c.key],
        # an expired row of the same key is dead: the new request takes it over
        set_=values, where=idempotency.c.created_at <= now - KEEP,
    ).returning(idempotency.c.user_id)
    return (await conn.execute(stmt)).first() is not None


async def purge(conn: AsyncConnection) -> int:
    """Deletes answers older than 24 h; returns how many."""
    result = await conn.execute(
        delete(idempotency).where(idempotency.c.created_at <= datetime.now(UTC) - KEEP)
    )
    return result.rowcount or 0
