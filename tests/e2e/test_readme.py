"""The README's two commands, tried as a new user would: a copy of the tree, a fresh venv.

Slow (a full ``pip install`` into an empty virtual environment), so one test does both: the
"run it" command with ``--exit-when-ready`` (the window opens on the embedded demo, signs in,
shows the list, and closes by itself), then the "test it" command with pytest pointed at the
contract suite, since a pytest that runs this whole suite again from inside it would only
measure itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import missing

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> tuple[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## On a fresh machine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)
    assert len(blocks) == 2, f"expected two commands under 'On a fresh machine', got {blocks}"
    return blocks[0].strip(), blocks[1].strip()


def copy_tree(dest: Path) -> None:
    """The files git would hand a newcomer (tracked, plus new ones not ignored)."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
        text=True, check=True,
    ).stdout.splitlines()
    for name in files:
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def test_readme_commands_parse() -> None:
    run, test = readme_commands()
    assert run.endswith("inbox-app --demo")
    assert test.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci, ".ci/run must run the README's test command"


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_readme_commands_work_on_a_fresh_venv(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        missing("git is not installed (Debian package: git)")
    run, test = readme_commands()
    repo = tmp_path / "clinic-inbox"
    repo.mkdir()
    copy_tree(repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST"))}
    env.update(
        QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
    )
    ran = subprocess.run(
        f"{run} --exit-when-ready", shell=True, cwd=repo, env=env, capture_output=True,
        text=True, timeout=600,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    shown = re.search(r"Ready: (\d+) conversations shown", ran.stdout)
    assert shown and int(shown.group(1)) > 0, ran.stdout[-3000:]
    tested = subprocess.run(
        f"{test} tests/contract -q", shell=True, cwd=repo, env=env, capture_output=True,
        text=True, timeout=600,
    )
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-3000:]
    assert re.search(r"\d+ passed", tested.stdout), tested.stdout[-2000:]
