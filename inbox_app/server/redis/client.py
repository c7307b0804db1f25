"""The Redis connection settings of the server: short timeouts and no blind retries.

With redis-py's defaults a dead Redis port took 3.7 s to fail and a hung one (SIGSTOP) 59 s,
per request (ARCHITECTURE.md section 9). Here a connect or a read gives up after tens of
milliseconds on loopback, a failed command is never retried behind the caller's back (the
circuit breaker decides what happens next), and one pool serves the whole process.
"""

from __future__ import annotations

import logging

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

logger = logging.getLogger(__name__)

#: seconds; a loopback or LAN Redis answers in well under a millisecond, so these only ever
#: fire when Redis is dead, hung or overloaded
CONNECT_TIMEOUT = 0.1
READ_TIMEOUT = 0.1
MAX_CONNECTIONS = 128

REDIS_ERRORS: tuple[type[BaseException], ...] = (redis.RedisError, OSError, TimeoutError)


def connect(url: str, *, connect_timeout: float = CONNECT_TIMEOUT,
            read_timeout: float | None = READ_TIMEOUT,
            max_connections: int = MAX_CONNECTIONS) -> redis.Redis:
    """A pooled client for ``url`` with short timeouts and no retries (bytes in, bytes out).

    ``read_timeout=None`` is for the pub/sub listener, whose reads legitimately wait.
    """
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=connect_timeout,
        socket_timeout=read_timeout,
        retry=Retry(NoBackoff(), 0),
        retry_on_error=[],
        max_connections=max_connections,
        health_check_interval=0,
        decode_responses=False,
    )
