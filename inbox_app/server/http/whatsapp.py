"""The WhatsApp Cloud API's webhook (Meta calls it) and "try again" on a failed reply.

- ``GET /api/whatsapp/webhook``: Meta's verification handshake. With ``hub.mode=subscribe``
  and a ``hub.verify_token`` that is some clinic's channel's verify token (compared in
  constant time), the answer is ``hub.challenge`` as plain text; anything else is a 403.
- ``POST /api/whatsapp/webhook``: notifications, signed with ``X-Hub-Signature-256`` (the
  scheme of ``POST /api/inbound``, :func:`inbox_app.server.http.webhook.signature`) under a
  channel's app secret over the raw body. No valid signature: 401 and nothing changes. A
  signed notification is answered 200 even when some of it is malformed (each bad item is
  logged and skipped: Meta disables a webhook that keeps failing); 503 only when the database
  cannot take it, so that Meta delivers it again.
- ``POST /api/conversations/{id}/messages/{message_id}/resend``: a failed reply queued
  again (the receptionist's "try again"), answered with the Message.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from inbox_app.contract.errors import ErrorBody, ErrorCode
from inbox_app.contract.models import Message
from inbox_app.server.auth import AuthUser, current_user
from inbox_app.server.db import idempotency
from inbox_app.server.db.schema import MAX_ID
from inbox_app.server.http.errors import ApiError
from inbox_app.server.http.routes import IdempotencyKey
from inbox_app.server.http.state import state_of
from inbox_app.server.http.webhook import SIGNATURE_HEADER, signature
from inbox_app.server.whatsapp import channels, inbound, notifications
from inbox_app.server.whatsapp.channels import Channel
from inbox_app.server.whatsapp.delivery import resend

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api")
_ERR: dict[str, Any] = {"model": ErrorBody}
#: what Meta sends as a challenge (a number today); anything else is not echoed
_CHALLENGE = re.compile(r"[\x21-\x7e]{1,200}")


@router.get(
    "/whatsapp/webhook",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}, 403: _ERR},
)
async def verify(
    request: Request,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token", max_length=200)] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge", max_length=200)] = None,
) -> Response:
    """Meta's verification handshake: the challenge back, for a known verify token."""
    if mode != "subscribe" or not token or not challenge or not _CHALLENGE.fullmatch(challenge):
        raise ApiError(ErrorCode.FORBIDDEN, "not a verification request")
    async with state_of(request).db.read() as conn:
        known = await channels.every(conn)
    given = token.encode("utf-8", "replace")
    matched = False
    for channel in known:  # every one compared, in constant time each
        matched |= hmac.compare_digest(given, channel.verify_token.encode())
    if not matched:
        log.warning("whatsapp: a verification request with an unknown verify token")
        raise ApiError(ErrorCode.FORBIDDEN, "wrong hub.verify_token")
    return Response(
        challenge, media_type="text/plain", headers={"X-Content-Type-Options": "nosniff"}
    )


@router.post(
    "/whatsapp/webhook",
    status_code=200,
    responses={
        200: {"content": {"application/json": {}}},
        401: _ERR,
        413: _ERR,
        415: _ERR,
        503: _ERR,
    },
)
async def notify(
    request: Request,
    signed: Annotated[
        str | None,
        Header(
            alias=SIGNATURE_HEADER,
            description="sha256=<hex HMAC-SHA256 of the raw body under the app secret>",
        ),
    ] = None,
) -> Response:
    """Meta's notifications: patient messages and the delivery statuses of replies."""
    state = state_of(request)
    body = await request.body()
    given = request.headers.getlist(SIGNATURE_HEADER.lower())
    async with state.db.read() as conn:
        known = await channels.every(conn)
    signer = _signed_for(known, body, given)
    if not signer:
        raise ApiError(ErrorCode.UNAUTHORIZED, f"missing or wrong {SIGNATURE_HEADER}")
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        log.warning("whatsapp: a signed notification that is not JSON was ignored")
        return _ok(0, 0, 1)
    found = notifications.read(payload)
    added, moved = await inbound.apply(state.writer, found, signer)
    return _ok(added, moved, found.skipped)


def _signed_for(known: list[Channel], body: bytes, given: list[str]) -> dict[str, Channel]:
    """Phone number id -> channel, of the channels whose app secret signed ``body``."""
    if len(given) != 1:
        return {}
    sent = given[0].encode("utf-8", "replace")
    signers: dict[str, bool] = {}
    for secret in {channel.app_secret for channel in known}:
        signers[secret] = hmac.compare_digest(sent, signature(secret, body).encode())
    return {
        channel.phone_number_id: channel for channel in known if signers.get(channel.app_secret)
    }


def _ok(added: int, moved: int, skipped: int) -> Response:
    return Response(
        orjson.dumps({"messages": added, "statuses": moved, "skipped": skipped}),
        media_type="application/json",
    )


@router.post(
    "/conversations/{conversation_id}/messages/{message_id}/resend",
    response_model=Message,
    responses={401: _ERR, 404: _ERR, 409: _ERR, 422: _ERR},
)
async def resend_reply(
    request: Request,
    conversation_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    message_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    user: Annotated[AuthUser, Depends(current_user)],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A failed reply goes out again (409 ``whatsapp_window_closed`` past the 24 hours)."""
    state = state_of(request)
    key = idempotency.check_key(idempotency_key)
    print_ = idempotency.fingerprint(request.method, request.url.path, b"")
    status, answer = await state.writer.run(
        resend(user, conversation_id, message_id), user_id=user.id, key=key, print_=print_
    )
    return Response(
        answer, status, media_type="application/json", headers={"Cache-Control": "no-store"}
    )


def _options(allowed: str) -> Any:
    async def options() -> Response:
        return Response(status_code=204, headers={"Allow": allowed})

    return options


# OPTIONS names every method of the path, as routes.py does for the others
_methods: dict[str, set[str]] = {}
for _route in router.routes:
    _methods.setdefault(getattr(_route, "path", ""), set()).update(
        getattr(_route, "methods", None) or ()
    )
for _path, _allowed in _methods.items():
    router.add_api_route(
        _path.removeprefix(router.prefix),
        _options(", ".join(sorted(_allowed | {"OPTIONS"}))),
        methods=["OPTIONS"],
        status_code=204,
        include_in_schema=False,
    )
