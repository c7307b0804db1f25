"""Sealing of what the client writes about patients: AES-256-GCM over orjson.

Reception PCs are shared and sometimes stolen, and what the client keeps on disk (cache,
outbox, the remembered session token) is health data (issue 7). Every such value goes through a
:class:`SealedCodec`: authenticated encryption, so a flipped byte, a truncated entry, an entry
sealed with another user's key, or a planted pickle are all rejected with :class:`TamperedError`
before anything is parsed. Nothing here ever unpickles.

Format of one sealed entry (version 1)::

    b"CIS" | version (1 byte) | nonce (12 bytes, random) | ciphertext + GCM tag (16 bytes)

The header and the caller's context ("cache", "outbox", ...) plus an optional per-entry
``associated`` value (e.g. the cache key) are authenticated as associated data, so an entry
copied under another key or moved from the cache into the outbox does not decode either.

Random 96-bit nonces are safe for far more than the 2**32 entries NIST allows per key; a
desktop cache writes a few thousand a day.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from inbox_app.client.security.codec import CodecError

log = logging.getLogger(__name__)

KEY_BYTES = 32
"""AES-256: one key of this length per (server, user), see
:mod:`inbox_app.client.security.keystore`."""

MAGIC = b"CIS"
VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
_HEADER = MAGIC + bytes([VERSION])
OVERHEAD = len(_HEADER) + NONCE_BYTES + TAG_BYTES
"""Bytes a sealed entry adds to its plaintext."""


class TamperedError(CodecError):
    """A stored entry is not one we sealed with this key, context and binding.

    A :class:`~inbox_app.client.security.codec.CodecError` (a ``ValueError``), so the cache and the
    outbox handle it where they handle an undecodable plain-JSON value.

    Raised for a flipped byte, a truncated entry, a wrong key (another user's entry), an entry
    bound to another cache key or context, an unknown format version, or anything that is not
    our format at all (e.g. a planted pickle). The caller drops the entry and treats it as
    missing; it is never shown and never executed.
    """


def new_key() -> bytes:
    """A fresh random 256-bit key (``os.urandom`` via ``AESGCM.generate_key``)."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


class SealedCodec:
    """Encodes objects to sealed bytes and back, for one key and one purpose (``context``).

    Drop-in for the client's plain JSON codec: ``encode(obj) -> bytes`` and
    ``decode(bytes) -> obj``. Callers that know the entry's cache key pass it as
    ``associated=`` to both calls (the cache and the outbox do, through
    :class:`~inbox_app.client.security.codec.KeyedCodec`), binding the entry to that key.

    Values are serialised with orjson: dicts, lists, str, int, float, bool, None, plus what
    orjson handles natively (datetimes, dataclasses, enums). Pydantic models should be passed
    as ``model.model_dump(mode="json")``, or sealed as their JSON bytes with :meth:`seal`.
    """

    __slots__ = ("_aead", "_context")

    def __init__(self, key: bytes, *, context: bytes | str) -> None:
        if not isinstance(key, bytes | bytearray) or len(key) != KEY_BYTES:
            raise ValueError(f"SealedCodec needs a {KEY_BYTES}-byte key")
        context_bytes = _as_bytes(context)
        if not context_bytes:
            raise ValueError("SealedCodec needs a non-empty context (e.g. b'cache')")
        self._aead = AESGCM(bytes(key))
        # Length-prefixed so that (context, associated) pairs cannot run into each other.
        self._context = len(context_bytes).to_bytes(2, "big") + context_bytes

    def _aad(self, associated: str | bytes) -> bytes:
        return _HEADER + self._context + _as_bytes(associated)

    # -- bytes in, bytes out ---------------------------------------------------------------

    def seal(self, plaintext: bytes, *, associated: str | bytes = b"") -> bytes:
        """Encrypts and authenticates ``plaintext`` (e.g. JSON bytes as the server sent them)."""
        nonce = os.urandom(NONCE_BYTES)
        return _HEADER + nonce + self._aead.encrypt(nonce, plaintext, self._aad(associated))

    def unseal(self, data: Any, *, associated: str | bytes = b"") -> bytes:
        """The plaintext of a sealed entry; :class:`TamperedError` if it is not authentic."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TamperedError(f"not a sealed entry: a {type(data).__name__}, not bytes")
        data = bytes(data)
        if len(data) < OVERHEAD:
            raise TamperedError(f"not a sealed entry: {len(data)} bytes is too short")
        if data[: len(MAGIC)] != MAGIC:
            raise TamperedError("not a sealed entry: unknown header (plain or foreign data)")
        if data[len(MAGIC)] != VERSION:
            raise TamperedError(f"sealed entry of unknown version {data[len(MAGIC)]}")
        nonce = data[len(_HEADER) : len(_HEADER) + NONCE_BYTES]
        try:
            return self._aead.decrypt(
                nonce, data[len(_HEADER) + NONCE_BYTES :], self._aad(associated)
            )
        except InvalidTag:
            raise TamperedError(
                "sealed entry failed authentication (altered, truncated, another user's key, "
                "or stored under another key)"
            ) from None

    # -- objects in, objects out -----------------------------------------------------------

    def encode(self, obj: Any, *, associated: str | bytes = b"") -> bytes:
        """orjson-serialises ``obj`` and seals it."""
        return self.seal(orjson.dumps(obj), associated=associated)

    def decode(self, data: Any, *, associated: str | bytes = b"") -> Any:
        """Unseals and parses an entry made by :meth:`encode`; :class:`TamperedError` if not."""
        plaintext = self.unseal(data, associated=associated)
        try:
            return orjson.loads(plaintext)
        except orjson.JSONDecodeError as exc:
            # Authentic but not JSON: sealed by seal() with other content. Still never shown.
            raise TamperedError(f"sealed entry does not hold JSON: {exc}") from None
