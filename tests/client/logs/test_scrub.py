"""Tests of inbox_app/client/logs/scrub.py: patient data never reaches a real log file."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from pydantic import BaseModel, ValidationError

from inbox_app.client.logs import scrub as logscrub
from inbox_app.contract.models import ConversationSummary, Message, Patient

NAME = "Maria Canário Sampaio"
PHONES = ["+55 11 98765-4321", "(21) 3456-7890", "11987654321", "+55 (31) 99876 5432"]
BODY = "Doutora, a dor no joelho piorou"
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


class Quoting(BaseModel):
    """A pydantic model with pydantic's default: errors quote the rejected input."""

    priority: int
    status: int


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[tuple[logging.Logger, Path]]:
    """A real FileHandler on the root logger with the scrubber installed, as the app does."""
    path = tmp_path / "inbox.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    # Only our handler for the test: the filter rewrites records, and pytest's own capture
    # handlers live for the whole session.
    saved_handlers, saved_level = root.handlers[:], root.level
    root.handlers = [handler]
    root.setLevel(logging.DEBUG)
    logscrub.install()
    try:
        yield logging.getLogger("inbox_app.client.some_module"), path
    finally:
        root.handlers = saved_handlers
        root.setLevel(saved_level)
        handler.close()


def leaks(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    return [c for c in [NAME, BODY, *PHONES, "Canário", "joelho", "98765", "3456-7890"]
            if c in text]


def test_nothing_sensitive_reaches_the_file(log_file: tuple[logging.Logger, Path]) -> None:
    log, path = log_file
    # the contract's models do not quote the input they reject (hide_input_in_errors)...
    with pytest.raises(ValidationError) as bad:
        ConversationSummary.model_validate({"id": 1, "priority": NAME, "status": BODY})
    assert NAME not in str(bad.value) and BODY not in str(bad.value)
    log.warning("/api/conversations: answer breaks the contract: %s", bad.value)
    # ...but any other pydantic model does: the filter is the net for those
    with pytest.raises(ValidationError) as quoted:
        Quoting.model_validate({"priority": NAME, "status": BODY})
    assert NAME in str(quoted.value) and BODY in str(quoted.value)  # would leak unscrubbed
    log.warning("settings do not fit: %s", quoted.value)
    # a whole JSON answer in a message
    log.info("answer was %s", orjson.dumps({"id": 3, "body": BODY, "phone": PHONES[0]}).decode())
    # models, dicts and lists as arguments
    message = Message(id=9, conversation_id=3, direction="inbound", body=BODY, sent_at=NOW)
    patient = Patient(id=7, clinic_id=1, name=NAME, phone=PHONES[1])
    log.info("got %s and %r", message, patient)
    log.debug("record %s", {"id": 4, "patient_name": NAME, "nested": [{"body": BODY}]})
    # phones inside free text, and a repr with keyword fields
    log.info("calling %s or %s; also %s", PHONES[2], PHONES[3], f"Patient(name={NAME!r})")
    # an exception with patient data in its message and traceback
    try:
        raise ValueError(f"could not send to {PHONES[0]}: {{'body': {BODY!r}}}")
    except ValueError:
        log.exception("outbox: send failed")
    assert leaks(path) == []


def test_what_is_not_sensitive_stays_readable(log_file: tuple[logging.Logger, Path]) -> None:
    log, path = log_file
    mid = "0b7d3c12-1234-5678-9abc-1234567890ab"
    log.info("outbox: %s attempt %d failed (%s), retrying in %.2f s", mid, 2, "HTTP 503", 1.5)
    log.info("key %s on http://127.0.0.1:8000 at %s", "conversation:12:detail", NOW.isoformat())
    log.info("patient %s", Patient(id=7, clinic_id=1, name=NAME, phone=PHONES[1]))
    text = path.read_text("utf-8")
    for kept in (mid, "HTTP 503", "1.50 s", "conversation:12:detail", "127.0.0.1:8000",
                 "2026-11-24T12:00:00", "<Patient id=7 clinic_id=1>"):
        assert kept in text
    assert leaks(path) == []


def test_a_bad_log_call_is_kept_without_its_arguments(
    log_file: tuple[logging.Logger, Path],
) -> None:
    log, path = log_file
    log.info("two %s %s", NAME)  # noqa: PLE1206 - the wrong argument count is the test
    text = path.read_text("utf-8")
    assert "unformattable log message" in text
    assert NAME not in text


def test_install_is_idempotent() -> None:
    logger = logging.getLogger("tests.logscrub.own")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    try:
        logscrub.install(logger)
        logscrub.install(logger)
        assert sum(isinstance(f, logscrub.ScrubFilter) for f in handler.filters) == 1
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize("phone", PHONES)
def test_scrub_text_phones(phone: str) -> None:
    assert logscrub.scrub_text(f"ligar para {phone} hoje") == "ligar para <redacted> hoje"
