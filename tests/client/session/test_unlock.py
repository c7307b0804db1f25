"""The offline unlock's attempt limit (inbox_app/client/session/unlock.py, issue 16): free
attempts, then growing delays, then no offline unlock at all; the count survives a restart
(a new verifier object on the same file) and a correct password clears it. The clock is the
verifier's injected wall clock, moved by the test: no test waits for a delay to pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox_app.client.security.codec import JsonCodec
from inbox_app.client.session import unlock
from inbox_app.client.session.unlock import UnlockRefused, UnlockVerifier, attempt_delay


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_passwords_meet_growing_delays_then_a_hard_limit(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "unlock.sealed"
    UnlockVerifier(path, JsonCodec(), user="7", clock=clock).save("demo1234")
    verifier = UnlockVerifier(path, JsonCodec(), user="7", clock=clock)
    for _ in range(unlock.FREE_ATTEMPTS):
        assert verifier.check("errada") is False
    waits = []
    for failures in range(unlock.FREE_ATTEMPTS, unlock.MAX_ATTEMPTS):
        with pytest.raises(UnlockRefused) as refused:
            verifier.check("demo1234")  # inside the delay: not even checked
        assert refused.value.retry_after == pytest.approx(attempt_delay(failures))
        waits.append(refused.value.retry_after)
        clock.now += refused.value.retry_after
        # a restart of the app reads the same count from the sealed file
        verifier = UnlockVerifier(path, JsonCodec(), user="7", clock=clock)
        assert verifier.check("errada") is False
    assert waits == sorted(waits) and waits[-1] > waits[0]  # the delays grow
    clock.now += 10**6
    with pytest.raises(UnlockRefused) as refused:
        verifier.check("demo1234")
    assert refused.value.retry_after is None  # offline unlock is over until a sign-in
    UnlockVerifier(path, JsonCodec(), user="7", clock=clock).save("demo1234")  # signed in
    assert verifier.check("demo1234") is True


def test_a_correct_password_clears_the_count(tmp_path: Path) -> None:
    clock = Clock()
    verifier = UnlockVerifier(tmp_path / "unlock.sealed", JsonCodec(), user="7", clock=clock)
    verifier.save("demo1234")
    for _ in range(unlock.FREE_ATTEMPTS):
        assert verifier.check("errada") is False
    clock.now += attempt_delay(unlock.FREE_ATTEMPTS)
    assert verifier.check("demo1234") is True
    for _ in range(unlock.FREE_ATTEMPTS):  # free attempts again
        assert verifier.check("errada") is False
