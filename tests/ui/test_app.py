"""Tests of inbox_app/ui/app.py and assets.py: resources, translations, the PySide6 trap."""

from __future__ import annotations

import importlib.resources
import sys
from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from inbox_app.ui import app as ui_app
from inbox_app.ui import assets
from inbox_app.ui.conversations.list_panel import ConversationList
from inbox_app.ui.conversations.model import ConversationListModel
from inbox_app.ui.widgets.feedback import OfflineBanner


def test_resources_are_a_package_found_through_importlib() -> None:
    root = importlib.resources.files("inbox_app.resources")
    assert root.joinpath("style.qss").is_file()
    assert {"inbox_pt_BR.qm", "inbox_en.qm"} <= {
        p.name for p in root.joinpath("translations").iterdir()
    }
    assert "app" in assets.icon_names() and "clock" in assets.icon_names()


def painted_share(image: QImage) -> float:
    """The share of an image's pixels that are not fully transparent."""
    painted = sum(image.pixelColor(x, y).alpha() > 0
                  for x in range(image.width()) for y in range(image.height()))
    return painted / (image.width() * image.height())


def test_every_icon_renders(qapp: QApplication) -> None:
    for name in assets.icon_names():
        pixmap = assets.pixmap(name, 16)
        assert not pixmap.isNull(), name
        # an SVG that does not parse renders nothing on a transparent square: the icon must
        # have drawn itself (a share of its pixels painted, not a blank or a filled square)
        assert 0.02 < painted_share(pixmap.toImage()) < 1, name


@pytest.mark.parametrize(
    ("requested", "expected"), [("pt_BR", "pt_BR"), ("pt_PT", "pt_BR"), ("en_US", "en"),
                                ("de_DE", "en")],
)
def test_language_is_portuguese_on_portuguese_systems(requested: str, expected: str) -> None:
    assert assets.choose_language(requested) == expected


def test_portuguese_translation_is_installed_and_used(qapp: QApplication) -> None:
    try:
        ui_app.create_application(language="pt_BR")
        assert QCoreApplication.translate("Labels", "Urgent") == "Urgente"
        sidebar = ConversationList(ConversationListModel())
        assert sidebar.search.placeholderText() == "Buscar nome, telefone ou mensagem"
        assert sidebar.filter_buttons.buttons()[0].text() == "Abertas"
        banner = OfflineBanner()
        banner.show_offline(datetime(2026, 11, 24, 10, 30).astimezone())
        assert banner.label.text() == "Sem conexão — mostrando dados de 10:30"
        sidebar.deleteLater()
        banner.deleteLater()
    finally:
        ui_app.create_application(language="en")
    assert QCoreApplication.translate("Labels", "Urgent") == "Urgent"


def test_the_stylesheet_is_applied(qapp: QApplication) -> None:
    ui_app.create_application(language="en")
    assert "QFrame#offlineBanner" in qapp.styleSheet()
    # the desktop finds the app's name and icon by its desktop entry (issue 13)
    assert qapp.desktopFileName() == ui_app.DESKTOP_FILE_NAME
    assert importlib.resources.files("inbox_app.resources").joinpath(
        f"{ui_app.DESKTOP_FILE_NAME}.desktop").is_file()


def test_process_events_does_not_leak_references_to_none(qapp: QApplication) -> None:
    """PySide6 6.12.0 on CPython 3.11 drops a reference to None per void call until the
    interpreter dies (ARCHITECTURE.md section 9): the count must not fall."""
    before = sys.getrefcount(None)
    process = qapp.processEvents
    for _ in range(300_000):
        process()
    after = sys.getrefcount(None)
    assert after >= before - 1000, (before, after)


def test_uncaught_exceptions_are_logged(caplog: Any) -> None:
    old = sys.excepthook
    try:
        ui_app.install_exception_hook()
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    finally:
        sys.excepthook = old
    assert any("boom in a slot" in r.getMessage() for r in caplog.records)


def test_translation_sources_are_up_to_date_and_finished(tmp_path: Any) -> None:
    """Every text of the UI is in the .ts files and translated to Portuguese.

    To update: ``pyside6-lupdate $(find inbox_app/ui -name "*.py") -no-obsolete -locations none -ts
    resources/translations/inbox_pt_BR.ts resources/translations/inbox_en.ts``, translate
    (``pyside6-linguist``), then ``pyside6-lrelease`` both files.
    """
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "pyside6-lupdate")
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), *sorted(str(p) for p in (root / "inbox_app/ui").rglob("*.py")),
                    "-ts", str(fresh)], check=True, capture_output=True, timeout=60)

    def sources(path: Path) -> set[tuple[str, str]]:
        tree = ET.parse(path)
        return {(ctx.findtext("name") or "", msg.findtext("source") or "")
                for ctx in tree.iter("context") for msg in ctx.iter("message")}

    committed = root / "resources/translations/inbox_pt_BR.ts"
    assert sources(fresh) <= sources(committed), "run pyside6-lupdate (see docstring)"
    text = committed.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text
    # the compiled .qm says what the .ts says (else: run pyside6-lrelease)
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    data = assets.translation_file("pt_BR")  # QTranslator reads this buffer later: keep it
    assert translator.load(data)
    for ctx in ET.parse(committed).iter("context"):
        for msg in ctx.iter("message"):
            wanted = msg.find("translation")
            if msg.get("numerus") == "yes" or wanted is None:
                continue
            got = translator.translate(ctx.findtext("name"), msg.findtext("source"))
            assert got == wanted.text, (msg.findtext("source"), got, wanted.text)
