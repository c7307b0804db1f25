"""Every keyboard shortcut of the window, in one table: Help → Keyboard shortcuts shows it,
the README shows the same rows (tests/ui/test_shortcuts.py compares them and checks that the
window binds exactly these keys).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

_CONTEXT = "Shortcuts"


def _noop(marked: object) -> str:
    """The text QT_TRANSLATE_NOOP marked for lupdate (PySide6's stub types it as object)."""
    return str(marked)


@dataclass(frozen=True, slots=True)
class Shortcut:
    """Keys (QKeySequence portable text) and what they do (English, translated when shown).

    ``shown``: how the README and the dialog write the keys when not each key itself ("1–4");
    ``in_composer``: handled by the composer's text field rather than bound on the window;
    ``routed``: handled by the key router (ui/keys.py), only where the receptionist is looking.
    """

    keys: tuple[str, ...]
    text: str
    shown: str | None = None
    in_composer: bool = False
    routed: bool = False

    @property
    def keys_text(self) -> str:
        """The keys as the README writes them ("Up / Down")."""
        return self.shown or " / ".join(self.keys)

    def native_keys_text(self) -> str:
        """The keys in the user's language (Qt's names of keys: "Acima / Abaixo")."""
        if self.shown:
            return self.shown
        return " / ".join(QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
                          for key in self.keys)

    def description(self) -> str:
        """What the keys do, in the user's language."""
        return QCoreApplication.translate(_CONTEXT, self.text)


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut(("Ctrl+F",), _noop(QT_TRANSLATE_NOOP("Shortcuts", "Search name, phone or message"))),
    Shortcut(("Up", "Down"),
             _noop(QT_TRANSLATE_NOOP("Shortcuts", "Previous or next conversation"))),
    Shortcut(("E",), _noop(QT_TRANSLATE_NOOP("Shortcuts", "Archive or unarchive")), routed=True),
    Shortcut(("U",), _noop(QT_TRANSLATE_NOOP("Shortcuts", "Mark as read or unread")), routed=True),
    Shortcut(("1", "2", "3", "4"),
             _noop(QT_TRANSLATE_NOOP("Shortcuts", "Priority: urgent, high, normal, low")),
             shown="1–4", routed=True),
    Shortcut(("Esc",), _noop(QT_TRANSLATE_NOOP("Shortcuts", "Leave the search (twice: clear it)")),
             routed=True),
    Shortcut(("Ctrl+Z",), _noop(QT_TRANSLATE_NOOP("Shortcuts", "Undo the last action"))),
    Shortcut(("Ctrl+Return",), _noop(QT_TRANSLATE_NOOP("Shortcuts", "Send the note or reply")),
             shown="Ctrl+Enter", in_composer=True),
    Shortcut(("Ctrl+L",), _noop(QT_TRANSLATE_NOOP("Shortcuts", "Lock now"))),
    Shortcut(("Ctrl+Shift+M",),
             _noop(QT_TRANSLATE_NOOP("Shortcuts", "Diagnostics (cache figures)"))),
)


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: the table of :data:`SHORTCUTS`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table = QTableWidget(len(SHORTCUTS), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        for row, shortcut in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(shortcut.native_keys_text()))
            self.table.setItem(row, 1, QTableWidgetItem(shortcut.description()))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(460, 360)
