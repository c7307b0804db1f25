"""Settings (inbox_app/server/settings.py): flags over INBOX_* variables over defaults."""

from __future__ import annotations

import pytest

from inbox_app.server.db.database import normalize_url
from inbox_app.server.settings import parse_settings


def test_defaults_are_embedded_sqlite_without_redis() -> None:
    settings = parse_settings([], environ={})
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.redis_url is None
    assert (settings.host, settings.port) == ("127.0.0.1", 8765)
    assert settings.token_ttl_seconds == 43200
    assert settings.event_log_size == 1000
    assert settings.webhook_secret  # random per start when not configured


def test_environment_then_flags_win() -> None:
    env = {"INBOX_HOST": "0.0.0.0", "INBOX_PORT": "9000", "INBOX_DATABASE_URL": "sqlite:///x.db",
           "INBOX_REDIS_URL": "redis://r:6379/0", "INBOX_WEBHOOK_SECRET": "s",
           "INBOX_TOKEN_TTL_SECONDS": "60", "INBOX_EVENT_LOG_SIZE": "5"}
    settings = parse_settings([], environ=env)
    assert (settings.host, settings.port, settings.redis_url) == ("0.0.0.0", 9000,
                                                                 "redis://r:6379/0")
    assert (settings.webhook_secret, settings.token_ttl_seconds, settings.event_log_size) == \
        ("s", 60, 5)
    flagged = parse_settings(["--port", "0", "--database-url", "sqlite:///y.db",
                              "--demo-data", "--demo-size", "small",
                              "--simulate-inbound", "2.5"], environ=env)
    assert (flagged.port, flagged.database_url) == (0, "sqlite:///y.db")
    assert (flagged.demo_data, flagged.demo_size, flagged.simulate_inbound) == \
        (True, "small", 2.5)


@pytest.mark.parametrize(("argv", "env"), [
    (["--port", "70000"], {}),
    ([], {"INBOX_PORT": "eighty"}),
    ([], {"INBOX_TOKEN_TTL_SECONDS": "0"}),
    (["--simulate-inbound", "-1"], {}),
    (["--demo-size", "huge"], {}),
])
def test_bad_settings_exit_with_a_message(argv: list[str], env: dict[str, str]) -> None:
    with pytest.raises(SystemExit):
        parse_settings(argv, environ=env)


def test_plain_urls_get_the_async_driver() -> None:
    assert normalize_url("sqlite:///a.db") == "sqlite+aiosqlite:///a.db"
    assert normalize_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalize_url("postgresql+asyncpg://u@h/db") == "postgresql+asyncpg://u@h/db"
