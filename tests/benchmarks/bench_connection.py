"""What the connection guard costs per request (inbox_app/server/guard/connection.py, issue 16).

Two uvicorn servers (uvloop, one process each) serve the same tiny ASGI app: one with uvicorn's
own ``HttpToolsProtocol``, one with ``GuardedHttpProtocol``. One client connection per server
sends keep-alive requests with the desktop app's usual headers (a bearer token included), one
at a time; rounds alternate between the two servers so both see the same machine load.

Command: ``.venv/bin/python tests/benchmarks/bench_connection.py`` (~40 s).
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import time

REQUEST = (
    b"GET /api/conversations/42 HTTP/1.1\r\nHost: 127.0.0.1:8765\r\n"
    b"Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
    b"User-Agent: python-httpx/0.28.1\r\n"
    b"Authorization: Bearer " + b"t" * 43 + b"\r\n\r\n"
)


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"{}"})


def serve(sock: socket.socket, guarded: bool) -> None:
    import uvicorn

    from inbox_app.server.guard.connection import guarded_protocol
    from inbox_app.server.guard.limits import Limits

    http = guarded_protocol(Limits()) if guarded else "httptools"
    config = uvicorn.Config(app, loop="uvloop", http=http, log_level="warning",
                            access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def round_trip_us(port: int, count: int) -> list[float]:
    times = []
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(count):
            start = time.perf_counter()
            sock.sendall(REQUEST)
            answer = b""
            while not answer.endswith(b"{}"):
                answer += sock.recv(4096)
            times.append((time.perf_counter() - start) * 1e6)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    ports, procs = {}, []
    for name, guarded in (("uvicorn httptools", False), ("guarded", True)):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        ports[name] = sock.getsockname()[1]
        proc = multiprocessing.Process(target=serve, args=(sock, guarded), daemon=True)
        proc.start()
        procs.append(proc)
    try:
        for port in ports.values():  # warm-up (and wait for the servers to accept)
            for _ in range(100):
                try:
                    round_trip_us(port, 50)
                    break
                except OSError:
                    time.sleep(0.1)  # the child is still starting: no signal to await here
        medians: dict[str, list[float]] = {name: [] for name in ports}
        for number in range(args.rounds):
            order = list(ports.items())
            if number % 2:
                order.reverse()  # neither server always goes first
            for name, port in order:
                medians[name].append(statistics.median(round_trip_us(port, args.requests)))
        print(f"{args.rounds} rounds x {args.requests} keep-alive requests, interleaved")
        print(f"{'protocol':<20}{'p50 us':>10}{'req/s':>10}")
        base = statistics.median(medians["uvicorn httptools"])
        for name, values in medians.items():
            p50 = statistics.median(values)
            print(f"{name:<20}{p50:>10.1f}{1e6 / p50:>10.0f}   x{p50 / base:.3f}")
    finally:
        for proc in procs:
            proc.terminate()
            proc.join(5)


if __name__ == "__main__":
    main()
