"""The layering of ARCHITECTURE.md section 2 (import-linter) and ruff, in the test run."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# this interpreter, not the lint-imports script (its shebang may name another virtualenv)
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(no_cache=True))"
)


def contract_names() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c["name"] for c in config["tool"]["importlinter"]["contracts"]]


def test_the_layers_contracts_are_declared() -> None:
    names = contract_names()
    assert "ui never imports server" in names
    assert any(n.startswith("layers: cli above ui above client") for n in names)
    assert any(n.startswith("layers: server above contract") for n in names)


def test_import_linter_contracts_hold() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    names = contract_names()
    # every declared contract ran and was kept (none silently skipped)
    for name in names:
        assert f"{name} KEPT" in result.stdout, result.stdout
    assert f"Contracts: {len(names)} kept, 0 broken." in result.stdout, result.stdout


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "inbox_app", "tests"], cwd=ROOT, capture_output=True,
        text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
