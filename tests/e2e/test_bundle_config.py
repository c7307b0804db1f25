"""What ``build.spec`` is told by inbox_app/bundle.py, checked without building (fast).

The slow test (test_bundle.py) proves the built bundle works; these catch, in a second, the
change that would break it: a Qt module the UI starts to use but the bundle leaves out, a
resource file the bundle would not ship, a Faker locale the demo data needs.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

from inbox_app import bundle, licences
from inbox_app.contract import VERSION
from tests.support import ServerProcess, missing

ROOT = Path(__file__).resolve().parents[2]


def qt_modules_imported_by(folder: Path) -> set[str]:
    """Every ``PySide6.X`` the code in ``folder`` imports (at any depth, lazily or not)."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            found |= {n.split(".")[1] for n in names
                      if n.startswith("PySide6.Qt") and n.count(".") >= 1}
    return {name for name in found if name.startswith("Qt")}


def test_every_qt_module_the_app_imports_ships() -> None:
    used = qt_modules_imported_by(ROOT / "inbox_app")
    assert used, "no PySide6 import found: the scan is broken"
    missing_from_bundle = used - set(bundle.QT_MODULES_USED)
    assert not missing_from_bundle, (
        f"inbox_app imports {sorted(missing_from_bundle)}, which build.spec leaves out: add "
        "them to inbox_app/bundle.py QT_MODULES_USED")
    excluded = set(bundle.excluded_modules())
    assert not {f"PySide6.{name}" for name in used} & excluded


def test_the_qt_modules_kept_are_installed_and_the_heavy_ones_are_excluded() -> None:
    installed = set(bundle.installed_qt_modules())
    assert set(bundle.QT_MODULES_USED) <= installed
    excluded = set(bundle.excluded_modules())
    # (QtNetwork ships since issue 12: QLocalServer keeps one app per user)
    for heavy in ("QtQml", "QtQuick", "QtPdf", "QtSql", "QtDesigner"):
        if heavy in installed:
            assert f"PySide6.{heavy}" in excluded
    assert "keyrings" in excluded  # keyrings.alt: a plaintext keyring must never ship


def test_every_resource_file_ships_where_importlib_resources_finds_it() -> None:
    pairs = bundle.data_files()
    shipped = {PurePosixPath(dest) / Path(src).name for src, dest in pairs}
    folder = ROOT / "resources"
    expected = {PurePosixPath("inbox_app/resources") / p.relative_to(folder).as_posix()
                for p in folder.rglob("*")
                if p.suffix in {".svg", ".qss", ".qm", ".png", ".desktop"}}
    assert expected and shipped == expected
    assert not [s for s in shipped if s.suffix in {".ts", ".txt"}]
    # the desktop entry and its icons ship beside them (issue 13)
    assert PurePosixPath("inbox_app/resources", bundle.DESKTOP_ENTRY) in shipped
    assert {PurePosixPath("inbox_app/resources") / bundle.icon_path(n)
            for n in bundle.ICON_SIZES} <= shipped
    assert all(Path(src).is_file() for src, _ in pairs)
    name, source, kind = bundle.extra_modules()[0]
    assert (name, kind) == ("inbox_app.resources", "PYMODULE")
    assert Path(source) == folder / "__init__.py"


def test_the_migration_scripts_ship_where_alembic_looks_for_them() -> None:
    from inbox_app.server.db import migrations

    shipped = {PurePosixPath(dest) / Path(src).name for src, dest in bundle.migration_files()}
    folder = PurePosixPath("inbox_app/server/db/migrations")
    revisions = sorted(migrations.SCRIPT_FOLDER.glob("versions/*.py"))
    assert revisions
    assert {folder / "env.py", folder / "script.py.mako"} <= shipped
    assert {folder / "versions" / p.name for p in revisions} <= shipped
    assert "bundle.migration_files()" in (ROOT / "build.spec").read_text(encoding="utf-8")


def test_faker_keeps_the_demo_locale_and_its_fallbacks_only() -> None:
    kept = bundle.faker_modules()
    assert f"faker.providers.person.{bundle.FAKER_LOCALE}" in kept
    pruner = bundle.Pruner(kept)
    assert pruner.keep_file(f"faker/providers/person/{bundle.FAKER_LOCALE}/__init__.py")
    assert pruner.keep_file("faker/providers/person/__init__.py")
    assert not pruner.keep_file("faker/providers/person/ja_JP/__init__.py")
    assert pruner.keep_module(f"faker.providers.address.{bundle.FAKER_LOCALE}")
    assert not pruner.keep_module("faker.providers.address.ja_JP")
    # a provider without a pt_BR module falls back to its default locale, which ships
    for module in kept:
        assert pruner.keep_module(module)


def test_the_pruner_drops_qt_translations_and_unused_plugins_only() -> None:
    pruner = bundle.Pruner([])
    assert not pruner.keep_file("PySide6/Qt/translations/qtbase_de.qm")
    assert not pruner.keep_file("PySide6/Qt/plugins/platforms/libqvnc.so")
    assert not pruner.keep_file("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    for kept in ("PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/Qt/plugins/platforms/libqwayland.so",
                 "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                 "PySide6/Qt/plugins/imageformats/libqsvg.so",
                 "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
                 "inbox_app/resources/translations/inbox_pt_BR.qm",
                 "PySide6/Qt/translations/qtbase_pt_BR.qm"):  # Qt's buttons in Portuguese
        assert pruner.keep_file(kept), kept


def test_the_modules_only_imported_by_name_exist_here() -> None:
    # what the frozen self-check imports must at least import from source
    assert bundle.import_all(bundle.runtime_check_modules()) == {}
    assert bundle.import_all(["no_such_module_here"]).keys() == {"no_such_module_here"}
    for name in bundle.RUNTIME_IMPORTS:
        assert importlib.util.find_spec(name) is not None, name


# --- the same commands from the source install ---------------------------------------------


def run_source(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "QT_QPA_PLATFORM"}}
    return subprocess.run([sys.executable, "-m", "inbox_app", *args], capture_output=True,
                          text=True, timeout=120, env=env, cwd=ROOT)


def test_version_from_source() -> None:
    result = run_source("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"inbox-app {VERSION}"


def test_self_check_from_source_checks_everything_and_the_server(server: ServerProcess) -> None:
    result = run_source("--self-check", "--server", server.url)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr[-2000:]
    assert "from source" in out and "platform offscreen" in out
    icons = len(list((ROOT / "resources" / "icons").glob("*.svg")))
    assert f"ok     icons: {icons} SVG icons rendered" in out
    for qm in sorted((ROOT / "resources" / "translations").glob("*.qm")):
        assert f"ok     translation {qm.name}" in out
    assert f"ok     server {server.url}: healthy, version {VERSION}" in out
    assert out.rstrip().endswith("self-check passed")


# --- Linux desktop integration and licences (issue 13) ----------------------------------


def test_the_desktop_entry_names_the_app_its_icon_and_command() -> None:
    from inbox_app.ui.app import DESKTOP_FILE_NAME

    entry = ROOT / "resources" / bundle.DESKTOP_ENTRY
    assert entry.name == f"{DESKTOP_FILE_NAME}.desktop"  # the app says this name to the desktop
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        missing("desktop-file-validate is not installed (Debian package: desktop-file-utils)")
    result = subprocess.run([validator, str(entry)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read(entry, encoding="utf-8")
    fields = parser["Desktop Entry"]
    assert fields["Icon"] == bundle.ICON_NAME
    assert fields["Exec"].split()[0] == "inbox-app"
    assert fields["Name[pt_BR]"] == "Caixa da Clínica" and fields["Name"] == "Clinic Inbox"


def test_the_png_icons_are_the_svg_rendered_at_every_size(tmp_path: Path, qapp: object) -> None:
    # pytest-qt's QApplication: a QGuiApplication made here would outlive this test in its
    # worker, and every later widget test there would abort ("Cannot create a QWidget")
    from PySide6.QtGui import QImage

    (tmp_path / "icons").mkdir()
    shutil.copy(ROOT / "resources/icons/app.svg", tmp_path / "icons/app.svg")
    fresh = bundle.render_app_icons(tmp_path)
    for size, rendered in zip(bundle.ICON_SIZES, fresh, strict=True):
        committed = QImage(str(ROOT / "resources" / bundle.icon_path(size)))
        assert (committed.width(), committed.height()) == (size, size)
        # the committed PNG is what the SVG renders to now (regenerate after changing it)
        assert committed.convertToFormat(QImage.Format.Format_ARGB32) == QImage(str(rendered)) \
            .convertToFormat(QImage.Format.Format_ARGB32), size


def test_every_shipped_distribution_has_its_licence_text() -> None:
    # what the app's processes import, as the bundle carries it; Qt is the LGPL one
    pairs = licences.licence_files(["PySide6/Qt/lib/libQt6Core.so.6", "shiboken6", "httpx",
                                  "numpy.libs/libscipy_openblas.so", "pydantic_core",
                                  "_cffi_backend.cpython-311-x86_64-linux-gnu.so", "yaml"])
    folders = {dest.split("/")[1] for _src, dest in pairs}
    assert {"pyside6-essentials", "shiboken6", "httpx", "numpy", "pydantic-core", "cffi",
            "pyyaml", "inbox-app"} <= folders, folders
    qt = [Path(src).read_text(encoding="utf-8") for src, dest in pairs
          if dest == "licenses/pyside6-essentials"]
    assert any("GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3" in text for text in qt)
    assert all(Path(src).is_file() for src, _dest in pairs)
