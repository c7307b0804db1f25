"""Tests for inbox_app/client/reads/prefetch.py's pure parts: what is planned, in what order,
and the rolling-minute budget (no server needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inbox_app.client.reads.prefetch import Budget, plan
from inbox_app.client.views import ConversationView
from tests.client.scripted import summary

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def view(cid: int, minutes_ago: int, *, unread: int = 0, status: str = "open") -> ConversationView:
    at = NOW - timedelta(minutes=minutes_ago)
    return ConversationView(
        summary(cid, unread_count=unread, status=status, last_message_at=at, updated_at=at)
    )


def test_unread_newest_first_then_the_open_ones_neighbours_below_and_above() -> None:
    # list order (newest first): 1, 2, 3, 4, 5, 6, 7 (8 and 9 archived)
    views = [
        view(5, 50, unread=1),
        view(1, 10),
        view(3, 30, unread=2),
        view(7, 70, unread=1),
        view(2, 20),
        view(4, 40),
        view(6, 60),
        view(8, 5, unread=3, status="archived"),  # archived: not waiting for an answer
        view(9, 80, status="archived"),
    ]
    ids = [v.id for v in plan(views, None, unread=10, around=4)]
    assert ids == [3, 5, 7]
    assert [v.id for v in plan(views, None, unread=2, around=4)] == [3, 5]
    # 4 open: 5 below, 3 above (already planned), 6 below, 2 above
    assert [v.id for v in plan(views, 4, unread=2, around=4)] == [3, 5, 6, 2]
    # the open one itself is the user's read, never the prefetch's
    assert 3 not in [v.id for v in plan(views, 3, unread=10, around=2)]
    # an archived one open: its neighbours are in the Archived tab
    assert [v.id for v in plan(views, 9, unread=0, around=2)] == [8]
    assert plan(views, 4, unread=0, around=0) == []
    assert plan(views, 999, unread=0, around=4) == []  # not in the list: nothing around it


def test_budget_counts_requests_and_bytes_in_a_rolling_minute() -> None:
    now = [100.0]
    budget = Budget(3, 1000, lambda: now[0])
    assert budget.wait() == 0.0
    for _ in range(3):
        budget.take()(10)
        now[0] += 1.0
    assert budget.wait() == 57.0  # the first request leaves the window at 160
    now[0] = 160.0
    assert budget.wait() == 0.0
    budget.take()(990)  # 1,000 bytes within the window: full whatever the count
    assert budget.wait() == 1.0  # until the request of 101 leaves
    now[0] = 163.0
    assert budget.wait() == 0.0
