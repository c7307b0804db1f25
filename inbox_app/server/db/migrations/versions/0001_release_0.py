"""The schema of release 0 (before migrations existed), as it created its tables.

Written out rather than taken from ``schema.metadata``: a revision is history and must not
change when the metadata does. Constraint and index names are those the release's
``create_all`` produced (PostgreSQL's defaults for unnamed ones), so a database made by that
release and one made by this revision are the same.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "clinics",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("clinic_id", sa.Integer, sa.ForeignKey("clinics.id"), nullable=False,
                  index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        _timestamp("created_at"),
        _timestamp("expires_at"),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("clinic_id", sa.Integer, sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("birth_date", sa.Date, nullable=True),
        sa.Column("insurance", sa.String(120), nullable=True),
        _timestamp("last_visit_at", nullable=True),
        sa.UniqueConstraint("clinic_id", "phone", name="uq_patients_clinic_phone"),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("clinic_id", sa.Integer, sa.ForeignKey("clinics.id"), nullable=False,
                  index=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id"), nullable=False,
                  index=True),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("priority", sa.String(20), nullable=False),
        sa.Column("unread_count", sa.Integer, nullable=False),
        sa.Column("last_message_preview", sa.String(200), nullable=False),
        _timestamp("last_message_at", nullable=True),
        _timestamp("updated_at"),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.Integer, sa.ForeignKey("conversations.id"),
                  nullable=False),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        _timestamp("sent_at"),
        sa.Index("ix_messages_conversation_id_id", "conversation_id", "id"),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.Integer, sa.ForeignKey("conversations.id"),
                  nullable=False, index=True),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        _timestamp("created_at"),
    )
    op.create_table(
        "clinic_seq",
        sa.Column("clinic_id", sa.Integer, sa.ForeignKey("clinics.id"), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("clinic_id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
        _timestamp("created_at"),
    )
    op.create_table(
        "idempotency",
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        _timestamp("created_at"),
        sa.Index("ix_idempotency_created_at", "created_at"),
    )


def downgrade() -> None:
    for table in ("idempotency", "events", "clinic_seq", "notes", "messages", "conversations",
                  "patients", "tokens", "users", "clinics"):
        op.drop_table(table)
