"""The Graph API client: sends a text reply, and says what a failure means.

``POST /{version}/{phone-number-id}/messages`` with the clinic's access token and
``{"messaging_product": "whatsapp", "recipient_type": "individual", "to", "type": "text",
"text": {"body"}}`` answers ``{"messaging_product", "contacts": [{"input", "wa_id"}],
"messages": [{"id": "wamid…"}]}``. A failure answers ``{"error": {"message", "type", "code",
"error_subcode", "error_data", "fbtrace_id"}}``, mostly with HTTP 400 whatever the cause, so
whether to retry is decided by the code as well as the status (:func:`classify`).
"""

from __future__ import annotations

import logging
import math
from typing import Any, Protocol

import httpx
import orjson

from inbox_app.contract import VERSION
from inbox_app.server.whatsapp.outbound import Parcel
from inbox_app.server.whatsapp.settings import WhatsAppSettings

log = logging.getLogger(__name__)

#: Graph API error codes that mean "later": rate limits (130429 throughput, 131056 one
#: pair of numbers, 80007 and 4 the account or app), and Meta's own trouble (1, 2, 131000,
#: 131016). Anything else is the request's or the account's problem: retrying repeats it.
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056})
#: the longest Retry-After honoured, in seconds
MAX_RETRY_AFTER = 3600.0


class SendError(Exception):
    """A send that failed: ``transient`` ones are retried, the others mark the reply failed
    with ``code`` and ``title`` (what the window shows)."""

    def __init__(
        self,
        title: str,
        *,
        transient: bool,
        code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(title)
        self.title = title
        self.transient = transient
        self.code = code
        self.retry_after = retry_after


class Sender(Protocol):
    """What the delivery worker sends through: the Graph API, or the demo's simulation."""

    async def send(self, parcel: Parcel) -> str:
        """Sends ``parcel``'s text to its WhatsApp number; the new message's wamid.
        Raises :class:`SendError`."""
        ...

    async def close(self) -> None: ...


class GraphApi:
    """One pooled HTTP client for the process's life."""

    def __init__(self, settings: WhatsAppSettings) -> None:
        self.settings = settings
        self.http = httpx.AsyncClient(
            base_url=settings.graph_url,
            headers={"User-Agent": f"clinic-inbox/{VERSION}"},
            timeout=httpx.Timeout(settings.request_timeout, connect=5.0),
        )

    async def send(self, parcel: Parcel) -> str:
        channel = parcel.channel
        if channel is None:
            raise SendError("no WhatsApp channel is set for this clinic", transient=False)
        path = f"/{self.settings.graph_version}/{channel.phone_number_id}/messages"
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": parcel.to,
            "type": "text",
            "text": {"preview_url": False, "body": parcel.body},
        }
        try:
            answer = await self.http.post(
                path,
                content=orjson.dumps(payload),
                headers={
                    "Authorization": f"Bearer {channel.access_token}",
                    "Content-Type": "application/json",
                },
            )
        except httpx.TransportError as exc:  # never reached Meta, or no answer: try again
            raise SendError(f"network error: {type(exc).__name__}", transient=True) from None
        if answer.is_success:
            wamid = _wamid(answer)
            if wamid is None:
                raise SendError("the Graph API answered without a message id", transient=True)
            return wamid
        raise classify(answer.status_code, _json(answer), answer.headers.get("retry-after"))

    async def close(self) -> None:
        await self.http.aclose()


def _json(answer: httpx.Response) -> Any:
    try:
        return orjson.loads(answer.content)
    except orjson.JSONDecodeError:
        return None


def _wamid(answer: httpx.Response) -> str | None:
    body = _json(answer)
    try:
        wamid = body["messages"][0]["id"]
    except (TypeError, KeyError, IndexError):
        return None
    return wamid if isinstance(wamid, str) and 0 < len(wamid) <= 200 else None


def classify(status: int, body: Any, retry_after: str | None = None) -> SendError:
    """The :class:`SendError` of a failed answer (its status, JSON body and Retry-After)."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    message = error.get("message") if isinstance(error.get("message"), str) else None
    details = (
        error.get("error_data", {}).get("details")
        if isinstance(error.get("error_data"), dict)
        else None
    )
    title = (message or f"HTTP {status}")[:300]
    transient = status == 429 or status >= 500 or code in TRANSIENT_CODES
    if details and isinstance(details, str) and not transient:
        title = f"{title}: {details}"[:300]
    return SendError(
        title,
        transient=transient,
        code=code,
        retry_after=_seconds(retry_after) if transient else None,
    )


def _seconds(value: str | None) -> float | None:
    """A Retry-After in seconds (Meta sends delta-seconds), bounded."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    if seconds is None or math.isnan(seconds) or seconds < 0:
        return None
    return min(seconds, MAX_RETRY_AFTER)
