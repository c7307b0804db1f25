"""inbox_app/server/commands/backup.py: ``inbox-server backup PATH`` copies a SQLite database
under write load; the copy is restored (a server started on it) and read back."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.server.conftest import sign_in
from tests.support import ServerProcess


def backup(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inbox_app.server", "backup", *args],
                          capture_output=True, text=True, timeout=120)


def test_a_backup_under_write_load_restores_and_reads_back(
        server_factory: Callable[..., ServerProcess], tmp_path: Path) -> None:
    server = server_factory()
    ana = sign_in(server, "ana@aurora.example")
    conversation = ana.conversations()[0]["id"]
    written: list[str] = []
    stop, some_written = threading.Event(), threading.Event()

    def write() -> None:  # a receptionist typing notes as fast as the server takes them
        with httpx.Client(base_url=server.url, timeout=15, headers=dict(ana.http.headers)) as h:
            while not stop.is_set():
                body = f"note {len(written)}"
                answer = h.post(f"/api/conversations/{conversation}/notes", json={"body": body},
                                headers={"Idempotency-Key": str(uuid.uuid4())})
                assert answer.status_code == 201, answer.text
                written.append(body)
                if len(written) >= 5:
                    some_written.set()

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        assert some_written.wait(60)
        target = tmp_path / "backup.db"
        done = backup(str(target), "--database-url", server.database_url)
        assert done.returncode == 0, done.stderr
        during = len(written)
        later = threading.Event()
        while not later.wait(0.05):  # the load goes on after the copy (polls a thread's list)
            if len(written) > during + 2:
                later.set()
    finally:
        stop.set()
        writer.join(30)

    restored = server_factory(database_url=f"sqlite+aiosqlite:///{target}", demo_size=None)
    again = sign_in(restored, "ana@aurora.example")
    notes = [n["body"] for n in again.detail(conversation)["notes"]
             if n["body"].startswith("note ")]
    # a snapshot as of one commit: the first notes, in order, with no gap and nothing torn,
    # and none of those written after the copy ended
    assert 5 <= len(notes) <= during + 1 < len(written)
    assert notes == written[:len(notes)]
    ana.close()
    again.close()


def test_a_backup_never_overwrites_and_postgresql_is_told_to_use_pg_dump(
        tmp_path: Path) -> None:
    existing = tmp_path / "there.db"
    existing.write_bytes(b"keep me")
    source = tmp_path / "inbox.db"
    refused = backup(str(existing), "--database-url", f"sqlite:///{source}")
    assert refused.returncode == 1 and "backups never overwrite" in refused.stderr
    assert existing.read_bytes() == b"keep me"
    missing_source = backup(str(tmp_path / "new.db"), "--database-url",
                            f"sqlite:///{tmp_path / 'nope.db'}")
    assert missing_source.returncode == 1 and not (tmp_path / "nope.db").exists()
    pg = backup(str(tmp_path / "x.db"), "--database-url", "postgresql://u@h/db")
    assert pg.returncode == 2 and "pg_dump" in pg.stderr
