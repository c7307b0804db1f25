"""The status bar: connection state, pending actions and the local cache hit rate."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

from inbox_app.ui import assets, labels


class StatusBar(QStatusBar):
    """Connection state, actions waiting, the local cache hit rate and the metrics button."""

    metricsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.connection_icon = QLabel(self)
        self.connection = QLabel(self)
        self.connection.setObjectName("connectionLabel")
        self.pending = QLabel(self)
        self.pending.setObjectName("pendingLabel")
        self.hit_rate = QLabel(self)
        self.hit_rate.setObjectName("hitRateLabel")
        self.metrics_button = QToolButton(self)
        self.metrics_button.setIcon(assets.icon("metrics"))
        self.metrics_button.setAutoRaise(True)
        self.metrics_button.setToolTip(self.tr("Cache metrics"))
        self.metrics_button.setAccessibleName(self.tr("Cache metrics"))
        self.metrics_button.clicked.connect(self.metricsRequested)
        self.addWidget(self.connection_icon)
        self.addWidget(self.connection)
        self.addWidget(self.pending)
        self.addPermanentWidget(self.hit_rate)
        self.addPermanentWidget(self.metrics_button)
        self.set_connection("reconnecting")
        self.set_pending(0)
        self.set_hit_rate(None)

    def set_connection(self, state: str) -> None:
        """Shows ``online``, ``reconnecting`` or ``offline`` with its coloured dot."""
        icon = {"online": "online", "reconnecting": "reconnecting"}.get(state, "disconnected")
        self.connection_icon.setPixmap(assets.pixmap(icon, 12))
        self.connection.setText(labels.connection_label(state))

    def set_pending(self, count: int) -> None:
        """Shows how many actions wait for the server ("Everything saved" when none)."""
        if count:
            self.pending.setText(self.tr("%n action(s) waiting", "", count))
        else:
            self.pending.setText(self.tr("Everything saved"))

    def set_hit_rate(self, rate: float | None) -> None:
        """Shows the local cache hit rate (0..1), or a dash before the first read."""
        if rate is None:
            self.hit_rate.setText(self.tr("Local cache: —"))
        else:
            self.hit_rate.setText(self.tr("Local cache: {0}% hits").format(round(rate * 100)))


def overall_hit_rate(
    per_kind: dict[str, dict[str, float]],
    hit_fields: tuple[str, ...] = ("fresh_hits", "stale_hits"),
) -> float | None:
    """Hits over reads across every kind of a cache's metrics (None before any read).

    The client's local cache counts ``fresh_hits`` and ``stale_hits`` (the server's figures
    are typed: ``ServerMetrics.cache_hit_rate``). A kind that is not a mapping of numbers
    counts as nothing.
    """
    hits = misses = 0.0
    for figures in per_kind.values():
        if not isinstance(figures, dict):
            continue
        hits += sum(metric_value(figures, name) for name in hit_fields)
        misses += metric_value(figures, "misses")
    return hits / (hits + misses) if hits + misses else None


def metric_value(figures: dict[str, Any], name: str) -> float:
    """One counter of a kind's metrics as a float (0 when missing or not a number)."""
    value = figures.get(name, 0)
    return float(value) if isinstance(value, int | float) else 0.0
