"""The idle lock's offline check: a scrypt verifier of the user's password, sealed on disk.

Unlocking asks the server first (the password is checked where it lives). When the server
cannot be reached, the receptionist must still get back to the inbox: at each successful
login the client stores ``scrypt(password, salt)`` — sealed with the user's data key, bound to
the user — and an offline unlock compares against it in constant time. scrypt (stdlib
``hashlib.scrypt``, n=2**14, r=8, p=1: ~50 ms here, 16 MiB) makes guessing from a stolen file
slow even if the key were taken too; without the key the file is unreadable anyway.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from inbox_app.client.files.private import write_private
from inbox_app.client.security.codec import Codec, CodecError, KeyedCodec

log = logging.getLogger(__name__)

_N, _R, _P = 2**14, 8, 1
_LENGTH = 32
# scrypt runs here, off the Qt thread; a plain thread (not the loop's default executor, which
# under qasync is a QThread pool the loop may never shut down)
_POOL = ThreadPoolExecutor(1, thread_name_prefix="inbox-unlock")


def _derive(password: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=_LENGTH,
                          maxmem=64 * 1024 * 1024)


class UnlockVerifier:
    """Stores and checks the password verifier of one user (file sealed with ``codec``)."""

    def __init__(self, path: Path, codec: Codec, *, user: str) -> None:
        self.path = Path(path)
        self._codec = KeyedCodec(codec)
        self._user = user

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
        """Whether ``password`` matches; False when there is no (readable) verifier."""
        try:
            document = self._codec.decode(self._user, self.path.read_bytes())
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
        return hmac.compare_digest(actual, expected)
