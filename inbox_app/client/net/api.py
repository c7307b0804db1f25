"""The HTTP API client: one ``httpx.AsyncClient`` for the app's life, answers validated.

Every answer is checked against the contract models; one that does not fit raises
:class:`~inbox_app.client.errors.InvalidAnswerError`. Every failure leaves this module as a
:mod:`inbox_app.client.errors` error, mapped in one place (``errors.from_response`` and
``errors.from_exception``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from inbox_app.client.actions.record import ActionKind, Mutation
from inbox_app.client.errors import (
    InvalidAnswerError,
    from_exception,
    from_response,
    unreachable,
)
from inbox_app.client.net import tls
from inbox_app.client.net.reachability import Reachability
from inbox_app.contract import VERSION
from inbox_app.contract.metrics import ServerMetrics
from inbox_app.contract.models import (
    ConversationDetail,
    ConversationList,
    ConversationSummary,
    Health,
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

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
#: Told the bytes an answer took on the wire (body as sent, before decompression).
Meter = Callable[[int], None]

#: Seconds: connect fast (a dead server must not freeze the outbox), read with patience.
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0

_SUMMARY_PATHS = {
    ActionKind.MARK_READ: ("POST", "read"),
    ActionKind.MARK_UNREAD: ("POST", "unread"),
    ActionKind.ARCHIVE: ("POST", "archive"),
    ActionKind.UNARCHIVE: ("POST", "unarchive"),
}


class Api:
    """The wire contract's HTTP side, as typed coroutines."""

    def __init__(self, server_url: str, *, token: str | None = None,
                 timeout: httpx.Timeout | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 reachability: Reachability | None = None) -> None:
        """``timeout``: default :data:`CONNECT_TIMEOUT` and :data:`READ_TIMEOUT`."""
        self.server_url = server_url.rstrip("/")
        #: told the outcome of every request (issue 18: one source of truth)
        self.reachability = reachability or Reachability()
        self._timeout = timeout
        self._transport = transport
        self._http: httpx.AsyncClient | None = None
        self._closed = False
        self.token = token

    @property
    def http(self) -> httpx.AsyncClient:
        """The one connection pool, made at the first request. httpx (~0.15 s to import)
        and the TLS context load then, not when the client is built: a resumed app paints
        its window from the cache before it talks to the server (issue 13)."""
        if self._http is None:
            import httpx

            if self._closed:
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            headers = {"User-Agent": f"inbox-app/{VERSION}"}
            if self._token:
                headers["Authorization"] = f"Bearer {self._token}"
            self._http = httpx.AsyncClient(
                base_url=self.server_url, transport=self._transport, headers=headers,
                timeout=self._timeout or httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
                verify=tls.ssl_context(),  # the OS trust store plus INBOX_CA_FILE (tls.py)
            )
        return self._http

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        if self._http is None:
            return  # the pool is made with it
        if value:
            self._http.headers["Authorization"] = f"Bearer {value}"
        else:
            self._http.headers.pop("Authorization", None)

    async def close(self) -> None:
        """Closes the connection pool (if a request ever opened it)."""
        self._closed = True
        if self._http is not None:
            await self._http.aclose()

    # --- plumbing ------------------------------------------------------------------------

    async def request(self, method: str, path: str, *, json: Any = None,
                      headers: dict[str, str] | None = None, params: Any = None,
                      time_limit: float | None = None) -> httpx.Response:
        """One request; a non-2xx answer or a transport failure raises a ClientError.
        Its outcome (an answer, or none) goes to :attr:`reachability`."""
        started = self.reachability.now()
        options: dict[str, Any] = {} if time_limit is None else {"timeout": time_limit}
        try:
            response = await self.http.request(method, path, json=json, headers=headers,
                                               params=params, **options)
        except Exception as exc:
            error = from_exception(exc)
            if unreachable(error):
                self.reachability.failed(started)
            raise error from exc
        self.reachability.answered()
        if response.is_success:
            return response
        raise from_response(response)

    async def get_json(self, path: str, model: type[M], *, meter: Meter | None = None,
                       **kwargs: Any) -> tuple[M, Any]:
        """(validated model, the JSON as sent) for a GET; the JSON is what the cache keeps.
        ``meter`` is told the answer's size on the wire (the prefetch's byte budget)."""
        response = await self.request("GET", path, **kwargs)
        if meter is not None:
            meter(response.num_bytes_downloaded)
        return self.parse(response, model)

    async def get_document(self, path: str) -> Any:
        """The JSON of a GET that has no contract model (the policy table)."""
        response = await self.request("GET", path)
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise InvalidAnswerError(f"{path}: answer is not JSON: {exc}") from exc

    @staticmethod
    def parse(response: httpx.Response, model: type[M]) -> tuple[M, Any]:
        """(validated model, its JSON) of an answer; InvalidAnswerError if it does not fit."""
        try:
            wire = orjson.loads(response.content)
            return model.model_validate(wire), wire
        except (orjson.JSONDecodeError, ValidationError) as exc:
            path = response.request.url.path
            raise InvalidAnswerError(f"{path}: answer breaks the contract: {exc}") from exc

    # --- endpoints -----------------------------------------------------------------------

    async def login(self, email: str, password: str) -> LoginAnswer:
        """Signs in; the answer's token is used for every later request."""
        body = LoginRequest(email=email, password=password).model_dump()
        response = await self.request("POST", "/api/auth/login", json=body)
        answer, _ = self.parse(response, LoginAnswer)
        self.token = answer.token
        return answer

    async def logout(self) -> None:
        """Ends the session on the server."""
        await self.request("POST", "/api/auth/logout")
        self.token = None

    async def session(self) -> tuple[UserSession, Any]:
        return await self.get_json("/api/session", UserSession)

    async def cache_policy(self) -> Any:
        """The server's cache policy document (``contract.policy.parse_policy_document``)."""
        return await self.get_document("/api/cache-policy")

    async def conversations(self, clinic_id: int) -> tuple[ConversationList, Any]:
        return await self.get_json(f"/api/clinics/{clinic_id}/conversations", ConversationList)

    async def conversation(self, conversation_id: int, *, meter: Meter | None = None
                           ) -> tuple[ConversationDetail, Any]:
        return await self.get_json(f"/api/conversations/{conversation_id}", ConversationDetail,
                                   meter=meter)

    async def older_messages(self, conversation_id: int, before: int) -> MessagesPage:
        page, _ = await self.get_json(f"/api/conversations/{conversation_id}/messages",
                                      MessagesPage, params={"before": before})
        return page

    async def patient(self, patient_id: int, *, meter: Meter | None = None
                      ) -> tuple[Patient, Any]:
        return await self.get_json(f"/api/patients/{patient_id}", Patient, meter=meter)

    async def metrics(self) -> ServerMetrics:
        """The server's ``GET /api/metrics`` figures."""
        return (await self.get_json("/api/metrics", ServerMetrics))[0]

    async def health(self) -> Health:
        """The server's ``GET /api/health`` answer (status, db, cache, version)."""
        return (await self.get_json("/api/health", Health))[0]

    async def probe(self, time_limit: float) -> None:
        """A cheap request whose only job is to learn whether the server answers (its
        outcome reaches :attr:`reachability`; a 503 is an answer too)."""
        await self.request("GET", "/api/health", time_limit=time_limit)

    async def send(self, mutation: Mutation) -> ConversationSummary | Note | Message:
        """Sends one optimistic action with its id as the Idempotency-Key."""
        headers = {"Idempotency-Key": mutation.id}
        base = f"/api/conversations/{mutation.conversation_id}"
        kind = mutation.kind
        if kind in _SUMMARY_PATHS:
            method, verb = _SUMMARY_PATHS[kind]
            response = await self.request(method, f"{base}/{verb}", headers=headers)
            return self.parse(response, ConversationSummary)[0]
        if kind is ActionKind.SET_PRIORITY:
            body = PriorityRequest(priority=mutation.args["priority"]).model_dump(mode="json")
            response = await self.request("PUT", f"{base}/priority", json=body, headers=headers)
            return self.parse(response, ConversationSummary)[0]
        if kind is ActionKind.RESEND_REPLY:
            response = await self.request(
                "POST", f"{base}/messages/{mutation.args['message_id']}/resend", headers=headers)
            return self.parse(response, Message)[0]
        body = TextRequest(body=mutation.args["body"]).model_dump()
        if kind is ActionKind.ADD_NOTE:
            response = await self.request("POST", f"{base}/notes", json=body, headers=headers)
            return self.parse(response, Note)[0]
        response = await self.request("POST", f"{base}/messages", json=body, headers=headers)
        return self.parse(response, Message)[0]
