"""Help → Diagnostics: the local cache per kind and the server's ``/api/metrics`` per kind.

pyqtgraph bar charts (hits and misses per cache kind) and a line of hit rates over time,
refreshed every two seconds while the window is open, and beside them what each figure
means (the status bar speaks to receptionists; these figures are for whoever looks after
the app). pyqtgraph is imported only when the window opens, so it costs nothing at start-up.
"""

from __future__ import annotations

import html
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from inbox_app.contract.metrics import CacheFigures, ServerMetrics
from inbox_app.contract.policy import CacheKind
from inbox_app.ui import assets
from inbox_app.ui.tasks import Tasks

log = logging.getLogger(__name__)

REFRESH_MS = 2000
KINDS = tuple(CacheKind)


def kind_label(kind: CacheKind) -> str:
    """The short name of a cache kind under its bars."""
    return {
        CacheKind.CONVERSATIONS_LIST: QCoreApplication.translate("MetricsWindow", "list"),
        CacheKind.CONVERSATION_DETAIL: QCoreApplication.translate("MetricsWindow", "detail"),
        CacheKind.USER_SESSION: QCoreApplication.translate("MetricsWindow", "session"),
        CacheKind.PATIENT_DATA: QCoreApplication.translate("MetricsWindow", "patient"),
    }[kind]


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


def meanings() -> list[tuple[str, str]]:
    """What each figure of the window means: (figure, meaning), in the user's language."""
    translate = QCoreApplication.translate
    return [
        (translate("MetricsWindow", "This computer's cache"), translate("MetricsWindow",
            "Hits: what this computer already had and showed at once, without waiting for "
            "the server (when older than its time to live it was shown and checked again "
            "in the background). Misses: what had to be fetched from the server first.")),
        (translate("MetricsWindow", "Server cache"), translate("MetricsWindow",
            "The same on the clinic's server, which keeps recent answers in Redis: a hit "
            "answers from there, a miss reads the database.")),
        (translate("MetricsWindow", "list, detail, session, patient"), translate("MetricsWindow",
            "The kinds of data: the conversation list, one open conversation, who is signed "
            "in, a patient's card.")),
        (translate("MetricsWindow", "Hit rate over time"), translate("MetricsWindow",
            "Hits out of every read since this window opened, from 0 to 1: higher is faster. "
            "A gap in the server's line means it did not answer.")),
        (translate("MetricsWindow", "Requests and p95"), translate("MetricsWindow",
            "How many requests the server answered since it started, and the time within "
            "which 95 of every 100 of them were answered.")),
    ]


class MetricsWindow(QWidget):
    """Charts of ``client_metrics()`` and ``await server_metrics()``; the callables are given."""

    def __init__(
        self,
        client_metrics: Callable[[], dict[str, dict[str, float]]],
        server_metrics: Callable[[], Awaitable[ServerMetrics]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        import pyqtgraph as pg  # heavy: only when the window opens

        self._pg = pg
        self._client_metrics = client_metrics
        self._server_metrics = server_metrics
        self._tasks = Tasks()
        self._history: deque[tuple[float, float, float]] = deque(maxlen=150)
        self._started = time.monotonic()
        self.setWindowTitle(self.tr("Diagnostics"))
        self.setWindowIcon(assets.icon("metrics"))
        pg.setConfigOptions(antialias=True, background="w", foreground="#344054")

        self.client_plot = pg.PlotWidget(title=self.tr("This computer's cache, per kind"))
        self.server_plot = pg.PlotWidget(title=self.tr("Server cache (/api/metrics), per kind"))
        self.rate_plot = pg.PlotWidget(title=self.tr("Hit rate over time"))
        for plot in (self.client_plot, self.server_plot):
            plot.getAxis("bottom").setTicks([[(i, kind_label(k)) for i, k in enumerate(KINDS)]])
            plot.addLegend(offset=(-10, 10), colCount=2)
            plot.showGrid(y=True, alpha=0.2)
        self.rate_plot.setYRange(0, 1)
        self.rate_plot.addLegend(offset=(-10, 10))
        self.rate_plot.setLabel("bottom", self.tr("seconds"))
        # whole seconds, not "seconds (x0.001)" while the window is young
        self.rate_plot.getAxis("bottom").enableAutoSIPrefix(False)
        # dots as well as lines: the first refresh is a single point, which a line hides
        self._client_line = self.rate_plot.plot(
            pen=pg.mkPen("#0f766e", width=2), symbol="o", symbolSize=5, symbolPen=None,
            symbolBrush="#0f766e", name=self.tr("this computer"))
        self._server_line = self.rate_plot.plot(
            pen=pg.mkPen("#f79009", width=2), symbol="o", symbolSize=5, symbolPen=None,
            symbolBrush="#f79009", name=self.tr("server"))
        self.server_note = QLabel(self)
        self.server_note.setObjectName("muted")

        self.legend = QLabel(self)
        self.legend.setObjectName("metricsLegend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setText("".join(f"<p><b>{html.escape(name)}</b><br>{html.escape(text)}</p>"
                                    for name, text in meanings()))
        self.legend.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.legend.setMinimumWidth(260)
        self.legend.setMaximumWidth(340)

        layout = QGridLayout(self)
        layout.addWidget(self.client_plot, 0, 0)
        layout.addWidget(self.server_plot, 0, 1)
        layout.addWidget(self.rate_plot, 1, 0, 1, 2)
        layout.addWidget(self.server_note, 2, 0, 1, 2)
        layout.addWidget(self.legend, 0, 2, 3, 1)
        self.resize(1180, 640)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.refreshed_count = 0

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        """Redraws the charts from fresh figures (one refresh at a time)."""
        if not self._tasks.running("metrics"):
            self._tasks.run(self._refresh(), name="metrics")

    async def _refresh(self) -> None:
        local = self._client_metrics()
        self._bars(self.client_plot,
                   [metric_value(local.get(k, {}), "fresh_hits")
                    + metric_value(local.get(k, {}), "stale_hits") for k in KINDS],
                   [metric_value(local.get(k, {}), "misses") for k in KINDS])
        client_rate = _or_nan(overall_hit_rate(local))
        server_rate = float("nan")
        try:
            remote = await self._server_metrics()
        except Exception as exc:  # shown, not raised: the window is a diagnostic
            self.server_note.setText(self.tr("Server metrics not available: {0}").format(
                getattr(exc, "message", exc)))
        else:
            figures = [remote.cache.get(k.value, CacheFigures()) for k in KINDS]
            self._bars(self.server_plot, [f.hits for f in figures], [f.misses for f in figures])
            server_rate = _or_nan(remote.cache_hit_rate())
            self.server_note.setText(self.tr("Server: {0} requests, p95 {1} ms").format(
                remote.requests.total, f"{remote.requests.p95_ms:.1f}"))
        self._history.append((time.monotonic() - self._started, client_rate, server_rate))
        xs = [h[0] for h in self._history]
        self._client_line.setData(xs, [h[1] for h in self._history])
        self._server_line.setData(xs, [h[2] for h in self._history], connect="finite")
        self.refreshed_count += 1

    def _bars(self, plot: Any, got: Sequence[float], lost: Sequence[float]) -> None:
        """Hits and misses per kind (in the order of ``KINDS``)."""
        pg = self._pg
        plot.clear()
        xs = list(range(len(KINDS)))
        plot.addItem(pg.BarGraphItem(x=[x - 0.18 for x in xs], height=got, width=0.34,
                                     brush="#14b8a6", name=self.tr("hits")))
        plot.addItem(pg.BarGraphItem(x=[x + 0.18 for x in xs], height=lost, width=0.34,
                                     brush="#f97066", name=self.tr("misses")))
        # headroom above the tallest bar for the legend, which would otherwise cover it
        plot.setYRange(0, max(1.0, *got, *lost) * 1.3, padding=0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self._tasks.cancel()  # a refresh still waiting for the server stops with the window
        super().closeEvent(event)


def _or_nan(rate: float | None) -> float:
    """No reads yet: a gap in the line (pyqtgraph skips NaN with ``connect="finite"``)."""
    return float("nan") if rate is None else rate
