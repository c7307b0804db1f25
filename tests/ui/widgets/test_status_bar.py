"""Tests of inbox_app/ui/widgets/status_bar.py: it speaks to receptionists (the connection and
what waits to be sent); the hit rate it used to show is the metrics window's
(inbox_app/ui/widgets/metrics_window.py), tested here too."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from inbox_app.client.actions.record import ActionKind
from inbox_app.client.actions.waiting import Waiting
from inbox_app.ui.app import create_application
from inbox_app.ui.widgets.metrics_window import meanings, overall_hit_rate
from inbox_app.ui.widgets.status_bar import StatusBar


def test_hit_rate_over_every_kind_of_the_local_cache() -> None:
    assert overall_hit_rate({}) is None
    assert overall_hit_rate({"a": {"fresh_hits": 0, "stale_hits": 0, "misses": 0}}) is None
    local = {
        "a": {"fresh_hits": 2, "stale_hits": 1, "misses": 1},
        "b": {"fresh_hits": 0, "stale_hits": 0, "misses": 4},
    }
    assert overall_hit_rate(local) == 3 / 8


def test_texts(qapp: QApplication, qtbot: Any) -> None:
    create_application(language="en")  # the English plural forms come from inbox_en.qm
    bar = StatusBar()
    qtbot.addWidget(bar)
    assert bar.pending.text() == "Everything sent"
    assert not hasattr(bar, "hit_rate")  # no cache figures for receptionists
    two = Waiting(2, 0, ((ActionKind.REPLY, 1), (ActionKind.ADD_NOTE, 1)))
    bar.set_connection("online")
    bar.set_waiting(two)
    assert bar.connection.text() == "Online"
    assert bar.pending.text() == "2 actions waiting to be sent"
    assert bar.pending.toolTip() == "Reply: 1\nInternal note: 1"
    bar.set_connection("offline")
    assert bar.pending.text() == "2 actions waiting: sent when the connection is back"
    bar.set_session_ended(True)
    assert bar.connection.text() == "Signed out by the server"
    assert bar.pending.text() == "2 actions waiting: sent after you sign in again"
    bar.set_session_ended(False)
    bar.set_connection("online")
    bar.set_waiting(Waiting(0, 1, ()))
    assert bar.pending.text() == "1 not sent: open the conversation to retry"
    bar.set_waiting(Waiting())
    assert bar.pending.text() == "Everything sent"


def test_the_metrics_window_says_what_each_figure_means(qapp: QApplication) -> None:
    create_application(language="pt_BR")
    try:
        names = [name for name, _ in meanings()]
        assert names[0] == "Cache deste computador"
        assert all(text for _, text in meanings())
    finally:
        create_application(language="en")
