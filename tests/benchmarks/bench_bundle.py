"""The PyInstaller bundle against the source install: size and start times (issue 6).

Builds the bundle with ``pyinstaller build.spec`` into a temporary folder (or takes one built
before with ``--bundle``), then runs the same commands from both installs, interleaved round
by round, offscreen:

- ``--version``: the cost of starting the program at all (bootloader + unpacking vs the
  interpreter and its site-packages);
- ``--self-check``: Qt, every resource and translation, a chart, the local cache, the
  server's by-name imports, until "self-check passed";
- ``--demo --exit-when-ready``: until the embedded server printed its URL, and until the list
  is painted ("Ready: N conversations shown"; it includes seeding the full demo data).

Run: ``.venv/bin/python tests/benchmarks/bench_bundle.py [--bundle dist/inbox-app/inbox-app]
[--rounds 5]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(sys.executable).parent / "inbox-app"


def build(folder: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "build.spec", "--noconfirm",
         "--distpath", str(folder / "dist"), "--workpath", str(folder / "work")],
        cwd=ROOT, check=True, capture_output=True, timeout=1800,
    )
    return folder / "dist" / "inbox-app" / "inbox-app", time.perf_counter() - started


def size_of(executable: Path) -> tuple[int, list[tuple[str, int]]]:
    """Total bytes (each file once: PyInstaller links some libraries) and the largest parts."""
    top = executable.parent
    parts: dict[str, int] = {}
    total = 0
    for path in top.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        relative = path.relative_to(top).parts
        key = "/".join(relative[:2]) if relative[0] == "_internal" else relative[0]
        if key == "_internal/PySide6":
            key = "/".join(relative[:4]) if len(relative) > 4 else key
        parts[key] = parts.get(key, 0) + size
    return total, sorted(parts.items(), key=lambda item: -item[1])[:12]


def timed_lines(command: list[str], marks: dict[str, str], env: dict[str, str]
                ) -> dict[str, float]:
    """Runs ``command``; seconds from start until each mark's text appeared in stdout."""
    seen: dict[str, float] = {}
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        now = time.perf_counter() - started
        for name, text in marks.items():
            if name not in seen and text in line:
                seen[name] = now
    code = proc.wait(timeout=300)
    seen["exit"] = time.perf_counter() - started
    if code != 0 or len(seen) != len(marks) + 1:
        raise RuntimeError(f"{command} exited {code}, saw only {sorted(seen)}")
    return seen


def scenarios() -> list[tuple[str, list[str], dict[str, str]]]:
    return [
        ("--version", ["--version"], {"--version": "inbox-app "}),
        ("--self-check", ["--self-check"], {"--self-check done": "self-check passed"}),
        ("--demo", ["--demo", "--exit-when-ready", "--inbound-seconds", "3600"],
         {"--demo: server up": "Demo server at", "--demo: list painted": "Ready: "}),
    ]


def measure(installs: dict[str, Path], rounds: int, env: dict[str, str]
            ) -> dict[tuple[str, str], list[float]]:
    results: dict[tuple[str, str], list[float]] = {}
    for round_number in range(rounds + 1):  # round 0 warms the page cache, not counted
        for _, args, marks in scenarios():
            for install, executable in installs.items():
                seen = timed_lines([str(executable), *args], marks, env)
                if round_number == 0:
                    continue
                for mark in marks:
                    results.setdefault((mark, install), []).append(seen[mark])
    return results


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, help="a bundle built before (its executable)")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": f"{tmp}/config",
               "XDG_DATA_HOME": f"{tmp}/data", "XDG_CACHE_HOME": f"{tmp}/cache"}
        env.pop("DISPLAY", None)
        if options.bundle:
            executable, seconds = options.bundle.resolve(), None
        else:
            executable, seconds = build(Path(tmp))
        total, parts = size_of(executable)
        print(f"bundle: {executable}")
        if seconds is not None:
            print(f"build time: {seconds:.0f} s (pyinstaller build.spec, {os.cpu_count()} cores)")
        print(f"bundle size: {total / 2**20:.0f} MiB, largest parts:")
        for name, size in parts:
            print(f"  {size / 2**20:7.1f} MiB  {name}")
        results = measure({"source": SOURCE, "frozen": executable}, options.rounds, env)
        print(f"\nstart times, {options.rounds} rounds, interleaved, offscreen (seconds)")
        header = f"{'what':22} {'source p50':>10} {'p90':>6} {'frozen p50':>10} {'p90':>6}"
        print(header + f" {'frozen/source':>13}")
        marks = [mark for _, _, m in scenarios() for mark in m]
        for mark in marks:
            s50, s90 = statistics.median(results[mark, "source"]), p(results[mark, "source"], 0.9)
            f50, f90 = statistics.median(results[mark, "frozen"]), p(results[mark, "frozen"], 0.9)
            print(f"{mark:22} {s50:10.2f} {s90:6.2f} {f50:10.2f} {f90:6.2f} {f50 / s50:12.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
