"""The window's menu bar and the windows it opens (issue 13).

Account: Preferences…, Lock now, Sign out…; Help: Keyboard shortcuts, Diagnostics (the cache
figures, Ctrl+Shift+M), About. Each secondary window is built the first time it is asked
for and raised after that.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from inbox_app.client.preferences import Preferences
from inbox_app.ui.privacy import AboutDialog, lock_seconds
from inbox_app.ui.shortcuts import ShortcutsDialog

if TYPE_CHECKING:
    from inbox_app.ui.main_window import MainWindow
    from inbox_app.ui.settings_dialog import PreferencesDialog

log = logging.getLogger(__name__)


class Menus(QObject):
    """Builds the menu bar of ``window`` and owns the windows its entries open."""

    def __init__(self, window: MainWindow, *, lock_after: float | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._lock_after = lock_after
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.about: AboutDialog | None = None
        self.metrics_window: Any = None
        self.preferences_dialog: PreferencesDialog | None = None
        account = window.menuBar().addMenu(self.tr("&Account"))
        self.preferences_action = account.addAction(self.tr("&Preferences…"))
        self.preferences_action.triggered.connect(self.show_preferences)
        account.addSeparator()
        self.lock_action = account.addAction(self.tr("&Lock now"))
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(window.lock)
        self.sign_out_action = account.addAction(self.tr("&Sign out…"))
        self.sign_out_action.triggered.connect(window.sign_out_later)
        help_menu = window.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = help_menu.addAction(self.tr("&Keyboard shortcuts"))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.diagnostics_action = help_menu.addAction(self.tr("&Diagnostics"))
        self.diagnostics_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.diagnostics_action.triggered.connect(self.show_metrics)
        self.about_action = help_menu.addAction(self.tr("&About Clinic Inbox"))
        self.about_action.triggered.connect(self.show_about)

    def show_shortcuts(self) -> None:
        """Opens (or raises) the table of keyboard shortcuts."""
        if self.shortcuts_dialog is None:
            self.shortcuts_dialog = ShortcutsDialog(self.window)
        show_on_top(self.shortcuts_dialog)

    def show_about(self) -> None:
        """Opens (or raises) the about box."""
        if self.about is None:
            self.about = AboutDialog(self.window.bridge.client, self.window)
        show_on_top(self.about)

    def show_metrics(self) -> None:
        """Opens (or raises) Diagnostics, the cache figures (pyqtgraph loads the first
        time)."""
        if self.metrics_window is None:
            from inbox_app.ui.widgets.metrics_window import MetricsWindow

            client = self.window.bridge.client
            self.metrics_window = MetricsWindow(client.metrics, client.server_metrics)
        show_on_top(self.metrics_window)

    def show_preferences(self) -> None:
        """Opens Account → Preferences (window-modal)."""
        if self.preferences_dialog is None:
            # its widget types load the first time (start-up builds only what it paints)
            from inbox_app.ui.settings_dialog import PreferencesDialog

            client = self.window.bridge.client
            dialog = PreferencesDialog(client.preferences, client.api.server_url, self.window)
            dialog.saved.connect(self.apply_preferences)
            dialog.signOutRequested.connect(self.window.sign_out_later)
            dialog.finished.connect(lambda _code: self._forget_preferences(dialog))
            self.preferences_dialog = dialog
        self.preferences_dialog.open()

    def _forget_preferences(self, dialog: PreferencesDialog) -> None:
        if self.preferences_dialog is dialog:
            self.preferences_dialog = None
        dialog.deleteLater()

    def apply_preferences(self, chosen: Preferences) -> None:
        """Saves the user's settings; lock minutes, notifications and max-stale apply at once
        (the language when the window opens next)."""
        window = self.window
        try:
            window.bridge.client.set_preferences(chosen)
        except OSError as exc:
            log.warning("preferences not saved: %s", type(exc).__name__)
            window.toasts.show_toast(self.tr("Preferences not saved"), str(exc.strerror or exc))
            return
        window.idle.set_seconds(lock_seconds(self._lock_after, minutes=chosen.lock_minutes))

    def close_windows(self) -> None:
        """Closes what could show data while the inbox is locked or closing."""
        for window in (self.metrics_window, self.about):
            if window is not None:
                window.close()


def show_on_top(window: QWidget) -> None:
    """Shows a window, or raises it when it is open already (a window just shown is on top:
    raising it too asks the window system for nothing, which some platforms warn about)."""
    if window.isVisible():
        window.raise_()
    else:
        window.show()
