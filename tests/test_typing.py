"""mypy over inbox_app in the test run: strict for contract/ and client/, the default elsewhere.

The configuration is pyproject.toml's ``[tool.mypy]``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support import missing

ROOT = Path(__file__).resolve().parent.parent
STRICT_MODULES = {"inbox_app.contract.*", "inbox_app.client.*"}


def require_mypy() -> None:
    if importlib.util.find_spec("mypy") is None:
        missing("mypy is not installed (pip install -e '.[test]')")


def strict_settings() -> dict[str, object]:
    """[tool.mypy] with the override for contract/ and client/ laid over it."""
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    for override in mypy["overrides"]:
        if set(override["module"]) == STRICT_MODULES:
            assert "strict" not in override
            settings = {k: v for k, v in mypy.items() if k != "overrides"}
            return settings | override
    raise AssertionError("pyproject.toml has no mypy override for contract/ and client/")


def test_contract_and_client_get_every_flag_of_strict_mode() -> None:
    """`strict = true` in an override would turn strict on for every module, so the override
    lists the flags one by one; this keeps the list whole when mypy adds a flag to --strict."""
    require_mypy()
    from mypy.main import define_options
    from mypy.options import PER_MODULE_OPTIONS

    _, _, assignments = define_options()
    settings = strict_settings()
    for dest, value in assignments:
        if dest not in PER_MODULE_OPTIONS:
            continue  # a global-only flag (warn_redundant_casts, ...)
        name = dest if value else f"no_{dest}"
        assert settings.get(name) is True, f"contract/ and client/ lack {name} = true"


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_mypy_reports_nothing() -> None:
    require_mypy()
    # this interpreter: mypy checks against the packages installed beside it
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "inbox_app"], cwd=ROOT, capture_output=True, text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stdout + result.stderr
