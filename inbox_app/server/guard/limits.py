"""The server's abuse limits, read from ``INBOX_*`` environment variables (issue 16).

Each has a default that a clinic never notices; tests set short ones. ``0`` is accepted only
where the README says it switches the limit off (connections per address behind a proxy).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Limits:
    """Connection, live-socket and sign-in limits (env names in :data:`ENV_NAMES`)."""

    #: bytes of one request head (request line and headers); more is a 431
    max_head_bytes: int = 32 * 1024
    #: header lines of one request; more is a 431
    max_headers: int = 100
    #: seconds a connection may take to send a complete request head (also the first one)
    head_timeout: float = 10.0
    #: seconds a declared request body may take to arrive
    body_timeout: float = 30.0
    #: open connections of one client address (0: no limit, e.g. behind a load balancer)
    connections_per_address: int = 256
    #: open live sockets of one token; one more is closed with CLOSE_TOO_MANY_SOCKETS
    live_sockets_per_token: int = 5
    #: hellos (replays) one live socket may send per minute; one more closes CLOSE_TOO_MANY_REPLAYS
    live_replays_per_minute: int = 10
    #: failed sign-ins (per account, per address) answered at once before the delays start
    login_free_failures: int = 5
    #: first delay after the free failures, doubled at each further failure
    login_base_delay: float = 1.0
    #: the longest delay, in seconds
    login_max_delay: float = 900.0
    #: seconds after the last failure when an account's or address's count is forgotten
    login_window: float = 3600.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        """The defaults, overridden by the ``INBOX_*`` variables that are set."""
        values: dict[str, float | int] = {}
        for item in fields(cls):
            name = ENV_NAMES[item.name]
            text = env.get(name)
            if not text:
                continue
            kind = int if item.type in {"int", int} else float
            try:
                value = kind(text)
            except ValueError:
                raise SystemExit(f"{name} must be a {kind.__name__}, got {text!r}") from None
            if value < 0 or (value == 0 and item.name != "connections_per_address"):
                raise SystemExit(f"{name} must be positive, got {text}")
            values[item.name] = value
        return cls(**values)  # type: ignore[arg-type]


ENV_NAMES: dict[str, str] = {
    "max_head_bytes": "INBOX_MAX_HEAD_BYTES",
    "max_headers": "INBOX_MAX_HEADERS",
    "head_timeout": "INBOX_HEAD_TIMEOUT",
    "body_timeout": "INBOX_BODY_TIMEOUT",
    "connections_per_address": "INBOX_CONNECTIONS_PER_ADDRESS",
    "live_sockets_per_token": "INBOX_LIVE_SOCKETS_PER_TOKEN",
    "live_replays_per_minute": "INBOX_LIVE_REPLAYS_PER_MINUTE",
    "login_free_failures": "INBOX_LOGIN_FREE_FAILURES",
    "login_base_delay": "INBOX_LOGIN_BASE_DELAY",
    "login_max_delay": "INBOX_LOGIN_MAX_DELAY",
    "login_window": "INBOX_LOGIN_WINDOW",
}
