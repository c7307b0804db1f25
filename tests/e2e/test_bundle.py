"""The installable build (issue 6): ``pyinstaller build.spec`` and what the bundle can do.

The bundle is built once for this module (a few minutes on two cores), into a temporary
folder, exactly as the README says; then the frozen executable is run as a receptionist's
machine would: ``--version``, ``--self-check`` offscreen and on a real X screen (Xvfb), the
embedded server (``serve``) on SQLite and on PostgreSQL + Redis, and the one-command demo,
which opens the window, signs in, shows the list and closes.
"""

from __future__ import annotations

import importlib.util
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import httpx
import pytest

from inbox_app import bundle as bundle_config
from inbox_app.bundle import KEPT_QT_TRANSLATIONS
from inbox_app.contract import VERSION
from tests.support import RedisProcess, ServerProcess, login, missing

ROOT = Path(__file__).resolve().parents[2]
#: The build takes 2-3 minutes here; the first test pays for it (fixture setup counts).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

BUILD_TIMEOUT = 800
RUN_TIMEOUT = 120


def frozen_env(tmp: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no source tree on the path, per-test user folders, no screen."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "DISPLAY", "WAYLAND_DISPLAY",
                        "QT_QPA_PLATFORM", "VIRTUAL_ENV"}}
    env.update(
        HOME=str(tmp / "home"), XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_DATA_HOME=str(tmp / "data"), XDG_CACHE_HOME=str(tmp / "cache"),
        XDG_RUNTIME_DIR=str(tmp / "runtime"), LANG="C.UTF-8",
    )
    (tmp / "runtime").mkdir(mode=0o700, exist_ok=True)
    (tmp / "home").mkdir(exist_ok=True)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds the bundle with ``pyinstaller build.spec``; returns the executable.

    ``INBOX_TEST_BUNDLE=dist/inbox-app/inbox-app`` runs the tests on a bundle built before
    (iterating on the tests); CI always builds.
    """
    prebuilt = os.environ.get("INBOX_TEST_BUNDLE")
    if prebuilt and os.environ.get("CI") != "true":
        return Path(prebuilt).resolve()
    if importlib.util.find_spec("PyInstaller") is None:
        missing("PyInstaller is not installed (pip install -e '.[test]' brings it)")
    tmp = tmp_path_factory.mktemp("bundle")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "build.spec", "--noconfirm",
         "--distpath", str(tmp / "dist"), "--workpath", str(tmp / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    print(f"bundle built in {time.monotonic() - started:.0f} s")
    executable = tmp / "dist" / "inbox-app" / "inbox-app"
    assert executable.is_file() and os.access(executable, os.X_OK)
    return executable


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    """A real X screen (Xvfb) on a display number Xvfb picks itself (``-displayfd``)."""
    if shutil.which("Xvfb") is None:
        missing("Xvfb is not installed (Debian package: xvfb)")
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24",
         "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        # Xvfb writes the display number once it accepts clients
        readable, _, _ = select.select([read_end], [], [], 30)
        number = os.read(read_end, 64).decode().strip() if readable else ""
        if not number:
            proc.kill()
            _, err = proc.communicate(timeout=10)
            pytest.fail(f"Xvfb did not start: {err.decode(errors='replace')[-2000:]}")
        yield f":{number}"
    finally:
        os.close(read_end)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env,
                          cwd=env["HOME"])


class FrozenServer(ServerProcess):
    """The shared test server helper, started as the bundle's ``serve`` subcommand."""

    def __init__(self, executable: Path, database_url: str, **options: object) -> None:
        super().__init__(database_url, **options)  # type: ignore[arg-type]
        self.executable = executable

    def command(self) -> list[str]:
        source = super().command()
        assert source[1:3] == ["-m", "inbox_app.server"]
        return [str(self.executable), "serve", *source[3:]]


# --- what ships --------------------------------------------------------------------------


def test_the_bundle_is_lean_and_carries_its_resources(bundle: Path) -> None:
    internal = bundle.parent / "_internal"
    # PyInstaller links some libraries at the top of _internal: count each file once
    files = [p.relative_to(internal).as_posix() for p in internal.rglob("*")
             if p.is_file() and not p.is_symlink()]
    # resources where importlib.resources looks for them, sources left behind
    assert "inbox_app/resources/style.qss" in files
    assert "inbox_app/resources/translations/inbox_pt_BR.qm" in files
    assert "inbox_app/resources/icons/app.svg" in files
    # the Linux desktop entry and its icons, for an installer to copy (issue 13)
    assert "inbox_app/resources/clinic-inbox.desktop" in files
    assert {f"inbox_app/resources/{bundle_config.icon_path(size)}"
            for size in bundle_config.ICON_SIZES} <= set(files)
    assert not [f for f in files if f.endswith(".ts")]
    # the Qt modules the app does not use, and Qt's own translations but qtbase_pt_BR (the
    # standard buttons in Portuguese, issue 13), stay out; QtNetwork ships for the one app
    # per user (QLocalServer, issue 12)
    unused = re.compile(r"^(PySide6/|PySide6/Qt/lib/|PySide6/Qt/plugins/.*/)?(lib)?Qt6?"
                        r"(Qml|Quick|Pdf|WebEngine|Multimedia|3D|Designer|Help|Test|Sql)"
                        r"|^PySide6/Qt/translations/")
    assert not [f for f in files if unused.search(f) and f not in KEPT_QT_TRANSLATIONS]
    assert set(KEPT_QT_TRANSLATIONS) <= set(files)
    assert "PySide6/QtNetwork.abi3.so" in files
    assert any(f.startswith("PySide6/QtWidgets") for f in files)
    # one Faker locale (and the fallbacks it needs), not ninety
    person_locales = {p.name for p in (internal / "faker/providers/person").iterdir()
                      if p.is_dir()}
    assert "pt_BR" in person_locales
    assert "ja_JP" not in person_locales and len(person_locales) <= 3
    # a test-only plaintext keyring must never ship
    assert not (internal / "keyrings").exists()
    size = sum((internal / f).stat().st_size for f in files) + bundle.stat().st_size
    print(f"bundle size: {size / 2**20:.0f} MiB")
    assert size < 300 * 2**20  # the full PySide6 alone is ~670 MB installed


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_the_bundle_carries_the_licence_of_every_distribution_it_ships(bundle: Path) -> None:
    """Read from what was built: the modules in the executable's archive and the files in
    _internal, each mapped to the installed distribution that provides it."""
    from PyInstaller.archive.readers import pkg_archive_contents

    internal = bundle.parent / "_internal"
    modules = {name.split(".")[0] for name in pkg_archive_contents(str(bundle))}
    files = {p.relative_to(internal).parts[0] for p in internal.rglob("*")
             if p.is_file() and p.relative_to(internal).parts[0] != "licenses"}
    top = modules | {f.removesuffix(".libs").split(".")[0] for f in files}
    provided = metadata.packages_distributions()
    shipped = {_normalise(dist) for name in top for dist in provided.get(name, [])}
    shipped -= {"inbox-app"}  # the app itself: its LICENSE, below
    assert {"pyside6-essentials", "shiboken6", "httpx", "numpy"} <= shipped, shipped
    licences = internal / "licenses"
    for dist in sorted(shipped):
        texts = [p for p in (licences / dist).rglob("*") if p.is_file()]
        assert texts, f"no licence text for {dist} in the bundle"
        named = metadata.metadata(dist).get_all("License-File") or []
        for name in named:  # every text its metadata names, as it is
            assert any(p.as_posix().endswith("/" + name) for p in texts), (dist, name)
    lgpl = (licences / "pyside6-essentials" / "LGPL-3.0.txt").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in lgpl and "Version 3" in lgpl
    assert (licences / "pyside6-essentials" / "GPL-3.0.txt").is_file()
    assert (licences / "inbox-app" / "LICENSE").read_text() == (ROOT / "LICENSE").read_text()


def test_version(bundle: Path, tmp_path: Path) -> None:
    result = run([str(bundle), "--version"], frozen_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"inbox-app {VERSION}"


# --- self-check --------------------------------------------------------------------------


def assert_self_check_passed(result: subprocess.CompletedProcess[str], platform: str) -> None:
    out = result.stdout
    assert result.returncode == 0, out[-4000:] + result.stderr[-2000:]
    assert "frozen (PyInstaller)" in out
    assert f"platform {platform}" in out
    for line in ("ok     stylesheet", "ok     icons", "ok     translation inbox_pt_BR.qm",
                 "ok     translation inbox_en.qm", "ok     window", "ok     charts",
                 "ok     local cache", "ok     embedded server parts", "self-check passed"):
        assert line in out, out
    assert "FAILED" not in out


def test_self_check_offscreen(bundle: Path, tmp_path: Path) -> None:
    # no QT_QPA_PLATFORM and no DISPLAY: the self-check picks offscreen by itself
    result = run([str(bundle), "--self-check"], frozen_env(tmp_path))
    assert_self_check_passed(result, "offscreen")


def test_self_check_on_a_real_x_screen(bundle: Path, x_display: str, tmp_path: Path) -> None:
    # xcb needs libxcb-cursor0 & co.; offscreen never loads them (ARCHITECTURE.md section 9)
    env = frozen_env(tmp_path, DISPLAY=x_display, QT_QPA_PLATFORM="xcb")
    result = run([str(bundle), "--self-check"], env)
    assert_self_check_passed(result, "xcb")
    assert "shown and painted" in result.stdout


def test_self_check_reports_a_server_that_does_not_answer(bundle: Path, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        result = run([str(bundle), "--self-check", "--server", f"http://127.0.0.1:{port}"],
                     frozen_env(tmp_path))
    assert result.returncode == 1
    assert f"FAILED server http://127.0.0.1:{port}" in result.stdout
    assert "self-check FAILED: 1 check(s) failed" in result.stdout


def test_self_check_names_a_resource_missing_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    # a bundle that lost its Portuguese translation must not pass (moved back afterwards)
    qm = bundle.parent / "_internal/inbox_app/resources/translations/inbox_pt_BR.qm"
    aside = tmp_path / qm.name
    shutil.move(qm, aside)
    try:
        result = run([str(bundle), "--self-check"], frozen_env(tmp_path))
    finally:
        shutil.move(aside, qm)
    assert result.returncode == 1
    assert "FAILED translation inbox_pt_BR.qm" in result.stdout
    assert "ok     translation inbox_en.qm" in result.stdout  # the other checks still ran
    assert "self-check FAILED: 1 check(s) failed" in result.stdout


# --- the embedded server, frozen ---------------------------------------------------------


def test_frozen_server_on_sqlite_answers_and_the_self_check_sees_it(
        bundle: Path, tmp_path: Path) -> None:
    server = FrozenServer(bundle, f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}",
                          env=frozen_env(tmp_path))
    server.start()
    try:
        token, session = login(server.url, "ana@aurora.example")
        answer = httpx.get(f"{server.url}/api/clinics/{session['clinic']['id']}/conversations",
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert answer.status_code == 200
        assert answer.json()["items"], "the demo data (Faker pt_BR) was not seeded"
        result = run([str(bundle), "--self-check", "--server", server.url],
                     frozen_env(tmp_path))
        assert result.returncode == 0, result.stdout[-3000:]
        assert f"ok     server {server.url}: healthy, version {VERSION}" in result.stdout
    finally:
        server.stop()


@pytest.mark.postgres
@pytest.mark.redis
def test_frozen_server_on_postgresql_and_redis(
        bundle: Path, postgres_url: str, redis_proc: RedisProcess, tmp_path: Path) -> None:
    # asyncpg (imported by name by SQLAlchemy, Cython inside) and redis + hiredis, frozen
    server = FrozenServer(bundle, postgres_url, redis_url=redis_proc.url,
                          env=frozen_env(tmp_path))
    server.start()
    try:
        health = httpx.get(f"{server.url}/api/health", timeout=10).json()
        assert health["db"] == "up" and health["cache"] == "up", health
        token, session = login(server.url, "bruno@boavista.example")
        answer = httpx.get(f"{server.url}/api/clinics/{session['clinic']['id']}/conversations",
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert answer.status_code == 200 and answer.json()["items"]
    finally:
        server.stop()


# --- the one-command demo, frozen --------------------------------------------------------


@pytest.mark.parametrize("platform", ["offscreen", "xcb"])
def test_frozen_demo_opens_signs_in_shows_the_list_and_closes(
        bundle: Path, platform: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    extra = {"QT_QPA_PLATFORM": platform}
    if platform == "xcb":
        extra["DISPLAY"] = request.getfixturevalue("x_display")
    result = run([str(bundle), "--demo", "--exit-when-ready", "--lang", "pt_BR",
                  "--inbound-seconds", "3600"], frozen_env(tmp_path, **extra))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # the embedded server ran as the same executable (there is no python on the desk)
    assert f"{bundle} serve --host 127.0.0.1 --port 0" in result.stderr
    url = re.search(r"Demo server at (http://127\.0\.0\.1:(\d+))", result.stdout)
    assert url is not None, result.stdout
    shown = re.search(r"Ready: (\d+) conversations shown", result.stdout)
    assert shown is not None and int(shown.group(1)) > 0, result.stdout
    # the window closed and took its server with it
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(url.group(2)))) != 0
