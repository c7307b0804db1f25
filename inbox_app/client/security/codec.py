"""How cache values and outbox records become bytes on disk.

Everything the client stores goes through one codec object, so the data-protection layer can
swap the plain JSON codec for an authenticated-encryption one (``crypto.SealedCodec``)
without touching the cache or the outbox. JSON only: never pickle (CVE-2025-69872).
"""

from __future__ import annotations

import inspect
from typing import Any, Protocol

import orjson


class CodecError(ValueError):
    """Stored bytes that cannot be decoded (corrupted, tampered, or not ours)."""


class Codec(Protocol):
    """``encode(obj) -> bytes`` and ``decode(bytes) -> obj`` for JSON-ready objects."""

    def encode(self, obj: Any) -> bytes: ...

    def decode(self, data: bytes) -> Any: ...


def takes_associated(codec: Codec) -> bool:
    """Whether ``codec`` can bind an entry to its name (``associated=``, as SealedCodec does),
    so an entry copied under another key fails to decode instead of showing wrong data."""
    try:
        return "associated" in inspect.signature(codec.encode).parameters
    except (TypeError, ValueError):
        return False


class KeyedCodec:
    """Encodes and decodes entries bound to their key when the codec supports it."""

    __slots__ = ("_keyed", "codec")

    def __init__(self, codec: Codec) -> None:
        self.codec = codec
        self._keyed = takes_associated(codec)

    def encode(self, key: str, obj: Any) -> bytes:
        if self._keyed:
            return self.codec.encode(obj, associated=key)  # type: ignore[call-arg]  # see takes_associated
        return self.codec.encode(obj)

    def decode(self, key: str, data: bytes) -> Any:
        if self._keyed:
            return self.codec.decode(data, associated=key)  # type: ignore[call-arg]  # see takes_associated
        return self.codec.decode(data)


class JsonCodec:
    """Plain JSON through orjson (the default; no protection at rest)."""

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def decode(self, data: bytes) -> Any:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise CodecError(f"stored value is not JSON: {exc}") from exc
