"""Patch in place: a write's change applied to the cached JSON it touched, no database load.

ARCHITECTURE.md section 5 lets a write "delete (or patch)" the keys it touches. Deleting and
loading back (write-through) costs a database load per write: the whole 500-conversation
list (one query, 20+ ms on PostgreSQL) for every mark-read. The write already holds
everything that changed — the conversation's new row from ``UPDATE ... RETURNING``, the new
message or note — so :class:`Delta` carries it, and :meth:`Delta.patch` merges it into the value
Redis held when the writer dropped it (:meth:`Cache.invalidate` hands it over atomically).

The merge is a join, so patches commute and may repeat: a summary replaces the cached one
only if its ``version`` is not older (a patch that lands late cannot undo a newer change
another write already merged), and messages and notes are added by id. The result is what a
database load at that moment would answer (tests/server/cache/test_patching.py checks it against
real loads after random writes, on SQLite and PostgreSQL). Anything unexpected in the old
value makes :meth:`Delta.patch` answer ``None``: the key is then loaded back as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from inbox_app.contract.models import (
    DETAIL_MESSAGE_LIMIT,
    ConversationDetail,
    ConversationSummary,
    Message,
    Note,
)
from inbox_app.contract.policy import CacheKind, kind_of_key
from inbox_app.server.db import store

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Delta:
    """What one write changed in one conversation."""

    #: the conversation's row after the write, when the write changed it
    summary: ConversationSummary | None = None
    message: Message | None = None
    note: Note | None = None
    #: the write created the conversation: its whole detail is known without a load
    created: bool = False

    def patch(self, key: str, old: bytes | None) -> tuple[int, bytes] | None:
        """``(owner clinic id, new JSON)`` for cache ``key`` given the JSON it held (``None``:
        it held nothing); ``None`` when the key cannot be patched (load it back instead)."""
        kind = kind_of_key(key)
        try:
            if kind is CacheKind.CONVERSATIONS_LIST and old is not None:
                return self._patch_list(old)
            if kind is CacheKind.CONVERSATION_DETAIL:
                return self._patch_detail(old)
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            return None  # not the shape we store: the caller loads it back
        return None

    def _patch_list(self, old: bytes) -> tuple[int, bytes] | None:
        if self.summary is None:
            return None
        document = orjson.loads(old)
        items: list[Json] = document["items"]
        fresh = self.summary.model_dump(mode="json")
        for index, item in enumerate(items):
            if item["id"] == fresh["id"]:
                if item["version"] > fresh["version"]:
                    return None  # cached row is newer: nothing of ours to add
                items[index] = fresh
                break
        else:
            items.append(fresh)
        items.sort(key=_recency, reverse=True)
        return self.summary.clinic_id, orjson.dumps(document)

    def _patch_detail(self, old: bytes | None) -> tuple[int, bytes] | None:
        if old is None:
            if not (self.created and self.summary is not None and self.message is not None):
                return None  # nobody cached it, and a patch alone cannot build it
            detail = ConversationDetail(summary=self.summary, messages=[self.message], notes=[])
            return self.summary.clinic_id, store.to_json(detail)
        document = orjson.loads(old)
        owner: int = document["summary"]["clinic_id"]
        if self.summary is not None:
            if self.summary.id != document["summary"]["id"]:
                return None
            if self.summary.version >= document["summary"]["version"]:
                document["summary"] = self.summary.model_dump(mode="json")
        if self.message is not None:
            messages = _add_by_id(document["messages"], self.message.model_dump(mode="json"))
            if len(messages) > DETAIL_MESSAGE_LIMIT:
                messages = messages[-DETAIL_MESSAGE_LIMIT:]
                document["has_more_messages"] = True
            document["messages"] = messages
        if self.note is not None:
            document["notes"] = _add_by_id(document["notes"], self.note.model_dump(mode="json"))
        return owner, orjson.dumps(document)


def _add_by_id(items: list[Json], new: Json) -> list[Json]:
    """``items`` (ordered by id) with ``new`` in its place, once."""
    if any(item["id"] == new["id"] for item in items):
        return items
    return sorted([*items, new], key=lambda item: item["id"])


def _recency(item: Json) -> tuple[bool, datetime, int]:
    """The list's order (store.load_list): latest message first, never-messaged last, then
    the newest id first; sorted with ``reverse=True``."""
    at = item["last_message_at"]
    return (at is not None, datetime.fromisoformat(at) if at else datetime.min, item["id"])
