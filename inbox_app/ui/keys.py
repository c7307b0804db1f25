"""The window's keyboard: one focus model a receptionist can predict (issue 12).

- The single-letter shortcuts (E archive, U read/unread, 1–4 priority) act only on the
  conversation that is open and visible, and only while the list or that conversation has
  the focus: a text field (search box, composer) always gets its letters as text.
- Type-to-compose: any other printable key pressed while the list or the conversation has
  the focus moves the focus to the composer (to the search box when no conversation is open)
  and is typed there, so someone who starts writing before clicking writes text.
- Esc in the list clears a search that is still narrowing it.
- A held key fires at most one action per physical press: auto-repeats are dropped, and so
  is a second press of a key whose release never came (X11 lets some repeats through as
  plain presses).

The router is one event filter that follows the focus: it sits on whichever widget of the
inbox holds the focus (key events reach that widget first), so it costs nothing for the
paint and mouse events of the rest of the window.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

log = logging.getLogger(__name__)

#: the single-letter shortcuts: key → (action, argument)
SHORTCUT_KEYS: dict[int, tuple[str, object]] = {
    Qt.Key.Key_E: ("toggle_archive", None),
    Qt.Key.Key_U: ("toggle_read", None),
    Qt.Key.Key_1: ("priority", 0),
    Qt.Key.Key_2: ("priority", 1),
    Qt.Key.Key_3: ("priority", 2),
    Qt.Key.Key_4: ("priority", 3),
}

_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def is_text_field(widget: QWidget | None) -> bool:
    """Whether ``widget`` takes typed letters as text (the shortcuts never act there)."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox))


class KeyRouter(QObject):
    """Routes the keys pressed in the list and the open conversation (see the module)."""

    #: a shortcut fired: (action, argument index) — tests and the window listen
    shortcut = Signal(str, object)

    def __init__(
        self,
        *,
        areas: Callable[[], list[QWidget]],
        conversation_shown: Callable[[], bool],
        composer: Callable[[], QWidget],
        search: Callable[[], QLineEdit],
        escape: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        """``areas``: the widgets whose focus the router serves (the list view and the
        conversation pane; their children count too); ``conversation_shown``: a conversation
        is open and visible; ``composer`` and ``search``: where typing goes; ``escape``:
        Esc in an area, True when it did something."""
        super().__init__(parent)
        self._areas = areas
        self._conversation_shown = conversation_shown
        self._composer = composer
        self._search = search
        self._escape = escape
        self._held: set[int] = set()
        self._watched: QWidget | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._follow_focus)

    def detach(self) -> None:
        """Stops following the focus (the window closes)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusChanged.disconnect(self._follow_focus)
        self._unwatch()

    def serves(self, widget: QWidget | None) -> bool:
        """Whether keys pressed in ``widget`` are the router's (in an area, not a text field)."""
        if widget is None or is_text_field(widget):
            return False
        return any(area is widget or area.isAncestorOf(widget) for area in self._areas())

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._held.clear()  # a release that goes to another widget must not block a key
        self._unwatch()
        if self.serves(new):
            assert new is not None
            new.installEventFilter(self)
            self._watched = new

    def watch_focus(self) -> None:
        """Starts serving the widget that has the focus now (at start, after unlock)."""
        self._follow_focus(None, QApplication.focusWidget())

    def _unwatch(self) -> None:
        if self._watched is not None:
            with contextlib.suppress(RuntimeError):  # already deleted by Qt
                self._watched.removeEventFilter(self)
            self._watched = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent):
            if not event.isAutoRepeat():
                self._held.discard(event.key())
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or not self.serves(watched):
            return False
        return self._key_press(watched, event)

    def _key_press(self, widget: QWidget, event: QKeyEvent) -> bool:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Escape and modifiers == Qt.KeyboardModifier.NoModifier:
            return self._escape()
        if modifiers & _COMMAND_MODIFIERS:
            return False  # Ctrl+…, Alt+…: the window's shortcuts and menus
        shortcut = SHORTCUT_KEYS.get(key)
        if (shortcut is not None and modifiers == Qt.KeyboardModifier.NoModifier
                and self._conversation_shown()):
            if event.isAutoRepeat() or key in self._held:
                return True  # one action per physical press
            self._held.add(key)
            self.shortcut.emit(*shortcut)
            return True
        text = event.text()
        if not text or not text.isprintable():
            return False  # arrows, Tab, Enter, Page Up…: the widget's own
        if text == " " and isinstance(widget, QAbstractButton):
            return False  # Space presses a focused button
        target: QWidget = self._composer() if self._conversation_shown() else self._search()
        if not target.isVisible() or not target.isEnabled():
            target = self._search()
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        QApplication.sendEvent(target, QKeyEvent(
            QEvent.Type.KeyPress, key, event.modifiers(), text, event.isAutoRepeat(),
            event.count()))
        return True
