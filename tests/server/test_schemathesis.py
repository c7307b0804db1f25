"""Fuzzing the OpenAPI document with schemathesis: no 5xx, and every answer fits its schema.

Bounded in examples (``FUZZ_EXAMPLES`` per operation) so the run takes well under two
minutes. Logout is left out: it would end the fuzzer's own token half-way.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS, load_all_checks

from tests.server.conftest import demo_server
from tests.support import (
    ServerProcess,
    SqliteTemplates,
    login,
)

FUZZ_EXAMPLES = int(os.environ.get("INBOX_FUZZ_EXAMPLES", "20"))

load_all_checks()
#: every check schemathesis has (issue 16: zero schema mismatches with all of them)
ALL_CHECKS = CHECKS.get_all()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzz_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
    sqlite_templates: SqliteTemplates, _postgres_demo_template: str | None,
) -> Iterator[ServerProcess]:
    """A server per backend: PostgreSQL rejects what SQLite takes (NUL, int overflow)."""
    with demo_server(request.param, tmp_path_factory.mktemp("fuzz"), sqlite_templates,
                     _postgres_demo_template, env={"INBOX_WEBHOOK_SECRET": "fuzz"}) as proc:
        yield proc


@pytest.fixture(scope="module")
def fuzz_token(fuzz_server: ServerProcess) -> str:
    return login(fuzz_server.url, "ana@aurora.example")[0]


@pytest.fixture(scope="module")
def api_schema(fuzz_server: ServerProcess):
    return schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json").exclude(
        path="/api/auth/logout"
    )


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every documented operation, read from the app without starting it
    (schemathesis' own pytest plugin does not run under pytest 9, so tests are made here)."""
    from inbox_app.server.http.asgi import create_app
    from inbox_app.server.settings import Settings

    document = create_app(Settings()).openapi()
    return [(method.upper(), path) for path, item in document["paths"].items()
            for method in item if path != "/api/auth/logout"]


@pytest.mark.parametrize(("method", "path"), _operations())
def test_api_conforms_to_its_schema(
    api_schema, fuzz_server: ServerProcess, fuzz_token: str, method: str, path: str
) -> None:
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {fuzz_token}"}

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case) -> None:
        sent = dict(headers)
        key = (case.headers or {}).get("Idempotency-Key")
        if key is not None and re.fullmatch(r"[!-~]{1,200}", key):
            # a fresh key per case: the same key with another body is a documented 422
            sent["Idempotency-Key"] = uuid.uuid4().hex
        if path == "/api/inbound" and (case.headers or {}).get("X-Webhook-Secret"):
            sent["X-Webhook-Secret"] = "fuzz"  # let some webhook bodies reach the database
        case.call_and_validate(
            base_url=fuzz_server.url, headers=sent, timeout=15,
            checks=ALL_CHECKS,
        )

    run()


def test_zz_fuzz_reached_the_database(fuzz_server: ServerProcess) -> None:
    """The fuzzing above was not all 401/404/422: valid requests got through too."""
    by_status = httpx.get(f"{fuzz_server.url}/api/metrics").json()["requests"]["by_status"]
    assert by_status.get("200", 0) > 0 and by_status.get("201", 0) > 0, by_status
