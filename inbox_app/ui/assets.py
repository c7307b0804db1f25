"""Icons, the stylesheet and the translations, loaded from the ``inbox_app.resources`` package.

Everything goes through :mod:`importlib.resources` so the same code works from source, from an
editable install and frozen under PyInstaller (issue 6). Icons are decoded once and kept.
"""

from __future__ import annotations

import functools
import logging
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSize,
    Qt,
    QTranslator,
)
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

log = logging.getLogger(__name__)

RESOURCE_PACKAGE = "inbox_app.resources"
#: The languages the app ships, the first one is the default for Portuguese systems.
LANGUAGES = ("pt_BR", "en")


def resource_root() -> Traversable:
    """The folder of the resources package (a real folder, or a frozen bundle's folder)."""
    return resources.files(RESOURCE_PACKAGE)


def read_bytes(*parts: str) -> bytes:
    """The bytes of one resource file, e.g. ``read_bytes("icons", "app.svg")``."""
    node = resource_root()
    for part in parts:
        node = node.joinpath(part)
    return node.read_bytes()


def stylesheet() -> str:
    """The application's Qt stylesheet."""
    return read_bytes("style.qss").decode("utf-8")


def icon_names() -> list[str]:
    """Names of every icon shipped (used by the self-check and the tests)."""
    folder = resource_root().joinpath("icons")
    return sorted(p.name.removesuffix(".svg") for p in folder.iterdir() if p.name.endswith(".svg"))


@functools.cache
def _renderer(name: str) -> QSvgRenderer:
    renderer = QSvgRenderer(QByteArray(read_bytes("icons", f"{name}.svg")))
    if not renderer.isValid():
        raise ValueError(f"icon {name}.svg is not a valid SVG")
    return renderer


@functools.cache
def pixmap(name: str, size: int = 16) -> QPixmap:
    """An icon rendered at ``size`` logical pixels (cached: the list delegate paints it a lot)."""
    ratio = 2.0  # render sharp on HiDPI screens; cheap at these sizes
    image = QImage(QSize(int(size * ratio), int(size * ratio)), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    _renderer(name).render(painter)
    painter.end()
    result = QPixmap.fromImage(image)
    result.setDevicePixelRatio(ratio)
    return result


@functools.cache
def icon(name: str) -> QIcon:
    """A QIcon from ``resources/icons/<name>.svg``."""
    result = QIcon()
    for size in (16, 24, 32, 64):
        result.addPixmap(pixmap(name, size))
    return result


def choose_language(requested: str | None = None) -> str:
    """``pt_BR`` on a Portuguese system (or when asked), English otherwise."""
    name = requested or QLocale.system().name()
    return "pt_BR" if name.lower().startswith("pt") else "en"


def translation_file(language: str) -> bytes:
    """The compiled ``.qm`` of a language (``inbox_<lang>.qm``)."""
    return read_bytes("translations", f"inbox_{language}.qm")


#: Qt's own catalogue the app ships for each language it ships (the standard buttons such as
#: Close and Cancel, the names of keys, the About Qt box); English needs none.
QT_CATALOGUES = {"pt_BR": "qtbase_pt_BR"}


def qt_translations_folder() -> Path:
    """Where Qt's own ``.qm`` files are: QLibraryInfo's translations path (PySide6's bundled
    folder, also in the frozen build), else the folder beside the PySide6 package."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if folder.is_dir():
        return folder
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "translations"


def install_qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Installs Qt's own translation of ``language`` (``qtbase_pt_BR``), so standard dialog
    buttons speak it too; None for English or when the file is missing (logged: the app still
    runs, with those few buttons in English)."""
    name = QT_CATALOGUES.get(language)
    if name is None:
        return None
    translator = QTranslator(app)
    folder = qt_translations_folder()
    if not translator.load(name, str(folder)):
        log.warning("Qt's translation %s not found in %s", name, folder)
        return None
    app.installTranslator(translator)
    return translator


def install_translator(app: QCoreApplication, language: str) -> QTranslator:
    """Installs the translator of ``language`` on ``app`` and returns it (keep a reference).

    The data is loaded from bytes so it also works from a zipped or frozen bundle. English is
    the source language: its file carries no translations and loading it changes nothing.
    """
    translator = QTranslator(app)
    data = translation_file(language)
    # QTranslator.load(bytes) keeps a pointer to the buffer: keep it alive beside the object.
    translator._data = data  # type: ignore[attr-defined]  # Qt objects take new attributes
    if not translator.load(data):
        raise ValueError(f"translation inbox_{language}.qm could not be loaded")
    app.installTranslator(translator)
    log.info("language: %s", language)
    return translator
