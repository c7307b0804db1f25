"""What the server cache stores in Redis: ``b"<owner clinic id>:<j|z>:<body>"``.

``j`` is plain JSON (small values stay readable in ``redis-cli``), ``z`` is zlib-compressed
JSON (values above :data:`COMPRESS_THRESHOLD`). The owner clinic id sits in front so
authorization needs no decode, and a hit is served as the stored bytes (ARCHITECTURE.md
section 9: passing the zlib bytes through with ``Content-Encoding: deflate`` is 3x faster
than re-encoding).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

#: bytes of JSON above which a value is stored zlib-compressed
COMPRESS_THRESHOLD = 1024
#: zlib level: 6 (the default) takes ~1.5 ms on a 200 KB list, paid once per miss
COMPRESS_LEVEL = 6


@dataclass(frozen=True, slots=True)
class CachedValue:
    """What a cache read yields: the bytes to serve and who owns them."""

    owner_clinic_id: int
    #: JSON bytes, or zlib-compressed JSON (RFC 1950, HTTP ``deflate``) when ``compressed``
    body: bytes
    compressed: bool = False

    def json_bytes(self) -> bytes:
        """The JSON bytes, decompressed if needed (for a client that refuses deflate)."""
        return zlib.decompress(self.body) if self.compressed else self.body


def encode(owner_clinic_id: int, body: bytes) -> tuple[bytes, CachedValue]:
    """The Redis value for ``body`` and the value to serve (compressed above the threshold)."""
    if len(body) >= COMPRESS_THRESHOLD:
        packed = zlib.compress(body, COMPRESS_LEVEL)
        if len(packed) < len(body):
            return b"%d:z:" % owner_clinic_id + packed, CachedValue(owner_clinic_id, packed, True)
    return b"%d:j:" % owner_clinic_id + body, CachedValue(owner_clinic_id, body, False)


def decode(raw: bytes) -> CachedValue | None:
    """The value stored in ``raw``, or ``None`` when it is not in our format."""
    first = raw.find(b":")
    if first <= 0 or raw[first + 2:first + 3] != b":":
        return None
    flag = raw[first + 1:first + 2]
    if flag not in (b"j", b"z") or not raw[:first].isdigit():
        return None
    return CachedValue(int(raw[:first]), raw[first + 3:], flag == b"z")
