"""The channel's server settings, read from ``INBOX_*`` environment variables.

The clinics' own settings (phone number id, token, secrets) live in the database
(``channels.py``); these say where the Graph API is and how the delivery worker paces itself.
Tests point ``INBOX_GRAPH_API_URL`` at the local stand-in and shorten the waits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_GRAPH_VERSION = "v23.0"


@dataclass(frozen=True, slots=True)
class WhatsAppSettings:
    """Where the Graph API is and how replies go out (env names in :data:`ENV_NAMES`)."""

    #: the Graph API's address (a test stand-in on loopback in the tests)
    graph_url: str = DEFAULT_GRAPH_URL
    #: the Graph API version in every path (``/v23.0/{phone-number-id}/messages``)
    graph_version: str = DEFAULT_GRAPH_VERSION
    #: first retry delay in seconds; each retry waits a random time up to double the last
    retry_base: float = 2.0
    #: the longest wait between two attempts, in seconds
    retry_cap: float = 300.0
    #: attempts before a reply that keeps failing transiently is marked failed
    max_attempts: int = 12
    #: seconds a worker owns a claimed reply; another instance may take it after that (the
    #: Graph API request's timeout is well below it)
    lease_seconds: float = 60.0
    #: seconds between looks at the queue when nothing woke the worker (replies queued by
    #: another instance while Redis was down, retries that fell due)
    poll_seconds: float = 5.0

    @property
    def request_timeout(self) -> float:
        """Seconds one Graph API request may take: at most half the lease."""
        return min(20.0, self.lease_seconds / 2)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WhatsAppSettings:
        """The defaults, overridden by the ``INBOX_*`` variables that are set."""
        values: dict[str, str | float | int] = {}
        for item in fields(cls):
            name = ENV_NAMES[item.name]
            text = env.get(name, "").strip()
            if not text:
                continue
            if item.name in {"graph_url", "graph_version"}:
                values[item.name] = text.rstrip("/")
                continue
            kind = int if item.name == "max_attempts" else float
            try:
                value = kind(text)
            except ValueError:
                raise SystemExit(f"{name} must be a {kind.__name__}, got {text!r}") from None
            if value <= 0:
                raise SystemExit(f"{name} must be positive, got {text}")
            values[item.name] = value
        settings = cls(**values)  # type: ignore[arg-type]
        if not settings.graph_url.startswith(("https://", "http://")):
            raise SystemExit(
                f"INBOX_GRAPH_API_URL must be an http(s) URL, got {settings.graph_url!r}"
            )
        return settings


ENV_NAMES: dict[str, str] = {
    "graph_url": "INBOX_GRAPH_API_URL",
    "graph_version": "INBOX_GRAPH_API_VERSION",
    "retry_base": "INBOX_WHATSAPP_RETRY_BASE",
    "retry_cap": "INBOX_WHATSAPP_RETRY_CAP",
    "max_attempts": "INBOX_WHATSAPP_MAX_ATTEMPTS",
    "lease_seconds": "INBOX_WHATSAPP_LEASE_SECONDS",
    "poll_seconds": "INBOX_WHATSAPP_POLL_SECONDS",
}
