"""Issue 7, end to end: 100 canary strings through a real server and the real InboxClient leave
no plaintext in the user's cache, data or log folders.

Canaries: 30 patients arrive through the inbound webhook (name, phone, message text = 90), the
receptionist adds 5 notes and 5 replies through the client (5 of them queued offline, so they
sit in the outbox when the folders are searched). The client runs with its defaults (sealed
codecs, keyring or key-file fallback, sealed session) and logging at DEBUG into the app's log
file (``logfile.configure``). Each canary holds a unique ASCII token, searched as bytes in every
file (SQLite WAL and stray value files included), so an escaped or re-encoded copy (JSON
``\\u00e7``, a reformatted phone) is still found. The control runs the same search over a
client with the plain JSON codec, and over a planted plaintext file: the search finds them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from inbox_app.client import InboxClient
from inbox_app.client.logs import logfile
from inbox_app.client.security.codec import JsonCodec
from inbox_app.contract.models import Priority
from tests.client.session.plain_store import PlainSessionStore
from tests.support import ServerProcess, login

SECRET = "canary-webhook-secret"
PATIENTS = 30
NOTES = 5
REPLIES = 5


pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """The app's own logging setup at DEBUG into a log folder of this test."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    path = logfile.configure(logging.DEBUG, log_dir=tmp_path / "log", console=False)
    try:
        yield path
    finally:
        for handler in root.handlers:
            if handler not in saved_handlers:
                handler.close()
        root.handlers = saved_handlers
        root.setLevel(saved_level)


@pytest.fixture
def hooked(server_factory: Callable[..., ServerProcess]) -> ServerProcess:
    """A real server (small demo data, fresh SQLite) whose inbound webhook we can call."""
    return server_factory(env={"INBOX_WEBHOOK_SECRET": SECRET})


def canary_patients() -> list[dict[str, str]]:
    # accents make the name realistic (UTF-8, JSON escapes); the ASCII token finds any copy
    return [{"token_name": f"Canarinho{i:03d}", "name": f"Zélia Conceição Canarinho{i:03d}",
             "phone": f"+55119731{i:05d}", "token_phone": f"119731{i:05d}",
             "body": f"Dor no joelho canarybody{i:03d} desde ontem",
             "token_body": f"canarybody{i:03d}"} for i in range(PATIENTS)]


def tokens(patients: list[dict[str, str]]) -> list[str]:
    found = [p[k] for p in patients for k in ("token_name", "token_phone", "token_body")]
    found += [f"canarynote{i:03d}" for i in range(NOTES)]
    found += [f"canaryreply{i:03d}" for i in range(REPLIES)]
    return found


def read_log(path: Path) -> str:
    return path.read_text("utf-8")


def search(roots: list[Path], words: list[str]) -> dict[str, list[str]]:
    """Every word found as bytes in any file under ``roots``: word -> file names."""
    found: dict[str, list[str]] = {}
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            for word in words:
                if word.encode() in data:
                    found.setdefault(word, []).append(str(path.relative_to(root.parent)))
    return found


async def send_inbound(server: ServerProcess, clinic_id: int,
                       patients: list[dict[str, str]]) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        for p in patients:
            answer = await http.post("/api/inbound", headers={"X-Webhook-Secret": SECRET},
                                     json={"clinic_id": clinic_id, "phone": p["phone"],
                                           "name": p["name"], "body": p["body"]})
            assert answer.status_code == 201, answer.text


async def read_everything(client: InboxClient, patients: list[dict[str, str]]) -> list[int]:
    """List, every canary conversation and patient; returns the canary conversation ids."""
    views = (await client.conversations()).value
    ours = {p["token_name"] for p in patients}
    ids = []
    for view in views:
        if any(token in view.summary.patient_name for token in ours):
            ids.append(view.summary.id)
            detail = (await client.conversation(view.summary.id)).value
            patient = (await client.patient(detail.summary.patient_id)).value
            assert any(t in patient.name for t in ours)
    assert len(ids) == len(patients)
    return ids


async def test_canaries_leave_no_plaintext_in_cache_data_or_log(
        hooked: ServerProcess, app_log: Path, tmp_path: Path) -> None:
    _, session = login(hooked.url, "ana@aurora.example")
    patients = canary_patients()
    words = tokens(patients)
    assert len(words) == 100
    await send_inbound(hooked, session["clinic"]["id"], patients)
    dirs = {"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"}

    client = await InboxClient.login(hooked.url, "ana@aurora.example", "demo1234", **dirs)
    await client.start()
    ids = await read_everything(client, patients)
    for i in range(REPLIES):
        client.reply(ids[i], f"Olá, canaryreply{i:03d}: pode vir amanhã")
    client.mark_read(ids[0])
    client.set_priority(ids[1], Priority.URGENT)
    client.archive(ids[2])
    await client.drained()
    assert client.pending_count() == 0
    for conversation_id in ids[:REPLIES]:  # replies come back through the detail read
        await client.conversation(conversation_id)
    roots = [tmp_path / "cache", tmp_path / "data", app_log.parent]
    # while the app runs, SQLite's write-ahead log holds the newest pages: searched too
    assert any(p.name == "cache.db-wal" for p in (tmp_path / "cache").rglob("*"))
    assert search(roots, words) == {}
    await client.close()

    # offline: the notes stay queued in the outbox (data folder) when the folders are searched
    hooked.stop()
    again = await InboxClient.resume(hooked.url, **dirs)
    assert again is not None
    await read_everything(again, patients)  # served from the (sealed) disk cache
    for i in range(NOTES):
        again.add_note(ids[i], f"Paciente canarynote{i:03d} alérgica a dipirona")
    assert again.unsent_count() == NOTES
    await again.close()

    for handler in logging.getLogger().handlers:
        handler.flush()
    files = [p for root in roots for p in root.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert "cache.db" in names and any(n.endswith(".action") for n in names)
    text = read_log(app_log)
    assert len(text) > 10_000 and " DEBUG " in text  # the DEBUG log was really written
    assert search(roots, words) == {}

    # control 1: a planted plaintext file under the searched folders is found
    planted = tmp_path / "cache" / "planted.txt"
    planted.write_text(f"{patients[0]['name']} {patients[0]['phone']}", "utf-8")
    assert set(search(roots, words)) == {patients[0]["token_name"], patients[0]["token_phone"]}
    planted.unlink()


async def test_control_the_plain_codec_would_leak(hooked: ServerProcess, tmp_path: Path) -> None:
    """The same reads with the unprotected JSON codec: the search finds the canaries."""
    _, session = login(hooked.url, "ana@aurora.example")
    patients = canary_patients()[:5]
    await send_inbound(hooked, session["clinic"]["id"], patients)
    client = await InboxClient.login(
        hooked.url, "ana@aurora.example", "demo1234", data_dir=tmp_path / "data",
        cache_dir=tmp_path / "cache", codec_factory=lambda s, f: JsonCodec(),
        session_store_factory=lambda url, folders: PlainSessionStore(folders))
    await read_everything(client, patients)
    await client.close()
    found = search([tmp_path / "cache"], tokens(patients))
    for p in patients:
        assert {p["token_name"], p["token_phone"], p["token_body"]} <= set(found)
