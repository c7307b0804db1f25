"""The operations surface for a clinic's IT: Prometheus conventions checked by promtool
(inbox_app/server/metrics.py), the metrics token (http/metrics_guard.py), liveness and
readiness (http/health.py), JSON logs with request ids (logs.py, http/request_id.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from inbox_app.contract.policy import CacheKind
from inbox_app.server.db import schema_version
from tests.server.conftest import sign_in
from tests.support import RedisProcess, ServerProcess, missing

TOKEN = "scrape-me-please"
HERE = Path(__file__).resolve().parent


def test_metrics_follow_prometheus_conventions_and_promtool_agrees(
        server_factory: Callable[..., ServerProcess], redis_proc: RedisProcess) -> None:
    server = server_factory(redis_url=redis_proc.url, env={"INBOX_METRICS_TOKEN": TOKEN})
    user = sign_in(server, "ana@aurora.example")
    for _ in range(2):  # a miss, then a hit, per kind read
        user.conversations()
        user.http.get("/api/session")
    text = httpx.get(f"{server.url}/metrics",
                     headers={"Authorization": f"Bearer {TOKEN}"}).text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    cache = {name: f for name, f in families.items() if name.startswith("inbox_cache_")}
    assert cache["inbox_cache_hits"].type == "counter"
    assert "inbox_cache_hits_total" in text
    for name, family in cache.items():
        if name == "inbox_cache_read_duration_seconds":
            assert family.type == "histogram"
        else:
            assert family.type == "counter", name
    assert not [n for n in families if n.endswith(("_ms", "_rate", "p95"))], sorted(families)
    latency = cache["inbox_cache_read_duration_seconds"]
    kinds = {s.labels["kind"] for s in latency.samples}
    assert kinds == {k.value for k in CacheKind}
    counts = {s.labels["kind"]: s.value for s in latency.samples if s.name.endswith("_count")}
    assert counts[CacheKind.CONVERSATIONS_LIST.value] >= 2
    # the app's JSON keeps its derived figures
    figures = httpx.get(f"{server.url}/api/metrics",
                        headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert {"hit_rate", "avg_ms", "p95_ms"} <= set(figures["cache"]["conversations_list"])

    promtool = shutil.which("promtool")
    if promtool is None:
        missing("promtool is not installed (Debian package: prometheus)")
    checked = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True,
                             text=True, timeout=60)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")
    user.close()


def test_the_metrics_token_guards_both_metrics_endpoints(
        server_factory: Callable[..., ServerProcess]) -> None:
    server = server_factory(env={"INBOX_METRICS_TOKEN": TOKEN})
    user = sign_in(server, "ana@aurora.example")
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for path in ("/metrics", "/api/metrics"):
            assert http.get(path).status_code == 401
            wrong = http.get(path, headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401
            assert wrong.json()["error"]["code"] == "unauthorized"
            assert http.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        # a signed-in user's token opens neither: the figures are every clinic's (issue 16)
        for path in ("/metrics", "/api/metrics"):
            refused = user.http.get(path)
            assert refused.status_code == 401, path
            assert "requests" not in refused.text
        assert http.get("/api/health").status_code == 200  # health stays open
    user.close()


def test_an_open_metrics_endpoint_beyond_loopback_is_warned_about(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'w.db'}"
    base = [sys.executable, "-m", "inbox_app.server", "--database-url", url, "--init-only"]
    beyond = subprocess.run([*base, "--host", "0.0.0.0"], capture_output=True, text=True,
                            timeout=120)
    assert "without INBOX_METRICS_TOKEN" in beyond.stderr
    local = subprocess.run([*base, "--host", "127.0.0.1"], capture_output=True, text=True,
                           timeout=120)
    assert "INBOX_METRICS_TOKEN" not in local.stderr


def test_liveness_and_readiness_follow_the_database_schema(
        server_factory: Callable[..., ServerProcess], tmp_path: Path) -> None:
    server = server_factory()
    live = httpx.get(f"{server.url}/api/health/live")
    assert live.status_code == 200 and live.json()["status"] == "live"
    ready = httpx.get(f"{server.url}/api/health/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["schema"] == {"status": "current", "current":
                                      schema_version.head_revision(),
                                      "head": schema_version.head_revision()}
    assert ready.json()["cache"] == "disabled"  # reported, not required

    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / "9999_x.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = '9999'\ndown_revision = {schema_version.head_revision()!r}\n"
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade() -> None:\n"
        "    with op.batch_alter_table('clinics') as b:\n"
        "        b.add_column(sa.Column('x', sa.Integer, nullable=True))\n",
        encoding="utf-8")
    # another instance of a newer release upgrades the shared database under this one
    done = subprocess.run([sys.executable, str(HERE / "db" / "extra_revision.py"), str(newer),
                           "migrate", "--database-url", server.database_url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    not_ready = httpx.get(f"{server.url}/api/health/ready")
    assert not_ready.status_code == 503
    assert not_ready.json()["status"] == "not_ready"
    assert not_ready.json()["schema"]["status"] == "ahead"
    assert httpx.get(f"{server.url}/api/health/live").status_code == 200


def test_json_logs_carry_the_request_id_the_answer_returns(
        server_factory: Callable[..., ServerProcess]) -> None:
    server = server_factory(extra_args=["--log-format", "json", "--verbose"])
    given = httpx.get(f"{server.url}/api/health", headers={"X-Request-Id": "trace-42"})
    assert given.headers["X-Request-Id"] == "trace-42"
    made = httpx.get(f"{server.url}/api/health/live")
    assert len(made.headers["X-Request-Id"]) == 32
    bad = httpx.get(f"{server.url}/api/health/live", headers={"X-Request-Id": "a b\tc"})
    assert bad.headers["X-Request-Id"] != "a b\tc"  # an unsafe id is replaced
    httpx.get(f"{server.url}/api/health/live")  # the access line of "made" is written by now
    server.stop()
    entries = []
    for line in server.output:
        if line.startswith(("Listening on", "Demo logins")):
            continue  # what the server prints for scripts, not log records
        try:  # every log line is one JSON object
            entries.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not a JSON log line: {line!r}") from None
    assert {"time", "level", "logger", "message", "request_id"} <= set(entries[0])
    ids = {entry["request_id"] for entry in entries}
    assert {"trace-42", made.headers["X-Request-Id"]} <= ids
