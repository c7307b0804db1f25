"""Whether the server can be reached: one answer for the whole client (issue 18).

Every HTTP request (:class:`~inbox_app.client.net.api.Api`) and every live-socket attempt
reports here: an answer of any status means the server is there; a request that got no
answer at all (refused, timed out, dropped) means it may not be. News older than the last
answer is ignored: a request that started before the socket reconnected and then failed says
nothing about the server now, so it cannot turn the client "offline" while the socket is up.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

#: ``callback(reachable, changed)``: called on every answer, and on a failure that changes
#: the state.
Listener = Callable[[bool, bool], None]


class Reachability:
    """The client's one source of truth on whether the server answers."""

    def __init__(self, *, reachable: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.reachable = reachable
        self._clock = clock
        self._last_answer = float("-inf")
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Calls ``listener(reachable, changed)`` on each report that matters; returns the
        unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def now(self) -> float:
        """A start time to pass to :meth:`failed` later."""
        return self._clock()

    def answered(self) -> None:
        """The server answered (any status): it is reachable now."""
        self._last_answer = self._clock()
        self._report(True)

    def failed(self, started: float) -> None:
        """A request started at ``started`` got no answer. Ignored when the server answered
        something since it started (that news is newer)."""
        if started < self._last_answer:
            return
        self._report(False)

    def unknown(self) -> None:
        """Nothing is known yet (a client resumed without the network): not reachable until
        something answers."""
        self._last_answer = float("-inf")
        self._report(False)

    def _report(self, reachable: bool) -> None:
        changed = reachable != self.reachable
        self.reachable = reachable
        if changed:
            log.info("server %s", "reachable" if reachable else "unreachable")
        elif not reachable:
            return
        for listener in list(self._listeners):
            try:
                listener(reachable, changed)
            except Exception:  # one broken listener must not stop the others
                log.exception("reachability listener failed")
