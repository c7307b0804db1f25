"""The error body of the wire contract (ARCHITECTURE.md section 4).

Every error answer is ``{"error": {"code", "message", "details"}}``; the code is one of
:class:`ErrorCode` and decides how the client reacts (retry, roll back, log in again).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class ErrorCode(StrEnum):
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    VALIDATION = "validation"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"


#: ``details.reason`` of a ``conflict``: a free-form WhatsApp reply more than 24 hours after
#: the patient's last message (WhatsApp's customer-service window; issue 17). The details
#: also carry ``last_inbound_at`` (ISO 8601, or null) and ``window_hours``. A client that
#: does not know the reason still reads a 409 ``conflict`` as a rejection with a message.
WHATSAPP_WINDOW_CLOSED = "whatsapp_window_closed"

#: The HTTP status each code is sent with.
STATUS_OF: dict[ErrorCode, int] = {
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.VALIDATION: 422,
    ErrorCode.CONFLICT: 409,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.UNAVAILABLE: 503,
    ErrorCode.INTERNAL: 500,
}


class ErrorDetail(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    code: ErrorCode
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    error: ErrorDetail


def error_body(code: ErrorCode, message: str, details: Any = None) -> dict[str, Any]:
    """The JSON-ready error body for ``code``."""
    return {"error": {"code": code.value, "message": message, "details": details}}
