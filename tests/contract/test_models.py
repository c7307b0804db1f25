"""Tests for inbox_app/contract/models.py: validation of answers and request bodies."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from inbox_app.contract.events import Hello, LiveEvent
from inbox_app.contract.models import (
    MAX_TEXT_LENGTH,
    PREVIEW_LENGTH,
    ConversationSummary,
    Priority,
    PriorityRequest,
    TextRequest,
    preview,
)

SUMMARY = {
    "id": 1, "clinic_id": 1, "patient_id": 2, "patient_name": "Maria Souza",
    "channel": "whatsapp", "status": "open", "priority": "normal", "unread_count": 2,
    "last_message_preview": "Bom dia", "last_message_at": "2026-11-24T10:00:00Z",
    "updated_at": "2026-11-24T10:00:00Z", "version": 3,
}


def test_summary_accepts_a_valid_answer_and_ignores_new_fields() -> None:
    s = ConversationSummary.model_validate({**SUMMARY, "future_field": 1})
    assert s.priority is Priority.NORMAL and s.unread_count == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("priority", "meh"), ("status", "deleted"), ("unread_count", -1), ("id", 0),
     ("updated_at", "yesterday")],
)
def test_summary_rejects_answers_that_break_the_contract(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        ConversationSummary.model_validate({**SUMMARY, field: value})


def test_text_body_is_trimmed_and_bounded() -> None:
    assert TextRequest(body="  olá  ").body == "olá"
    with pytest.raises(ValidationError):
        TextRequest(body="   ")
    with pytest.raises(ValidationError):
        TextRequest(body="x" * (MAX_TEXT_LENGTH + 1))
    assert len(TextRequest(body="x" * MAX_TEXT_LENGTH).body) == MAX_TEXT_LENGTH


def test_requests_forbid_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        PriorityRequest.model_validate({"priority": "high", "colour": "red"})


def test_hello_and_event() -> None:
    assert Hello.model_validate({"type": "hello", "since": 4}).since == 4
    with pytest.raises(ValidationError):
        Hello.model_validate({"type": "hi"})
    ev = LiveEvent.model_validate(
        {"seq": 1, "type": "note.created", "clinic_id": 1, "conversation_id": 2,
         "data": {}, "invalidate": ["conversation:2:detail"]}
    )
    assert ev.invalidate == ["conversation:2:detail"]


def test_preview_folds_whitespace_and_cuts_with_an_ellipsis() -> None:
    assert preview("  Bom\n dia,\t tudo bem? ") == "Bom dia, tudo bem?"
    cut = preview("a" * (PREVIEW_LENGTH + 5))
    assert len(cut) == PREVIEW_LENGTH and cut.endswith("…")
    assert preview("a" * PREVIEW_LENGTH) == "a" * PREVIEW_LENGTH


def test_a_stray_live_frame_error_does_not_quote_its_data() -> None:
    with pytest.raises(ValidationError) as info:
        LiveEvent.model_validate({"seq": "Maria Souza", "type": "resync", "clinic_id": 1,
                                  "data": "+55 11 98765-4321"})
    assert "Maria" not in str(info.value) and "98765" not in str(info.value)
