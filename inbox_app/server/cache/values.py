"""What the server cache stores in Redis: ``b"<owner clinic id>:<j|z>@<expiry>+<delta>:<body>"``.

``j`` is plain JSON (small values stay readable in ``redis-cli``), ``z`` is zlib-compressed
JSON (values above :data:`COMPRESS_THRESHOLD`). The owner clinic id sits in front so
authorization needs no decode, and a hit is served as the stored bytes (ARCHITECTURE.md
section 9: passing the zlib bytes through with ``Content-Encoding: deflate`` is 3x faster
than re-encoding).

``<expiry>`` (Unix time in ms when Redis drops the value) and ``<delta>`` (ms the database
load that produced it took) are what early refresh needs on a hit
(:mod:`inbox_app.server.cache.early`) without a second Redis command: the hit stays one GET.
A value stored without them (``b"<owner>:<j|z>:<body>"``, the format before issue 14) still
reads; it is just never refreshed early. An older server refuses the new header (its third
byte after the owner is not ``:``) and reloads, so it never serves the header as the body.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

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
    #: Unix time in ms when Redis drops it (0: not known, never refreshed early)
    expires_ms: int = field(default=0, compare=False)
    #: ms the database load behind it took (XFetch's delta)
    delta_ms: int = field(default=0, compare=False)

    def json_bytes(self) -> bytes:
        """The JSON bytes, decompressed if needed (for a client that refuses deflate)."""
        return zlib.decompress(self.body) if self.compressed else self.body


def encode(owner_clinic_id: int, body: bytes, *, expires_ms: int = 0,
           delta_ms: int = 0) -> tuple[bytes, CachedValue]:
    """The Redis value for ``body`` and the value to serve (compressed above the threshold);
    with ``expires_ms``, the timing early refresh reads rides in the header."""
    compressed = False
    if len(body) >= COMPRESS_THRESHOLD:
        packed = zlib.compress(body, COMPRESS_LEVEL)
        if len(packed) < len(body):
            body, compressed = packed, True
    flag = b"z" if compressed else b"j"
    if expires_ms > 0:
        head = b"%d:%s@%d+%d:" % (owner_clinic_id, flag, expires_ms, max(0, delta_ms))
    else:
        head = b"%d:%s:" % (owner_clinic_id, flag)
    return head + body, CachedValue(owner_clinic_id, body, compressed, expires_ms,
                                    max(0, delta_ms) if expires_ms > 0 else 0)


def decode(raw: bytes) -> CachedValue | None:
    """The value stored in ``raw``, or ``None`` when it is not in our format."""
    first = raw.find(b":")
    if first <= 0 or not raw[:first].isdigit():
        return None
    flag = raw[first + 1:first + 2]
    if flag not in (b"j", b"z"):
        return None
    mark = raw[first + 2:first + 3]
    if mark == b":":
        return CachedValue(int(raw[:first]), raw[first + 3:], flag == b"z")
    if mark != b"@":
        return None
    end = raw.find(b":", first + 3)
    plus = raw.find(b"+", first + 3, end) if end > 0 else -1
    if plus < 0:
        return None
    expires, delta = raw[first + 3:plus], raw[plus + 1:end]
    if not (expires.isdigit() and delta.isdigit()):
        return None
    return CachedValue(int(raw[:first]), raw[end + 1:], flag == b"z", int(expires), int(delta))
