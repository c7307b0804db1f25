"""Tests for inbox_app/contract/policy.py: the one cache policy table."""

from __future__ import annotations

import pytest

from inbox_app.contract import policy
from inbox_app.contract.policy import CacheKind


def test_ttls_match_the_architecture() -> None:
    ttl = {k: p.ttl_seconds for k, p in policy.POLICY.items()}
    assert ttl == {
        CacheKind.CONVERSATIONS_LIST: 300,
        CacheKind.CONVERSATION_DETAIL: 120,
        CacheKind.USER_SESSION: 1800,
        CacheKind.PATIENT_DATA: 600,
    }


def test_keys_follow_the_templates() -> None:
    assert policy.list_key(3) == "conversations:clinic:3"
    assert policy.detail_key(17) == "conversation:17:detail"
    assert policy.session_key(5) == "user:5:session"
    assert policy.patient_key(9) == "patient:9:data"


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("conversations:clinic:3", CacheKind.CONVERSATIONS_LIST),
        ("conversation:17:detail", CacheKind.CONVERSATION_DETAIL),
        ("user:5:session", CacheKind.USER_SESSION),
        ("patient:9:data", CacheKind.PATIENT_DATA),
        ("something:else", None),
    ],
)
def test_kind_of_key(key: str, kind: CacheKind | None) -> None:
    assert policy.kind_of_key(key) == kind


def test_policy_document_round_trips() -> None:
    doc = policy.policy_document()
    assert policy.parse_policy_document(doc) == dict(policy.POLICY)


def test_server_ttl_overrides_and_unknown_kinds_are_ignored() -> None:
    doc = policy.policy_document()
    doc["kinds"]["patient_data"]["ttl_seconds"] = 60
    doc["kinds"]["future_kind"] = {"key": "x:{id}", "ttl_seconds": 1}
    table = policy.parse_policy_document(doc)
    assert table[CacheKind.PATIENT_DATA].ttl_seconds == 60
    assert set(table) == set(CacheKind)


@pytest.mark.parametrize(
    "doc",
    [None, [], {"kinds": []}, {"kinds": {"patient_data": {"key": "p:{id}", "ttl_seconds": -1}}},
     {"kinds": {"patient_data": {"key": "p", "ttl_seconds": 5}}},
     {"kinds": {"patient_data": "nope"}}],
)
def test_bad_policy_documents_are_clear_errors(doc: object) -> None:
    with pytest.raises(ValueError, match="cache policy"):
        policy.parse_policy_document(doc)
