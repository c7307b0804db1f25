"""The cache's switches and TTLs from INBOX_* variables (inbox_app/server/cache/tuning.py)."""

from __future__ import annotations

import pytest

from inbox_app.contract.policy import POLICY, CacheKind
from inbox_app.server.cache.tuning import CacheTuning
from inbox_app.server.settings import parse_settings


def test_every_feature_is_on_by_default_with_the_policy_ttls() -> None:
    tuning = parse_settings([], environ={}).cache
    assert tuning == CacheTuning()
    assert (tuning.write_through, tuning.warm_unread, tuning.early_refresh) == (True,) * 3
    assert (tuning.warm_unread_limit, tuning.early_refresh_beta) == (50, 1.0)
    for kind, policy in POLICY.items():
        assert tuning.ttl_ms(kind) == policy.ttl_seconds * 1000


def test_each_switch_and_knob_is_read_from_its_variable() -> None:
    tuning = CacheTuning.from_env(
        {
            "INBOX_WRITE_THROUGH": "0",
            "INBOX_WARM_UNREAD": "off",
            "INBOX_EARLY_REFRESH": "no",
            "INBOX_WARM_UNREAD_LIMIT": "7",
            "INBOX_EARLY_REFRESH_BETA": "2.5",
            "INBOX_CACHE_TTLS": "conversation_detail=1.5, patient_data=3",
        }
    )
    assert (tuning.write_through, tuning.warm_unread, tuning.early_refresh) == (False,) * 3
    assert (tuning.warm_unread_limit, tuning.early_refresh_beta) == (7, 2.5)
    assert tuning.ttl_ms(CacheKind.CONVERSATION_DETAIL) == 1500
    assert tuning.ttl_ms(CacheKind.PATIENT_DATA) == 3000
    assert tuning.ttl_ms(CacheKind.CONVERSATIONS_LIST) == 300_000


@pytest.mark.parametrize(
    "env",
    [
        {"INBOX_WRITE_THROUGH": "maybe"},
        {"INBOX_WARM_UNREAD_LIMIT": "0"},
        {"INBOX_WARM_UNREAD_LIMIT": "lots"},
        {"INBOX_EARLY_REFRESH_BETA": "-1"},
        {"INBOX_CACHE_TTLS": "conversation_detail"},
        {"INBOX_CACHE_TTLS": "nonsense=3"},
        {"INBOX_CACHE_TTLS": "patient_data=0"},
    ],
)
def test_bad_values_stop_the_server_with_a_message(env: dict[str, str]) -> None:
    with pytest.raises(SystemExit, match="INBOX_"):
        CacheTuning.from_env(env)
