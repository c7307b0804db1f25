"""Tests for inbox_app/server/http/request_id.py: made ids are unique, 32 hex digits, and a
sane id sent by a proxy is kept (on a real server: tests/server/test_operations.py)."""

from __future__ import annotations

import re

from inbox_app.server.http import request_id


def test_made_ids_are_unique_hex_of_a_uuids_length() -> None:
    made = [request_id.new_id() for _ in range(10_000)]
    assert len(set(made)) == len(made)
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in made)
    # one random part per process, so two processes (or a forked child) do not collide
    assert len({i[:16] for i in made}) == 1
    other = request_id._Ids()
    assert other.next()[:16] != made[0][:16]
