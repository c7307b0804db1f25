"""What the PyInstaller build (``build.spec``, issue 6) needs to know about the app.

The spec asks this module instead of listing files and modules by hand: which resource files
ship, which modules are imported by name at run time (invisible to PyInstaller's import
scan), which Qt modules the app leaves out, and which collected files a lean bundle drops.

Used at build time, and by the self-check (inbox_app/ui/selfcheck.py) for the list of modules
only imported by name at run time. It imports nothing of the project at module level and no
third-party package until a function needs one.
"""

from __future__ import annotations

import fnmatch
import functools
import importlib
import importlib.util
import json
import logging
import subprocess
import sys
from importlib import resources
from pathlib import Path, PurePosixPath

log = logging.getLogger(__name__)

#: The package that holds icons, stylesheet and translations (``resources/`` in the repository).
RESOURCE_PACKAGE = "inbox_app.resources"
#: Resource files the app reads at run time, and the desktop entry with its icons (``.ts``
#: sources, ``__init__.py`` and the licence texts of inbox_app/licences.py stay behind).
RESOURCE_SUFFIXES = (".svg", ".qss", ".qm", ".png", ".desktop")

#: The Linux desktop entry; its name is the app's desktop file name (inbox_app/ui/app.py).
DESKTOP_ENTRY = "clinic-inbox.desktop"
#: The app icon as PNGs of these sizes, in the hicolor theme's layout under ``icons/``:
#: rendered from ``icons/app.svg`` by :func:`render_app_icons`.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICON_NAME = "clinic-inbox"

#: The Qt modules the app imports (inbox_app/ui) plus what pyqtgraph needs: pyqtgraph 0.14
#: imports QtOpenGL and QtOpenGLWidgets by name (``importlib.import_module``) in modules every
#: plot loads (Qt/OpenGLHelpers.py), even though our charts never draw with OpenGL. QtTest,
#: which pyqtgraph also tries, is optional there and stays out.
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtOpenGL", "QtOpenGLWidgets",
                   "QtNetwork")  # QtNetwork: QLocalServer, one app per user (issue 12)

#: Python packages that never belong in the app: tools, test-only packages and optional
#: back ends nothing of ours uses. ``keyrings`` (keyrings.alt) is test-only and, installed,
#: becomes keyring's default backend: a plaintext file (inbox_app/client/security/keystore.py).
EXCLUDED_PACKAGES = (
    "tkinter", "_tkinter", "IPython", "matplotlib", "pytest", "_pytest", "hypothesis",
    "schemathesis", "importlinter", "keyrings", "PyInstaller", "setuptools", "pip",
    "pyqtgraph.examples", "pyqtgraph.opengl", "pyqtgraph.jupyter", "watchfiles",
    "PySide6.scripts", "scipy", "pandas", "h5py", "cupy", "numba",
    # httpx's command line (httpx._main, guarded import) pulls rich and pygments; redis's
    # optional OCSP check pulls requests; werkzeug comes with nothing we run
    "httpx._main", "rich", "pygments", "markdown_it", "requests", "werkzeug",
)

#: Modules the code imports by name (strings) at run time, so PyInstaller's scan misses them:
#: SQLAlchemy loads the DBAPI of ``sqlite+aiosqlite`` and ``postgresql+asyncpg`` URLs with
#: ``__import__``; asyncpg's Cython modules import each other from C; pyqtgraph imports the
#: Qt modules of its OpenGL helpers by name.
RUNTIME_IMPORTS = ("aiosqlite", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets")
#: Packages whose every submodule ships (imported from compiled code): asyncpg's and
#: dbus-fast's Cython modules import each other from C (dbus-fast: desktop notifications);
#: desktop-notifier picks its platform's back end, and its resources, by name.
RUNTIME_PACKAGES = ("asyncpg", "dbus_fast", "desktop_notifier")

#: The Faker locale the demo data uses (inbox_app/server/demo/seed.py); other locales stay out.
FAKER_LOCALE = "pt_BR"

#: Qt's own translations that ship, one per language of the app (inbox_app/ui/assets.py
#: QT_CATALOGUES: the standard buttons, key names and the About Qt box); the rest stay out.
KEPT_QT_TRANSLATIONS = ("PySide6/Qt/translations/qtbase_pt_BR.qm",)

#: Collected files (destination paths in the bundle, POSIX style) a lean bundle leaves out.
#: Qt's own translations but :data:`KEPT_QT_TRANSLATIONS`.
#: Qt plugins: only the platforms a receptionist's desktop uses (xcb, wayland) and offscreen
#: (self-check, CI) ship; out go image formats beyond SVG, the Qt Quick virtual keyboard,
#: device integrations for embedded boards, Wayland's GL buffer integrations (the widgets
#: paint in software) and the GTK3 theme (it alone pulls in cairo, pango and gdk-pixbuf;
#: the XDG desktop portal theme stays). The plugin names are Linux's (``lib*.so``): a Windows
#: or macOS build ships those plugins (larger, not broken).
DROPPED_FILES = (
    "PySide6/Qt/translations/*",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platforms/libqminimal.so",
    "PySide6/Qt/plugins/platforms/libqminimalegl.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so",
    "PySide6/Qt/plugins/egldeviceintegrations/*",
    "PySide6/Qt/plugins/generic/*",
    "PySide6/Qt/plugins/wayland-graphics-integration-server/*",
    "PySide6/Qt/plugins/wayland-graphics-integration-client/*",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/plugins/imageformats/libqicns.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/plugins/imageformats/libqwebp.so",
    "PySide6/Qt/plugins/imageformats/libqtga.so",
    "PySide6/Qt/plugins/imageformats/libqwbmp.so",
    "PySide6/Qt/plugins/imageformats/libqgif.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
)


#: The repository's ``resources/`` folder, when building from a checkout.
CHECKOUT_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource_folder() -> Path:
    """The folder of :data:`RESOURCE_PACKAGE` on disk.

    From a checkout that is ``resources/`` (installed or not); else the installed package.
    """
    if (CHECKOUT_RESOURCES / "__init__.py").is_file():
        return CHECKOUT_RESOURCES
    path = Path(str(resources.files(RESOURCE_PACKAGE)))
    if not path.is_dir():
        raise RuntimeError(f"{RESOURCE_PACKAGE} is not a folder on disk: {path}")
    return path


def extra_modules() -> list[tuple[str, str, str]]:
    """Modules to add to the archive as ``(name, source, "PYMODULE")`` TOC entries.

    ``inbox_app.resources`` lives in ``resources/`` (pyproject.toml ``package-dir``), outside
    ``inbox_app/``, so PyInstaller's import scan cannot find it by name; and no code imports
    it by name anyway (importlib.resources does, at run time). It must ship as a package for
    ``importlib.resources.files`` to find the data files collected beside it.
    """
    return [(RESOURCE_PACKAGE, str(resource_folder() / "__init__.py"), "PYMODULE")]


def resource_files() -> list[PurePosixPath]:
    """Every resource file the app reads, relative to the resource folder."""
    root = resource_folder()
    return sorted(
        PurePosixPath(path.relative_to(root).as_posix())
        for path in root.rglob("*")
        if path.is_file() and path.suffix in RESOURCE_SUFFIXES
    )


def icon_path(size: int) -> PurePosixPath:
    """Where the ``size`` PNG of the app icon is, relative to the resource folder."""
    return PurePosixPath("icons", "hicolor", f"{size}x{size}", "apps", f"{ICON_NAME}.png")


def render_app_icons(folder: Path | None = None) -> list[Path]:
    """Renders ``icons/app.svg`` to the PNGs of :data:`ICON_SIZES` under ``folder`` (the
    resource folder); returns them. Run after changing the SVG (they are committed):
    ``python -c "from inbox_app import bundle; bundle.render_app_icons()"``."""
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    root = folder or resource_folder()
    renderer = QSvgRenderer(QByteArray((root / "icons" / "app.svg").read_bytes()))
    written = []
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = root / icon_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target)):  # PNG, by the name
            raise RuntimeError(f"could not write {target}")
        written.append(target)
    return written


def data_files() -> list[tuple[str, str]]:
    """``(source file, destination folder)`` pairs for ``Analysis(datas=...)``.

    The destination mirrors the package path (``inbox_app/resources/icons``), which is where
    PyInstaller's importer makes ``importlib.resources.files("inbox_app.resources")`` look.
    """
    root = resource_folder()
    target = PurePosixPath(*RESOURCE_PACKAGE.split("."))
    return [(str(root / rel), str(target / rel.parent)) for rel in resource_files()]


def notifier_files() -> list[tuple[str, str]]:
    """desktop-notifier's own resources (its default icon, found with importlib.resources)."""
    from PyInstaller.utils.hooks import collect_data_files

    return list(collect_data_files("desktop_notifier"))


#: The schema's history (Alembic): its scripts are loaded by path, never imported, so they
#: ship as files beside the package (package data in pyproject.toml too).
MIGRATION_PACKAGE = "inbox_app.server.db.migrations"


def migration_files() -> list[tuple[str, str]]:
    """``(source file, destination folder)`` pairs for the migration scripts."""
    root = Path(__file__).resolve().parent / "server" / "db" / "migrations"
    target = PurePosixPath(*MIGRATION_PACKAGE.split("."))
    files = [root / "env.py", root / "script.py.mako", *sorted(root.glob("versions/*.py"))]
    return [(str(path), str(target / PurePosixPath(path.relative_to(root).as_posix()).parent))
            for path in files]


def installed_qt_modules() -> list[str]:
    """The PySide6 extension modules installed here (``QtCore``, ``QtQml``, ...)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations)))
    names = {path.name.split(".")[0] for path in folder.glob("Qt*.*")
             if path.suffix in {".so", ".pyd"} or path.name.endswith(".abi3.so")}
    return sorted(names)


def excluded_modules() -> list[str]:
    """``Analysis(excludes=...)``: every Qt module the app does not use, and stray packages."""
    unused_qt = [f"PySide6.{name}" for name in installed_qt_modules()
                 if name not in QT_MODULES_USED]
    return [*unused_qt, *EXCLUDED_PACKAGES]


def hidden_imports() -> list[str]:
    """``Analysis(hiddenimports=...)``: modules imported by name at run time."""
    from PyInstaller.utils.hooks import collect_submodules

    names = list(RUNTIME_IMPORTS)
    for package in RUNTIME_PACKAGES:
        names += collect_submodules(package)
    names += faker_modules()
    return sorted(set(names))


@functools.cache
def faker_modules(locale: str = FAKER_LOCALE) -> list[str]:
    """The ``faker.providers`` modules that ``Faker(locale)`` imports, and nothing else.

    Faker picks each provider's locale module by listing folders (``faker/utils/loading.py``),
    so PyInstaller's faker hook ships all ~90 locales, as code and as data. Asking Faker
    itself, in a fresh interpreter, gives exactly the modules one locale needs (each provider's
    ``locale`` module, or its default-locale fallback).
    """
    code = (
        "import json, sys\n"
        "from faker import Faker\n"
        f"Faker({locale!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('faker.providers'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=120)
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def _faker_locale_part(dest: PurePosixPath) -> str | None:
    """For ``faker/providers/<provider>/<locale>/...`` the ``<provider>.<locale>`` part."""
    parts = dest.parts
    if len(parts) >= 5 and parts[:2] == ("faker", "providers"):
        return f"faker.providers.{parts[2]}.{parts[3]}"
    return None


class Pruner:
    """Decides which collected files and modules a lean bundle keeps (``build.spec``)."""

    def __init__(self, faker_kept: list[str] | None = None) -> None:
        self.faker_kept = set(faker_modules() if faker_kept is None else faker_kept)

    def keep_file(self, dest: str) -> bool:
        """Whether a collected data file or binary (destination path in the bundle) ships."""
        path = PurePosixPath(dest.replace("\\", "/"))
        if str(path) in KEPT_QT_TRANSLATIONS:
            return True
        if any(fnmatch.fnmatch(str(path), pattern) for pattern in DROPPED_FILES):
            return False
        locale_part = _faker_locale_part(path)
        return locale_part is None or locale_part in self.faker_kept

    def keep_module(self, name: str) -> bool:
        """Whether a pure-Python module (dotted name) ships."""
        parts = name.split(".")
        if len(parts) >= 4 and parts[:2] == ["faker", "providers"]:
            return ".".join(parts[:4]) in self.faker_kept
        return True


def runtime_check_modules() -> list[str]:
    """Modules only reached at run time that the self-check imports to prove they shipped.

    The embedded server's accelerators and drivers (ARCHITECTURE.md section 9: uvloop and
    httptools; hiredis), the DBAPIs SQLAlchemy imports by name and, on Linux, the desktop
    notifications' D-Bus back end (imported with the first notification, issue 13).
    """
    notifications = ["desktop_notifier.backends.dbus"] if sys.platform == "linux" else []
    return [*notifications, "uvloop", "httptools", "hiredis", "aiosqlite", "asyncpg",
            "uvicorn.loops.auto", "uvicorn.loops.uvloop", "uvicorn.protocols.http.auto",
            "uvicorn.protocols.http.httptools_impl", "uvicorn.protocols.websockets.auto",
            "uvicorn.lifespan.on", "sqlalchemy.dialects.sqlite.aiosqlite",
            "sqlalchemy.dialects.postgresql.asyncpg", f"faker.providers.person.{FAKER_LOCALE}"]


def import_all(names: list[str]) -> dict[str, str]:
    """Imports each module; returns ``{name: error}`` for those that fail (empty: all fine)."""
    failed: dict[str, str] = {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # any failure is a missing piece of the bundle
            failed[name] = f"{type(exc).__name__}: {exc}"
    return failed


def _has_debug_info(path: Path) -> bool:
    result = subprocess.run(["readelf", "-S", "--wide", str(path)], capture_output=True,
                            text=True, timeout=60)
    return result.returncode == 0 and ".debug_info" in result.stdout


def strip_debug_info(folder: Path, *, executable: str) -> list[tuple[str, int, int]]:
    """Strips DWARF debug info from the bundle's shared libraries; returns what it did.

    Several wheels and this machine's libpython ship unstripped (libpython 22 MB -> 5.5 MB,
    uvloop 13 MB -> 1.6 MB). PyInstaller's own ``strip=True`` strips every binary, and that
    breaks the libraries auditwheel vendors into ``<package>.libs`` (patchelf rewrote their
    layout; numpy's OpenBLAS then fails with "ELF load command address/offset not
    page-aligned", caught by the self-check's chart). So only files that carry debug info are
    stripped, never those in a ``*.libs`` folder, and never the executable (the bundle's
    archive is appended to it). Needs binutils (``strip``, ``readelf``); without them the
    bundle is just larger.
    """
    import shutil

    if shutil.which("strip") is None or shutil.which("readelf") is None:
        log.warning("binutils not found: the bundle keeps its debug info")
        return []
    done: list[tuple[str, int, int]] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if (path.is_symlink() or not path.is_file() or str(relative) == executable
                or any(part.endswith(".libs") for part in relative.parts[:-1])):
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        if not _has_debug_info(path):
            continue
        before = path.stat().st_size
        subprocess.run(["strip", "--strip-debug", str(path)], check=True, timeout=120)
        done.append((str(relative), before, path.stat().st_size))
    return done
