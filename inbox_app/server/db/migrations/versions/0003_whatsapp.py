"""The WhatsApp Business Cloud API channel (issue 17): per-clinic channel settings, the
WhatsApp message id and delivery state of messages, and the durable outbound queue.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("wamid", sa.String(200), nullable=True))
        batch.add_column(sa.Column("delivery", sa.String(20), nullable=True))
        batch.add_column(sa.Column("delivery_error_code", sa.Integer, nullable=True))
        batch.add_column(sa.Column("delivery_error_title", sa.String(300), nullable=True))
        batch.add_column(_timestamp("delivery_updated_at", nullable=True))
        batch.create_unique_constraint("uq_messages_wamid", ["wamid"])
    op.create_table(
        "whatsapp_channels",
        sa.Column("clinic_id", sa.Integer, sa.ForeignKey("clinics.id"), primary_key=True),
        sa.Column("phone_number_id", sa.String(64), nullable=False, unique=True),
        sa.Column("access_token", sa.Text, nullable=False),
        sa.Column("app_secret", sa.String(200), nullable=False),
        sa.Column("verify_token", sa.String(200), nullable=False),
        _timestamp("updated_at"),
    )
    op.create_table(
        "whatsapp_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "message_id", sa.Integer, sa.ForeignKey("messages.id"), nullable=False, unique=True
        ),
        sa.Column("clinic_id", sa.Integer, sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        _timestamp("next_attempt_at"),
        _timestamp("lease_until", nullable=True),
        sa.Column("claim", sa.String(36), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        _timestamp("created_at"),
        sa.Index("ix_whatsapp_outbox_state_next_attempt_at", "state", "next_attempt_at"),
    )


def downgrade() -> None:
    op.drop_table("whatsapp_outbox")
    op.drop_table("whatsapp_channels")
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint("uq_messages_wamid", type_="unique")
        for column in (
            "delivery_updated_at",
            "delivery_error_title",
            "delivery_error_code",
            "delivery",
            "wamid",
        ):
            batch.drop_column(column)
