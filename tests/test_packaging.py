"""The package list in pyproject.toml names every package, and the top level stays tidy."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_TOP_LEVEL = {
    "inbox_app", "resources", "tests", "pyproject.toml", "build.spec", "README.md", ".ci",
    ".gitignore", "LICENSE",
}


def test_every_package_is_listed() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "inbox_app").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert "inbox_app.resources" in listed


def test_top_level_holds_only_the_agreed_entries() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    top = {name.split("/", 1)[0] for name in tracked}
    assert top <= ALLOWED_TOP_LEVEL, f"unexpected at the top: {sorted(top - ALLOWED_TOP_LEVEL)}"
