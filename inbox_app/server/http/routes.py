"""The HTTP routes of ARCHITECTURE.md section 4.

Reads go through the cache-aside surface (``Cache.get_or_load``) and check the owning clinic
of what they got before answering: a cache hit never skips authorization, and another
clinic's id is a 404 exactly like a missing one. Writes go through :class:`Writer`.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel

from inbox_app.contract.errors import ErrorBody, ErrorCode
from inbox_app.contract.models import (
    DETAIL_MESSAGE_LIMIT,
    ConversationDetail,
    ConversationList,
    ConversationSummary,
    InboundRequest,
    LoginAnswer,
    LoginRequest,
    Message,
    MessagesPage,
    Note,
    Patient,
    PriorityRequest,
    TextRequest,
    UserSession,
)
from inbox_app.contract.policy import CacheKind, policy_document, session_key
from inbox_app.server.auth import AuthUser, current_user
from inbox_app.server.db import idempotency, store
from inbox_app.server.db.schema import MAX_ID
from inbox_app.server.db.writes import Change
from inbox_app.server.http import cached
from inbox_app.server.http.errors import ApiError, not_found
from inbox_app.server.http.state import state_of

PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="an id")]
User = Annotated[AuthUser, Depends(current_user)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description=(
            "The client's mutation id: 1 to 200 visible ASCII characters. The server keeps "
            "(key, user) -> answer for 24 h: a repeat of the same request replays the stored "
            "answer and never applies twice; the same key with another method, path or body "
            "is a 422, as is a malformed key. Without the header the mutation is applied "
            "without that protection."),
        # documented here, checked by idempotency.check_key (its clear message)
        json_schema_extra={"pattern": "^[!-~]{1,200}$", "minLength": 1, "maxLength": 200},
    ),
]

_ERR = {"model": ErrorBody}
#: FastAPI answers 400 when a body cannot be decoded (not UTF-8) before JSON parsing
_NOT_UTF8 = {"model": ErrorBody, "description": "the request body is not UTF-8"}
READ_ERRORS: dict[int | str, dict[str, Any]] = {401: _ERR, 404: _ERR, 422: _ERR}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _NOT_UTF8, 401: _ERR, 404: _ERR, 413: _ERR, 415: _ERR, 422: _ERR
}
JSON = "application/json"
NO_STORE = {"Cache-Control": "no-store"}

router = APIRouter(prefix="/api")


def _check_text(*values: str | None) -> None:
    """Rejects text no database can store (NUL, lone surrogates) with a clear 422."""
    for value in values:
        if value is None:
            continue
        if "\x00" in value:
            raise ApiError(ErrorCode.VALIDATION, "text must not contain NUL characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ApiError(ErrorCode.VALIDATION, "text is not valid Unicode") from None


def _json(body: bytes, status: int = 200) -> Response:
    """A JSON answer that carries user or patient data: no cache on the way keeps it."""
    return Response(body, status, media_type=JSON, headers=NO_STORE)


async def _cached(request: Request, kind: CacheKind, ident: int, user: AuthUser,
                  what: str) -> Response:
    """The cached read of ``kind`` for ``ident`` (the fast path's rule), or a 404."""
    value = await cached.read(state_of(request), kind, ident, user.clinic_id)
    if value is None:
        raise not_found(what, ident)
    return cached.response(value, request.headers.get("accept-encoding", "").encode("latin-1"))


async def _write(
    request: Request, user: AuthUser, key: str | None, change: Change,
    payload: BaseModel | None = None,
) -> Response:
    state = state_of(request)
    key = idempotency.check_key(key)
    body = payload.model_dump_json().encode() if payload is not None else b""
    print_ = idempotency.fingerprint(request.method, request.url.path, body)
    status, answer = await state.writer.run(change, user_id=user.id, key=key, print_=print_)
    return _json(answer, status)


# --- auth and session -------------------------------------------------------------------


@router.post("/auth/login", response_model=LoginAnswer,
             responses={400: _NOT_UTF8, 401: _ERR, 413: _ERR, 415: _ERR, 422: _ERR,
                        429: _ERR})
async def login(request: Request, body: LoginRequest) -> Response:
    """Exchanges email and password for a bearer token and the session."""
    _check_text(body.email, body.password)
    state = state_of(request)
    address = request.client.host if request.client is not None else ""
    result = await state.auth.login(body.email, body.password, address)
    if result is None:
        raise ApiError(ErrorCode.UNAUTHORIZED, "wrong email or password")
    token, user = result
    answer = LoginAnswer(token=token, session=await _session(request, user))
    return _json(store.to_json(answer))


@router.post("/auth/logout", status_code=204, responses={401: _ERR})
async def logout(request: Request, user: User) -> Response:
    """Ends this token (and closes its live sockets)."""
    state = state_of(request)
    await state.auth.logout(user)
    await state.cache.invalidate([session_key(user.id)])
    state.hub.kick_token(user.token_hash)
    await state.bus.publish_revoked(user.token_hash)  # and on every other instance
    return Response(status_code=204)


async def _session(request: Request, user: AuthUser) -> UserSession:
    value = await cached.read(state_of(request), CacheKind.USER_SESSION, user.id,
                              user.clinic_id)
    if value is None:
        raise not_found("user", user.id)
    # The cached part is {"user","clinic"}; the expiry belongs to this token.
    return UserSession.model_validate(
        {**orjson.loads(value.json_bytes()), "expires_at": user.expires_at})


@router.get("/session", response_model=UserSession, responses={401: _ERR})
async def session(request: Request, user: User) -> Response:
    """The signed-in user, their clinic and when the token expires."""
    return _json(store.to_json(await _session(request, user)))


@router.get("/cache-policy")
async def cache_policy() -> dict[str, Any]:
    """The cache policy table both cache layers follow (the client mirrors it)."""
    return policy_document()


# --- reads ------------------------------------------------------------------------------


@router.get("/clinics/{clinic_id}/conversations", response_model=ConversationList,
            responses=READ_ERRORS)
async def conversations_list(request: Request, clinic_id: PathId, user: User) -> Response:
    """Every conversation of the clinic, the most recent message first."""
    if clinic_id != user.clinic_id:
        raise not_found("clinic", clinic_id)
    return await _cached(request, CacheKind.CONVERSATIONS_LIST, clinic_id, user, "clinic")


@router.get("/conversations/{conversation_id}", response_model=ConversationDetail,
            responses=READ_ERRORS)
async def conversation_detail(request: Request, conversation_id: PathId, user: User) -> Response:
    """The summary, the latest 100 messages and every note."""
    return await _cached(request, CacheKind.CONVERSATION_DETAIL, conversation_id, user,
                         "conversation")


@router.get("/conversations/{conversation_id}/messages", response_model=MessagesPage,
            responses=READ_ERRORS)
async def older_messages(
    request: Request, conversation_id: PathId, user: User,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID,
                                        description="a message id: messages older than it")]
    = None,
    limit: Annotated[int, Query(ge=1, le=DETAIL_MESSAGE_LIMIT)] = DETAIL_MESSAGE_LIMIT,
) -> Response:
    """A page of messages older than ``before`` (not cached)."""
    state = state_of(request)
    async with state.db.read() as conn:
        if await store.conversation_clinic(conn, conversation_id) != user.clinic_id:
            raise not_found("conversation", conversation_id)
        page = await store.messages_page(conn, conversation_id, before, limit)
    return _json(store.to_json(page))


@router.get("/patients/{patient_id}", response_model=Patient, responses=READ_ERRORS)
async def patient(request: Request, patient_id: PathId, user: User) -> Response:
    """One patient of the user's clinic."""
    return await _cached(request, CacheKind.PATIENT_DATA, patient_id, user, "patient")


# --- mutations --------------------------------------------------------------------------


def _summary_route(action: str) -> Any:
    async def route(
        request: Request, conversation_id: PathId, user: User,
        idempotency_key: IdempotencyKey = None,
    ) -> Response:
        writer = state_of(request).writer
        return await _write(request, user, idempotency_key,
                            writer.summary_change(user, conversation_id, action))

    route.__name__ = f"mark_{action}"
    route.__doc__ = f"{action.capitalize()}: answers the new ConversationSummary."
    return route


for _action in ("read", "unread", "archive", "unarchive"):
    router.add_api_route(
        f"/conversations/{{conversation_id}}/{_action}", _summary_route(_action),
        methods=["POST"], response_model=ConversationSummary, responses=WRITE_ERRORS,
    )


@router.put("/conversations/{conversation_id}/priority", response_model=ConversationSummary,
            responses=WRITE_ERRORS)
async def set_priority(
    request: Request, conversation_id: PathId, body: PriorityRequest, user: User,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Sets the priority; answers the new ConversationSummary."""
    writer = state_of(request).writer
    return await _write(request, user, idempotency_key,
                        writer.summary_change(user, conversation_id, "priority", body.priority),
                        body)


@router.post("/conversations/{conversation_id}/notes", status_code=201, response_model=Note,
             responses=WRITE_ERRORS)
async def add_note(
    request: Request, conversation_id: PathId, body: TextRequest, user: User,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Adds an internal note (never shown to the patient)."""
    _check_text(body.body)
    writer = state_of(request).writer
    return await _write(request, user, idempotency_key,
                        writer.add_note(user, conversation_id, body.body), body)


@router.post("/conversations/{conversation_id}/messages", status_code=201,
             response_model=Message, responses=WRITE_ERRORS)
async def reply(
    request: Request, conversation_id: PathId, body: TextRequest, user: User,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Sends a reply to the patient."""
    _check_text(body.body)
    writer = state_of(request).writer
    return await _write(request, user, idempotency_key,
                        writer.reply(user, conversation_id, body.body), body)


@router.post("/inbound", status_code=201, response_model=Message,
             responses={400: _NOT_UTF8, 401: _ERR, 404: _ERR, 409: _ERR, 413: _ERR, 415: _ERR,
                        422: _ERR})
async def inbound(
    request: Request, body: InboundRequest,
    signature: Annotated[str | None, Header(
        alias="X-Hub-Signature-256",
        description="sha256=<hex HMAC-SHA256 of the raw body under the webhook secret>; "
                    "a delivery already received is refused with 409")] = None,
    webhook_secret: Annotated[str | None, Header(
        alias="X-Webhook-Secret", description="deprecated: the secret itself, accepted "
        "while INBOX_WEBHOOK_SHARED_SECRET is on (this release only)")] = None,
) -> Response:
    """Webhook: a patient message arrives (creates patient and conversation if new)."""
    state = state_of(request)
    delivery = await state.webhook.admit(request, state.settings, state.cache)
    try:
        _check_text(body.phone, body.name, body.body, body.channel)
        status, answer = await state.writer.run(state.writer.inbound(body))
    except BaseException:
        await state.webhook.forget(delivery, state.cache)
        raise
    return _json(answer, status)


def _options(allowed: str) -> Any:
    async def options() -> Response:
        return Response(status_code=204, headers={"Allow": allowed})
    return options


# OPTIONS on a path names every method of every route of that path (Starlette alone names
# only the first route's: GET for the messages path, which takes POST too). One route per
# path, so an unknown path stays a 404.
_methods: dict[str, set[str]] = {}
for _route in router.routes:
    _methods.setdefault(getattr(_route, "path", ""), set()).update(
        getattr(_route, "methods", None) or ())
for _path, _allowed in _methods.items():
    router.add_api_route(_path.removeprefix(router.prefix),
                         _options(", ".join(sorted(_allowed | {"OPTIONS"}))),
                         methods=["OPTIONS"], status_code=204, include_in_schema=False)
