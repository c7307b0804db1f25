"""A plain server start — a database already at the head revision, as every test's server
and every restart — loads neither Alembic nor Faker: the test suite starts hundreds of
servers, and each paid ~0.3 s of CPU for them (tests/benchmarks/README.md, issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox_app.server.db import migrations, schema_version
from tests.support import SqliteTemplates

ROOT = Path(__file__).resolve().parents[2]


def probe(*args: str) -> list[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.server.start_probe",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    line = next(line for line in out.stdout.splitlines() if line.startswith("LOADED "))
    return list(json.loads(line.removeprefix("LOADED ")))


def test_a_start_on_a_database_at_the_head_loads_neither_alembic_nor_faker(
    sqlite_templates: SqliteTemplates, tmp_path: Path
) -> None:
    url = sqlite_templates.copy("small", tmp_path / "inbox.db")
    assert probe("--database-url", url, "--demo-data", "--demo-size", "small") == []


def test_a_first_start_still_creates_the_schema_with_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    assert "alembic" in probe("--database-url", url)


@pytest.fixture
def extra_location(tmp_path: Path) -> Iterator[Path]:
    """One more revision folder, as a newer release (or a test) adds."""
    folder = tmp_path / "versions"
    folder.mkdir()
    migrations.VERSION_LOCATIONS.append(folder)
    try:
        yield folder
    finally:
        migrations.VERSION_LOCATIONS.remove(folder)


def test_the_plain_head_is_alembics() -> None:
    assert schema_version.plain_head() == schema_version.head_revision()


def test_the_plain_head_follows_a_newer_revision(extra_location: Path) -> None:
    head = schema_version.head_revision()
    (extra_location / "9999_x.py").write_text(
        f"revision: str = '9999'\ndown_revision: str | None = {head!r}\n"
        "branch_labels = None\ndepends_on = None\n",
        encoding="utf-8",
    )
    assert schema_version.plain_head() == schema_version.head_revision() == "9999"


@pytest.mark.parametrize(
    "text",
    [
        # two heads: a branch
        "revision = '9998'\ndown_revision = '0001'\n",
        # a merge
        "revision = '9998'\ndown_revision = ('0001', '0002')\n",
        # a revision id that is not a literal
        "revision = 'x' + '1'\ndown_revision = '0002'\n",
        # a dependency on another branch
        "revision = '9998'\ndown_revision = '0002'\ndepends_on = '0001'\n",
    ],
)
def test_a_history_that_is_not_one_plain_line_is_left_to_alembic(
    extra_location: Path, text: str
) -> None:
    (extra_location / "9998_x.py").write_text(text, encoding="utf-8")
    assert schema_version.plain_head() is None
