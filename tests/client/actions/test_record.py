"""Tests for inbox_app/client/actions/record.py: pure apply and the outbox record."""

from __future__ import annotations

import pytest

from inbox_app.client.actions.record import ActionKind, Mutation, apply, apply_all
from inbox_app.contract.models import Priority, Status
from tests.client.scripted import summary


def test_each_kind_applies_to_a_copy() -> None:
    base = summary()
    cases = {
        ActionKind.MARK_READ: ("unread_count", 0),
        ActionKind.MARK_UNREAD: ("unread_count", 2),
        ActionKind.ARCHIVE: ("status", Status.ARCHIVED),
        ActionKind.SET_PRIORITY: ("priority", Priority.URGENT),
    }
    for kind, (field_name, value) in cases.items():
        m = Mutation(kind=kind, conversation_id=1, args={"priority": "urgent"})
        assert getattr(apply(m, base), field_name) == value
    assert base.unread_count == 2 and base.status is Status.OPEN  # input untouched


def test_unread_of_a_read_conversation_counts_one() -> None:
    m = Mutation(kind=ActionKind.MARK_UNREAD, conversation_id=1)
    assert apply(m, summary(unread_count=0)).unread_count == 1


def test_note_leaves_the_row_and_reply_previews() -> None:
    note = Mutation(kind=ActionKind.ADD_NOTE, conversation_id=1, args={"body": "ligar"})
    reply = Mutation(kind=ActionKind.REPLY, conversation_id=1, args={"body": "Bom dia"})
    assert apply(note, summary()) == summary()
    assert apply(reply, summary()).last_message_preview == "Bom dia"


def test_failed_mutations_are_not_applied() -> None:
    a = Mutation(kind=ActionKind.ARCHIVE, conversation_id=1, state="failed")
    b = Mutation(kind=ActionKind.SET_PRIORITY, conversation_id=1, args={"priority": "low"})
    view = apply_all([a, b], summary())
    assert view.status is Status.OPEN and view.priority is Priority.LOW


def test_record_round_trip_and_sending_becomes_queued() -> None:
    m = Mutation(kind=ActionKind.ADD_NOTE, conversation_id=3, args={"body": "x"}, state="sending")
    back = Mutation.from_record(m.to_record())
    assert (back.id, back.kind, back.args, back.state) == (m.id, m.kind, m.args, "queued")


@pytest.mark.parametrize("record", [None, [], {"kind": "archive"},
                                    {"id": "x", "kind": "nope", "conversation_id": 1,
                                     "created_at": "2026-01-01T00:00:00+00:00"}])
def test_bad_records_are_clear_errors(record: object) -> None:
    with pytest.raises(ValueError, match="outbox record"):
        Mutation.from_record(record)


def test_a_resend_keeps_its_message_id_and_leaves_the_row() -> None:
    """Issue 17: "try again" on a failed WhatsApp delivery is an action like the others."""
    m = Mutation(kind=ActionKind.RESEND_REPLY, conversation_id=3, args={"message_id": 41})
    assert apply(m, summary()) == summary()
    back = Mutation.from_record(m.to_record())
    assert (back.kind, back.args) == (ActionKind.RESEND_REPLY, {"message_id": 41})
    for args in ({}, {"message_id": 0}, {"message_id": "41"}):
        with pytest.raises(ValueError, match="outbox record"):
            Mutation.from_record({**m.to_record(), "args": args})


def test_the_reason_code_of_a_failure_survives_a_restart_and_older_records_read() -> None:
    m = Mutation(kind=ActionKind.REPLY, conversation_id=3, args={"body": "Oi"},
                 state="failed", error="window closed", error_code="whatsapp_window_closed")
    assert Mutation.from_record(m.to_record()).error_code == "whatsapp_window_closed"
    older = m.to_record()
    del older["error_code"]  # an outbox written before issue 17
    assert Mutation.from_record(older).error_code is None
