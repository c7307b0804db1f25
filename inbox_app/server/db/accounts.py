"""Clinics and user accounts as an administrator manages them (``inbox-server admin``).

Each change that must end sessions (disable, password reset) deletes the user's tokens in
the same transaction and answers their hashes, so the caller can tell the running instances
to forget them (Redis ``inbox:revoked``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import clinic_seq, clinics, tokens, users

ROLES = ("receptionist", "admin")
MIN_PASSWORD_LENGTH = 8
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AccountError(Exception):
    """A request an administrator must correct (the message says how)."""


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    clinic: str
    name: str
    email: str
    role: str
    disabled: bool


def normalize_email(email: str) -> str:
    """The stored form of an e-mail (logins compare it lower-cased and trimmed)."""
    value = email.strip().lower()
    if len(value) > 320 or not _EMAIL.fullmatch(value):
        raise AccountError(f"not an e-mail address: {email!r}")
    return value


def check_password(password: str) -> str:
    if not password:
        raise AccountError("the password is empty")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password is shorter than {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise AccountError("the password is longer than 1024 characters")
    return password


def _name(text: str, what: str) -> str:
    value = text.strip()
    if not value or len(value) > 200:
        raise AccountError(f"the {what} must have 1 to 200 characters")
    return value


async def add_clinic(db: Database, name: str) -> int:
    """A new clinic (with its live-event counter); its id."""
    value = _name(name, "clinic name")
    try:
        async with db.write() as conn:
            clinic_id = (await conn.execute(
                insert(clinics).values(name=value).returning(clinics.c.id))).scalar_one()
            await conn.execute(insert(clinic_seq).values(clinic_id=clinic_id, seq=0))
    except IntegrityError:
        raise AccountError(f"a clinic named {value!r} already exists") from None
    return clinic_id


async def _clinic_id(conn: AsyncConnection, clinic: str) -> int:
    where = clinics.c.id == int(clinic) if clinic.isdigit() else clinics.c.name == clinic.strip()
    found = (await conn.execute(select(clinics.c.id).where(where))).scalar()
    if found is None:
        raise AccountError(f"no clinic {clinic!r} (inbox-server admin add-clinic NAME)")
    return int(found)


async def add_user(db: Database, *, clinic: str, name: str, email: str, role: str,
                   password_hash: str) -> int:
    """A new user of ``clinic`` (its id or name); their id."""
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    address = normalize_email(email)
    value = _name(name, "name")
    try:
        async with db.write() as conn:
            clinic_id = await _clinic_id(conn, clinic)
            return int((await conn.execute(insert(users).values(
                clinic_id=clinic_id, name=value, email=address, role=role,
                password_hash=password_hash).returning(users.c.id))).scalar_one())
    except IntegrityError:
        raise AccountError(f"a user with the e-mail {address} already exists") from None


async def list_users(db: Database, clinic: str | None = None) -> list[Account]:
    query = (select(users.c.id, clinics.c.name.label("clinic"), users.c.name, users.c.email,
                    users.c.role, users.c.disabled)
             .join(clinics, clinics.c.id == users.c.clinic_id)
             .order_by(clinics.c.name, users.c.email))
    async with db.read() as conn:
        if clinic is not None:
            query = query.where(users.c.clinic_id == await _clinic_id(conn, clinic))
        return [Account(**row) for row in (await conn.execute(query)).mappings()]


async def _user_id(conn: AsyncConnection, email: str) -> int:
    address = email.strip().lower()
    found = (await conn.execute(
        select(users.c.id).where(func.lower(users.c.email) == address))).scalar()
    if found is None:
        raise AccountError(f"no user with the e-mail {address}")
    return int(found)


async def _end_sessions(conn: AsyncConnection, user_id: int) -> list[str]:
    hashes = list((await conn.execute(
        delete(tokens).where(tokens.c.user_id == user_id).returning(tokens.c.token_hash)
    )).scalars())
    return hashes


async def set_disabled(db: Database, email: str, disabled: bool) -> list[str]:
    """Disables (ending every session) or enables a user; the ended tokens' hashes."""
    async with db.write() as conn:
        user_id = await _user_id(conn, email)
        await conn.execute(update(users).where(users.c.id == user_id).values(disabled=disabled))
        return await _end_sessions(conn, user_id) if disabled else []


async def set_password(db: Database, email: str, password_hash: str) -> list[str]:
    """A new password; every session of the user ends. The ended tokens' hashes."""
    async with db.write() as conn:
        user_id = await _user_id(conn, email)
        await conn.execute(update(users).where(users.c.id == user_id)
                           .values(password_hash=password_hash))
        return await _end_sessions(conn, user_id)


async def user_count(db: Database) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(users))).scalar_one())
