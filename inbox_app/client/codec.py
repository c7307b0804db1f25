"""How cache values and outbox records become bytes on disk.

Everything the client stores goes through one codec object, so the data-protection layer can
swap the plain JSON codec for an authenticated-encryption one (``crypto.SealedCodec``)
without touching the cache or the outbox. JSON only: never pickle (CVE-2025-69872).
"""

from __future__ import annotations

from typing import Any, Protocol

import orjson


class CodecError(ValueError):
    """Stored bytes that cannot be decoded (corrupted, tampered, or not ours)."""


class Codec(Protocol):
    """``encode(obj) -> bytes`` and ``decode(bytes) -> obj`` for JSON-ready objects."""

    def encode(self, obj: Any) -> bytes: ...

    def decode(self, data: bytes) -> Any: ...


class JsonCodec:
    """Plain JSON through orjson (the default; no protection at rest)."""

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def decode(self, data: bytes) -> Any:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise CodecError(f"stored value is not JSON: {exc}") from exc
