"""Tests of inbox_app/ui/widgets/status_bar.py: the texts it shows and the hit rate it computes."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from inbox_app.ui.app import create_application
from inbox_app.ui.widgets.status_bar import StatusBar, overall_hit_rate


def test_hit_rate_over_every_kind_of_the_local_cache() -> None:
    assert overall_hit_rate({}) is None
    assert overall_hit_rate({"a": {"fresh_hits": 0, "stale_hits": 0, "misses": 0}}) is None
    local = {"a": {"fresh_hits": 2, "stale_hits": 1, "misses": 1},
             "b": {"fresh_hits": 0, "stale_hits": 0, "misses": 4}}
    assert overall_hit_rate(local) == 3 / 8


def test_texts(qapp: QApplication, qtbot: Any) -> None:
    create_application(language="en")  # the English plural forms come from inbox_en.qm
    bar = StatusBar()
    qtbot.addWidget(bar)
    assert bar.pending.text() == "Everything saved"
    bar.set_pending(2)
    assert bar.pending.text() == "2 actions waiting"
    assert bar.hit_rate.text() == "Local cache: —"
    bar.set_hit_rate(0.756)
    assert bar.hit_rate.text() == "Local cache: 76% hits"
