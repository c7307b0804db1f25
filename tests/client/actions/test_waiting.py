"""Tests of inbox_app/client/actions/waiting.py: what the status bar says is waiting."""

from __future__ import annotations

from inbox_app.client.actions.record import ActionKind, Mutation
from inbox_app.client.actions.waiting import Waiting, waiting


def test_counts_sending_and_failed_by_kind_in_order() -> None:
    assert waiting([]) == Waiting() and waiting([]).nothing
    actions = [
        Mutation(ActionKind.REPLY, 1),
        Mutation(ActionKind.ADD_NOTE, 2),
        Mutation(ActionKind.REPLY, 3, state="sending"),
        Mutation(ActionKind.ADD_NOTE, 4, state="failed"),
    ]
    summary = waiting(actions)
    assert summary == Waiting(3, 1, ((ActionKind.REPLY, 2), (ActionKind.ADD_NOTE, 1)))
    assert not summary.nothing
