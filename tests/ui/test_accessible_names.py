"""Every control of the app's dialogs has an accessible name (issue 13).

The main window is read over AT-SPI in tests/ui/test_accessibility.py; the dialogs it does
not open there are read here through Qt's own accessibility interfaces, the tree AT-SPI
serves: every control (or focusable node) has a name, or a label that names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QWidget

from inbox_app.ui import app as ui_app
from inbox_app.ui.privacy import UnsentDialog
from inbox_app.ui.shortcuts import ShortcutsDialog
from inbox_app.ui.widgets.login_dialog import LoginDialog

Role = QAccessible.Role
CONTROLS = {Role.PushButton, Role.CheckBox, Role.RadioButton, Role.ComboBox,
            Role.EditableText, Role.SpinBox, Role.Slider, Role.Table, Role.List, Role.PageTab,
            Role.MenuItem, Role.Link, Role.ButtonMenu, Role.ButtonDropDown}


def tree(node: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    yield node
    for index in range(node.childCount()):
        child = node.child(index)
        if child is not None and child.isValid():
            yield from tree(child)


def unnamed(widget: QWidget) -> list[tuple[str, str]]:
    """(role, description) of every control under ``widget`` that nothing names."""
    root = QAccessible.queryAccessibleInterface(widget)
    assert root is not None
    found = []
    for node in tree(root):
        control = node.role() in CONTROLS or node.state().focusable
        labelled = any(flag == QAccessible.RelationFlag.Label for _other, flag
                       in node.relations(QAccessible.RelationFlag.Label))
        if control and not node.text(QAccessible.Text.Name).strip() and not labelled:
            found.append((node.role().name, node.text(QAccessible.Text.Description)))
    return found


def test_every_dialog_control_is_named(qapp: QApplication, qtbot: Any) -> None:
    ui_app.create_application(language="pt_BR")
    try:
        async def login(*_args: object) -> object:
            raise AssertionError("not called")

        dialogs: list[QWidget] = [LoginDialog(login, QSettings()), ShortcutsDialog(),
                                  UnsentDialog(2)]
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            assert not unnamed(dialog), (type(dialog).__name__, unnamed(dialog))
    finally:
        ui_app.create_application(language="en")
