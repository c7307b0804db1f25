"""The client's error tree, and the one place that maps lower-layer failures onto it.

::

    ClientError
     ├── TransientError          retry later (network, timeout, 5xx, 408, 429)
     │    └── OfflineError       the server could not be reached at all: pause, spend no attempt
     ├── RejectedError           the server said no (other 4xx): roll back, show .message
     │    ├── UnauthorizedError  the token is missing, wrong or expired: log in again
     │    └── TooManyAttemptsError  too many wrong passwords: wait .retry_after (or sign in)
     ├── InvalidAnswerError      the answer breaks the wire contract
     └── NotAvailableOffline     a read missed the local cache while the server is unreachable

Callers decide with one ``isinstance``: the retry policy retries :class:`TransientError`,
the optimistic engine rolls back on :class:`RejectedError`, the UI asks for the password on
:class:`UnauthorizedError`. httpx and websockets exceptions never leave this package raw.
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import ValidationError

from inbox_app.contract.errors import ErrorBody

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

#: The longest Retry-After the client honours, in seconds; a larger value is clamped so a
#: misconfigured proxy cannot park the outbox for hours.
MAX_RETRY_AFTER = 300.0


class ClientError(Exception):
    """Base of every error the client core raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransientError(ClientError):
    """A failure that may succeed later: network, timeout, 5xx, 408, 429.

    ``retry_after`` is the server's Retry-After in seconds, when it sent one.
    """

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class OfflineError(TransientError):
    """The server could not be reached (connection refused, no route, DNS)."""


class CertificateError(OfflineError):
    """The server's certificate does not verify (unknown CA, wrong name, expired). Never
    answered by turning verification off: the message says why, the outbox waits."""


class RejectedError(ClientError):
    """The server refused the request (a 4xx other than 408/429); ``code`` is the wire code."""

    def __init__(self, message: str, *, code: str = "rejected", status: int | None = None,
                 details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.details = details

    @property
    def reason(self) -> str | None:
        """The server's ``details.reason``, a code the app may say in its own words
        (``contract.errors.WHATSAPP_WINDOW_CLOSED``), or None."""
        reason = self.details.get("reason") if isinstance(self.details, dict) else None
        return reason if isinstance(reason, str) else None


class UnauthorizedError(RejectedError):
    """The session is missing, invalid or expired: the user must log in again."""


class TooManyAttemptsError(RejectedError):
    """Too many wrong passwords (the server's 429 at sign-in, or the offline unlock's limit).

    ``retry_after`` is the wait in seconds; ``None`` when offline unlock is over until the
    next online sign-in."""

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message, code="rate_limited", status=429)
        self.retry_after = retry_after


class PendingActionsError(ClientError):
    """Logout found actions not yet sent (offline, or failed): nothing was deleted; the user
    chooses to wait, discard them, or stay signed in."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} action(s) not sent yet")
        self.count = count


class InvalidAnswerError(ClientError):
    """The server's answer (or a cached entry) does not match the wire contract."""


class NotAvailableOffline(ClientError):
    """The data was never cached (or is older than max-stale) and the server is unreachable."""


def unreachable(exc: ClientError) -> bool:
    """Whether ``exc`` means no answer came from the server at all (refused, no route,
    timeout, dropped connection): reads then fall back to the cache, as when offline."""
    return isinstance(exc, TransientError) and exc.status is None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        import email.utils  # only for an HTTP-date Retry-After

        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _error_fields(response: httpx.Response) -> tuple[str | None, str | None, Any]:
    """(code, message, details) from a contract error body, or Nones for anything else."""
    try:
        body = ErrorBody.model_validate(orjson.loads(response.content))
    except (orjson.JSONDecodeError, ValidationError, TypeError, ValueError):
        return None, None, None
    return body.error.code.value, body.error.message, body.error.details


def from_response(response: httpx.Response) -> ClientError:
    """The error for a non-2xx answer (the one mapping from HTTP status to the tree)."""
    status = response.status_code
    code, message, details = _error_fields(response)
    text = message or f"HTTP {status} {response.reason_phrase}".strip()
    if status in (408, 429) or status >= 500:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return TransientError(text, status=status, retry_after=retry_after)
    if status == 401:
        return UnauthorizedError(text, code=code or "unauthorized", status=status)
    if 400 <= status < 500:
        return RejectedError(text, code=code or "rejected", status=status, details=details)
    return InvalidAnswerError(f"unexpected HTTP status {status}")


def from_exception(exc: BaseException) -> ClientError:
    """The error for an exception raised by httpx, websockets or the OS."""
    if isinstance(exc, ClientError):
        return exc
    certificate = _certificate_failure(exc)
    if certificate is not None:
        return CertificateError(
            f"the server's certificate could not be verified ({certificate}); if the clinic "
            f"uses its own certificate authority, set INBOX_CA_FILE to its certificate file")
    # httpx and websockets are imported here, not at the top: the app paints its first
    # window before it loads the network libraries (issue 13), and this module is on that
    # path. An exception of theirs means they are loaded already.
    import httpx
    from websockets.exceptions import InvalidStatus, WebSocketException

    # Nothing reached the server: refused, no route, or no answer to the connect (a
    # blackholed network). The outbox pauses on these without spending attempts.
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | ConnectionRefusedError):
        return OfflineError(f"server unreachable: {exc or type(exc).__name__}")
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return TransientError(f"timed out: {type(exc).__name__}")
    if isinstance(exc, httpx.TransportError | OSError):
        return TransientError(f"network error: {exc or type(exc).__name__}")

    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        if status in (401, 403):
            return UnauthorizedError(f"live connection refused: HTTP {status}", status=status)
        if status >= 500 or status in (408, 429):
            return TransientError(f"live connection: HTTP {status}", status=status)
        return RejectedError(f"live connection refused: HTTP {status}", status=status)
    if isinstance(exc, WebSocketException):
        return TransientError(f"live connection: {exc}")
    if isinstance(exc, ValidationError | orjson.JSONDecodeError):
        return InvalidAnswerError(f"answer breaks the contract: {exc}")
    log.debug("unmapped exception %r", exc)
    return ClientError(f"{type(exc).__name__}: {exc}")


def _certificate_failure(exc: BaseException) -> str | None:
    """The verification reason when ``exc`` (or what caused it) is a certificate failure."""
    import ssl

    seen: BaseException | None = exc
    for _ in range(6):  # httpx and websockets wrap the ssl error a level or two deep
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None
