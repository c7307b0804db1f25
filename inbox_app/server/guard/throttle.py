"""Failed sign-ins slow down, per account and per client address (issue 16).

Three counters of failed sign-ins, each with the time of its latest failure, forgotten
``login_window`` seconds after it: per **account** (the e-mail as typed, known or not, so
unknown e-mails behave the same), per **address**, and per **(account, address)** pair. After
``login_free_failures`` failures a counter imposes a delay of ``login_base_delay`` seconds,
doubled at each further failure up to ``login_max_delay``, counted from its latest failure.
An attempt inside a delay is answered 429 with ``Retry-After`` and its password is not even
checked (it costs no hash and counts no failure).

No lock-out from another address: the account's delay (which an attacker drives from
anywhere) is capped, for an address, by the delay of that address's own failures against the
account, and never below :data:`CLEAN_ADDRESS_DELAY`. So a receptionist signing in from an
address with no failures against her account waits at most ``CLEAN_ADDRESS_DELAY`` seconds
after the attacker's latest *checked* failure, and the attacker's address, which fails, gets
the full delay and stops being checked at all. The price: attackers spread over many fresh
addresses still get one guess per account per ``CLEAN_ADDRESS_DELAY`` seconds (and each of
their addresses its own delay after its free failures).

Attempts on one account are judged one at a time in each process (:meth:`LoginThrottle.turn`),
so a burst of concurrent guesses gets only the free failures checked, not all of its guesses
before the first failure is counted. With Redis the counters are shared by every instance
(one hash per counter, with an expiry); without it, or while Redis fails, they live in this
process (bounded).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable

from inbox_app.server.guard.limits import Limits
from inbox_app.server.redis.client import REDIS_ERRORS

log = logging.getLogger(__name__)

#: Seconds the account's delay may hold back an address with no failures against it.
CLEAN_ADDRESS_DELAY = 1.0
#: In-process counters kept at most (an attacker inventing e-mails cannot grow memory).
_LOCAL_MAX = 100_000
_PREFIX = "login:fail:"


class LoginThrottle:
    """Counts failed sign-ins and says how long an attempt must wait."""

    def __init__(self, limits: Limits, redis: object | None = None,
                 redis_ok: Callable[[], bool] = lambda: True) -> None:
        self.limits = limits
        self._redis = redis
        self._redis_ok = redis_ok
        self._local: dict[str, tuple[int, float]] = {}
        #: per account: a lock and how many attempts hold or wait for it
        self._turns: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def turn(self, email: str) -> AsyncIterator[None]:
        """One sign-in attempt of an account at a time in this process (a burst of
        concurrent attempts would otherwise all be checked before any failure counts)."""
        key = email.strip().lower()
        lock, users = self._turns.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._turns[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._turns[key]
            if users <= 1:
                del self._turns[key]
            else:
                self._turns[key] = (lock, users - 1)

    def delay(self, failures: int) -> float:
        """Seconds a counter with ``failures`` imposes after its latest failure."""
        over = failures - self.limits.login_free_failures
        if over < 0:
            return 0.0
        return min(self.limits.login_base_delay * 2.0 ** min(over, 60),
                   self.limits.login_max_delay)

    async def retry_after(self, email: str, address: str) -> int:
        """Whole seconds this attempt must still wait (0: go ahead)."""
        account, by_address, pair = await self._read(_keys(email, address))
        now = time.time()
        own = self.delay(pair[0])
        account_wait = _until(account, min(self.delay(account[0]),
                                           max(own, CLEAN_ADDRESS_DELAY)), now)
        wait = max(account_wait, _until(by_address, self.delay(by_address[0]), now))
        return math.ceil(wait) if wait > 0 else 0

    async def failed(self, email: str, address: str) -> None:
        """Counts one checked, failed sign-in."""
        keys = _keys(email, address)
        now = time.time()
        if self._redis is not None and self._redis_ok():
            try:
                pipe = self._redis.pipeline(transaction=False)  # type: ignore[attr-defined]
                for key in keys:
                    pipe.hincrby(key, "n", 1)
                    pipe.hset(key, "t", repr(now))
                    pipe.expire(key, math.ceil(self.limits.login_window))
                await pipe.execute()
                return
            except REDIS_ERRORS as exc:  # any Redis failure: count locally
                log.warning("sign-in throttle: Redis unavailable (%s), counting in process",
                            type(exc).__name__)
        self._prune(now)
        for key in keys:
            count, _ = self._local.get(key, (0, 0.0))
            self._local[key] = (count + 1, now)

    async def succeeded(self, email: str, address: str) -> None:
        """A correct password: the account's and the pair's counts start over (the address's
        does not, or one valid account would reset an attacker's address)."""
        keys = _keys(email, address)
        forget = (keys[0], keys[2])
        for key in forget:
            self._local.pop(key, None)
        if self._redis is not None and self._redis_ok():
            try:
                await self._redis.delete(*forget)  # type: ignore[attr-defined]
            except REDIS_ERRORS as exc:
                log.warning("sign-in throttle: Redis unavailable (%s)", type(exc).__name__)

    async def _read(self, keys: tuple[str, str, str]) -> list[tuple[int, float]]:
        now = time.time()
        local = [self._fresh(self._local.get(key), now) for key in keys]
        if self._redis is None or not self._redis_ok():
            return local
        try:
            pipe = self._redis.pipeline(transaction=False)  # type: ignore[attr-defined]
            for key in keys:
                pipe.hmget(key, "n", "t")
            rows = await pipe.execute()
        except REDIS_ERRORS as exc:  # any Redis failure: the local counts
            log.warning("sign-in throttle: Redis unavailable (%s), using in-process counts",
                        type(exc).__name__)
            return local
        shared = [(int(n), float(t)) if n is not None and t is not None else (0, 0.0)
                  for n, t in rows]
        # failures counted here while Redis was down still count
        return [max(a, b) for a, b in zip(shared, local, strict=True)]

    def _fresh(self, entry: tuple[int, float] | None, now: float) -> tuple[int, float]:
        if entry is None or now - entry[1] > self.limits.login_window:
            return 0, 0.0
        return entry

    def _prune(self, now: float) -> None:
        if len(self._local) < _LOCAL_MAX:
            return
        window = self.limits.login_window
        self._local = {k: v for k, v in self._local.items() if now - v[1] <= window}
        if len(self._local) >= _LOCAL_MAX:
            log.warning("sign-in throttle: %s counters in process, forgetting them", _LOCAL_MAX)
            self._local.clear()


def _keys(email: str, address: str) -> tuple[str, str, str]:
    # the e-mail is hashed: Redis holds no address book
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return (f"{_PREFIX}acct:{account}", f"{_PREFIX}addr:{address}",
            f"{_PREFIX}pair:{account}:{address}")


def _until(counter: tuple[int, float], delay: float, now: float) -> float:
    return counter[1] + delay - now if delay > 0 else 0.0
