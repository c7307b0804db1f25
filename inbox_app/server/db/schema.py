"""The database schema (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Timestamps are stored as UTC and always come back timezone-aware (SQLite drops the zone).
Ids are 32-bit integers, which is why the API bounds every id it accepts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.types import TypeDecorator

#: The largest id a column holds (PostgreSQL ``integer``); the API rejects larger ones.
MAX_ID = 2**31 - 1


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back timezone-aware on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        # SQLite has no zone type; storing naive UTC keeps string comparison ordered.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

clinics = Table(
    "clinics", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    Column("role", String(40), nullable=False),
    Column("password_hash", String(300), nullable=False),
    # revision 0002: a disabled user cannot sign in and their tokens are gone
    Column("disabled", Boolean, nullable=False, server_default=false()),
)

tokens = Table(
    "tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

patients = Table(
    "patients", metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("phone", String(40), nullable=False),
    Column("birth_date", Date, nullable=True),
    Column("insurance", String(120), nullable=True),
    Column("last_visit_at", UTCDateTime(), nullable=True),
    UniqueConstraint("clinic_id", "phone", name="uq_patients_clinic_phone"),
)

conversations = Table(
    "conversations", metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False, index=True),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False, index=True),
    Column("channel", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("unread_count", Integer, nullable=False),
    Column("last_message_preview", String(200), nullable=False),
    Column("last_message_at", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
)

messages = Table(
    "messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, ForeignKey("conversations.id"), nullable=False),
    Column("direction", String(20), nullable=False),
    Column("body", Text, nullable=False),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("sent_at", UTCDateTime(), nullable=False),
    # revision 0003 (issue 17): the WhatsApp message id (``wamid…``) of a message that came
    # or went through the Cloud API; unique, so a repeated notification adds nothing
    Column("wamid", String(200), nullable=True),
    # the delivery of a reply sent through a channel (contract ``Delivery``); null otherwise
    Column("delivery", String(20), nullable=True),
    Column("delivery_error_code", Integer, nullable=True),
    Column("delivery_error_title", String(300), nullable=True),
    Column("delivery_updated_at", UTCDateTime(), nullable=True),
    Index("ix_messages_conversation_id_id", "conversation_id", "id"),
    UniqueConstraint("wamid", name="uq_messages_wamid"),
)

notes = Table(
    "notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, ForeignKey("conversations.id"), nullable=False,
           index=True),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

#: The last live-event seq per clinic. ``UPDATE … SET seq = seq + 1 … RETURNING seq`` inside
#: the write's transaction locks the row until commit, so seqs are gapless and in commit
#: order even with several server processes on one PostgreSQL.
clinic_seq = Table(
    "clinic_seq", metadata,
    Column("clinic_id", Integer, ForeignKey("clinics.id"), primary_key=True),
    Column("seq", Integer, nullable=False),
)

#: The bounded live-event log replayed after ``hello {since}``.
events = Table(
    "events", metadata,
    Column("clinic_id", Integer, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("payload", Text, nullable=False),  # the LiveEvent as JSON
    Column("created_at", UTCDateTime(), nullable=False),
)

#: A clinic's WhatsApp Business Cloud API channel (revision 0003, issue 17). The secrets are
#: read by the server only: no answer and no log line carries them.
whatsapp_channels = Table(
    "whatsapp_channels", metadata,
    Column("clinic_id", Integer, ForeignKey("clinics.id"), primary_key=True),
    Column("phone_number_id", String(64), nullable=False, unique=True),
    Column("access_token", Text, nullable=False),
    Column("app_secret", String(200), nullable=False),
    Column("verify_token", String(200), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

#: Replies waiting to go out (revision 0003): written in the reply's own transaction, claimed
#: by one worker at a time with a lease (``lease_until``, ``claim``), rescheduled with
#: backoff after a transient failure, deleted once the channel took the message.
whatsapp_outbox = Table(
    "whatsapp_outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False, unique=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("state", String(20), nullable=False),  # queued | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("lease_until", UTCDateTime(), nullable=True),
    Column("claim", String(36), nullable=True),
    Column("last_error", String(300), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_whatsapp_outbox_state_next_attempt_at", "state", "next_attempt_at"),
)

#: (user, Idempotency-Key) -> the first answer, kept 24 h.
idempotency = Table(
    "idempotency", metadata,
    Column("user_id", Integer, primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, index=True),
)
