"""CPU time of one server start (issue 13). Not collected by pytest; run on demand:

    .venv/bin/python tests/benchmarks/bench_server_start.py [--starts N] [--before DIR]

A server is started as the test fixtures start hundreds of them (tests/support.py: a copy of
a seeded SQLite file, already at the head revision, ``--demo-data --demo-size small``,
``--port 0``), until it prints ``Listening on``, then stopped with SIGTERM. Its CPU time
(user + system, from ``wait4``) and the time to ``Listening on`` are reported.

``--before DIR``: also runs the tree in DIR (``git archive COMMIT inbox_app resources | tar
-x -C DIR``), alternated with this one, with the same interpreter and site-packages (the
editable install's finder is taken out so that DIR's ``inbox_app`` is the one imported).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Runs ``python -m inbox_app.server ARGS`` from the tree in sys.argv[1].
OTHER_TREE = r"""
import runpy, sys
sys.meta_path[:] = [f for f in sys.meta_path
                    if "editable" not in (type(f).__name__ + getattr(f, "__module__", "")).lower()]
sys.path.insert(0, sys.argv[1])
sys.argv = ["inbox_app.server", *sys.argv[2:]]
runpy.run_module("inbox_app.server", run_name="__main__", alter_sys=True)
"""


def start_once(command: list[str], database: Path) -> tuple[float, float]:
    """(CPU seconds, seconds to 'Listening on') of one start and SIGTERM."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            *command,
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--database-url",
            f"sqlite+aiosqlite:///{database}",
            "--demo-data",
            "--demo-size",
            "small",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    up = None
    for line in proc.stdout:
        if line.startswith("Listening on"):
            up = time.perf_counter() - started
            break
    proc.send_signal(signal.SIGTERM)
    proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if up is None:
        raise RuntimeError(f"the server did not start (exit code {proc.returncode})")
    return usage.ru_utime + usage.ru_stime, up


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=10, help="starts of each tree")
    parser.add_argument("--before", type=Path, help="another tree to compare, alternated")
    args = parser.parse_args()
    trees = {"this tree": [sys.executable, "-m", "inbox_app.server"]}
    if args.before:
        trees["before"] = [sys.executable, "-c", OTHER_TREE, str(args.before.resolve())]
    with tempfile.TemporaryDirectory(prefix="bench-server-start-") as tmp:
        template = Path(tmp) / "template.db"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "inbox_app.server",
                "--database-url",
                f"sqlite+aiosqlite:///{template}",
                "--demo-data",
                "--demo-size",
                "small",
                "--init-only",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        results: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in trees}
        for i in range(args.starts):
            order = list(trees.items()) if i % 2 == 0 else list(reversed(trees.items()))
            for name, command in order:
                database = Path(tmp) / f"start-{i}-{len(results[name][0])}-{name[0]}.db"
                shutil.copyfile(template, database)
                cpu, up = start_once(command, database)
                results[name][0].append(cpu)
                results[name][1].append(up)
    print(
        f"One server start to 'Listening on' and SIGTERM, {args.starts} starts per tree"
        f"{', alternated' if args.before else ''} (SQLite at the head revision, small demo)"
    )
    print(f"{'':12}{'CPU p50 s':>11}{'min':>8}{'max':>8}{'up p50 s':>11}")
    for name, (cpu, up) in results.items():
        print(
            f"{name:12}{statistics.median(cpu):11.3f}{min(cpu):8.3f}{max(cpu):8.3f}"
            f"{statistics.median(up):11.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
