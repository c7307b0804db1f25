"""Every missing prerequisite goes through ``tests.support.missing()`` (skip locally, fail
under CI=true): no test skips itself at run time by another path. (A ``skipif`` on the
platform, such as POSIX file modes on Windows, is not a missing prerequisite.)"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# pytest.skip(...) and pytest.importorskip(...), the run-time skips
_BYPASS = re.compile(r"\bpytest\s*\.\s*(skip|importorskip)\s*\(")


def test_no_test_skips_past_missing() -> None:
    found = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "support.py" and path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _BYPASS.search(line)
    ]
    assert found == []
