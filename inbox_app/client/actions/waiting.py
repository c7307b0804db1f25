"""What is waiting to be sent, as the status bar tells a receptionist (issue 13).

A fold over the pending actions (:meth:`InboxClient.pending`): how many are on their way,
how many failed and wait for Retry or Discard, and of which kinds, oldest kind first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from inbox_app.client.actions.record import ActionKind, Mutation


@dataclass(frozen=True, slots=True)
class Waiting:
    """``sending``: queued or being sent; ``failed``: a note or reply that gave up;
    ``kinds``: the sending ones per kind, in the order they were first done."""

    sending: int = 0
    failed: int = 0
    kinds: tuple[tuple[ActionKind, int], ...] = field(default=())

    @property
    def nothing(self) -> bool:
        """Everything was sent."""
        return not self.sending and not self.failed


def waiting(mutations: Iterable[Mutation]) -> Waiting:
    """The summary of ``mutations`` (pending and failed actions, oldest first)."""
    kinds: Counter[ActionKind] = Counter()
    failed = 0
    for mutation in mutations:
        if mutation.state == "failed":
            failed += 1
        else:
            kinds[mutation.kind] += 1
    return Waiting(sum(kinds.values()), failed, tuple(kinds.items()))
