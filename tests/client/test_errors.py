"""Tests for inbox_app/client/errors.py: the one mapping onto the error tree."""

from __future__ import annotations

import httpx
import pytest

from inbox_app.client.errors import (
    ClientError,
    InvalidAnswerError,
    OfflineError,
    RejectedError,
    TransientError,
    UnauthorizedError,
    from_exception,
    from_response,
    parse_retry_after,
    unreachable,
)
from inbox_app.contract.errors import ErrorCode, error_body


def answer(status: int, body: object = None, **headers: str) -> httpx.Response:
    request = httpx.Request("POST", "http://x/api/conversations/1/archive")
    return httpx.Response(status, json=body, headers=headers, request=request)


@pytest.mark.parametrize(("status", "kind"), [
    (500, TransientError), (502, TransientError), (503, TransientError), (408, TransientError),
    (429, TransientError), (400, RejectedError), (403, RejectedError), (404, RejectedError),
    (409, RejectedError), (422, RejectedError), (401, UnauthorizedError),
])
def test_status_mapping(status: int, kind: type[ClientError]) -> None:
    error = from_response(answer(status))
    assert type(error) is kind


def test_rejection_carries_the_server_code_and_message() -> None:
    body = error_body(ErrorCode.CONFLICT, "Conversa já arquivada")
    error = from_response(answer(409, body))
    assert isinstance(error, RejectedError)
    assert (error.code, error.message, error.status) == ("conflict", "Conversa já arquivada", 409)


def test_retry_after_seconds_and_http_date() -> None:
    assert from_response(answer(429, None, **{"Retry-After": "3"})).retry_after == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None and parse_retry_after("-5") == 0.0
    assert parse_retry_after("999999") == 300.0  # clamped


def test_non_contract_error_body_still_maps() -> None:
    request = httpx.Request("GET", "http://x/")
    error = from_response(httpx.Response(502, content=b"<html>bad gateway</html>",
                                         request=request))
    assert isinstance(error, TransientError) and "502" in error.message


@pytest.mark.parametrize(("exc", "kind"), [
    (httpx.ConnectError("refused"), OfflineError),
    (httpx.ConnectTimeout("no answer to SYN"), OfflineError),
    (ConnectionRefusedError(), OfflineError),
    (httpx.ReadTimeout("slow"), TransientError),
    (httpx.RemoteProtocolError("reset"), TransientError),
    (ConnectionResetError(), TransientError),
])
def test_exception_mapping(exc: BaseException, kind: type[ClientError]) -> None:
    assert type(from_exception(exc)) is kind


def test_validation_error_is_an_invalid_answer() -> None:
    from pydantic import BaseModel, ValidationError

    class M(BaseModel):
        x: int

    with pytest.raises(ValidationError) as info:
        M.model_validate({"x": "no"})
    assert isinstance(from_exception(info.value), InvalidAnswerError)


def test_unreachable_means_no_answer_at_all() -> None:
    assert unreachable(from_exception(httpx.ConnectError("refused")))
    assert unreachable(from_exception(httpx.ReadTimeout("slow")))
    assert not unreachable(from_response(httpx.Response(503)))
    assert not unreachable(RejectedError("no", status=409))
