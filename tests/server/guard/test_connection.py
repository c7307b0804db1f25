"""Connections under abuse (inbox_app/server/guard/connection.py, issue 16): a capped request
head (431 or a closed connection, bounded memory), slowloris deadlines, connections per client
address. Every socket is on loopback; every loop is bounded."""

from __future__ import annotations

import contextlib
import socket
import threading
from pathlib import Path

import httpx

from tests.support import ServerProcess

CHUNK = 64 * 1024


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


def open_socket(server: ServerProcess, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=15,
                                    source_address=(source, 0))
    return sock


def read_answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (or stops sending for 15 s)."""
    parts = []
    with contextlib.suppress(OSError):
        while chunk := sock.recv(65536):
            parts.append(chunk)
    return b"".join(parts)


def flood_headers(server: ServerProcess, total: int, out: list[bytes]) -> None:
    """Sends up to ``total`` bytes of header lines; stops when the server hangs up."""
    sock = open_socket(server)
    line = b"X-Filler: " + b"a" * 100 + b"\r\n"
    chunk = line * (CHUNK // len(line))
    try:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        sent = 0
        with contextlib.suppress(OSError):  # reset by the server: the point
            while sent < total:
                sock.sendall(chunk)
                sent += len(chunk)
            sock.sendall(b"\r\n")
        out.append(read_answer(sock))
    finally:
        sock.close()


def test_huge_request_heads_are_refused_in_bounded_memory(server: ServerProcess) -> None:
    assert server.proc is not None
    assert httpx.get(f"{server.url}/api/health").status_code == 200
    before = rss_kib(server.proc.pid)
    answers: list[bytes] = []
    threads = [threading.Thread(target=flood_headers, args=(server, 64 * 2**20, answers))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert httpx.get(f"{server.url}/api/health").status_code == 200  # still serving
    peak = rss_kib(server.proc.pid, "VmHWM")
    assert peak - before < 32 * 1024, f"memory rose by {(peak - before) // 1024} MiB"
    assert len(answers) == 4
    for answer in answers:  # a 431, or a connection closed before the server could say it
        assert answer == b"" or answer.startswith(b"HTTP/1.1 431 "), answer[:200]


def test_twenty_thousand_headers_are_refused(server: ServerProcess) -> None:
    sock = open_socket(server)
    try:
        head = b"GET /api/health HTTP/1.1\r\nHost: x\r\n" + b"".join(
            b"X-%d: 1\r\n" % i for i in range(20_000)) + b"\r\n"
        with contextlib.suppress(OSError):
            sock.sendall(head)
        answer = read_answer(sock)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b'"code":"validation"' in answer


def test_a_hundred_headers_in_one_packet_are_refused_and_fifty_pass(
    server: ServerProcess
) -> None:
    headers = {f"X-Extra-{i}": "1" for i in range(50)}
    assert httpx.get(f"{server.url}/api/health", headers=headers).status_code == 200
    headers = {f"X-Extra-{i}": "1" for i in range(120)}
    assert httpx.get(f"{server.url}/api/health", headers=headers).status_code == 431


def wait_closed(sock: socket.socket, drip: bytes | None, rounds: int = 60) -> bool:
    """Sends ``drip`` every 0.5 s (the recv timeout) until the server closes the socket;
    True when it did within ``rounds`` rounds."""
    sock.settimeout(0.5)
    for _ in range(rounds):
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            pass
        except OSError:
            return True
        if drip is not None:
            try:
                sock.sendall(drip)
            except OSError:
                return True
    return False


def test_slowloris_sockets_are_closed(server_factory) -> None:
    server = server_factory(env={"INBOX_HEAD_TIMEOUT": "2", "INBOX_BODY_TIMEOUT": "2"})
    silent = open_socket(server)
    dripping_head = open_socket(server)
    dripping_head.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
    dripping_body = open_socket(server)
    dripping_body.sendall(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
    try:
        assert wait_closed(silent, None), "a silent socket stayed open"
        assert wait_closed(dripping_head, b"X-Drip: 1\r\n"), "a dripped head stayed open"
        assert wait_closed(dripping_body, b" "), "a dripped body stayed open"
    finally:
        for sock in (silent, dripping_head, dripping_body):
            sock.close()
    # a kept-alive client that asks in time is served as before
    with httpx.Client(base_url=server.url) as http:
        assert http.get("/api/health").status_code == 200
        assert http.get("/api/health").status_code == 200


def test_connections_per_address_are_bounded(server_factory) -> None:
    server = server_factory(env={"INBOX_CONNECTIONS_PER_ADDRESS": "4"})
    held = [open_socket(server) for _ in range(4)]
    try:
        for sock in held:  # each of them is served
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        extra = open_socket(server)
        assert read_answer(extra).startswith(b"HTTP/1.1 503 ")
        extra.close()
        # another address is not affected
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
        with other:
            assert other.get(f"{server.url}/api/health").status_code == 200
        leaving = held.pop()  # the server closes it (and so knows it is gone)
        leaving.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert b"HTTP/1.1 200 " in read_answer(leaving)  # read until the server closed
        leaving.close()
        again = open_socket(server)
        held.append(again)
        again.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while b"HTTP/1.1" not in answer:  # bounded: recv times out after 15 s
            chunk = again.recv(65536)
            assert chunk, "closed"
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:100]
    finally:
        for sock in held:
            sock.close()
