"""Each clinic's WhatsApp Cloud API channel: its phone number id and secrets.

Set by the clinic's administrator (``inbox-server whatsapp set``), read by the webhook (which
app secret signed a notification, which clinic owns a phone number id, which verify token
answers the handshake) and by the delivery worker (the access token). :class:`Channel` keeps
its secrets out of ``repr``, so neither a log line nor a traceback can show them; no API
answer carries them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from inbox_app.server.db.accounts import AccountError, _clinic_id
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import clinics, whatsapp_channels

#: Meta's phone number ids are numbers (15 or 16 digits today)
_PHONE_NUMBER_ID = re.compile(r"[0-9]{1,64}")


@dataclass(frozen=True, slots=True)
class Channel:
    clinic_id: int
    phone_number_id: str
    access_token: str = field(repr=False)
    app_secret: str = field(repr=False)
    verify_token: str = field(repr=False)


def _channel(row: object) -> Channel:
    return Channel(
        **{
            name: getattr(row, name)
            for name in (
                "clinic_id",
                "phone_number_id",
                "access_token",
                "app_secret",
                "verify_token",
            )
        }
    )


async def for_clinic(conn: AsyncConnection, clinic_id: int) -> Channel | None:
    row = (
        await conn.execute(
            select(whatsapp_channels).where(whatsapp_channels.c.clinic_id == clinic_id)
        )
    ).first()
    return None if row is None else _channel(row)


async def every(conn: AsyncConnection) -> list[Channel]:
    rows = await conn.execute(select(whatsapp_channels).order_by(whatsapp_channels.c.clinic_id))
    return [_channel(row) for row in rows]


async def save(
    db: Database,
    *,
    clinic: str,
    phone_number_id: str,
    access_token: str,
    app_secret: str,
    verify_token: str,
) -> int:
    """Sets ``clinic``'s (name or id) channel, replacing any it had; the clinic's id."""
    number = phone_number_id.strip()
    if not _PHONE_NUMBER_ID.fullmatch(number):
        raise AccountError(
            "the phone number id is the number Meta shows under WhatsApp > "
            "API Setup (digits only), not the phone number itself"
        )
    for name, value in (
        ("access token", access_token),
        ("app secret", app_secret),
        ("verify token", verify_token),
    ):
        if not value.strip() or len(value) > (4096 if name == "access token" else 200):
            raise AccountError(f"the {name} is empty or too long")
    values = {
        "phone_number_id": number,
        "access_token": access_token.strip(),
        "app_secret": app_secret.strip(),
        "verify_token": verify_token.strip(),
        "updated_at": datetime.now(UTC),
    }
    try:
        async with db.write() as conn:
            clinic_id = await _clinic_id(conn, clinic)
            changed = (
                await conn.execute(
                    update(whatsapp_channels)
                    .where(whatsapp_channels.c.clinic_id == clinic_id)
                    .values(**values)
                )
            ).rowcount
            if not changed:
                await conn.execute(insert(whatsapp_channels).values(clinic_id=clinic_id, **values))
    except IntegrityError:
        raise AccountError(f"the phone number id {number} belongs to another clinic") from None
    return clinic_id


async def remove(db: Database, clinic: str) -> bool:
    """Removes ``clinic``'s channel (replies then stay in the inbox); whether it had one."""
    async with db.write() as conn:
        clinic_id = await _clinic_id(conn, clinic)
        return bool(
            (
                await conn.execute(
                    delete(whatsapp_channels).where(whatsapp_channels.c.clinic_id == clinic_id)
                )
            ).rowcount
        )


async def listing(db: Database) -> list[tuple[int, str, str]]:
    """(clinic id, clinic name, phone number id) of every channel: no secret."""
    async with db.read() as conn:
        rows = await conn.execute(
            select(clinics.c.id, clinics.c.name, whatsapp_channels.c.phone_number_id)
            .join(whatsapp_channels, whatsapp_channels.c.clinic_id == clinics.c.id)
            .order_by(clinics.c.name)
        )
        return [(row.id, row.name, row.phone_number_id) for row in rows]
