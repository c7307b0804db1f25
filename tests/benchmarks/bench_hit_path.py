"""What the server's own code costs per cache hit, layer by layer (issue 16).

bench_server_cache.py measures a hit end to end, where the loopback sockets and Redis cost
most of the time and a few microseconds of middleware drown in this machine's noise. Here
the ASGI app runs in process (its lifespan started, a real Redis and a SQLite demo database
behind it), requests are ASGI calls, and Redis GETs of the three hot keys are answered from
a dict after their first real read: what is left is the app's work. Each figure is process
CPU time per hit (less sensitive to other processes than wall time), the best of 5 batches
of ``--n`` hits; runs of the variants alternate, the table gives the median over runs.

A variant is ``LABEL=TREE`` or ``LABEL=TREE:Mw1,Mw2``: the app of the source tree ``TREE``
(e.g. an older commit exported with ``git archive COMMIT | tar -x -C TREE``), without the
named middlewares. Example (the attribution in tests/benchmarks/README.md):

    .venv/bin/python -m tests.benchmarks.bench_hit_path --runs 5 \\
        before=/tmp/before main=/tmp/main main-id=/tmp/main:RequestIdMiddleware this=.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PATHS = ("list", "detail", "patient")


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5555),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "state": {},
    }


async def _call(
    app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b""
) -> tuple[int, bytes]:
    answer: dict[str, Any] = {"status": 0, "body": b""}
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # a disconnect never comes
        return {}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        else:
            answer["body"] += message.get("body", b"")

    await app(_scope(method, path, headers), receive, send)
    return answer["status"], answer["body"]


async def _child(tree: str, database: str, redis_url: str, drop: set[str], n: int) -> None:
    sys.path.insert(0, tree)
    from inbox_app.server.http.asgi import create_app
    from inbox_app.server.settings import parse_settings

    app = create_app(
        parse_settings(
            [
                "--database-url",
                f"sqlite+aiosqlite:///{database}",
                "--redis-url",
                redis_url,
                "--demo-data",
            ]
        )
    )
    app.user_middleware = [m for m in app.user_middleware if m.cls.__name__ not in drop]
    async with app.router.lifespan_context(app):
        status, body = await _call(
            app,
            "POST",
            "/api/auth/login",
            [(b"content-type", b"application/json")],
            json.dumps({"email": "ana@aurora.example", "password": "demo1234"}).encode(),
        )
        assert status == 200, body
        login = json.loads(body)
        headers = [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {login['token']}".encode()),
            (b"accept-encoding", b"deflate"),
        ]
        lst = f"/api/clinics/{login['session']['clinic']['id']}/conversations"
        status, body = await _call(app, "GET", lst, headers)
        first = json.loads(zlib.decompress(body) if body[:1] == b"x" else body)["items"][0]
        paths = dict(
            zip(
                PATHS,
                (lst, f"/api/conversations/{first['id']}", f"/api/patients/{first['patient_id']}"),
                strict=True,
            )
        )
        for path in paths.values():  # every key cached
            assert (await _call(app, "GET", path, headers))[0] == 200
        client = app.state.inbox.cache.client
        real_get, held = client.get, {}  # the keys' stored bytes, read once from Redis

        async def get(key: str) -> Any:
            if key not in held:
                held[key] = await real_get(key)
            return held[key]

        client.get = get
        best: dict[str, float] = {}
        for name, path in paths.items():
            for _ in range(5):
                start = time.process_time()
                for _ in range(n):
                    await _call(app, "GET", path, headers)
                spent = (time.process_time() - start) / n * 1e6
                best[name] = min(best.get(name, spent), spent)
    print(json.dumps(best))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "variants",
        nargs="*",
        default=[f"this={ROOT}"],
        help="LABEL=TREE[:Middleware,...] (default: this tree)",
    )
    parser.add_argument("--runs", type=int, default=5, help="alternating runs per variant")
    parser.add_argument("--n", type=int, default=2000, help="hits per batch")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import uvloop

        tree, database, redis_url, drop = args.child
        uvloop.run(_child(tree, database, redis_url, set(filter(None, drop.split(","))), args.n))
        return
    from tests.support import RedisProcess

    variants = []
    for item in args.variants:
        label, _, rest = item.partition("=")
        tree, _, drop = rest.partition(":")
        variants.append((label, str(Path(tree).resolve()), drop))
    got: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in variants}
    with tempfile.TemporaryDirectory(prefix="bench_hit_") as tmp:
        redis = RedisProcess(Path(tmp))
        redis.start()
        try:
            # one database file and one Redis database per tree (variants of a tree share)
            trees = {
                tree: index
                for index, tree in enumerate(dict.fromkeys(tree for _, tree, _ in variants))
            }
            for run in range(args.runs):
                shift = run % len(variants)
                for label, tree, drop in variants[shift:] + variants[:shift]:
                    index = trees[tree]
                    out = subprocess.run(
                        [
                            sys.executable,
                            str(Path(__file__).resolve()),
                            "--n",
                            str(args.n),
                            "--child",
                            tree,
                            str(Path(tmp) / f"tree{index}.db"),
                            redis.url.rsplit("/", 1)[0] + f"/{index % 16}",
                            drop,
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                        cwd=tmp,
                    )
                    got[label].append(json.loads(out.stdout.strip().splitlines()[-1]))
        finally:
            redis.close()
    print(
        f"CPU us per cache hit, in process, Redis GETs from a dict (median of {args.runs} "
        f"runs, each the best of 5 x {args.n})\n"
    )
    print("| variant | " + " | ".join(PATHS) + " |\n|---|" + "---:|" * len(PATHS))
    for label, runs in got.items():
        cells = " | ".join(f"{statistics.median(r[p] for r in runs):.1f}" for p in PATHS)
        print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
