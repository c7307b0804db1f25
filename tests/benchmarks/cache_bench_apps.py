"""The comparison servers of bench_server_cache.py, each run as its own uvicorn process.

- ``floor``: a bare ASGI app. ``/const`` answers fixed bytes (the list as the inbox server
  stores it); ``/redis/<key>`` does one raw redis-py GET of a key the inbox server stored and
  answers its body. Nothing can serve a cached value with less work than this.
- ``cashews``: the best-known peer, cashews' ``@cache`` decorator with its Redis backend and
  its defaults, in front of the inbox server's own list loader on the same PostgreSQL. The
  endpoint is the same bare ASGI frame as the floor, so what differs is cashews (it pickles
  the Python object it hands back) plus the JSON encode a decorator forces on a hit.

Run: ``python -m tests.benchmarks.cache_bench_apps floor|cashews PORT REDIS_URL [DB_URL]``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import orjson
import redis.asyncio as aioredis
import uvicorn

from inbox_app.contract.policy import list_key

Scope = dict[str, Any]


async def _answer(send: Any, body: bytes, *, deflate: bool = False, status: int = 200) -> None:
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    if deflate:
        headers.append((b"content-encoding", b"deflate"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def floor_app(redis_url: str) -> Any:
    client = aioredis.Redis.from_url(redis_url)
    const: dict[str, bytes] = {}
    prefix: dict[str, str] = {}

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    # the server's keys carry its database's identity (server/db/identity.py)
                    stored = await client.keys("db:" + "?" * 32 + ":" + list_key(1))
                    prefix["db"] = stored[0].decode()[:-len(list_key(1))] if stored else ""
                    raw = await client.get(prefix["db"] + list_key(1))
                    const["list"] = raw.split(b":", 2)[2] if raw else b"{}"
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        path: str = scope["path"]
        if path == "/const":
            await _answer(send, const["list"], deflate=True)
        elif path.startswith("/redis/"):
            raw = await client.get(prefix["db"] + path[len("/redis/"):])
            if raw is None:
                await _answer(send, b"{}", status=404)
                return
            _owner, flag, body = raw.split(b":", 2)
            await _answer(send, body, deflate=flag == b"z")
        else:
            await _answer(send, b"{}", status=404)

    return app


def cashews_app(redis_url: str, database_url: str) -> Any:
    from cashews import cache

    from inbox_app.server.db import store
    from inbox_app.server.db.database import Database

    cache.setup(redis_url)  # cashews' defaults: pickle, check_repr, its own client
    db = Database(database_url)

    @cache(ttl="300s", key="cashews:list:{clinic_id}")
    async def conversations(clinic_id: int) -> dict[str, Any]:
        async with db.read() as conn:
            loaded = await store.load_list(conn, clinic_id)
        return json.loads(loaded[1]) if loaded else {}

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        clinic_id = int(scope["path"].rsplit("/", 1)[1])
        await _answer(send, orjson.dumps(await conversations(clinic_id)))

    return app


def main(argv: list[str]) -> None:
    kind, port, redis_url = argv[0], int(argv[1]), argv[2]
    app = floor_app(redis_url) if kind == "floor" else cashews_app(redis_url, argv[3])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", loop="uvloop",
                http="httptools", lifespan="on", access_log=False)


if __name__ == "__main__":
    main(sys.argv[1:])
