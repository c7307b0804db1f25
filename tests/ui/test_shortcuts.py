"""Tests of inbox_app/ui/shortcuts.py and the Help menu (issue 13): Help → Keyboard shortcuts
lists every shortcut the window binds, the README shows the same table, the About box offers
About Qt, and Qt's own buttons speak Portuguese (qtbase_pt_BR ships and is loaded).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from inbox_app import bundle
from inbox_app.ui import assets
from inbox_app.ui.app import create_application
from inbox_app.ui.shortcuts import SHORTCUTS
from tests.ui.conftest import Signed

README = Path(__file__).resolve().parents[2] / "README.md"
PORTABLE = QKeySequence.SequenceFormat.PortableText


def _readme_table() -> list[tuple[str, str]]:
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "| Keys | What they do |")
    rows = []
    for line in lines[start + 2:]:
        match = re.fullmatch(r"\s*\| (.+?) \| (.+?) \|", line)
        if match is None:
            break
        rows.append((match.group(1), match.group(2)))
    return rows


def test_the_readme_shows_the_same_table() -> None:
    assert _readme_table() == [(s.keys_text, s.text) for s in SHORTCUTS]


def test_the_window_binds_exactly_the_keys_of_the_table(signed: Signed) -> None:
    window = signed.window
    bound = {s.key().toString(PORTABLE) for s in window.findChildren(QShortcut)}
    bound |= {a.shortcut().toString(PORTABLE) for a in window.findChildren(QAction)
              if not a.shortcut().isEmpty()}
    listed = {key for s in SHORTCUTS if not s.in_composer and not s.routed
              for key in s.keys}
    assert bound == listed


def test_help_lists_the_shortcuts_in_portuguese_and_about_offers_about_qt(
    signed: Signed, qtbot: Any
) -> None:
    window = signed.window
    try:
        create_application(language="pt_BR")
        window.menus.shortcuts_action.trigger()
        dialog = window.menus.shortcuts_dialog
        assert dialog is not None and dialog.isVisible()
        table = dialog.table
        assert table.rowCount() == len(SHORTCUTS)
        assert dialog.windowTitle() == "Atalhos de teclado"
        assert table.item(0, 1).text() == "Buscar nome, telefone ou mensagem"
        assert table.item(1, 0).text() == "Acima / Abaixo"  # Qt's own key names, translated
        close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        assert close.text() == "Fechar"  # qtbase_pt_BR: standard buttons in Portuguese
        dialog.close()

        window.menus.about_action.trigger()
        about = window.menus.about
        assert about is not None
        close = about.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        assert close.text() == "Fechar"
        assert about.about_qt.text() == "Sobre o &Qt"
        seen: list[str] = []

        def close_about_qt() -> None:
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox)
            seen.append(box.windowTitle())
            box.close()

        QTimer.singleShot(0, close_about_qt)
        about.about_qt.click()  # QMessageBox.aboutQt runs until closed
        assert seen and "Qt" in seen[0]
        about.close()
    finally:
        create_application(language="en")


def test_qtbase_portuguese_is_installed_and_ships_in_the_bundle() -> None:
    folder = assets.qt_translations_folder()
    assert (folder / "qtbase_pt_BR.qm").is_file()
    pruner = bundle.Pruner([])
    assert pruner.keep_file("PySide6/Qt/translations/qtbase_pt_BR.qm")
    assert not pruner.keep_file("PySide6/Qt/translations/qtbase_de.qm")
    assert not pruner.keep_file("PySide6/Qt/translations/qt_pt_BR.qm")
