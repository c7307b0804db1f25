"""The abuse limits from INBOX_* variables (inbox_app/server/guard/limits.py)."""

from __future__ import annotations

import pytest

from inbox_app.server.guard.limits import ENV_NAMES, Limits
from inbox_app.server.settings import parse_settings


def test_defaults_and_overrides() -> None:
    assert parse_settings([], {}).limits == Limits()
    limits = parse_settings([], {"INBOX_HEAD_TIMEOUT": "2.5", "INBOX_MAX_HEADERS": "50",
                                 "INBOX_CONNECTIONS_PER_ADDRESS": "0"}).limits
    assert (limits.head_timeout, limits.max_headers, limits.connections_per_address) == (
        2.5, 50, 0)
    assert set(ENV_NAMES) == set(Limits.__dataclass_fields__)


@pytest.mark.parametrize(("name", "text"), [("INBOX_MAX_HEADERS", "many"),
                                            ("INBOX_HEAD_TIMEOUT", "-1"),
                                            ("INBOX_MAX_HEADERS", "2.5"),
                                            ("INBOX_LIVE_SOCKETS_PER_TOKEN", "0")])
def test_bad_values_stop_with_a_clear_message(name: str, text: str) -> None:
    with pytest.raises(SystemExit, match=name):
        parse_settings([], {name: text})
