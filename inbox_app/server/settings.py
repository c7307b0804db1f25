"""Server settings: one dataclass read from flags, then ``INBOX_*`` environment variables.

The flags win over the environment, the environment over the defaults (ARCHITECTURE.md
section 8). With nothing set the server runs on a SQLite file in the user data folder,
without Redis.
"""

from __future__ import annotations

import argparse
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from inbox_app.server.cache.tuning import CacheTuning
from inbox_app.server.guard.limits import Limits
from inbox_app.server.whatsapp.settings import WhatsAppSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_TOKEN_TTL_SECONDS = 12 * 3600
DEFAULT_EVENT_LOG_SIZE = 1000
DEMO_SIZES = ("small", "full", "large")


def default_database_url() -> str:
    """A SQLite file in the user data folder (created on demand)."""
    folder = Path(platformdirs.user_data_dir("clinic-inbox", appauthor=False)) / "server"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{folder / 'inbox.db'}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server needs to start; see :func:`parse_settings`."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    database_url: str = "sqlite+aiosqlite:///inbox.db"
    redis_url: str | None = None
    webhook_secret: str = ""
    #: accept the old ``X-Webhook-Secret`` header beside the signature (one more release)
    webhook_shared_secret: bool = True
    token_ttl_seconds: int = DEFAULT_TOKEN_TTL_SECONDS
    event_log_size: int = DEFAULT_EVENT_LOG_SIZE
    verbose: bool = False
    demo_data: bool = False
    demo_size: str = "full"
    simulate_inbound: float | None = None
    #: Create the schema (and seed with ``demo_data``), then exit without serving.
    init_only: bool = False
    #: abuse limits (connections, live sockets, sign-ins), from INBOX_* variables (issue 16)
    limits: Limits = field(default_factory=Limits)
    #: what the cache loads ahead, and its TTLs, from INBOX_* variables (issue 14)
    cache: CacheTuning = field(default_factory=CacheTuning)
    #: Upgrade an older database schema at start (``--migrate``, ``INBOX_MIGRATE=1``).
    migrate: bool = False
    #: Whether INBOX_WEBHOOK_SECRET was set (else ``webhook_secret`` is random per process).
    webhook_secret_configured: bool = True
    #: Bearer token /metrics and /api/metrics need (INBOX_METRICS_TOKEN); None: open.
    metrics_token: str | None = None
    #: ``text`` or ``json`` (one object per line, with the request id).
    log_format: str = "text"
    #: HTTPS and WSS with this certificate chain and key (PEM files).
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    #: the WhatsApp Cloud API's address and the delivery worker's pacing (issue 17)
    whatsapp: WhatsAppSettings = field(default_factory=WhatsAppSettings)
    #: demo: replies go through a simulated WhatsApp, each step this many seconds apart
    simulate_delivery: float | None = None


def _positive_int(name: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {text!r}") from None
    if value <= 0:
        raise SystemExit(f"{name} must be positive, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inbox-server", description="Clinic Inbox API server (HTTP + WebSocket)."
    )
    parser.add_argument("--host", help=f"interface to bind (INBOX_HOST, default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=int, help=f"port, 0 picks a free one (INBOX_PORT, default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy async URL, e.g. postgresql+asyncpg://user@host/db "
        "(INBOX_DATABASE_URL, default a SQLite file in the user data folder)",
    )
    parser.add_argument("--redis-url", help="Redis URL for the shared cache (INBOX_REDIS_URL)")
    parser.add_argument(
        "--demo-data", action="store_true", help="seed two demo clinics (once, idempotently)"
    )
    parser.add_argument(
        "--demo-size", choices=DEMO_SIZES, default=None,
        help="small: ~20 patients/~30 conversations per clinic; full (default): ~200/~500; "
        "large: ~2,000/~14,000 (about 5,000 unread)",
    )
    parser.add_argument(
        "--simulate-inbound", type=float, metavar="SECONDS",
        help="a patient message arrives every SECONDS (through the webhook's path)",
    )
    parser.add_argument(
        "--simulate-delivery", type=float, metavar="SECONDS",
        help="demo: every reply goes through a simulated WhatsApp (sent, delivered, read, "
        "SECONDS apart) instead of the clinics' channels",
    )
    parser.add_argument("--verbose", action="store_true", help="debug logging (cache HIT/MISS)")
    parser.add_argument("--init-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--log-format", choices=("text", "json"),
                        help="log lines as text (default) or one JSON object per line "
                        "(INBOX_LOG_FORMAT)")
    parser.add_argument("--ssl-certfile", help="serve HTTPS/WSS: the certificate chain, PEM "
                        "(INBOX_SSL_CERTFILE)")
    parser.add_argument("--ssl-keyfile", help="the certificate's private key, PEM "
                        "(INBOX_SSL_KEYFILE)")
    parser.add_argument(
        "--migrate", action="store_true",
        help="upgrade an older database schema at start (INBOX_MIGRATE=1); without it the "
        "server refuses to start on one (see `inbox-server migrate`)",
    )
    return parser


def parse_settings(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from ``argv`` (flags) over ``environ`` (``INBOX_*``) over the defaults."""
    env = os.environ if environ is None else environ
    args = build_parser().parse_args(argv)
    port_text = env.get("INBOX_PORT")
    if args.port is not None:
        port = args.port
    elif port_text:
        try:
            port = int(port_text)
        except ValueError:
            raise SystemExit(f"INBOX_PORT must be an integer, got {port_text!r}") from None
    else:
        port = DEFAULT_PORT
    if not 0 <= port <= 65535:
        raise SystemExit(f"port must be between 0 and 65535, got {port}")
    if args.simulate_inbound is not None and args.simulate_inbound <= 0:
        raise SystemExit("--simulate-inbound must be a positive number of seconds")
    if args.simulate_delivery is not None and args.simulate_delivery <= 0:
        raise SystemExit("--simulate-delivery must be a positive number of seconds")
    ttl_text = env.get("INBOX_TOKEN_TTL_SECONDS")
    log_text = env.get("INBOX_EVENT_LOG_SIZE")
    return Settings(
        host=args.host or env.get("INBOX_HOST") or DEFAULT_HOST,
        port=port,
        database_url=args.database_url or env.get("INBOX_DATABASE_URL")
        or default_database_url(),
        redis_url=args.redis_url or env.get("INBOX_REDIS_URL") or None,
        # Without a configured secret the webhook still works on this process, but nobody
        # can guess the secret: a random one is made per start.
        webhook_secret=env.get("INBOX_WEBHOOK_SECRET") or secrets.token_urlsafe(24),
        webhook_shared_secret=env.get("INBOX_WEBHOOK_SHARED_SECRET", "1").strip().lower()
        not in {"0", "false", "no", "off"},
        token_ttl_seconds=_positive_int("INBOX_TOKEN_TTL_SECONDS", ttl_text)
        if ttl_text else DEFAULT_TOKEN_TTL_SECONDS,
        event_log_size=_positive_int("INBOX_EVENT_LOG_SIZE", log_text)
        if log_text else DEFAULT_EVENT_LOG_SIZE,
        verbose=args.verbose,
        demo_data=args.demo_data,
        demo_size=args.demo_size or "full",
        simulate_inbound=args.simulate_inbound,
        simulate_delivery=args.simulate_delivery,
        whatsapp=WhatsAppSettings.from_env(env),
        init_only=args.init_only,
        limits=Limits.from_env(env),
        cache=CacheTuning.from_env(env),
        migrate=args.migrate or _flag(env.get("INBOX_MIGRATE")),
        webhook_secret_configured=bool(env.get("INBOX_WEBHOOK_SECRET")),
        metrics_token=env.get("INBOX_METRICS_TOKEN") or None,
        log_format=_log_format(args.log_format or env.get("INBOX_LOG_FORMAT") or "text"),
        **_tls(args.ssl_certfile or env.get("INBOX_SSL_CERTFILE"),
               args.ssl_keyfile or env.get("INBOX_SSL_KEYFILE")),
    )


def _log_format(text: str) -> str:
    if text not in {"text", "json"}:
        raise SystemExit(f"the log format must be text or json, got {text!r}")
    return text


def _tls(certfile: str | None, keyfile: str | None) -> dict[str, str | None]:
    if bool(certfile) != bool(keyfile):
        raise SystemExit("HTTPS needs both --ssl-certfile and --ssl-keyfile")
    for path in (certfile, keyfile):
        if path and not Path(path).is_file():
            raise SystemExit(f"no such file: {path}")
    return {"ssl_certfile": certfile, "ssl_keyfile": keyfile}


def _flag(text: str | None) -> bool:
    """An ``INBOX_*`` on/off variable: 1, true, yes, on (any case) mean on."""
    return (text or "").strip().lower() in {"1", "true", "yes", "on"}
