"""A local stand-in for Meta's Graph API (WhatsApp Cloud API), the only stand-in of the
WhatsApp tests: the server under test is the real one, and so is this HTTP server on
loopback.

It answers ``POST /{version}/{phone-number-id}/messages`` as Meta's documentation shows: a
text message request (``messaging_product``, ``recipient_type``, ``to``, ``type: text``,
``text.body``) with the phone number's access token gets ``{"messaging_product":
"whatsapp", "contacts": [{"input", "wa_id"}], "messages": [{"id": "wamid…"}]}``; a wrong
token a 401 with error 190; a malformed request a 400 with error 100; and the failures a test
scripts (:meth:`GraphStandIn.script`) come in Meta's error shape ``{"error": {"message",
"type", "code", "error_subcode", "error_data", "fbtrace_id"}}``: 131047 (the 24-hour
window), 130429 (throughput rate limit, HTTP 400 as Meta sends it), 131000 (HTTP 500),
a bare 503, or an answer held back until the test releases it. Every request is recorded.

It also plays Meta's webhook: :meth:`GraphStandIn.notify` signs a notification with the
app secret (``X-Hub-Signature-256``) and POSTs it to the server; :func:`messages_payload`
and :func:`statuses_payload` build notifications in Meta's format.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

_PATH = re.compile(r"^/(v\d+\.\d+)/(\d+)/messages$")
_COUNTER = itertools.count(1)

#: Scripted failures, by name: (HTTP status, Meta's error object, or None for an answer
#: that is not JSON, as a proxy in front of Meta may give).
FAILURES: dict[str, tuple[int, dict[str, Any] | None]] = {
    "window": (
        400,
        {
            "message": "(#131047) Re-engagement message",
            "type": "OAuthException",
            "code": 131047,
            "error_data": {
                "messaging_product": "whatsapp",
                "details": "Message failed to send because more than 24 hours have passed "
                "since the customer last replied to this number.",
            },
        },
    ),
    "rate_limit": (
        400,
        {
            "message": "(#130429) Rate limit hit",
            "type": "OAuthException",
            "code": 130429,
            "error_data": {
                "messaging_product": "whatsapp",
                "details": "Cloud API message throughput has been reached.",
            },
        },
    ),
    "too_many": (
        429,
        {
            "message": "(#80007) Rate limit issues",
            "type": "OAuthException",
            "code": 80007,
            "error_data": {
                "messaging_product": "whatsapp",
                "details": "The WhatsApp Business Account has reached its rate limit.",
            },
        },
    ),
    "server_error": (
        500,
        {
            "message": "(#131000) Something went wrong",
            "type": "OAuthException",
            "code": 131000,
            "error_data": {"messaging_product": "whatsapp", "details": "Something went wrong"},
        },
    ),
    "unavailable": (503, None),
    # no answer at all: the connection is closed (a network failure; recorded as status 0)
    "drop": (0, None),
    "bad_number": (
        400,
        {
            "message": "(#131030) Recipient phone number not in allowed list",
            "type": "OAuthException",
            "code": 131030,
            "error_data": {
                "messaging_product": "whatsapp",
                "details": "Recipient phone number not in allowed list",
            },
        },
    ),
}


@dataclass(frozen=True)
class Received:
    """One request to the messages endpoint, as it arrived."""

    version: str
    phone_number_id: str
    authorization: str
    body: Any
    #: what the stand-in answered: HTTP status, and the wamid of a success
    status: int
    wamid: str | None


@dataclass
class _Step:
    failure: str | None = None  # a FAILURES name, or None for success
    retry_after: str | None = None
    #: set when the request arrives; the answer waits for ``release``
    arrived: threading.Event | None = None
    release: threading.Event | None = None


@dataclass
class GraphStandIn:
    """The stand-in; ``tokens`` maps phone number id -> the access token it accepts."""

    tokens: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    #: seconds every answer waits (several instances' sends then overlap)
    latency: float = 0.0

    def __post_init__(self) -> None:
        self._steps: deque[_Step] = deque()
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="graph-standin"
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> GraphStandIn:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- scripting ------------------------------------------------------------------------

    def script(self, *failures: str, retry_after: str | None = None) -> None:
        """The next requests fail as named (:data:`FAILURES`), in order; then success."""
        with self._changed:
            self._steps.extend(_Step(name, retry_after) for name in failures)

    def reset(self) -> None:
        """Forgets what was received and scripted (a new test on a shared stand-in)."""
        with self._changed:
            self.received.clear()
            self._steps.clear()
            self.latency = 0.0

    def hold_next(self, failure: str | None = None) -> tuple[threading.Event, threading.Event]:
        """The next request waits: ``(arrived, release)``; it is answered (success, or
        ``failure``) once the test sets ``release``."""
        arrived, release = threading.Event(), threading.Event()
        with self._changed:
            self._steps.append(_Step(failure, arrived=arrived, release=release))
        return arrived, release

    def wait_for(
        self, condition: Callable[[list[Received]], bool], timeout: float = 20.0
    ) -> list[Received]:
        """Blocks until ``condition(received)`` holds; the requests so far."""
        with self._changed:
            if not self._changed.wait_for(lambda: condition(self.received), timeout):
                raise AssertionError(
                    f"the stand-in saw {len(self.received)} request(s): "
                    f"{[(r.status, r.body) for r in self.received]}"
                )
            return list(self.received)

    def texts(self) -> list[str]:
        with self._changed:
            return [
                r.body["text"]["body"]
                for r in self.received
                if isinstance(r.body, dict) and r.status == 200
            ]

    # --- the webhook side -----------------------------------------------------------------

    @staticmethod
    def notify(
        server_url: str,
        payload: Any,
        app_secret: str | None,
        *,
        raw: bytes | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        """POSTs a notification to the server's webhook, signed as Meta signs it."""
        body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "facebookexternalua"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        elif app_secret is not None:
            headers["X-Hub-Signature-256"] = (
                "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
            )
        return httpx.post(
            f"{server_url}/api/whatsapp/webhook", content=body, headers=headers, timeout=20
        )

    # --- the HTTP side ----------------------------------------------------------------------

    def _next_step(self) -> _Step:
        with self._changed:
            return self._steps.popleft() if self._steps else _Step()

    def _record(self, received: Received) -> None:
        with self._changed:
            self.received.append(received)
            self._changed.notify_all()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the test's output is the server's

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                match = _PATH.match(self.path)
                if match is None:
                    self._answer(404, _error("Unknown path components", "OAuthException", 2500))
                    return
                version, number = match.groups()
                auth = self.headers.get("Authorization", "")
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                status, answer, wamid, retry_after = standin._respond(number, auth, body)
                if standin.latency:
                    time.sleep(standin.latency)  # a slow Graph API, on purpose
                standin._record(Received(version, number, auth, body, status, wamid))
                if status == 0:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                try:
                    self._answer(status, answer, retry_after)
                except OSError:  # the server is gone (a test killed it mid-request)
                    self.close_connection = True

            def _answer(
                self,
                status: int,
                answer: Any,
                retry_after: str | None = None,
            ) -> None:
                data = json.dumps(answer).encode() if answer is not None else b"Service Unavailable"
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/json" if answer is not None else "text/plain"
                )
                self.send_header("Content-Length", str(len(data)))
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def _respond(
        self, number: str, auth: str, body: Any
    ) -> tuple[int, Any, str | None, str | None]:
        if self.tokens.get(number) is None or auth != f"Bearer {self.tokens[number]}":
            return (
                401,
                _error("Error validating access token: Session has expired", "OAuthException", 190),
                None,
                None,
            )
        if not _valid_text_request(body):
            return 400, _error("(#100) Invalid parameter", "OAuthException", 100), None, None
        step = self._next_step()
        if step.arrived is not None and step.release is not None:
            step.arrived.set()
            step.release.wait(60)
        if step.failure is not None:
            status, error = FAILURES[step.failure]
            answer = (
                None
                if error is None
                else {"error": {**error, "error_subcode": 2494010, "fbtrace_id": _trace()}}
            )
            return status, answer, None, step.retry_after
        wamid = new_wamid()
        return (
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": wamid}],
            },
            wamid,
            None,
        )


def _valid_text_request(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and body.get("messaging_product") == "whatsapp"
        and body.get("type") == "text"
        and isinstance(body.get("to"), str)
        and body["to"].isdigit()
        and isinstance(body.get("text"), dict)
        and isinstance(body["text"].get("body"), str)
        and 0 < len(body["text"]["body"]) <= 4096
        and body.get("recipient_type", "individual") == "individual"
    )


def _error(message: str, kind: str, code: int) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": _trace()}}


def _trace() -> str:
    return base64.b64encode(f"trace{next(_COUNTER)}".encode()).decode()


def new_wamid() -> str:
    """A message id in WhatsApp's form (``wamid.`` and base64)."""
    return (
        "wamid."
        + base64.b64encode(f"HBgNNTUxMTk4NzY1NDMyMRUCABEYEj{next(_COUNTER):012d}".encode()).decode()
    )


# --- notifications in Meta's format ------------------------------------------------------


def _envelope(phone_number_id: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": phone_number_id,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def messages_payload(
    phone_number_id: str, wa_id: str, name: str | None, *messages: dict[str, Any]
) -> dict[str, Any]:
    """A notification of ``messages`` (each ``{"type": …, type: {…}}``) from ``wa_id``;
    each gets its ``from``, ``id`` and ``timestamp`` unless given."""
    contact = {"wa_id": wa_id, **({"profile": {"name": name}} if name else {})}
    return _envelope(
        phone_number_id,
        {
            "contacts": [contact],
            "messages": [
                {"from": wa_id, "id": new_wamid(), "timestamp": str(int(time.time())), **message}
                for message in messages
            ],
        },
    )


def text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body}}


def statuses_payload(phone_number_id: str, *statuses: dict[str, Any]) -> dict[str, Any]:
    """A notification of ``statuses`` (``status(...)``)."""
    return _envelope(phone_number_id, {"statuses": list(statuses)})


def status(
    wamid: str, state: str, recipient: str, *, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One status in Meta's shape (a ``sent`` carries its conversation and pricing)."""
    item: dict[str, Any] = {
        "id": wamid,
        "status": state,
        "timestamp": str(int(time.time())),
        "recipient_id": recipient,
    }
    if state == "sent":
        item["conversation"] = {
            "id": "CONVERSATION_ID",
            "expiration_timestamp": str(int(time.time()) + 86400),
            "origin": {"type": "service"},
        }
        item["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "service"}
    if errors is not None:
        item["errors"] = errors
    return item
