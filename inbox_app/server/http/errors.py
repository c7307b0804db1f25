"""Every error answer in the contract's shape ``{"error": {"code", "message", "details"}}``.

Routes raise :class:`ApiError`; FastAPI's own validation errors, Starlette's HTTP errors
(unknown path, wrong method) and any unexpected exception are converted here, so no answer
of this server ever has another error shape.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import ORJSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from inbox_app.contract.errors import STATUS_OF, ErrorCode, error_body
from inbox_app.server.db.database import DatabaseUnavailable

log = logging.getLogger(__name__)

_CODE_OF_STATUS: dict[int, ErrorCode] = {
    400: ErrorCode.VALIDATION,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.VALIDATION,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.VALIDATION,
    415: ErrorCode.VALIDATION,
    422: ErrorCode.VALIDATION,
    429: ErrorCode.RATE_LIMITED,
    503: ErrorCode.UNAVAILABLE,
}


class ApiError(Exception):
    """An error answer: ``code`` decides the status unless ``status`` overrides it."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: Any = None,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.status = status or STATUS_OF[code]
        self.headers = headers


def not_found(what: str, ident: int) -> ApiError:
    """The 404 for a missing id, and for an id of another clinic (never say which)."""
    return ApiError(ErrorCode.NOT_FOUND, f"{what} {ident} not found")


def unauthorized(message: str = "missing, invalid or expired token") -> ApiError:
    return ApiError(
        ErrorCode.UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"}
    )


def error_response(
    code: ErrorCode, message: str, details: Any = None, *, status: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> ORJSONResponse:
    return ORJSONResponse(
        error_body(code, message, details), status_code=status or STATUS_OF[code],
        headers=headers,
    )


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # exc.errors() may hold the offending input and exception objects in "ctx": keep only
    # what is JSON-safe and useful to a client.
    details = []
    for err in exc.errors():
        details.append({
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        })
    return details


def _summary(details: list[dict[str, Any]]) -> str:
    if not details:
        return "invalid request"
    first = details[0]
    where = ".".join(p for p in first["loc"] if p not in {"body"}) or "body"
    if first["type"] == "json_invalid":
        return "the request body is not valid JSON"
    return f"invalid request: {where}: {first['msg']}"


def install_error_handlers(app: FastAPI) -> None:
    """Registers the converters from every exception to the contract's error body."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> ORJSONResponse:
        return error_response(
            exc.code, exc.message, exc.details, status=exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> ORJSONResponse:
        details = _validation_details(exc)
        return error_response(ErrorCode.VALIDATION, _summary(details), details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> ORJSONResponse:
        status = exc.status_code
        code = _CODE_OF_STATUS.get(
            status, ErrorCode.INTERNAL if status >= 500 else ErrorCode.VALIDATION
        )
        message = str(exc.detail) if exc.detail else "error"
        if status == 404:
            message = "no such resource"
        return error_response(code, message, status=status, headers=exc.headers)

    @app.exception_handler(DatabaseUnavailable)
    async def _db_down(_request: Request, exc: DatabaseUnavailable) -> ORJSONResponse:
        log.warning("%s", exc)
        return error_response(ErrorCode.UNAVAILABLE, "the database is unavailable, retry soon",
                              headers={"Retry-After": "1"})

    @app.exception_handler(DBAPIError)
    async def _db_error(request: Request, exc: DBAPIError) -> ORJSONResponse:
        if exc.connection_invalidated:  # the connection died mid-request: transient
            log.warning("database connection lost on %s: %s", request.url.path, exc)
            return error_response(ErrorCode.UNAVAILABLE,
                                  "the database connection was lost, retry soon",
                                  headers={"Retry-After": "1"})
        log.exception("database error on %s %s", request.method, request.url.path)
        return error_response(ErrorCode.INTERNAL, "internal server error")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> ORJSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(ErrorCode.INTERNAL, "internal server error")
