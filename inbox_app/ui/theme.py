"""The colours and text sizes the window paints with: a light and a dark palette.

The palette follows the desktop's light/dark preference (``QStyleHints.colorScheme()``,
Qt 6.5+) and changes with it while the app runs; text sizes follow the application font
(the user's font setting), so the stylesheet (``resources/style.qss``) holds no colour and
no size of its own: ``@name`` there is a colour of :class:`Palette` and ``@font_small`` and
co. a size derived from the application font. The same palette gives the application's
QPalette (dialogs, menus and scroll bars the stylesheet does not touch) and the colours the
conversation list's delegate paints with, so one place decides every colour.

Every text colour meets WCAG AA contrast (4.5:1) on the backgrounds it is drawn on, in both
palettes; tests/ui/test_theme.py measures what the app really applies.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from inbox_app.contract.models import Priority
from inbox_app.ui import assets

#: Text sizes of the stylesheet, as factors of the application font's size.
FONT_FACTORS = {"font_small": 0.85, "font_large": 1.2, "font_title": 1.3, "font_display": 1.6}
#: The smallest size any of them becomes (points).
MIN_POINT_SIZE = 7.0

_TOKEN = re.compile(r"@([a-z_]+)")


@dataclass(frozen=True)
class Palette:
    """Every colour of the window, by what it is for (``#rrggbb``)."""

    name: str
    window: str  # the window's background, behind the thread
    surface: str  # panels, fields, buttons, the list
    ink: str  # text
    ink_soft: str  # the tab and composer-mode chips
    secondary: str  # the status bar
    muted: str  # times, captions, previews of read rows
    pending: str  # text of what waits for the server (lighter than ink, still readable)
    disabled: str  # disabled controls (WCAG exempts them)
    border: str
    divider: str
    hover: str
    selection: str  # selected text
    accent: str  # focus, checked chips, unread times, titles
    accent_soft: str  # checked chips' background
    on_accent: str  # text on accent (the unread badge)
    primary: str  # the Send and Unlock buttons
    on_primary: str
    primary_hover: str
    primary_disabled: str
    on_primary_disabled: str
    bubble_out: str
    bubble_out_border: str
    note: str
    note_border: str
    note_title: str
    danger: str  # failed actions, errors
    warning: str  # the offline banner
    warning_border: str
    warning_ink: str
    toast: str  # toasts stand out from the window: dark on light, light on dark
    on_toast: str
    toast_danger: str
    toast_muted: str
    toast_accent: str
    toast_hover: str
    row_selected: str  # the list's open conversation
    row_hover: str
    row_rule: str
    on_muted: str  # text on muted (a pending row's unread badge)
    #: (text, background) of each priority chip
    chips: tuple[tuple[Priority, str, str], ...]

    def chip(self, priority: Priority | str) -> tuple[QColor, QColor]:
        """(text, background) of a priority's chip."""
        for value, fg, bg in self.chips:
            if value == priority:
                return qcolor(fg), qcolor(bg)
        raise KeyError(priority)

    def color(self, name: str) -> QColor:
        """One colour by its field name (``ink``, ``accent``, …)."""
        value = getattr(self, name)
        if not isinstance(value, str):
            raise KeyError(name)
        return qcolor(value)

    def colors(self) -> dict[str, str]:
        """Every named colour (the stylesheet's ``@name`` tokens)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if isinstance(getattr(self, f.name), str) and f.name != "name"
        }


LIGHT = Palette(
    name="light",
    window="#f6f7f9",
    surface="#ffffff",
    ink="#101828",
    ink_soft="#344054",
    secondary="#475467",
    muted="#5f6b7e",
    pending="#5f6b7e",
    disabled="#98a2b3",
    border="#d0d5dd",
    divider="#eaecf0",
    hover="#f2f4f7",
    selection="#99f6e4",
    accent="#0f766e",
    accent_soft="#ccfbef",
    on_accent="#ffffff",
    primary="#0f766e",
    on_primary="#ffffff",
    primary_hover="#115e59",
    primary_disabled="#99c7c2",
    on_primary_disabled="#ffffff",
    bubble_out="#d1fadf",
    bubble_out_border="#a6f4c5",
    note="#fffaeb",
    note_border="#f79009",
    note_title="#b54708",
    danger="#d92d20",
    warning="#fffaeb",
    warning_border="#fedf89",
    warning_ink="#93370d",
    toast="#101828",
    on_toast="#ffffff",
    toast_danger="#fda29b",
    toast_muted="#d0d5dd",
    toast_accent="#5fe9d0",
    toast_hover="#134e48",
    row_selected="#e6f4f1",
    row_hover="#f9fafb",
    row_rule="#f2f4f7",
    on_muted="#ffffff",
    chips=(
        (Priority.URGENT, "#b42318", "#fee4e2"),
        (Priority.HIGH, "#b54708", "#fef0c7"),
        (Priority.NORMAL, "#475467", "#f2f4f7"),
        (Priority.LOW, "#175cd3", "#eff8ff"),
    ),
)

DARK = Palette(
    name="dark",
    window="#0c111d",
    surface="#161b26",
    ink="#f5f5f6",
    ink_soft="#cecfd2",
    secondary="#cecfd2",
    muted="#94969c",
    pending="#94969c",
    disabled="#61646c",
    border="#333741",
    divider="#1f242f",
    hover="#1f242f",
    selection="#134e48",
    accent="#2ed3b7",
    accent_soft="#0f3d39",
    on_accent="#0c111d",
    primary="#0f766e",
    on_primary="#ffffff",
    primary_hover="#115e59",
    primary_disabled="#1d3b39",
    on_primary_disabled="#85888e",
    bubble_out="#0b3328",
    bubble_out_border="#135a43",
    note="#2a1f0a",
    note_border="#b54708",
    note_title="#fdb022",
    danger="#f97066",
    warning="#2a1f0a",
    warning_border="#7a2e0e",
    warning_ink="#fec84b",
    toast="#f2f4f7",
    on_toast="#101828",
    toast_danger="#b42318",
    toast_muted="#344054",
    toast_accent="#0f766e",
    toast_hover="#ccfbef",
    row_selected="#0f3330",
    row_hover="#1a202c",
    row_rule="#1f242f",
    on_muted="#0c111d",
    chips=(
        (Priority.URGENT, "#fda29b", "#55160c"),
        (Priority.HIGH, "#fec84b", "#4e1d09"),
        (Priority.NORMAL, "#cecfd2", "#333741"),
        (Priority.LOW, "#84caff", "#102a56"),
    ),
)


@functools.cache
def qcolor(value: str) -> QColor:
    """A QColor of ``#rrggbb`` (cached: the list delegate asks for a few, very often)."""
    color = QColor(value)
    if not color.isValid():
        raise ValueError(f"not a colour: {value!r}")
    return color


class _State:
    palette: Palette = LIGHT
    #: the scheme asked for explicitly (tests, screenshots), None: the desktop's
    forced: Qt.ColorScheme | None = None
    followed: bool = False


def current() -> Palette:
    """The palette the app paints with now."""
    return _State.palette


def palette_for(scheme: Qt.ColorScheme) -> Palette:
    """Dark for the dark scheme; light for the light one and when the desktop does not say."""
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def font_sizes(font: QFont) -> dict[str, str]:
    """The stylesheet's ``@font_*`` sizes for an application font (its real point size)."""
    base = QFontInfo(font).pointSizeF() or 10.0
    return {
        name: f"{max(MIN_POINT_SIZE, base * factor):.1f}pt" for name, factor in FONT_FACTORS.items()
    }


def stylesheet(palette: Palette, font: QFont) -> str:
    """``resources/style.qss`` with the palette's colours and the font's sizes filled in."""
    values = {**palette.colors(), **font_sizes(font)}

    def fill(match: re.Match[str]) -> str:
        try:
            return values[match.group(1)]
        except KeyError:
            raise ValueError(f"style.qss names an unknown value @{match.group(1)}") from None

    return _TOKEN.sub(fill, assets.stylesheet())


def qpalette(palette: Palette) -> QPalette:
    """The application QPalette of a palette: what widgets without a stylesheet rule use."""
    result = QPalette()
    role = QPalette.ColorRole
    for roles, name in (
        ((role.Window,), "window"),
        ((role.WindowText, role.Text, role.ButtonText, role.ToolTipText, role.BrightText), "ink"),
        ((role.Base, role.Button, role.ToolTipBase), "surface"),
        ((role.AlternateBase, role.Midlight), "hover"),
        ((role.PlaceholderText,), "muted"),
        ((role.Highlight,), "accent"),
        ((role.HighlightedText,), "on_accent"),
        ((role.Link,), "accent"),
        ((role.Mid, role.Dark), "border"),
        ((role.Light,), "surface"),
        ((role.Shadow,), "border"),
    ):
        for one in roles:
            result.setColor(one, qcolor(getattr(palette, name)))
    disabled = QPalette.ColorGroup.Disabled
    for one in (role.WindowText, role.Text, role.ButtonText):
        result.setColor(disabled, one, qcolor(palette.disabled))
    return result


def apply(app: QApplication, scheme: Qt.ColorScheme | None = None) -> Palette:
    """Paints ``app`` with the palette of ``scheme`` (None: the desktop's, followed while the
    app runs, as is the application font); returns the palette applied."""
    _State.forced = scheme
    chosen = palette_for(scheme if scheme is not None else app.styleHints().colorScheme())
    _State.palette = chosen
    app.setPalette(qpalette(chosen))
    app.setStyleSheet(stylesheet(chosen, app.font()))
    if not _State.followed:
        _State.followed = True
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _follow())
        app.fontChanged.connect(lambda _font: _follow())
    return chosen


def _follow() -> None:
    """The desktop changed its scheme or the application font: paint again."""
    app = QGuiApplication.instance()
    if isinstance(app, QApplication):
        apply(app, _State.forced)
