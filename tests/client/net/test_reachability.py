"""Tests for inbox_app/client/net/reachability.py: one answer, older news ignored."""

from __future__ import annotations

from inbox_app.client.net.reachability import Reachability


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_failure_that_started_before_the_last_answer_changes_nothing() -> None:
    clock = Clock()
    reach = Reachability(clock=clock)
    heard: list[tuple[bool, bool]] = []
    reach.subscribe(lambda reachable, changed: heard.append((reachable, changed)))
    started = reach.now()  # a request goes out ...
    clock.now = 1.0
    reach.answered()  # ... the socket reconnects meanwhile ...
    clock.now = 2.0
    reach.failed(started)  # ... and then the old request fails
    assert reach.reachable
    assert heard == [(True, False)]


def test_a_fresh_failure_and_the_next_answer_are_announced_as_changes() -> None:
    clock = Clock()
    reach = Reachability(clock=clock)
    heard: list[tuple[bool, bool]] = []
    unsubscribe = reach.subscribe(lambda reachable, changed: heard.append((reachable, changed)))
    reach.answered()
    clock.now = 1.0
    reach.failed(reach.now())
    reach.failed(reach.now())  # still down: nothing new to say
    clock.now = 2.0
    reach.answered()
    assert heard == [(True, False), (False, True), (True, True)]
    unsubscribe()
    reach.unknown()
    assert not reach.reachable and len(heard) == 3
