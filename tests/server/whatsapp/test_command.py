"""inbox_app/server/commands/whatsapp.py and server/whatsapp/channels.py, settings.py:
``inbox-server whatsapp set | list | remove`` on a real database, secrets from the
environment or stdin and never printed; the channel's server settings from ``INBOX_*``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from inbox_app.server.commands import whatsapp
from inbox_app.server.settings import parse_settings
from inbox_app.server.whatsapp.settings import WhatsAppSettings
from inbox_app.server.whatsapp.worker import DeliveryWorker
from tests.support import SqliteTemplates

SECRETS = ("EAAJtoken0from0stdin", "app-secret-from-stdin", "verify-from-stdin")


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inbox_app.server", "whatsapp", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**_clean_env(), **(env or {})},
    )


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("INBOX_WHATSAPP_")}


def test_set_list_and_remove_without_ever_showing_a_secret(
    tmp_path: Path, sqlite_templates: SqliteTemplates
) -> None:
    url = sqlite_templates.copy("small", tmp_path / "inbox.db")
    done = run(
        "--database-url",
        url,
        "set",
        "--clinic",
        "Clínica Aurora",
        "--phone-number-id",
        "106540352242922",
        stdin="\n".join(SECRETS) + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert "106540352242922" in done.stdout
    # the environment's secrets win over stdin; the clinic by id
    env = {
        "INBOX_WHATSAPP_ACCESS_TOKEN": "EAAJenv0token",
        "INBOX_WHATSAPP_APP_SECRET": "env-s",
        "INBOX_WHATSAPP_VERIFY_TOKEN": "env-v",
    }
    done = run(
        "--database-url",
        url,
        "set",
        "--clinic",
        "2",
        "--phone-number-id",
        "106540352242923",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    listed = run("--database-url", url, "list")
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[1:] == [
        "1\tClínica Aurora\t106540352242922",
        "2\tClínica Boa Vista\t106540352242923",
    ]
    # one phone number, one clinic
    taken = run(
        "--database-url",
        url,
        "set",
        "--clinic",
        "2",
        "--phone-number-id",
        "106540352242922",
        env=env,
    )
    assert taken.returncode == 1 and "belongs to another clinic" in taken.stderr
    assert run("--database-url", url, "remove", "--clinic", "Clínica Aurora").returncode == 0
    gone = run("--database-url", url, "remove", "--clinic", "Clínica Aurora")
    assert gone.returncode == 1 and "has no WhatsApp channel" in gone.stderr
    for output in (done.stdout + done.stderr, listed.stdout, taken.stderr):
        assert not any(secret in output for secret in (*SECRETS, *env.values()))


@pytest.mark.parametrize(
    "case",
    [
        (["--phone-number-id", "+55 11 3333-4444"], SECRETS, "digits only"),
        (["--phone-number-id", "1"], ("", "s", "v"), "access token is empty"),
        (["--phone-number-id", "1"], ("t", "s", "v" * 201), "verify token is empty or too long"),
    ],
)
def test_set_refuses_what_meta_would_not_take(
    tmp_path: Path,
    sqlite_templates: SqliteTemplates,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: tuple[list[str], tuple[str, ...], str],
) -> None:
    args, secrets, says = case
    url = sqlite_templates.copy("small", tmp_path / "inbox.db")
    for name in ("ACCESS_TOKEN", "APP_SECRET", "VERIFY_TOKEN"):
        monkeypatch.delenv(f"INBOX_WHATSAPP_{name}", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(secrets) + "\n"))
    status = whatsapp.main(["--database-url", url, "set", "--clinic", "Clínica Aurora", *args])
    assert status == 1 and says in capsys.readouterr().err


def test_the_channel_settings_come_from_the_environment() -> None:
    settings = parse_settings(
        ["--port", "0"],
        {
            "INBOX_GRAPH_API_URL": "http://127.0.0.1:9/",
            "INBOX_GRAPH_API_VERSION": "v24.0",
            "INBOX_WHATSAPP_RETRY_BASE": "0.5",
            "INBOX_WHATSAPP_MAX_ATTEMPTS": "3",
            "INBOX_WHATSAPP_LEASE_SECONDS": "10",
        },
    )
    assert settings.whatsapp == WhatsAppSettings(
        graph_url="http://127.0.0.1:9",
        graph_version="v24.0",
        retry_base=0.5,
        max_attempts=3,
        lease_seconds=10.0,
    )
    assert settings.whatsapp.request_timeout == 5.0  # half the lease: a send ends before it
    assert parse_settings(["--port", "0"], {}).whatsapp == WhatsAppSettings()
    for bad in (
        {"INBOX_WHATSAPP_MAX_ATTEMPTS": "0"},
        {"INBOX_WHATSAPP_RETRY_CAP": "soon"},
        {"INBOX_GRAPH_API_URL": "graph.facebook.com"},
    ):
        with pytest.raises(SystemExit):
            parse_settings(["--port", "0"], bad)


def test_backoff_is_full_jitter_under_a_doubling_cap() -> None:
    import random

    settings = WhatsAppSettings(retry_base=2.0, retry_cap=60.0)
    worker = DeliveryWorker(None, None, settings, None, rng=random.Random(7))  # type: ignore[arg-type]
    for attempts, ceiling in ((1, 2.0), (2, 4.0), (3, 8.0), (5, 32.0), (6, 60.0), (40, 60.0)):
        delays = [worker.backoff(attempts) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # spread over the whole range
