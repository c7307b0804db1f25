"""A loopback TCP proxy in front of the real server that injects faults on demand.

The server stays real; the proxy only adds what the server cannot do on demand: refuse
connections, reset them, blackhole them, delay them, withhold answers (the server applied
the request but the client never hears), or answer a matching HTTP request itself with a
canned 4xx/5xx. It parses just enough HTTP/1.1 (request heads, Content-Length bodies) to see
each request; after a WebSocket upgrade it pipes raw bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import struct
from dataclasses import dataclass, field

import orjson


@dataclass
class Rule:
    """Answer ``times`` requests matching ``method`` and ``path`` (regex) with ``status``."""

    method: str
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    code: str = "unavailable"
    message: str = "injected fault"
    times: int = 1
    body: bytes | None = None  # a raw body instead of the contract error body

    def matches(self, method: str, path: str) -> bool:
        return (self.times > 0 and method == self.method
                and re.fullmatch(self.path, path) is not None)


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 409: "Conflict",
            422: "Unprocessable Entity",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable"}


class FaultProxy:
    """``url`` forwards to ``upstream_port``; set ``mode`` or add rules to inject faults.

    Modes: "pass", "blackhole" (accept, never answer), "reset" (RST every new connection),
    "hold" (forward requests, withhold the answers), "delay" (each chunk waits ``delay`` s).
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.mode = "pass"
        self.delay = 0.0
        self.rules: list[Rule] = []
        self.stalls: list[tuple[str, str, asyncio.Event]] = []
        self.answer_stalls: list[tuple[str, asyncio.Event]] = []
        self.seen: list[tuple[str, str, int | None]] = []  # (method, path, injected status)
        self.request_seen = asyncio.Event()
        self.withheld: list[str] = []  # "hold": paths whose answers the server sent, we kept
        self._withheld_changed = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._stalled: set[asyncio.StreamWriter] = set()  # both ends of stalled requests
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FaultProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port or 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop_listening(self) -> None:
        """Connection refused from now on (a server that is down); drops open connections."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        await self.drop_connections()

    async def drop_connections(self, *, reset: bool = True, spare_stalled: bool = False) -> None:
        """Cuts every open connection (e.g. the live socket), as a network drop would;
        ``spare_stalled`` keeps those of requests waiting at a :meth:`stall`."""
        for writer in list(self._writers):
            if spare_stalled and writer in self._stalled:
                continue
            _abort(writer, reset=reset)
            self._writers.discard(writer)

    async def drop_stalled(self) -> None:
        """Cuts the connections of the requests waiting at a :meth:`stall` (they fail with
        a network error)."""
        for writer in list(self._stalled):
            _abort(writer, reset=True)
            self._writers.discard(writer)
        self._stalled.clear()

    async def close(self) -> None:
        await self.stop_listening()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task

    def inject(self, method: str, path: str, status: int, *, times: int = 1,
               retry_after: str | None = None, code: str = "unavailable",
               message: str = "injected fault", body: bytes | None = None) -> Rule:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        rule = Rule(method, path, status, headers, code, message, times, body)
        self.rules.append(rule)
        return rule

    def stall(self, method: str, path: str) -> asyncio.Event:
        """Matching requests wait (before reaching the server) until the event is set."""
        gate = asyncio.Event()
        self.stalls.append((method, path, gate))
        return gate

    async def answer_withheld(self, path: str) -> None:
        """Waits until the server answered a request for ``path`` and the proxy kept it."""
        while path not in self.withheld:
            self._withheld_changed.clear()
            await self._withheld_changed.wait()

    def stall_answers(self, path: str) -> asyncio.Event:
        """Requests for ``path`` reach the server at once; their answers wait for the event."""
        gate = asyncio.Event()
        self.answer_stalls.append((path, gate))
        return gate

    def requests(self, method: str, path_regex: str) -> list[tuple[str, str, int | None]]:
        return [s for s in self.seen if s[0] == method and re.fullmatch(path_regex, s[1])]

    # --- plumbing ------------------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            if self.mode == "reset":
                _abort(writer, reset=True)
                return
            if self.mode == "blackhole":
                while await reader.read(65536):
                    pass
                return
            await self._proxy(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            self._tasks.discard(task)
            _abort(writer, reset=False)

    async def _proxy(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers.add(up_writer)
        last_path: list[str] = [""]
        back = asyncio.create_task(self._pipe(up_reader, writer, answers=last_path))
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path, headers = _parse_head(head)
                length = int(headers.get("content-length", "0") or 0)
                body = await reader.readexactly(length) if length else b""
                rule = next((r for r in self.rules if r.matches(method, path)), None)
                self.seen.append((method, path, rule.status if rule else None))
                self.request_seen.set()
                if rule is not None:
                    rule.times -= 1
                    writer.write(_canned(rule))
                    await writer.drain()
                    continue
                for s_method, s_path, gate in self.stalls:
                    if s_method == method and re.fullmatch(s_path, path):
                        self._stalled.update((writer, up_writer))
                        try:
                            await gate.wait()
                        finally:
                            self._stalled.difference_update((writer, up_writer))
                await self._wait()
                last_path[0] = path
                up_writer.write(head + body)
                await up_writer.drain()
                if headers.get("upgrade", "").lower() == "websocket":
                    await self._pipe(reader, up_writer, answers=None)
                    return
        finally:
            back.cancel()
            with contextlib.suppress(BaseException):
                await back
            self._writers.discard(up_writer)
            _abort(up_writer, reset=False)

    async def _pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, *,
                    answers: list[str] | None) -> None:
        """Copies bytes; ``answers`` (server to client) holds the path being answered."""
        while chunk := await src.read(65536):
            if answers is not None and self.mode == "hold":
                self.withheld.append(answers[0])
                self._withheld_changed.set()
                continue  # the server answered; the client never hears it
            if answers is not None:
                for path, gate in self.answer_stalls:
                    if re.fullmatch(path, answers[0]):
                        await gate.wait()
            await self._wait()
            dst.write(chunk)
            await dst.drain()
        dst.close()

    async def _wait(self) -> None:
        if self.mode == "delay" and self.delay > 0:
            await asyncio.sleep(self.delay)  # the injected latency itself


def _parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return method, target.split("?", 1)[0], headers


def _canned(rule: Rule) -> bytes:
    body = rule.body if rule.body is not None else orjson.dumps(
        {"error": {"code": rule.code, "message": rule.message, "details": None}})
    head = [f"HTTP/1.1 {rule.status} {_REASONS.get(rule.status, 'Error')}",
            "Content-Type: application/json", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in rule.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _abort(writer: asyncio.StreamWriter, *, reset: bool) -> None:
    sock = writer.get_extra_info("socket")
    if reset and sock is not None:
        with contextlib.suppress(OSError):
            # SO_LINGER 0: close sends RST, as a crashed peer or a middlebox would
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(Exception):
        writer.transport.abort() if reset else writer.close()
