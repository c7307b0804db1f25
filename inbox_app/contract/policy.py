"""The cache policy table (ARCHITECTURE.md section 5), one table for both cache layers.

The server's Redis layer uses the TTL as the expiry; the client's disk cache uses it as
freshness. Key formats and TTLs are written here and nowhere else: every other module builds
keys through :func:`key` and reads TTLs through :data:`POLICY`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class CacheKind(StrEnum):
    CONVERSATIONS_LIST = "conversations_list"
    CONVERSATION_DETAIL = "conversation_detail"
    USER_SESSION = "user_session"
    PATIENT_DATA = "patient_data"


@dataclass(frozen=True, slots=True)
class KindPolicy:
    kind: CacheKind
    key_template: str
    ttl_seconds: int
    invalidated_by: str

    def key(self, **ids: int) -> str:
        return self.key_template.format(**ids)

    def kind_of(self, key: str) -> bool:
        """Whether ``key`` was built from this kind's template."""
        prefix, _, rest = self.key_template.partition("{")
        suffix = rest.partition("}")[2]
        return key.startswith(prefix) and key.endswith(suffix) and len(key) > len(prefix)


POLICY: Mapping[CacheKind, KindPolicy] = {
    p.kind: p
    for p in (
        KindPolicy(
            CacheKind.CONVERSATIONS_LIST,
            "conversations:clinic:{clinic_id}",
            300,
            "conversation created or any summary change (read, archive, priority, new message)",
        ),
        KindPolicy(
            CacheKind.CONVERSATION_DETAIL,
            "conversation:{conversation_id}:detail",
            120,
            "new message, new note, summary change",
        ),
        KindPolicy(CacheKind.USER_SESSION, "user:{user_id}:session", 1800, "logout, user change"),
        KindPolicy(CacheKind.PATIENT_DATA, "patient:{patient_id}:data", 600, "patient change"),
    )
}


def key(kind: CacheKind, **ids: int) -> str:
    """The cache key of ``kind`` for the given ids, e.g. ``key(PATIENT_DATA, patient_id=7)``."""
    return POLICY[kind].key(**ids)


def list_key(clinic_id: int) -> str:
    return key(CacheKind.CONVERSATIONS_LIST, clinic_id=clinic_id)


def detail_key(conversation_id: int) -> str:
    return key(CacheKind.CONVERSATION_DETAIL, conversation_id=conversation_id)


def session_key(user_id: int) -> str:
    return key(CacheKind.USER_SESSION, user_id=user_id)


def patient_key(patient_id: int) -> str:
    return key(CacheKind.PATIENT_DATA, patient_id=patient_id)


def kind_of_key(cache_key: str) -> CacheKind | None:
    """The kind a key belongs to, or ``None`` for a key no template builds."""
    for policy in POLICY.values():
        if policy.kind_of(cache_key):
            return policy.kind
    return None


def keys_for_conversation_change(clinic_id: int, conversation_id: int) -> list[str]:
    """The keys any change to a conversation (summary, message, note) invalidates."""
    return [list_key(clinic_id), detail_key(conversation_id)]


def policy_document(policy: Mapping[CacheKind, KindPolicy] = POLICY) -> dict[str, Any]:
    """The JSON answer of ``GET /api/cache-policy``."""
    return {
        "kinds": {
            p.kind.value: {
                "key": p.key_template,
                "ttl_seconds": p.ttl_seconds,
                "invalidated_by": p.invalidated_by,
            }
            for p in policy.values()
        }
    }


def parse_policy_document(document: Any) -> dict[CacheKind, KindPolicy]:
    """Reads a ``GET /api/cache-policy`` answer into a table.

    Kinds the server does not send keep the built-in policy; unknown kinds are ignored.
    Raises ``ValueError`` with a clear message for a document that does not fit.
    """
    if not isinstance(document, dict) or not isinstance(document.get("kinds"), dict):
        raise ValueError("cache policy: expected an object with a 'kinds' object")
    table = dict(POLICY)
    for name, entry in document["kinds"].items():
        try:
            kind = CacheKind(name)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            raise ValueError(f"cache policy: entry for {name!r} is not an object")
        ttl = entry.get("ttl_seconds")
        template = entry.get("key")
        if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl <= 0:
            raise ValueError(f"cache policy: ttl_seconds of {name!r} must be a positive integer")
        if not isinstance(template, str) or "{" not in template:
            raise ValueError(f"cache policy: key of {name!r} must be a template string")
        table[kind] = KindPolicy(kind, template, ttl, str(entry.get("invalidated_by", "")))
    return table
