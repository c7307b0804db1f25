"""Tests of inbox_app/ui/theme.py: the user's font size and light/dark preference (issue 13).

The contrast test measures what the window really paints: the real window on a real server,
light and dark, every visible text (labels, buttons, fields and their placeholders, toasts,
bubbles, the banner, the lock screen) against the colour behind it, both read from the
pixels of a grab. At a large application font, so that glyph stems are several pixels wide
and the exact text colour is painted (at 9 pt anti-aliasing blends most of it away).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)

from inbox_app.client import PendingItem
from inbox_app.contract.models import Priority
from inbox_app.ui import app as ui_app
from inbox_app.ui import theme
from inbox_app.ui.conversations.delegate import ROW_HEIGHT, row_height
from inbox_app.ui.conversations.list_panel import ConversationList
from inbox_app.ui.conversations.model import ConversationListModel
from inbox_app.ui.main_window import MainWindow
from inbox_app.ui.widgets.feedback import Toast
from tests.support import ServerProcess
from tests.ui.conftest import close_window, open_window, sign_in

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 15_000
TEXT = 4.5  # WCAG AA, normal text
UI = 3.0  # WCAG AA, user interface components and graphics
SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[QFont]:
    """The application font, restored afterwards (the theme follows it while it changes)."""
    before = QFont(qapp.font())
    try:
        yield before
    finally:
        qapp.setFont(before)
        ui_app.create_application(language="en")


def test_the_stylesheet_fixes_no_size_and_no_colour(qapp: QApplication) -> None:
    for path in (ROOT / "resources").glob("*.qss"):
        rules = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"font(-size)?\s*:[^;]*\d+(\.\d+)?\s*(pt|px|em)", rules), path
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgba?\(", rules), path  # the palette's
    # every value it names exists in both palettes
    for palette in (theme.LIGHT, theme.DARK):
        assert "@" not in theme.stylesheet(palette, QFont("Sans", 10))


def test_text_follows_the_application_font(qapp: QApplication, app_font: QFont) -> None:
    ui_app.create_application(language="en")
    sidebar = ConversationList(ConversationListModel())
    try:
        big = QFont(app_font)
        big.setPointSizeF(15)
        qapp.setFont(big)  # as the desktop's font setting changes it
        assert "19.5pt" in qapp.styleSheet()  # a title: 1.3 times the user's size
        sidebar.ensurePolished()
        assert sidebar.search.font().pointSizeF() == 15
        assert sidebar.view.verticalHeader().defaultSectionSize() == row_height(big)
        assert row_height(big) > ROW_HEIGHT  # rows grow with the text in them
    finally:
        sidebar.deleteLater()


def test_the_desktop_scheme_decides_the_palette(qapp: QApplication, app_font: QFont) -> None:
    assert theme.palette_for(Qt.ColorScheme.Dark) is theme.DARK
    assert theme.palette_for(Qt.ColorScheme.Light) is theme.LIGHT
    assert theme.palette_for(Qt.ColorScheme.Unknown) is theme.LIGHT  # the desktop says nothing
    # offscreen the desktop says nothing: the app is light unless asked
    assert theme.apply(qapp) is theme.palette_for(qapp.styleHints().colorScheme())
    theme.apply(qapp, Qt.ColorScheme.Dark)
    assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(theme.DARK.window)
    assert theme.DARK.surface in qapp.styleSheet() and theme.current() is theme.DARK


# --- contrast: measured on the painted window -------------------------------------------


def pixels(image: QImage) -> np.ndarray:
    """The image as a height x width array of 0xAARRGGBB values."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].copy().view(np.uint32) & 0xFFFFFF


def painted_colours(area: np.ndarray) -> tuple[QColor, QColor | None]:
    """(background, text) of a widget's pixels: the commonest colour, and the commonest
    one that differs from it by at least a little (anti-aliased edges are scattered over
    many values; the text colour itself is one value painted many times)."""
    values, counts = np.unique(area, return_counts=True)
    order = np.argsort(counts)[::-1]
    background = QColor(int(values[order[0]]))
    for index in order[1:]:
        if counts[index] < 30:
            break
        candidate = QColor(int(values[index]))
        if contrast(candidate, background) > 1.3:
            return background, candidate
    return background, None


def shown_text(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return "" if widget.pixmap() is not None and not widget.pixmap().isNull() else widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    if isinstance(widget, QLineEdit):
        return widget.text() or widget.placeholderText()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText() or widget.placeholderText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return ""


def measure(window: MainWindow) -> list[tuple[str, float]]:
    """(what, contrast) of every visible, enabled text in the window, as painted."""
    image = pixels(window.grab().toImage())
    toasts = [
        QRect(t.mapTo(window, QPoint(0, 0)), t.size())
        for t in window.findChildren(Toast)
        if t.isVisible()
    ]
    found = []
    for widget in window.findChildren(QWidget):
        if not (widget.isVisible() and widget.isEnabled()) or not shown_text(widget).strip():
            continue
        # the part of it on screen (a bubble scrolled away is not under the header)
        seen = widget.visibleRegion().boundingRect()
        rect = QRect(widget.mapTo(window, seen.topLeft()), seen.size()).intersected(window.rect())
        if (
            isinstance(widget.parent(), QWidget)
            and not any(isinstance(w, Toast) for w in _ancestors(widget))
            and any(rect.intersects(t) for t in toasts)
        ):
            continue  # under a toast: it is measured where nothing covers it
        if rect.isEmpty():
            continue
        area = image[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]
        background, text = painted_colours(area)
        if text is None:
            continue  # elided to nothing at this size
        found.append(
            (
                f"{type(widget).__name__}#{widget.objectName()} "
                f"{shown_text(widget)[:30]!r} {text.name()} on {background.name()}",
                contrast(text, background),
            )
        )
    return found


def _ancestors(widget: QWidget) -> Iterator[QWidget]:
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_every_text_and_chip_passes_wcag_aa(  # noqa: PLR0917 - fixtures
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    server: ServerProcess,
    tmp_path: Path,
    app_font: QFont,
    scheme: str,
) -> None:
    app = ui_app.create_application(language="pt_BR")
    big = QFont(app_font)
    big.setPointSizeF(28)
    app.setFont(big)
    palette = theme.apply(app, SCHEMES[scheme])
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        window.resize(2400, 1400)
        window.show()
        model = window.bridge.model
        window.conversations.select(model.ids()[1])
        qtbot.waitUntil(lambda: window.pane.detail is not None, timeout=TIMEOUT)
        # a note the server refuses: a failed bubble with Retry and Discard, a failure toast
        composer = window.pane.composer
        composer.set_kind("note")
        composer.text.setPlainText("nota com caractere inválido \x00")
        composer.submit()
        qtbot.waitUntil(
            lambda: any(
                isinstance(b.item, PendingItem) and b.item.state == "failed"
                for b in window.pane.thread_view.bubbles
            ),
            timeout=TIMEOUT,
        )
        qtbot.waitUntil(lambda: window.patient.name.text() != "", timeout=TIMEOUT)
        bar = window.pane.thread_view.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=TIMEOUT)
        window.toasts.show_toast("Arquivada", "Maria Silva", icon=None, action="Desfazer")
        window.banner.show_offline(datetime.now().astimezone())
        measured = measure(window)
        row = paint_row(window.conversations, palette)
        window.lock()
        qtbot.waitUntil(lambda: window.locked, timeout=TIMEOUT)
        window.lock_screen.error.setText("Senha incorreta.")
        measured += measure(window)
    finally:
        close_window(qtbot, window)
    kinds = {what.split(" ")[0].split("#")[0] for what, _ratio in measured}
    assert {"QLabel", "QPushButton", "QLineEdit", "ElidedLabel", "_Text"} <= kinds, kinds
    names = {what.split(" ")[0].split("#")[1] for what, _ratio in measured}
    assert {
        "failedText",
        "retryButton",
        "toastReason",
        "toastAction",
        "offlineText",
        "patientName",
        "noteTitle",
        "bubbleMeta",
        "lockTitle",
        "primary",
    } <= names, names
    assert len(measured) > 40
    failing = [(what, round(ratio, 2)) for what, ratio in measured if ratio < TEXT]
    assert not failing, failing

    # the list's rows: the delegate paints with the palette applied, nothing else
    for priority in Priority:
        fg, bg = palette.chip(priority)
        assert contrast(fg, bg) >= TEXT, (scheme, priority)
    painted = {QColor(int(v)).name() for v in np.unique(pixels(row))}
    assert {palette.row_selected, palette.ink} <= painted, painted
    text_on_rows = [
        ("ink", "row_selected"),
        ("muted", "row_selected"),
        ("accent", "row_selected"),
        ("pending", "row_selected"),
        ("ink", "row_hover"),
        ("muted", "row_hover"),
        ("accent", "row_hover"),
        ("pending", "surface"),
        ("on_accent", "accent"),
        ("on_muted", "muted"),
    ]
    for fg_name, bg_name in text_on_rows:
        ratio = contrast(palette.color(fg_name), palette.color(bg_name))
        assert ratio >= TEXT, (scheme, fg_name, bg_name, ratio)
    # what tells a control or a state apart without words: focus and checked borders, the
    # selected row's bar, the unread badge
    for fg_name, bg_name in [
        ("accent", "surface"),
        ("accent", "window"),
        ("accent", "accent_soft"),
        ("accent", "row_selected"),
        ("accent", "surface"),
    ]:
        assert contrast(palette.color(fg_name), palette.color(bg_name)) >= UI, (
            scheme,
            fg_name,
            bg_name,
        )


def paint_row(conversations: ConversationList, palette: theme.Palette) -> QImage:
    """The first row as the delegate paints it, selected."""
    view = conversations.view
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 360, row_height(view.font()))
    option.state |= QStyle.StateFlag.State_Selected
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor(palette.surface))
    painter = QPainter(image)
    view.itemDelegate().paint(painter, option, view.model().index(0, 0))
    painter.end()
    return image
