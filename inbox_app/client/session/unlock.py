"""The idle lock's offline check: a scrypt verifier of the user's password, sealed on disk.

Unlocking asks the server first (the password is checked where it lives). When the server
cannot be reached, the receptionist must still get back to the inbox: at each successful
login the client stores ``scrypt(password, salt)`` — sealed with the user's data key, bound to
the user — and an offline unlock compares against it in constant time. scrypt (stdlib
``hashlib.scrypt``, n=2**14, r=8, p=1: ~50 ms here, 16 MiB) makes guessing from a stolen file
slow even if the key were taken too; without the key the file is unreadable anyway.

Guessing through the lock screen itself is bounded too (issue 16): after
:data:`FREE_ATTEMPTS` wrong passwords each further attempt must wait twice as long as the one
before (:data:`BASE_DELAY` seconds first, at most :data:`MAX_DELAY`), and after
:data:`MAX_ATTEMPTS` the offline unlock refuses until the next online sign-in saves a new
verifier. The count is kept in the sealed file, so restarting the app does not reset it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from inbox_app.client.files.private import write_private
from inbox_app.client.security.codec import Codec, CodecError, KeyedCodec

log = logging.getLogger(__name__)

_N, _R, _P = 2**14, 8, 1
#: wrong offline passwords answered at once
FREE_ATTEMPTS = 3
#: the wait after the first wrong password beyond the free ones, doubled after each
BASE_DELAY = 2.0
MAX_DELAY = 300.0
#: wrong offline passwords after which offline unlock stops until an online sign-in
MAX_ATTEMPTS = 10
_LENGTH = 32
# scrypt runs here, off the Qt thread; a plain thread (not the loop's default executor, which
# under qasync is a QThread pool the loop may never shut down)
_POOL = ThreadPoolExecutor(1, thread_name_prefix="inbox-unlock")


def _derive(password: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=_LENGTH,
                          maxmem=64 * 1024 * 1024)


class UnlockRefused(Exception):
    """Too many wrong passwords: ``retry_after`` seconds to wait, or ``None`` when offline
    unlock is over until the next online sign-in."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__("too many wrong passwords")
        self.retry_after = retry_after


def attempt_delay(failures: int) -> float:
    """Seconds to wait after ``failures`` wrong passwords before the next attempt."""
    over = failures - FREE_ATTEMPTS
    return 0.0 if over < 0 else min(BASE_DELAY * 2.0 ** over, MAX_DELAY)


class UnlockVerifier:
    """Stores and checks the password verifier of one user (file sealed with ``codec``)."""

    def __init__(self, path: Path, codec: Codec, *, user: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._codec = KeyedCodec(codec)
        self._user = user
        self._clock = clock  # wall time: the count outlives the process

    def save(self, password: str) -> None:
        """Replaces the verifier (blocking: ~50 ms of scrypt; run it off the Qt thread)."""
        salt = os.urandom(16)
        document = {"n": _N, "r": _R, "p": _P, "salt": base64.b64encode(salt).decode(),
                    "hash": base64.b64encode(_derive(password, salt)).decode()}
        write_private(self.path, self._codec.encode(self._user, document))

    async def save_async(self, password: str) -> None:
        await asyncio.get_running_loop().run_in_executor(_POOL, self.save, password)

    async def check_async(self, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(_POOL, self.check, password)

    def check(self, password: str) -> bool:
        """Whether ``password`` matches; False when there is no (readable) verifier.

        Raises :class:`UnlockRefused` while the attempt limit holds (the password is then
        not even checked)."""
        try:
            document = self._codec.decode(self._user, self.path.read_bytes())
            failures = int(document.get("failures", 0))
            if failures >= MAX_ATTEMPTS:
                raise UnlockRefused(None)
            wait = float(document.get("last_failure", 0.0)) + attempt_delay(failures) \
                - self._clock()
            if wait > 0:
                raise UnlockRefused(wait)
            salt = base64.b64decode(document["salt"])
            expected = base64.b64decode(document["hash"])
            actual = _derive(password, salt, int(document["n"]), int(document["r"]),
                             int(document["p"]))
        except FileNotFoundError:
            log.info("no unlock verifier stored: offline unlock impossible")
            return False
        except (OSError, CodecError, KeyError, TypeError, ValueError) as exc:
            log.warning("unlock verifier unreadable: %s", exc)
            return False
        ok = hmac.compare_digest(actual, expected)
        if ok and failures:
            document.update(failures=0, last_failure=0.0)
        elif not ok:
            document.update(failures=failures + 1, last_failure=self._clock())
            log.info("wrong offline unlock password (%s so far)", failures + 1)
        else:
            return True
        write_private(self.path, self._codec.encode(self._user, document))
        return ok
