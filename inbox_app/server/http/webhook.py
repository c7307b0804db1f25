"""Who may call the inbound webhook (``POST /api/inbound``), and each delivery only once.

The scheme of the WhatsApp Cloud API's webhooks: the sender signs the raw request body with
HMAC-SHA256 under the shared secret and sends ``X-Hub-Signature-256: sha256=<hex>``; the
server recomputes it over the bytes it received and compares in constant time. A signed
delivery is accepted once: its signature is remembered for :data:`REPLAY_WINDOW_SECONDS`
(in Redis when there is one, so every instance knows it; in this process otherwise) and a
second delivery of the same signed body is refused with 409. A sender that means to deliver
the same text twice makes the bodies differ (``InboundRequest.message_id``, the provider's
id of the message).

The old ``X-Webhook-Secret`` header (the secret itself, no body binding, no replay guard)
is still accepted for one release while ``Settings.webhook_shared_secret`` is on (the
default for now; ``INBOX_WEBHOOK_SHARED_SECRET=0`` turns it off).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections import OrderedDict

from starlette.requests import Request

from inbox_app.contract.errors import ErrorCode
from inbox_app.server.cache.aside import Cache
from inbox_app.server.http.errors import ApiError
from inbox_app.server.redis.client import REDIS_ERRORS
from inbox_app.server.settings import Settings

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
SECRET_HEADER = "X-Webhook-Secret"
#: how long a delivery's signature is remembered (a provider retries within hours)
REPLAY_WINDOW_SECONDS = 24 * 3600
#: signatures remembered in process without Redis (oldest forgotten first)
SEEN_MAX = 100_000
_PREFIX = "sha256="


def signature(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value of ``body`` under ``secret``."""
    return _PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookGuard:
    """Checks a delivery's credentials and refuses replays."""

    def __init__(self) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()

    async def admit(self, request: Request, settings: Settings, cache: Cache) -> str | None:
        """Returns the delivery's id (``None`` for the old shared-secret header) or raises
        401 (no or wrong credentials) or 409 (a replay)."""
        expected = settings.webhook_secret
        signed = request.headers.getlist(SIGNATURE_HEADER.lower())
        if len(signed) == 1:
            given = signed[0].encode("utf-8", "replace")
            wanted = signature(expected, await request.body()).encode()
            if not hmac.compare_digest(given, wanted):
                raise ApiError(ErrorCode.UNAUTHORIZED, f"wrong {SIGNATURE_HEADER}")
            delivery = hashlib.sha256(given).hexdigest()
            if not await self._first_time(delivery, cache):
                raise ApiError(ErrorCode.CONFLICT, "this delivery was already received")
            return delivery
        shared = request.headers.getlist(SECRET_HEADER.lower())
        if (not signed and settings.webhook_shared_secret and len(shared) == 1
                and hmac.compare_digest(shared[0].encode("utf-8", "replace"),
                                        expected.encode())):
            return None
        raise ApiError(ErrorCode.UNAUTHORIZED, f"missing or wrong {SIGNATURE_HEADER}")

    async def forget(self, delivery: str | None, cache: Cache) -> None:
        """The delivery failed on our side: its sender may retry it."""
        if delivery is None:
            return
        self._seen.pop(delivery, None)
        if cache.client is not None and cache.breaker.allow():
            try:
                await cache.client.delete(_redis_key(delivery))
            except REDIS_ERRORS as exc:
                logger.debug("webhook: forgetting a delivery failed: %r", exc)

    async def _first_time(self, delivery: str, cache: Cache) -> bool:
        if cache.client is not None and cache.breaker.allow():
            try:
                return bool(await cache.client.set(_redis_key(delivery), b"1", nx=True,
                                                   ex=REPLAY_WINDOW_SECONDS))
            except REDIS_ERRORS as exc:  # remembered here instead
                logger.warning("webhook: Redis unavailable for the replay guard: %r", exc)
        now = time.monotonic()
        while self._seen and next(iter(self._seen.values())) < now - REPLAY_WINDOW_SECONDS:
            self._seen.popitem(last=False)
        if delivery in self._seen:
            return False
        self._seen[delivery] = now
        if len(self._seen) > SEEN_MAX:
            self._seen.popitem(last=False)
        return True


def _redis_key(delivery: str) -> str:
    return f"inbound:delivery:{delivery}"
