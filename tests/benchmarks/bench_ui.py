"""Benchmark of the desktop UI (issue 5). Not collected by pytest; run on demand:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_ui.py

1. Start to first painted list, offline, from a local cache of 5,000 conversations, beside a
   bare "import PySide6 + show an empty window" (fresh processes, alternated, same run).
   The cache is filled for real: a server with 5,000 conversations (created through the
   inbound webhook), one login that caches the list, then the server is stopped.
2. Action to repaint (the model update of a row + Qt's repaint of it) p50/p99 at 10,000 and
   100,000 rows, and a new message moving a row to the top at 100,000 rows.
3. Peak memory (VmHWM: peak resident set; getrusage's ru_maxrss would carry the parent's
   peak across fork+exec on Linux) of a process with 10,000 conversations loaded and painted, beside
   the bare window.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
FRAME_MS = 1000 / 60


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- child programs (run in fresh processes) -----------------------------------------------

BARE = r"""
import time, sys
t0 = time.perf_counter()
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.resize(1200, 760)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print(f"PAINTED {(time.perf_counter() - T0) * 1000:.1f}", flush=True)
            app.quit()
        return False
T0 = t0
f = F(); w.installEventFilter(f); w.show(); app.exec()
print("RSS_KB", [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0],
      flush=True)
"""

APP = r"""
import time, sys
t0 = time.perf_counter()
import asyncio
from pathlib import Path
# what `inbox-app` does first (cli.main): the collector paused, the client core imported
# before Qt, the keyring lookup started (a tree from before issue 13 has no begin_start)
from inbox_app import cli
getattr(cli, "begin_start", lambda: None)()
from PySide6.QtCore import QEvent, QObject
from inbox_app.client import InboxClient
from inbox_app.ui import app as ui
url, data, cache = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
async def main():
    client = await InboxClient.resume(url, data_dir=data, cache_dir=cache)
    assert client is not None, "no remembered session"
    window = await ui.open_window(client)
    done = asyncio.get_running_loop().create_future()
    class F(QObject):
        def eventFilter(self, o, e):
            if e.type() == QEvent.Type.Paint and window.bridge.model.rowCount() and not done.done():
                done.set_result((time.perf_counter() - t0) * 1000)
            return False
    f = F(); window.conversations.view.viewport().installEventFilter(f)
    window.conversations.view.viewport().update()
    ms = await done
    print(f"PAINTED {ms:.1f} ROWS {window.bridge.model.all_count} "
          f"OFFLINE {window.bridge.list_snapshot.offline}", flush=True)
    window.close()
    await window.bridge.close(); await client.close()
    return 0
ui.run(main, language="en")
print("RSS_KB", [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0],
      flush=True)
"""

#: Put before APP to run the app of another tree (sys.argv[1]): ``--before``.
OTHER_TREE = r"""
import sys
sys.meta_path[:] = [f for f in sys.meta_path
                    if "editable" not in (type(f).__name__ + getattr(f, "__module__", "")).lower()]
sys.path.insert(0, sys.argv.pop(1))
"""

MEMORY = r"""
import sys, time
sys.path.insert(0, sys.argv[2])
from tests.benchmarks.bench_ui import make_views, show_list
app, widget, model = show_list(make_views(int(sys.argv[1])))
print("RSS_KB", [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0],
      flush=True)
"""


def run_child(code: str, *args: str) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         timeout=300, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    values: dict[str, str] = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        for key, value in zip(parts[::2], parts[1::2], strict=False):
            values[key] = value
    return values


# --- synthetic rows for the in-process measurements ------------------------------------------

def make_views(n: int) -> list:
    from inbox_app.client import ConversationView
    from inbox_app.contract.models import ConversationSummary

    now = datetime.now(UTC)
    priorities = ["urgent", "high", "normal", "low"]
    return [
        ConversationView(ConversationSummary.model_validate({
            "id": i + 1, "clinic_id": 1, "patient_id": i + 1,
            "patient_name": f"Paciente Número {i}", "channel": "whatsapp",
            "status": "open" if i % 7 else "archived", "priority": priorities[i % 4],
            "unread_count": i % 3, "last_message_preview": f"Olá, preciso remarcar {i}",
            "last_message_at": (now - timedelta(seconds=30 * i)).isoformat(),
            "updated_at": (now - timedelta(seconds=30 * i)).isoformat(), "version": 1,
            "patient_phone": f"+55 11 9{i:08d}",
        }))
        for i in range(n)
    ]


def show_list(views: list):
    from PySide6.QtWidgets import QApplication

    from inbox_app.ui import app as ui_app
    from inbox_app.ui.conversations.list_panel import ConversationList
    from inbox_app.ui.conversations.model import ConversationListModel

    app = QApplication.instance() or QApplication([])
    ui_app.create_application(language="en")
    model = ConversationListModel()
    model.replace_all(views)
    widget = ConversationList(model)
    widget.resize(380, 800)
    widget.show()
    for _ in range(5):
        app.processEvents()
    return app, widget, model


def repaint_latency(widget, model, app, change, rounds: int) -> list[float]:
    """ms from the model update to the end of the repaint it causes (offscreen raster)."""
    from PySide6.QtCore import QEvent, QObject

    painted = [0]

    class Counter(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                painted[0] += 1
            return False

    counter = Counter()
    widget.view.viewport().installEventFilter(counter)
    times = []
    for i in range(rounds):
        before = painted[0]
        t0 = time.perf_counter()
        change(i)
        spins = 0
        while painted[0] == before and spins < 10_000:  # until Qt has painted the change
            app.processEvents()
            spins += 1
        times.append((time.perf_counter() - t0) * 1000)
        assert painted[0] > before, "the change did not repaint"
    widget.view.viewport().removeEventFilter(counter)
    return times


def bench_repaint(rounds: int) -> list[tuple[str, list[float]]]:
    from inbox_app.client import ConversationView

    results = []
    for n in (10_000, 100_000):
        views = make_views(n)
        app, widget, model = show_list(views)

        def toggle_read(i: int, model=model) -> None:
            # mark read / unread of a visible row, shown pending (what an action does first)
            view = model.view_at(i % 5)
            s = view.summary
            model.upsert(ConversationView(
                s.model_copy(update={"unread_count": 0 if s.unread_count else 1,
                                     "version": s.version + 1}), pending=not view.pending))

        results.append((f"action -> repaint, {n:,} rows", repaint_latency(
            widget, model, app, toggle_read, rounds)))
        if n == 100_000:
            def new_message(i: int, model=model) -> None:
                # a patient writes in a conversation from the middle: it moves to the top
                view = model.view_at(model.rowCount() // 2)
                s = view.summary
                model.upsert(dataclasses.replace(view, summary=s.model_copy(update={
                    "last_message_at": datetime.now(UTC) + timedelta(seconds=i),
                    "unread_count": s.unread_count + 1, "version": s.version + 1,
                    "last_message_preview": f"nova mensagem {i}"})))

            results.append((f"new message to the top, {n:,} rows", repaint_latency(
                widget, model, app, new_message, rounds)))
        widget.close()
        widget.deleteLater()
        app.processEvents()
    return results


# --- the real 5,000-conversation cache -----------------------------------------------------

def prepare_cache(folder: Path, conversations: int) -> tuple[str, Path, Path, float]:
    """A server with ``conversations`` conversations; one login caches the list. Returns
    (server URL, data dir, cache dir, seconds to fill) with the server stopped."""
    import httpx

    from inbox_app import cli
    from inbox_app.client import InboxClient

    secret = "bench-secret"
    os.environ["INBOX_WEBHOOK_SECRET"] = secret
    db = folder / "bench.db"
    server = cli.start_server("--database-url", f"sqlite+aiosqlite:///{db}", "--demo-data",
                              "--demo-size", "small")
    data, cache = folder / "data", folder / "cache"
    started = time.perf_counter()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            token = http.post("/api/auth/login", json={"email": "ana@aurora.example",
                                                       "password": "demo1234"}).json()
            clinic = token["session"]["clinic"]["id"]
            have = len(http.get(f"/api/clinics/{clinic}/conversations", headers={
                "Authorization": f"Bearer {token['token']}"}).json()["items"])
            for i in range(max(0, conversations - have)):
                answer = http.post("/api/inbound", headers={"X-Webhook-Secret": secret}, json={
                    "clinic_id": clinic, "phone": f"+55 21 9{i:08d}", "name": f"Paciente {i}",
                    "body": f"Bom dia, gostaria de marcar uma consulta ({i})"})
                answer.raise_for_status()

        async def cache_it() -> int:
            client = await InboxClient.login(server.url, "ana@aurora.example", "demo1234",
                                             data_dir=data, cache_dir=cache)
            try:
                return len((await client.conversations()).value)
            finally:
                await client.close()

        cached = asyncio.run(cache_it())
    finally:
        server.stop()
    print(f"cache ready: {cached:,} conversations ({time.perf_counter() - started:.0f} s)")
    return server.url, data, cache, time.perf_counter() - started


def compile_app(*trees: Path) -> None:
    """Writes the app's bytecode (``__pycache__``, ignored by git), as an installed app has
    it: with PYTHONDONTWRITEBYTECODE=1 every start otherwise compiles ~70 modules."""
    import compileall

    for tree in trees:
        compileall.compile_dir(str(tree / "inbox_app"), quiet=1)


def bench_start(args: argparse.Namespace) -> None:
    trees = [ROOT, *([args.before] if args.before else [])]
    if args.bytecode:
        compile_app(*trees)
    bytecode = (ROOT / "inbox_app" / "__pycache__").is_dir()
    kinds = {"bare: import PySide6 + empty window": [],
             "inbox-app: offline, list from disk cache": []}
    before = "  the same, the tree of --before"
    if args.before:
        kinds[before] = []
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        url, data, cache, _ = prepare_cache(Path(tmp), args.conversations)
        offline = set()
        for _ in range(args.starts):  # alternated so all see the same machine load
            for label, times in kinds.items():
                if label.startswith("bare"):
                    times.append(float(run_child(BARE)["PAINTED"]))
                    continue
                extra = [str(args.before)] if label == before else []
                got = run_child((OTHER_TREE if extra else "") + APP, *extra, url, str(data),
                                str(cache))
                times.append(float(got["PAINTED"]))
                offline.add(got["OFFLINE"])
                rows = int(got["ROWS"])
    print(f"\n1. Start to first painted list (ms, {args.starts} fresh processes each, "
          f"alternated; app offline={sorted(offline)}, {rows:,} conversations from the cache; "
          f"app bytecode {'present' if bytecode else 'absent: compiled at every start'})")
    print(f"{'':44}{'p50':>9}{'p95':>9}{'min':>9}{'max':>9}{'x bare p50':>12}")
    bare = next(iter(kinds.values()))
    for label, times in kinds.items():
        print(f"{label:44}{statistics.median(times):9.0f}{pct(times, 0.95):9.0f}"
              f"{min(times):9.0f}{max(times):9.0f}"
              f"{statistics.median(times) / statistics.median(bare):11.2f}x")
    app = kinds["inbox-app: offline, list from disk cache"]
    print(f"ratio app / bare: p50 {statistics.median(app) / statistics.median(bare):.2f}x, "
          f"p95 {pct(app, 0.95) / pct(bare, 0.95):.2f}x")



def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=7, help="start-up runs of each kind")
    parser.add_argument("--rounds", type=int, default=200, help="repaints per case")
    parser.add_argument("--conversations", type=int, default=5000)
    parser.add_argument("--skip-start", action="store_true", help="skip part 1")
    parser.add_argument("--skip-repaint", action="store_true", help="skip parts 2 and 3")
    parser.add_argument("--bytecode", action="store_true",
                        help="part 1: write the app's bytecode first, as an installed app has it")
    parser.add_argument("--before", type=Path,
                        help="part 1: also start the app of this tree, alternated (git archive "
                             "COMMIT inbox_app resources | tar -x -C DIR; ln -s ../resources "
                             "DIR/inbox_app/resources)")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, QT_QPA_PLATFORM="
          f"{os.environ['QT_QPA_PLATFORM']}\n")
    if not args.skip_start:
        bench_start(args)
    if args.skip_repaint:
        return 0
    print(f"\n2. Model update -> repainted (ms, {args.rounds} rounds; one frame = "
          f"{FRAME_MS:.1f} ms)")
    print(f"{'':44}{'p50':>9}{'p99':>9}{'max':>9}  p99 < frame")
    for label, times in bench_repaint(args.rounds):
        p99 = pct(times, 0.99)
        print(f"{label:44}{pct(times, 0.5):9.2f}{p99:9.2f}{max(times):9.2f}  "
              f"{'yes' if p99 < FRAME_MS else 'NO'}")

    print("\n3. Peak memory (VmHWM, MiB), fresh processes")
    bare_kb = float(run_child(BARE)["RSS_KB"])
    mem_kb = float(run_child(MEMORY, "10000", str(ROOT))["RSS_KB"])
    print(f"{'bare: import PySide6 + empty window':44}{bare_kb / 1024:9.0f}")
    print(f"{'10,000 conversations loaded and painted':44}{mem_kb / 1024:9.0f}")
    print(f"difference: {(mem_kb - bare_kb) / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
