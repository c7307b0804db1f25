"""HTTP connections under abuse: a capped request head, deadlines, connections per address.

uvicorn's httptools parser puts no bound on a request head: it buffers header bytes and
uvicorn keeps every header line, so four connections sending header lines for a while took
the server from 296 MiB to 1.3 GB. Nor does uvicorn close a connection that sends nothing,
or a head or body one line every few seconds (slowloris). The layer that sees every byte is
the asyncio protocol itself; :class:`GuardedHttpProtocol` is uvicorn's ``HttpToolsProtocol``
with three checks added:

- the head (request line and headers) may hold at most ``max_head_bytes`` bytes and
  ``max_headers`` lines: one more and the answer is a 431 and the connection closes. The bytes
  fed to the parser while the head is incomplete are counted in ``data_received``, so one
  endless header line is stopped as well (at most one socket read past the limit is held);
- a connection must deliver a complete head within ``head_timeout`` seconds of opening (or of
  its next request's first byte), and a declared body within ``body_timeout`` seconds of its
  head; otherwise it is closed (an idle keep-alive connection is uvicorn's own timeout);
- one client address holds at most ``connections_per_address`` open connections (live
  sockets included); one more is answered 503 and closed.

Its cost per request (a few attribute updates; one timer per connection, not one per
request) is measured in tests/benchmarks/bench_connection.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, ClassVar

import httptools
import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from inbox_app.contract.errors import ErrorCode, error_body
from inbox_app.server.guard.limits import Limits

log = logging.getLogger(__name__)


class _Refused(Exception):
    """Raised from a parser callback to stop parsing a refused request."""


def _answer(status: int, reason: str, message: str, details: dict[str, Any]) -> bytes:
    body = orjson.dumps(error_body(
        ErrorCode.VALIDATION if status == 431 else ErrorCode.UNAVAILABLE, message, details
    ))
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode() + body


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a capped head, deadlines and a per-address cap.

    Use :func:`guarded_protocol` to get a subclass bound to a :class:`Limits`."""

    limits: ClassVar[Limits] = Limits()
    #: open transports per client address (of this protocol class, i.e. of one server)
    peers: ClassVar[dict[str, set[asyncio.BaseTransport]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_received = 0  # bytes fed to the parser while the head is incomplete
        self._refused = False
        #: what must arrive in time ("request head", "request body") or None, and since when;
        #: one timer per connection checks it, so a request costs no timer of its own
        self._awaiting: str | None = None
        self._since = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._address: str | None = None

    # --- connection ---------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if not self._admit(transport):
            self._refuse(_answer(503, "Service Unavailable",
                                 "too many connections from this address",
                                 {"limit": self.limits.connections_per_address}))
            return
        self._await("request head")
        self._timer = self.loop.call_later(self.limits.head_timeout, self._check_deadline)

    def _admit(self, transport: asyncio.Transport) -> bool:
        limit = self.limits.connections_per_address
        if not limit or self.client is None:
            return True
        address = self.client[0]
        held = self.peers.setdefault(address, set())
        if len(held) >= limit:
            # connections upgraded to live sockets leave through another protocol: drop the
            # closed ones before judging
            held.difference_update([t for t in held if t.is_closing()])
        if len(held) >= limit:
            log.debug("refused a connection: %s already open from one address", len(held))
            return False
        held.add(transport)
        self._address = address
        return True

    def _release(self) -> None:
        if self._address is None:
            return
        held = self.peers.get(self._address)
        if held is not None:
            held.discard(self.transport)
            if not held:
                del self.peers[self._address]
        self._address = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        self._release()
        super().connection_lost(exc)

    def handle_websocket_upgrade(self) -> None:
        super().handle_websocket_upgrade()
        # the socket now belongs to the websocket protocol: release its place when it ends
        upgraded = self.transport.get_protocol()
        ended = upgraded.connection_lost

        def connection_lost(exc: Exception | None) -> None:
            self._release()
            ended(exc)

        upgraded.connection_lost = connection_lost  # type: ignore[method-assign]

    # --- deadlines ----------------------------------------------------------------------

    def _await(self, what: str | None) -> None:
        self._awaiting = what
        if what is not None:
            self._since = self.loop.time()

    def _stop_timer(self) -> None:
        self._awaiting = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _check_deadline(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        limits = self.limits
        wait = limits.head_timeout
        if self._awaiting is not None:
            timeout = limits.head_timeout if self._awaiting == "request head" \
                else limits.body_timeout
            wait = self._since + timeout - self.loop.time()
            if wait <= 0:
                log.debug("closed a connection: %s incomplete in time", self._awaiting)
                self.transport.close()
                return
        self._timer = self.loop.call_later(wait, self._check_deadline)

    # --- the request head ---------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        # uvicorn's data_received, with the head counted and a refused request kept quiet
        self._unset_keepalive_if_required()
        if self._in_head:
            self._head_received += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError:
            if self._refused:
                return
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
            return
        if self._in_head and not self._refused and (
            self._head_received > self.limits.max_head_bytes
            or (self.headers is not None and len(self.headers) > self.limits.max_headers)
        ):
            self._refuse_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._in_head:  # the next request on a kept-alive connection
            self._in_head = True
            self._head_received = 0
            self._await("request head")

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._awaiting = None
        limits = self.limits
        if len(self.headers) > limits.max_headers or (
            # what arrived may hold a body too: only then are the head's own bytes counted
            self._head_received > limits.max_head_bytes
            and len(self.url) + sum(len(n) + len(v) + 4 for n, v in self.headers)
            > limits.max_head_bytes
        ):
            self._refuse_head()
            raise _Refused  # stops the parser before the app sees the request
        super().on_headers_complete()
        if not self.parser.should_upgrade():
            self._await("request body")

    def on_message_complete(self) -> None:
        self._awaiting = None
        super().on_message_complete()

    def _refuse_head(self) -> None:
        log.debug("refused a request head over %s bytes or %s header lines",
                  self.limits.max_head_bytes, self.limits.max_headers)
        self._refuse(_answer(
            431, "Request Header Fields Too Large",
            "the request head is too large",
            {"limit_bytes": self.limits.max_head_bytes, "limit_headers": self.limits.max_headers},
        ))

    def _refuse(self, answer: bytes) -> None:
        self._refused = True
        self._stop_timer()
        if not self.transport.is_closing():
            self.transport.write(answer)
            self.transport.close()


def guarded_protocol(limits: Limits) -> type[GuardedHttpProtocol]:
    """A :class:`GuardedHttpProtocol` class bound to ``limits`` (uvicorn's ``http=``)."""
    return type("GuardedHttpProtocol", (GuardedHttpProtocol,), {"limits": limits, "peers": {}})
