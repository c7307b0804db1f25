"""The server cache's switches and knobs (issue 14), read from ``INBOX_*`` variables.

Each loading-ahead feature has its own on/off switch, so a benchmark can run the same
workload with and without it; all are on by default.

| variable | what | default |
|---|---|---|
| ``INBOX_WRITE_THROUGH`` | an inbound message leaves its conversation's detail in Redis | on |
| ``INBOX_WARM_UNREAD`` | warming (start, resync) also loads unread details and patients | on |
| ``INBOX_WARM_UNREAD_LIMIT`` | at most this many unread details per clinic | 50 |
| ``INBOX_EARLY_REFRESH`` | a hit may refresh its key ahead of expiry (XFetch) | on |
| ``INBOX_EARLY_REFRESH_BETA`` | XFetch's beta: above 1 refreshes earlier, below later | 1.0 |
| ``INBOX_CACHE_TTLS`` | Redis TTLs other than the policy table's, ``kind=seconds,...`` | none |

``INBOX_CACHE_TTLS`` changes the Redis expiry only (tests and benchmarks shorten it); the
freshness the client applies stays the policy table's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inbox_app.contract.policy import POLICY, CacheKind

DEFAULT_WARM_UNREAD_LIMIT = 50
DEFAULT_EARLY_REFRESH_BETA = 1.0

_ON = {"1", "true", "yes", "on"}
_OFF = {"0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class CacheTuning:
    """What the cache loads ahead, and how."""

    #: an inbound message's conversation detail is written to Redis after the commit
    write_through: bool = True
    #: warming covers the details of each warmed clinic's unread conversations, and their
    #: patients
    warm_unread: bool = True
    #: at most this many unread conversations warmed per clinic (the newest first)
    warm_unread_limit: int = DEFAULT_WARM_UNREAD_LIMIT
    #: hits refresh hot keys in the background before they expire (XFetch)
    early_refresh: bool = True
    #: XFetch's beta (Vattani et al.): 1 is the paper's optimum, larger refreshes earlier
    early_refresh_beta: float = DEFAULT_EARLY_REFRESH_BETA
    #: Redis TTLs in seconds overriding the policy table's, per kind
    ttl_seconds: Mapping[CacheKind, float] = field(default_factory=dict)

    def ttl_ms(self, kind: CacheKind) -> int:
        """The Redis expiry of ``kind``'s values, in milliseconds."""
        seconds = self.ttl_seconds.get(kind, POLICY[kind].ttl_seconds)
        return max(1, round(seconds * 1000))

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CacheTuning:
        """The defaults, overridden by the ``INBOX_*`` variables that are set."""
        return cls(
            write_through=_switch(env, "INBOX_WRITE_THROUGH"),
            warm_unread=_switch(env, "INBOX_WARM_UNREAD"),
            warm_unread_limit=int(
                _number(env, "INBOX_WARM_UNREAD_LIMIT", DEFAULT_WARM_UNREAD_LIMIT, integer=True)
            ),
            early_refresh=_switch(env, "INBOX_EARLY_REFRESH"),
            early_refresh_beta=_number(env, "INBOX_EARLY_REFRESH_BETA", DEFAULT_EARLY_REFRESH_BETA),
            ttl_seconds=_ttls(env.get("INBOX_CACHE_TTLS", "")),
        )


def _switch(env: Mapping[str, str], name: str) -> bool:
    text = env.get(name, "").strip().lower()
    if not text or text in _ON:
        return True
    if text in _OFF:
        return False
    raise SystemExit(f"{name} must be 1 or 0 (on or off), got {text!r}")


def _number(env: Mapping[str, str], name: str, default: float, *, integer: bool = False) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise SystemExit(f"{name} must be {kind}, got {text!r}") from None
    if not value > 0:
        raise SystemExit(f"{name} must be positive, got {text}")
    return value


def _ttls(text: str) -> dict[CacheKind, float]:
    ttls: dict[CacheKind, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, seconds = part.partition("=")
        try:
            kind = CacheKind(name.strip())
            value = float(seconds)
        except ValueError:
            raise SystemExit(
                f"INBOX_CACHE_TTLS takes kind=seconds pairs ({', '.join(CacheKind)}), got {part!r}"
            ) from None
        if not value > 0:
            raise SystemExit(f"INBOX_CACHE_TTLS: the TTL of {kind} must be positive")
        ttls[kind] = value
    return ttls
